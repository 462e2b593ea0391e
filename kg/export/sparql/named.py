"""Named queries and their parameters: what ``kg query NAME -p k=v`` runs.

A query is a SPARQL file, inline SPARQL, or the name of a query in ``ontology/queries/``. A
named query declares its parameters in its comment header::

    # title: Places that implement a campaign
    # answers: Which places implement the campaign named ?campaign?
    # param: campaign = "春夏九防·敲门行动"@zh -- the campaign's canonical name
    # accepts: campaign = kg:Campaign

and a parameter is bound by a ``VALUES`` block at the top of the query's WHERE group, so the
same text runs on any SPARQL 1.1 engine (``--show`` prints it, :func:`with_prefixes` adds the
predeclared prefixes for engines that do not know them).

A named query may also carry an Oxigraph form, ``ontology/queries/oxigraph/NAME.rq``: the same
question led differently through the data (sub-selects that Oxigraph joins by hashing, where it
would otherwise look each solution up one by one), which rdflib cannot run in reasonable time.
The Oxigraph engine (``kg query``'s default, ``kg serve``, the library API) runs that form,
bound with the same parameters; rdflib and ``--show`` (for other engines) take the portable
text. tests/test_queries_rewrites.py checks that both forms answer the same multiset of rows.

``accepts`` says what a parameter takes, so that a value of the wrong kind is a one-line error
naming the parameter and what it accepts, not an empty answer: for a name (a ``"…"@zh``
default), the classes or concept schemes one of whose members must bear it; for an IRI (a
``kg:implements`` default), the IRIs it may be.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from kg.errors import DataError, UsageError
from kg.export.sparql.check import where_brace
from kg.namespace import PREFIXES
from kg.paths import ontology_dir


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: a variable bound by VALUES, with a default SPARQL term."""

    name: str
    default: str
    description: str = ""
    #: what the parameter accepts (``# accepts:``): classes or concept schemes for a name,
    #: the allowed IRIs for an IRI; empty: anything
    accepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    answers: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    #: the Oxigraph form (``ontology/queries/oxigraph/NAME.rq``), which the Oxigraph engine runs
    oxigraph: str | None = None


_HEADER = re.compile(r"^#\s*(title|answers|param|accepts)\s*:\s*(.*)$")
_PARAM = re.compile(r"^\??([A-Za-z_]\w*)\s*=\s*(.+?)(?:\s+--\s+(.*))?$")


def parse_query_file(text: str, name: str = "", path: Path | None = None) -> NamedQuery:
    """A query file with its comment header (title, answers, params)."""
    title = answers = ""
    params: list[Param] = []
    accepts: dict[str, tuple[str, ...]] = {}
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
        elif key == "accepts":
            am = re.match(r"^\??([A-Za-z_]\w*)\s*=\s*(\S.*)$", value)
            if not am:
                raise UsageError(
                    f"{path or name}: bad accepts line {line!r}; write '# accepts: name = kg:Class …'"
                )
            accepts[am.group(1)] = tuple(am.group(2).split())
        else:
            pm = _PARAM.match(value)
            if not pm:
                raise UsageError(
                    f"{path or name}: bad parameter line {line!r}; write '# param: name = default -- text'"
                )
            params.append(Param(pm.group(1), pm.group(2).strip(), (pm.group(3) or "").strip()))
    unknown = sorted(set(accepts) - {p.name for p in params})
    if unknown:
        raise UsageError(f"{path or name}: '# accepts:' for {', '.join(unknown)}, which is no '# param:'")
    params = [replace(p, accepts=accepts.get(p.name, ())) for p in params]
    return NamedQuery(name, title, answers, tuple(params), text, path)


def queries_dir() -> Path:
    return ontology_dir() / "queries"


#: the folder of ``queries_dir()`` that holds the Oxigraph forms of some named queries
OXIGRAPH_FORMS = "oxigraph"


