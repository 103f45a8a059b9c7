"""Soft required needs, the initiative's context and suggested needs, as a
Python user meets them (the exact figures live in tests/vectors/understanding.json)."""

from __future__ import annotations

import pytest

import participatienetwerk as pn
from conftest import expert, initiative

EXPERTS = [
    expert("e-kap", "GM0363", "kapvergunning"),
    expert("e-sub", "GM0599", "subsidie aanvragen"),
]
NEEDS = [{"label": "bomen kappen", "required": True}, {"label": "subsidie aanvragen", "weight": 3}]


def test_a_missed_required_need_ranks_last_and_is_named() -> None:
    top = pn.Matcher(EXPERTS).rank(initiative(needs=NEEDS), k=5)
    assert [m["expert_id"] for m in top] == ["e-kap", "e-sub"]
    assert top[1]["score"] > top[0]["score"], "complete experts come first whatever the score"
    assert top[0]["missing_required"] == []
    assert top[1]["missing_required"] == ["bomen kappen"]


def test_strict_required_excludes_with_the_reason() -> None:
    m = pn.Matcher(EXPERTS, config={"strict_required": True})
    assert [x["expert_id"] for x in m.rank(initiative(needs=NEEDS))] == ["e-kap"]
    why = m.explain(initiative(needs=NEEDS), "e-sub")
    assert (why["kind"], why["reason"]) == ("exclusion", "required_need_uncovered")


def test_assignment_pairs_name_what_they_miss() -> None:
    ini = initiative(needs=NEEDS, experts_wanted=2)
    pairs = pn.assign([ini], [dict(e, max_initiatives=1) for e in EXPERTS])["pairs"]
    assert {p["expert_id"]: p["missing_required"] for p in pairs} == {"e-kap": [], "e-sub": ["bomen kappen"]}


def test_the_description_adds_an_explained_context() -> None:
    ini = initiative(
        label="subsidie aanvragen",
        title="Zonnepanelen op het buurthuis",
        description="Wij willen zonnepanelen op het dak van ons buurthuis.",
    )
    m = pn.Matcher([expert("e-1", "GM0363", "subsidie aanvragen"), expert("e-2", "GM0363", "subsidieaanvraag")])
    for x in m.rank(ini):
        assert "zonnepanelen" in x["context"]["need"].lower()
        parts = [n["contribution"] for n in x["needs"]] + [x["context"]["contribution"]]
        assert sum(sorted(parts)) == pytest.approx(x["score"])
    plain = pn.Matcher([expert("e-1", "GM0363", "subsidie aanvragen")], config={"context_weight": 0})
    assert "context" not in plain.rank(ini)[0]


def test_suggest_needs_from_a_description_only() -> None:
    ini = {"id": "i-9", "municipality": "GM0344", "title": "Repair café",
           "description": "We willen een stichting oprichten en vrijwilligers vinden."}
    found = pn.suggest_needs(ini)
    assert found, "a description that names known concepts gives suggestions"
    words = {w for s in found for w in s["triggers"]}
    assert {"stichting", "vrijwilligers"} <= words
    assert all(set(s) == {"label", "concept", "found", "triggers"} for s in found)
    assert pn.Matcher(EXPERTS).suggest_needs(ini) == found
    with pytest.raises(pn.ValidationError) as info:
        pn.suggest_needs({"id": "i-9", "municipality": "GM34"})
    assert info.value.field == "municipality"
