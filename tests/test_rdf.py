"""The RDF view: ontology, namespace module, IRIs, provenance, SHACL shapes, round trips.

The graph under test is built from the seeds' real extraction plus the relation table of
conftest.py (verbatim evidence from the seed files).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.corpus import Corpus, MentionRef
from kg.export.rdf.iri import (
    PREDICATE_IRI,
    TERM_SCHEMES,
    entity_iri,
    entity_iris,
    iri_of_id,
    minted_iri,
    page_graph,
    page_iri,
    page_of_graph,
    statement_iri,
    vocabulary,
)
from kg.export.rdf.quads import (
    Quad,
    corpus_quads,
    entity_quads,
    evidence_quads,
    quad_key,
    relation_quads,
    vocab_quads,
    zh,
)
from kg.export.rdf.read import corpus_from_rdf
from kg.export.rdf.serialize import bind_prefixes, jsonld, nquads, rdflib_term, trig, turtle
from kg.model import ENTITY_TYPES, Entity, Evidence, Relation
from kg.namespace import KG, KGG, KGI, KGV, PREFIXES, PROV
from kg.nlp.vocab import Vocabulary

from ._util import unbroken
from .conftest import ROOT, seed_file

ONTOLOGY = ROOT / "ontology" / "kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
U = rdflib.URIRef
ZH = "zh"


# -- test helpers: the dataset as one rdflib graph, and the quads the networkx view holds --


def merged_graph(quads: Iterable[Quad]) -> Any:
    """One ``rdflib.Graph`` with every triple of every named graph (what Turtle holds)."""
    g = rdflib.Graph(bind_namespaces="none")
    bind_prefixes(g)
    for s, p, o, _g in quads:
        g.add((rdflib.URIRef(s), rdflib.URIRef(p), rdflib_term(o)))
    return g


def networkx_quads(g: Any, vocab: Vocabulary | None = None) -> list[Quad]:
    """Entity and relation quads (with evidence) from the networkx view (export.networkx).

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
    vocab = vocabulary(vocab)
    vq = vocab_quads(vocab)
    out = set(entity_quads(corpus, exclude=vq, vocab=vocab)) | set(relation_quads(corpus, vocab))
    iris = entity_iris(corpus, vocab)
    for r in corpus.relations.values():
        s, o = iri_of_id(r.s, iris), iri_of_id(r.o, iris)
        st = statement_iri(s, PREDICATE_IRI.get(r.p, KG.NS + r.p), o)
        for ev in r.evidence:
            out.update(evidence_quads(st, ev, page_graph(ev.source)))
    return sorted(out, key=quad_key)


@cache
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def quads(seed_corpus: Corpus) -> list[Quad]:
    return corpus_quads(seed_corpus)


@pytest.fixture(scope="module")
def merged(quads: list[Quad]) -> rdflib.Graph:
    return merged_graph(quads)


# -- the ontology and the generated namespace module (kept current by tests/test_schema.py) -------


def test_namespace_is_closed_for_ontology_terms() -> None:
    assert KG.Place == KG.NS + "Place"
    with pytest.raises(AttributeError):
        _ = KG.Plcae  # type: ignore[attr-defined]
    # every kg: term the code can name is defined in the ontology, and the reverse
    defined = {str(s) for s in ontology().subjects() if str(s).startswith(KG.NS)}
    named = {v for k, v in vars(KG).items() if not k.startswith("_") and k != "NS"}
    assert named == defined


@pytest.mark.parametrize("type_", (*ENTITY_TYPES, "Article", "Page", "Evidence", "Mention"))
def test_classes_named_as_the_gold_types(type_: str) -> None:
    g = ontology()
    c = U(KG.NS + type_)
    assert (c, RDF.type, OWL.Class) in g
    langs = {o.language for o in g.objects(c, RDFS.label)}
    assert {"zh", "en"} <= langs
    assert g.value(c, RDFS.comment) is not None


