"""Shared helpers for the tests (not fixtures: plain functions)."""

from __future__ import annotations

from pathlib import Path

from kg.model import FileResult
from kg.pipeline import extract_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "gold" / "seeds.jsonl"


def names(result: FileResult, type_: str) -> set[str]:
    """Canonical names of one type."""
    out: set[str] = set()
    for e in result.entities:
        if e.type == type_:
            out.add(e.name)
    return out


def names_or_aliases(result: FileResult, type_: str) -> set[str]:
    """Canonical names and aliases of one type (either is a correct name)."""
    out: set[str] = set()
    for e in result.entities:
        if e.type == type_:
            out.add(e.name)
            out.update(e.aliases)
    return out


def extract(text: str, home: str | None = None) -> FileResult:
    return extract_text(text, home=home)


def seed(prefix: str) -> str:
    return next(p for p in SEEDS if p.name.startswith(prefix)).read_text(encoding="utf-8")
