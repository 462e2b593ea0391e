"""HTML views of a corpus that an analyst opens in a browser, offline.

``write_views(corpus, out_dir)`` writes, all derived from the one Corpus:

- ``index.html``: counts, sortable tables of every type, heat maps of places × campaigns,
  industries, venues, hazards, mechanisms and measures (filter by city, roll-up into
  cities), CSV downloads, a search over names and aliases; the tables' rows are in
  ``index/<type>.js`` (paged in the browser, so the page stays small at 100k entities);
- ``overview.html``: the whole graph (or its most connected part above
  ``max_overview_nodes``, with a notice) with legend, filters, ready-made views (places ×
  campaigns, places × industries), search with suggestions, labels on the hubs, a side panel;
- ``entity/<type>-<hash>.html``: a focused view per entity (with a place's roll-up of what
  is within it and a term's of narrower terms);
- ``article/<hash>.html``: a page per article (when the corpus holds the page texts): its
  text with every mention linked to its entity's view and every evidence span highlighted,
  anchored ``#ev-<start>-<end>``; every quoted sentence of the other views links there;
- ``resolve.html``: ``resolve.html#<IRI>`` opens what an IRI of a query result names (an
  evidence span its article at the span, an entity its view), from its table in shards
  ``resolve/<hex>.js`` (loaded one at a time, so the page stays small at 100k entities);
- ``assets/``: vis-network (from pyvis), scripts, styles, licences.

No page requests anything outside its folder. Output is deterministic (the same
corpus gives byte-identical files). ``write_views`` replaces the views of a folder as a
whole (:mod:`kg.export.staging`): a reader or a crash sees all old or all new pages, never a mix;
``render_views`` writes them into a fresh folder (``kg build`` writes the views and the RDF
into one new generation of OUT).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.corpus import Corpus

#: Above this many entities the overview draws only the most connected ones.
DEFAULT_MAX_OVERVIEW_NODES = 1500

_PAGE_NAME = re.compile(r"^[a-z]+-[0-9a-f]{16}\.html$")
_ARTICLE_NAME = re.compile(r"^[0-9a-f]{16}\.html$")
_INDEX_DATA = re.compile(r"^[a-z0-9]+\.js$")
#: the folders of pages the views write (replaced whole, the user's files in them kept)
VIEW_FOLDERS = frozenset({"entity", "article", "index", "resolve"})


#: top-level files the views write (besides entity/ and assets/)
VIEW_FILES = ("index.html", "overview.html", "resolve.html")
#: temp files an interrupted write of older versions left (``.index.html.x1y2z3.tmp``)
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")


def owns_view(rel: str) -> bool:
    """Whether the views write the entry ``rel`` (a relative path) of an output folder.

    ``assets/`` is ours whole; in ``entity/``, ``article/``, ``index/`` and ``resolve/`` only the
    pages and the data files are (and temp files), so a file the user put there is kept.
    """
    top, _, rest = rel.partition("/")
    if top == "assets" or (not rest and (rel in VIEW_FILES or _TEMP_NAME.match(rel))):
        return True
    if top == "article" and rest and _ARTICLE_NAME.match(rest):
        return True
    if top in ("index", "resolve") and rest and _INDEX_DATA.match(rest):
        return True
    return top in VIEW_FOLDERS and bool(rest) and bool(_PAGE_NAME.match(rest) or _TEMP_NAME.match(rest))


def write_views(
    corpus: Corpus,
    out_dir: str | Path,
    *,
    max_overview_nodes: int = DEFAULT_MAX_OVERVIEW_NODES,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Replace the views in ``out_dir`` (index, overview, focused views, assets) at once;
    return the paths written.

    Other files of the folder (the RDF of ``kg build``, files of the user's) are kept;
    focused views of entities no longer in the corpus are gone.
    """
    from kg.export.staging import looks_like_output, replace_folder

    if max_overview_nodes < 1:
        raise ValueError("max_overview_nodes must be at least 1")
    out = Path(out_dir)
    with replace_folder(out, owned=owns_view, recognise=looks_like_output, folders=VIEW_FOLDERS) as stage:
        rels = render_views(
            corpus, stage, max_overview_nodes=max_overview_nodes, progress=progress, previous=out
        )
    return [out / r for r in rels]


