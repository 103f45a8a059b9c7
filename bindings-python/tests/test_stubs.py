"""The hand-written stubs agree with the native module, and type-check in use."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPY_CACHE_DIR": str(cwd / ".mypy_cache")}
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_stubtest(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    r = _run("mypy.stubtest", "participatienetwerk", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_typed_usage_checks(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    (tmp_path / "use.py").write_text(
        textwrap.dedent(
            """
            import participatienetwerk as pn
            from participatienetwerk import Expert, Match

            experts: list[Expert] = [{"id": "e-1", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 3}]}]
            m = pn.Matcher(experts)
            top: list[Match] = m.rank({"id": "i-1", "municipality": "GM0344", "needs": [{"label": "Wmo"}]}, k=3)
            score: float = top[0]["score"]
            x = m.explain({"id": "i-1", "municipality": "GM0344"}, "e-1")
            if x["kind"] == "exclusion":
                reason: str = x["reason"]
            try:
                pn.validate(experts=experts)
            except pn.ValidationError as e:
                code: str = e.code
            """
        )
    )
    r = _run("mypy", "--strict", "use.py", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
