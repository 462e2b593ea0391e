"""Quads out: N-Quads, Turtle, TriG and JSON-LD (byte-identical for equal input), and the same
quads as rdflib and Oxigraph objects (converted on demand; the libraries load on use)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from kg.export.rdf.quads import Lit, Quad, Term
from kg.namespace import PREFIXES, RDF, RDFS, SKOS, XSD


def _nt_escape(text: str) -> str:
    out = []
    for ch in text:
        c = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif c < 0x20 or c == 0x7F:
            out.append(f"\\u{c:04X}")
        else:
            out.append(ch)
    return "".join(out)


def _literal(t: Lit, datatype: str) -> str:
    """A literal in N-Triples/Turtle syntax, ``datatype`` being its datatype IRI as written."""
    body = f'"{_nt_escape(t.value)}"'
    if t.lang:
        return f"{body}@{t.lang}"
    if t.datatype and t.datatype != XSD.string:
        return f"{body}^^{datatype}"
    return body


def nt_term(t: Term) -> str:
    """A term in N-Triples syntax."""
    if isinstance(t, Lit):
        return _literal(t, f"<{t.datatype}>")
    return f"<{t}>"


def nquads(quads: Iterable[Quad]) -> Iterator[str]:
    """N-Quads lines (with newline), in the order given."""
    for s, p, o, g in quads:
        yield f"<{s}> <{p}> {nt_term(o)} <{g}> .\n"


def to_rdflib(quads: Iterable[Quad]) -> Any:
    """An ``rdflib.Dataset`` (union default graph) holding ``quads``."""
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    bind_prefixes(ds)
    graphs: dict[str, Any] = {}
    for s, p, o, g in quads:
        graph = graphs.get(g)
        if graph is None:
            graph = graphs[g] = ds.graph(rdflib.URIRef(g))
        graph.add((rdflib.URIRef(s), rdflib.URIRef(p), rdflib_term(o)))
    return ds


def rdflib_term(t: Term) -> Any:
    import rdflib

    if isinstance(t, Lit):
        if t.lang:
            return rdflib.Literal(t.value, lang=t.lang)
        if t.datatype and t.datatype != XSD.string:
            return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype))
        return rdflib.Literal(t.value)
    return rdflib.URIRef(t)


def bind_prefixes(g: Any) -> None:
    """Bind the ontology's prefixes (and one per entity-type folder of kgi:)."""
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri, override=True, replace=True)


def to_oxigraph(quads: Iterable[Quad]) -> Iterator[Any]:
    """``pyoxigraph.Quad`` objects for ``quads``."""
    import pyoxigraph as ox

    cache: dict[str, Any] = {}

    def node(iri: str) -> Any:
        n = cache.get(iri)
        if n is None:
            n = cache[iri] = ox.NamedNode(iri)
        return n

    for s, p, o, g in quads:
        if isinstance(o, Lit):
            if o.lang:
                obj = ox.Literal(o.value, language=o.lang)
            elif o.datatype:
                obj = ox.Literal(o.value, datatype=node(o.datatype))
            else:
                obj = ox.Literal(o.value)
        else:
            obj = node(o)
        yield ox.Quad(node(s), node(p), obj, node(g))


_PNAME_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


class _Writer:
    """Turtle/TriG terms with the ontology's prefixes (full IRIs when a name is not plain)."""

    def __init__(self) -> None:
        self.prefixes = sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        for p, ns in self.prefixes:
            if iri.startswith(ns) and _PNAME_LOCAL.match(iri[len(ns) :]):
                self.used.add(p)
                return f"{p}:{iri[len(ns) :]}"
        return f"<{iri}>"

    def predicate(self, iri: str) -> str:
        return "a" if iri == RDF.type else self.iri(iri)

    def node(self, t: Term) -> str:
        if not isinstance(t, Lit):
            return self.iri(t)
        if t.datatype == XSD.integer and _INTEGER.match(t.value):
            return t.value
        if t.datatype == XSD.boolean and t.value in ("true", "false"):
            return t.value
        plain = not t.datatype or t.datatype == XSD.string or bool(t.lang)
        return _literal(t, "" if plain or t.datatype is None else self.iri(t.datatype))

    def header(self) -> str:
        lines = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(self.used)]
        return "\n".join(lines) + ("\n\n" if lines else "")