def render_views(
    corpus: Corpus,
    folder: Path,
    *,
    max_overview_nodes: int = DEFAULT_MAX_OVERVIEW_NODES,
    progress: Callable[[str], None] | None = None,
    previous: Path | None = None,
    jobs: int = 1,
    articles_written: bool = False,
) -> list[str]:
    """Write the views into ``folder`` (a new generation); return relative paths. A page
    whose bytes are those of the same page in ``previous`` (the old generation) is
    hard-linked from it rather than written again. The focused views (one per entity: most
    of the time at scale) are written by ``jobs`` processes, forked once the index is built
    so they share it; each page is a function of the index alone, so the bytes are the same.
    With ``articles_written`` the article pages are in ``folder`` already (``kg build`` writes
    each page's as the page comes back: :func:`kg.export.views.article.page_articles`) and
    the other views link to those."""
    from kg.export.staging import write_file
    from kg.export.views.article import render_article
    from kg.export.views.assets import asset_files
    from kg.export.views.data import TERM_TYPES, ViewIndex
    from kg.export.views.index import index_data_files, render_index
    from kg.export.views.overview import render_overview
    from kg.export.views.resolve import render_resolve, resolve_data_files

    if max_overview_nodes < 1:
        raise ValueError("max_overview_nodes must be at least 1")
    written: list[str] = []

    def put(rel: str, content: str | bytes) -> None:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        write_file(path, data, previous / rel if previous is not None else None)
        written.append(rel)

    ix = ViewIndex.build(corpus, folder=folder if articles_written else None)
    for name, blob in asset_files().items():
        put(f"assets/{name}", blob)
    if progress:
        progress("index.html")
    put("index.html", render_index(ix))
    for rel, text in index_data_files(ix):  # one type's rows at a time
        put(rel, text)
    if progress:
        progress("overview.html")
    put("overview.html", render_overview(ix, max_nodes=max_overview_nodes))
    put("resolve.html", render_resolve(ix))
    for rel, text in resolve_data_files(ix):
        put(rel, text)
    if progress:
        progress(f"{len(ix.entities)} focused views")
    ids = [e.id for e in ix.entities]
    (folder / "entity").mkdir(parents=True, exist_ok=True)
    ix.prepare()
    chunks, weights = focus_chunks(ix, ids)
    global _FOCUS
    _FOCUS = (ix, folder, previous)
    try:
        if jobs > 1 and len(chunks) > 1 and sys.platform.startswith("linux"):
            # terms' views (their roll-ups and their actors' measures) read much of the index: in
            # a forked process a chunk of them would copy it (0.9-1.2 GB at 10,000 pages), so this
            # process writes them itself, with no process forked beside it; the rest is forked
            # (terms are few: 82 at 10,000 pages; places roll up too, but they are thousands)
            hub = [any(ix.entity(eid).type in TERM_TYPES for eid in chunk) for chunk in chunks]
            forked = [i for i in heavy_first(weights) if not hub[i]]
            _fork_each(_write_focus, chunks, jobs, forked)
            for chunk, is_hub in zip(chunks, hub, strict=True):
                if is_hub:
                    _write_focus(chunk)
        else:
            for chunk in chunks:
                _write_focus(chunk)
    finally:
        _FOCUS = None
    written += [ix.pages[eid] for eid in ids]
    if progress and ix.article_pages and not articles_written:
        progress(f"{len(ix.article_pages)} article pages")
    for aid, rel in ix.article_pages.items():
        if ix.corpus.articles[aid].source in ix.corpus.texts:
            put(rel, render_article(ix, aid))
        elif articles_written:
            written.append(rel)
    return written


#: focused views per task, and what the tasks read: (index, folder, previous generation)
_CHUNK = 200
_FOCUS: tuple[Any, Path, Path | None] | None = None


