"""The modules of kg.cli one by one (options, extract, build, sparql, views) and ``python -m kg``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import build, extract, main, options, sparql, views


def test_each_module_exports_its_commands_and_main_has_them() -> None:
    got = {
        m.__name__.rsplit(".", 1)[1]: sorted(c.name or "" for c in m.COMMANDS)
        for m in (extract, build, sparql, views)
    }
    assert got == {
        "extract": ["eval", "extract"],
        "build": ["build"],
        "sparql": ["push", "query", "serve"],
        "views": ["views"],
    }
    assert set(main.commands) >= {"extract", "eval", "build", "query", "serve", "push", "views"}


@pytest.mark.parametrize(("value", "want"), [("10MB", 10_000_000), ("512", 512), (2048, 2048)])
def test_size_option_parses(value: object, want: int) -> None:
    assert options._Size().convert(value, None, None) == want


def test_a_bad_size_is_a_usage_error() -> None:
    @click.command()
    @options.max_file_size_option
    def cmd(max_file_size: int | None) -> None:
        click.echo(max_file_size)

    r = CliRunner().invoke(cmd, ["--max-file-size", "lots"])
    assert r.exit_code == 2 and "--max-file-size" in r.output
    assert CliRunner().invoke(cmd, ["--max-file-size", "1kB"]).output.strip() == "1000"


def test_report_skipped_writes_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    options.report_skipped([("a.txt", "a.txt: empty file"), ("b", "b: no such file")])
    assert capsys.readouterr().err == "kg: skipped a.txt: empty file\nkg: skipped b: no such file\n"


def test_extract_command_alone(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("市应急管理局开展应急演练。\n", encoding="utf-8")
    r = CliRunner().invoke(extract.extract, [str(page), "--home", "长治市"])
    assert r.exit_code == 0, r.output
    assert "长治市应急管理局" in r.output


def test_python_dash_m_kg_runs_the_cli() -> None:
    r = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "extract" in r.stdout and "build" in r.stdout
