"""How the focused views are split between forked processes: chunks weighed by what their
views read (a hub alone or nearly), run heaviest first beside light ones; and the lookups the
views read instead of scanning a hub's neighbours (ViewIndex.prepare) give the same answers."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.corpus import Corpus
from kg.export.views import _CHUNK, _fork_each, focus_chunks, heavy_first
from kg.export.views.data import ViewIndex, type_rank
from kg.model import Article, Entity, Evidence, Relation


def _corpus(places: int, hub_targets: int) -> Corpus:
    """``places`` counties, each in one province, the first ``hub_targets`` of them targeting
    one industry (the hub) and taking one measure, stated in one dated article each."""
    c = Corpus()
    prov = Entity("Place", "某某省", (), (("level", "province"),))
    hub = Entity("Industry", "危险化学品")
    measure = Entity("Measure", "隐患排查")
    for e in (prov, hub, measure):
        c.entities[e.id] = e
    for i in range(places):
        p = Entity("Place", f"第{i:04d}县", (), (("level", "county"),))
        c.entities[p.id] = p
        aid = f"page{i}.txt#0"
        c.articles[aid] = Article(
            aid, f"page{i}.txt", 0, f"标题{i}", 0, 40, (), date=f"2025-03-{i % 28 + 1:02d}"
        )
        ev = Evidence(f"page{i}.txt", aid, 0, 20, f"第{i:04d}县开展危险化学品隐患排查")
        rels = [Relation(p.id, "locatedIn", prov.id, (ev,))]
        if i < hub_targets:
            rels += [
                Relation(p.id, "targets", hub.id, (ev,)),
                Relation(p.id, "takesMeasure", measure.id, (ev,)),
            ]
        for r in rels:
            c.relations[r.key] = r
    return c


def test_chunks_cover_every_entity_in_order_and_a_hub_shares_its_process_with_few() -> None:
    ix = ViewIndex.build(_corpus(places=1200, hub_targets=600))
    ix.prepare()
    ids = [e.id for e in ix.entities]
    chunks, weights = focus_chunks(ix, ids)
    assert [x for ch in chunks for x in ch] == ids
    assert len(weights) == len(chunks) and all(len(ch) <= _CHUNK for ch in chunks)
    where = {x: ch for ch in chunks for x in ch}
    # the province (a roll-up of 1,200 counties) and the industry (600 actors) are hubs
    assert len(where["Place:某某省"]) < 10
    assert len(where["Industry:危险化学品"]) < 10
    # counties alone fill whole chunks
    assert max(len(ch) for ch in chunks) == _CHUNK


def test_heavy_chunks_run_first_each_beside_light_ones() -> None:
    weights = [5, 100, 6, 7, 90, 4, 80, 3]
    order = heavy_first(weights)
    assert sorted(order) == list(range(len(weights)))
    heavy = {i for i, w in enumerate(weights) if w > sorted(weights)[len(weights) // 2]}
    assert order[0] == 1  # the heaviest first
    # never two heavy chunks one after the other while light ones are left
    assert not any(a in heavy and b in heavy for a, b in itertools.pairwise(order))
    assert heavy_first([]) == []


def test_prepared_lookups_answer_as_the_scans_did() -> None:
    ix = ViewIndex.build(_corpus(places=300, hub_targets=120))
    ix.prepare()
    ids = [e.id for e in ix.entities]
    # the ranks made once give the order the key gave: most connected, then type, then name
    by_key = sorted(ids, key=lambda i: (-ix.degree[i], type_rank(i.partition(":")[0]), ix.entity(i).name))
    assert ix.by_degree() == by_key
    assert by_key[:2] == ["Place:某某省", "Industry:危险化学品"]
    assert ix.by_degree(by_key[::-3]) == by_key[::-3][::-1]
    assert ix.date_of("page3.txt#0") == "2025-03-04" and ix.date_of("nowhere#0") == ""
    assert ix.dates_of("Industry:危险化学品") == sorted({f"2025-03-{i % 28 + 1:02d}" for i in range(120)})
    hub = "Industry:危险化学品"
    assert ix.in_by["targets"][hub] == [r for r in ix.by_entity[hub] if r.p == "targets" and r.o == hub]
    first = "Place:第0000县"
    assert ix.out_by["takesMeasure"][first] == [r for r in ix.outgoing[first] if r.p == "takesMeasure"]


# -- the processes that write them: reused until what they copied passes a budget ------------


def _record(folder: Path, grow: int = 0) -> Callable[[list[str]], None]:
    """A chunk's work: note which process wrote it (and copy ``grow`` bytes of fresh memory)."""

    def work(chunk: list[str]) -> None:
        if grow:
            _KEEP.append(bytearray(b"x" * grow))  # written, so private to the process
        (folder / chunk[0]).write_text(str(os.getpid()))

    return work


