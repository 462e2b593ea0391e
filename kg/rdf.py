"""The RDF view of a corpus: quads under the safety-kg ontology, with provenance.

Layout of the dataset (named graphs are disjoint, so a store's union default graph holds
every triple exactly once, and a page's part can be replaced without touching the rest):

``kgg:vocab``
    The SKOS concept schemes (Industry, Venue, Hazard, Measure) as published: concepts,
    labels, ``skos:broader`` and the inverse ``skos:narrower``.
``kgg:entities``
    Every entity: ``rdf:type`` (a class named as the gold type), ``rdfs:label@zh`` (the
    canonical name), ``skos:altLabel@zh`` (aliases), attributes (``kg:adcode``…). Term
    entities (Industry, Venue, Hazard, Measure) *are* the vocabulary's concepts.
``kgg:relations``
    Every relation as a plain triple (``kgi:place/… kg:implements kgi:campaign/…``) and as a
    reified ``rdf:Statement`` with the same subject, predicate and object.
``kgg:page/<file>`` (one per input page)
    The page, its articles (DCTERMS), the mention spans, the evidence spans (``kg:Evidence``,
    ``prov:wasQuotedFrom`` an article) and the provenance links ``statement
    prov:wasDerivedFrom evidence``.

IRIs are a pure function of the data: ``kgi:<type>/<percent-encoded canonical name>`` for
entities (the SKOS concept IRI for vocabulary terms), ``kgi:page/<file>``,
``kgi:article/<file>%23<index>``, ``kgi:evidence/<file>/<start>-<end>``,
``kgi:statement/<hash of subject, predicate, object>``. Nothing is a blank node, so every
serialization is stable.

Quads are plain tuples (IRIs are ``str``, literals :class:`Lit`): building them needs no RDF
library; :func:`to_rdflib`, :func:`to_oxigraph` and :func:`nquads` convert on demand.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from kg.corpus import Corpus, MentionRef, Source
from kg.model import ENTITY_TYPES, PREDICATES, Article, Entity, Evidence, Relation, entity_id
from kg.namespace import DCTERMS, KG, KGG, KGI, KGV, PREFIXES, PROV, RDF, RDFS, SKOS, XSD

if TYPE_CHECKING:
    from kg.nlp.vocab import Vocabulary

log = logging.getLogger(__name__)

#: entity types whose values are SKOS concepts, with their concept scheme
TERM_SCHEMES: dict[str, str] = {
    "Industry": KGV.industry,
    "Venue": KGV.venue,
    "Hazard": KGV.hazard,
    "Measure": KGV.measure,
}
CLASS_OF: dict[str, str] = {t: KG.NS + t for t in ENTITY_TYPES}
TYPE_OF_CLASS: dict[str, str] = {v: k for k, v in CLASS_OF.items()}
PREDICATE_IRI: dict[str, str] = {p: KG.NS + p for p in PREDICATES}
PREDICATE_OF_IRI: dict[str, str] = {v: k for k, v in PREDICATE_IRI.items()}

GRAPH_VOCAB = KGG.vocab
GRAPH_ENTITIES = KGG.entities
GRAPH_RELATIONS = KGG.relations
PAGE_GRAPH_PREFIX = KGG.term("page/")

_MEDIA_TYPES = {"txt": "text/plain", "md": "text/markdown", "html": "text/html"}
_FORMATS = {v: k for k, v in _MEDIA_TYPES.items()}
#: entity attributes as RDF: key -> (property, kind of literal)
_ATTRS: dict[str, tuple[str, str]] = {
    "adcode": (KG.adcode, "string"),
    "level": (KG.level, "string"),
    "parent": (KG.parent, "string"),
    "post": (KG.post, "zh"),
    "implied": (KG.implied, "boolean"),
}
_ATTR_OF_PROP = {prop: key for key, (prop, _kind) in _ATTRS.items()}


@dataclass(frozen=True, slots=True, order=True)
class Lit:
    """An RDF literal: a language-tagged string, or a value with a datatype (xsd:string if None)."""

    value: str
    lang: str | None = None
    datatype: str | None = None


Term = str | Lit
Quad = tuple[str, str, Term, str]  # subject, predicate, object, graph


_XSD_INTEGER = XSD.integer


def zh(text: str) -> Lit:
    return Lit(text, "zh")


@lru_cache(maxsize=65536)
def integer(n: int) -> Lit:
    return Lit(str(n), None, _XSD_INTEGER)


# -- IRIs -------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _enc(text: str) -> str:
    """Percent-encode every character but the unreserved ASCII ones (RFC 3986): bijective."""
    return quote(text, safe="")


def minted_iri(type_: str, name: str) -> str:
    """The IRI of an entity from its type and canonical name: ``kgi:place/%E9%95%BF…``."""
    return f"{KGI}{type_.lower()}/{_enc(name)}"


def entity_iri(e: Entity, vocab: Vocabulary | None = None) -> str:
    """The SKOS concept IRI for a term named by its concept's preferred label, else the minted IRI.

    A pure function of type and canonical name (given the vocabulary): a term the extractor
    names by another label (事故多发路段 for the concept 危险路段) gets a minted IRI linked to
    its concept with ``skos:exactMatch``, so one node never carries two canonical names.
    """
    if e.type in TERM_SCHEMES:
        term = _vocab(vocab).by_name.get((e.type, e.name))
        if term is not None:
            return term.iri
    return minted_iri(e.type, e.name)


def _vocab(vocab: Vocabulary | None) -> Vocabulary:
    if vocab is not None:
        return vocab
    from kg.nlp import vocab as vocab_mod

    return vocab_mod.load()


def page_iri(name: str) -> str:
    return f"{KGI}page/{_enc(name)}"


def page_graph(name: str) -> str:
    """The named graph that holds one page's part of the dataset."""
    return PAGE_GRAPH_PREFIX + _enc(name)


