"""No Chinese word list or regex in the extraction code: words and patterns with Chinese
content live in the rule files (kg/rules/*.toml) and vocabularies (ontology/vocab/*.ttl),
where an analyst can change them (and layer their own with --rules).

The check parses each module (ast) and looks at every string constant, f-string pieces
included, except docstrings (comments are not in the tree): one Han character in it is a
finding. Punctuation (，。“”《》) is orthography, not a word list, and may stay in code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import kg

ROOT = Path(kg.__file__).resolve().parent
#: the stages whose code must hold no Chinese literals
STAGES = ("ingest", "nlp", "extract", "relate")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

#: modules whose literals are still being moved (module → literals left). Remove a module
#: when it is clean; the test fails if a listed module is clean or holds more than listed.
PENDING: dict[str, int] = {}


def chinese_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant of ``path`` with a Han character, docstrings aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and HAN.search(node.value)
    )


def _modules() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for s in STAGES for p in (ROOT / s).rglob("*.py"))


def test_the_check_finds_literals_and_skips_docstrings(tmp_path):
    src = tmp_path / "m.py"
    src.write_text(
        '"""模块说明。"""\n'
        "# 注释\n"
        "def f(x):\n"
        '    """函数说明。"""\n'
        '    return x in ("局", "中心") or x == f"{x}县" or x == "，"\n',
        encoding="utf-8",
    )
    assert sorted(t for _, t in chinese_literals(src)) == sorted(["局", "中心", "县"])


@pytest.mark.parametrize("module", _modules())
def test_no_chinese_literals_in_extraction_code(module):
    found = chinese_literals(ROOT / module)
    if module in PENDING:
        assert found, f"kg/{module} is clean: remove it from PENDING"
        assert len(found) <= PENDING[module], f"kg/{module}: new Chinese literals {found}"
        return
    where = ", ".join(f"line {line}: {text!r}" for line, text in found)
    assert not found, f"kg/{module} holds Chinese literals (move them to kg/rules/*.toml): {where}"


def test_pending_names_only_existing_modules():
    assert set(PENDING) <= set(_modules())
