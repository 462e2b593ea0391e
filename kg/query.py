"""``kg query``: SPARQL over a built graph, on Oxigraph (default) or rdflib.

A query is a SPARQL file, inline SPARQL, or the name of a query in ``ontology/queries/``.
The ontology's prefixes (``kg:``, ``rdfs:``, ``skos:``, ``prov:``, ``dcterms:``…) are
predeclared. A named query declares its parameters in its comment header::

    # title: Places that implement a campaign
    # answers: Which places implement the campaign named ?campaign?
    # param: campaign = "春夏九防·敲门行动"@zh -- the campaign's canonical name

and a parameter is bound by a ``VALUES`` block at the top of the query's WHERE group, so the
same text runs on any SPARQL 1.1 engine (``--show`` prints it). The target is a build folder
(its ``graph.nq`` is loaded into memory), a store folder (``kg build --store``, read in place),
or an RDF file. Results come as a table, CSV, TSV or SPARQL JSON.

Without ``FROM`` a query sees the union of all named graphs; ``FROM``/``FROM NAMED`` scope it
to graphs of the dataset as SPARQL says. Every query is parsed and checked on its parse tree
before an engine runs it (:func:`check`): updates, ``SERVICE`` and a ``FROM`` of anything but a
graph of the dataset (a file, a URL) are refused, so no query reaches the network or the disk.
Bad SPARQL and refused queries raise :class:`kg.errors.UsageError` (exit code 2).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from kg.errors import KgError, UsageError
from kg.namespace import PREFIXES, XSD
from kg.paths import ontology_dir

ENGINES = ("oxigraph", "rdflib")


class QueryTimeout(KgError):
    """A query ran past its time limit."""

    exit_code = 3


# -- named queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: a variable bound by VALUES, with a default SPARQL term."""

    name: str
    default: str
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    answers: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None


_HEADER = re.compile(r"^#\s*(title|answers|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^\??([A-Za-z_]\w*)\s*=\s*(.+?)(?:\s+--\s+(.*))?$")


def parse_query_file(text: str, name: str = "", path: Path | None = None) -> NamedQuery:
    """A query file with its comment header (title, answers, params)."""
    title = answers = ""
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "answers":
            answers = value
        else:
            pm = _PARAM.match(value)
            if not pm:
                raise UsageError(
                    f"{path or name}: bad parameter line {line!r}; write '# param: name = default -- text'"
                )
            params.append(Param(pm.group(1), pm.group(2).strip(), (pm.group(3) or "").strip()))
    return NamedQuery(name, title, answers, tuple(params), text, path)


def queries_dir() -> Path:
    return ontology_dir() / "queries"


@cache
def named_queries() -> dict[str, NamedQuery]:
    """The named queries of ``ontology/queries/*.rq``, by name (the file stem)."""
    out = {}
    for p in sorted(queries_dir().glob("*.rq")):
        out[p.stem] = parse_query_file(p.read_text(encoding="utf-8"), p.stem, p)
    return out


def resolve(query: str) -> NamedQuery:
    """A query argument (file path, query name or inline SPARQL) as a NamedQuery."""
    p = Path(query)
    if "\n" not in query and len(query) < 4096 and p.suffix in (".rq", ".sparql") and p.is_file():
        return parse_query_file(p.read_text(encoding="utf-8"), p.stem, p)
    if re.fullmatch(r"[A-Za-z0-9_.-]+", query):
        nq = named_queries().get(query)
        if nq is None:
            if p.is_file():
                return parse_query_file(p.read_text(encoding="utf-8"), p.stem, p)
            names = ", ".join(named_queries())
            raise UsageError(f"no query named {query!r}; the named queries are: {names} (kg query --list)")
        return nq
    return NamedQuery("", "", "", (), query)


# -- parameters -------------------------------------------------------------------------------------

_PNAME = re.compile(r"^([A-Za-z][\w-]*)?:[^\s]*$")


