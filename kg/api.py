"""The library API: ``kg.build(paths)`` / ``kg.load(OUT)`` → a :class:`KnowledgeGraph`.

One object for notebooks and scripts. The extracted corpus is the single source of truth;
the networkx graph, the RDF dataset, the SPARQL store and the HTML views are derived from it
on first use (``functools.cached_property``), so ``kg.build`` costs one extraction and nothing
is converted that a session does not touch::

    import kg
    g = kg.build("seeds/")
    g.query("county-targets")                 # a named query (or SPARQL) → DataFrame
    g.entity("长子县").profile["implements"]   # what the county implements
    g.view("长子县")                           # an inline interactive view
    q = g.entity("长子县").evidence("implements", "春夏九防·敲门行动")[0]
    g.article(q)                              # the sentence, highlighted in its article
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError

if TYPE_CHECKING:
    from kg.corpus import Corpus
    from kg.export.sparql.results import Result
    from kg.model import Article, Entity, Evidence, Relation


def build(
    paths: str | Path | Sequence[str | Path],
    home: str | None = None,
    *,
    cache: bool = True,
    jobs: int | None = None,
    client: Any = None,
    rules: str | Path | None = None,
    date: str | None = None,
    manifest: str | Path | None = None,
) -> KnowledgeGraph:
    """Extract the pages under ``paths`` (files, folders or globs) into a knowledge graph.

    Unchanged pages come from the same per-page cache ``kg build`` uses (``cache=False``
    extracts everything again). Unreadable pages are skipped and listed in ``.errors``.
    ``jobs`` extracts in that many processes (default: the CPU count); ``client``, a
    ``dask.distributed.Client``, sends one task per page to its cluster instead. The result
    is the same either way. ``rules``: a folder of your own rule files and vocabularies,
    layered over the bundled ones (as ``kg build --rules``).
    ``date`` and ``manifest`` (a CSV file) are ``kg build``'s ``--date`` and ``--manifest``.
    """
    from kg.corpus import Corpus
    from kg.ingest.manifest import check_date, read_manifest
    from kg.pipeline import extract_paths
    from kg.pipeline.cache import ResultCache

    inputs = [str(paths)] if isinstance(paths, (str, Path)) else [str(p) for p in paths]
    ext = extract_paths(
        inputs,
        home=home,
        cache=ResultCache() if cache else None,
        unique_names=True,
        jobs=jobs,
        client=client,
        rules_dir=str(rules) if rules else None,
        date=check_date(date, "date") if date else None,
        manifest=read_manifest(manifest) if manifest is not None else None,
    )
    if not ext.files:
        detail = "; ".join(m for _p, m in ext.errors[:3])
        raise UsageError(f"no readable input pages in {', '.join(inputs)}{': ' + detail if detail else ''}")
    return KnowledgeGraph(
        Corpus.from_results(sorted(ext.files, key=lambda r: r.source.name)), errors=ext.errors
    )


def load(target: str | Path) -> KnowledgeGraph:
    """Open what ``kg build`` wrote: a build folder (``OUT/``) or an Oxigraph store (``--store``).

    The dataset is loaded into Oxigraph (a build folder's ``graph.nq`` in memory; a store is
    opened read-only, not copied) and queries run there; the corpus is rebuilt from the same
    RDF (:func:`kg.export.rdf.read.corpus_from_rdf`) through oxrdflib.
    """
    import rdflib
    from oxrdflib import OxigraphStore

    from kg.export.rdf.read import corpus_from_rdf
    from kg.export.sparql.engine import Target

    engine = Target(target, engine="oxigraph")  # checks the target and says what to do if it is wrong
    dataset = rdflib.Dataset(store=OxigraphStore(store=engine.data), default_union=True)
    with warnings.catch_warnings():
        # rdflib 7.6's Dataset.triples reads its own deprecated default_context on every call
        warnings.filterwarnings("ignore", "Dataset.default_context is deprecated", DeprecationWarning)
        corpus = corpus_from_rdf(dataset)
    kgraph = KnowledgeGraph(corpus, source=Path(target))
    kgraph._engine = engine
    return kgraph


class KnowledgeGraph:
    """A corpus with its views: ``.nx`` (networkx), ``.rdf`` (rdflib), ``.store`` (Oxigraph)."""

    def __init__(
        self,
        corpus: Corpus,
        *,
        errors: Sequence[tuple[str, str]] = (),
        source: Path | None = None,
    ) -> None:
        self.corpus = corpus
        self.errors = list(errors)
        self.source = source
        self._engine: Any = None

    def __repr__(self) -> str:
        c = self.corpus
        return (
            f"<KnowledgeGraph: {len(c.sources)} pages, {len(c.articles)} articles, "
            f"{len(c.entities)} entities, {len(c.relations)} relations>"
        )

    # -- derived views --------------------------------------------------------------------------
    @cached_property
    def nx(self) -> Any:
        """The networkx ``MultiDiGraph`` (nodes: entity ids; edges keyed by predicate)."""
        from kg.export.networkx import to_networkx

        return to_networkx(self.corpus)

    @cached_property
    def quads(self) -> list[Any]:
        """The RDF dataset as sorted quads (what ``kg build`` serializes)."""
        from kg.export.rdf.quads import corpus_quads

        return corpus_quads(self.corpus)

    @cached_property
    def rdf(self) -> Any:
        """The RDF dataset as an rdflib ``Dataset`` (union default graph; one graph per page)."""
        from kg.export.rdf.serialize import to_rdflib

        return to_rdflib(self.quads)

    @cached_property
    def store(self) -> Any:
        """An in-memory ``pyoxigraph.Store`` holding the dataset (what queries run on)."""
        if self._engine is not None:
            return self._engine.data
        import pyoxigraph as ox

        from kg.export.rdf.serialize import to_oxigraph

        st = ox.Store()
        st.bulk_extend(to_oxigraph(self.quads))
        return st

    @property
    def entities(self) -> Any:
        """Every entity as a DataFrame (type, name, aliases, mentions, relations)."""
        import pandas as pd

        degree: dict[str, int] = {}
        for r in self.corpus.relations.values():
            degree[r.s] = degree.get(r.s, 0) + 1
            degree[r.o] = degree.get(r.o, 0) + 1
        rows = [
            {
                "type": e.type,
                "name": e.name,
                "aliases": "、".join(e.aliases),
                "mentions": len(self.corpus.mentions.get(e.id, [])),
                "relations": degree.get(e.id, 0),
            }
            for e in self.corpus.sorted_entities()
        ]
        return pd.DataFrame(rows, columns=["type", "name", "aliases", "mentions", "relations"])

    @property
    def relations(self) -> Any:
        """Every relation with its first evidence sentence and evidence count (a DataFrame)."""
        from kg.analysis import relations_table

        return relations_table(self.corpus)

    # -- SPARQL --------------------------------------------------------------------------------------
    def sparql(self, query: str, **params: str) -> Result:
        """Run a named query (``kg query --list``) or SPARQL text; the engine-neutral result.
        A name given to a named query that nothing bears is a :class:`UsageError` (as in
        ``kg query``), not an empty result."""
        from kg.export.sparql.engine import Target, check_names
        from kg.export.sparql.named import bind, resolve

        nq = resolve(query)
        engine = self._engine if self._engine is not None else Target.of_store(self.store)
        text = bind(nq, params, engine.engine)
        check_names(engine, nq, params)
        return engine.execute(text)

    def query(self, query: str, **params: str) -> Any:
        """A named query or SPARQL text (``kg:`` and standard prefixes predeclared) → DataFrame.

        SELECT gives one column per variable (IRIs compacted to ``kgi:place/长子县``,
        numbers as numbers); ASK a one-cell frame; CONSTRUCT/DESCRIBE subject/predicate/object.
        Parameters of named queries are keyword arguments: ``g.query("entity-relations",
        name="长子县")``.
        """
        return to_dataframe(self.sparql(query, **params))

    # -- entities ----------------------------------------------------------------------------------
    def entity(self, name: str, type: str | None = None) -> EntityProfile:
        """An entity by canonical name or alias, with its relations, evidence and articles."""
        e = self.corpus.entity(name, type)
        if e is None:
            close = [x.name for x in self.corpus.sorted_entities() if name in x.name or x.name in name][:5]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"no entity named {name!r}{' of type ' + type if type else ''}{hint}")
        return EntityProfile(self, e)

    # -- views ----------------------------------------------------------------------------------------
    @property
    def _folder(self) -> Path | None:
        """The build folder this graph was loaded from, when it holds article pages."""
        if self.source is not None and (self.source / "article").is_dir():
            return self.source
        return None

    def view(self, name: str | None = None, *, height: int = 640) -> InlineView:
        """An interactive view for a notebook: the overview, or one entity's focused view.

        The page is self-contained (vis-network and styles inlined) and isolated in an
        ``<iframe srcdoc>``, which renders in JupyterLab, classic Notebook and VS Code alike.
        A quoted sentence opens its article over the view, the sentence highlighted.
        """
        from kg.export.views.inline import inline_page

        eid = None if name is None else self.entity(name).entity.id
        page = inline_page(self.corpus, eid, folder=self._folder)
        return InlineView(page, height=height, title=name or "overview")

    def article(self, ref: str | Evidence, *, height: int = 640) -> InlineView:
        """An article's page inline, with the sentence ``ref`` names highlighted: a quote from
        ``EntityProfile.evidence``, an evidence IRI from a query result (``kgi:evidence/…``), an
        article id (``004_….txt#3``) or a link from ``href``. Needs the page texts (``kg.build``)
        or a build folder with its article pages (``kg.load(OUT)``)."""
        from kg.export.views.article import locate
        from kg.export.views.data import ViewIndex
        from kg.export.views.inline import inline_article

        aid, target = locate(self.corpus, ref.evidence if isinstance(ref, Quote) else ref)
        ix = ViewIndex.build(self.corpus, folder=self._folder)
        page = inline_article(ix, aid, target)
        if page is None:
            raise UsageError(
                f"the text of {aid} is not in this graph: open it with kg.build(PAGES), or kg.load a "
                "folder that kg build wrote with its views"
            )
        return InlineView(page, height=height, title=aid)

    def href(self, ref: str | Evidence) -> str:
        """Where ``ref`` (as for :meth:`article`) is in the HTML views:
        ``article/<hash>.html#ev-<start>-<end>`` relative to the build folder (an absolute file
        URI when the graph was loaded from one)."""
        from kg.export.views.article import locate
        from kg.export.views.data import article_filename

        aid, target = locate(self.corpus, ref.evidence if isinstance(ref, Quote) else ref)
        rel = article_filename(aid) + (f"#{target}" if target else "")
        folder = self._folder
        return (folder.resolve().as_uri() + "/" + rel) if folder is not None else rel

    def save(
        self,
        out: str | Path | None = None,
        *,
        store: str | Path | None = None,
        views: bool = True,
        formats: str | Sequence[str] | None = None,
    ) -> list[str]:
        """Write what ``kg build -o OUT [--store DIR] [--formats …]`` writes: graph files,
        summary and HTML views into ``out``; the dataset into the Oxigraph store ``store``.
        Returns the files written under ``out``."""
        if out is None and store is None:
            raise UsageError("nothing to write: give a folder (out) and/or a store")
        from kg.export.build import staged

        with staged(out, store) as stages:  # all new generations complete before any is swapped in
            written, _store = stages.write(self.corpus, self.errors, views=views, formats=formats)
        return written


def _value(cell: tuple[str, ...] | None) -> Any:
    """A result cell as a Python value for a DataFrame."""
    from kg.export.sparql.results import display

    if cell is None:
        return None
    if cell[0] == "literal":
        dt = cell[3] if len(cell) > 3 else ""
        if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
            return int(cell[1])
        if dt.endswith(("#decimal", "#double", "#float")):
            return float(cell[1])
        if dt.endswith("#boolean"):
            return cell[1] == "true"
        return cell[1]
    return display(cell)


def to_dataframe(result: Result) -> Any:
    """An engine-neutral query result as a pandas DataFrame."""
    import pandas as pd

    if result.kind == "ask":
        return pd.DataFrame({"ask": [bool(result.boolean)]})
    if result.kind == "graph":
        rows = [[_value(c) for c in t] for t in result.triples]
        return pd.DataFrame(rows, columns=["subject", "predicate", "object"])
    rows = [[_value(c) for c in row] for row in result.rows]
    return pd.DataFrame(rows, columns=result.vars)


@dataclass
class EntityProfile:
    """One entity in context: what it does, what is done to it, and the sentences that say so."""

    graph: KnowledgeGraph
    entity: Entity

    @property
    def name(self) -> str:
        return self.entity.name

    @property
    def type(self) -> str:
        return self.entity.type

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.entity.aliases

    @property
    def attributes(self) -> dict[str, str]:
        return dict(self.entity.attrs)

    @property
    def relations_list(self) -> list[Relation]:
        return self.graph.corpus.relations_of(self.entity.id)

    @property
    def profile(self) -> dict[str, list[str]]:
        """{predicate: [objects]} for what it does, {"<predicate> by": [subjects]} for the rest."""
        from kg.analysis import profile

        return profile(self.graph.corpus, self.entity.name, self.entity.type)

    @property
    def relations(self) -> Any:
        """Its relations as a DataFrame: direction, predicate, other end, evidence and article."""
        import pandas as pd

        c = self.graph.corpus
        rows = []
        for r in self.relations_list:
            out = r.s == self.entity.id
            other = c.entities.get(r.o if out else r.s)
            first = r.evidence[0] if r.evidence else None
            art = c.articles.get(first.article) if first else None
            rows.append(
                {
                    "direction": "→" if out else "←",
                    "predicate": r.p,
                    "other": other.name if other else (r.o if out else r.s),
                    "other_type": other.type if other else "",
                    "evidence": first.text if first else "",
                    "headline": (art.headline or "") if art else "",
                    "date": (art.date or "") if art else "",
                    "source": first.source if first else "",
                    "link": Quote(first).href if first else "",
                    "count": len(r.evidence),
                }
            )
        return pd.DataFrame(rows, columns=list(RELATION_COLUMNS))

    @property
    def articles(self) -> list[Article]:
        """The articles that mention it or state one of its relations."""
        return self.graph.corpus.articles_mentioning(self.entity.id)

    def evidence(self, predicate: str, other: str) -> list[Quote]:
        """The sentences behind one of its relations (the other end by name or alias): strings
        that know their article and span (``.article``, ``.start``, ``.end``, ``.href``); pass
        one to ``KnowledgeGraph.article`` to read it in its article."""
        from kg.analysis import evidence

        return [Quote(ev) for ev in evidence(self.graph.corpus, self.entity.name, predicate, other)]

    def view(self, *, height: int = 640) -> InlineView:
        """Its focused interactive view, inline."""
        return self.graph.view(self.entity.name, height=height)

    def __repr__(self) -> str:
        lines = [f"{self.type} {self.name}" + (f" ({'、'.join(self.aliases)})" if self.aliases else "")]
        lines += [f"  {p}: {'、'.join(objs)}" for p, objs in self.profile.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        h = html.escape
        parts = [f"<h4>{h(self.type)} · {h(self.name)}</h4>"]
        if self.aliases:
            parts.append(f"<p>aliases: {h('、'.join(self.aliases))}</p>")
        parts.append("<table><tr><th>relation</th><th>entities</th></tr>")
        for p, objs in self.profile.items():
            parts.append(f"<tr><td>{h(p)}</td><td style='text-align:left'>{h('、'.join(objs))}</td></tr>")
        parts.append("</table>")
        return "".join(parts)


#: Columns of ``EntityProfile.relations``: ``evidence`` is the first sentence, ``link`` its span in
#: the HTML views (relative to the build folder: ``article/<hash>.html#ev-<start>-<end>``).
RELATION_COLUMNS = (
    "direction", "predicate", "other", "other_type", "evidence", "headline", "date", "source", "link",
    "count",
)  # fmt: skip


class Quote(str):
    """An evidence sentence: the text (a ``str``) with where it stands, ``.article`` (its id),
    ``.start`` and ``.end`` (offsets into the page file), ``.href`` (its span in the HTML views,
    relative to the build folder) and ``.evidence`` (the record)."""

    evidence: Evidence

    def __new__(cls, ev: Evidence) -> Quote:
        q = super().__new__(cls, ev.text)
        q.evidence = ev
        return q

    def __reduce__(self) -> tuple[type[Quote], tuple[Evidence]]:
        """Pickled and copied as its record (``str``'s way would rebuild it from the text alone)."""
        return (Quote, (self.evidence,))

    @property
    def article(self) -> str:
        return self.evidence.article

    @property
    def start(self) -> int:
        return self.evidence.start

    @property
    def end(self) -> int:
        return self.evidence.end

    @property
    def href(self) -> str:
        from kg.export.views.data import article_filename, span_anchor

        return f"{article_filename(self.article)}#{span_anchor(self.start, self.end)}"


class InlineView:
    """A self-contained HTML page shown in a notebook inside an isolated iframe."""

    def __init__(self, page: str, *, height: int = 640, title: str = "") -> None:
        self.page = page
        self.height = height
        self.title = title

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'title="{html.escape(self.title, quote=True)}" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
            'sandbox="allow-scripts allow-popups"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the page as a standalone HTML file (atomically)."""
        from kg.export.staging import atomic_writer

        p = Path(path)
        with atomic_writer(p, "w") as fh:
            fh.write(self.page)
        return p

    def __repr__(self) -> str:
        return f"<InlineView {self.title}: {len(self.page):,} chars of HTML>"


__all__ = ["EntityProfile", "InlineView", "KnowledgeGraph", "Quote", "build", "load", "to_dataframe"]
