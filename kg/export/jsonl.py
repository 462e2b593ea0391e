"""Extraction results as the gold JSONL format (what ``kg extract`` writes).

A file is written atomically (:func:`kg.export.staging.atomic_writer`): a temp name beside it,
renamed into place; a full or read-only disk is a one-line :class:`~kg.errors.OutputError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from kg.export.staging import atomic_writer
from kg.model import Entity, FileResult


def entity_record(e: Entity) -> dict[str, Any]:
    return {"type": e.type, "name": e.name, "aliases": list(e.aliases)}


def file_record(r: FileResult) -> dict[str, Any]:
    """One input file in exactly the gold format."""
    names = {e.id: e.name for e in r.entities}
    rels = []
    for rel in r.relations:
        ev = rel.evidence[0] if rel.evidence else None
        rels.append(
            {
                "s": names.get(rel.s, rel.s.split(":", 1)[-1]),
                "p": rel.p,
                "o": names.get(rel.o, rel.o.split(":", 1)[-1]),
                "evidence": ev.text if ev else "",
                "article": ev.article if ev else "",
            }
        )
    return {
        "file": r.source.name,
        "home": r.home,
        "entities": [entity_record(e) for e in r.entities],
        "relations": rels,
    }


def jsonl_line(r: FileResult) -> str:
    """One result as its JSON line (newline included): ``kg extract`` renders it where the
    page was extracted (a ``page_work`` of :func:`kg.pipeline.iter_pages`)."""
    return json.dumps(file_record(r), ensure_ascii=False, sort_keys=False) + "\n"


def jsonl_lines(results: Iterable[FileResult]) -> Iterable[str]:
    for r in results:
        yield json.dumps(file_record(r), ensure_ascii=False, sort_keys=False)


def write_jsonl(results: Iterable[FileResult], out: IO[str] | str | Path) -> None:
    """Write results as JSON lines to a stream or (atomically) to a path."""
    write_lines((line + "\n" for line in jsonl_lines(results)), out)


def write_lines(lines: Iterable[str], out: IO[str] | str | Path) -> None:
    """Write lines already rendered (:func:`jsonl_line`) to a stream or (atomically) to a path."""
    if isinstance(out, (str, Path)):
        with atomic_writer(out) as fh:
            fh.writelines(lines)
        return
    out.writelines(lines)