# -- IRIs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "name", "iri"),
    [
        ("Place", "长子县", "https://w3id.org/safety-kg/id/place/%E9%95%BF%E5%AD%90%E5%8E%BF"),
        ("Mechanism", "2+3+N", "https://w3id.org/safety-kg/id/mechanism/2%2B3%2BN"),
        ("Campaign", "春夏九防·敲门行动", KGI + "campaign/" + "%E6%98%A5%E5%A4%8F%E4%B9%9D%E9%98%B2%C2%B7"
         "%E6%95%B2%E9%97%A8%E8%A1%8C%E5%8A%A8"),
        ("Document", "国家重点推广的低碳技术目录(第五批)",
         KGI + "document/%E5%9B%BD%E5%AE%B6%E9%87%8D%E7%82%B9"
         "%E6%8E%A8%E5%B9%BF%E7%9A%84%E4%BD%8E%E7%A2%B3%E6%8A%80%E6%9C%AF%E7%9B%AE%E5%BD%95%28%E7%AC%AC"
         "%E4%BA%94%E6%89%B9%29"),
        ("Organization", "A/B 公司", "https://w3id.org/safety-kg/id/organization/A%2FB%20%E5%85%AC%E5%8F%B8"),
    ],
)  # fmt: skip
def test_minted_iris_are_stable(type_: str, name: str, iri: str) -> None:
    assert minted_iri(type_, name) == iri


def test_entity_iris_are_ascii_bijective_and_vocabulary_concepts(seed_corpus: Corpus) -> None:
    from kg.nlp import vocab

    v = vocab.load()
    iris = entity_iris(seed_corpus)
    assert len(set(iris.values())) == len(iris)  # distinct entities, distinct IRIs
    for eid, iri in iris.items():
        assert iri.isascii() and not re.search(r"[\s<>\"{}|\\^`]", iri), iri
        e = seed_corpus.entities[eid]
        term = v.by_name.get((e.type, e.name))
        if term is not None:
            assert iri == term.iri  # a vocabulary term is its SKOS concept
        else:
            folder, _, enc = iri.removeprefix(str(KGI)).partition("/")
            assert (folder, unquote(enc)) == (e.type.lower(), e.name)


# -- the graph of the seeds --------------------------------------------------------------------------


def test_named_graphs_are_disjoint_and_complete(quads: list[Quad], seed_corpus: Corpus) -> None:
    triples = Counter((s, p, o) for s, p, o, _g in quads)
    assert max(triples.values()) == 1  # a store's union default graph never doubles a triple
    graphs = {g for *_x, g in quads}
    pages = {page_graph(n) for n in seed_corpus.sources}
    assert graphs == {KGG.vocab, KGG.entities, KGG.relations} | pages


@pytest.mark.parametrize(
    ("narrow", "broad"), [("森林火灾", "火灾"), ("电气火灾", "火灾"), ("山洪", "洪涝"), ("煤矿", "矿山")]
)
def test_vocabulary_hierarchy(merged: rdflib.Graph, narrow: str, broad: str) -> None:
    def concept(label: str) -> rdflib.URIRef:
        (c,) = merged.subjects(SKOS.prefLabel, rdflib.Literal(label, lang=ZH))
        return c

    n, b = concept(narrow), concept(broad)
    assert (n, SKOS.broader, b) in merged
    assert (b, SKOS.narrower, n) in merged


def test_entities_have_labels_aliases_and_adcodes(merged: rdflib.Graph, seed_corpus: Corpus) -> None:
    for e in seed_corpus.entities.values():
        node = U(entity_iri(e))
        labels = [o for o in merged.objects(node, RDFS.label) if o.language == ZH]
        assert labels == [rdflib.Literal(e.name, lang=ZH)], e.id
        assert (node, RDF.type, U(KG.NS + e.type)) in merged
        alts = {str(o) for o in merged.objects(node, SKOS.altLabel)}
        assert set(e.aliases) - {e.name} <= alts, e.id
        if e.type == "Place" and e.attr("adcode"):
            assert str(merged.value(node, U(KG.adcode))) == e.attr("adcode")


def test_every_relation_has_provenance_with_verbatim_evidence(
    merged: rdflib.Graph, seed_corpus: Corpus
) -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    assert seed_corpus.relations
    for r in seed_corpus.relations.values():
        iris = entity_iris(seed_corpus)
        s, p, o = U(iris[r.s]), U(KG.NS + r.p), U(iris[r.o])
        assert (s, p, o) in merged
        (st,) = (
            x
            for x in merged.subjects(RDF.subject, s)
            if (x, RDF.predicate, p) in merged and (x, RDF.object, o) in merged
        )
        evidence = list(merged.objects(st, U(PROV.wasDerivedFrom)))
        assert len(evidence) == len(r.evidence) >= 1
        for ev in evidence:
            art = merged.value(ev, U(PROV.wasQuotedFrom))
            page = merged.value(art, rdflib.URIRef(PREFIXES["dcterms"] + "isPartOf"))
            name = str(merged.value(page, rdflib.URIRef(PREFIXES["dcterms"] + "identifier")))
            start, end = int(merged.value(ev, U(KG.start))), int(merged.value(ev, U(KG.end)))
            assert str(merged.value(ev, U(KG.text))) == unbroken(texts[name][start:end])


