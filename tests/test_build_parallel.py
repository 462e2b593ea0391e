"""``kg build`` and ``kg extract`` give the same bytes whatever runs the pages: this process,
a pool of 2 processes, or a real Dask cluster of 2 worker processes (one task per page); and
whatever writes the focused views (this process or 2 forked ones)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.export import views
from kg.export.build import build
from kg.pipeline.cache import ResultCache

from .conftest import ROOT, SEED_DIR


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path: the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, and each seed again with its paragraphs reversed: 10 pages of real text,
    enough for pages to finish out of order in 2 workers."""
    d = tmp_path_factory.mktemp("pages")
    for p in sorted(SEED_DIR.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        (d / p.name).write_text(text, encoding="utf-8")
        (d / f"r{p.name}").write_text("\n\n".join(reversed(text.split("\n\n"))), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def serial(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("serial") / "out"
    report = build([str(inputs)], out=out, jobs=1, formats="all")
    assert len(report.extracted) == 10 and not report.errors
    return tree(out)


def test_two_processes_write_the_bytes_of_one(inputs: Path, serial: dict[str, str], tmp_path: Path) -> None:
    report = build([str(inputs)], out=tmp_path / "out", jobs=2, formats="all")
    assert len(report.extracted) == 10
    assert tree(tmp_path / "out") == serial
    assert {"graph.nq", "graph.ttl", "graph.trig", "graph.jsonld", "index.html"} <= set(serial)
    # more focused views than one task of the views' pool holds: 2 processes wrote them
    assert sum(1 for rel in serial if rel.startswith("entity/")) > views._CHUNK


def test_pages_served_from_the_cache_in_two_processes_write_the_same_bytes(
    inputs: Path, serial: dict[str, str], tmp_path: Path
) -> None:
    cache = ResultCache(tmp_path / "cache")
    first = build([str(inputs)], out=tmp_path / "a", jobs=2, cache=cache, formats="all")
    again = build([str(inputs)], out=tmp_path / "b", jobs=2, cache=cache, formats="all")
    assert (len(first.extracted), len(first.cached)) == (10, 0)
    assert (len(again.extracted), len(again.cached)) == (0, 10)
    assert tree(tmp_path / "a") == serial
    assert tree(tmp_path / "b") == serial


def test_the_workers_read_the_cache_and_mend_a_broken_entry(
    inputs: Path, serial: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 2 jobs the workers look their pages up in the cache (the building process decodes
    no entry: it merges every page and was the bottleneck of a cached build); an entry cut short
    is extracted again, stored whole, and the build is that of an empty cache."""
    cache = ResultCache(tmp_path / "cache")
    build([str(inputs)], out=tmp_path / "a", jobs=2, cache=cache, formats="all")
    entries = sorted((tmp_path / "cache").glob("*/*.json"))
    broken = entries[3]
    whole = broken.read_bytes()
    broken.write_bytes(whole[: len(whole) // 2])
    readers = tmp_path / "readers"
    get = ResultCache.get

    def recorded(self: ResultCache, k: str, source: object) -> object:
        with open(readers, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return get(self, k, source)  # type: ignore[arg-type]

    monkeypatch.setattr(ResultCache, "get", recorded)
    again = build([str(inputs)], out=tmp_path / "b", jobs=2, cache=cache, formats="all")
    assert (len(again.extracted), len(again.cached)) == (1, 9)
    assert broken.read_bytes() == whole
    pids = readers.read_text(encoding="utf-8").split()
    assert len(pids) == 10 and str(os.getpid()) not in pids
    assert tree(tmp_path / "b") == serial


def test_workers_store_in_the_cache_the_entries_this_process_stores(inputs: Path, tmp_path: Path) -> None:
    """With 2 jobs the workers write the cache entries of the pages they extract; the entries
    are those a serial build writes, byte for byte, and nothing is left in the temp folder."""
    build([str(inputs)], out=tmp_path / "a", jobs=1, cache=ResultCache(tmp_path / "c1"))
    build([str(inputs)], out=tmp_path / "b", jobs=2, cache=ResultCache(tmp_path / "c2"))
    one, two = tree(tmp_path / "c1"), tree(tmp_path / "c2")
    assert len([k for k in one if k.endswith(".json")]) == 10
    assert two == one
    assert not list((tmp_path / "c2" / "tmp").iterdir())


def test_a_dask_cluster_of_two_worker_processes_writes_the_same_bytes(
    inputs: Path, serial: dict[str, str], tmp_path: Path
) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.nthreads()) == 2
        report = build([str(inputs)], out=tmp_path / "out", client=client, formats="all")
    assert len(report.extracted) == 10
    assert tree(tmp_path / "out") == serial


def test_kg_extract_writes_the_same_lines_with_one_and_two_jobs(inputs: Path, tmp_path: Path) -> None:
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.jsonl"
        p = subprocess.run(
            [sys.executable, "-m", "kg", "extract", str(inputs), "--jobs", jobs, "-o", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env=dict(os.environ),
        )
        assert p.returncode == 0, p.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0].count(b"\n") == 10


def _collector_state() -> tuple[int, tuple[int, int, int], int]:
    import gc

    return gc.get_freeze_count(), gc.get_threshold(), os.getpid()


def test_a_pool_worker_keeps_what_it_inherited_out_of_garbage_collection() -> None:
    import gc

    from kg.pipeline.parallel import WORKER_GC_THRESHOLDS, pool

    before = gc.get_threshold()
    with pool(1) as workers:
        frozen, thresholds, pid = workers.submit(_collector_state).result()
    assert pid != os.getpid()
    assert frozen > 1000  # the objects it was forked with (this test session's, at least)
    assert thresholds == WORKER_GC_THRESHOLDS
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0  # this process: as it was
