"""The shared vectors in tests/vectors: the same results as the Rust tests, to the last digit."""

from __future__ import annotations

import json
from typing import Any

import pytest

import participatienetwerk as pn
from conftest import VECTORS


def _cases() -> list[Any]:
    out = []
    for path in sorted(VECTORS.glob("*.json")):
        file = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(file["cases"]):
            out.append(pytest.param(file, case, id=f"{path.stem}-{i}-{case['op']}"))
    return out


CASES = _cases()


def test_vectors_exist() -> None:
    assert len(CASES) >= 30, f"only {len(CASES)} vector cases in {VECTORS}"


def run(file: dict[str, Any], case: dict[str, Any]) -> Any:
    """Mirrors core/tests/vectors.rs: case fields override file fields."""
    k = case.get("k", 10)
    experts = case.get("experts", file.get("experts"))
    settings = {
        "registry": file.get("registry"),
        "taxonomy": file.get("taxonomy"),
        "config": case.get("config", file.get("config")),
    }
    call = case.get("call", case["op"])
    if call == "validate":
        return pn.validate(experts=case.get("experts"), initiatives=case.get("initiatives"))
    if call == "assign":
        edges = case.get("edges", case.get("indexed_edges"))
        return pn.assign(case["initiatives"], experts, edges=edges, **settings)
    m = pn.Matcher(experts, **settings)
    if call == "matcher":
        return len(m)
    if call == "rank":
        return m.rank(case["initiative"], k=k)
    if call == "rank_many":
        return m.rank_many(case["initiatives"], k=k)
    if call == "explain":
        return m.explain(case["initiative"], case["expert_id"])
    if call == "suggest_needs":
        return m.suggest_needs(case["initiative"])
    if call == "rank_initiatives":
        return m.rank_initiatives(case["expert"], case["initiatives"], k=k)
    raise AssertionError(f"unknown op {call}")


@pytest.mark.parametrize(("file", "case"), CASES)
def test_vector(file: dict[str, Any], case: dict[str, Any]) -> None:
    if case["op"] == "error":
        with pytest.raises(pn.ValidationError) as info:
            run(file, case)
        assert [p["code"] for p in info.value.problems] == case["expected_codes"]
        return
    got = run(file, case)
    assert got == case["expected"]
    # == treats 1 and 1.0 alike; the JSON text does not.
    assert json.dumps(got, sort_keys=True) == json.dumps(case["expected"], sort_keys=True)