def _blocks(triples: Iterable[tuple[str, str, Term]], w: _Writer, indent: str) -> list[str]:
    """Subject blocks in Turtle syntax: subjects, predicates (rdf:type first) and objects sorted."""
    by_s: dict[str, dict[str, set[Term]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_s[s][p].add(o)
    out = []
    for s in sorted(by_s):
        preds = by_s[s]
        order = sorted(preds, key=lambda p: (p != RDF.type, p))
        parts = []
        for p in order:
            objs = sorted(preds[p], key=_term_key)
            parts.append(w.predicate(p) + " " + ", ".join(w.node(o) for o in objs))
        sep = " ;\n" + indent + "    "
        out.append(indent + w.node(s) + " " + sep.join(parts) + " .\n")
    return out


def _term_key(t: Term) -> tuple[int, str, str, str]:
    if isinstance(t, Lit):
        return (1, t.value, t.lang or "", t.datatype or "")
    return (0, t, "", "")


def turtle(quads: Iterable[Quad]) -> bytes:
    """The merged graph (every named graph's triples) as Turtle, byte-identical for equal input."""
    w = _Writer()
    body = "\n".join(_blocks(((s, p, o) for s, p, o, _g in quads), w, ""))
    return (w.header() + body).encode("utf-8")


def trig(quads: Iterable[Quad]) -> bytes:
    """The dataset as TriG: one block per named graph, byte-identical for equal input."""
    w = _Writer()
    by_g: dict[str, list[tuple[str, str, Term]]] = defaultdict(list)
    for s, p, o, g in quads:
        by_g[g].append((s, p, o))
    parts = []
    for g in sorted(by_g):
        parts.append(w.node(g) + " {\n" + "\n".join(_blocks(by_g[g], w, "    ")) + "}\n")
    return (w.header() + "\n".join(parts)).encode("utf-8")


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context: the ontology's prefixes plus readable keys for common terms."""
    ctx: dict[str, Any] = dict(PREFIXES)
    ctx.update(
        {
            "label": {"@id": RDFS.label, "@container": "@language"},
            "altLabel": {"@id": SKOS.altLabel, "@container": "@language"},
        }
    )
    return ctx


def jsonld(quads: Iterable[Quad]) -> str:
    """The dataset as JSON-LD (named graphs as ``@graph`` objects), with a context, stable."""
    ctx = jsonld_context()
    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for p, ns in prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{p}:{iri[len(ns) :]}"
        return iri

    graphs: dict[str, dict[str, dict[str, list[Term]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for s, p, o, g in quads:
        graphs[g][s][p].append(o)

    def value(o: Term) -> Any:
        if isinstance(o, Lit):
            if o.lang:
                return {"@value": o.value, "@language": o.lang}
            if o.datatype == XSD.integer:
                return int(o.value)
            if o.datatype == XSD.boolean:
                return o.value == "true"
            if o.datatype and o.datatype != XSD.string:
                return {"@value": o.value, "@type": compact(o.datatype)}
            return o.value
        return {"@id": compact(o)}

    def sort_key(o: Term) -> tuple[int, str, str, str]:
        if isinstance(o, Lit):
            return (1, o.value, o.lang or "", o.datatype or "")
        return (0, o, "", "")

    out_graphs = []
    for g in sorted(graphs):
        nodes = []
        for s in sorted(graphs[g]):
            node: dict[str, Any] = {"@id": compact(s)}
            props = graphs[g][s]
            for p in sorted(props):
                objs = sorted(set(props[p]), key=sort_key)
                if p == RDF.type and all(isinstance(o, str) for o in objs):
                    node["@type"] = [compact(str(o)) for o in objs]
                elif p == RDFS.label and all(isinstance(o, Lit) and o.lang for o in objs):
                    node["label"] = _lang_map(objs)
                elif p == SKOS.altLabel and all(isinstance(o, Lit) and o.lang for o in objs):
                    node["altLabel"] = _lang_map(objs)
                else:
                    node[compact(p)] = [value(o) for o in objs]
            nodes.append(node)
        out_graphs.append({"@id": compact(g), "@graph": nodes})
    doc = {"@context": ctx, "@graph": out_graphs}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _lang_map(objs: list[Term]) -> dict[str, Any]:
    by_lang: dict[str, list[str]] = defaultdict(list)
    for o in objs:
        assert isinstance(o, Lit) and o.lang
        by_lang[o.lang].append(o.value)
    return {k: (v[0] if len(v) == 1 else v) for k, v in sorted(by_lang.items())}