def page_of_graph(graph: str) -> str | None:
    """The page (file) name of a page graph IRI, None for the other graphs."""
    if graph.startswith(PAGE_GRAPH_PREFIX):
        return unquote(graph[len(PAGE_GRAPH_PREFIX) :])
    return None


def article_iri(article_id: str) -> str:
    return f"{KGI}article/{_enc(article_id)}"


def evidence_iri(source: str, start: int, end: int) -> str:
    return f"{KGI}evidence/{_enc(source)}/{start}-{end}"


def mention_iri(source: str, start: int, end: int) -> str:
    return f"{KGI}mention/{_enc(source)}/{start}-{end}"


def statement_iri(s: str, p: str, o: str) -> str:
    """IRI of the reified statement of one triple (a hash: the triple is the identity)."""
    digest = hashlib.sha256(f"{s}\n{p}\n{o}".encode()).hexdigest()[:24]
    return f"{KGI}statement/{digest}"


# -- quads ------------------------------------------------------------------------------------


def vocab_quads(vocab: Vocabulary | None = None) -> list[Quad]:
    """The published part of the SKOS vocabularies: labels shown as aliases, hierarchy, GB/T 4754
    notations and source notes (no matcher-only labels or patterns)."""
    vocab = _vocab(vocab)
    g = GRAPH_VOCAB
    out: list[Quad] = []
    narrower: dict[str, set[str]] = defaultdict(set)
    for t in vocab.terms.values():
        for b in t.broader:
            narrower[b].add(t.iri)
    for type_, scheme in TERM_SCHEMES.items():
        out.append((scheme, RDF.type, SKOS.ConceptScheme, g))
        out.append((scheme, RDFS.label, Lit(type_, "en"), g))
        for t in vocab.of_type(type_):
            if not t.broader:
                out.append((scheme, SKOS.hasTopConcept, t.iri, g))
    for t in vocab.terms.values():
        scheme = TERM_SCHEMES[t.type]
        out += [
            (t.iri, RDF.type, SKOS.Concept, g),
            (t.iri, SKOS.inScheme, scheme, g),
            (t.iri, SKOS.prefLabel, zh(t.name), g),
        ]
        if t.name_en:
            out.append((t.iri, SKOS.prefLabel, Lit(t.name_en, "en"), g))
        out += [(t.iri, SKOS.altLabel, zh(a), g) for a in vocab.aliases(t) if a != t.name]
        out += [(t.iri, SKOS.broader, b, g) for b in t.broader]
        out += [(t.iri, SKOS.notation, Lit(v, None, dt or None), g) for v, dt in t.notations]
        out += [(t.iri, SKOS.note, zh(n), g) for n in t.notes]
        out += [(t.iri, SKOS.narrower, n, g) for n in sorted(narrower.get(t.iri, ()))]
        if not t.broader:
            out.append((t.iri, SKOS.topConceptOf, scheme, g))
    return sorted(set(out), key=quad_key)


