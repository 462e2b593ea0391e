"""Views of an Extraction as files: the gold JSONL format. Writes are atomic.

A single file is written to a temp name beside it and renamed into place
(:func:`atomic_writer`); a folder of outputs is replaced as a whole (:mod:`kg.export.staging`).
A disk that is full or read-only is a one-line :class:`~kg.errors.OutputError` naming the
folder, not a traceback about a temp file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from kg.model import Entity, FileResult

#: files that mark a folder as written by ``kg build`` or ``kg views`` (see kg.export.staging)
OUTPUT_MARKERS = ("summary.json", "graph.nq", "index.html", "overview.html")


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


def jsonl_lines(results: Iterable[FileResult]) -> Iterable[str]:
    for r in results:
        yield json.dumps(file_record(r), ensure_ascii=False, sort_keys=False)


@contextmanager
def atomic_writer(path: str | Path, mode: str = "w") -> Any:
    """Write to a temp file next to ``path`` and rename it into place on success.

    A crash or an exception leaves the old file (or no file) untouched.
    """
    from kg.export.staging import write_error

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        err = write_error(path, "file", exc)
        if err is None:
            raise
        raise err from exc
    try:
        os.fchmod(fd, file_mode())  # mkstemp makes 0600; outputs are ordinary, shareable files
        fh = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="\n")
        with fh:
            yield fh
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and (err := write_error(path, "file", exc, tmp)) is not None:
            raise err from exc
        raise


def looks_like_output(folder: Path) -> bool:
    """Whether ``folder`` holds what ``kg build`` or ``kg views`` wrote (so it may be replaced)."""
    return any((folder / name).exists() for name in OUTPUT_MARKERS)


def file_mode() -> int:
    """The mode a plain ``open()`` would give a new file under the current umask (0644 usually)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_jsonl(results: Iterable[FileResult], out: IO[str] | str | Path) -> None:
    """Write results as JSON lines to a stream or (atomically) to a path."""
    if isinstance(out, (str, Path)):
        with atomic_writer(out) as fh:
            for line in jsonl_lines(results):
                fh.write(line + "\n")
        return
    for line in jsonl_lines(results):
        out.write(line + "\n")
