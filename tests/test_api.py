"""The library API (kg/api.py) on the seeds: build, query, entity, save/load, inline views."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.api import KnowledgeGraph
from kg.errors import UsageError

from ._util import ROOT
from .test_views import XSS_PAGE

SEEDS = ROOT / "seeds"
KNOCK = "春夏九防·敲门行动"


@pytest.fixture(scope="module")
def g() -> KnowledgeGraph:
    return kg.build(SEEDS, cache=False)


@pytest.fixture(scope="module")
def saved(g: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    g.save(out)
    return out


def test_import_is_lazy() -> None:
    code = (
        "import kg, sys; print(sorted(m for m in sys.modules if m.startswith(('kg.', 'rdflib', 'pandas'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_build_holds_the_corpus_and_its_networkx_view(g: KnowledgeGraph) -> None:
    assert len(g.corpus.sources) == 5
    assert g.nx.number_of_nodes() == len(g.corpus.entities)
    assert g.nx.number_of_edges() == len(g.corpus.relations)
    assert g.nx.has_edge("Place:长子县", f"Campaign:{KNOCK}", key="implements")
    ents = g.entities
    assert set(ents["type"]) == {
        "Place", "Organization", "Industry", "Venue", "Hazard",
        "Campaign", "Mechanism", "Measure", "Document", "Person",
    }  # fmt: skip
    assert "危化品" in ents.set_index("name").loc["危险化学品", "aliases"]


def test_build_reports_bad_pages_and_refuses_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8"))
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    g = kg.build(tmp_path, cache=False)
    assert [Path(p).name for p, _m in g.errors] == ["bad.txt"]
    assert "长子县" in {e.name for e in g.corpus.entities.values()}
    with pytest.raises(UsageError, match="no readable input pages"):
        kg.build(tmp_path / "bad.txt", cache=False)


@pytest.mark.parametrize(
    ("query", "params", "column", "expected"),
    [
        ("places-implementing-campaign", {"campaign": KNOCK}, "place", {"长子县", "屯留区", "壶关县"}),
        (
            "SELECT ?n WHERE { ?p a kg:Place ; rdfs:label ?n ; kg:implements ?c . "
            f'?c rdfs:label "{KNOCK}"@zh }}',
            {},
            "n",
            {"长子县", "屯留区", "壶关县"},
        ),
        ("people-and-posts", {}, None, None),
    ],
)
def test_query_gives_dataframes(
    g: KnowledgeGraph, query: str, params: dict[str, str], column: str | None, expected: set[str] | None
) -> None:
    df = g.query(query, **params)
    assert len(df) > 0
    if column is not None:
        assert set(df[column]) == expected


def test_query_values_are_python_values(g: KnowledgeGraph) -> None:
    df = g.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)")
    assert df["n"].dtype.kind == "i"
    assert "kg:implements" in set(df["p"])  # IRIs compacted with the predeclared prefixes
    assert g.query(f'ASK {{ ?c rdfs:label "{KNOCK}"@zh }}').loc[0, "ask"]
    triples = g.query("CONSTRUCT { ?s kg:implements ?o } WHERE { ?s kg:implements ?o }")
    assert list(triples.columns) == ["subject", "predicate", "object"] and len(triples) > 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT ?x WHERE { ?x ", "SPARQL syntax error"),
        ("INSERT DATA { kgi:a kg:implements kgi:b }", "not allowed"),
        ("no-such-query", "no query named .no-such-query.; the named queries are: .*county-targets"),
    ],
)
def test_bad_queries_raise_usage_errors(g: KnowledgeGraph, query: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        g.query(query)


def test_query_rejects_unknown_parameters(g: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="takes campaign"):
        g.query("places-implementing-campaign", place="长子县")


def test_query_names_an_unknown_name(g: KnowledgeGraph) -> None:
    with pytest.raises(
        UsageError, match=r"no entity is named '敲门行动' \(parameter campaign\); close names: 春夏九防"
    ):
        g.query("places-implementing-campaign", campaign="敲门行动")
    assert "长子县" in set(g.query("places-implementing-campaign", campaign="春夏九防·敲门行动")["place"])


def test_entity_profile_relations_and_evidence(g: KnowledgeGraph) -> None:
    e = g.entity("长子县")
    assert (e.type, e.attributes["adcode"]) == ("Place", "140428")
    assert KNOCK in e.profile["implements"]
    assert {"煤矿", "危险化学品"} <= set(e.profile["targets"])
    rel = e.relations
    row = rel[(rel["predicate"] == "implements") & (rel["other"] == KNOCK)].iloc[0]
    page = (SEEDS / row["source"]).read_text(encoding="utf-8")
    assert row["evidence"] in page and row["headline"] in page
    sentences = e.evidence("implements", KNOCK)
    assert sentences and all(s in page for s in sentences)
    assert "长子县" in repr(e) and "<h4>" in e._repr_html_()
    assert row["headline"] in {a.headline for a in e.articles}


def test_entity_by_alias_and_type(g: KnowledgeGraph) -> None:
    assert g.entity("危化品").name == "危险化学品"
    assert g.entity("长治市", type="Place").type == "Place"


def test_unknown_entity_suggests_names(g: KnowledgeGraph) -> None:
    with pytest.raises(KeyError, match=r"did you mean.*长子县"):
        g.entity("长子")


def test_save_then_load_gives_the_same_graph(g: KnowledgeGraph, saved: Path) -> None:
    assert (saved / "graph.nq").is_file() and (saved / "index.html").is_file()
    assert not (saved / "graph.ttl").exists()  # the default formats: N-Quads only
    h = kg.load(saved)
    assert set(h.corpus.entities) == set(g.corpus.entities)
    assert set(h.corpus.relations) == set(g.corpus.relations)
    key = ("Place:长子县", "implements", f"Campaign:{KNOCK}")
    assert {ev.text for ev in h.corpus.relations[key].evidence} == {
        ev.text for ev in g.corpus.relations[key].evidence
    }
    q = "places-implementing-campaign"
    assert h.query(q).equals(g.query(q))
    assert h.entity("长子县").profile == g.entity("长子县").profile


def test_load_a_store(g: KnowledgeGraph, tmp_path: Path) -> None:
    g.save(store=tmp_path / "store")
    h = kg.load(tmp_path / "store")
    assert set(h.query("places-implementing-campaign", campaign=KNOCK)["place"]) == {
        "长子县",
        "屯留区",
        "壶关县",
    }
    assert len(h.corpus.relations) == len(g.corpus.relations)


@pytest.mark.parametrize("make", ["missing", "empty", "not-rdf"])
def test_load_bad_targets_say_what_to_do(tmp_path: Path, make: str) -> None:
    target = tmp_path / "t"
    if make == "empty":
        target.mkdir()
    elif make == "not-rdf":
        target = tmp_path / "t.txt"
        target.write_text("hello")
    with pytest.raises(UsageError, match=str(target.name)):
        kg.load(target)


def test_module_names_do_not_shadow_the_api(g: KnowledgeGraph, saved: Path) -> None:
    # the module behind `kg build`: importing it must not hide the function kg.build
    import kg.export.build

    assert callable(kg.build) and callable(kg.load)


# -- evidence in context: a sentence's article and link ---------------------------------------------


def test_evidence_sentences_know_their_span_and_link(g: KnowledgeGraph) -> None:
    from kg.export.views.data import article_filename

    from ._util import unbroken

    e = g.entity("长子县")
    (q,) = e.evidence("implements", KNOCK)
    page = (SEEDS / q.evidence.source).read_text(encoding="utf-8")
    assert isinstance(q, str) and q == unbroken(page[q.start : q.end]) == "扎实推进“春夏九防·敲门行动”。"
    assert q.article == q.evidence.article and q.article in g.corpus.articles
    assert q.href == f"{article_filename(q.article)}#ev-{q.start}-{q.end}" == g.href(q)
    rel = e.relations
    row = rel[(rel["predicate"] == "implements") & (rel["other"] == KNOCK)].iloc[0]
    assert row["link"] == q.href
    # the evidence IRI of a query result names the same span
    iris = list(g.query("evidence-for-relation", subject="长子县", object=KNOCK)["evidence"])
    assert len(iris) == 1 and g.href(iris[0]) == q.href
    assert g.href(q.article) == article_filename(q.article)  # an article id: its page
    # a sentence survives pickling and copying (a notebook's values, multiprocessing)
    import copy
    import pickle

    for again in (pickle.loads(pickle.dumps(q)), copy.deepcopy(q)):
        assert again == q and again.href == q.href and again.evidence == q.evidence


def test_article_shows_the_sentence_highlighted(g: KnowledgeGraph, saved: Path, tmp_path: Path) -> None:
    (q,) = g.entity("壶关县").evidence("implements", KNOCK)
    target = f"ev-{q.start}-{q.end}"
    view = g.article(q)
    assert f'data-target="{target}"' in view.page and view.title == q.article
    assert f'id="{target}"' in view.page and "<iframe srcdoc=" in view._repr_html_()
    assert g.corpus.articles[q.article].headline in view.page
    # a graph loaded from a build folder reads its article pages, and links to them there
    h = kg.load(saved)
    assert h.href(q.evidence) == (saved.resolve().as_uri() + "/" + q.href)
    assert f'data-target="{target}"' in h.article(q.evidence).page
    # the inline views carry the articles they quote, opened over the view
    assert '<template class="kg-article"' in g.view("壶关县").page
    # without the page texts or the pages: say how to get them
    g.save(tmp_path / "bare", views=False)
    with pytest.raises(UsageError, match=r"kg\.build\(PAGES\)"):
        kg.load(tmp_path / "bare").article(q.evidence)
    with pytest.raises(KeyError, match="names no article"):
        g.article("nowhere.txt#9")


# -- inline views ---------------------------------------------------------------------------------


def test_inline_view_is_one_self_contained_page(g: KnowledgeGraph) -> None:
    view = g.view("长子县")
    page = view.page
    assert not re.search(r"""(src|href)=["'](\.\./)?assets/""", page), "assets must be inlined"
    assert "http://" not in page.split("<body", 1)[1].split("<script>", 1)[0]
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "'unsafe-inline'" not in csp and "'sha256-" in csp and "connect-src 'none'" in csp
    frame = view._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts' in frame
    assert "allow-same-origin" not in frame
    assert KNOCK in page and g.view().page.count('id="kg-data"') == 1


def test_inline_view_escapes_article_markup(tmp_path: Path) -> None:
    (tmp_path / "xss_page.txt").write_text(XSS_PAGE, encoding="utf-8")
    g = kg.build(tmp_path, cache=False)
    for view in (g.view(), g.view("长子县")):
        body = view.page.split("<body", 1)[1]
        assert "__xss" in body, "the markup is shown, as text"
        assert (
            "<script>window.__xss" not in body and "<img src=x" not in body and "<b onmouseover" not in body
        )


# -- the README's example ----------------------------------------------------------------------------


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- api-example -->\s*```python\n(.*?)```", text, re.S)
    assert m, "README.md has no python block after <!-- api-example -->"
    return m.group(1)


def test_readme_api_example_runs_as_a_doctest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(readme_example(), {}, "README api-example", "README.md", 0)
    assert test.examples, "the example has no >>> lines"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