def entity_iris(corpus: Corpus, vocab: Vocabulary | None = None) -> dict[str, str]:
    """Entity id -> IRI for every entity of the corpus."""
    vocab = _vocab(vocab)
    return {eid: entity_iri(e, vocab) for eid, e in corpus.entities.items()}


def _iri_of_id(eid: str, iris: Mapping[str, str]) -> str:
    iri = iris.get(eid)
    if iri is not None:
        return iri
    type_, _, name = eid.partition(":")
    return minted_iri(type_, name)


def entity_quads(corpus: Corpus, exclude: Iterable[Quad] = (), vocab: Vocabulary | None = None) -> list[Quad]:
    """The ``kgg:entities`` graph, minus triples the vocabulary graph already holds."""
    g = GRAPH_ENTITIES
    vocab = _vocab(vocab)
    skip = {(s, p, o) for s, p, o, _g in exclude}
    out: list[Quad] = []
    for e in corpus.entities.values():
        iri = entity_iri(e, vocab)
        triples: list[tuple[str, str, Term]] = [
            (iri, RDF.type, CLASS_OF[e.type]),
            (iri, RDFS.label, zh(e.name)),
        ]
        triples += [(iri, SKOS.altLabel, zh(a)) for a in e.aliases if a != e.name]
        if e.type in TERM_SCHEMES and iri not in vocab.terms:
            # a term outside the vocabulary, or named otherwise: a concept of its scheme
            triples += [
                (iri, RDF.type, SKOS.Concept),
                (iri, SKOS.inScheme, TERM_SCHEMES[e.type]),
                (iri, SKOS.prefLabel, zh(e.name)),
            ]
            concept = e.attr("iri")
            if concept and concept != iri:
                triples.append((iri, SKOS.exactMatch, concept))
        for key, value in e.attrs:
            if key == "iri":
                continue  # the node's IRI, or its skos:exactMatch
            spec = _ATTRS.get(key)
            if spec is None:
                log.debug("entity attribute %r of %s has no RDF property; left out", key, e.id)
                continue
            prop, kind = spec
            if kind == "boolean":
                lit = Lit("true", None, XSD.boolean)
            elif kind == "zh":
                lit = zh(value)
            else:
                lit = Lit(value)
            triples.append((iri, prop, lit))
        out += [(s, p, o, g) for s, p, o in triples if (s, p, o) not in skip]
    return out


def relation_quads(corpus: Corpus, vocab: Vocabulary | None = None) -> list[Quad]:
    """The ``kgg:relations`` graph: each relation as a triple and as an rdf:Statement."""
    g = GRAPH_RELATIONS
    iris = entity_iris(corpus, vocab)
    out: list[Quad] = []
    for r in corpus.relations.values():
        s, o = _iri_of_id(r.s, iris), _iri_of_id(r.o, iris)
        p = PREDICATE_IRI.get(r.p, KG.NS + r.p)
        st = statement_iri(s, p, o)
        out += [
            (s, p, o, g),
            (st, RDF.type, RDF.Statement, g),
            (st, RDF.subject, s, g),
            (st, RDF.predicate, p, g),
            (st, RDF.object, o, g),
        ]
    return out


def _date_literal(date: str) -> Lit:
    if len(date) == 10 and date[4] == "-" and date[:4].isdigit():
        return Lit(date, None, XSD.date)
    if date.startswith("--") and len(date) == 7:
        return Lit(date, None, XSD.gMonthDay)
    return Lit(date)


