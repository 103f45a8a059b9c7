"""Error classes, their fields, and the inputs data pipelines produce."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import participatienetwerk as pn
from conftest import expert, initiative


def test_classes() -> None:
    assert issubclass(pn.Error, Exception)
    assert issubclass(pn.ValidationError, pn.Error)
    assert issubclass(pn.ValidationError, ValueError)
    assert pn.ValidationError.__module__ == "participatienetwerk"
    assert pn.__version__.count(".") == 2


def test_misspelt_field_suggests() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([expert(), {"id": "e-2", "municipalities": ["GM0344"], "skils": [{"label": "Wmo", "level": 3}]}])
    e = info.value
    assert (e.code, e.record_id, e.field) == ("unknown_field", "e-2", "skils")
    assert "did you mean `skills`" in str(e)
    assert e.problems[0] == {
        "code": "unknown_field",
        "kind": "expert",
        "record_id": "e-2",
        "index": 1,
        "field": "skils",
        "message": "is an unknown field, did you mean `skills`?",
    }


def test_ignore_unknown_fields() -> None:
    wide = expert(name="Jan", email="jan@example.nl")
    m = pn.Matcher([wide], ignore_unknown_fields=True)
    assert len(m) == 1
    # The flag carries over to the matcher's queries.
    assert m.rank(initiative(owner="Piet"))[0]["expert_id"] == "e-1"
    with pytest.raises(pn.ValidationError):
        pn.Matcher([wide]).rank(initiative())


def test_all_problems_are_listed() -> None:
    bad = [
        {"id": "e-1", "municipalities": ["GM363"], "skills": [{"label": "Wmo", "level": 9}]},
        {"id": "e-1", "municipalities": ["GM0344"], "skills": [{"label": "Wmo", "level": 3}]},
    ]
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher(bad)
    codes = {p["code"] for p in info.value.problems}
    assert {"invalid_municipality", "level_out_of_range", "duplicate_id"} <= codes
    assert info.value.code == info.value.problems[0]["code"]
    text = str(info.value)
    assert "GM363" in text and "must be 1..=5, got 9" in text


def test_level_9() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([{"id": "e-17", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 9}]}])
    assert (info.value.code, info.value.record_id, info.value.field) == ("level_out_of_range", "e-17", "skills[0].level")


def test_municipality_hint() -> None:
    problems = pn.validate(initiatives=[initiative(municipality="gm0363 ")])
    assert [p["code"] for p in problems] == ["invalid_municipality"]
    assert '(write "GM0363")' in problems[0]["message"]


def test_duplicate_id() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([expert(), expert()])
    assert info.value.code == "duplicate_id"


def test_validate_never_raises_for_data() -> None:
    assert pn.validate() == []
    assert pn.validate(experts=[expert()], initiatives=[initiative()]) == []
    problems = pn.validate(experts=[{"id": ""}], initiatives="not a list")
    assert problems and all(set(p) == {"code", "kind", "record_id", "index", "field", "message"} for p in problems)
    # A value the binding cannot read is a problem too, not an exception.
    assert pn.validate(experts=[expert(location=object())])[0]["field"] == "location"


def test_bad_k() -> None:
    m = pn.Matcher([expert()])
    for k in (0, -1, 10**6):
        with pytest.raises(pn.ValidationError) as info:
            m.rank(initiative(), k=k)
        assert (info.value.code, info.value.field) == ("invalid_argument", "k")
    assert "got -1" in _message(lambda: m.rank(initiative(), k=-1))


def _message(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(pn.ValidationError) as info:
        call()
    return str(info.value)


def test_unknown_expert_in_explain() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([expert()]).explain(initiative(), "e-404")
    assert (info.value.code, info.value.record_id) == ("unknown_id", "e-404")


def test_explain_kinds() -> None:
    m = pn.Matcher([expert(), expert("e-2", "GM0344")])
    assert m.explain(initiative(), "e-1")["kind"] == "match"
    x = m.explain(initiative(), "e-2")
    assert (x["kind"], x["reason"]) == ("exclusion", "same_municipality")


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"needs": [{"label": "Wmo", "weight": math.nan}]}, "needs[0].weight"),
        ({"hours_needed": math.nan}, "hours_needed"),
        ({"location": {"lat": math.nan, "lon": 5.0}}, "location.lat"),
        ({"experts_wanted": math.nan}, "experts_wanted"),
        ({"language": math.nan}, "language"),
        ({"needs": [{"label": "Wmo", "min_level": np.nan}]}, "needs[0].min_level"),
        ({"needs": [{"label": "Wmo", "required": math.nan}]}, "needs[0].required"),
    ],
)
def test_nan_is_an_error_naming_record_and_field(record: dict, field: str) -> None:
    """NaN in an optional field must not silently count as absent."""
    bad = {"id": "i-nan", "municipality": "GM0344", "needs": [{"label": "Wmo"}], **record}
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([expert()]).rank(bad)
    assert (info.value.record_id, info.value.field) == ("i-nan", field)
    assert "NaN" in str(info.value)


@pytest.mark.parametrize("field", ["hours_per_month", "max_distance_km", "max_initiatives", "remote", "home_municipality"])
def test_nan_in_optional_expert_fields(field: str) -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([expert(**{field: float("nan")})])
    assert (info.value.record_id, info.value.field) == ("e-1", field)


def test_numpy_scalars_and_arrays() -> None:
    plain = [expert(max_initiatives=2, hours_per_month=8.5, remote=True)]
    numpy = [
        {
            "id": np.str_("e-1"),
            "municipalities": np.array(["GM0363"]),
            "skills": [{"label": "Omgevingsvergunning", "level": np.int64(4)}],
            "max_initiatives": np.int32(2),
            "hours_per_month": np.float32(8.5),
            "remote": np.bool_(True),
        }
    ]
    need = {"label": "omgevingsvergunning", "weight": np.float64(2.0), "min_level": np.uint8(2), "required": np.bool_(False)}
    i = initiative(needs=[need], experts_wanted=np.int16(1))
    assert pn.Matcher(numpy).rank(i, k=np.int64(3)) == pn.Matcher(plain).rank(i, k=3)
    assert pn.Matcher(numpy).to_bytes() == pn.Matcher(plain).to_bytes()


def test_generator_and_tuple_inputs() -> None:
    m = pn.Matcher(expert(f"e-{n}", label=label) for n, label in enumerate(["Wmo", "Omgevingsvergunning"]))
    assert len(m) == 2
    many = m.rank_many((initiative(f"i-{n}") for n in range(3)), k=1)
    assert [r[0]["expert_id"] for r in many] == ["e-1"] * 3
    assert len(pn.Matcher(tuple([expert()]))) == 1


def test_non_list_records_are_reported() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher(expert())  # one dict, not a list
    assert info.value.code == "wrong_type"
    assert "must be a list" in str(info.value)


def test_unsupported_value_names_path() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([expert(), expert("e-2", skills=[{"label": "Wmo", "level": 3j}])])
    e = info.value
    assert (e.code, e.record_id, e.field, e.problems[0]["index"]) == ("wrong_type", "e-2", "skills[0].level", 1)
    assert "complex" in str(e)


def test_validation_error_pickles() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher([expert(id="")])
    e = pickle.loads(pickle.dumps(info.value))
    assert isinstance(e, pn.ValidationError)
    assert (e.code, e.problems) == (info.value.code, info.value.problems)


def test_merge_rankings_equals_one_matcher(demo: pn.DemoData) -> None:
    experts, registry = demo["experts"], demo["registry"]
    whole = pn.Matcher(experts, registry=registry)
    parts = [pn.Matcher(experts[i::3], registry=registry) for i in range(3)]
    for i in demo["initiatives"][:10]:
        assert pn.merge_rankings([p.rank(i, k=5) for p in parts], k=5) == whole.rank(i, k=5)
    with pytest.raises(pn.ValidationError):
        pn.merge_rankings([[{"expert_id": "x"}]], k=5)


def test_pandas_round_trip() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([expert(f"e-{n}", hours_per_month=float(n)) for n in range(5)])
    m = pn.Matcher(frame.to_dict("records"))
    top = m.rank(initiative(), k=3)
    df = pd.DataFrame(top)
    assert list(df["expert_id"]) == [t["expert_id"] for t in top]
    assert df["score"].dtype == float
    assert pn.to_frame(top).equals(df)
    # Wider frames (extra columns) with the explicit opt-out.
    wide = frame.assign(name="x").to_dict("records")
    assert len(pn.Matcher(wide, ignore_unknown_fields=True)) == 5
    with pytest.raises(pn.ValidationError):
        pn.Matcher(wide)


def test_pandas_missing_cells_are_not_absent() -> None:
    """A column that some rows lack holds NaN there: an error, not a default."""
    pd = pytest.importorskip("pandas")
    rows = [expert("e-1", hours_per_month=8.0), expert("e-2")]
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher(pd.DataFrame(rows).to_dict("records"))
    assert (info.value.record_id, info.value.field) == ("e-2", "hours_per_month")
    assert "NaN" in str(info.value)
    nested = [expert("e-1", location={"lat": 52.0, "lon": 5.0}), expert("e-2")]
    with pytest.raises(pn.ValidationError) as info:
        pn.Matcher(pd.DataFrame(nested).to_dict("records"))
    assert (info.value.record_id, info.value.field) == ("e-2", "location")


def test_demo_data_sizes_are_capped() -> None:
    with pytest.raises(pn.ValidationError) as info:
        pn.demo_data(experts=10**12)
    assert (info.value.code, info.value.field) == ("invalid_argument", "experts")


def test_misspelt_config_field_is_named_once() -> None:
    with pytest.raises(pn.ValidationError) as e:
        pn.Matcher([expert()], config={"fuzzy_cutof": 0.9})
    assert e.value.field == "fuzzy_cutof"
    assert str(e.value).startswith("config: fuzzy_cutof is an unknown field")


def test_an_empty_assignment_totals_plus_zero() -> None:
    total = pn.assign([], [])["total_score"]
    assert total == 0.0 and math.copysign(1.0, total) == 1.0

