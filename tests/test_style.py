"""The code is ruff clean (lint and format), as the project's standards require."""

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
