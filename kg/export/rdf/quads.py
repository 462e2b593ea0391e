"""Corpus → quads: the dataset under the safety-kg ontology, with provenance.

Quads are plain tuples (IRIs are ``str``, literals :class:`Lit`), so building them needs no RDF
library; :mod:`kg.export.rdf.serialize` writes and converts them. The layout of the named
graphs is described in :mod:`kg.export.rdf`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.corpus import Corpus, MentionRef
from kg.export.rdf.iri import (
    CLASS_OF,
    GRAPH_ENTITIES,
    GRAPH_RELATIONS,
    GRAPH_VOCAB,
    PREDICATE_IRI,
    TERM_SCHEMES,
    article_iri,
    entity_iri,
    entity_iris,
    evidence_iri,
    iri_of_id,
    mention_iri,
    minted_iri,
    page_graph,
    page_iri,
    statement_iri,
    vocabulary,
)
from kg.model import Article, Evidence
from kg.namespace import DCTERMS, KG, PROV, RDF, RDFS, SKOS, XSD

if TYPE_CHECKING:
    from kg.nlp.vocab import Vocabulary

log = logging.getLogger(__name__)

#: the media type of each page format (dcterms:format)
MEDIA_TYPES = {"txt": "text/plain", "md": "text/markdown", "html": "text/html"}
#: entity attributes as RDF: key -> (property, kind of literal)
ATTRS: dict[str, tuple[str, str]] = {
    "adcode": (KG.adcode, "string"),
    "level": (KG.level, "string"),
    "parent": (KG.parent, "string"),
    "post": (KG.post, "zh"),
    "implied": (KG.implied, "boolean"),
}


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


def vocab_quads(vocab: Vocabulary | None = None) -> list[Quad]:
    """The published part of the SKOS vocabularies: labels shown as aliases, hierarchy, GB/T 4754
    notations and source notes (no matcher-only labels or patterns)."""
    vocab = vocabulary(vocab)
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


def entity_quads(corpus: Corpus, exclude: Iterable[Quad] = (), vocab: Vocabulary | None = None) -> list[Quad]:
    """The ``kgg:entities`` graph, minus triples the vocabulary graph already holds."""
    g = GRAPH_ENTITIES
    vocab = vocabulary(vocab)
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
            spec = ATTRS.get(key)
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
        s, o = iri_of_id(r.s, iris), iri_of_id(r.o, iris)
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
        #: per page, the derived (actor, target) pairs of kg:targetsWithMeasure
        self.links: dict[str, set[tuple[str, str]]] = defaultdict(set)
        #: per page, the derived (article, entity class) pairs of kg:mentionsType
        self.types: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for a in corpus.articles.values():
            self.articles[a.source].append(a)
        for eid, refs in corpus.mentions.items():
            iri = iri_of_id(eid, self.iris)
            cls = CLASS_OF.get(eid.partition(":")[0])
            for m in refs:
                self.mentions[m.source].append((iri, m))
                if cls is not None:
                    self.types[m.source].add((article_iri(m.article), cls))
        measures: set[tuple[str, int, int, str]] = set()  # (page, start, end, actor)
        targets: list[tuple[str, int, int, str, str]] = []  # (page, start, end, actor, target)
        for r in corpus.relations.values():
            s, o = iri_of_id(r.s, self.iris), iri_of_id(r.o, self.iris)
            p = PREDICATE_IRI.get(r.p, KG.NS + r.p)
            st = statement_iri(s, p, o)
            for ev in r.evidence:
                self.evidence[ev.source].append((st, ev))
                if p == KG.takesMeasure:
                    measures.add((ev.source, ev.start, ev.end, s))
                elif p == KG.targets:
                    targets.append((ev.source, ev.start, ev.end, s, o))
        # an actor that targets something in a span that also states a measure it takes
        for src, start, end, s, o in targets:
            if (src, start, end, s) in measures:
                self.links[src].add((s, o))


def page_quads(corpus: Corpus, name: str, index: PageIndex | None = None) -> list[Quad]:
    """The ``kgg:page/<name>`` graph: one page, its articles, mentions, evidence, provenance,
    and the links derived from them (``kg:targetsWithMeasure``, ``kg:mentionsType``)."""
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
        (page, DCTERMS.format, Lit(MEDIA_TYPES.get(src.format, src.format)), g),
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
        if a.publisher:
            out.append((art, DCTERMS.publisher, zh(a.publisher), g))
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
        out += evidence_quads(st, ev, g)
    # derived at build time from this page's evidence alone (see kg:targetsWithMeasure)
    out += [(s, KG.targetsWithMeasure, o, g) for s, o in sorted(index.links.get(name, ()))]
    out += [(a, KG.mentionsType, c, g) for a, c in sorted(index.types.get(name, ()))]
    return out


def evidence_quads(st: str, ev: Evidence, g: str) -> list[Quad]:
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
    vocab = vocabulary(vocab)
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
