"""The interchange format as TypedDicts: records in, results out.

Defined at runtime (not only in the stubs) so ``from participatienetwerk
import Match`` works in code as well as in annotations. Optional fields sit in
a ``total=False`` subclass because ``NotRequired`` needs Python 3.11.
"""

from __future__ import annotations

from typing import Any, Literal, Mapping, Optional, TypedDict, Union

# ---- records (input) -------------------------------------------------------


class Location(TypedDict):
    lat: float
    lon: float


class Skill(TypedDict):
    label: str
    level: int


class _ExpertRequired(TypedDict):
    id: str
    municipalities: list[str]


class Expert(_ExpertRequired, total=False):
    home_municipality: str
    skills: list[Skill]
    max_initiatives: int
    hours_per_month: float
    languages: list[str]
    location: Location
    max_distance_km: float
    remote: bool


class _NeedRequired(TypedDict):
    label: str


class Need(_NeedRequired, total=False):
    weight: float
    min_level: int
    required: bool


class _InitiativeRequired(TypedDict):
    id: str
    municipality: str


class Initiative(_InitiativeRequired, total=False):
    title: str
    description: str
    needs: list[Need]
    experts_wanted: int
    hours_needed: float
    language: str
    location: Location


class Registry(TypedDict, total=False):
    successors: dict[str, str]
    names: dict[str, str]


class Edge(TypedDict):
    initiative_id: str
    expert_id: str
    score: float


# Records may be wider dicts (DataFrame rows) when ignore_unknown_fields=True.
ExpertLike = Union[Expert, Mapping[str, Any]]
InitiativeLike = Union[Initiative, Mapping[str, Any]]
EdgeLike = Union[Edge, Mapping[str, Any]]


# ---- results -----------------------------------------------------------------


class NeedMatch(TypedDict):
    need: str
    skill: Optional[str]
    via: Literal["exact", "synonym", "broader", "narrower", "related", "words", "fuzzy", "none"]
    similarity: float
    level_factor: float
    contribution: float


class _MatchRequired(TypedDict):
    initiative_id: str
    expert_id: str
    score: float
    needs: list[NeedMatch]
    missing_required: list[str]
    distance_factor: float


class Match(_MatchRequired, total=False):
    distance_km: float
    context: NeedMatch


class SuggestedNeed(TypedDict):
    label: str
    concept: str
    found: str
    triggers: list[str]


class Exclusion(TypedDict):
    initiative_id: str
    expert_id: str
    reason: Literal["same_municipality", "no_capacity", "language", "too_far", "required_need_uncovered"]
    detail: str


class MatchExplanation(Match):
    kind: Literal["match"]


class ExclusionExplanation(Exclusion):
    kind: Literal["exclusion"]


Explanation = Union[MatchExplanation, ExclusionExplanation]


class Ranking(TypedDict):
    initiative_id: str
    matches: list[Match]
    excluded: list[Exclusion]


class _PairRequired(TypedDict):
    initiative_id: str
    expert_id: str
    score: float
    needs: list[NeedMatch]
    missing_required: list[str]


class Pair(_PairRequired, total=False):
    context: NeedMatch


class Fill(TypedDict):
    initiative_id: str
    wanted: int
    filled: int
    candidates: int


class Load(TypedDict):
    expert_id: str
    capacity: int
    load: int


class Unassigned(TypedDict):
    initiative_id: str
    missing: int
    reason: Literal["no_eligible_expert", "required_need_uncovered", "too_few_candidates", "experts_full"]
    detail: str


class AssignStats(TypedDict):
    candidates: int
    nodes: int
    arcs: int
    phases: int
    augmentations: int
    proposals: int
    rounds: int


class Assignment(TypedDict):
    mode: Literal["optimal", "stable"]
    objective: Literal["max_score", "coverage_first"]
    pairs: list[Pair]
    initiatives: list[Fill]
    experts: list[Load]
    unassigned: list[Unassigned]
    total_score: float
    objective_value: int
    stats: AssignStats


class Problem(TypedDict):
    code: str
    kind: Literal["expert", "initiative", "registry", "taxonomy", "config", "edge", "input"]
    record_id: Optional[str]
    index: Optional[int]
    field: str
    message: str


class DemoData(TypedDict):
    experts: list[Expert]
    initiatives: list[Initiative]
    registry: Registry
