"""Named queries rewritten for speed on the disk store answer exactly what they answered before.

Two kinds of rewrite: a query's portable text changed (``BEFORE`` keeps its earlier text), and
an Oxigraph form beside it (``ontology/queries/oxigraph/NAME.rq``, run by the Oxigraph engine
only: rdflib cannot run its sub-selects in reasonable time), which must answer on Oxigraph
exactly what the portable text answers there (``OXIGRAPH``).

A rewrite changes how an engine is led through the data (which patterns it starts from, what
it joins in which order), never the answer. Each rewritten query of ``ontology/queries/`` is
run here against its earlier text (kept below, as it was before the rewrite) on a build of
the seeds, on Oxigraph and on rdflib, with several parameter values: the rows must be the
same exact multiset. ``benchmarks/bench_sparql.py`` and ``bench_scale.py --queries`` time them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.corpus import Corpus
from kg.export.build import render_outputs, summarize, write_outputs
from kg.export.rdf.quads import corpus_quads
from kg.export.sparql.child import call_with_timeout
from kg.export.sparql.engine import ENGINES, Target
from kg.export.sparql.named import bind, named_queries, parse_query_file
from kg.export.sparql.results import Result, display

from .conftest import ROOT

#: the text of each rewritten query before its rewrite (what it answered is what it answers)
BEFORE: dict[str, str] = {
    "targets-under-term": """\
# param: term = "火灾"@zh -- a term's Chinese name or alias (Industry, Venue, Hazard or Measure)
SELECT ?actor ?type ?target (COUNT(DISTINCT ?ev) AS ?evidence) WHERE {
  VALUES ?p { kg:targets kg:takesMeasure }
  VALUES ?class { kg:Place kg:Organization kg:Campaign }
  ?named skos:prefLabel|skos:altLabel ?term ; skos:inScheme ?scheme .
  ?named skos:exactMatch? ?top .
  ?t skos:exactMatch?/skos:broader* ?top .
  ?x ?p ?t ; a ?class ; rdfs:label ?actor .
  ?t rdfs:label ?target .
  ?st rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?t ; prov:wasDerivedFrom ?ev .
  BIND (STRAFTER(STR(?class), "#") AS ?type)
}
GROUP BY ?actor ?type ?target
ORDER BY ?actor ?target
""",
    "entity-relations": """\
# param: entity = "壶关县"@zh -- the entity's canonical name
SELECT ?direction ?predicate ?other (COUNT(DISTINCT ?ev) AS ?evidence) WHERE {
  ?e rdfs:label ?entity .
  ?st rdf:subject|rdf:object ?e .
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?ev .
  BIND (IF(?s = ?e, "out", "in") AS ?direction)
  BIND (IF(?s = ?e, ?o, ?s) AS ?x)
  ?x rdfs:label ?other .
  BIND (STRAFTER(STR(?p), "#") AS ?predicate)
}
GROUP BY ?direction ?predicate ?other
ORDER BY ?direction ?predicate ?other
""",
    # before the derived link kg:targetsWithMeasure: the pairs whose statements share a span
    "targets-without-measure": """\