_KEEP: list[bytearray] = []


def _writers(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir()}


@pytest.mark.parametrize(
    ("budget", "grow", "most", "least"),
    [
        (1 << 40, 0, 2, 1),  # under the budget: two processes take all ten chunks
        (0, 0, 10, 10),  # no budget: one process per chunk, as before
        (64 << 20, 40 << 20, 6, 5),  # past the budget every second chunk: two each (one at the end)
    ],
)
def test_focus_processes_take_chunks_until_their_copy_passes_the_budget(
    tmp_path: Path, budget: int, grow: int, most: int, least: int
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("forked view processes are Linux only")
    chunks = [[f"c{i}"] for i in range(10)]
    _fork_each(_record(tmp_path, grow), chunks, 2, order=list(range(9, -1, -1)), budget=budget)
    writers = _writers(tmp_path)
    assert set(writers) == {f"c{i}" for i in range(10)}  # each chunk written, once
    assert os.getpid() not in {int(p) for p in writers.values()}
    assert least <= len(set(writers.values())) <= most


def _fail_on(folder: Path, name: str, how: str) -> Callable[[list[str]], None]:
    def work(chunk: list[str]) -> None:
        (folder / chunk[0]).write_text(str(os.getpid()))
        if chunk[0] == name:
            if how == "raise":
                raise PermissionError(1, "Operation not permitted", "entity/x.html")
            os._exit(3)  # dies without a word

    return work


@pytest.mark.parametrize(
    ("how", "error", "match"),
    [("raise", PermissionError, "not permitted"), ("die", RuntimeError, "ended with")],
)
def test_a_focus_process_that_fails_or_dies_fails_the_views_and_leaves_no_process(
    tmp_path: Path, how: str, error: type[BaseException], match: str
) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("forked view processes are Linux only")
    import gc

    chunks = [[f"c{i}"] for i in range(12)]
    with pytest.raises(error, match=match):
        _fork_each(_fail_on(tmp_path, "c3", how), chunks, 2, budget=1 << 40)
    assert gc.get_freeze_count() == 0  # unfrozen again
    pids = {int(pid) for pid in _writers(tmp_path).values()}
    assert "c3" in _writers(tmp_path) and len(pids) >= 2
    for pid in pids:  # every process it forked reaped (no longer a child of this one)
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


# (limit, (faulted, written) after each chunk) → (passed after each chunk, smaps reads)
COPY_BUDGETS = [
    (100, [(10, 5), (50, 40), (100, 90)], [False, False, False], 0),  # faults never pass it: no read
    (100, [(150, 60), (180, 70), (200, 110)], [False, False, True], 2),  # 60 written: next read at 190
    (100, [(120, 101)], [True], 1),
    (100, [(150, 60), (170, 99), (400, 99), (410, 101)], [False, False, False, True], 3),
]


@pytest.mark.parametrize(("limit", "steps", "passed", "reads"), COPY_BUDGETS)
def test_copy_budget_reads_smaps_only_when_the_faults_say_the_limit_may_be_passed(
    limit: int, steps: list[tuple[int, int]], passed: list[bool], reads: int
) -> None:
    """The answers are those of reading Private_Dirty after every chunk (written > limit),
    with a read only where the pages faulted in since the last one could have passed it."""
    from kg.export.views import CopyBudget

    step = iter(steps)
    now: list[tuple[int, int]] = []
    read: list[int] = []

    def faulted() -> int:
        now[:] = [next(step)]
        return now[0][0]

    def private() -> int:
        read.append(now[0][1])
        return now[0][1]

    budget = CopyBudget(limit, faulted, private)
    got = [budget.passed() for _ in steps]
    assert got == passed == [w > limit for _f, w in steps]
    assert len(read) == reads
