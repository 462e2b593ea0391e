"""``kg.pipeline.parallel``: results in the order of the items whatever runs them, items sent to
the local pool in chunks that shrink towards the end, and a failure raised where it happened."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kg.pipeline import parallel
from kg.pipeline.parallel import Done, chunk_size, ordered_map

from .conftest import SEED_DIR


def _square(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _fails_at_13(x: int) -> int:
    if x == 13:
        raise ValueError("thirteen")
    return x


@pytest.mark.parametrize(
    ("remaining", "jobs", "expected"),
    [
        (292, 2, 8),  # many left: the largest chunk
        (64, 2, 8),
        (63, 2, 7),
        (20, 2, 2),
        (8, 2, 1),  # near the end: one item a task
        (1, 2, 1),
        (0, 2, 1),
        (20, 1, 5),
        (10_000, 4, 8),
    ],
)
def test_chunk_size(remaining: int, jobs: int, expected: int) -> None:
    assert chunk_size(remaining, jobs) == expected


class _CountingPool:
    """The real pool, counting the tasks submitted to it."""

    def __init__(self, jobs: int) -> None:
        self.inner = _real_pool(jobs)
        self.tasks = 0

    def submit(self, fn: Any, *args: Any) -> Any:
        self.tasks += 1
        return self.inner.submit(fn, *args)

    def shutdown(self, *args: Any, **kwargs: Any) -> None:
        self.inner.shutdown(*args, **kwargs)

    def __enter__(self) -> _CountingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.__exit__(*exc)


_real_pool = parallel.pool


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[_CountingPool]:
    made: list[_CountingPool] = []

    def make(jobs: int) -> _CountingPool:
        made.append(_CountingPool(jobs))
        return made[-1]

    monkeypatch.setattr(parallel, "pool", make)
    return made


def test_chunks_keep_the_order_of_the_items_with_done_items_among_them(counting: list[_CountingPool]) -> None:
    items: list[Any] = [Done(("done", k)) if k % 17 == 5 else k for k in range(200)]
    got = list(ordered_map(_square, items, jobs=2, total=len(items)))
    expected = [x.value if isinstance(x, Done) else (x * x) for x in items]
    assert [g if isinstance(x, Done) else g[0] for g, x in zip(got, items, strict=True)] == expected
    assert all(g[1] != os.getpid() for g, x in zip(got, items, strict=True) if not isinstance(x, Done))
    sent = sum(1 for x in items if not isinstance(x, Done))
    assert counting[0].tasks < sent / 3  # chunks, not one task an item


def test_without_a_total_each_item_is_a_task(counting: list[_CountingPool]) -> None:
    got = [g[0] for g in ordered_map(_square, iter(range(30)), jobs=2)]
    assert got == [k * k for k in range(30)]
    assert counting[0].tasks == 30


def test_a_failure_in_a_chunk_comes_after_the_results_before_it() -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="thirteen") as info:
        for r in ordered_map(_fails_at_13, range(100), jobs=2, total=100):
            got.append(r)
    assert got == list(range(13))
    assert any("in the worker" in note and "_fails_at_13" in note for note in info.value.__notes__)


def test_chunked_extraction_gives_the_lines_of_one_process(tmp_path: Path) -> None:
    """40 pages of real text (the seeds, and each with its paragraphs in other orders): enough
    for chunks of several pages; the JSON lines are those of one process, in input order."""
    from kg.export.jsonl import jsonl_line
    from kg.pipeline import iter_pages

    for p in sorted(SEED_DIR.glob("*.txt")):
        paras = p.read_text(encoding="utf-8").split("\n\n")
        for k in range(8):
            (tmp_path / f"{k}{p.name}").write_text("\n\n".join(paras[k:] + paras[:k]), encoding="utf-8")
    assert chunk_size(40, 2) == 5

    def lines(jobs: int) -> list[str]:
        pages = iter_pages([str(tmp_path)], jobs=jobs, page_work=jsonl_line, results=False)
        return [p.extra for p in pages]

    one = lines(1)
    assert len(one) == 40 and all(line.startswith('{"file": ') for line in one)
    assert lines(2) == one
