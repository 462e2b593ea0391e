"""``kg build``: pages → cached extraction → corpus → graph files and/or an embedded store.

Each page is extracted once (:func:`kg.pipeline.extract_paths`): its result is cached under a
hash of its text, name, options and the extractor's code (:mod:`kg.pipeline.cache`), so a
re-run on an unchanged corpus extracts nothing and a changed page is the only one
re-extracted. The corpus merged from all pages is the one source of truth; every output is a
view of it:

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

import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.corpus import Corpus
from kg.errors import UsageError
from kg.model import ENTITY_TYPES, PREDICATES

if TYPE_CHECKING:
    from kg.export.staging import Replacement
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
    store: dict[str, Any] | None = None  # what the store update did
    seconds: float = 0.0


def summarize(corpus: Corpus, quads: Sequence[Any], errors: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """Counts per entity type, predicate and named graph, and the pages (deterministic)."""
    counts = corpus.counts()
    graphs: dict[str, int] = {}
    for q in quads:
        graphs[q[3]] = graphs.get(q[3], 0) + 1
    return {
        "pages": [
            {"name": s.name, "sha256": s.sha256, "chars": s.chars, "home": s.home}
            for s in sorted(corpus.sources.values(), key=lambda s: s.name)
        ],
        "articles": len(corpus.articles),
        "entities": {t: counts["entities"].get(t, 0) for t in ENTITY_TYPES},
        "relations": {p: counts["relations"].get(p, 0) for p in PREDICATES},
        "evidence": len(
            {(ev.source, ev.start, ev.end) for r in corpus.relations.values() for ev in r.evidence}
        ),
        "mentions": len({(m.source, m.start, m.end) for refs in corpus.mentions.values() for m in refs}),
        "triples": len(quads),
        "graphs": dict(sorted(graphs.items())),
        "errors": [{"path": p, "message": m} for p, m in errors],
    }


def render_outputs(corpus: Corpus, quads: Sequence[Any], summary: dict[str, Any]) -> dict[str, bytes]:
    """Every output file's bytes, by file name."""
    import networkx as nx

    from kg.export.networkx import graphml_view
    from kg.export.rdf import serialize

    files: dict[str, bytes] = {}
    files["graph.ttl"] = serialize.turtle(quads)
    files["graph.trig"] = serialize.trig(quads)
    files["graph.nq"] = "".join(serialize.nquads(quads)).encode("utf-8")
    files["graph.jsonld"] = serialize.jsonld(quads).encode("utf-8")
    files["graph.graphml"] = ("\n".join(nx.generate_graphml(graphml_view(corpus))) + "\n").encode("utf-8")
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
        from kg.export.views import DEFAULT_MAX_OVERVIEW_NODES, render_views

        limit = max_overview_nodes or DEFAULT_MAX_OVERVIEW_NODES
        written += render_views(corpus, folder, max_overview_nodes=limit, previous=previous)
    return written


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
        quads: Sequence[Any],
        summary: dict[str, Any],
        views: bool = True,
        max_overview_nodes: int | None = None,
    ) -> tuple[list[str], dict[str, Any] | None]:
        """Write the build into the new generations: (the files written under ``out``, what
        the store update did)."""
        from kg.export.sparql.store import write_store

        written: list[str] = []
        store_report = None
        if self.out_stage is not None:
            written = write_build(
                self.out_stage, corpus, quads, summary, views, max_overview_nodes, previous=self.out
            )
        if self.store_stage is not None:
            store_report = write_store(self.store_stage, quads, previous=self.store)
        return written, store_report


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
    rules_dir: str | None = None,
    date: str | None = None,
    manifest: Mapping[str, PageInfo] | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into the folder ``out`` and/or the Oxigraph store ``store``.

    With ``views`` (the default) ``out`` also gets the HTML views (index.html, overview.html,
    entity/*.html), derived from the same corpus as the RDF. Pages over ``max_bytes`` are
    not read; ``date`` and ``manifest`` say what is known of the pages, and ``rules_dir`` layers an
    analyst's rules (see :func:`kg.pipeline.extract_paths`).
    """
    if out is None and store is None:
        raise UsageError("nothing to write: give -o OUT/ and/or --store DIR")
    t0 = time.monotonic()
    from kg.export.rdf.quads import corpus_quads
    from kg.pipeline import extract_paths

    # the new generations exist before extraction starts (an unwritable folder fails now, not
    # after an hour), and all are complete before any is swapped in
    with staged(out, store) as stages:
        ext = extract_paths(
            inputs,
            home=home,
            cache=cache,
            progress=progress,
            unique_names=True,
            max_bytes=max_bytes,
            rules_dir=rules_dir,
            date=date,
            manifest=manifest,
        )
        if not ext.files:
            detail = "; ".join(m for _p, m in ext.errors[:3])
            raise UsageError(f"no readable input pages{': ' + detail if detail else ''}")
        corpus = Corpus.from_results(sorted(ext.files, key=lambda r: r.source.name))
        quads = corpus_quads(corpus)
        summary = summarize(corpus, quads, ext.errors)
        report = BuildReport(summary=summary, extracted=ext.extracted, cached=ext.cached, errors=ext.errors)
        files, report.store = stages.write(corpus, quads, summary, views, max_overview_nodes)
        if out is not None:
            report.written = [f for f in files if f in OUTPUT_FILES]
            if views:
                pages = sum(1 for f in files if f.endswith(".html"))
                report.written.append(f"{pages} HTML views (index.html)")
    report.seconds = time.monotonic() - t0
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
