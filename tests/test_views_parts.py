"""The parts of kg.export.views on a corpus of two made-up pages: assets, page, positions,
network, overview, inline."""

from __future__ import annotations

import json
import re

import pytest

from kg.corpus import Corpus
from kg.export.views import assets, inline, network, overview, page, positions
from kg.export.views.data import ViewIndex
from kg.model import Article, Entity, Evidence, Relation
from kg.pipeline import extract_text

PAGES = {
    "a.txt": "黎城县扎实推进“安全护航”专项行动，聚焦加油站、商超等场所。\n",
    "b.txt": "市应急管理局联合市公安局开展联合执法，紧盯危化品企业。\n",
}


@pytest.fixture(scope="module")
def ix() -> ViewIndex:
    results = [extract_text(text, name=name, home="长治市") for name, text in PAGES.items()]
    return ViewIndex.build(Corpus.from_results(results))


def test_assets_are_every_file_the_pages_load() -> None:
    files = assets.asset_files()
    assert {"vis-network.min.js", "vis-network.min.css", "theme.css", "LICENSES.txt"} <= set(files)
    assert files["theme.css"].decode("utf-8") == assets.theme_css()
    assert (assets.vis_network_dir() / "vis-network.min.js").is_file()


def test_page_escapes_its_title_root_and_data() -> None:
    html = page.render("T", "<main></main>", root='"x/', data={"s": "</script><b>"}, scripts=("a.js",))
    assert html.startswith("<!DOCTYPE html>") and "<main></main>" in html
    assert 'href="&quot;x/index.html"' in html and "</script><b>" not in html
    assert 'src="&quot;x/a.js"' in html


def test_positions_are_deterministic_and_separate_components() -> None:
    edges = [(0, 1), (1, 2), (3, 4)]
    pos = positions.initial_positions(5, edges)
    assert pos == positions.initial_positions(5, edges) and len(pos) == 5
    assert len(set(pos)) == 5  # no two nodes on one spot
    assert positions.initial_positions(0, []) == []


def test_network_helpers() -> None:
    assert network.short_label("短名") == "短名"
    long = "关于进一步加强全市安全生产工作的实施意见和工作方案"
    assert network.short_label(long).endswith("…") and len(network.short_label(long)) < len(long)
    assert network.node_size(1) < network.node_size(16) <= 48.0
    assert network.node_size(10_000, large=True) == 30.0
    assert network.stabilization_iterations(10) >= network.stabilization_iterations(5000)


def test_network_payload_draws_the_relations_among_its_nodes(ix: ViewIndex) -> None:
    ids = [e.id for e in ix.entities]
    data = network.network_payload(ix, ids, root="", mode="overview")
    json.dumps(data)  # what the page reads is JSON
    text = json.dumps(data, ensure_ascii=False)
    assert "黎城县" in text and "安全护航" in text
    edges = {(r.s, r.o) for r in ix.relations_among(set(ids))}
    assert ("Place:黎城县", "Campaign:安全护航") in edges


def test_overview_cuts_to_the_most_connected(ix: ViewIndex) -> None:
    every = overview.choose_nodes(ix, 10_000)
    assert every == [e.id for e in ix.entities] and overview.overview_notice(ix, every) is None
    top = overview.choose_nodes(ix, 3)
    assert top == ix.by_degree()[:3]
    notice = overview.overview_notice(ix, top)
    assert notice is not None and f"of {len(ix.entities):,} entities" in notice
    assert overview.presets()


def test_inline_page_is_one_file_without_outward_links(ix: ViewIndex) -> None:
    html = inline.inline_page(ix.corpus)
    assert not re.search(r'<script[^>]+src=|<link[^>]+href="[^"#]', html)
    assert "vis.Network" in html or "vis-network" in html
    focus = inline.inline_page(ix.corpus, "Place:黎城县")
    assert "黎城县" in focus and "安全护航" in focus


# -- a term's measures: taken in the same articles by who targets it --------------------------


def _targets_and_measures(rows: list[tuple[str, str, str, str]]) -> ViewIndex:
    """A corpus of (place, predicate, object, article) rows, each stated by its own sentence of
    its article (one sentence per (place, article): a place's two relations in one article
    share the span, as a sentence that states both does)."""
    c = Corpus()
    for place, _p, obj, _art in rows:
        for e in (Entity("Place", place), Entity(obj.partition(":")[0], obj.partition(":")[2])):
            c.entities[e.id] = e
    spans: dict[tuple[str, str], Evidence] = {}
    found: dict[tuple[str, str, str], list[Evidence]] = {}
    for place, p, obj, art in rows:
        aid = f"{art}.txt#0"
        c.articles.setdefault(aid, Article(aid, f"{art}.txt", 0, art, 0, 400, (), date="2025-03-01"))
        if (place, art) not in spans:
            start = 20 * len([k for k in spans if k[1] == art])
            spans[(place, art)] = Evidence(f"{art}.txt", aid, start, start + 10, f"{place}的句子")
        found.setdefault((f"Place:{place}", p, obj), []).append(spans[(place, art)])
    for (s, p, o), evs in found.items():
        r = Relation(s, p, o, tuple(evs))
        c.relations[r.key] = r
    return ViewIndex.build(c)


def test_a_terms_measures_are_those_its_actors_take_in_the_articles_stating_it() -> None:
    from kg.export.views.focus import derived_measures

    ix = _targets_and_measures(
        [
            ("甲县", "targets", "Industry:危险化学品", "a1"),
            ("甲县", "takesMeasure", "Measure:隐患排查", "a1"),  # same article: counted
            ("甲县", "takesMeasure", "Measure:宣传教育", "a3"),  # another article: not
            ("乙县", "targets", "Industry:危险化学品", "a2"),
            ("乙县", "targets", "Industry:危险化学品", "a4"),
            ("乙县", "takesMeasure", "Measure:隐患排查", "a2"),
            ("乙县", "takesMeasure", "Measure:应急演练", "a2"),
            ("乙县", "takesMeasure", "Measure:应急演练", "a4"),
            ("丙县", "takesMeasure", "Measure:隐患排查", "a1"),  # in a1, but targets nothing
            ("甲县", "takesMeasure", "Measure:应急演练", "a5"),  # 甲县 the more connected
        ]
    )
    got = [
        (mid, actors, [(ev.article, ev.start) for ev in evs])
        for mid, actors, evs in derived_measures(ix, "Industry:危险化学品")
    ]
    # most sentences first, then by name (a tie here); the actors most connected first; a
    # span once however many of the actor's relations it states
    assert got == [
        ("Measure:应急演练", ["Place:乙县"], [("a2.txt#0", 0), ("a4.txt#0", 0)]),
        ("Measure:隐患排查", ["Place:甲县", "Place:乙县"], [("a1.txt#0", 0), ("a2.txt#0", 0)]),
    ]
    assert derived_measures(ix, "Measure:隐患排查") == []  # nobody targets a measure
