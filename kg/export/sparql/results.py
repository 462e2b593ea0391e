"""Query results independent of the engine, and their formats: a text table and the SPARQL 1.1
results as CSV, TSV, JSON and XML (:data:`WRITERS`, by the name ``kg query -f`` takes)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.export.sparql.lex import compact

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


@dataclass(frozen=True)
class Answer:
    """A result written in a format: its kind (as :class:`Result`'s) and its bytes."""

    kind: str  # "select" | "ask" | "graph"
    body: bytes


def display(c: Cell | None) -> str:
    """A cell for the table: literal values bare, IRIs as a query writes them (they paste
    back: ``kgi:place/长子县``, ``<https://example.org/x>``; :func:`kg.export.sparql.lex.compact`)."""
    if c is None:
        return ""
    if c[0] == "uri":
        return compact(c[1])
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
    """A text table (CJK-aware column widths); ASK gives yes/no, graphs give N-Triples.

    Long texts are cut at ``max_width`` (with …); IRIs never are, so each pastes back whole."""
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

    cells = [[display(c) if c and c[0] == "uri" else cut(display(c)) for c in row] for row in r.rows]
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
