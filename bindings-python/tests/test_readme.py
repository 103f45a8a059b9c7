"""Every ```python block of the repository README runs as written."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT


def blocks() -> list[str]:
    readme = ROOT / "README.md"
    if not readme.exists():
        return []
    return re.findall(r"^```python\n(.*?)^```", readme.read_text(encoding="utf-8"), flags=re.S | re.M)


@pytest.mark.parametrize("code", blocks() or [pytest.param("", marks=pytest.mark.skip("README has no python block"))])
def test_readme_python_block(code: str) -> None:
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
