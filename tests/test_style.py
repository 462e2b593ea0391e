"""The code is ruff clean (lint and format) and mypy clean, as the project's standards require."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ._util import ROOT

ruff = shutil.which("ruff")


@pytest.mark.skipif(ruff is None, reason="ruff is in the test extras: pip install -e '.[test]'")
@pytest.mark.parametrize("args", [["check"], ["format", "--check"]])
def test_ruff(args):
    p = subprocess.run(
        [ruff, *args, "kg", "tests", "benchmarks", "scripts"], cwd=ROOT, capture_output=True, text=True
    )
    assert p.returncode == 0, p.stdout + p.stderr


def test_mypy() -> None:
    """``python -m mypy kg`` reports no error (config: [tool.mypy] in pyproject.toml)."""
    import sys

    pytest.importorskip("mypy", reason="mypy is in the test extras: pip install -e '.[test]'")
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "kg"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-1000:]
