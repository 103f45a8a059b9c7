"""Assignment: invariants on every result, and optimality against an LP solver."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import numpy as np
import pytest

import participatienetwerk as pn


def check_invariants(result: pn.Assignment, experts: list[Any], initiatives: list[Any], registry: Any = None) -> None:
    successors = (registry or {}).get("successors", {})

    def resolve(code: str) -> str:
        seen = set()
        while code in successors and code not in seen:
            seen.add(code)
            code = successors[code]
        return code

    by_expert = {e["id"]: e for e in experts}
    by_initiative = {i["id"]: i for i in initiatives}
    load = Counter(p["expert_id"] for p in result["pairs"])
    fill = Counter(p["initiative_id"] for p in result["pairs"])
    assert len(set((p["initiative_id"], p["expert_id"]) for p in result["pairs"])) == len(result["pairs"])
    for eid, n in load.items():
        assert n <= by_expert[eid].get("max_initiatives", 1)
    for iid, n in fill.items():
        assert n <= by_initiative[iid].get("experts_wanted", 1)
    for p in result["pairs"]:
        works_for = {resolve(c) for c in by_expert[p["expert_id"]]["municipalities"]}
        assert resolve(by_initiative[p["initiative_id"]]["municipality"]) not in works_for
        assert 0 < p["score"] <= 1
    assert result["objective_value"] == sum(round(p["score"] * 1e9) for p in result["pairs"])
    for f in result["initiatives"]:
        assert f["filled"] == fill[f["initiative_id"]]
    for u in result["unassigned"]:
        f = next(f for f in result["initiatives"] if f["initiative_id"] == u["initiative_id"])
        assert u["missing"] == f["wanted"] - f["filled"] > 0


def test_demo_invariants(demo: pn.DemoData, matcher: pn.Matcher) -> None:
    result = matcher.assign(demo["initiatives"])
    check_invariants(result, demo["experts"], demo["initiatives"], demo["registry"])
    assert result["pairs"]
    assert pn.assign(demo["initiatives"], demo["experts"], registry=demo["registry"]) == result


def test_stable_mode_invariants(demo: pn.DemoData) -> None:
    result = pn.assign(demo["initiatives"], demo["experts"], registry=demo["registry"], config={"assign": {"mode": "stable"}})
    assert result["mode"] == "stable"
    check_invariants(result, demo["experts"], demo["initiatives"], demo["registry"])


def random_instance(seed: int) -> tuple[list[dict], list[dict], list[dict]]:
    rng = random.Random(seed)
    municipalities = [f"GM{n:04d}" for n in range(1, 6)]
    experts = [
        {"id": f"e-{n}", "municipalities": rng.sample(municipalities, rng.randint(1, 2)), "max_initiatives": rng.randint(0, 3)}
        for n in range(rng.randint(3, 12))
    ]
    initiatives = [
        {"id": f"i-{n}", "municipality": rng.choice(municipalities), "experts_wanted": rng.randint(1, 3)}
        for n in range(rng.randint(2, 10))
    ]
    edges = [
        {"initiative_id": i["id"], "expert_id": e["id"], "score": round(rng.uniform(0.01, 1), rng.choice([2, 6, 9]))}
        for i in initiatives
        for e in experts
        if i["municipality"] not in e["municipalities"] and rng.random() < 0.6
    ]
    return experts, initiatives, edges


def lp_optimum(experts: list[dict], initiatives: list[dict], edges: list[dict]) -> float:
    """Max-weight bipartite b-matching; its LP has an integral optimum."""
    from scipy.optimize import linprog

    if not edges:
        return 0.0
    rows = [("e", e["id"], e.get("max_initiatives", 1)) for e in experts] + [
        ("i", i["id"], i.get("experts_wanted", 1)) for i in initiatives
    ]
    index = {(kind, rid): r for r, (kind, rid, _) in enumerate(rows)}
    a = np.zeros((len(rows), len(edges)))
    for c, edge in enumerate(edges):
        a[index[("e", edge["expert_id"])], c] = 1
        a[index[("i", edge["initiative_id"])], c] = 1
    res = linprog(
        c=[-edge["score"] for edge in edges],
        A_ub=a,
        b_ub=[cap for _, _, cap in rows],
        bounds=(0, 1),
        method="highs",
    )
    assert res.status == 0
    assert np.allclose(res.x, np.round(res.x), atol=1e-7)
    return float(sum(edge["score"] for edge, x in zip(edges, np.round(res.x)) if x == 1))


@pytest.mark.parametrize("seed", range(40))
def test_optimal_against_linprog(seed: int) -> None:
    pytest.importorskip("scipy")
    experts, initiatives, edges = random_instance(seed)
    result = pn.assign(initiatives, experts, edges=edges)
    check_invariants(result, experts, initiatives)
    # Scores are exact at 1e-9 (at most nine decimals here), so the sums compare exactly.
    assert result["objective_value"] == round(lp_optimum(experts, initiatives, edges) * 1e9)
    assert {(p["initiative_id"], p["expert_id"]) for p in result["pairs"]} <= {
        (e["initiative_id"], e["expert_id"]) for e in edges
    }


def test_edges_reject_same_municipality() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.assign(
            [{"id": "i-1", "municipality": "GM0363"}],
            [{"id": "e-1", "municipalities": ["GM0363"]}],
            edges=[{"initiative_id": "i-1", "expert_id": "e-1", "score": 0.5}],
        )
    assert info.value.code == "same_municipality"


def test_edges_as_columns_equal_edges_as_records():
    experts = [{"id": f"e-{n}", "municipalities": ["GM0001"], "max_initiatives": 2} for n in range(4)]
    initiatives = [{"id": f"i-{n}", "municipality": "GM0002", "experts_wanted": 2} for n in range(3)]
    rows = [(f"i-{i}", f"e-{e}", ((i * 7 + e * 3) % 10) / 10) for i in range(3) for e in range(4)]
    records = [{"initiative_id": i, "expert_id": e, "score": s} for i, e, s in rows]
    columns = {
        "initiative_id": [r[0] for r in rows],
        "expert_id": [r[1] for r in rows],
        "score": [r[2] for r in rows],
    }
    assert pn.assign(initiatives, experts, edges=columns) == pn.assign(initiatives, experts, edges=records)


def test_edge_columns_are_checked():
    experts = [{"id": "e-1", "municipalities": ["GM0001"]}]
    initiatives = [{"id": "i-1", "municipality": "GM0002"}]
    with pytest.raises(pn.ValidationError) as bad:
        pn.assign(initiatives, experts, edges={"initiative_id": ["i-1"], "expert_id": ["e-1"], "scor": [0.5]})
    assert bad.value.code == "unknown_field" and "did you mean `score`" in str(bad.value)
    with pytest.raises(pn.ValidationError) as bad:
        pn.assign(initiatives, experts, edges={"initiative_id": ["i-1", "i-1"], "expert_id": ["e-1"], "score": [0.5]})
    assert "differ in length" in str(bad.value)
    with pytest.raises(pn.ValidationError) as bad:
        pn.assign(initiatives, experts, edges={"initiative_id": ["i-1"], "expert_id": ["e-1"], "score": [float("nan")]})
    assert bad.value.field == "score"


def test_edges_by_position_equal_edges_by_id() -> None:
    np = pytest.importorskip("numpy")
    experts, initiatives, edges = random_instance(3)
    at_i = {x["id"]: n for n, x in enumerate(initiatives)}
    at_e = {x["id"]: n for n, x in enumerate(experts)}
    rows = [at_i[e["initiative_id"]] for e in edges]
    cols = [at_e[e["expert_id"]] for e in edges]
    scores = [e["score"] for e in edges]
    by_id = pn.assign(initiatives, experts, edges=edges)
    assert by_id["pairs"], "the instance assigns someone"
    # Lists, numpy arrays of several integer and float types, and array.array read alike.
    import array

    forms = [
        (rows, cols, scores),
        (np.array(rows), np.array(cols), np.array(scores)),
        (np.array(rows, dtype=np.int32), np.array(cols, dtype=np.uint32), np.array(scores, dtype=np.float64)),
        (np.array(rows, dtype=np.uint64), np.array(cols, dtype=np.int64)[::-1][::-1], np.array(scores)),
        (array.array("l", rows), array.array("I", cols), array.array("d", scores)),
    ]
    for r, c, s in forms:
        got = pn.assign(initiatives, experts, edges={"initiative_index": r, "expert_index": c, "score": s})
        assert got == by_id


def test_edges_by_position_follow_the_input_order() -> None:
    np = pytest.importorskip("numpy")
    experts = [{"id": f"e-{n}", "municipalities": ["GM0001"], "max_initiatives": 1} for n in range(3)]
    initiatives = [{"id": f"i-{n}", "municipality": "GM0002"} for n in range(3)]
    # Positions, not ids: reversing the experts list changes who edge (0, 0) names.
    edges = {"initiative_index": np.array([0, 1]), "expert_index": np.array([0, 2]), "score": np.array([0.9, 0.4])}
    forward = pn.assign(initiatives, experts, edges=edges)
    backward = pn.assign(initiatives, experts[::-1], edges=edges)
    assert [(p["initiative_id"], p["expert_id"]) for p in forward["pairs"]] == [("i-0", "e-0"), ("i-1", "e-2")]
    assert [(p["initiative_id"], p["expert_id"]) for p in backward["pairs"]] == [("i-0", "e-2"), ("i-1", "e-0")]


def test_edges_by_position_are_checked() -> None:
    np = pytest.importorskip("numpy")
    experts = [{"id": "e-1", "municipalities": ["GM0001"]}, {"id": "e-2", "municipalities": ["GM0002"]}]
    initiatives = [{"id": "i-1", "municipality": "GM0002"}]

    def fails(**columns: object) -> pn.ValidationError:
        edges = {"initiative_index": [0], "expert_index": [0], "score": [0.5], **columns}
        with pytest.raises(pn.ValidationError) as info:
            pn.assign(initiatives, experts, edges=edges)
        return info.value

    bad = fails(expert_index=np.array([1]))
    assert bad.code == "same_municipality" and bad.record_id == "i-1 / e-2" and "GM0002" in str(bad)
    bad = fails(expert_index=np.array([5]))
    assert bad.code == "unknown_id" and bad.field == "expert_index" and "must be 0..2" in str(bad)
    bad = fails(initiative_index=np.array([-1]))
    assert bad.code == "wrong_type" and bad.field == "initiative_index[0]" and "got -1" in str(bad)
    bad = fails(initiative_index=[True])
    assert bad.code == "wrong_type" and bad.field == "initiative_index[0]"
    bad = fails(expert_index=np.array([[0]]))
    assert bad.code == "wrong_type" and bad.field == "expert_index[0]"
    bad = fails(score=np.array([np.nan]))
    assert bad.code == "invalid_number" and bad.field == "score"
    bad = fails(score=np.array([0.5, 0.6]))
    assert bad.code == "wrong_type" and "differ in length" in str(bad)
    bad = fails(scores=[0.5])
    assert bad.code == "unknown_field" and "did you mean `score`" in str(bad)