class PageIndex:
    """What each page holds (articles, mentions, evidence), gathered in one pass over the corpus."""

    def __init__(self, corpus: Corpus, vocab: Vocabulary | None = None) -> None:
        self.iris = entity_iris(corpus, vocab)
        self.articles: dict[str, list[Article]] = defaultdict(list)
        self.mentions: dict[str, list[tuple[str, MentionRef]]] = defaultdict(list)
        self.evidence: dict[str, list[tuple[str, Evidence]]] = defaultdict(list)
        for a in corpus.articles.values():
            self.articles[a.source].append(a)
        for eid, refs in corpus.mentions.items():
            iri = _iri_of_id(eid, self.iris)
            for m in refs:
                self.mentions[m.source].append((iri, m))
        for r in corpus.relations.values():
            s, o = _iri_of_id(r.s, self.iris), _iri_of_id(r.o, self.iris)
            st = statement_iri(s, PREDICATE_IRI.get(r.p, KG.NS + r.p), o)
            for ev in r.evidence:
                self.evidence[ev.source].append((st, ev))


def page_quads(corpus: Corpus, name: str, index: PageIndex | None = None) -> list[Quad]:
    """The ``kgg:page/<name>`` graph: one page, its articles, mentions, evidence, provenance."""
    index = index or PageIndex(corpus)
    g = page_graph(name)
    src = corpus.sources[name]
    page = page_iri(name)
    out: list[Quad] = [
        (g, PROV.wasDerivedFrom, page, g),
        (page, RDF.type, KG.Page, g),
        (page, DCTERMS.identifier, Lit(name), g),
        (page, KG.sha256, Lit(src.sha256), g),
        (page, KG.chars, integer(src.chars), g),
        (page, KG.encoding, Lit(src.encoding), g),
        (page, DCTERMS.format, Lit(_MEDIA_TYPES.get(src.format, src.format)), g),
    ]
    if src.home:
        out.append((page, KG.home, minted_iri("Place", src.home), g))
    for a in index.articles.get(name, ()):
        art = article_iri(a.id)
        out += [
            (art, RDF.type, KG.Article, g),
            (art, DCTERMS.identifier, Lit(a.id), g),
            (art, DCTERMS.isPartOf, page, g),
            (art, KG.index, integer(a.index), g),
            (art, KG.kind, Lit(a.kind), g),
            (art, KG.start, integer(a.start), g),
            (art, KG.end, integer(a.end), g),
        ]
        if a.headline:
            out.append((art, DCTERMS.title, zh(a.headline), g))
        out += [(art, DCTERMS.alternative, zh(h), g) for h in a.headlines if h and h != a.headline]
        if a.date:
            out.append((art, DCTERMS.date, _date_literal(a.date), g))
        out += [(art, KG.byline, zh(b), g) for b in a.bylines]
    for iri, m in index.mentions.get(name, ()):
        mi = mention_iri(m.source, m.start, m.end)
        art = article_iri(m.article)
        out += [
            (mi, RDF.type, KG.Mention, g),
            (mi, KG.mentionOf, iri, g),
            (mi, KG.text, zh(m.text), g),
            (mi, KG.start, integer(m.start), g),
            (mi, KG.end, integer(m.end), g),
            (mi, PROV.wasQuotedFrom, art, g),
            (iri, KG.mentionedIn, art, g),
        ]
    for st, ev in index.evidence.get(name, ()):
        out += _evidence_quads(st, ev, g)
    return out


def _evidence_quads(st: str, ev: Evidence, g: str) -> list[Quad]:
    ei = evidence_iri(ev.source, ev.start, ev.end)
    return [
        (st, PROV.wasDerivedFrom, ei, g),
        (ei, RDF.type, KG.Evidence, g),
        (ei, KG.text, zh(ev.text), g),
        (ei, KG.start, integer(ev.start), g),
        (ei, KG.end, integer(ev.end), g),
        (ei, PROV.wasQuotedFrom, article_iri(ev.article), g),
    ]


def corpus_quads(corpus: Corpus, vocab: Vocabulary | None = None) -> list[Quad]:
    """Every quad of the dataset, deduplicated and sorted (graph, subject, predicate, object)."""
    vocab = _vocab(vocab)
    vq = vocab_quads(vocab)
    out = set(vq)
    out.update(entity_quads(corpus, exclude=vq, vocab=vocab))
    out.update(relation_quads(corpus, vocab))
    index = PageIndex(corpus, vocab)
    for name in corpus.sources:
        out.update(page_quads(corpus, name, index))
    return sorted(out, key=quad_key)