@cache
def named_queries() -> dict[str, NamedQuery]:
    """The named queries of ``ontology/queries/*.rq``, by name (the file stem), each with its
    Oxigraph form when ``ontology/queries/oxigraph/`` has one of the same name."""
    out = {}
    forms = queries_dir() / OXIGRAPH_FORMS
    for p in sorted(queries_dir().glob("*.rq")):
        nq = parse_query_file(p.read_text(encoding="utf-8"), p.stem, p)
        ox = forms / p.name
        if ox.is_file():
            nq = replace(nq, oxigraph=ox.read_text(encoding="utf-8"))
        out[p.stem] = nq
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


#: a comment line ``# values: ?name …`` marks where those parameters' VALUES blocks go: inside
#: the sub-select that needs them (an Oxigraph form's), which a block at the top of the WHERE
#: group would bind only after the sub-select has been evaluated for every value
_VALUES_HERE = re.compile(r"^([ \t]*)#[ \t]*values:[ \t]*(\?\w+(?:[ \t]+\?\w+)*)[ \t]*$", re.M)


def bind(nq: NamedQuery, given: Mapping[str, str] | None = None, engine: str | None = None) -> str:
    """The query text with its parameters bound by VALUES blocks (defaults where not given):
    the Oxigraph form when ``engine`` is ``"oxigraph"`` and the query has one, else the
    portable text. A block goes where a ``# values: ?name`` line marks it, else at the top of
    the WHERE group."""
    text = nq.oxigraph if engine == "oxigraph" and nq.oxigraph is not None else nq.text
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
        return text
    names = [p.name for p in nq.params]
    terms = [param_term(given[p.name], p.default) if p.name in given else p.default for p in nq.params]
    for p, t in zip(nq.params, terms, strict=True):
        check_iri(p, t)
    # one VALUES block per variable: Virtuoso 7.2 fails to compile some multi-variable ones
    blocks = {n: f"VALUES ?{n} {{ {t} }}" for n, t in zip(names, terms, strict=True)}
    placed: set[str] = set()

    def here(m: re.Match[str]) -> str:
        wanted = [v[1:] for v in m.group(2).split()]
        for n in wanted:
            if n not in blocks:
                raise DataError(f"{nq.name}: '# values:' names ?{n}, which is not one of its parameters")
        placed.update(wanted)
        return "\n".join(m.group(1) + blocks[n] for n in wanted)

    text = _VALUES_HERE.sub(here, text)
    rest = [n for n in names if n not in placed]
    if not rest:
        return text
    pos = where_brace(text)
    if pos < 0:
        raise UsageError(f"{nq.name}: cannot find the WHERE group to bind {', '.join(rest)}")
    values = "".join(f"  {blocks[n]}\n" for n in rest)
    return text[: pos + 1] + "\n" + values + text[pos + 1 :]


def expand(term: str) -> str:
    """A prefixed name (``kg:targets``) as ``<IRI>``; any other term as it is."""
    m = re.fullmatch(r"([A-Za-z][\w-]*)?:(\S*)", term)
    if m and (m.group(1) or "") in PREFIXES:
        return f"<{PREFIXES[m.group(1) or '']}{m.group(2)}>"
    return term


def is_name_param(p: Param) -> bool:
    """Whether ``p`` takes a name (its default is a quoted literal), not an IRI."""
    return p.default.startswith(('"', "'"))


def check_iri(p: Param, term: str) -> None:
    """Refuse an IRI given to a parameter that accepts some IRIs only: a one-line
    :class:`UsageError` naming the parameter and the IRIs it accepts."""
    if not p.accepts or is_name_param(p):
        return
    if expand(term) not in {expand(a) for a in p.accepts}:
        raise UsageError(f"{term} is not a value of parameter {p.name}; it accepts {', '.join(p.accepts)}")


def with_prefixes(text: str) -> str:
    """The query with PREFIX declarations for every predeclared prefix (for other engines)."""
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    return head + text


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
            if p.accepts:
                what = "a name of a member of" if is_name_param(p) else "one of"
                lines.append(f"        accepts {what}: {' '.join(p.accepts)}")
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
