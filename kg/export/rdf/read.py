"""RDF → corpus: the way back from the dataset (what ``kg.load`` reads)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import unquote

from kg.corpus import Corpus, MentionRef, Source
from kg.export.rdf.iri import PREDICATE_OF_IRI, TERM_SCHEMES, TYPE_OF_CLASS
from kg.export.rdf.quads import ATTRS, MEDIA_TYPES
from kg.model import ENTITY_TYPES, Article, Entity, Evidence, Relation, entity_id
from kg.namespace import DCTERMS, KG, KGI, PROV, RDF, RDFS, SKOS

_FORMATS = {v: k for k, v in MEDIA_TYPES.items()}
_ATTR_OF_PROP = {prop: key for key, (prop, _kind) in ATTRS.items()}


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
            publisher=text(node, DCTERMS.publisher),
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
