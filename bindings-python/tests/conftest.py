from __future__ import annotations

import pathlib

import pytest

import participatienetwerk as pn

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"


@pytest.fixture(scope="session")
def demo() -> pn.DemoData:
    return pn.demo_data(seed=7, experts=3000, initiatives=30)


@pytest.fixture(scope="session")
def matcher(demo: pn.DemoData) -> pn.Matcher:
    return pn.Matcher(demo["experts"], registry=demo["registry"])


def expert(id: str = "e-1", municipality: str = "GM0363", label: str = "Omgevingsvergunning", **extra: object) -> dict:
    return {"id": id, "municipalities": [municipality], "skills": [{"label": label, "level": 4}], **extra}


def initiative(id: str = "i-1", municipality: str = "GM0344", label: str = "omgevingsvergunning", **extra: object) -> dict:
    return {"id": id, "municipality": municipality, "needs": [{"label": label}], **extra}
