"""``kg query``: SPARQL over a built dataset, on Oxigraph (default) or rdflib.

The target is a build folder (its ``graph.nq`` is loaded into memory), a store folder
(``kg build --store``, read in place), or an RDF file. The ontology's prefixes (``kg:``,
``rdfs:``, ``skos:``, ``prov:``, ``dcterms:``…) are predeclared. Every query is checked before
the engine sees it (:mod:`kg.export.sparql.check`); :func:`run` resolves a named query
(:mod:`kg.export.sparql.named`), binds its parameters and runs it, in a query child
(:mod:`kg.export.sparql.child`) when it has a time limit.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, cast

from kg.errors import KgError, UsageError
from kg.export.sparql.check import ForbiddenQuery, Plan, check, is_update
from kg.export.sparql.child import call_with_timeout
from kg.export.sparql.lex import in_text_order, readable_parser_error, star_projection
from kg.export.sparql.named import NamedQuery, Param, bind, param_term, resolve
from kg.export.sparql.results import WRITERS, Answer, Cell, Result, display, nt
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

    def _plan(self, text: str) -> Plan:
        """The checked query (see :meth:`execute`), its FROM graphs found in this dataset."""
        if is_update(text):
            raise UsageError("SPARQL updates are not allowed: kg query and kg serve are read-only")
        plan = check(text)
        for iri in dict.fromkeys(plan.from_graphs + plan.from_named):
            if not self.has_graph(iri):
                raise ForbiddenQuery(
                    f"FROM <{iri}> is not a graph of {self.target}: queries read no files or URLs; "
                    "FROM and FROM NAMED take the dataset's own graphs (kgg:…)"
                )
        return plan

    def execute(
        self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> Result:
        """Run SPARQL ``text`` (prefixes predeclared) and return its result.

        The query is parsed and checked first (:func:`check`): updates, ``SERVICE`` and a
        ``FROM``/``FROM NAMED`` of anything but a graph of this dataset are refused, on both
        engines, before the engine sees the query. The default graph is the union of all
        graphs unless the query has ``FROM``/``FROM NAMED`` (then the dataset is as SPARQL
        says) or ``default_graphs`` / ``named_graphs`` name some (the protocol's
        ``default-graph-uri`` and ``named-graph-uri``, which take precedence). ``SELECT *``
        gives its variables in the order the query first names them.
        """
        plan = self._plan(text)
        if self.engine == "oxigraph":
            return _ox_result(self._ox(plan, default_graphs, named_graphs))
        if default_graphs or named_graphs:
            raise UsageError("default-graph-uri and named-graph-uri need the oxigraph engine")
        return self._rdflib(plan)

    def answer(
        self,
        text: str,
        fmt: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        graph_format: str | None = None,
        limit: int | None = None,
    ) -> Answer:
        """Run ``text`` as :meth:`execute` does and write its result in ``fmt`` (a name of
        :data:`WRITERS`); graph results as N-Triples when ``graph_format`` is ``"nt"``.

        On Oxigraph, SELECT results in CSV, TSV, JSON and XML are written by Oxigraph itself
        (``QuerySolutions.serialize``, an order of magnitude faster than building the rows in
        Python); tables, ASK, graph results in our formats and the rdflib engine go through
        :class:`Result` and :data:`WRITERS`. Past ``limit`` bytes, :class:`AnswerTooLarge`.
        """
        plan = self._plan(text)
        if self.engine == "oxigraph":
            import pyoxigraph as ox

            raw = self._ox(plan, default_graphs, named_graphs)
            if isinstance(raw, ox.QuerySolutions) and fmt in _OX_RESULT_FORMATS:
                sink = _Bounded(limit)
                raw.serialize(
                    cast(IO[bytes], sink), format=getattr(ox.QueryResultsFormat, _OX_RESULT_FORMATS[fmt])
                )
                return Answer("select", bytes(sink.data))
            if isinstance(raw, ox.QueryTriples) and graph_format == "nt":
                sink = _Bounded(limit)
                raw.serialize(cast(IO[bytes], sink), format=ox.RdfFormat.N_TRIPLES)
                return Answer("graph", bytes(sink.data))
            result = _ox_result(raw)
        else:
            if default_graphs or named_graphs:
                raise UsageError("default-graph-uri and named-graph-uri need the oxigraph engine")
            result = self._rdflib(plan)
        if result.kind == "graph" and graph_format == "nt":
            body = "".join(f"{nt(s)} {nt(p)} {nt(o)} .\n" for s, p, o in result.triples)
        else:
            body = WRITERS[fmt](result)
        data = body.encode("utf-8")
        if limit is not None and len(data) > limit:
            raise AnswerTooLarge(limit)
        return Answer(result.kind, data)

    def _ox(self, plan: Plan, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> Any:
        """Oxigraph's own result of a checked query (``SELECT *`` in the query's order)."""
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

        def query(text: str) -> Any:
            try:
                return self.data.query(text, prefixes=dict(PREFIXES), **kwargs)
            except SyntaxError as exc:
                raise UsageError(f"SPARQL syntax error: {readable_parser_error(str(exc))}") from exc
            except (OSError, ValueError) as exc:
                raise UsageError(f"query failed: {exc}") from exc

        r = query(plan.text)
        star = star_projection(plan.text)
        if star is not None and isinstance(r, ox.QuerySolutions):
            names = [v.value for v in r.variables]
            order = in_text_order(plan.text, names, after=star[1])
            if order != names:  # Oxigraph sorts them: name them in the query's order instead
                start, end = star
                r = query(plan.text[:start] + " ".join("?" + v for v in order) + plan.text[end:])
        return r

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
                star = star_projection(plan.text)
                if star is not None:
                    order = in_text_order(plan.text, names, after=star[1])
                    pick = [names.index(v) for v in order]
                    names, rows = order, [[row[i] for i in pick] for row in rows]
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


def _ox_result(r: Any) -> Result:
    """An Oxigraph result as an engine-neutral :class:`Result`."""
    import pyoxigraph as ox

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


#: our format names → Oxigraph's QueryResultsFormat, for SELECT results
_OX_RESULT_FORMATS = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "xml": "XML"}


class AnswerTooLarge(UsageError):
    """An answer past the size limit of its writer."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is over {limit >> 20} MiB: narrow the query or add LIMIT")


