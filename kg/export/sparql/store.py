"""The embedded persistent store: an Oxigraph (RocksDB) database behind the same queries.

A store folder holds ``oxigraph/`` (the database) and ``kg-store.json`` (a marker with
counts). ``kg build --store DIR`` writes the dataset into it graph by graph: a graph whose
quads are unchanged is left alone, a changed graph gets only its difference (removed and added
quads), graphs that are no longer built (a page that left the corpus) are dropped. So a
changed page rewrites its own page graph plus the entity and relation triples that changed
with it, and nothing else. Queries read the store without loading it into memory.

The live store is never written: the update goes into a new generation beside it
(:mod:`kg.export.staging`), which starts as a RocksDB checkpoint of the current database (hard links
to its immutable files, so it costs little), gets the difference, and is swapped in whole.
So a store is wholly old or wholly new after a crash at any moment, and a reader never sees
half an update.
"""

from __future__ import annotations

import errno
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError
from kg.namespace import KGG

if TYPE_CHECKING:
    from kg.export.staging import Replacement

MARKER = "kg-store.json"
DATA = "oxigraph"
FORMAT = 1
#: the SHA-256 of each named graph's N-Quads as the build that wrote the store wrote them
#: (``kg build --store``): the next build leaves a graph whose bytes are the same unread
DIGESTS = "kg-store-graphs.json"


def is_store(path: str | Path) -> bool:
    """True when ``path`` is a store folder written by ``kg build --store``."""
    return (Path(path) / MARKER).is_file()


def open_store(path: str | Path, read_only: bool = True) -> Any:
    """Open the Oxigraph database of a store folder (read-only by default)."""
    import pyoxigraph as ox

    path = Path(path)
    if not is_store(path):
        raise UsageError(
            f"{path} is not a safety-kg store (no {MARKER}); build one with kg build --store {path}"
        )
    try:
        if read_only:
            return ox.Store.read_only(str(path / DATA))
        return ox.Store(str(path / DATA))
    except OSError as exc:
        raise UsageError(f"cannot open the store {path}: {exc}") from exc


def _ours(graph: str) -> bool:
    return graph.startswith(str(KGG))


def _owned(rel: str) -> bool:
    return rel in (DATA, MARKER, f".{MARKER}.tmp", DIGESTS)


def graph_digests(path: Path | None) -> dict[str, str]:
    """The digests of the graphs of the store at ``path`` (:data:`DIGESTS`): graph IRI →
    SHA-256 of its N-Quads; empty when the store has none or they are not ours (a store
    written from quads in memory, an older format, a file edited into something else)."""
    if path is None:
        return {}
    try:
        data = json.loads((path / DIGESTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("graphs"), dict):
        return {}
    return {
        g: d
        for g, d in data["graphs"].items()
        if isinstance(d, str) and len(d) == 64 and all(c in "0123456789abcdef" for c in d)
    }


def store_replacement(path: str | Path) -> Replacement:
    """The store folder ``path`` as a folder replaced whole by each update (:mod:`kg.export.staging`)."""
    from kg.export.staging import Replacement

    return Replacement(
        Path(path),
        owned=_owned,
        recognise=is_store,
        what="store",
        foreign=f"{path} exists and is not a safety-kg store; give an empty or new folder",
    )


def update_store(path: Path, quads: Sequence[Any]) -> dict[str, Any]:
    """Make the store at ``path`` hold exactly ``quads`` (kg.export.rdf.quads), rewriting only changes."""
    from kg.export.staging import replacing

    with replacing(store_replacement(path)) as (stage,):
        return write_store(stage, quads, previous=Path(path))


def write_store(stage: Path, quads: Sequence[Any], previous: Path | None = None) -> dict[str, Any]:
    """Write the store of ``quads`` into the new generation ``stage``.

    When ``previous`` is a store, ``stage`` starts as its checkpoint and gets only the
    graphs that changed; else the quads are bulk-loaded and the database compacted.
    """
    import pyoxigraph as ox

    start_from(stage, previous)
    with _rocksdb_errors(stage):
        return _write(ox.Store(str(stage / DATA)), stage, quads)


def start_from(stage: Path, previous: Path | None) -> None:
    """Start the new generation ``stage`` as a checkpoint of ``previous`` when that is a store
    (so only changed graphs are written into it); otherwise leave ``stage`` empty."""
    import pyoxigraph as ox

    if previous is None or not is_store(previous):
        return
    try:
        old_store = ox.Store.read_only(str(previous / DATA))
    except OSError as exc:
        raise UsageError(f"cannot read the store {previous}: {exc}; rebuild it into a new folder") from exc
    with _rocksdb_errors(stage):
        old_store.backup(str(stage / DATA))
    del old_store


@contextmanager
def _rocksdb_errors(stage: Path) -> Iterator[None]:
    """RocksDB's I/O errors carry their cause only in the text ("IO error: No space left on
    device: …"); give them the errno, so that a full or read-only disk is a one-line error."""
    try:
        yield
    except OSError as exc:
        if exc.errno is None:
            for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO):
                if os.strerror(code) in str(exc):
                    raise OSError(code, os.strerror(code), str(stage)) from exc
        raise