def test_bar_relation_is_traced_to_its_sentence(merged: rdflib.Graph) -> None:
    q = """
    SELECT ?text ?page WHERE {
      ?s rdfs:label "长子县"@zh . ?o rdfs:label "春夏九防·敲门行动"@zh .
      ?st rdf:subject ?s ; rdf:predicate kg:implements ; rdf:object ?o ; prov:wasDerivedFrom ?ev .
      ?ev kg:text ?text ; prov:wasQuotedFrom/dcterms:isPartOf/dcterms:identifier ?page .
    }"""
    rows = {(str(t), str(p)) for t, p in merged.query(q, initNs=PREFIXES)}
    page = seed_file("004")
    text = page.read_text(encoding="utf-8")
    # the extracted relation, traced to the clause of page 004 that states it
    assert rows and {p for _t, p in rows} == {page.name}, rows
    assert all("春夏九防·敲门行动" in t and t in text for t, _p in rows), rows


# -- SHACL ------------------------------------------------------------------------------------------------


@cache
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


def _validate(g: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
    import pyshacl

    conforms, report, _text = pyshacl.validate(g, shacl_graph=shapes(), inference="none", advanced=True)
    return bool(conforms), report


def test_seeds_graph_conforms_to_the_shapes(merged: rdflib.Graph) -> None:
    conforms, report = _validate(merged)
    assert conforms, report.serialize(format="turtle")[:3000]


def _first(g: rdflib.Graph, cls: str, **need: str) -> rdflib.URIRef:
    for s in sorted(g.subjects(RDF.type, U(cls))):
        if all((s, U(p), None) in g for p in need.values()):
            return s
    raise AssertionError(f"no {cls}")


def _break(g: rdflib.Graph) -> dict[str, tuple[rdflib.term.Node, str]]:
    """Apply one defect per case; return case -> (focus node, expected source shape)."""
    cases: dict[str, tuple[rdflib.term.Node, str]] = {}
    place = _first(g, KG.Place, a=KG.adcode)
    g.set((place, U(KG.adcode), rdflib.Literal("14042")))
    cases["adcode of five digits"] = (place, "kgs:Place")
    org = _first(g, KG.Organization)
    g.remove((org, RDFS.label, None))
    cases["entity without a name"] = (org, "kgs:Entity")
    mech = _first(g, KG.Mechanism)
    g.add((mech, RDFS.label, rdflib.Literal("另一个名字", lang=ZH)))
    cases["entity with two names"] = (mech, "kgs:Entity")
    campaign = _first(g, KG.Campaign)
    actor = _first(g, KG.Person)
    g.add((actor, U(KG.targets), campaign))
    cases["targets a campaign"] = (campaign, "kgs:TargetsObject")
    cases["person as subject of targets"] = (actor, "kgs:TargetsSubject")
    cases["relation without provenance"] = (U(KGG.relations), "kgs:RelationProvenance")
    g.add((place, U(KG.targetsWithMeasure), campaign))
    cases["derived link to a campaign"] = (campaign, "kgs:TargetsWithMeasureObject")
    cases["derived link without a span stating both"] = (place, "kgs:TargetsWithMeasureDerived")
    ev = _first(g, KG.Evidence)
    g.remove((ev, U(PROV.wasQuotedFrom), None))
    cases["evidence not quoted from an article"] = (ev, "kgs:Span")
    st = _first(g, RDF.Statement)
    g.remove((st, U(PROV.wasDerivedFrom), None))
    cases["statement without evidence"] = (st, "kgs:Statement")
    art = _first(g, KG.Article, t=KG.mentionsType)
    named = {t for e in g.subjects(U(KG.mentionedIn), art) for t in g.objects(e, RDF.type)}
    unnamed = next(U(KG.NS + t) for t in ENTITY_TYPES if U(KG.NS + t) not in named)
    g.add((art, U(KG.mentionsType), unnamed))
    cases["article said to mention a type none of its entities has"] = (art, "kgs:MentionsTypeDerived")
    return cases


@pytest.fixture(scope="module")
def broken(seed_corpus: Corpus) -> tuple[dict[str, tuple[rdflib.term.Node, str]], set[tuple[str, str]]]:
    # one page is enough to show every defect (and keeps pyshacl quick)
    small = Corpus.from_results([])
    name = next(n for n in seed_corpus.sources if n.startswith("004"))
    small.sources[name] = seed_corpus.sources[name]
    small.articles = {k: a for k, a in seed_corpus.articles.items() if a.source == name}
    small.mentions = {
        k: [m for m in v if m.source == name]
        for k, v in seed_corpus.mentions.items()
        if any(m.source == name for m in v)
    }
    small.relations = {
        k: replace(r, evidence=tuple(ev for ev in r.evidence if ev.source == name))
        for k, r in seed_corpus.relations.items()
        if any(ev.source == name for ev in r.evidence)
    }
    used = (
        set(small.mentions)
        | {r.s for r in small.relations.values()}
        | {r.o for r in small.relations.values()}
    )
    small.entities = {k: e for k, e in seed_corpus.entities.items() if k in used}
    small.entities.update({k: e for k, e in seed_corpus.entities.items() if e.type == "Person"})
    g = merged_graph(corpus_quads(small))
    assert _validate(g)[0]
    cases = _break(g)
    conforms, report = _validate(g)
    assert not conforms
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = set()
    for res in report.subjects(RDF.type, sh.ValidationResult):
        shape = report.value(res, sh.sourceShape)
        # a property shape is a blank node: name the node shape that holds it
        parent = shapes().value(None, sh.property, shape) if isinstance(shape, rdflib.BNode) else None
        found.add((str(report.value(res, sh.focusNode)), str(parent or shape)))
    return cases, found


@pytest.mark.parametrize(
    "case",
    [
        "adcode of five digits",
        "entity without a name",
        "entity with two names",
        "targets a campaign",
        "person as subject of targets",
        "relation without provenance",
        "derived link to a campaign",
        "derived link without a span stating both",
        "evidence not quoted from an article",
        "statement without evidence",
        "article said to mention a type none of its entities has",
    ],
)
def test_shapes_catch_defects(broken, case: str) -> None:  # type: ignore[no-untyped-def]
    cases, found = broken
    focus, shape = cases[case]
    shape_iri = "https://w3id.org/safety-kg/shapes#" + shape.split(":", 1)[1]
    assert (str(focus), shape_iri) in found, sorted(s for f, s in found if f == str(focus))


# -- serializations and round trips ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '引号"与\\反斜杠',
        "换行\n与\r回车\t制表",
        "控制\x01字符",
        "emoji 🚒 and ·、《》",
        " leading and trailing ",
    ],
)
def test_literals_survive_every_serialization(text: str) -> None:
    q = [("https://example.org/s", KG.text, zh(text), KGG.entities)]
    expected = merged_graph(q)
    assert isomorphic(rdflib.Graph().parse(data=turtle(q), format="turtle"), expected)
    for data, fmt in ((trig(q), "trig"), ("".join(nquads(q)), "nquads"), (jsonld(q), "json-ld")):
        back = rdflib.Dataset()
        back.parse(data=data, format=fmt)
        named = rdflib.Graph()
        for t in back.graph(U(KGG.entities)):
            named.add(t)
        assert isomorphic(named, expected), fmt