def quad_key(q: Quad) -> tuple[str, str, str, tuple[int, str, str, str]]:
    o = q[2]
    okey = (1, o.value, o.lang or "", o.datatype or "") if isinstance(o, Lit) else (0, o, "", "")
    return (q[3], q[0], q[1], okey)


# -- serializations -----------------------------------------------------------------------------


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


def merged_graph(quads: Iterable[Quad]) -> Any:
    """One ``rdflib.Graph`` with every triple of every named graph (what Turtle holds)."""
    import rdflib

    g = rdflib.Graph(bind_namespaces="none")
    bind_prefixes(g)
    for s, p, o, _g in quads:
        g.add((rdflib.URIRef(s), rdflib.URIRef(p), rdflib_term(o)))
    return g


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
        return _literal(t, "" if plain else self.iri(t.datatype))

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


# -- back from RDF --------------------------------------------------------------------------------


def corpus_from_rdf(graph: Any) -> Corpus:
    """Rebuild a :class:`Corpus` from the RDF view (an rdflib Graph, or Dataset with union).

    The inverse of :func:`corpus_quads` up to what RDF does not keep: paragraph structure,
    input paths, the order of headlines, and duplicate mentions of one span. A term entity's
    aliases are all its ``skos:altLabel`` values, the vocabulary's included.
    """
    import rdflib

    def U(iri: str) -> Any:
        return rdflib.URIRef(iri)

    def one(s: Any, p: str) -> Any:
        return graph.value(s, U(p))

    def text(s: Any, p: str) -> str | None:
        v = one(s, p)
        return None if v is None else str(v)

    def integer_of(s: Any, p: str) -> int:
        v = one(s, p)
        return int(v) if v is not None else 0

    c = Corpus()
    ids: dict[str, str] = {}
    for cls, type_ in TYPE_OF_CLASS.items():
        for node in sorted(set(graph.subjects(U(RDF.type), U(cls)))):
            names = sorted(str(o) for o in graph.objects(node, U(RDFS.label)) if o.language == "zh")
            if not names:
                continue
            name = names[0]
            aliases = sorted(
                {str(o) for o in graph.objects(node, U(SKOS.altLabel)) if o.language == "zh"} - {name}
            )
            attrs: dict[str, str] = {}
            for prop, key in _ATTR_OF_PROP.items():
                v = one(node, prop)
                if v is None:
                    continue
                attrs[key] = "1" if key == "implied" else str(v)
            if type_ in TERM_SCHEMES:
                match = one(node, SKOS.exactMatch)
                if not str(node).startswith(str(KGI)):
                    attrs["iri"] = str(node)
                elif match is not None:
                    attrs["iri"] = str(match)
            e = Entity(type_, name, tuple(aliases), tuple(sorted(attrs.items())))
            c.entities[e.id] = e
            ids[str(node)] = e.id

    pages: dict[str, str] = {}
    for node in sorted(set(graph.subjects(U(RDF.type), U(KG.Page)))):
        name = text(node, DCTERMS.identifier) or ""
        pages[str(node)] = name
        home = one(node, KG.home)
        home_name = text(home, RDFS.label) if home is not None else None
        if home is not None and home_name is None:
            home_name = unquote(str(home).rsplit("/", 1)[-1])
        fmt = text(node, DCTERMS.format) or ""
        c.sources[name] = Source(
            name=name,
            path=name,
            home=home_name,
            encoding=text(node, KG.encoding) or "",
            format=_FORMATS.get(fmt, fmt),
            sha256=text(node, KG.sha256) or "",
            chars=integer_of(node, KG.chars),
        )

    articles: dict[str, Article] = {}
    for node in sorted(set(graph.subjects(U(RDF.type), U(KG.Article)))):
        aid = text(node, DCTERMS.identifier) or ""
        page = one(node, DCTERMS.isPartOf)
        headline = text(node, DCTERMS.title) or ""
        others = sorted(str(o) for o in graph.objects(node, U(DCTERMS.alternative)))
        a = Article(
            id=aid,
            source=pages.get(str(page), ""),
            index=integer_of(node, KG.index),
            headline=headline,
            start=integer_of(node, KG.start),
            end=integer_of(node, KG.end),
            paragraphs=(),
            headlines=tuple(([headline] if headline else []) + others),
            date=text(node, DCTERMS.date),
            kind=text(node, KG.kind) or "article",
            bylines=tuple(sorted(str(o) for o in graph.objects(node, U(KG.byline)))),
        )
        articles[str(node)] = a
        c.articles[aid] = a

    def span(node: Any) -> tuple[str, str, int, int, str]:
        art = articles.get(str(one(node, PROV.wasQuotedFrom)))
        return (
            art.source if art else "",
            art.id if art else "",
            integer_of(node, KG.start),
            integer_of(node, KG.end),
            text(node, KG.text) or "",
        )

    mentions: dict[str, list[MentionRef]] = defaultdict(list)
    for node in set(graph.subjects(U(RDF.type), U(KG.Mention))):
        src, art_id, start, end, txt = span(node)
        for ent in graph.objects(node, U(KG.mentionOf)):
            eid = ids.get(str(ent))
            if eid is not None:
                mentions[eid].append(MentionRef(src, art_id, start, end, txt))
    for eid in sorted(mentions):
        c.mentions[eid] = sorted(mentions[eid], key=lambda m: (m.source, m.start, m.end))

    rels: list[Relation] = []
    for st in set(graph.subjects(U(RDF.type), U(RDF.Statement))):
        s, p, o = one(st, RDF.subject), one(st, RDF.predicate), one(st, RDF.object)
        if s is None or p is None or o is None:
            continue
        evidence = []
        for ev in graph.objects(st, U(PROV.wasDerivedFrom)):
            if (ev, U(RDF.type), U(KG.Evidence)) in graph:
                evidence.append(Evidence(*span(ev)))
        evidence.sort(key=lambda e: (e.source, e.start, e.end))
        sid = ids.get(str(s)) or _id_of_minted(str(s))
        oid = ids.get(str(o)) or _id_of_minted(str(o))
        pred = PREDICATE_OF_IRI.get(str(p), str(p).removeprefix(KG.NS))
        rels.append(Relation(sid, pred, oid, tuple(evidence)))
    for r in sorted(rels, key=lambda r: r.key):
        c.relations[r.key] = r
    return c