SELECT ?county ?industry WHERE {
  ?c kg:level "county" ; kg:targets ?i .
  ?i a kg:Industry .
  MINUS {
    # a measure the county takes, stated in the span that states the target
    ?m rdf:predicate kg:takesMeasure ; prov:wasDerivedFrom ?ev ; rdf:subject ?c .
    ?t prov:wasDerivedFrom ?ev ; rdf:subject ?c ; rdf:object ?i .
  }
  ?c rdfs:label ?county .
  ?i rdfs:label ?industry .
}
ORDER BY ?county ?industry
""",
}

#: parameter values each is compared with (the defaults, and others with answers on the seeds)
PARAMS: dict[str, list[dict[str, str]]] = {
    "targets-under-term": [
        {},
        {"term": "矿山"},
        {"term": "危险化学品"},
        {"term": "宣传教育"},
        {"term": "人员密集场所"},
    ],
    "entity-relations": [{}, {"entity": "长治市"}, {"entity": "春夏九防·敲门行动"}, {"entity": "非煤矿山"}],
    "targets-without-measure": [{}],
}


#: parameter values each Oxigraph form is compared with (the defaults first, then others)
OXIGRAPH: dict[str, list[dict[str, str]]] = {
    "industries-targeted-together": [{}],
    "county-targets": [{}],
    "targets-without-measure": [{}],
    "entities-per-type": [{}],
    "mechanisms-per-city": [{}],
    # a hazard, a broader one, a measure by its alias, an industry by its alias, a narrower hazard
    "targets-under-term": [
        {},
        {"term": "自然灾害"},
        {"term": "隐患排查"},
        {"term": "危化品"},
        {"term": "森林火灾"},
    ],
    # a city, a province, a broader term, a county with an industry's alias, a narrower hazard
    "place-targets-under-term": [
        {},
        {"place": "山西省"},
        {"term": "自然灾害"},
        {"place": "长子县", "term": "危化品"},
        {"place": "山西省", "term": "森林火灾"},
    ],
    # the quarters in which some campaign starts (tests/test_queries_period.py: STARTS), and one
    # in which none does
    "campaigns-started-in-quarter": [
        {},
        {"quarter": "1"},
        {"quarter": "3"},
        {"year": "2024", "quarter": "1"},
    ],
    "places-active-in-season": [
        {},
        {"hazard": "洪水"},
        {"hazard": "自然灾害", "from_month": "3", "to_month": "7"},
        {"hazard": "火灾", "year": "2024", "from_month": "1", "to_month": "12"},
        {"hazard": "火灾", "year": "2024", "from_month": "4", "to_month": "12"},
    ],
}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, seed_corpus: Corpus) -> dict[str, Target]:
    folder: Path = tmp_path_factory.mktemp("rewrites")
    quads = corpus_quads(seed_corpus)
    write_outputs(folder, render_outputs(seed_corpus, quads, summarize(seed_corpus, quads)))
    return {e: Target(folder, e).load() for e in ENGINES}


#: columns made by GROUP_CONCAT, whose order SPARQL leaves open (each engine concatenates in
#: the order its plan meets the values, and a form is a different plan): compared as the
#: multiset of their pieces between separators. A name may hold the separator itself
#: (党政同责、一岗双责、…), so pieces, not names, but any order of the same names gives the same
#: pieces, and a missing or extra name changes them.
CONCATENATED: dict[str, tuple[str, str]] = {"mechanisms-per-city": ("names", "、")}


def _rows(r: Result, name: str = "") -> Counter[tuple[str, ...]]:
    rows = [[display(c) for c in row] for row in r.rows]
    if name in CONCATENATED:
        var, sep = CONCATENATED[name]
        i = r.vars.index(var)
        for row in rows:
            row[i] = sep.join(sorted(row[i].split(sep)))
    return Counter(tuple(row) for row in rows)


def test_every_rewritten_query_is_a_named_query_with_cases() -> None:
    assert set(BEFORE) <= set(named_queries()) and set(PARAMS) == set(BEFORE)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("name", "params"), [(n, p) for n, ps in PARAMS.items() for p in ps], ids=lambda x: str(x) or "defaults"
)
def test_a_rewrite_answers_what_the_query_answered(
    engines: dict[str, Target], engine: str, name: str, params: dict[str, str]
) -> None:
    now = bind(named_queries()[name], params)
    before = bind(parse_query_file(BEFORE[name], name), params)
    g = engines[engine]
    new, old = (call_with_timeout(lambda t=t: g.execute(t), 60) for t in (now, before))
    assert new.vars == old.vars
    assert _rows(new) == _rows(old)
    if not params:
        assert new.rows  # the defaults have answers on the seeds: the comparison means something


def test_every_oxigraph_form_has_cases_and_the_same_parameters() -> None:
    forms = {n: nq for n, nq in named_queries().items() if nq.oxigraph is not None}
    assert set(forms) == set(OXIGRAPH)
    for name, nq in forms.items():
        assert nq.oxigraph is not None
        assert parse_query_file(nq.oxigraph, name).params == (), f"{name}: its header is the portable file's"
        for p in nq.params:
            assert f"?{p.name}" in nq.oxigraph, f"{name}: the Oxigraph form does not use ?{p.name}"


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Target:
    """The seeds built with made-up dates (the seeds print no years), on Oxigraph: the
    season's query has answers there."""
    from .test_queries_hierarchy import kg
    from .test_queries_period import DATES

    base = tmp_path_factory.mktemp("dated")
    manifest = base / "pages.csv"
    manifest.write_text("file,date\n" + "".join(f"{f},{d}\n" for f, d in DATES.items()), encoding="utf-8")
    p = kg(
        "build", str(ROOT / "seeds"), "-o", str(base / "out"), "-q", "--no-views", "--manifest", str(manifest)
    )
    assert p.returncode == 0, p.stderr
    return Target(base / "out", "oxigraph").load()


