"""``kg build``: pages → cached extraction → corpus → graph files and/or an embedded store.

Each page is extracted once (:func:`kg.pipeline.extract_paths`): its result is cached under a
hash of its text, name, options and the extractor's code (:mod:`kg.pipeline.cache`), so a
re-run on an unchanged corpus extracts nothing and a changed page is the only one
re-extracted; the other pages' output is copied from the last OUT, where the build record
says it is (:mod:`kg.export.uptodate`, :func:`copy_page`). The corpus merged from all pages
is the one source of truth; every output is a view of it:

``graph.ttl``      the merged graph (Turtle)
``graph.trig``     the dataset with one named graph per page (TriG) — provenance
``graph.nq``       the same dataset as N-Quads (what ``kg query``, ``kg serve`` and ``kg push`` read)
``graph.jsonld``   the dataset as JSON-LD with a context
``graph.graphml``  the networkx view for Gephi (entities and relations)
``summary.json``   counts per type, predicate and graph; the pages

plus the HTML views (:mod:`kg.export.views`). The whole of OUT is one generation: it is
written into a staging folder beside OUT and swapped in only when complete
(:mod:`kg.export.staging`), so a failed or killed build leaves the previous OUT untouched,
and a reader sees all old or all new files. The staging folder exists from the start of the
build (an unwritable OUT fails before any extraction). Outputs are byte-identical for the
same input. With ``--store`` the dataset also goes into an Oxigraph store, a new generation
of it in the same way, where only the graphs that changed are rewritten
(:mod:`kg.export.sparql.store`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kg.corpus import Corpus
from kg.errors import UsageError
from kg.model import ENTITY_TYPES, PREDICATES, FileResult

if TYPE_CHECKING:
    from kg.export.staging import Replacement
    from kg.export.uptodate import PriorPage
    from kg.ingest.manifest import PageInfo
    from kg.pipeline import Progress
    from kg.pipeline.cache import ResultCache

log = logging.getLogger(__name__)

#: output file names, in the order they are written
OUTPUT_FILES = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld", "graph.graphml", "summary.json")
#: temp files that builds of older versions left in OUT when interrupted (``.graph.nq.x1y2.tmp``)
_OLD_TEMP = re.compile(r"^\.(graph\.\w+|summary\.json)\.[A-Za-z0-9_]+\.tmp$")


@dataclass
class BuildReport:
    """What a build did (for the CLI's summary; the deterministic part is in summary.json)."""

    summary: dict[str, Any]
    extracted: list[str] = field(default_factory=list)  # pages extracted now
    cached: list[str] = field(default_factory=list)  # pages served from the cache
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    written: list[str] = field(default_factory=list)  # output files
    reused: list[str] = field(default_factory=list)  # pages whose output was copied from the last OUT
    store: dict[str, Any] | None = None  # what the store update did
    seconds: float = 0.0
    unchanged: bool = False  # nothing changed since the last build: nothing was written


def summarize(corpus: Corpus, quads: Sequence[Any], errors: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """Counts per entity type, predicate and named graph, and the pages (deterministic)."""
    graphs: dict[str, int] = {}
    for q in quads:
        graphs[q[3]] = graphs.get(q[3], 0) + 1
    evidence = len({(ev.source, ev.start, ev.end) for r in corpus.relations.values() for ev in r.evidence})
    mentions = len({(m.source, m.start, m.end) for refs in corpus.mentions.values() for m in refs})
    return summary_of(corpus, graphs, evidence, mentions, errors)


def summary_of(
    corpus: Corpus,
    graphs: dict[str, int],
    evidence: int,
    mentions: int,
    errors: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The summary from counts gathered page by page (what :func:`summarize` counts at once)."""
    counts = corpus.counts()
    return {
        "pages": [
            {"name": s.name, "sha256": s.sha256, "chars": s.chars, "home": s.home}
            for s in sorted(corpus.sources.values(), key=lambda s: s.name)
        ],
        "articles": len(corpus.articles),
        "entities": {t: counts["entities"].get(t, 0) for t in ENTITY_TYPES},
        "relations": {p: counts["relations"].get(p, 0) for p in PREDICATES},
        "evidence": evidence,
        "mentions": mentions,
        "triples": sum(graphs.values()),
        "graphs": dict(sorted(graphs.items())),
        "errors": [{"path": p, "message": m} for p, m in errors],
    }


def page_counts(r: FileResult) -> tuple[int, int]:
    """(evidence spans, mention spans) of one page, as :func:`summarize` counts them."""
    names = {(e.type, e.name) for e in r.entities}
    evidence = len({(ev.source, ev.start, ev.end) for rel in r.relations for ev in rel.evidence})
    mentions = len({(m.start, m.end) for m in r.mentions if (m.type, m.name) in names})
    return evidence, mentions


def render_outputs(corpus: Corpus, quads: Sequence[Any], summary: dict[str, Any]) -> dict[str, bytes]:
    """Every output file's bytes, by file name."""
    from kg.export.rdf import serialize

    files: dict[str, bytes] = {}
    files["graph.ttl"] = serialize.turtle(quads)
    files["graph.trig"] = serialize.trig(quads)
    files["graph.nq"] = "".join(serialize.nquads(quads)).encode("utf-8")
    files["graph.jsonld"] = serialize.jsonld(quads).encode("utf-8")
    files["graph.graphml"] = render_graphml(corpus)
    files["summary.json"] = (json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def owns_output(rel: str) -> bool:
    """Whether ``kg build`` writes the entry ``rel`` of OUT (the RDF, the summary, the views)."""
    from kg.export.views import owns_view

    return rel in OUTPUT_FILES or bool(_OLD_TEMP.match(rel)) or owns_view(rel)


def output_replacement(out: str | Path, owned: Callable[[str], bool] = owns_output) -> Replacement:
    """The build folder ``out`` as a folder replaced whole by each build (:mod:`kg.export.staging`)."""
    from kg.export.staging import Replacement, looks_like_output
    from kg.export.views import VIEW_FOLDERS

    return Replacement(
        Path(out),
        owned=owned,
        recognise=looks_like_output,
        folders=VIEW_FOLDERS,
        foreign=f"{out} exists and holds no safety-kg build (no summary.json or index.html); "
        "give an empty or new folder (kg build replaces OUT as a whole)",
    )


def write_files(folder: Path, files: dict[str, bytes], previous: Path | None = None) -> list[str]:
    """Write the output files into ``folder`` (a new generation), in order; a file whose bytes
    are those of the same file in ``previous`` (the old generation) is hard-linked from it."""
    from kg.export.staging import write_file

    written = []
    for name in OUTPUT_FILES:
        if name in files:
            write_file(folder / name, files[name], previous / name if previous else None)
            written.append(name)
    return written


def write_outputs(out: Path, files: dict[str, bytes]) -> list[str]:
    """Replace the graph files and summary in ``out`` at once (other files stay)."""
    from kg.export.staging import replacing

    rep = output_replacement(out, owned=lambda rel: rel in OUTPUT_FILES or bool(_OLD_TEMP.match(rel)))
    with replacing(rep) as (stage,):
        return write_files(stage, files, previous=Path(out))


def write_build(
    folder: Path,
    corpus: Corpus,
    quads: Sequence[Any],
    summary: dict[str, Any],
    views: bool = True,
    max_overview_nodes: int | None = None,
    previous: Path | None = None,
) -> list[str]:
    """Write everything ``kg build`` puts in OUT into ``folder`` (a new generation; files
    unchanged since ``previous``, the old one, are hard-linked); return the relative paths."""
    written = write_files(folder, render_outputs(corpus, quads, summary), previous)
    if views:
        written += write_views_into(folder, corpus, max_overview_nodes, previous)
    return written


def write_views_into(
    folder: Path,
    corpus: Corpus,
    max_overview_nodes: int | None,
    previous: Path | None,
    jobs: int = 1,
    articles_written: bool = False,
) -> list[str]:
    from kg.export.views import DEFAULT_MAX_OVERVIEW_NODES, render_views

    limit = max_overview_nodes or DEFAULT_MAX_OVERVIEW_NODES
    return render_views(
        corpus,
        folder,
        max_overview_nodes=limit,
        previous=previous,
        jobs=jobs,
        articles_written=articles_written,
    )


class PageOutput(NamedTuple):
    """One page's part of the outputs, made where the page was extracted."""

    graph: str  # its named graph's IRI
    quads: int
    chunks: dict[str, bytes]  # the graph serialized, per format
    evidence: int  # evidence spans
    mentions: int  # mention spans
    articles: dict[str, bytes]  # article pages by relative path (none when the worker wrote them)
    written: tuple[str, ...]  # the relative paths of its article pages, written here or there
    digest: str  # :func:`output_digest` of the chunks and the article pages
    copied: bool = False  # copied from the last build's OUT (:func:`copy_page`), not rendered


def output_digest(chunks: Mapping[str, bytes], articles: Mapping[str, bytes]) -> str:
    """The SHA-256 of one page's output (its graph per format, its article pages by path): what
    the build record keeps, so that the next build can check the bytes it copies from OUT."""
    h = hashlib.sha256()
    for name, data in [*sorted(chunks.items()), *sorted(articles.items())]:
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def page_output(
    r: FileResult,
    formats: Sequence[str],
    articles: bool = False,
    write_to: tuple[Path, Path | None] | None = None,
    prior: PriorPage | None = None,
) -> PageOutput:
    """One page's named graph (from the page's result alone) serialized in ``formats``, its
    span counts and (with ``articles``) its article pages: the per-page work of a build, run
    in the worker that extracted it. With ``write_to`` (OUT's new generation and the old
    one, when the worker sees them: not on a cluster) the worker writes the article pages
    itself (as :meth:`DatasetOutput.page` would) and returns none; with ``prior`` too (where
    the last build wrote this page, made from the same cache key) the page's bytes are copied
    from the old generation when they are still those (:func:`copy_page`), not rendered."""
    from kg.export.rdf.iri import page_graph
    from kg.export.rdf.quads import page_quads
    from kg.export.rdf.stream import render_graph
    from kg.export.views.article import page_articles

    g = page_graph(r.source.name)
    if prior is not None and write_to is not None and write_to[1] is not None:
        chunks = copy_page(prior, formats, *write_to)
        if chunks is not None:
            return PageOutput(g, prior.quads, chunks, *page_counts(r), {}, prior.articles, prior.digest, True)
    alone = Corpus.from_results([r])
    n, chunks = render_graph(g, page_quads(alone, r.source.name), formats)
    pages = page_articles(r, alone) if articles else {}
    del alone
    written, digest = tuple(sorted(pages)), output_digest(chunks, pages)
    if pages and write_to is not None:
        write_articles(pages, *write_to)
        pages = {}
    return PageOutput(g, n, chunks, *page_counts(r), pages, written, digest)


def copy_page(
    prior: PriorPage, formats: Sequence[str], stage: Path, old: Path | None
) -> dict[str, bytes] | None:
    """A page's graph in each of ``formats`` as the last build wrote it into OUT (``old``, at
    the ranges ``prior`` gives), its article pages hard-linked into the new generation
    ``stage``: the bytes per format, or None (nothing written) when what is read is not
    what that build wrote (:func:`output_digest`: a file edited by hand, or gone)."""
    from kg.export.rdf.stream import FORMAT_FILES

    if old is None:
        return None
    chunks: dict[str, bytes] = {}
    try:
        for fmt in formats:
            off, length = prior.ranges[fmt]
            with open(old / FORMAT_FILES[fmt], "rb") as fh:
                if not 0 <= off <= off + length <= os.fstat(fh.fileno()).st_size:
                    return None  # not in the file (another build's, cut short)
                chunks[fmt] = os.pread(fh.fileno(), length, off)
        pages = {rel: (old / rel).read_bytes() for rel in prior.articles}
    except (OSError, KeyError, ValueError):
        return None
    if output_digest(chunks, pages) != prior.digest:
        return None
    if pages:
        (stage / "article").mkdir(exist_ok=True)
    for rel, data in pages.items():
        try:
            os.link(old / rel, stage / rel)
        except OSError:  # no hard links here, or gone since: write the bytes read
            with open(stage / rel, "wb") as fh:
                fh.write(data)
    return chunks


def write_articles(pages: Mapping[str, bytes], stage: Path, old: Path | None) -> None:
    """Write article pages (``article/<hash>.html`` → bytes) into OUT's new generation ``stage``,
    hard-linked from the old generation ``old`` where unchanged."""
    from kg.export.staging import write_file

    (stage / "article").mkdir(exist_ok=True)
    for rel, data in pages.items():
        write_file(stage / rel, data, old / rel if old is not None else None)


class DatasetOutput:
    """The dataset of a build, written graph by graph into the new generations: the chosen
    serializations into OUT's, and for ``--store`` an N-Quads file that Oxigraph's bulk loader
    reads (OUT's ``graph.nq`` when it is written, else a temp file in the store's generation)."""

    def __init__(self, stages: Stages, formats: Sequence[str]) -> None:
        from kg.export.rdf.stream import DatasetWriter

        self.stages = stages
        self.formats = tuple(formats) if stages.out_stage is not None else ()
        self.writers: list[Any] = []
        self.load_nq: Path | None = None
        self.hashes: dict[str, str] = {}
        self.evidence = 0
        self.mentions = 0
        #: page name → (cache key, quads, article pages, digest): what the build record keeps
        self.written: dict[str, tuple[str, int, tuple[str, ...], str]] = {}
        if stages.out_stage is not None:
            self.writers.append(DatasetWriter(stages.out_stage, self.formats))
            if "nq" in self.formats:
                self.load_nq = stages.out_stage / "graph.nq"
        if stages.store_stage is not None and self.load_nq is None:
            self.load_nq = stages.store_stage / ".load.nq"
            self._load_fh = open(self.load_nq, "wb")  # noqa: SIM115 (closed in finish())
            self.writers.append(DatasetWriter(None, ["nq"], sinks={"nq": self._load_fh}))

    @property
    def graphs(self) -> dict[str, int]:
        return self.writers[0].graphs if self.writers else {}

    def graph(self, g: str, quads: Sequence[Any]) -> None:
        for w in self.writers:
            w.graph(g, quads)

    @property
    def load_ranges(self) -> dict[str, tuple[int, int]]:
        """Where each graph's bytes are in :attr:`load_nq` (graph IRI → offset, length)."""
        w = next(w for w in reversed(self.writers) if "nq" in w.formats)
        return {g: r["nq"] for g, r in w.ranges.items()}

    @property
    def render_formats(self) -> tuple[str, ...]:
        """The RDF formats each page is rendered in (OUT's, and N-Quads for the store)."""
        from kg.export.rdf.stream import RDF_FORMATS

        need = set(self.formats) | ({"nq"} if self.stages.store_stage is not None else set())
        return tuple(f for f in RDF_FORMATS if f in need)

    @property
    def reusable(self) -> bool:
        """Whether a page's output can be copied from the last build's OUT: every format a
        page is rendered in is one OUT holds (not with ``--store`` and no N-Quads in OUT)."""
        from kg.export.rdf.stream import RDF_FORMATS

        written = {f for f in self.formats if f in RDF_FORMATS}
        return self.stages.out_stage is not None and set(self.render_formats) == written

    def page(self, rendered: PageOutput, name: str | None = None, key: str | None = None) -> None:
        """Write one page's named graph, rendered by :func:`page_output`, and count its spans;
        its article pages go into OUT's new generation (hard-linked from the old one when
        unchanged). With the page's ``name`` and cache ``key``, where its bytes went is kept
        for the build record (:meth:`prior_pages`)."""
        g, n, chunks, ev, men, articles, written, digest, _copied = rendered
        for w in self.writers:
            w.write(g, n, chunks)
        self.evidence += ev
        self.mentions += men
        if articles and self.stages.out_stage is not None:
            write_articles(articles, self.stages.out_stage, self.stages.out)
        if name is not None and key is not None:
            self.written[name] = (key, n, written, digest)

    def prior_pages(self) -> dict[str, list[Any]]:
        """Per page written: its cache key, quads, where its bytes are in each of OUT's files,
        its article pages and their digest (:class:`kg.export.uptodate.PriorPage`), for the
        next build to copy what it would render the same; none when pages cannot be copied."""
        if not self.reusable or not self.writers:
            return {}
        from kg.export.rdf.iri import page_graph

        ranges = self.writers[0].ranges
        return {
            name: [key, n, {f: list(r) for f, r in ranges[page_graph(name)].items()}, list(arts), digest]
            for name, (key, n, arts, digest) in sorted(self.written.items())
        }

    def finish(self, corpus: Corpus) -> None:
        """Write the graphs of the whole corpus (entities, relations, vocabularies); close."""
        from kg.export.rdf.iri import GRAPH_ENTITIES, GRAPH_RELATIONS, GRAPH_VOCAB, vocabulary
        from kg.export.rdf.quads import entity_quads, relation_quads, vocab_quads

        vocab = vocabulary(None)
        vq = vocab_quads(vocab)
        self.graph(GRAPH_ENTITIES, entity_quads(corpus, exclude=vq, vocab=vocab))
        self.graph(GRAPH_RELATIONS, relation_quads(corpus, vocab))
        self.graph(GRAPH_VOCAB, vq)
        for i, w in enumerate(self.writers):
            hashes = w.close()
            if i == 0 and self.stages.out_stage is not None:
                self.hashes = hashes
        if getattr(self, "_load_fh", None) is not None:
            self._load_fh.close()

    def link_unchanged(self) -> None:
        """Hard-link each written serialization whose bytes the old OUT holds already."""
        from kg.export.rdf.stream import same_file

        stage, old = self.stages.out_stage, self.stages.out
        if stage is None:
            return
        for name, digest in self.hashes.items():
            same_file(stage / name, digest, old / name if old is not None else None)

    def abort(self) -> None:
        for w in self.writers:
            w.abort()
        if getattr(self, "_load_fh", None) is not None:
            self._load_fh.close()


@dataclass
class Stages:
    """The new generations of a build's folders (``out`` and/or the store), open for writing."""

    out: Path | None = None
    store: Path | None = None
    out_stage: Path | None = None
    store_stage: Path | None = None

    def write(
        self,
        corpus: Corpus,
        errors: Sequence[tuple[str, str]] = (),
        views: bool = True,
        max_overview_nodes: int | None = None,
        formats: str | Sequence[str] | None = None,
    ) -> tuple[list[str], dict[str, Any] | None]:
        """Write a corpus held whole (``KnowledgeGraph.save``) into the new generations, as a
        build does: (the files written under ``out``, what the store update did)."""
        from kg.export.rdf.iri import page_graph
        from kg.export.rdf.quads import PageIndex, page_quads
        from kg.export.rdf.stream import parse_formats

        fmts = parse_formats(formats)
        ds = DatasetOutput(self, fmts)
        try:
            index = PageIndex(corpus)
            for name in sorted(corpus.sources):
                ds.graph(page_graph(name), page_quads(corpus, name, index))
            ds.finish(corpus)
        except BaseException:
            ds.abort()
            raise
        evidence = len(
            {(ev.source, ev.start, ev.end) for r in corpus.relations.values() for ev in r.evidence}
        )
        mentions = len({(m.source, m.start, m.end) for refs in corpus.mentions.values() for m in refs})
        summary = summary_of(corpus, ds.graphs, evidence, mentions, errors)
        return self.write_out(ds, corpus, summary, fmts, views, max_overview_nodes), self.load_store(ds)

    def write_out(
        self,
        ds: DatasetOutput,
        corpus: Corpus,
        summary: dict[str, Any],
        formats: Sequence[str],
        views: bool,
        max_overview_nodes: int | None,
        jobs: int = 1,
        articles_written: bool = False,
    ) -> list[str]:
        """The summary, GraphML and views (in ``jobs`` processes; the article pages written already
        with ``articles_written``) into OUT; the files written."""
        written: list[str] = []
        if self.out_stage is not None:
            ds.link_unchanged()
            files: dict[str, bytes] = {}
            if "graphml" in formats:
                files["graph.graphml"] = render_graphml(corpus)
            files["summary.json"] = (json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            write_files(self.out_stage, files, self.out)
            written = [n for n in OUTPUT_FILES if (self.out_stage / n).exists()]
            if views:
                written += write_views_into(
                    self.out_stage, corpus, max_overview_nodes, self.out, jobs, articles_written
                )
        return written

    def load_store(self, ds: DatasetOutput) -> dict[str, Any] | None:
        """Load the dataset's N-Quads into the store's new generation (what the update did)."""
        if self.store_stage is None or ds.load_nq is None:
            return None
        from kg.export.bulkstore import load_store

        nq, graphs, ranges = ds.load_nq, ds.graphs, ds.load_ranges
        store_report = load_store(self.store_stage, nq, graphs, ranges, previous=self.store)
        if ds.load_nq.parent == self.store_stage:
            ds.load_nq.unlink()
        return store_report


def release_memory() -> None:
    """Free what is no longer referenced and hand the freed memory back to the system.

    CPython returns a block of its small-object memory only once all of it is free, and
    glibc's malloc keeps freed pages of its heap for reuse; ``malloc_trim`` gives them back,
    so what comes next (Oxigraph's loader, which allocates with malloc too) starts from the
    memory the process still uses, not from its high-water mark."""
    import gc

    gc.collect()
    if sys.platform.startswith("linux"):
        import contextlib
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            ctypes.CDLL(None).malloc_trim(0)


def render_graphml(corpus: Corpus) -> bytes:
    """The networkx view as GraphML (for Gephi)."""
    import networkx as nx

    from kg.export.networkx import graphml_view

    return ("\n".join(nx.generate_graphml(graphml_view(corpus))) + "\n").encode("utf-8")


@contextmanager
def staged(out: str | Path | None, store: str | Path | None) -> Iterator[Stages]:
    """New generations of the folder ``out`` and/or the store ``store``, written beside them and
    all swapped in together when the block ends (left untouched when it raises): what
    ``kg build`` and ``KnowledgeGraph.save`` write into."""
    from kg.export.sparql.store import store_replacement
    from kg.export.staging import replacing

    reps = [output_replacement(out)] if out is not None else []
    reps += [store_replacement(store)] if store is not None else []
    with replacing(*reps) as folders:
        yield Stages(
            out=Path(out) if out is not None else None,
            store=Path(store) if store is not None else None,
            out_stage=folders[0] if out is not None else None,
            store_stage=folders[-1] if store is not None else None,
        )


def build(
    inputs: Sequence[str],
    out: str | Path | None = None,
    store: str | Path | None = None,
    home: str | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    views: bool = True,
    max_overview_nodes: int | None = None,
    max_bytes: int | None = None,
    *,
    jobs: int | None = 1,
    client: Any = None,
    formats: str | Sequence[str] | None = None,
    skip_unchanged: bool = False,
    rules_dir: str | None = None,
    date: str | None = None,
    manifest: Mapping[str, PageInfo] | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into the folder ``out`` and/or the Oxigraph store ``store``.

    Pages are extracted by :func:`kg.pipeline.iter_pages` (``jobs`` processes, or the Dask
    ``client``'s cluster; the output is the same byte for byte) and each page's named graph
    is written as soon as the page comes back, in name order; what spans the corpus
    (entities, merged relations) is merged into a lean :class:`Corpus` and written at the
    end, with the summary, GraphML and the views. ``formats`` chooses the serializations
    (:data:`kg.export.rdf.stream.DEFAULT_FORMATS` by default). With ``views`` (the default)
    ``out`` also gets the HTML views (index.html, overview.html, entity/*.html). Pages over
    ``max_bytes`` are not read (see :func:`kg.pipeline.iter_pages`). With ``skip_unchanged``
    (``kg build`` sets it) and a ``cache``, a build whose inputs, options and code are those
    of the last build into the same folders, still as it left them, writes nothing
    (:mod:`kg.export.uptodate`; ``report.unchanged``). ``rules_dir`` layers an analyst's rules,
    and ``date`` and ``manifest`` say what is known of the pages (see
    :func:`kg.pipeline.iter_pages`).
    """
    if out is None and store is None:
        raise UsageError("nothing to write: give -o OUT/ and/or --store DIR")
    t0 = time.monotonic()
    from functools import partial

    from kg.export.heap import frozen_heap
    from kg.export.rdf.stream import parse_formats
    from kg.pipeline import iter_pages

    fmts = parse_formats(formats)
    record = key = None
    if cache is not None and skip_unchanged:  # a no-change re-run writes nothing
        from kg.export.uptodate import BuildRecord, build_key
        from kg.rules import fingerprint as user_rules

        options: dict[str, Any] = {"out": out is not None, "store": store is not None, "home": home}
        options |= {"views": views, "max_overview_nodes": max_overview_nodes, "formats": fmts}
        options["rules"] = user_rules(rules_dir)  # the user rules folder's files
        options["date"] = date  # what is known of the pages changes their articles' dates
        options["manifest"] = sorted((n, repr(i)) for n, i in (manifest or {}).items())
        key = build_key(inputs, options, max_bytes)
        record = BuildRecord(cache.folder, *(Path(p) if p is not None else None for p in (out, store)))
        previous = record.unchanged(key)
        if previous is not None:
            return _unchanged(previous, store is not None, time.monotonic() - t0)
    # each page's article pages are written as the page comes back: the corpus keeps no text
    articles = views and out is not None
    # a page whose result is the one the last build into OUT had: its output is copied from there
    out_options = {"formats": list(fmts), "articles": articles}
    prior = record.prior_pages(out_options) if record is not None and out is not None else {}
    # the new generations exist before extraction starts (an unwritable folder fails now, not
    # after an hour), and all are complete before any is swapped in
    with staged(out, store) as stages:
        report = BuildReport(summary={})
        corpus = Corpus(lean=True, defer=True)
        ds = DatasetOutput(stages, fmts)
        # a local worker writes its page's article pages itself, and copies a page the last
        # build wrote from the same result out of the old OUT; a cluster's workers may not
        # see OUT: they send the pages here, all rendered
        write_to = None
        if client is None and stages.out_stage is not None:
            write_to = (stages.out_stage, stages.out)
        if write_to is None or not ds.reusable:
            prior = {}

        work = partial(page_output, formats=ds.render_formats, articles=articles, write_to=write_to)

        def copy_if_same(name: str, key: str) -> dict[str, Any] | None:
            was = prior.get(name)
            return {"prior": was} if was is not None and was.key == key else None

        # the corpus (millions of objects at 10,000 pages) is out of the cyclic collector's
        # sight until the views are written (kg.export.heap)
        with frozen_heap() as freeze:
            try:
                for page in iter_pages(
                    inputs,
                    home=home,
                    cache=cache,
                    progress=progress,
                    unique_names=True,
                    max_bytes=max_bytes,
                    jobs=jobs,
                    client=client,
                    rules_dir=rules_dir,
                    date=date,
                    manifest=manifest,
                    page_work=work,
                    work_args=copy_if_same if prior else None,
                ):
                    if page.result is None:
                        report.errors.append((page.path, page.error or "not extracted"))
                        continue
                    corpus.add(page.result)
                    freeze()  # what the corpus holds now stays to the end: the collector leaves it
                    ds.page(page.extra, page.name, page.key)
                    if page.extra.copied:
                        report.reused.append(page.name)
                    (report.cached if page.cached else report.extracted).append(page.name)
                if not corpus.sources:
                    detail = "; ".join(m for _p, m in report.errors[:3])
                    raise UsageError(f"no readable input pages{': ' + detail if detail else ''}")
                corpus.settle()
                freeze()
                ds.finish(corpus)
            except BaseException:
                ds.abort()
                raise
            report.summary = summary_of(corpus, ds.graphs, ds.evidence, ds.mentions, report.errors)
            # the views in local processes (with a Dask client, in this one: forking a process
            # that runs the client's threads is not safe)
            from kg.pipeline.parallel import default_jobs

            view_jobs = 1 if client is not None else (default_jobs() if jobs is None else max(1, jobs))
            files = stages.write_out(
                ds, corpus, report.summary, fmts, views, max_overview_nodes, view_jobs, articles
            )
        # the views were the last to read the corpus: the store's bulk load (the build's
        # largest allocation) starts without it
        del corpus
        release_memory()
        report.store = stages.load_store(ds)
        if out is not None:
            report.written = [f for f in files if f in OUTPUT_FILES]
            if views:
                pages = sum(1 for f in files if f.endswith(".html"))
                report.written.append(f"{pages} HTML views (index.html)")
    if record is not None and key is not None:
        record.record(key, report.summary, ds.prior_pages() if out is not None else None, out_options)
    report.seconds = time.monotonic() - t0
    return report


def _unchanged(summary: dict[str, Any], store: bool, seconds: float) -> BuildReport:
    """The report of a build that found its outputs up to date (from their summary)."""
    report = BuildReport(summary=summary, unchanged=True, seconds=seconds)
    report.cached = [p["name"] for p in summary.get("pages", [])]
    report.errors = [(e["path"], e["message"]) for e in summary.get("errors", [])]
    if store:  # as the store's update reports it (kg.export.bulkstore): every graph unchanged
        n = sum(1 for v in summary.get("graphs", {}).values() if v)
        report.store = dict.fromkeys(("changed", "added", "removed", "quads_added", "quads_removed"), 0)
        report.store |= {"graphs": n, "unchanged": n}
    return report


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as a short text table (entities per type, relations per predicate, graphs)."""
    lines = [
        f"pages {len(summary['pages'])}, articles {summary['articles']}, "
        f"mentions {summary['mentions']}, evidence spans {summary['evidence']}, "
        f"triples {summary['triples']}"
    ]
    ents = summary["entities"]
    rels = summary["relations"]
    width = max(len(k) for k in [*ents, *rels])
    lines.append(f"entities {sum(ents.values())}:")
    lines += [f"  {k:<{width}} {v:>7}" for k, v in ents.items()]
    lines.append(f"relations {sum(rels.values())}:")
    lines += [f"  {k:<{width}} {v:>7}" for k, v in rels.items()]
    return "\n".join(lines)