def _id_of_minted(iri: str) -> str:
    rest = iri.removeprefix(str(KGI))
    folder, _, enc = rest.partition("/")
    type_ = next((t for t in ENTITY_TYPES if t.lower() == folder), folder)
    return entity_id(type_, unquote(enc))


# -- networkx -> RDF ------------------------------------------------------------------------------


def networkx_quads(g: Any, vocab: Vocabulary | None = None) -> list[Quad]:
    """Entity and relation quads (with evidence) from the networkx view (kg.export.networkx.to_networkx).

    The networkx view holds entities and relations but not pages, articles or mentions; these
    quads must equal the entity, relation and evidence quads built from the corpus itself.
    """
    c = Corpus()
    for _node, data in g.nodes(data=True):
        attrs = tuple(
            sorted(
                (k, str(v))
                for k, v in data.items()
                if k not in {"type", "name", "aliases", "mentions"} and v is not None
            )
        )
        e = Entity(data["type"], data["name"], tuple(data.get("aliases", ())), attrs)
        c.entities[e.id] = e
    for s, o, data in g.edges(data=True):
        evs = tuple(Evidence(**ev) for ev in data.get("evidence", ()))
        r = Relation(s, data["predicate"], o, evs)
        c.relations[r.key] = r
    return core_quads(c, vocab)


def core_quads(corpus: Corpus, vocab: Vocabulary | None = None) -> list[Quad]:
    """Entity, relation and evidence quads of a corpus (what the networkx view also holds)."""
    vocab = _vocab(vocab)
    vq = vocab_quads(vocab)
    out = set(entity_quads(corpus, exclude=vq, vocab=vocab)) | set(relation_quads(corpus, vocab))
    iris = entity_iris(corpus, vocab)
    for r in corpus.relations.values():
        s, o = _iri_of_id(r.s, iris), _iri_of_id(r.o, iris)
        st = statement_iri(s, PREDICATE_IRI.get(r.p, KG.NS + r.p), o)
        for ev in r.evidence:
            out.update(_evidence_quads(st, ev, page_graph(ev.source)))
    return sorted(out, key=quad_key)
