"""No input may end in a PanicException (or a crash): every failure is a pn.Error."""

from __future__ import annotations

import sys
from typing import Any, Callable

import pytest

import participatienetwerk as pn
from conftest import expert, initiative


def nested(depth: int) -> Any:
    x: Any = []
    for _ in range(depth):
        x = [x]
    return x


def nested_dict(depth: int) -> Any:
    x: Any = {}
    for _ in range(depth):
        x = {"location": x}
    return x


class Weird:
    """Iterates forever-ish, has a dtype, and lies about everything."""

    dtype = "int64"

    def tolist(self) -> Any:
        return self


class Boom:
    def __iter__(self) -> Any:
        raise RuntimeError("boom")


GARBAGE: list[Any] = [
    None,
    0,
    -1,
    2**70,
    -(2**70),
    float("inf"),
    float("nan"),
    "",
    "x" * 1_000_000,
    "\ud800",
    b"bytes",
    bytearray(b"x"),
    [],
    {},
    [None],
    [[]],
    [{}],
    [{"id": None, "municipalities": None, "skills": None}],
    [{"id": 1, "municipalities": "GM0363", "skills": "Wmo"}],
    [{"id": "e", "municipalities": [1, None], "skills": [{"label": None, "level": "5"}]}],
    [{"id": "e", "municipalities": ["GM0363"], "skills": [{"label": "x" * 100_000, "level": 3}]}],
    [{"id": "e", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 2**64}]}],
    [{"id": "e" * 10_000, "municipalities": ["GM0363"] * 10_000, "skills": [{"label": "Wmo", "level": 3}] * 1000}],
    [{("tuple", "key"): 1, 2: 3, None: None}],
    [{"id": "e", "municipalities": ["GM0363"], "skills": [{"label": "!!!", "level": 3}]}],
    [expert(location={"lat": 1e308, "lon": -1e308}, max_distance_km=-1, hours_per_month=1e300)],
    [expert(max_initiatives=-5, languages=["NL", "", "x" * 50])],
    nested(100_000),
    [nested_dict(100_000)],
    [Weird()],
    Weird(),
    Boom(),
    [object()],
    iter([expert(), 5, "x"]),
    {expert()["id"]: expert()},
    set(),
    [{"id": "e", "municipalities": {"GM0363"}, "skills": []}],
]


def calls(x: Any) -> list[Callable[[], Any]]:
    m = pn.Matcher([expert(), expert("e-2", "GM0344")])
    return [
        lambda: pn.Matcher(x),
        lambda: pn.Matcher([expert()], registry=x),
        lambda: pn.Matcher([expert()], taxonomy=x),
        lambda: pn.Matcher([expert()], config=x),
        lambda: m.rank(x),
        lambda: m.rank_detailed(x),
        lambda: m.rank_many(x),
        lambda: m.rank_many([x]),
        lambda: m.explain(x, "e-1"),
        lambda: m.rank_initiatives(x, [initiative()]),
        lambda: m.rank_initiatives(expert(), x),
        lambda: m.assign(x),
        lambda: pn.assign(x, [expert()]),
        lambda: pn.assign([initiative()], x),
        lambda: pn.assign([initiative()], [expert()], edges=x),
        lambda: pn.assign([initiative()], [expert()], config={"assign": x}),
        lambda: pn.merge_rankings(x, k=3),
        lambda: pn.merge_rankings([x], k=3),
    ]


@pytest.mark.parametrize("x", GARBAGE, ids=lambda x: type(x).__name__)
def test_garbage_raises_pn_errors_only(x: Any) -> None:
    for call in calls(x):
        try:
            call()
        except pn.Error:
            pass
        except BaseException as e:  # PanicException derives from BaseException
            pytest.fail(f"{type(e).__module__}.{type(e).__name__}: {e}")


@pytest.mark.parametrize("x", GARBAGE, ids=lambda x: type(x).__name__)
def test_validate_returns_problems(x: Any) -> None:
    for kw in ("experts", "initiatives"):
        problems = pn.validate(**{kw: x})
        assert isinstance(problems, list)


def test_none_everywhere() -> None:
    none_expert = {k: None for k in expert(location=1, hours_per_month=1, languages=1, remote=1, max_distance_km=1)}
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([none_expert])
    assert {p["code"] for p in info.value.problems} <= {"missing_field", "wrong_type"}
    m = pn.Matcher([expert()])
    none_initiative = {k: None for k in initiative(title=1, description=1, experts_wanted=1, location=1, language=1)}
    with pytest.raises(pn.ValidationError):
        m.rank(none_initiative)


def test_wrong_argument_types_are_type_errors() -> None:
    """Arguments that are not records follow Python's own convention."""
    m = pn.Matcher([expert()])
    with pytest.raises(TypeError):
        m.rank(initiative(), k="3")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        m.explain(initiative(), 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pn.Matcher.from_bytes("not bytes")  # type: ignore[arg-type]


def test_corrupt_pickle_bytes() -> None:
    for data in (b"", b"{", b'{"experts": 5}', b'{"experts": [], "x": 1}', b"\xff" * 10):
        with pytest.raises(pn.ValidationError):
            pn.Matcher.from_bytes(data)


def test_recursion_limit_untouched() -> None:
    assert sys.getrecursionlimit() >= 1000
