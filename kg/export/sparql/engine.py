"""``kg query``: SPARQL over a built dataset, on Oxigraph (default) or rdflib.

The target is a build folder (its ``graph.nq`` is loaded into memory), a store folder
(``kg build --store``, read in place), or an RDF file. The ontology's prefixes (``kg:``,
``rdfs:``, ``skos:``, ``prov:``, ``dcterms:``…) are predeclared. Every query is checked before
the engine sees it (:mod:`kg.export.sparql.check`); :func:`run` resolves a named query
(:mod:`kg.export.sparql.named`), binds its parameters and runs it, in a query child
(:mod:`kg.export.sparql.child`) when it has a time limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.errors import KgError, UsageError
from kg.export.sparql.check import ForbiddenQuery, Plan, check, is_update
from kg.export.sparql.child import call_with_timeout
from kg.export.sparql.named import bind, resolve
from kg.export.sparql.results import Cell, Result
from kg.namespace import PREFIXES, XSD

ENGINES = ("oxigraph", "rdflib")


def _ox_cell(t: Any) -> Cell | None:
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    if isinstance(t, ox.Literal):
        lang = t.language or ""
        dt = "" if lang else t.datatype.value
        if dt == XSD.string:
            dt = ""
        return ("literal", t.value, lang, dt)
    return ("literal", str(t), "", "")


def _rdflib_cell(t: Any) -> Cell | None:
    import rdflib

    if t is None:
        return None
    if isinstance(t, rdflib.URIRef):
        return ("uri", str(t))
    if isinstance(t, rdflib.BNode):
        return ("bnode", str(t))
    if isinstance(t, rdflib.Literal):
        lang = t.language or ""
        dt = "" if lang or t.datatype is None else str(t.datatype)
        if dt == XSD.string:
            dt = ""
        return ("literal", str(t), lang, dt)
    return ("literal", str(t), "", "")


_RDF_SUFFIXES = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


def target_kind(target: str | Path) -> str:
    """ "out" (a build folder), "store" (a store folder) or "file" (an RDF file)."""
    from kg.export.sparql.store import is_store

    p = Path(target)
    if p.is_dir():
        if is_store(p):
            return "store"
        if (p / "graph.nq").is_file():
            return "out"
        raise UsageError(f"{p} holds no graph: build one with kg build PAGES -o {p} (or --store {p})")
    if p.is_file():
        if p.suffix not in _RDF_SUFFIXES:
            raise UsageError(f"{p}: not an RDF file (.nq, .trig, .ttl, .nt, .jsonld)")
        return "file"
    raise UsageError(f"{p}: no such build folder, store or file")


class Target:
    """A loaded target (build folder, store or RDF file) on one engine, answering queries
    with the union of its named graphs."""

    def __init__(self, target: str | Path, engine: str = "oxigraph") -> None:
        if engine not in ENGINES:
            raise UsageError(f"unknown engine {engine!r}; choose {', '.join(ENGINES)}")
        self.target = Path(target)
        self.engine = engine
        self.kind = target_kind(target)
        self._data: Any = None

    @classmethod
    def of_store(cls, store: Any) -> Target:
        """A target over an Oxigraph store already in memory (the library API's built graph)."""
        t = cls.__new__(cls)
        t.target = Path("<memory>")
        t.engine = "oxigraph"
        t.kind = "memory"
        t._data = store
        return t

    # the data is loaded on first use (after a fork, a store is opened in the child)
    @property
    def data(self) -> Any:
        if self._data is None:
            self._data = self._load()
        return self._data

    def _file(self) -> Path:
        return self.target / "graph.nq" if self.kind == "out" else self.target

    def _load(self) -> Any:
        if self.engine == "oxigraph":
            import pyoxigraph as ox

            if self.kind == "store":
                from kg.export.sparql.store import open_store

                return open_store(self.target)
            path = self._file()
            fmt = {
                ".nq": ox.RdfFormat.N_QUADS,
                ".trig": ox.RdfFormat.TRIG,
                ".ttl": ox.RdfFormat.TURTLE,
                ".nt": ox.RdfFormat.N_TRIPLES,
                ".jsonld": ox.RdfFormat.JSON_LD,
            }[path.suffix]
            st = ox.Store()
            try:
                st.bulk_load(path=str(path), format=fmt)
            except (SyntaxError, ValueError, OSError) as exc:
                raise UsageError(f"{path}: cannot load: {exc}") from exc
            return st
        import rdflib

        if self.kind == "store":
            import pyoxigraph as ox
            from oxrdflib import OxigraphStore

            from kg.export.sparql.store import open_store

            ds = rdflib.Dataset(store=OxigraphStore(store=open_store(self.target)), default_union=True)
            return ds
        path = self._file()
        ds = rdflib.Dataset(default_union=True)
        try:
            ds.parse(str(path), format=_RDF_SUFFIXES[path.suffix])
        except Exception as exc:  # rdflib's parsers raise many kinds
            raise UsageError(f"{path}: cannot load: {exc}") from exc
        return ds

    def load(self) -> Target:
        """Load the data now (for timing, or before forking workers)."""
        _ = self.data
        return self

    def has_graph(self, iri: str) -> bool:
        """True when the dataset holds triples in the named graph ``iri``."""
        if self.engine == "oxigraph":
            import pyoxigraph as ox

            try:
                name = ox.NamedNode(iri)
            except ValueError:
                return False
            return next(iter(self.data.quads_for_pattern(None, None, None, name)), None) is not None
        import rdflib

        return next(iter(self.data.quads((None, None, None, rdflib.URIRef(iri)))), None) is not None

    def execute(
        self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> Result:
        """Run SPARQL ``text`` (prefixes predeclared) and return its result.

        The query is parsed and checked first (:func:`check`): updates, ``SERVICE`` and a
        ``FROM``/``FROM NAMED`` of anything but a graph of this dataset are refused, on both
        engines, before the engine sees the query. The default graph is the union of all
        graphs unless the query has ``FROM``/``FROM NAMED`` (then the dataset is as SPARQL
        says) or ``default_graphs`` / ``named_graphs`` name some (the protocol's
        ``default-graph-uri`` and ``named-graph-uri``, which take precedence).
        """
        if is_update(text):
            raise UsageError("SPARQL updates are not allowed: kg query and kg serve are read-only")
        plan = check(text)
        for iri in dict.fromkeys(plan.from_graphs + plan.from_named):
            if not self.has_graph(iri):
                raise ForbiddenQuery(
                    f"FROM <{iri}> is not a graph of {self.target}: queries read no files or URLs; "
                    "FROM and FROM NAMED take the dataset's own graphs (kgg:…)"
                )
        if self.engine == "oxigraph":
            return self._ox(plan, default_graphs, named_graphs)
        if default_graphs or named_graphs:
            raise UsageError("default-graph-uri and named-graph-uri need the oxigraph engine")
        return self._rdflib(plan)

    def _ox(self, plan: Plan, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Result:
        import pyoxigraph as ox

        scoped = bool(plan.from_graphs or plan.from_named)
        kwargs: dict[str, Any] = {"use_default_graph_as_union": not (default_graphs or scoped)}
        try:
            if default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as exc:
            raise UsageError(f"bad graph IRI: {exc}") from exc
        try:
            r = self.data.query(plan.text, prefixes=dict(PREFIXES), **kwargs)
        except SyntaxError as exc:
            raise UsageError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise UsageError(f"query failed: {exc}") from exc
        if isinstance(r, ox.QueryBoolean):
            return Result("ask", boolean=bool(r))
        if isinstance(r, ox.QuerySolutions):
            names = [v.value for v in r.variables]
            rows = [[_ox_cell(sol[n]) for n in names] for sol in r]
            return Result("select", vars=names, rows=rows)
        triples = []
        for t in r:
            s, p, o = (_ox_cell(x) for x in (t.subject, t.predicate, t.object))
            assert s and p and o
            triples.append((s, p, o))
        return Result("graph", triples=triples)

    def _rdflib(self, plan: Plan) -> Result:
        # rdflib runs the very algebra that check() inspected (no second parse)
        try:
            r = self.data.query(plan.algebra)
            kind = r.type
            if kind == "ASK":
                return Result("ask", boolean=bool(r.askAnswer))
            if kind == "SELECT":
                names = [str(v) for v in (r.vars or [])]
                rows = [[_rdflib_cell(row[i]) for i in range(len(names))] for row in r]
                return Result("select", vars=names, rows=rows)
            triples = []
            for t in r:
                s, p, o = (_rdflib_cell(x) for x in t)
                assert s and p and o
                triples.append((s, p, o))
            return Result("graph", triples=triples)
        except KgError:
            raise
        except Exception as exc:
            name = type(exc).__name__
            if name in ("ParseException", "ParseSyntaxException") or "pyparsing" in type(exc).__module__:
                raise UsageError(f"SPARQL syntax error: {exc}") from exc
            raise


def run(
    target: str | Path,
    query: str,
    params: Mapping[str, str] | None = None,
    engine: str = "oxigraph",
    timeout: float | None = None,
    isolated: bool = False,
) -> Result:
    """Resolve, bind and run a query on a target (the library function behind ``kg query``).

    With a ``timeout`` or ``isolated`` the query runs in a :class:`QueryChild` (no network,
    killed at the time limit); otherwise in this process.
    """
    nq = resolve(query)
    text = bind(nq, params)
    g = Target(target, engine)
    if timeout is None and not isolated:
        return g.execute(text)
    g.load()
    return call_with_timeout(lambda: g.execute(text), timeout)
