"""Native part of ``participatienetwerk`` (PyO3)."""

from typing import Any, Iterable, Mapping, Optional, Sequence, Union, final

from typing_extensions import Self

from .records import (
    AssignStats,
    Assignment,
    DemoData,
    EdgeLike,
    Exclusion,
    ExclusionExplanation,
    Expert,
    ExpertLike,
    Explanation,
    Fill,
    Initiative,
    InitiativeLike,
    Load,
    Match,
    MatchExplanation,
    NeedMatch,
    Pair,
    Problem,
    Ranking,
    SuggestedNeed,
    Unassigned,
)

__version__: str
__all__ = ["Error", "Matcher", "ValidationError", "__version__", "assign", "demo_data", "merge_rankings", "suggest_needs", "validate"]

# ---- errors ------------------------------------------------------------------

class Error(Exception):
    """Base class of every error the engine raises."""

class ValidationError(Error, ValueError):
    """Input that the engine rejects; ``problems`` lists every problem found."""

    code: str
    record_id: Optional[str]
    field: Optional[str]
    problems: list[Problem]

# ---- API ---------------------------------------------------------------------

@final
class Matcher:
    def __new__(
        cls,
        experts: Iterable[ExpertLike],
        registry: Optional[Mapping[str, Any]] = None,
        taxonomy: Optional[Mapping[str, Any]] = None,
        config: Optional[Mapping[str, Any]] = None,
        ignore_unknown_fields: bool = False,
    ) -> Self: ...
    def rank(self, initiative: InitiativeLike, k: int = 10) -> list[Match]: ...
    def rank_many(self, initiatives: Iterable[InitiativeLike], k: int = 10) -> list[list[Match]]: ...
    def rank_detailed(self, initiative: InitiativeLike, k: int = 10) -> Ranking: ...
    def explain(self, initiative: InitiativeLike, expert_id: str) -> Explanation: ...
    def suggest_needs(self, initiative: InitiativeLike) -> list[SuggestedNeed]: ...
    def rank_initiatives(
        self, expert: ExpertLike, initiatives: Iterable[InitiativeLike], k: int = 10
    ) -> list[Match]: ...
    def assign(self, initiatives: Iterable[InitiativeLike]) -> Assignment: ...
    def to_bytes(self) -> bytes: ...
    @classmethod
    def from_bytes(cls, data: bytes, ignore_unknown_fields: bool = False) -> Matcher: ...
    def __len__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, tuple[bytes, bool]]: ...

def assign(
    initiatives: Iterable[InitiativeLike],
    experts: Iterable[ExpertLike],
    registry: Optional[Mapping[str, Any]] = None,
    taxonomy: Optional[Mapping[str, Any]] = None,
    config: Optional[Mapping[str, Any]] = None,
    edges: Optional[Union[Iterable[EdgeLike], Mapping[str, Any]]] = None,
    ignore_unknown_fields: bool = False,
) -> Assignment: ...
def validate(
    experts: Optional[Iterable[ExpertLike]] = None,
    initiatives: Optional[Iterable[InitiativeLike]] = None,
    ignore_unknown_fields: bool = False,
) -> list[Problem]: ...
def demo_data(seed: int = 0, experts: int = 2000, initiatives: int = 40) -> DemoData: ...
def merge_rankings(parts: Iterable[Sequence[Match]], k: int) -> list[Match]: ...
def suggest_needs(
    initiative: InitiativeLike,
    taxonomy: Optional[Mapping[str, Any]] = None,
    config: Optional[Mapping[str, Any]] = None,
    ignore_unknown_fields: bool = False,
) -> list[SuggestedNeed]: ...
