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
An existing store is updated graph by graph (:mod:`kg.export.sparql.store`): its new
generation starts as a checkpoint of the old one. Each named graph's bytes in the file (they
come one after another, at the ranges the writer noted) get a SHA-256, kept beside the store;
a graph whose digest is the one the last build kept is left unread, and only the others are
parsed and compared with the store's, one at a time, a changed one getting its difference.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
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


def nq_digests(nq: Path, ranges: Mapping[str, tuple[int, int]]) -> dict[str, str]:
    """The SHA-256 of each graph's bytes in the N-Quads file ``nq`` (graph IRI → (offset,
    length), as :class:`kg.export.rdf.stream.DatasetWriter` wrote them), read in file order."""
    out: dict[str, str] = {}
    with open(nq, "rb") as fh:
        fd = fh.fileno()
        for g, (off, length) in sorted(ranges.items(), key=lambda kv: kv[1]):
            h = hashlib.sha256()
            end = off + length
            while off < end:
                chunk = os.pread(fd, min(end - off, 1 << 22), off)
                if not chunk:
                    raise OSError(f"{nq} ends inside the graph {g}")
                h.update(chunk)
                off += len(chunk)
            out[g] = h.hexdigest()
    return out


def _graphs_at(
    nq: Path, ranges: Mapping[str, tuple[int, int]], names: Iterable[str]
) -> Iterator[tuple[str, list[Any]]]:
    """(graph IRI, its quads parsed from its bytes in ``nq``) for each of ``names``, one at a time."""
    import pyoxigraph as ox

    with open(nq, "rb") as fh:
        for g in names:
            off, length = ranges[g]
            data = os.pread(fh.fileno(), length, off)
            quads = list(ox.parse(input=data, format=ox.RdfFormat.N_QUADS))
            del data
            yield g, quads


def load_store(
    stage: Path,
    nq: Path,
    graphs: Mapping[str, int],
    ranges: Mapping[str, tuple[int, int]],
    previous: Path | None = None,
) -> dict[str, Any]:
    """Make the store generation ``stage`` hold exactly the quads of the file ``nq`` (whose
    graphs, their sizes and their places in the file are ``graphs`` and ``ranges``); return
    what changed, as the build reports it.

    Each graph's bytes get a SHA-256 (:func:`nq_digests`), kept beside the store
    (:data:`~kg.export.sparql.store.DIGESTS`). Updating the ``previous`` store, a graph whose
    digest is the one kept is left without reading it from either side: a build with one
    page edited compares and rewrites that page's graph and the corpus-wide graphs only."""
    import pyoxigraph as ox

    from kg.export.sparql.store import (
        DATA,
        DIGESTS,
        FORMAT,
        MARKER,
        _ours,
        _rocksdb_errors,
        graph_digests,
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
            from concurrent.futures import ThreadPoolExecutor

            # hashlib lets go of the GIL: the digests are taken while the loader runs
            with ThreadPoolExecutor(1, thread_name_prefix="nq-digests") as pool:
                hashing = pool.submit(nq_digests, nq, ranges)
                bulk_load_blocks(st, nq)
                digests = hashing.result()
            st.optimize()  # compacts the fresh database: disk queries 1.5-3x faster at 1M quads
            report["added"] = len(graphs)
            report["quads_added"] = sum(graphs.values())
        else:
            digests = nq_digests(nq, ranges)
            kept = graph_digests(previous)
            same = {g for g in graphs if g in existing and kept.get(g) == digests[g]}
            report["unchanged"] += len(same)
            todo = [g for g in graphs if g not in same]
            update_graphs(st, _graphs_at(nq, ranges, todo), existing - same, report)
        st.flush()
        del st  # close the database before the folder is swapped in
    marker = {"format": FORMAT, "graphs": len(graphs), "quads": sum(graphs.values())}
    (stage / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    kept_now = {"format": FORMAT, "graphs": dict(sorted(digests.items()))}
    (stage / DIGESTS).write_text(json.dumps(kept_now, indent=1) + "\n", encoding="utf-8")
    return report