class _Bounded(io.RawIOBase):
    """A byte sink for Oxigraph's writers that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int | None) -> None:
        self.data = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.data += b
        if self.limit is not None and len(self.data) > self.limit:
            raise AnswerTooLarge(self.limit)
        return len(b)


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
    killed at the time limit); otherwise in this process. A name given to a named query that
    names no entity of the target is an error (:func:`check_names`).
    """
    nq = resolve(query)
    text = bind(nq, params, engine)
    g = Target(target, engine)

    def work() -> Result:
        check_names(g, nq, params or {})
        return g.execute(text)

    if timeout is None and not isolated:
        return work()
    g.load()
    return call_with_timeout(work, timeout)


def run_answer(
    target: str | Path,
    query: str,
    fmt: str,
    params: Mapping[str, str] | None = None,
    engine: str = "oxigraph",
    timeout: float | None = None,
    isolated: bool = False,
) -> Answer:
    """:func:`run`, with the result written in ``fmt`` (:meth:`Target.answer`)."""
    nq = resolve(query)
    text = bind(nq, params, engine)
    g = Target(target, engine)

    def work() -> Answer:
        check_names(g, nq, params or {})
        return g.answer(text, fmt)

    if timeout is None and not isolated:
        return work()
    g.load()
    return call_with_timeout(work, timeout)


# -- names given to named queries -------------------------------------------------------------------------

_LABELS = ("rdfs:label", "skos:prefLabel", "skos:altLabel")
_ZH_NAME = re.compile(r'"((?:[^"\\]|\\.)*)"@zh')


