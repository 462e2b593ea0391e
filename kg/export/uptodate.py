"""A ``kg build`` with nothing changed does nothing: the previous OUT (and store) stand.

A build's outputs are a function of its input files (their bytes and the names they are
found under), its options and the code (the package's files, its ontology and the versions
of the libraries it runs). :func:`build_key` hashes all of that in one pass over the inputs
(34 MB of pages: a fraction of a second), before anything is extracted. After a build, the
key is recorded in the cache (``builds/``), with the identity of the folders it wrote: their
inode and modification time, and those of ``entity/`` and ``summary.json``. The next build
with the same key, whose folders are still those (not replaced, not edited, no entity page
removed), leaves them untouched and reports from their ``summary.json``: a no-change
re-run costs reading the inputs, not writing gigabytes of the same bytes again.
``--no-cache`` always builds.

A build that does run (a page added or edited) makes most pages' output as the last one did:
a page's named graph and its article pages are a function of its result (its cache key) and
the code. The record keeps, per page, its cache key, where its bytes are in each of OUT's
files and a digest of them (:class:`PriorPage`); with the same code and formats, a page of
the same key is copied from the last OUT, the bytes checked against the digest, instead of
rendered again (:func:`kg.export.build.copy_page`, in the worker that has the page).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

#: bump when what the key covers changes
FORMAT = "1"
#: the article pages a build writes into OUT (:func:`kg.export.views.data.article_filename`)
_ARTICLE_PAGE = re.compile(r"article/[0-9a-f]{16}\.html")


@cache
def _code_fingerprint() -> str:
    """Every file of the package (code, rules, data, view assets) and the ontology, the
    extraction fingerprint (it names the tokenizer in use) and the versions of Python and of
    every dependency: whatever can change a byte of the outputs."""
    from importlib.metadata import PackageNotFoundError, requires, version

    from kg.paths import ontology_dir, package_dir
    from kg.pipeline.cache import code_fingerprint

    h = hashlib.sha256(f"{FORMAT}\n{sys.version}\n{code_fingerprint()}\n".encode())
    try:
        deps = sorted({_dist_name(r) for r in requires("safety-kg") or []})
    except PackageNotFoundError:
        deps = []
    for dist in deps:
        try:
            h.update(f"{dist}=={version(dist)}\n".encode())
        except PackageNotFoundError:
            h.update(f"{dist}==?\n".encode())
    pkg, onto = package_dir(), ontology_dir()
    roots = [(pkg, "kg")] + ([(onto, "ontology")] if not onto.is_relative_to(pkg) else [])
    for root, label in roots:
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                h.update(f"{label}/{p.relative_to(root).as_posix()}\n".encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def _dist_name(requirement: str) -> str:
    import re

    return re.split(r"[\s;\[<>=!~(]", requirement, maxsplit=1)[0].lower()


def build_key(inputs: Sequence[str], options: Mapping[str, Any], max_bytes: int | None = None) -> str:
    """The hash of everything a build's outputs depend on: the input files as the build will
    find them (names, bytes; a file over ``max_bytes`` by its size alone, it is refused
    unread), the inputs that cannot be found, ``options`` and the code."""
    from kg.ingest.files import display_path, find_files, max_file_size

    limit = max_file_size() if max_bytes is None else max_bytes
    h = hashlib.sha256(_code_fingerprint().encode())
    h.update(json.dumps(dict(options), sort_keys=True, default=str).encode())
    h.update(f"\nlimit={limit}\n".encode())
    paths, errors = find_files(list(inputs))
    for e in errors:
        h.update(f"missing {e}\n".encode("utf-8", "surrogateescape"))
    for p in paths:
        h.update(f"file {display_path(p)}\n".encode())
        try:
            st = os.stat(p)
            if st.st_size > limit:
                h.update(f"over {st.st_size}\n".encode())
                continue
            d = hashlib.sha256()
            with open(p, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    d.update(chunk)
            h.update(d.digest())
        except OSError as exc:
            h.update(f"unreadable {exc.errno}\n".encode())
    return h.hexdigest()


class PriorPage(NamedTuple):
    """Where the last build into OUT wrote one page's output, and what it was made from."""

    key: str  # the page's cache key (its extraction's inputs)
    quads: int
    ranges: dict[str, tuple[int, int]]  # format → (offset, length) in OUT's file of that format
    articles: tuple[str, ...]  # its article pages, relative to OUT
    digest: str  # kg.export.build.output_digest of those bytes