def test_networkx_and_rdf_are_views_of_the_same_data(seed_corpus: Corpus) -> None:
    from kg.export.networkx import to_networkx

    nx_quads = networkx_quads(to_networkx(seed_corpus))
    from_corpus = core_quads(seed_corpus)
    assert isomorphic(merged_graph(nx_quads), merged_graph(from_corpus))
    assert set(nx_quads) == set(from_corpus)  # in the same named graphs
    assert len(from_corpus) > 1000


def _dedup_mentions(c: Corpus) -> Corpus:
    # the extractor may report one span twice (two extractors); RDF keeps one mention per span
    out = Corpus(dict(c.entities), dict(c.relations), dict(c.articles), dict(c.sources), {})
    for eid, refs in c.mentions.items():
        seen: dict[tuple[str, int, int], MentionRef] = {}
        for m in refs:
            seen.setdefault((m.source, m.start, m.end), m)
        out.mentions[eid] = list(seen.values())
    return out


def test_rdf_round_trip(seed_corpus: Corpus, quads: list[Quad], merged: rdflib.Graph) -> None:
    from kg.export.networkx import to_networkx

    back = corpus_from_rdf(merged)
    again = corpus_quads(back)
    assert isomorphic(merged_graph(again), merged)
    assert set(again) == set(quads)  # the same named graphs too
    # the networkx view of the corpus read back from RDF is the corpus's own
    g1, g2 = to_networkx(_dedup_mentions(seed_corpus)), to_networkx(back)
    assert set(g1.nodes) == set(g2.nodes)
    assert set(g1.edges(keys=True)) == set(g2.edges(keys=True))
    for n, d1 in g1.nodes(data=True):
        d2 = g2.nodes[n]
        assert {k: v for k, v in d1.items() if k != "aliases"} == {
            k: v for k, v in d2.items() if k != "aliases"
        }
        # a term's aliases in RDF are all its altLabels: the vocabulary's too
        assert set(d1["aliases"]) <= set(d2["aliases"])
        if d1["type"] not in TERM_SCHEMES:
            assert sorted(d1["aliases"]) == d2["aliases"]
    for s, o, k, d1 in g1.edges(keys=True, data=True):
        assert d1 == g2.edges[s, o, k]


