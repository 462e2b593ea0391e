"""Quads out: N-Quads, Turtle, TriG and JSON-LD (byte-identical for equal input), and the same
quads as rdflib and Oxigraph objects (converted on demand; the libraries load on use)."""

from __future__ import annotations

import json
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


def ox_serialize(items: Any, fmt: Any, prefixes: dict[str, str] | None = None) -> bytes:
    """``pyoxigraph.serialize`` of ``items`` (quads or triples) in ``fmt``, as bytes."""
    import pyoxigraph as ox

    data = ox.serialize(items, format=fmt, prefixes=prefixes)
    assert data is not None  # no output file given: Oxigraph returns the bytes
    return data


def nquads(quads: Iterable[Quad]) -> Iterator[str]:
    """N-Quads lines (with newline), in the order given (written by Oxigraph)."""
    import pyoxigraph as ox

    data = ox_serialize(list(to_oxigraph(quads)), ox.RdfFormat.N_QUADS).decode("utf-8")
    yield from data.splitlines(keepends=True)


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


class _Nodes(dict[str, Any]):
    """IRI → its ``pyoxigraph.NamedNode``, made on first use: a hit is a dict lookup, no call."""

    def __missing__(self, iri: str) -> Any:
        import pyoxigraph as ox

        node = self[iri] = ox.NamedNode(iri)
        return node


def to_oxigraph(quads: Iterable[Quad]) -> Iterator[Any]:
    """``pyoxigraph.Quad`` objects for ``quads`` (a page's graph: millions of them per build)."""
    import pyoxigraph as ox

    nodes = _Nodes()
    quad, literal = ox.Quad, ox.Literal
    for s, p, o, g in quads:
        if isinstance(o, str):
            obj = nodes[o]
        elif o.lang:
            obj = literal(o.value, language=o.lang)
        elif o.datatype:
            obj = literal(o.value, datatype=nodes[o.datatype])
        else:
            obj = literal(o.value)
        yield quad(nodes[s], nodes[p], obj, nodes[g])


def _term_key(t: Term) -> tuple[int, str, str, str]:
    if isinstance(t, Lit):
        return (1, t.value, t.lang or "", t.datatype or "")
    return (0, t, "", "")


def turtle(quads: Iterable[Quad]) -> bytes:
    """The merged graph (every named graph's triples) as Turtle, byte-identical for equal input
    (Oxigraph's writer, one block per subject and graph: see :mod:`kg.export.rdf.stream`)."""
    from kg.export.rdf.stream import serialize_dataset

    return serialize_dataset(quads, "ttl")


def trig(quads: Iterable[Quad]) -> bytes:
    """The dataset as TriG: one block per named graph, byte-identical for equal input (Oxigraph)."""
    from kg.export.rdf.stream import serialize_dataset

    return serialize_dataset(quads, "trig")


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


def to_json(data: Any, indent: int | None = 1) -> str:
    """JSON as the JSON-LD files write it (UTF-8 characters kept, stable)."""
    return json.dumps(data, ensure_ascii=False, indent=indent)


def _compactor() -> Any:
    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for p, ns in prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{p}:{iri[len(ns) :]}"
        return iri

    return compact


def jsonld_graph(g: str, quads: Iterable[Quad]) -> str:
    """One named graph as a JSON-LD ``{"@id": g, "@graph": [...]}`` object under
    :func:`jsonld_context` (nodes and values sorted: stable)."""
    compact = _compactor()
    nodes_by_s: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o, _g in quads:
        nodes_by_s[s][p].append(o)

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

    nodes = []
    for s in sorted(nodes_by_s):
        node: dict[str, Any] = {"@id": compact(s)}
        props = nodes_by_s[s]
        for p in sorted(props):
            objs = sorted(set(props[p]), key=_term_key)
            if p == RDF.type and all(isinstance(o, str) for o in objs):
                node["@type"] = [compact(str(o)) for o in objs]
            elif p == RDFS.label and all(isinstance(o, Lit) and o.lang for o in objs):
                node["label"] = _lang_map(objs)
            elif p == SKOS.altLabel and all(isinstance(o, Lit) and o.lang for o in objs):
                node["altLabel"] = _lang_map(objs)
            else:
                node[compact(p)] = [value(o) for o in objs]
        nodes.append(node)
    return to_json({"@id": compact(g), "@graph": nodes})


def jsonld(quads: Iterable[Quad]) -> str:
    """The dataset as JSON-LD (named graphs as ``@graph`` objects), with a context, stable:
    the bytes :class:`kg.export.rdf.stream.DatasetWriter` writes for the graphs in IRI order."""
    by_g: dict[str, list[Quad]] = defaultdict(list)
    for q in quads:
        by_g[q[3]].append(q)
    body = ",\n".join(jsonld_graph(g, by_g[g]) for g in sorted(by_g))
    return '{\n "@context": ' + to_json(jsonld_context(), 1) + ',\n "@graph": [\n' + body + "\n ]\n}\n"


def _lang_map(objs: list[Term]) -> dict[str, Any]:
    by_lang: dict[str, list[str]] = defaultdict(list)
    for o in objs:
        assert isinstance(o, Lit) and o.lang
        by_lang[o.lang].append(o.value)
    return {k: (v[0] if len(v) == 1 else v) for k, v in sorted(by_lang.items())}