def _folder_id(folder: Path) -> list[int] | None:
    """What changes when ``folder`` is replaced or edited: its inode and modification time,
    and those of ``entity/`` and ``summary.json`` in it."""
    out: list[int] = []
    for p in (folder, folder / "entity", folder / "summary.json"):
        try:
            st = os.stat(p, follow_symlinks=False)
        except FileNotFoundError:
            out += [0, 0, 0]
            continue
        except OSError:
            return None
        out += [st.st_dev, st.st_ino, st.st_mtime_ns]
    return out


class BuildRecord:
    """The key of the last build into given folders, in the cache folder ``root``."""

    def __init__(self, root: Path, out: Path | None, store: Path | None) -> None:
        self.out, self.store = out, store
        where = "\n".join(str(p.resolve()) if p is not None else "-" for p in (out, store))
        self.path = root / "builds" / (hashlib.sha256(where.encode()).hexdigest()[:32] + ".json")

    def _ids(self) -> list[Any]:
        return [_folder_id(p) if p is not None else None for p in (self.out, self.store)]

    def unchanged(self, key: str) -> dict[str, Any] | None:
        """The summary of the last build when it had ``key`` and its folders are as it left
        them; else None."""
        try:
            rec = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        ids = self._ids()
        targets = [i for i, p in zip(ids, (self.out, self.store), strict=True) if p is not None]
        if rec.get("key") != key or rec.get("ids") != ids:
            return None
        if any(i is None or not i[1] for i in targets):  # unreadable, or not there any more
            return None
        summary_at = self.out / "summary.json" if self.out is not None else None
        try:
            summary = rec["summary"] if summary_at is None else json.loads(summary_at.read_bytes())
        except (OSError, ValueError, KeyError):
            return None
        return summary if isinstance(summary, dict) else None

    def prior_pages(self, options: Mapping[str, Any]) -> dict[str, PriorPage]:
        """The pages the last build wrote into OUT (:class:`PriorPage` by page name), when it
        ran this code with these output ``options``; else none."""
        try:
            rec = json.loads(self.path.read_text(encoding="utf-8"))
            outputs = rec.get("outputs") or {}
            if outputs.get("code") != _code_fingerprint() or outputs.get("options") != json.loads(
                json.dumps(dict(options), sort_keys=True)
            ):
                return {}
            pages = {
                name: PriorPage(k, int(n), {f: (int(o), int(ln)) for f, (o, ln) in r.items()}, tuple(a), d)
                for name, (k, n, r, a, d) in outputs.get("pages", {}).items()
            }
        except (OSError, ValueError, TypeError, AttributeError):
            return {}
        # only article pages are linked from the last OUT: a record that names another path
        # (``../``, an absolute one) is not followed out of OUT
        return {n: p for n, p in pages.items() if all(_ARTICLE_PAGE.fullmatch(a) for a in p.articles)}

    def record(
        self,
        key: str,
        summary: dict[str, Any],
        pages: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        """Remember ``key`` for the folders as they are now, and where the build wrote each
        of ``pages`` with these output ``options`` (an unwritable cache is no error)."""
        ids = self._ids()
        data: dict[str, Any] = {"key": key, "ids": ids, "summary": summary if self.out is None else None}
        if pages:
            data["outputs"] = {"code": _code_fingerprint(), "options": dict(options or {}), "pages": pages}
        import tempfile

        from kg.pipeline.cache import _temp_prefix, sweep_temps

        tmpdir = self.path.parent.parent / "tmp"  # the cache's: the next run sweeps a killed one's
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmpdir.mkdir(exist_ok=True)
            sweep_temps(tmpdir)
            fd, tmp = tempfile.mkstemp(dir=tmpdir, prefix=_temp_prefix(), suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh, ensure_ascii=False)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass
