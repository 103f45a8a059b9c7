"""Match civic initiatives with civil servants from other municipalities.

Records go in and come out as plain dicts in the interchange format (see
the repository README); all validation, scoring and ordering happen in the Rust core.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ._native import (
    Error,
    Matcher,
    ValidationError,
    __version__,
    assign,
    demo_data,
    merge_rankings,
    suggest_needs,
    validate,
)
from .records import (
    AssignStats,
    Assignment,
    DemoData,
    Edge,
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
    Location,
    Match,
    MatchExplanation,
    Need,
    NeedMatch,
    Pair,
    Problem,
    Ranking,
    Registry,
    Skill,
    SuggestedNeed,
    Unassigned,
)

__all__ = [
    "AssignStats",
    "Assignment",
    "DemoData",
    "Edge",
    "EdgeLike",
    "Exclusion",
    "ExclusionExplanation",
    "Expert",
    "ExpertLike",
    "Explanation",
    "Fill",
    "Initiative",
    "InitiativeLike",
    "Load",
    "Location",
    "Match",
    "MatchExplanation",
    "Need",
    "NeedMatch",
    "Pair",
    "Problem",
    "Ranking",
    "Registry",
    "Skill",
    "SuggestedNeed",
    "Unassigned",
    "Error",
    "Matcher",
    "ValidationError",
    "__version__",
    "assign",
    "demo_data",
    "merge_rankings",
    "suggest_needs",
    "to_frame",
    "validate",
]


def to_frame(results: Iterable[Mapping[str, Any]]) -> Any:
    """Results (matches, problems, assigned pairs) as a ``pandas.DataFrame``.

    pandas is imported here, not at package import, so it stays optional; the
    return type is ``Any`` so type checking does not need pandas-stubs.
    """
    import pandas

    return pandas.DataFrame(list(results))