def param_term(value: str, default: str) -> str:
    """A user's parameter value as a SPARQL term, in the form of the default.

    ``长子县`` with default ``"…"@zh`` becomes ``"长子县"@zh``; ``targets`` with default
    ``kg:implements`` becomes ``kg:targets``; a value that is already a term is kept.
    """
    v = value.strip()
    if v.startswith(("<", '"', "'")) or _PNAME.match(v):
        return v
    m = re.match(r'^"(?:[^"\\]|\\.)*"(@[A-Za-z-]+|\^\^\S+)?$', default)
    if m:
        escaped = v.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"{m.group(1) or ""}'
    pm = re.match(r"^([A-Za-z][\w-]*):", default)
    if pm:
        return f"{pm.group(1)}:{v}"
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", v):
        return v
    escaped = v.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def bind(nq: NamedQuery, given: Mapping[str, str] | None = None) -> str:
    """The query text with its parameters bound by a VALUES block (defaults where not given)."""
    given = dict(given or {})
    known = {p.name for p in nq.params}
    unknown = sorted(set(given) - known)
    if unknown:
        if known:
            takes = ", ".join(sorted(known))
            raise UsageError(
                f"unknown parameter {', '.join(unknown)}; {nq.name or 'the query'} takes {takes}"
            )
        raise UsageError(f"{nq.name or 'the query'} takes no parameters (got {', '.join(unknown)})")
    if not nq.params:
        return nq.text
    names = [p.name for p in nq.params]
    terms = [param_term(given[p.name], p.default) if p.name in given else p.default for p in nq.params]
    # one VALUES block per variable: Virtuoso 7.2 fails to compile some multi-variable ones
    values = "".join(f"  VALUES ?{n} {{ {t} }}\n" for n, t in zip(names, terms, strict=True))
    pos = where_brace(nq.text)
    if pos < 0:
        raise UsageError(f"{nq.name}: cannot find the WHERE group to bind {', '.join(names)}")
    return nq.text[: pos + 1] + "\n" + values + nq.text[pos + 1 :]


def _scan(text: str) -> list[tuple[int, str]]:
    """Significant tokens of SPARQL text: (offset, token) for keywords and braces only."""
    out: list[tuple[int, str]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            q3 = text[i : i + 3]
            if q3 in ('"""', "'''"):
                j = text.find(q3, i + 3)
                i = n if j < 0 else j + 3
            else:
                j = i + 1
                while j < n and text[j] != c and text[j] != "\n":
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
        elif c == "<":
            m = re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:])
            i += len(m.group(0)) if m else 1
        elif c in "{}":
            out.append((i, c))
            i += 1
        elif c.isalpha() or c == ":":
            m = re.match(r"(?:[A-Za-z][\w.-]*)?:[\w.%-]*|[A-Za-z_][\w-]*", text[i:])
            assert m
            word = m.group(0)
            if ":" not in word:  # a keyword or function name, not a prefixed name
                out.append((i, word.upper()))
            i += len(word)
        elif c in "?$":
            m = re.match(r"[?$]\w+", text[i:])
            i += len(m.group(0)) if m else 1
        else:
            i += 1
    return out


def where_brace(text: str) -> int:
    """Offset of the ``{`` that opens the query's WHERE group (-1 if none)."""
    toks = _scan(text)
    depth = 0
    seen_where = False
    for off, t in toks:
        if t == "WHERE" and depth == 0:
            seen_where = True
        elif t == "{":
            if depth == 0 and (seen_where or not any(x == "WHERE" for _o, x in toks)):
                return off
            depth += 1
        elif t == "}":
            depth -= 1
    return -1


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update (its first keyword after the prologue)."""
    for _off, t in _scan(text):
        if t in ("PREFIX", "BASE"):
            continue
        return t in _UPDATE_WORDS
    return False


# -- what a query may reach -------------------------------------------------------------------------


class ForbiddenQuery(UsageError):
    """A query that would reach outside the dataset: SERVICE, or FROM a file or URL."""


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# what rdflib's parser would still expand (it also reads \u followed by 8 digits, and \U by 4)
_LEFT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")


def canonical(text: str) -> str:
    """The query text both engines are given: codepoint escapes expanded, line ends as LF.

    SPARQL 1.1 (19.2) expands ``\\uXXXX`` and ``\\UXXXXXXXX`` anywhere before parsing; rdflib
    does (and also reads ``\\u`` with 8 digits), Oxigraph only inside IRIs and strings, and
    Oxigraph ends a ``#`` comment at CR where rdflib runs on to LF. Both engines see this
    text, so they cannot read two different queries from it.
    """

    def expand(m: re.Match[str]) -> str:
        cp = int(m.group(1) or m.group(2), 16)
        if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            raise UsageError(f"SPARQL syntax error: {m.group(0)} is not a Unicode code point")
        return chr(cp)

    out = _CODEPOINT.sub(expand, text).replace("\r\n", "\n").replace("\r", "\n")
    left = _LEFT_ESCAPE.search(out)
    if left:
        raise UsageError(
            f"SPARQL syntax error: {left.group(0)!r} is left after expanding codepoint escapes "
            "(write \\uXXXX, \\UXXXXXXXX or the character itself)"
        )
    return out


@dataclass(frozen=True)
class Plan:
    """A query checked on its parse tree: the text to run and the dataset it names."""

    text: str  #: the canonical text (what the engine parses)
    form: str  #: SelectQuery, AskQuery, ConstructQuery or DescribeQuery
    from_graphs: tuple[str, ...]  #: FROM
    from_named: tuple[str, ...]  #: FROM NAMED
    algebra: Any = field(repr=False, compare=False)  #: rdflib's translated query (its engine runs it)


_NO_SERVICE = "{target} is not allowed: queries run on the local graph and make no outside requests"


class _Quiet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


def _nodes(tree: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree or algebra (CompValues, lists, expressions)."""
    from pyparsing import ParseResults

    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, dict):  # CompValue and Expr are dicts
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)


