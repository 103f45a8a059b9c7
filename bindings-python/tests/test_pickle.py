"""A Matcher ships to other processes (Dask, Spark, Ray) by pickle."""

from __future__ import annotations

import pickle

import participatienetwerk as pn
from conftest import expert


def test_round_trip_gives_identical_results(demo: pn.DemoData, matcher: pn.Matcher) -> None:
    copy = pickle.loads(pickle.dumps(matcher))
    assert isinstance(copy, pn.Matcher)
    assert len(copy) == len(matcher)
    assert copy.rank_many(demo["initiatives"], k=10) == matcher.rank_many(demo["initiatives"], k=10)
    assert copy.assign(demo["initiatives"]) == matcher.assign(demo["initiatives"])
    assert copy.to_bytes() == matcher.to_bytes()


def test_round_trip_keeps_settings() -> None:
    registry = {"successors": {"GM0457": "GM0363"}, "names": {"GM0363": "Amsterdam"}}
    taxonomy = {"extend_builtin": True, "concepts": [{"id": "x", "label": "buurtmoestuin", "alt_labels": ["stadslandbouw"]}]}
    config = {"fuzzy_cutoff": 0.9, "assign": {"mode": "stable"}}
    m = pn.Matcher(
        [expert("e-1", "GM0457", "stadslandbouw"), expert("e-2", "GM0344", "buurtmoestuin")],
        registry=registry,
        taxonomy=taxonomy,
        config=config,
        ignore_unknown_fields=True,
    )
    i = {"id": "i-1", "municipality": "GM0363", "needs": [{"label": "buurtmoestuin"}], "extra": 1}
    copy = pickle.loads(pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy.explain(i, "e-1") == m.explain(i, "e-1")
    assert copy.explain(i, "e-1")["kind"] == "exclusion"
    assert copy.rank(i) == m.rank(i) != []


def test_from_bytes() -> None:
    m = pn.Matcher([expert()])
    assert len(pn.Matcher.from_bytes(m.to_bytes())) == 1