def _write(st: Any, stage: Path, quads: Sequence[Any]) -> dict[str, Any]:
    import pyoxigraph as ox

    from kg.export.rdf.serialize import to_oxigraph

    by_graph: dict[str, list[Any]] = defaultdict(list)
    for q in to_oxigraph(quads):
        by_graph[q.graph_name.value].append(q)
    existing = {g.value for g in st.named_graphs() if isinstance(g, ox.NamedNode) and _ours(g.value)}
    report = new_report(len(by_graph))
    if not existing:
        st.bulk_extend(q for qs in by_graph.values() for q in qs)
        st.optimize()  # compacts the fresh database: disk queries 1.5-3x faster at 1M quads
        report["added"] = len(by_graph)
        report["quads_added"] = sum(len(qs) for qs in by_graph.values())
    else:
        update_graphs(st, by_graph.items(), existing, report)
    st.flush()
    del st  # close the database before the folder is swapped in
    total = sum(len(qs) for qs in by_graph.values())
    marker = {"format": FORMAT, "graphs": len(by_graph), "quads": total}
    (stage / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return report


def new_report(graphs: int) -> dict[str, Any]:
    """The counts a store update reports, all zero, for a dataset of ``graphs`` graphs."""
    names = ("unchanged", "changed", "added", "removed", "quads_added", "quads_removed")
    return {"graphs": graphs} | dict.fromkeys(names, 0)


def update_graphs(
    st: Any, graphs: Iterable[tuple[str, Sequence[Any]]], existing: set[str], report: dict[str, Any]
) -> None:
    """Make the store ``st`` (whose graphs of ours are ``existing``) hold exactly ``graphs``
    (graph IRI, its quads; one graph at a time, so only its quads are in memory): a new graph is
    added, a changed one gets its difference, an unchanged one is left, and a graph of ours
    not among them is removed. Counts go into ``report`` (:func:`new_report`).

    The store's quads of a graph are streamed past the new ones, not gathered: at 10,000
    pages the relation graph is millions of quads, and holding it twice (old and new) made
    the update the build's peak (3 GB)."""
    import pyoxigraph as ox

    seen: set[str] = set()
    for g, qs in graphs:
        seen.add(g)
        new = set(qs)
        if g not in existing:
            st.extend(qs)
            report["added"] += 1
            report["quads_added"] += len(new)
            continue
        kept = 0
        removed: list[Any] = []
        for q in st.quads_for_pattern(None, None, None, ox.NamedNode(g)):
            if q in new:
                kept += 1
            else:
                removed.append(q)
        if not removed and kept == len(new):
            report["unchanged"] += 1
            continue
        report["changed"] += 1
        added = [q for q in qs if q not in st] if kept < len(new) else []
        for q in removed:
            st.remove(q)
        if added:
            st.extend(added)
        report["quads_removed"] += len(removed)
        report["quads_added"] += len(added)
    for g in sorted(existing - seen):
        n = sum(1 for _ in st.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        st.remove_graph(ox.NamedNode(g))
        report["removed"] += 1
        report["quads_removed"] += n