def label_properties(nq: NamedQuery, var: str) -> tuple[str, ...]:
    """The label properties through which ``nq`` matches ``?var`` (``?e rdfs:label ?var``,
    ``?t skos:prefLabel|skos:altLabel ?var``); all of them when the text shows none."""
    alt = "|".join(_LABELS)
    used: set[str] = set()
    for m in re.finditer(rf"((?:(?:{alt})\|?)+)\s+[?$]{var}\b", nq.text):
        used.update(m.group(1).split("|"))
    return tuple(p for p in _LABELS if p in used) or _LABELS


def check_names(g: Target, nq: NamedQuery, given: Mapping[str, str]) -> None:
    """Refuse a name given to a parameter that takes one (a ``"…"@zh`` default) when nothing
    of the target bears it through the label properties the query matches it with: a one-line
    :class:`UsageError` naming it, with the name the query takes when it is an alias (长治 for
    长治市) or else the closest names, instead of no rows."""
    for p in nq.params:
        if p.name not in given:
            continue
        term = param_term(given[p.name], p.default)
        m = _ZH_NAME.fullmatch(term)
        if not m or not _ZH_NAME.fullmatch(p.default):
            continue
        props = label_properties(nq, p.name)
        if g.execute(f"ASK {{ ?x {'|'.join(props)} {term} }}").boolean:
            check_kind(g, p, term, props)
            continue
        name = re.sub(r"\\(.)", r"\1", m.group(1))
        others = [x for x in _LABELS if x not in props]
        if others:
            r = g.execute(
                f"SELECT DISTINCT ?n WHERE {{ ?x {'|'.join(others)} {term} ; {'|'.join(props)} ?n "
                'FILTER (LANG(?n) = "zh") } ORDER BY ?n'
            )
            canon = [row[0][1] for row in r.rows if row[0]]
            if canon:
                raise UsageError(
                    f"{name!r} is another name of {', '.join(canon)}, and this query takes "
                    f"{'that name' if len(canon) == 1 else 'one of those'} (parameter {p.name})"
                )
        close = close_names(g, name, props)
        hint = f"; close names: {', '.join(close)}" if close else "; no name is close to it"
        raise UsageError(f"no entity is named {name!r} (parameter {p.name}){hint}")


def check_kind(g: Target, p: Param, term: str, props: Sequence[str]) -> None:
    """Refuse a name that some entity bears but none of the kind the parameter accepts
    (``# accepts:`` classes or concept schemes): a one-line :class:`UsageError` naming the
    parameter, what it accepts and what the name does name, instead of no rows."""
    if not p.accepts:
        return
    kinds = " ".join(p.accepts)
    lab = "|".join(props)
    if g.execute(f"ASK {{ VALUES ?k {{ {kinds} }} ?x {lab} {term} ; rdf:type|skos:inScheme ?k }}").boolean:
        return
    r = g.execute(f"SELECT DISTINCT ?k WHERE {{ ?x {lab} {term} ; rdf:type|skos:inScheme ?k }} ORDER BY ?k")
    named = [display(row[0]) for row in r.rows if row[0] and row[0][0] == "uri"]
    m = _ZH_NAME.fullmatch(term)
    name = re.sub(r"\\(.)", r"\1", m.group(1)) if m else term
    what = f"it names {', '.join(n for n in named if n) or 'something else'}"
    raise UsageError(
        f"{name!r} names no {' or '.join(p.accepts)} (parameter {p.name} accepts a name of one); {what}"
    )


def close_names(g: Target, name: str, props: Sequence[str] = _LABELS, n: int = 5) -> list[str]:
    """The names (through ``props``) of the target closest to ``name``: those that contain it
    or that it contains first, then by similarity (difflib ratio 0.6 or more), at most ``n``."""
    from difflib import SequenceMatcher

    r = g.execute(f'SELECT DISTINCT ?l WHERE {{ ?x {"|".join(props)} ?l FILTER (LANG(?l) = "zh") }}')
    chars = set(name)
    scored = []
    for row in r.rows:
        label = row[0][1] if row[0] else ""
        if not chars & set(label):
            continue
        inside = name in label or label in name
        ratio = SequenceMatcher(None, name, label).ratio()
        if inside or ratio >= 0.6:
            scored.append((not inside, -ratio, len(label), label))
    return [label for *_key, label in sorted(scored)[:n]]
