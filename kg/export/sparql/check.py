"""What a query may reach: every query is parsed and checked before an engine runs it.

Without ``FROM`` a query sees the union of all named graphs; ``FROM``/``FROM NAMED`` scope it
to graphs of the dataset as SPARQL says. :func:`check` parses the query (rdflib's parser) and
refuses, on its parse tree, updates, ``SERVICE`` anywhere and (with the engine's help) a
``FROM`` of anything but a graph of the dataset, so no query reaches the network or the disk.
Bad SPARQL and refused queries raise :class:`kg.errors.UsageError` (exit code 2). A small
tokenizer finds the WHERE group (to bind parameters) and tells updates from queries.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import UsageError
from kg.export.sparql.lex import (
    bare_word,
    bare_word_message,
    code,
    normalise,
    undeclared_prefix_message,
)
from kg.namespace import PREFIXES


def _scan(text: str) -> list[tuple[int, str]]:
    """Significant tokens of SPARQL text: (offset, token) for keywords (upper case) and braces."""
    out: list[tuple[int, str]] = []
    for t in code(text):
        if t.kind == "word" and t.value.isascii():
            out.append((t.start, t.upper))
        elif t.kind == "punct" and t.value in "{}":
            out.append((t.start, t.value))
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
    check against its graphs (:meth:`kg.export.sparql.engine.Target.execute`). Raises :class:`UsageError`
    (:class:`ForbiddenQuery` for what would reach out).
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    canon = normalise(canonical(text))
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
                bare = bare_word(canon)
                if bare is not None:  # 长子县 without quotes: say so, not "Expected SelectQuery"
                    raise UsageError(bare_word_message(canon, bare)) from None
                raise UsageError(f"SPARQL syntax error: {exc}") from None
            raise UsageError("SPARQL updates are not allowed: kg query and kg serve are read-only") from None
        try:
            query = translateQuery(tree, initNs=dict(PREFIXES))
        except Exception as exc:  # unknown prefixes and the like
            m = re.match(r"Unknown namespace prefix\s*:\s*(\S*)", str(exc))
            if m:
                raise UsageError(undeclared_prefix_message(canon, m.group(1))) from None
            raise UsageError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from None
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