def check(text: str) -> Plan:
    """Parse a query and refuse what would reach outside the dataset (the parse tree decides).

    Refused: updates (LOAD among them), ``SERVICE`` anywhere (a subquery, ``EXISTS``, a
    variable endpoint, ``SILENT``). ``FROM``/``FROM NAMED`` are returned for the caller to
    check against its graphs (:meth:`Graph.execute`). Raises :class:`UsageError`
    (:class:`ForbiddenQuery` for what would reach out).
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    canon = canonical(text)
    noisy = logging.getLogger("rdflib.term")  # warns of odd IRIs while parsing
    quiet = _Quiet()
    noisy.addFilter(quiet)
    try:
        try:
            tree = parseQuery(canon)
        except ParseBaseException as exc:
            try:
                parseUpdate(canon)
            except Exception:
                # rdflib cannot parse some SERVICE clauses (it searches the whole text for
                # them again, and a '#' before them defeats that): refused all the same
                if canon[exc.loc : exc.loc + 7].upper() == "SERVICE":
                    raise ForbiddenQuery(_NO_SERVICE.format(target="SERVICE")) from None
                raise UsageError(f"SPARQL syntax error: {exc}") from None
            raise UsageError("SPARQL updates are not allowed: kg query and kg serve are read-only") from None
        try:
            query = translateQuery(tree, initNs=dict(PREFIXES))
        except Exception as exc:  # unknown prefixes and the like
            raise UsageError(f"SPARQL syntax error: {exc}") from None
    finally:
        noisy.removeFilter(quiet)
    for node in itertools.chain(_nodes(tree), _nodes(query.algebra)):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            # (CompValue.get returns the key when it is missing)
            n3 = getattr(dict.get(node, "term"), "n3", None)
            target = f"SERVICE {n3()}" if callable(n3) else "SERVICE"
            raise ForbiddenQuery(_NO_SERVICE.format(target=target))
    algebra = query.algebra
    # (CompValue.get returns the key itself for a missing key: test membership)
    from_graphs = tuple(str(d["default"]) for d in algebra.datasetClause or () if "default" in d)
    from_named = tuple(str(d["named"]) for d in algebra.datasetClause or () if "named" in d)
    return Plan(canon, algebra.name, from_graphs, from_named, query)


def with_prefixes(text: str) -> str:
    """The query with PREFIX declarations for every predeclared prefix (for other engines)."""
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    return head + text


# -- results ----------------------------------------------------------------------------------------

#: an RDF term in a result: ("uri", iri) | ("literal", value, lang, datatype) | ("bnode", id)
Cell = tuple[str, ...]


@dataclass
class Result:
    """The result of a query, independent of the engine."""

    kind: str  # "select" | "ask" | "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Cell, Cell, Cell]] = field(default_factory=list)


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


# -- loading a target ---------------------------------------------------------------------------------

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


class Graph:
    """A loaded target on one engine, answering queries with the union of its named graphs."""

    def __init__(self, target: str | Path, engine: str = "oxigraph") -> None:
        if engine not in ENGINES:
            raise UsageError(f"unknown engine {engine!r}; choose {', '.join(ENGINES)}")
        self.target = Path(target)
        self.engine = engine
        self.kind = target_kind(target)
        self._data: Any = None

    @classmethod
    def of_store(cls, store: Any) -> Graph:
        """A graph over an Oxigraph store already in memory (the library API's built graph)."""
        graph = cls.__new__(cls)
        graph.target = Path("<memory>")
        graph.engine = "oxigraph"
        graph.kind = "memory"
        graph._data = store
        return graph

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

    def load(self) -> Graph:
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
    g = Graph(target, engine)
    if timeout is None and not isolated:
        return g.execute(text)
    g.load()
    return call_with_timeout(lambda: g.execute(text), timeout)


# -- time and memory limits ---------------------------------------------------------------------------------


class QueryTooLarge(KgError):
    """A query went past its memory limit."""

    exit_code = 3


def _address_space() -> int:
    """Bytes of address space this process maps now (0 if unknown)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


#: (seccomp audit arch, socket syscall number) per machine
_SECCOMP_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def deny_network() -> bool:
    """Forbid this process to open IPv4 and IPv6 sockets, for good (seccomp; Linux only).

    A query child calls it before it parses its query: whatever the query holds, and however
    an engine reads it, the child cannot connect anywhere (``socket()`` fails with EACCES).
    The check of :func:`check` decides and explains; this makes its mistakes harmless.
    False where the kernel or the machine does not allow it (then nothing changes).
    """
    import ctypes
    import platform
    import socket
    import struct
    import sys

    arch = _SECCOMP_ARCH.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    audit_arch, nr_socket = arch
    ld, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
    allow, deny = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    # struct seccomp_data: nr at 0, arch at 4, args[0] at 16 (low word: little endian)
    program = [
        op(ld, 4),
        op(jeq, audit_arch, 1, 0),
        op(ret, deny),  # a syscall of another ABI: refuse it (none is expected here)
        op(ld, 0),
        op(jeq, nr_socket, 2, 0),
        op(jeq, nr_socket | 0x40000000, 1, 0),  # the x32 ABI's number
        op(ret, allow),
        op(ld, 16),
        op(jeq, socket.AF_INET, 2, 0),
        op(jeq, socket.AF_INET6, 1, 0),
        op(ret, allow),
        op(ret, deny),
    ]
    code = b"".join(program)
    buf = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program), ctypes.cast(buf, ctypes.c_void_p))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            return False
        return bool(libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0)  # PR_SET_SECCOMP, FILTER
    except (OSError, AttributeError):
        return False


class QueryChild:
    """``fn`` run in a forked child process, with an optional memory limit.

    Engines cannot interrupt a running query, so a query runs in a child process (forked: it
    shares the loaded store, copy-on-write) that can be killed when it runs too long, and whose
    address space is capped (``RLIMIT_AS``: what the parent maps at the fork plus
    ``memory_mb``), so a query that materializes too much fails alone, and which cannot open
    a network socket (:func:`deny_network`). The result (or the library error) comes back
    pickled through a pipe.
    """

    def __init__(self, fn: Callable[[], Any], memory_mb: float | None = None) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self.memory_mb = memory_mb
        self._reader, writer = ctx.Pipe(duplex=False)

        def child() -> None:
            import pickle

            self._reader.close()
            # errors come back through the pipe: what the engines print on the way out (Rust's
            # "memory allocation failed", generators finalized after a MemoryError) is noise
            import faulthandler

            faulthandler.disable()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
            deny_network()
            if memory_mb:
                import resource

                base = _address_space()
                if base:
                    cap = base + int(memory_mb * 1e6)
                    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            try:
                payload: tuple[str, Any] = ("ok", fn())
            except KgError as exc:
                payload = ("error", exc)
            except MemoryError:
                payload = ("memory", "")
            except BaseException as exc:
                payload = ("crash", f"{type(exc).__name__}: {exc}")
            try:
                data = pickle.dumps(payload)
            except MemoryError:
                data = pickle.dumps(("memory", ""))
            except Exception as exc:  # the result did not pickle
                data = pickle.dumps(("crash", f"{type(exc).__name__}: {exc}"))
            writer.send_bytes(data)
            writer.close()

        self.proc = ctx.Process(target=child, daemon=True)
        self.proc.start()
        writer.close()

    @property
    def pid(self) -> int:
        assert self.proc.pid is not None
        return self.proc.pid

    def wait(self, seconds: float | None) -> bool:
        """True when the answer is ready (or the child died) within ``seconds`` (None: ever)."""
        return bool(self._reader.poll(None if seconds is None else max(0.0, seconds)))

    def result(self) -> Any:
        """The value of ``fn`` (after :meth:`wait` returned True); its error re-raised."""
        import pickle

        try:
            status, value = pickle.loads(self._reader.recv_bytes())
        except EOFError:
            self.proc.join(5)
            code = self.proc.exitcode
            if self.memory_mb and code is not None and code < 0:  # aborted on a failed allocation
                status, value = "memory", ""
            else:
                raise KgError(f"the query process died without an answer (exit code {code})") from None
        if status == "ok":
            return value
        if status == "error":
            raise value
        if status == "memory":
            raise QueryTooLarge(
                f"the query went past its memory limit of {self.memory_mb:g} MB and was stopped"
            )
        raise KgError(f"query failed: {value}")

    def deprioritize(self) -> None:
        """Give the child the lowest CPU priority (a long query yields to short ones)."""
        import contextlib

        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, 19)

    def close(self) -> None:
        """Kill the child if it still runs and reap it."""
        self._reader.close()
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)


def call_with_timeout(fn: Callable[[], Any], timeout: float | None, memory_mb: float | None = None) -> Any:
    """Run ``fn`` in a :class:`QueryChild`; kill it and raise QueryTimeout after ``timeout`` s."""
    child = QueryChild(fn, memory_mb)
    try:
        if not child.wait(timeout):
            raise QueryTimeout(f"the query ran past its time limit of {timeout:g} s and was stopped")
        return child.result()
    finally:
        child.close()


# -- output ------------------------------------------------------------------------------------------------


def _compact(iri: str) -> str:
    """An IRI for display: a prefixed name where one fits, percent-encoding decoded."""
    best = ""
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = p
    if best:
        return f"{best}:{unquote(iri[len(PREFIXES[best]) :])}"
    return iri


def display(c: Cell | None) -> str:
    """A cell for the table: literal values bare, IRIs compacted and decoded."""
    if c is None:
        return ""
    if c[0] == "uri":
        return _compact(c[1])
    if c[0] == "bnode":
        return "_:" + c[1]
    return c[1]


def nt(c: Cell | None) -> str:
    """A cell in N-Triples syntax (TSV results)."""
    if c is None:
        return ""
    if c[0] == "uri":
        return f"<{c[1]}>"
    if c[0] == "bnode":
        return "_:" + c[1]
    from kg.export.rdf.quads import Lit
    from kg.export.rdf.serialize import nt_term

    return nt_term(Lit(c[1], c[2] or None, c[3] or None))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


def format_table(r: Result, max_width: int = 60) -> str:
    """A text table (CJK-aware column widths); ASK gives yes/no, graphs give N-Triples."""
    if r.kind == "ask":
        return "yes" if r.boolean else "no"
    if r.kind == "graph":
        return "\n".join(f"{nt(s)} {nt(p)} {nt(o)} ." for s, p, o in r.triples)

    def cut(s: str) -> str:
        s = s.replace("\n", " ")
        if _width(s) <= max_width:
            return s
        out, w = "", 0
        for ch in s:
            cw = _width(ch)
            if w + cw > max_width - 1:
                break
            out += ch
            w += cw
        return out + "…"

    cells = [[cut(display(c)) for c in row] for row in r.rows]
    widths = [max([_width(v), *(_width(row[i]) for row in cells)]) for i, v in enumerate(r.vars)]
    lines = ["  ".join(_pad(v, widths[i]) for i, v in enumerate(r.vars)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(v, widths[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    lines.append(f"({len(r.rows)} row{'s' if len(r.rows) != 1 else ''})")
    return "\n".join(lines)


def to_csv(r: Result) -> str:
    """SPARQL 1.1 Query Results CSV (values only; CRLF line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if r.kind == "ask":
        w.writerow(["boolean"])
        w.writerow(["true" if r.boolean else "false"])
        return buf.getvalue()
    if r.kind == "graph":
        w.writerow(["subject", "predicate", "object"])
        for t in r.triples:
            w.writerow([c[1] if c[0] != "bnode" else "_:" + c[1] for c in t])
        return buf.getvalue()
    w.writerow(r.vars)
    for row in r.rows:
        w.writerow(["" if c is None else ("_:" + c[1] if c[0] == "bnode" else c[1]) for c in row])
    return buf.getvalue()


def to_tsv(r: Result) -> str:
    """SPARQL 1.1 Query Results TSV (terms in N-Triples syntax)."""
    if r.kind == "ask":
        return "?boolean\n" + ("true" if r.boolean else "false") + "\n"
    if r.kind == "graph":
        return "".join(f"{nt(s)}\t{nt(p)}\t{nt(o)}\n" for s, p, o in r.triples)
    lines = ["\t".join("?" + v for v in r.vars)]
    lines += ["\t".join(nt(c) for c in row) for row in r.rows]
    return "\n".join(lines) + "\n"


def _json_term(c: Cell) -> dict[str, str]:
    if c[0] == "uri":
        return {"type": "uri", "value": c[1]}
    if c[0] == "bnode":
        return {"type": "bnode", "value": c[1]}
    out = {"type": "literal", "value": c[1]}
    if c[2]:
        out["xml:lang"] = c[2]
    elif c[3]:
        out["datatype"] = c[3]
    return out


def to_json(r: Result) -> str:
    """SPARQL 1.1 Query Results JSON (a graph result as a list of subject/predicate/object)."""
    if r.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(r.boolean)}
    elif r.kind == "graph":
        doc = {
            "head": {"vars": ["subject", "predicate", "object"]},
            "results": {
                "bindings": [
                    {"subject": _json_term(s), "predicate": _json_term(p), "object": _json_term(o)}
                    for s, p, o in r.triples
                ]
            },
        }
    else:
        doc = {
            "head": {"vars": r.vars},
            "results": {
                "bindings": [
                    {v: _json_term(c) for v, c in zip(r.vars, row, strict=True) if c is not None}
                    for row in r.rows
                ]
            },
        }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_xml(r: Result) -> str:
    """SPARQL Query Results XML (SELECT and ASK)."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if r.kind == "ask":
        out += ["</head>", f"<boolean>{'true' if r.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"<variable name={quoteattr(v)}/>" for v in r.vars]
    out += ["</head>", "<results>"]
    for row in r.rows:
        out.append("<result>")
        for v, c in zip(r.vars, row, strict=True):
            if c is None:
                continue
            if c[0] == "uri":
                inner = f"<uri>{escape(c[1])}</uri>"
            elif c[0] == "bnode":
                inner = f"<bnode>{escape(c[1])}</bnode>"
            elif c[2]:
                inner = f"<literal xml:lang={quoteattr(c[2])}>{escape(c[1])}</literal>"
            elif c[3]:
                inner = f"<literal datatype={quoteattr(c[3])}>{escape(c[1])}</literal>"
            else:
                inner = f"<literal>{escape(c[1])}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


WRITERS: dict[str, Callable[[Result], str]] = {
    "table": format_table,
    "csv": to_csv,
    "tsv": to_tsv,
    "json": to_json,
    "xml": to_xml,
}


def list_queries() -> str:
    """The named queries: name, title, parameters with defaults."""
    lines = []
    for name, nq in named_queries().items():
        lines.append(f"{name}")
        lines.append(f"    {nq.title}")
        if nq.answers:
            lines.append(f"    {nq.answers}")
        for p in nq.params:
            lines.append(
                f"    -p {p.name}=…  (default {p.default}){'  ' + p.description if p.description else ''}"
            )
    return "\n".join(lines)


def parse_params(items: Sequence[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings as a dict."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(
                f"bad parameter {item!r}; write -p NAME=VALUE (e.g. -p campaign=春夏九防·敲门行动)"
            )
        out[name.strip().lstrip("?")] = value
    return out