@pytest.mark.parametrize("name", sorted(OXIGRAPH))
def test_the_oxigraph_form_answers_what_the_portable_query_answers(dated: Target, name: str) -> None:
    nq = named_queries()[name]
    answered = []
    for params in OXIGRAPH[name]:
        portable, on_ox = bind(nq, params), bind(nq, params, "oxigraph")
        assert portable != on_ox and bind(nq, params, "rdflib") == portable
        new, old = dated.execute(on_ox), dated.execute(portable)
        assert new.vars == old.vars
        assert _rows(new, name) == _rows(old, name), params
        answered.append(bool(new.rows))
    assert any(answered)  # some case has rows: the comparison means something


#: a made-up page: counties that target an industry in a clause with a measure of their own
#: (长子县 煤矿; 壶关县 危险化学品, which it also targets in a clause without one), without any
#: (长子县 烟花爆竹), with a measure of theirs in another clause only (黎城县 建筑施工), or
#: beside another actor's measure (平顺县 煤矿, 长治市应急管理局's 执法检查)
LINKED_PAGE = """长治市部署安全生产工作

长子县聚焦煤矿行业开展应急演练。长子县紧盯烟花爆竹行业。壶关县针对危险化学品行业开展隐患排查。\
壶关县紧盯危险化学品行业。黎城县紧盯建筑施工行业。黎城县开展应急演练。\
平顺县紧盯煤矿行业，长治市应急管理局开展执法检查。
"""


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The made-up page built by ``kg build`` (each page's graph is made in its worker)."""
    from .test_queries_hierarchy import kg

    base = tmp_path_factory.mktemp("linked")
    (base / "pages").mkdir()
    (base / "pages" / "clauses.txt").write_text(LINKED_PAGE, encoding="utf-8")
    p = kg("build", str(base / "pages"), "-o", str(base / "out"), "-q", "--no-views")
    assert p.returncode == 0, p.stderr
    return base / "out"


def test_the_build_links_an_actor_to_what_it_targets_in_a_clause_with_its_own_measure(linked: Path) -> None:
    g = Target(linked, "oxigraph").load()
    r = g.execute("SELECT ?a ?t WHERE { ?x kg:targetsWithMeasure ?y . ?x rdfs:label ?a . ?y rdfs:label ?t }")
    assert _rows(r) == Counter({("长子县", "煤矿"): 1, ("壶关县", "危险化学品"): 1})


@pytest.mark.parametrize("engine", ENGINES)
def test_targets_without_measure_is_decided_by_the_clause_link(linked: Path, engine: str) -> None:
    g = Target(linked, engine).load()
    want = {("长子县", "烟花爆竹"), ("黎城县", "建筑施工"), ("平顺县", "煤矿")}
    name = "targets-without-measure"
    now = g.execute(bind(named_queries()[name], {}, engine))  # its Oxigraph form on Oxigraph
    portable = g.execute(bind(named_queries()[name], {}))
    before = g.execute(bind(parse_query_file(BEFORE[name], name), {}))
    assert _rows(now) == _rows(portable) == _rows(before) == Counter(want)