def test_one_page_changes_only_its_part(seed_results, seed_corpus: Corpus, quads) -> None:  # type: ignore[no-untyped-def]
    changed = [
        replace(r, relations=r.relations[1:]) if r.source.name.startswith("001") else r for r in seed_results
    ]
    new = corpus_quads(Corpus.from_results(changed))
    diff = set(new) ^ set(quads)
    assert diff
    graphs = {q[3] for q in diff}
    assert graphs <= {KGG.relations, KGG.entities, page_graph(seed_file("001").name)}


def test_vocabulary_graph_is_public_skos_only(quads: list[Quad]) -> None:
    preds = {p for _s, p, _o, g in quads if g == KGG.vocab}
    assert str(SKOS.hiddenLabel) not in preds
    assert KG.NS + "contextLabel" not in preds and KG.NS + "matchPattern" not in preds
    schemes = {o for _s, p, o, g in quads if g == KGG.vocab and p == str(SKOS.inScheme)}
    assert schemes == {KGV.industry, KGV.venue, KGV.hazard, KGV.measure}


def test_page_graph_iri_round_trip() -> None:
    name = "页 01#a b.txt"
    assert page_of_graph(page_graph(name)) == name
    assert page_of_graph(KGG.vocab) is None
    assert Path(unquote(page_iri(name).rsplit("/", 1)[-1])).name == name


@pytest.mark.parametrize("piece", [1, 3, 40])
def test_a_graph_written_in_pieces_has_the_bytes_of_one_written_whole(quads: list[Quad], piece: int) -> None:
    """The entity and relation graphs are rendered a piece at a time at scale: cut between
    subjects, in every format, the files are those of each graph rendered at once."""
    import io

    from kg.export.rdf.stream import RDF_FORMATS, DatasetWriter, render_graph

    graphs: dict[str, list[Quad]] = {}
    for q in quads:
        graphs.setdefault(q[3], []).append(q)
    assert sum(len(v) > 3 * piece for v in graphs.values()) >= 3  # several pieces per graph
    for fmt in RDF_FORMATS:
        whole, pieces = io.BytesIO(), io.BytesIO()
        a = DatasetWriter(None, [fmt], sinks={fmt: whole})
        b = DatasetWriter(None, [fmt], sinks={fmt: pieces})
        for g in sorted(graphs):
            a.write(g, *render_graph(g, graphs[g], [fmt]))
            b.graph(g, reversed(graphs[g]), piece=piece)
        a.close()
        b.close()
        assert pieces.getvalue() == whole.getvalue(), fmt


def test_each_article_is_linked_to_the_types_of_the_entities_it_mentions(quads: list[Quad]) -> None:
    """kg:mentionsType, derived by the build: exactly the (article, class) pairs that the
    mentions and the entities' types give, each once, in the article's page graph."""
    types = {s: o for s, p, o, _g in quads if p == str(RDF.type) and str(o).startswith(KG.NS)}
    expected = {(a, types[e], g) for e, p, a, g in quads if p == KG.mentionedIn}
    links = [(a, c, g) for a, p, c, g in quads if p == KG.mentionsType]
    assert len(links) == len(set(links))
    assert set(links) == expected
    assert {c for _a, c, _g in links} >= {KG.Place, KG.Organization}  # the seeds name both