def focus_chunks(ix: Any, ids: list[str], size: int = _CHUNK) -> tuple[list[list[str]], list[int]]:
    """``ids`` in runs of at most ``size`` entities, cut where what their views read reaches
    what ``size`` entities read on average: a hub (a province, an industry, a common
    measure) reads thousands of relations, so hubs share a process with few others, and what
    each process copies of the index (what it reads: see :func:`_fork_each`) stays bounded.
    The processes then also take about the same time, so none is left running alone at the
    end. Returns the runs and what each reads (:func:`_focus_weight`)."""
    weights = [_focus_weight(ix, eid) for eid in ids]
    chunks = max(1, -(-len(ids) // size))
    budget = max(1, -(-sum(weights) // chunks))
    out: list[list[str]] = []
    reads: list[int] = []
    run: list[str] = []
    total = 0
    for eid, w in zip(ids, weights, strict=True):
        if run and (len(run) >= size or total + w > budget):
            out.append(run)
            reads.append(total)
            run, total = [], 0
        run.append(eid)
        total += w
    if run:
        out.append(run)
        reads.append(total)
    return out, reads


def heavy_first(weights: list[int]) -> list[int]:
    """The order to run chunks of these weights in so that two heavy ones (above the median
    weight: hubs, and the places with their roll-ups) rarely run at once: the heaviest first,
    each next to light ones, which fill the other processes. What the processes copy at
    once is then about one heavy chunk's and the light ones', not two heavy ones'."""
    order = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
    median = weights[order[len(order) // 2]] if order else 0
    heavy = [i for i in order if weights[i] > median]
    light = sorted(i for i in order if weights[i] <= median)
    out: list[int] = []
    # one heavy chunk per run of light ones, as many light per heavy as there are to spare
    per = max(1, len(light) // max(1, len(heavy)))
    while heavy or light:
        if heavy:
            out.append(heavy.pop(0))
        out += light[:per]
        light = light[per:]
    return out


def _focus_weight(ix: Any, eid: str) -> int:
    """About how much of the index an entity's focused view reads: its relations, those of
    the places within it (a place's roll-up), of the terms under it (a term's) and the
    measures of those targeting it."""
    from kg.export.views.focus import MAX_FOCUS_NODES

    rels = ix.by_entity.get(eid, ())
    w = 1 + len(rels) + sum(len(r.evidence) for r in rels)  # its lists and its timeline
    # its network: the relations among its neighbours drawn (the most connected), read
    # through their own relations
    if rels:
        share = min(1.0, MAX_FOCUS_NODES / max(1, ix.degree.get(eid, 1)))
        w += int(share * sum(len(ix.outgoing.get(r.o if r.s == eid else r.s, ())) for r in rels))
    for x in ix.within.get(eid, ()):
        w += len(ix.outgoing.get(x, ()))
    for x in ix.narrower.get(eid, ()):
        w += len(ix.by_entity.get(x, ()))
    takes = ix.out_by.get("takesMeasure", {})
    for r in ix.in_by.get("targets", {}).get(eid, ()):  # a term's measures taken by who targets it
        w += len(takes.get(r.s, ()))
    return w


def _fork_each(
    work: Callable[[list[str]], None],
    chunks: list[list[str]],
    jobs: int,
    order: list[int] | None = None,
    budget: int | None = None,
) -> None:
    """``work(chunk)`` for every chunk, in ``jobs`` forked processes (chunks taken in
    ``order``, positions in ``chunks``: the results do not depend on it).

    A forked process shares the index with this one until it writes to a page of it, and
    reading an object writes its reference count: a worker ends up with a copy of all it has
    read (at 10,000 pages, two long-lived ones held most of the index again). So a process
    takes chunk after chunk only while the memory it has copied (``Private_Dirty``) stays
    under ``budget`` bytes (:data:`_CHILD_BUDGET`; :class:`CopyBudget`); past it, it ends
    after its chunk and a new one is forked. Each chunk is then not paid for with a fork and
    a new copy of every page it reads (the kernel's time was half the processes' time with
    one per chunk), and memory stays bounded. The index's objects are frozen out of the
    collector's sight first (a collection in a child would write to every one of them)."""
    import contextlib
    import gc
    import os
    import pickle
    import select
    import signal

    from kg.export.heap import frozen_heap
    from kg.pipeline.parallel import die_with_parent

    limit = _CHILD_BUDGET if budget is None else budget
    todo = list(order) if order is not None else list(range(len(chunks)))
    todo.reverse()  # popped from the end
    gc.collect()
    thawed = contextlib.ExitStack()
    thawed.enter_context(frozen_heap())  # left frozen while a build around it holds them frozen
    children: dict[int, tuple[int, int]] = {}  # a child's report pipe (read end) → (pid, task pipe)
    failure: BaseException | None = None
    parent = os.getpid()

    def child(tasks: int, report: int) -> None:
        """Take chunk numbers from ``tasks`` until it closes or memory passes the budget."""
        code = 0
        try:
            die_with_parent(parent)
            copied = CopyBudget(limit)
            with os.fdopen(tasks, "rb") as fh:
                while (head := fh.read(4)) and len(head) == 4:
                    work(chunks[int.from_bytes(head, "little")])
                    if copied.passed():
                        os.write(report, b"x")  # done, and ending
                        break
                    os.write(report, b".")  # done, ready for another
        except BaseException as exc:
            code = 1
            try:
                data = pickle.dumps(exc)
            except Exception:
                data = pickle.dumps(RuntimeError(repr(exc)))
            with contextlib.suppress(OSError):
                os.write(report, b"e" + data)
        finally:
            os._exit(code)

    def spawn() -> int:
        tr, tw = os.pipe()
        rr, rw = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(tw)
            os.close(rr)
            for fd, (_pid, task_w) in children.items():  # the siblings' pipes are not its own
                os.close(fd)
                os.close(task_w)
            child(tr, rw)
        os.close(tr)
        os.close(rw)
        children[rr] = (pid, tw)
        return rr

    def send(fd: int) -> None:
        os.write(children[fd][1], todo.pop().to_bytes(4, "little"))

    def end(fd: int, data: bytes = b"") -> None:
        """The child of ``fd`` has ended or is ending: collect its status and its report."""
        nonlocal failure
        pid, task_w = children.pop(fd)
        with contextlib.suppress(OSError):
            os.close(task_w)
        with os.fdopen(fd, "rb") as fh:
            data += fh.read()
        _pid, status = os.waitpid(pid, 0)
        if failure is None and (data[:1] == b"e" or status != 0):
            died = RuntimeError(f"a focused-view process ended with {status}")
            failure = pickle.loads(data[1:]) if data[:1] == b"e" else died

    try:
        while todo or children:
            while todo and failure is None and len(children) < jobs:
                send(spawn())
            if not children:
                break
            ready, _w, _x = select.select(list(children), [], [])
            for fd in ready:
                msg = os.read(fd, 1)
                if msg == b".":
                    if todo and failure is None:
                        send(fd)
                    else:
                        end(fd)  # closing its task pipe ends it
                else:  # b"x": ended after its chunk; b"e": failed; b"": died
                    end(fd, msg)
    finally:
        for pid, _task_w in list(children.values()):  # interrupted: the children end with this build
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for fd in list(children):
            end(fd)
        thawed.close()
    if failure is not None:
        raise failure


#: what a focused-view process may copy of the index (bytes) before it ends and a fresh one
#: is forked (:func:`_fork_each`)
_CHILD_BUDGET = 256 << 20


def _private_bytes() -> int:
    """The memory this process has written since it was forked (``Private_Dirty``, bytes).
    Reading it walks every page table of the process: tens of milliseconds for a process that
    maps the index at 10,000 pages (see :class:`CopyBudget`)."""
    try:
        with open("/proc/self/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Private_Dirty:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _faulted_bytes() -> int:
    """The pages this process has faulted in since it was forked (a fork starts the count at
    zero), in bytes: a system call. Every page it has written since (a copy of one it shared,
    or new memory) took at least one fault, so this bounds :func:`_private_bytes` from above."""
    import os
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt * os.sysconf("SC_PAGE_SIZE")


class CopyBudget:
    """Whether a forked process has written more than ``limit`` bytes since the fork, read
    from ``/proc/self/smaps_rollup`` only when its page faults say it may have: the memory
    written cannot grow faster than the pages faulted in. So the answer is the one reading it
    after every chunk gives, at the cost of a system call for most chunks (at 10,000 pages
    reading it after every chunk took about 5 % of the focused views' CPU)."""

    def __init__(
        self,
        limit: int,
        faulted: Callable[[], int] = _faulted_bytes,
        private: Callable[[], int] = _private_bytes,
    ) -> None:
        self.limit = limit
        self._faulted, self._private = faulted, private
        self._check_at = limit  # faulted bytes past which the memory written may pass the limit

    def passed(self) -> bool:
        faulted = self._faulted()
        if faulted <= self._check_at:
            return False
        written = self._private()
        if written > self.limit:
            return True
        self._check_at = faulted + (self.limit - written)
        return False


def _write_focus(ids: list[str]) -> None:
    """Write the focused views of ``ids`` (in a worker forked by :func:`render_views`)."""
    from kg.export.staging import write_file
    from kg.export.views.focus import render_focus

    assert _FOCUS is not None
    ix, folder, previous = _FOCUS
    for eid in ids:
        rel = ix.pages[eid]
        data = render_focus(ix, eid).encode("utf-8")
        write_file(folder / rel, data, previous / rel if previous is not None else None)


__all__ = [
    "DEFAULT_MAX_OVERVIEW_NODES",
    "VIEW_FILES",
    "VIEW_FOLDERS",
    "owns_view",
    "render_views",
    "write_views",
]
