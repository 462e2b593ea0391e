"""``kg build --store``: the dataset's N-Quads into a new generation of the Oxigraph store.

A new store is filled by Oxigraph's bulk loader from the N-Quads file the build just wrote
(``Store.bulk_load``: no quad is parsed in Python), then compacted. The loader batches a
million quads per thread and holds them while it sorts, so a file given whole costs it about
1.7 GB whatever its size; the file goes in blocks of :data:`BULK_BLOCK` bytes cut at a line
end, which bounds the loader by the block (5M quads: 1.7 GB → 0.39 GB max RSS). One block is
one batch, on one thread, so two blocks are loaded at once, and the loader's IRI checks are
skipped (``lenient``): our own N-Quads (written by Oxigraph's serializer, no blank nodes, so
any line end is a safe cut) do not need them. 5M quads on a quiet machine: 45.6 s and 1.8 GB
whole, 57.7 s and 0.39 GB in blocks one at a time, 40.7 and 39.2 s and 0.77 GB two at a time.
An existing store is updated graph by graph as before (:mod:`kg.export.sparql.store`): its new
generation starts as a checkpoint of the old one, and each named graph of the file (they come
one after another) is compared with the store's and only a changed graph gets its difference,
so only one graph's quads are in memory at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: bytes of N-Quads per call of the bulk loader (about 190,000 quads)
BULK_BLOCK = 48 << 20
#: calls of the bulk loader running at once (each holds about 0.38 GB)
BULK_THREADS = 2


def _blocks(nq: Path, block: int) -> Iterator[bytes]:
    """The file ``nq`` in pieces of about ``block`` bytes, each cut after its last line end (a
    longer line waits for its end)."""
    rest = b""
    with open(nq, "rb") as fh:
        while chunk := fh.read(block):
            data = rest + chunk
            del chunk
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if cut:
                yield data[:cut]
            del data
    if rest.strip():
        yield rest


def bulk_load_blocks(store: Any, nq: Path, block: int = BULK_BLOCK, threads: int = BULK_THREADS) -> None:
    """Bulk-load the N-Quads file ``nq`` (ours: valid, no blank nodes) into ``store`` in blocks
    of about ``block`` bytes, ``threads`` calls at a time (pyoxigraph lets go of the GIL while
    it loads). A failed call stops the load and its exception is raised here."""
    import queue
    import threading

    import pyoxigraph as ox

    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=threads)
    errors: list[BaseException] = []

    def loader() -> None:
        while (data := pending.get()) is not None:
            if errors:
                continue  # drain: the reader stops at the next block
            try:
                store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS, lenient=True)
            except BaseException as exc:
                errors.append(exc)

    workers = [threading.Thread(target=loader, name=f"bulk-load-{i}", daemon=True) for i in range(threads)]
    for w in workers:
        w.start()
    try:
        for data in _blocks(nq, block):
            if errors:
                break
            pending.put(data)
    finally:
        for _ in workers:
            pending.put(None)
        for w in workers:
            w.join()
    if errors:
        raise errors[0]


def _graphs_of(nq: Path) -> Iterator[tuple[str, list[Any]]]:
    """(graph IRI, its quads) for each run of one graph in the N-Quads file, in file order."""
    import pyoxigraph as ox

    current: str | None = None
    quads: list[Any] = []
    for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS):
        g = q.graph_name.value
        if g != current:
            if current is not None:
                yield current, quads
            current, quads = g, []
        quads.append(q)
    if current is not None:
        yield current, quads


def load_store(stage: Path, nq: Path, graphs: dict[str, int], previous: Path | None = None) -> dict[str, Any]:
    """Make the store generation ``stage`` hold exactly the quads of the file ``nq`` (whose
    graphs and their sizes are ``graphs``); return what changed, as the build reports it."""
    import pyoxigraph as ox

    from kg.export.sparql.store import (
        DATA,
        FORMAT,
        MARKER,
        _ours,
        _rocksdb_errors,
        new_report,
        start_from,
        update_graphs,
    )

    graphs = {g: n for g, n in graphs.items() if n}
    report = new_report(len(graphs))
    start_from(stage, previous)
    with _rocksdb_errors(stage):
        st = ox.Store(str(stage / DATA))
        existing = {g.value for g in st.named_graphs() if isinstance(g, ox.NamedNode) and _ours(g.value)}
        if not existing:
            bulk_load_blocks(st, nq)
            st.optimize()  # compacts the fresh database: disk queries 1.5-3x faster at 1M quads
            report["added"] = len(graphs)
            report["quads_added"] = sum(graphs.values())
        else:
            update_graphs(st, _graphs_of(nq), existing, report)
        st.flush()
        del st  # close the database before the folder is swapped in
    marker = {"format": FORMAT, "graphs": len(graphs), "quads": sum(graphs.values())}
    (stage / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return report
