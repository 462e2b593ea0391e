"""HTML views (kg.export.views): files, links, matrices, focused views, escaping, determinism.

Built from the real seed pages (extracted here) and from a crafted page whose
sentences carry <script> and <img onerror> into names, evidence and headlines.
The browser-level checks are in test_views_browser.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from kg.corpus import Corpus
from kg.export.views import write_views
from kg.export.views.data import ViewIndex, entity_filename
from kg.export.views.escape import display_text, h, json_for_script
from kg.export.views.focus import ROLLUP_ACTORS, ROLLUP_LISTED
from kg.model import ENTITY_TYPES, Entity, Evidence, Relation

from ._util import ROOT

SEEDS = ROOT / "seeds"

#: A page whose sentences carry markup into names, aliases, evidence and the headline.
XSS_PAGE = (
    "长子县<script>window.__xss=1</script>开展安全检查\n\n"
    "本报讯 长子县紧盯煤矿<script>window.__xss=1;alert(1)</script>等行业，开展隐患排查。"
    "长子县扎实推进“<img src=x onerror=alert(1)>行动”，"
    '聚焦高层建筑<img src=x onerror="window.__xss=2">等场所。'
    "长子县严格落实“<b onmouseover=alert(1)>”制度。\n"
)


def corpus_of(*paths: str | Path) -> Corpus:
    from kg.pipeline import extract_paths

    ex = extract_paths([str(p) for p in paths])
    assert not ex.errors, ex.errors
    return Corpus.from_results(ex.files)


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return corpus_of(SEEDS)


@pytest.fixture(scope="module")
def site(seeds: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("views")
    write_views(seeds, out)
    return out


@pytest.fixture(scope="module")
def xss_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("xss_pages")
    (folder / "xss_page.txt").write_text(XSS_PAGE, encoding="utf-8")
    return corpus_of(folder)


def page(site: Path, eid: str) -> Path:
    return site / "entity" / entity_filename(eid)


def parse(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def data_block(path: Path) -> dict:
    node = parse(path).css_first("script#kg-data")
    assert node is not None
    return json.loads(node.text())


# -- files and links ------------------------------------------------------------------------


def test_writes_index_overview_assets_and_a_view_per_entity(seeds: Corpus, site: Path) -> None:
    for rel in ("index.html", "overview.html", "assets/vis-network.min.js", "assets/vis-network.min.css",
                "assets/views.js", "assets/index.js", "assets/views.css", "assets/theme.css",
                "assets/LICENSES.txt"):  # fmt: skip
        assert (site / rel).is_file(), rel
    for e in seeds.entities.values():
        assert page(site, e.id).is_file(), e.id
    assert len(list((site / "entity").iterdir())) == len(seeds.entities)


def test_file_names_are_stable_safe_and_distinct() -> None:
    assert entity_filename("Place:长子县") == entity_filename("Place:长子县")
    names = {
        entity_filename(i) for i in ("Place:长子县", "Place:长治市", "Document:关于/..\\《》", "Campaign:a")
    }
    assert len(names) == 4
    for n in names:
        assert re.fullmatch(r"[a-z]+-[0-9a-f]{16}\.html", n)
    # a known value: changing the scheme breaks every bookmark, so it must be deliberate
    assert entity_filename("Place:长子县") == "place-76b097ef134aecaf.html"


def _local_links(path: Path) -> list[str]:
    tree = parse(path)
    out = []
    for node in tree.css("a[href], link[href], script[src]"):
        url = node.attributes.get("href") or node.attributes.get("src") or ""
        out.append(url)
    return out


def test_every_link_of_index_and_a_focused_view_resolves(site: Path) -> None:
    for html in (site / "index.html", page(site, "Place:长子县"), site / "overview.html"):
        links = _local_links(html)
        assert links
        for url in links:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{html.name}: outside reference {url}"
            if not parts.path:
                continue  # a fragment on the same page
            target = (html.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{html.name}: broken link {url}"


def test_index_tables_list_real_entities_with_counts(seeds: Corpus, site: Path) -> None:
    tree = parse(site / "index.html")
    for type_, name in (("Place", "长子县"), ("Campaign", "春夏九防·敲门行动"), ("Industry", "煤矿"),
                        ("Mechanism", "31631联动机制")):  # fmt: skip
        section = tree.css_first(f"section#type-{type_}")
        assert section is not None, type_
        rows = {r.css_first("td a").text(): r for r in section.css("tbody tr")}
        e = seeds.entity(name, type_)
        assert e is not None, name
        assert e.name in rows, (type_, name)
        cells = [c.text() for c in rows[e.name].css("td.num")]
        ix = ViewIndex.build(seeds)
        assert cells == [str(len(ix.article_ids[e.id])), str(len(ix.by_entity[e.id]))]
        assert rows[e.name].css_first("td a").attributes["href"] == f"entity/{entity_filename(e.id)}"
    counts = tree.css_first("section.counts").text()
    assert f"{len(seeds.entities)}" in counts and "Place" in counts


def _matrix(tree: HTMLParser, key: str, view: str = "places") -> dict[tuple[str, str], str]:
    table = tree.css_first(f"section#matrix-{key} .view-{view} table.heat")
    assert table is not None
    cols = [th.css_first("a").text().strip() for th in table.css("thead th.col")]
    cells = {}
    for tr in table.css("tbody tr"):
        row = tr.css_first("th a").text().strip()
        tds = tr.css("td")
        assert "total" in tds[-1].attributes["class"]
        for col, td in zip(cols, tds[:-1], strict=True):
            cells[(row, col)] = td.text().strip()
        if tree.css_first(f"section#matrix-{key} .view-{view} .notice") is None:  # no column cut
            assert int(tds[-1].text()) == sum(int(v or 0) for (r, _c), v in cells.items() if r == row)
    return cells


def test_matrices_hold_changzi_with_its_campaign_and_industries(site: Path) -> None:
    tree = parse(site / "index.html")
    campaigns = _matrix(tree, "campaign")
    assert int(campaigns[("长子县", "春夏九防·敲门行动")]) >= 1
    industries = _matrix(tree, "industry")
    assert int(industries[("长子县", "煤矿")]) >= 1
    cell = tree.css_first("section#matrix-campaign td[title*='长子县 × 春夏九防·敲门行动']")
    assert cell is not None and "扎实推进" in cell.attributes["title"]
    assert cell.attributes["class"].startswith("h")


@pytest.mark.parametrize(
    ("key", "predicate", "col_type"),
    [("campaign", "implements", "Campaign"), ("industry", "targets", "Industry"),
     ("venue", "targets", "Venue"), ("hazard", "targets", "Hazard"),
     ("mechanism", "adopts", "Mechanism"), ("measure", "takesMeasure", "Measure")],
)  # fmt: skip
def test_each_heat_map_holds_exactly_the_places_relations(
    seeds: Corpus, site: Path, key: str, predicate: str, col_type: str
) -> None:
    """Every (place, column) pair of the predicate is a non-empty cell, and no other pair is."""
    ix = ViewIndex.build(seeds)
    expected = {
        (ix.entity(r.s).name, ix.entity(r.o).name)
        for r in ix.relations
        if r.p == predicate and r.s.startswith("Place:") and r.o.startswith(col_type + ":")
    }
    cells = _matrix(parse(site / "index.html"), key)
    rows, cols = {r for r, _c in cells}, {c for _r, c in cells}
    if len(rows) < len({r for r, _c in expected}) or len(cols) < len({c for _r, c in expected}):
        # cut to the most active: no column left out has more sentences than one shown
        total: dict[str, int] = {}
        for r in ix.relations:
            if r.p == predicate and r.s.startswith("Place:") and r.o.startswith(col_type + ":"):
                total[ix.entity(r.o).name] = total.get(ix.entity(r.o).name, 0) + len(r.evidence)
        assert min(total[c] for c in cols) >= max((n for c, n in total.items() if c not in cols), default=0)
        expected = {(r, c) for r, c in expected if r in rows and c in cols}
    assert {k for k, v in cells.items() if v} == expected


def test_rolled_up_heat_map_counts_a_city_with_everything_within_it(seeds: Corpus, site: Path) -> None:
    ix = ViewIndex.build(seeds)
    city = "Place:长治市"
    members = {city, *ix.within[city]}
    assert {"Place:长子县", "Place:壶关县", "Place:张店镇"} <= members  # counties and a town of a county
    totals: dict[str, int] = {}  # sentences per campaign of the city or anything within it
    for r in ix.relations:
        if r.p == "implements" and r.s in members and r.o.startswith("Campaign:"):
            totals[ix.entity(r.o).name] = totals.get(ix.entity(r.o).name, 0) + len(r.evidence)
    assert "春夏九防·敲门行动" in totals  # implemented by three of its counties
    cells = _matrix(parse(site / "index.html"), "campaign", "rollup")
    assert {c: int(v) for (row, c), v in cells.items() if row == "长治市" and v} == totals


def test_focused_views_group_relations_with_evidence(seeds: Corpus, site: Path) -> None:
    place = parse(page(site, "Place:长子县"))
    titles = {s.css_first("h2").text(): s for s in place.css("section.rels")}
    campaigns = next(s for t, s in titles.items() if t.startswith("Campaigns"))
    assert "春夏九防·敲门行动" in campaigns.text()
    assert "扎实推进“春夏九防·敲门行动”" in campaigns.text()
    assert campaigns.css_first("cite").text().strip()  # the article's headline
    assert any(t.startswith("Targets") and "煤矿" in s.text() for t, s in titles.items())
    assert any(t.startswith("Measures") for t in titles)

    campaign = parse(page(site, "Campaign:春夏九防·敲门行动"))
    places = next(
        s for s in campaign.css("section.rels") if s.css_first("h2").text().startswith("Implementing places")
    )
    assert {"长子县", "壶关县"} <= {a.text() for a in places.css("a.ent")}

    coal = parse(page(site, "Industry:煤矿"))
    sections = {s.css_first("h2").text().split(" ")[0]: s for s in coal.css("section.rels")}
    assert "长子县" in sections["Places"].text()
    assert "Measures" in sections  # measures the places targeting it take in the same articles


def test_a_citys_view_rolls_up_the_work_of_everything_within_it(seeds: Corpus, site: Path) -> None:
    ix = ViewIndex.build(seeds)
    city = "Place:长治市"
    rollup = parse(page(site, city)).css_first("section#rollup")
    assert rollup is not None and rollup.css_first("details") is not None  # a toggle, folded
    for predicate in ("implements", "targets", "adopts", "takesMeasure"):
        expected = {
            ix.entity(o).name: [ix.entity(r.s).name for r in rels]
            for o, rels in ix.rolled_up(city, predicate)
        }
        assert len(expected) <= ROLLUP_LISTED  # the seeds' city: every object listed
        sec = rollup.css_first(f'section[data-predicate="{predicate}"]')
        shown = {}
        for li in sec.css("li.rel") if sec else ():
            names = [a.text() for a in li.css("a.ent")]
            shown[names[0]] = names[1:]
            assert int(li.attributes["data-n"]) == len(expected[names[0]])
        assert set(shown) == set(expected), predicate
        for obj, actors in shown.items():  # the first actors, in display order
            assert actors == expected[obj][:ROLLUP_ACTORS], (predicate, obj)
    campaigns = dict(
        (ix.entity(o).name, {ix.entity(r.s).name for r in rels})
        for o, rels in ix.rolled_up(city, "implements")
    )
    assert campaigns["春夏九防·敲门行动"] == {"长子县", "壶关县", "屯留区"}  # the city's counties
    # its CSV: every relation of the roll-up, one row each, with its number of sentences
    data = data_block(page(site, city))
    rows = data["rollup"]["rows"]
    assert data["rollup"]["columns"][:6] == ["subject", "subject_type", "predicate", "object", "object_type",
                                            "sentences"]  # fmt: skip
    expected = [
        (ix.entity(r.s).name, r.s.partition(":")[0], r.p, ix.entity(r.o).name, r.o.partition(":")[0],
         len(r.evidence))
        for p in ("implements", "targets", "adopts", "takesMeasure")
        for _o, rels in ix.rolled_up(city, p)
        for r in rels
    ]  # fmt: skip
    assert sorted(tuple(r) for r in rows) == sorted(expected)
    # a county without places inside it has no roll-up
    assert parse(page(site, "Place:壶关县")).css_first("section#rollup") is None


def test_a_terms_view_rolls_up_narrower_terms(seeds: Corpus, site: Path) -> None:
    ix = ViewIndex.build(seeds)
    fire = "Hazard:火灾"
    assert "Hazard:森林火灾" in ix.narrower[fire]
    tree = parse(page(site, fire))
    facts = tree.css_first("dl.facts").text()
    assert "Narrower 下位词" in facts and "森林火灾" in facts
    shown = {
        (li.css("a.ent")[0].text(), frozenset(a.text() for a in li.css("a.ent")[1:]))
        for li in tree.css("section#rollup li.rel")
    }
    assert shown == {
        (ix.entity(a).name, frozenset(ix.entity(r.o).name for r in rels))
        for a, rels in ix.under(fire, "targets")
    }
    assert any("森林火灾" in terms for _a, terms in shown)
    assert "Broader 上位词" in parse(page(site, "Hazard:森林火灾")).css_first("dl.facts").text()


def test_focused_view_lists_carry_what_the_csv_download_reads(seeds: Corpus, site: Path) -> None:
    """Each relation's list item names its ends and predicate, each sentence its page and article
    (assets/tables.js builds the relations' CSV from them)."""
    ix = ViewIndex.build(seeds)
    eid = "Place:长子县"
    tree = parse(page(site, eid))
    items = tree.css(".sections li.rel[data-p]")
    got = {(li.attributes["data-s"], li.attributes["data-st"], li.attributes["data-p"],
            li.attributes["data-o"], li.attributes["data-ot"], int(li.attributes["data-n"]))
           for li in items}  # fmt: skip
    assert got == {
        (
            ix.entity(r.s).name,
            ix.entity(r.s).type,
            r.p,
            ix.entity(r.o).name,
            ix.entity(r.o).type,
            len(r.evidence),
        )
        for r in ix.by_entity[eid]
    }
    rel = seeds.relations[("Place:长子县", "implements", "Campaign:春夏九防·敲门行动")]
    li = next(li for li in items if li.attributes["data-o"] == "春夏九防·敲门行动")
    sentences = li.css("ul.evidence > li[data-article]")
    assert len(sentences) == len(rel.evidence)
    text = (SEEDS / rel.evidence[0].source).read_text(encoding="utf-8")
    for node, ev in zip(sentences, rel.evidence, strict=True):
        assert node.css_first("q").text() == display_text(text[ev.start : ev.end])  # the source's words
        assert node.attributes["data-article"] == ev.article and ev.article.startswith(ev.source + "#")


def test_overview_payload_draws_every_entity_with_frozen_physics(seeds: Corpus, site: Path) -> None:
    data = data_block(site / "overview.html")
    assert data["mode"] == "overview"
    assert len(data["vis"]["nodes"]) == len(seeds.entities) == data["shown"]
    stab = data["vis"]["options"]["physics"]["stabilization"]
    assert stab["enabled"] and 0 < stab["iterations"] <= 600
    names = [e[0] for e in data["entities"]]
    i = names.index("长子县")
    rels = [r for r in data["relations"] if i in (r[0], r[2])]
    campaign = names.index("春夏九防·敲门行动")
    rel = next(r for r in rels if r[2] == campaign)
    assert any("扎实推进“春夏九防·敲门行动”" in ev[0] for ev in rel[4])
    headline = data["articles"][rel[4][0][1]][1]
    assert headline  # the evidence names its article's headline
    assert parse(site / "overview.html").css_first("#notice") is None


def _star(n_leaves: int, n_small: int) -> Corpus:
    """A hub place with leaf campaigns, plus pairs of places (for the size limit)."""
    c = Corpus()
    hub = Entity("Place", "长治市")
    c.entities[hub.id] = hub
    for i in range(n_leaves):
        e = Entity("Campaign", f"行动{i:04d}")
        c.entities[e.id] = e
        c.relations[(hub.id, "implements", e.id)] = Relation(hub.id, "implements", e.id)
    for i in range(n_small):
        a, b = Entity("Organization", f"机构{i:04d}"), Entity("Place", f"地点{i:04d}")
        c.entities[a.id] = a
        c.entities[b.id] = b
        c.relations[(a.id, "locatedIn", b.id)] = Relation(a.id, "locatedIn", b.id)
    return c


#: The cities of :func:`_towns` and how many towns each has (more than a table's page in all).
TOWN_CITIES = (("大同市", 61), ("太原市", 47), ("运城市", 38))


def _towns() -> Corpus:
    """Towns in three cities (locatedIn a prefecture-level place), each implementing 0-6
    campaigns, and people holding posts in bodies of the towns: a corpus whose tables span
    several pages, for the paged index. Names sort alike by code point and by pinyin (one
    prefix, zero-padded numbers); every person has an alias ``别名<n>``."""
    c = Corpus()

    def add(e: Entity) -> str:
        c.entities[e.id] = e
        return e.id

    def rel(s: str, p: str, o: str) -> None:
        c.relations[(s, p, o)] = Relation(s, p, o)

    campaigns = [add(Entity("Campaign", f"行动{i:02d}")) for i in range(6)]
    n = 0
    for city, count in TOWN_CITIES:
        cid = add(Entity("Place", city, (), (("level", "prefecture"),)))
        for _ in range(count):
            town = add(Entity("Place", f"测试镇{n:03d}", (), (("level", "town"),)))
            rel(town, "locatedIn", cid)
            for k in range(n % 7):
                rel(town, "implements", campaigns[k % len(campaigns)])
            body = add(Entity("Organization", f"测试镇{n:03d}应急办"))
            rel(body, "locatedIn", town)
            person = add(Entity("Person", f"人员{n:03d}", (f"别名{n:03d}",)))
            rel(person, "holdsPost", body)
            n += 1
    return c


def index_rows(folder: Path, type_: str) -> list[list]:
    """The rows of a type's table in its data file index/<type>.js (kgIndex.put([type, prefix, rows]))."""
    text = (folder / "index" / f"{type_.lower()}.js").read_text(encoding="utf-8")
    m = re.fullmatch(r"/\*[^*]*\*/\nkgIndex\.put\((.*)\);\n", text, re.S)
    assert m is not None, text[:200]
    got_type, prefix, rows = json.loads(m.group(1))
    assert got_type == type_ and prefix == f"entity/{type_.lower()}-"
    return rows


def test_index_tables_are_paged_and_their_data_files_hold_every_entity(tmp_path: Path) -> None:
    from kg.export.views.index import PAGE_ROWS

    corpus = _towns()
    write_views(corpus, tmp_path)
    ix = ViewIndex.build(corpus)
    tree = parse(tmp_path / "index.html")
    cities = [e.id for e in ix.entities if e.attr("level") == "prefecture"]
    data = data_block(tmp_path / "index.html")
    assert data["cities"] == [ix.entity(c).name for c in cities] and data["page"] == PAGE_ROWS
    assert data["cityPages"] == [ix.pages[c] for c in cities]
    for type_ in ("Place", "Organization", "Person", "Campaign"):
        ids = [e.id for e in ix.entities if e.type == type_]
        rows = index_rows(tmp_path, type_)
        # every entity once, with its counts, page and cities
        assert {(r[0], tuple(r[1]), r[2], r[3], f"entity/{type_.lower()}-{r[4]}.html") for r in rows} == {
            (
                ix.entity(i).name,
                ix.entity(i).aliases,
                len(ix.article_ids[i]),
                len(ix.by_entity[i]),
                ix.pages[i],
            )
            for i in ids
        }
        assert len(rows) == len(ids)
        for r in rows:
            eid = f"{type_}:{r[0]}"
            assert [data["cities"][k] for k in r[5]] == [ix.entity(c).name for c in ix.cities_of.get(eid, [])]
        # first order: most relations, then most articles, then name
        assert rows == sorted(rows, key=lambda r: (-r[3], -r[2], r[0]))
        # the HTML holds the first page of it
        table = tree.css_first(f"section#type-{type_} table.paged")
        assert table.attributes["data-src"] == f"index/{type_.lower()}.js"
        assert table.attributes["data-total"] == str(len(ids))
        html_rows = [[td.text() for td in tr.css("td")] for tr in table.css("tbody tr")]
        assert html_rows == [[r[0], "、".join(r[1]), str(r[2]), str(r[3])] for r in rows[:PAGE_ROWS]]
        pos = tree.css_first(f"section#type-{type_} .pager .pos").text()
        assert pos == f"1–{min(PAGE_ROWS, len(ids))} of {len(ids)}"
    assert len(index_rows(tmp_path, "Place")) > 2 * PAGE_ROWS  # several pages
    assert index_rows(tmp_path, "Document") == []  # a type without entities has an empty file


def test_index_page_does_not_grow_with_the_entities(tmp_path: Path) -> None:
    """index.html of 3,000 campaigns is the size of that of 300 (the rows are in index/*.js)."""
    from kg.export.views.index import index_data_files, render_index

    small, large = (ViewIndex.build(_star(n, 5)) for n in (300, 3000))
    a, b = len(render_index(small).encode()), len(render_index(large).encode())
    assert abs(b - a) < 200, (a, b)  # the counts have one more digit
    assert b < 100_000
    sizes = {rel: len(text) for rel, text in index_data_files(large)}
    assert sizes["index/campaign.js"] > 3000 * 20  # every campaign is in its data file


def test_overview_above_the_limit_keeps_the_most_connected_and_says_so(tmp_path: Path) -> None:
    corpus = _star(30, 40)  # 1 + 30 + 80 entities
    write_views(corpus, tmp_path, max_overview_nodes=25)
    data = data_block(tmp_path / "overview.html")
    drawn = [e[0] for e in data["entities"][: data["shown"]]]
    assert len(drawn) == 25
    assert "长治市" in drawn  # the hub, degree 30
    notice = parse(tmp_path / "overview.html").css_first("#notice").text()
    assert "25" in notice and "111" in notice
    # the hub's panel still knows all 30 relations, also those to entities not drawn
    hub = drawn.index("长治市")
    assert sum(1 for r in data["relations"] if hub in (r[0], r[2])) == 30
    # the search finds what is not drawn in the index's data files, every type's (not in the page)
    assert data["search"] is None
    assert data["searchSrc"] == [[t, f"index/{t.lower()}.js"] for t in ENTITY_TYPES]
    assert sum(len(index_rows(tmp_path, t)) for t in ENTITY_TYPES) == 111


def resolve_shards(folder: Path) -> dict[str, tuple[dict, dict]]:
    """The shards of resolve.html's table (resolve/<hex>.js: kgResolve.put([name, pages, entities]))."""
    out = {}
    for path in sorted((folder / "resolve").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        assert not re.search("[<>&\u2028\u2029]", text), path.name  # data, never markup
        m = re.fullmatch(r"/\*[^*]*\*/\nkgResolve\.put\((.*)\);\n", text, re.S)
        assert m is not None, text[:200]
        name, pages, entities = json.loads(m.group(1))
        assert path.name == f"{name}.js"
        out[name] = (pages, entities)
    return out


def test_resolve_table_is_in_shards_by_the_crc_of_its_keys(site: Path, seeds: Corpus, tmp_path: Path) -> None:
    """Every entity IRI and every page of articles is in exactly one shard, the one its key's
    CRC-32 names; resolve.html carries no table, and the number of shards grows with the corpus."""
    import zlib

    from kg.export.rdf.iri import entity_iri
    from kg.export.views import resolve

    ix = ViewIndex.build(seeds)
    data = data_block(site / "resolve.html")
    assert data["digits"] == 0 and data["src"] == "resolve/" and "entities" not in data
    shards = resolve_shards(site)
    assert list(shards) == ["0"]
    pages, entities = shards["0"]
    assert entities == {unquote(entity_iri(e)): ix.pages[e.id] for e in ix.entities}
    assert sorted(pages) == sorted({a.source for a in seeds.articles.values()})
    assert sum(len(rows) for rows in pages.values()) == len(seeds.articles)

    # a large corpus: 16 shards, each key in the one named by its CRC-32, every key once
    big = _star(300, 650)  # 1,601 entities
    write_views(big, tmp_path)
    assert data_block(tmp_path / "resolve.html")["digits"] == 1
    shards = resolve_shards(tmp_path)
    assert list(shards) == [f"{i:x}" for i in range(16)]
    seen: dict[str, str] = {}
    for name, (pages, entities) in shards.items():
        assert pages == {}
        assert 0 < len(entities) <= 2 * resolve.SHARD_KEYS
        for iri, href in entities.items():
            assert f"{zlib.crc32(iri.encode()) % 16:x}" == name
            seen[iri] = href
    big_ix = ViewIndex.build(big)
    assert seen == {unquote(entity_iri(e)): big_ix.pages[e.id] for e in big_ix.entities}
    # resolve.html is the same size whatever the corpus
    a, b = (site / "resolve.html").stat().st_size, (tmp_path / "resolve.html").stat().st_size
    assert abs(a - b) < 10, (a, b)
    assert [resolve.shard_digits(n) for n in (0, 1000, 1001, 16_000, 16_001, 100_000)] == [0, 0, 1, 1, 2, 2]


def test_large_networks_start_laid_out(tmp_path: Path) -> None:
    corpus = _star(150, 0)
    write_views(corpus, tmp_path)
    nodes = data_block(tmp_path / "overview.html")["vis"]["nodes"]
    assert all("x" in n and "y" in n for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)


def _hierarchy_corpus() -> Corpus:
    """Province → city → county → town, a body of the county, terms with broader terms."""
    c = Corpus()
    levels = {"山西省": "province", "长治市": "prefecture", "长子县": "county", "张店镇": "town",
              "太原市": "prefecture", "甲园区": "zone", "乙园区": "zone"}  # fmt: skip
    for name, level in levels.items():
        e = Entity("Place", name, (), (("level", level),))
        c.entities[e.id] = e
    for type_, name in (("Organization", "长子县应急管理局"), ("Campaign", "春夏九防·敲门行动"),
                        ("Hazard", "火灾"), ("Hazard", "森林火灾"), ("Hazard", "自然灾害"),
                        ("Industry", "煤矿")):  # fmt: skip
        e = Entity(type_, name)
        c.entities[e.id] = e
    for s, p, o in (
        ("Place:长治市", "locatedIn", "Place:山西省"),
        ("Place:太原市", "locatedIn", "Place:山西省"),
        ("Place:长子县", "locatedIn", "Place:长治市"),
        ("Place:张店镇", "locatedIn", "Place:长子县"),
        ("Organization:长子县应急管理局", "locatedIn", "Place:长子县"),
        ("Place:长治市", "locatedIn", "Place:张店镇"),  # a contradicting sentence: a city in a town
        ("Place:甲园区", "locatedIn", "Place:乙园区"),  # a cycle of two zones
        ("Place:乙园区", "locatedIn", "Place:甲园区"),
        ("Place:长子县", "implements", "Campaign:春夏九防·敲门行动"),
        ("Organization:长子县应急管理局", "implements", "Campaign:春夏九防·敲门行动"),
        ("Place:太原市", "implements", "Campaign:春夏九防·敲门行动"),
        ("Place:张店镇", "targets", "Hazard:森林火灾"),
        ("Place:太原市", "targets", "Hazard:火灾"),
        ("Place:长子县", "targets", "Industry:煤矿"),
    ):
        c.relations[(s, p, o)] = Relation(s, p, o)
    return c


def test_place_and_term_hierarchies() -> None:
    ix = ViewIndex.build(_hierarchy_corpus())

    def names(ids: list[str]) -> list[str]:
        return [ix.entity(i).name for i in ids]

    assert names(ix.within["Place:长子县"]) == ["张店镇", "长子县应急管理局"]
    assert names(ix.within["Place:长治市"]) == ["张店镇", "长子县", "长子县应急管理局"]
    assert "Place:张店镇" not in ix.within  # a city is never inside a town: nothing is in it
    assert names(ix.within["Place:甲园区"]) == ["乙园区"]  # a cycle is cut, not followed forever
    assert names(ix.within["Place:乙园区"]) == ["甲园区"]
    assert set(names(ix.within["Place:山西省"])) == {
        "太原市",
        "长治市",
        "长子县",
        "张店镇",
        "长子县应急管理局",
    }
    assert {k: names(v) for k, v in ix.cities_of.items()} == {
        "Place:长治市": ["长治市"], "Place:太原市": ["太原市"], "Place:长子县": ["长治市"],
        "Place:张店镇": ["长治市"], "Organization:长子县应急管理局": ["长治市"],
    }  # fmt: skip
    # terms: the SKOS vocabularies' skos:broader (森林火灾 ⊂ 火灾, 森林火灾 ⊂ 自然灾害)
    assert {k: names(v) for k, v in ix.narrower.items()} == {
        "Hazard:火灾": ["森林火灾"], "Hazard:自然灾害": ["森林火灾"],
    }  # fmt: skip
    assert set(names(ix.broader["Hazard:森林火灾"])) == {"火灾", "自然灾害"}
    # roll-ups: a county with its town and body; a term with the terms under it
    assert [(ix.entity(o).name, sorted(names([r.s for r in rs])))
            for o, rs in ix.rolled_up("Place:长子县", "implements")] == [
        ("春夏九防·敲门行动", ["长子县", "长子县应急管理局"])]  # fmt: skip
    fire = ix.under("Hazard:火灾", "targets")
    assert [(ix.entity(a).name, names([r.o for r in rs])) for a, rs in fire] == [
        ("太原市", ["火灾"]), ("张店镇", ["森林火灾"])]  # fmt: skip
    assert ix.rolled_up("Place:太原市", "targets")[0][0] == "Hazard:火灾"


# -- safety ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ('<a href="x">&\'', "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"),
        ("我县开展危险化学品专项整治", "我县开展危险化学品专项整治"),  # nothing to escape: as it is
        ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"),
        ("“三管三必须”<b>", "“三管三必须”&lt;b&gt;"),  # each of the five alone, and after text
        (42, "42"), ("", ""),
    ],
)  # fmt: skip
def test_escape_for_html(value: object, escaped: str) -> None:
    assert h(value) == escaped


def test_escape_helpers() -> None:
    text = "</script><!-- \u2028\u2029 <img onerror=x>"
    blob = json_for_script({"t": text})
    for bad in ("</", "<!--", "<", ">", "\u2028", "\u2029"):
        assert bad not in blob
    assert json.loads(blob) == {"t": text}


def test_article_markup_is_text_in_every_file(xss_corpus: Corpus, tmp_path: Path) -> None:
    # the extraction carries the markup into names, evidence and the headline
    names = [e.name for e in xss_corpus.entities.values()]
    assert any("<img" in n for n in names)
    assert any("<script>" in ev.text for r in xss_corpus.relations.values() for ev in r.evidence)
    assert any("<script>" in a.headline for a in xss_corpus.articles.values())

    written = write_views(xss_corpus, tmp_path)
    html_files = [p for p in written if p.suffix == ".html"]
    # index, overview, resolve.html, a view per entity, a page per article
    assert len(html_files) == len(xss_corpus.entities) + 3 + len(xss_corpus.articles)
    for path in html_files:
        text = path.read_text(encoding="utf-8")
        for raw in ("<script>window", "<script>alert", "<img src=x", "<b onmouseover", "</script>等"):
            assert raw not in text, f"{path.name}: {raw}"
        tree = HTMLParser(text)
        assert not tree.css("img"), path.name
        for node in tree.css("*"):
            assert not [a for a in node.attributes if a.lower().startswith("on")], (path.name, node.tag)
        # the only script elements are ours: external files and one JSON data block
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert tag.startswith(('<script src="', '<script type="application/json" id="kg-data">')), tag
        assert text.count("<script") == text.count("</script>")
    place = page(tmp_path, "Place:长子县").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__xss=1" in place  # shown as text
    (art,) = [p for p in html_files if p.parent.name == "article"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in art.read_text(encoding="utf-8")  # the article's text
    data = data_block(page(tmp_path, "Place:长子县"))
    assert any("<img src=x onerror=alert(1)>" in e[0] for e in data["entities"])  # JSON restores it
    # the index's data files: scripts whose only data is JSON with every <, > and & escaped
    data_files = [p for p in written if p.parent.name == "index"]
    assert {p.name for p in data_files} == {f"{t.lower()}.js" for t in ENTITY_TYPES}
    for path in data_files:
        text = path.read_text(encoding="utf-8")
        assert not re.search("[<>&\u2028\u2029]", text), path.name
    names = {r[0] for t in ENTITY_TYPES for r in index_rows(tmp_path, t)}
    assert any("<img src=x onerror=alert(1)>" in n for n in names)  # JSON restores it
    # resolve.html's shards likewise (resolve_shards checks that no <, > or & is left)
    iris = [iri for _pages, entities in resolve_shards(tmp_path).values() for iri in entities]
    assert any("<img src=x onerror=alert(1)>" in iri for iri in iris)


def test_pages_forbid_outside_origins_and_inline_script(site: Path) -> None:
    for html in (site / "index.html", site / "overview.html", page(site, "Place:长子县")):
        csp = parse(html).css_first('meta[http-equiv="Content-Security-Policy"]').attributes["content"]
        assert "default-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "http" not in csp
    for css in (site / "assets").glob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^)'\"]+)", css.read_text(encoding="utf-8"))
        assert all(u.startswith("data:") for u in urls), css.name


# -- determinism, atomicity, stale pages -----------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_corpus_gives_byte_identical_files(seeds: Corpus, site: Path, tmp_path: Path) -> None:
    write_views(seeds, tmp_path)
    first = _tree(tmp_path)
    assert first == _tree(site)
    write_views(seeds, tmp_path)  # over an existing folder
    assert _tree(tmp_path) == first
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Set and dict orders vary with PYTHONHASHSEED between runs; the files must not."""
    import os
    import subprocess
    import sys

    script = (
        "import sys; from tests.test_views import _star; from kg.export.views import write_views; "
        "write_views(_star(150, 20), sys.argv[1])"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], cwd=ROOT, env=env, check=True)
    assert _tree(tmp_path / "1") == _tree(tmp_path / "2")


def test_pages_of_entities_gone_from_the_corpus_are_removed(tmp_path: Path) -> None:
    write_views(_star(3, 1), tmp_path)
    old = page(tmp_path, "Campaign:行动0002")
    assert old.is_file()
    (tmp_path / "entity" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "index" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "index" / "gone.js").write_text("kgIndex.put([])", encoding="utf-8")  # like ours
    (tmp_path / "resolve" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "resolve" / "ff.js").write_text("kgResolve.put([])", encoding="utf-8")  # a larger corpus's
    write_views(_star(2, 1), tmp_path)
    assert not old.exists()
    assert (tmp_path / "entity" / "notes.txt").is_file()  # not ours: left alone
    assert (tmp_path / "index" / "notes.txt").is_file()
    assert not (tmp_path / "index" / "gone.js").exists()
    assert (tmp_path / "resolve" / "notes.txt").is_file()
    assert sorted(p.name for p in (tmp_path / "resolve").iterdir()) == ["0.js", "notes.txt"]
    assert len(index_rows(tmp_path, "Campaign")) == 2


def test_empty_corpus_still_gives_working_pages(tmp_path: Path) -> None:
    write_views(Corpus(), tmp_path)
    assert data_block(tmp_path / "overview.html")["shown"] == 0
    assert (tmp_path / "index.html").is_file()


def test_evidence_line_breaks_are_removed_for_display(tmp_path: Path) -> None:
    c = _star(1, 0)
    key = next(iter(c.relations))
    c.relations[key] = Relation(*key, (Evidence("p.txt", "p.txt#0", 0, 9, "扎实\n\n推进行动"),))
    write_views(c, tmp_path)
    assert "扎实推进行动" in page(tmp_path, "Place:长治市").read_text(encoding="utf-8")


# -- command ---------------------------------------------------------------------------------


def test_views_command_writes_the_site(tmp_path: Path) -> None:
    from kg.cli.views import COMMANDS, views

    assert views in COMMANDS
    seed = sorted(SEEDS.glob("004_*.txt"))[0]
    result = CliRunner().invoke(views, [str(tmp_path / "out"), str(seed)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").is_file()
    assert "index.html" in result.output
    assert "Write the HTML views for PATHS (pages) into OUT/" in views.help


def test_views_command_reports_unreadable_inputs(tmp_path: Path) -> None:
    from kg.cli.views import views

    result = CliRunner().invoke(views, [str(tmp_path / "out"), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "index.html").is_file()


def test_types_and_predicates_outside_the_model_are_left_out(tmp_path: Path) -> None:
    c = _star(2, 0)
    odd = Entity("Thing", "怪东西")
    c.entities[odd.id] = odd
    hub = "Place:长治市"
    c.relations[(hub, "mentions", odd.id)] = Relation(hub, "mentions", odd.id)
    c.relations[(hub, "relatedTo", "Campaign:行动0000")] = Relation(hub, "relatedTo", "Campaign:行动0000")
    write_views(c, tmp_path)
    data = data_block(tmp_path / "overview.html")
    assert "怪东西" not in [e[0] for e in data["entities"]]
    assert len(data["relations"]) == 2
    assert not page(tmp_path, odd.id).exists()


def test_readme_shows_each_view_with_a_small_screenshot() -> None:
    """The README's screenshots (written by test_views_browser.py with KG_README_SHOTS=1) exist,
    are PNG, are all used, and stay small."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\]\((docs/screenshots/[\w.-]+\.png)\)", readme))
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / "docs" / "screenshots").glob("*.png")}
    assert used == on_disk
    for view in (
        "index-heatmap",
        "overview",
        "entity-city-rollup",
        "article",
        "index-timeline",
        "overview-dates",
    ):  # the index, the overview, a focused view, an article, the timeline, the date filter
        assert f"docs/screenshots/{view}.png" in used
    sizes = [(ROOT / p).stat().st_size for p in used]
    assert all((ROOT / p).read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in used)
    assert sum(sizes) < 400_000, sizes


# -- evidence in context: article pages and the links to their spans ---------------------------------

from kg.export.views.data import article_filename  # noqa: E402
from tests._util import unbroken  # noqa: E402


def _marked(tree: HTMLParser, span: str) -> str:
    """The text of the marks that make up an evidence span (``<start>-<end>``) on its page."""
    return "".join(m.text() for m in tree.css("mark.ev[data-ev]") if span in m.attributes["data-ev"].split())


def test_every_article_has_a_page_with_every_evidence_span_and_mention(seeds: Corpus, site: Path) -> None:
    ix = ViewIndex.build(seeds)
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    trees = {aid: parse(site / article_filename(aid)) for aid in seeds.articles}
    assert len(list((site / "article").iterdir())) == len(seeds.articles)
    n = 0
    for r in seeds.relations.values():
        for ev in r.evidence:
            tree = trees[ev.article]
            assert tree.css_first(f"#ev-{ev.start}-{ev.end}") is not None, ev
            # the highlighted span is the evidence: the file's slice without its line breaks
            assert (
                _marked(tree, f"{ev.start}-{ev.end}")
                == ev.text
                == unbroken(texts[ev.source][ev.start : ev.end])
            )
            n += 1
    assert n > 500
    m = 0
    for eid, refs in seeds.mentions.items():
        e = seeds.entities[eid]
        for ref in refs:
            tree = trees[ref.article]
            assert tree.css_first(f"#m-{ref.start}-{ref.end}") is not None, ref
            # a link at the mention names it (the longest mention there is the link's target)
            titles = [a.attributes.get("title", "") for a in tree.css("a.m")]
            assert any(f"{e.name} ({e.type})" in t for t in titles), (eid, ref)
            m += 1
    assert m > 1000
    # a page: headline, the facts, names linking to their views, the relations stated there
    aid = next(
        ev.article
        for ev in seeds.relations[("Place:长子县", "implements", "Campaign:春夏九防·敲门行动")].evidence
    )
    tree = trees[aid]
    assert tree.css_first("h1").text() == "抓实隐患排查守护民生安宁"
    facts = tree.css_first("dl.facts").text()
    assert "004_62080bcc380399cf.txt" in facts and aid in facts
    links = {a.attributes["href"] for a in tree.css("a.m")}
    assert (
        f"../{ix.pages['Place:长子县']}" in links and f"../{ix.pages['Campaign:春夏九防·敲门行动']}" in links
    )
    stated = tree.css_first("ol.stated").text()
    assert "长子县 implements 实施 春夏九防·敲门行动" in " ".join(stated.split())


def _targets(site: Path, html: Path) -> list[tuple[Path, str]]:
    """Every evidence link of a page: (the article page it opens, the span's anchor)."""
    out = []
    for a in parse(html).css("a.evl"):
        path, _, anchor = a.attributes["href"].partition("#")
        out.append(((html.parent / path).resolve(), anchor))
    return out


def test_every_quoted_sentence_links_to_its_span(seeds: Corpus, site: Path) -> None:
    ix = ViewIndex.build(seeds)
    checked = 0
    for html in [*[page(site, e.id) for e in ix.entities][:80], site / "index.html"]:
        for target, anchor in _targets(site, html):
            assert target.is_file(), (html.name, target)
            tree = parse(target)
            assert tree.css_first(f"#{anchor}") is not None and _marked(tree, anchor[3:]), (html.name, anchor)
            checked += 1
    assert checked > 300
    # a focused view's sentence: its link opens exactly that sentence's span
    rel = seeds.relations[("Place:长子县", "implements", "Campaign:春夏九防·敲门行动")]
    li = parse(page(site, "Place:长子县")).css_first(f"li[data-article='{rel.evidence[0].article}'] a.evl")
    ev = rel.evidence[0]
    assert li.attributes["href"] == f"../{article_filename(ev.article)}#ev-{ev.start}-{ev.end}"
    # the index's heat-map cells open their first sentence
    cell = parse(site / "index.html").css_first(
        "section#matrix-campaign td[title*='长子县 × 春夏九防·敲门行动'] a"
    )
    assert cell.attributes["href"] == f"{article_filename(ev.article)}#ev-{ev.start}-{ev.end}"
    # the overview's panel data: each sentence with its span, each article with its page
    data = data_block(site / "overview.html")
    for r in data["relations"]:
        for sentence, art, start, end in r[4]:
            aid, _headline, _date, source, href = data["articles"][art]
            assert href == article_filename(aid) and sentence == unbroken(
                (SEEDS / source).read_text(encoding="utf-8")[start:end]
            )


def _dated(corpus: Corpus, dates: dict[str, str]) -> Corpus:
    """The corpus with its articles dated by page (a made-up date per page file)."""
    from dataclasses import replace as _replace

    c = Corpus(
        entities=dict(corpus.entities),
        relations=dict(corpus.relations),
        sources=dict(corpus.sources),
        mentions=dict(corpus.mentions),
        texts=dict(corpus.texts),
    )
    for aid, a in corpus.articles.items():
        c.articles[aid] = _replace(a, date=dates.get(a.source, a.date))
    return c


#: made-up dates for the seed pages (they print none): three months of 2025
SEED_DATES = {
    "000_4e3880340467b246.txt": "2025-03-31",
    "001_d2c72f4bb6994c11.txt": "2025-03-26",
    "002_033e0ef667b44769.txt": "2025-01-06",
    "003_e8e721f501eb0ebe.txt": "2025-07-19",
    "004_62080bcc380399cf.txt": "2025-05-12",
}


def test_article_pages_and_timelines_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """The seeds' article pages, timelines and date filters: the same bytes under two hash seeds."""
    import os
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from tests.test_views import SEED_DATES, _dated, corpus_of; "
        "from kg.export.views import write_views; "
        "write_views(_dated(corpus_of(Path('seeds')), SEED_DATES), sys.argv[1])"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], cwd=ROOT, env=env, check=True)
    assert len(list((tmp_path / "1" / "article").iterdir())) == 49
    assert _tree(tmp_path / "1") == _tree(tmp_path / "2")


def test_timelines_count_per_month_by_type(seeds: Corpus, tmp_path: Path) -> None:
    corpus = _dated(seeds, SEED_DATES)
    corpus.articles["000_4e3880340467b246.txt#0"] = replace(
        corpus.articles["000_4e3880340467b246.txt#0"], date=None
    )
    write_views(corpus, tmp_path)
    # the index: entities named per month, by their type (once per article)
    named: dict[str, dict[str, int]] = {}
    for eid, refs in corpus.mentions.items():
        for aid in {m.article for m in refs}:
            d = corpus.articles[aid].date
            if d:
                month = named.setdefault(d[:7], {})
                month[eid.split(":")[0]] = month.get(eid.split(":")[0], 0) + 1
    svg = parse(tmp_path / "index.html").css_first("section#timeline svg.timeline")
    months = {g.attributes["data-month"]: g for g in svg.css("g.month")}
    assert list(months) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]
    for month, g in months.items():
        got = {r.attributes["data-type"]: int(r.attributes["data-n"]) for r in g.css("rect.bar")}
        assert got == named.get(month, {}), month
        assert int(g.attributes["data-n"]) == sum(got.values())
    # bars are as high as their counts (one scale for the chart)
    peak = int(svg.attributes["data-peak"])
    for r in svg.css("rect.bar"):
        assert abs(float(r.attributes["height"]) - 120 * int(r.attributes["data-n"]) / peak) < 0.01
    assert (
        "articles without a full date are not drawn"
        in parse(tmp_path / "index.html").css_first("section#timeline").text()
    )
    # an entity's: the sentences stating its relations, by the other end's type
    want: dict[str, dict[str, int]] = {}
    for r in corpus.relations.values():
        if "Place:长治市" not in (r.s, r.o):
            continue
        other = (r.o if r.s == "Place:长治市" else r.s).split(":")[0]
        for ev in r.evidence:
            d = corpus.articles[ev.article].date
            if d and len(d) == 10:
                want.setdefault(d[:7], {}).setdefault(other, 0)
                want[d[:7]][other] += 1
    svg = parse(page(tmp_path, "Place:长治市")).css_first("svg.timeline")
    got = {
        g.attributes["data-month"]: {
            r.attributes["data-type"]: int(r.attributes["data-n"]) for r in g.css("rect.bar")
        }
        for g in svg.css("g.month")
    }
    assert {m: c for m, c in got.items() if c} == want and len(want) >= 2


def test_undated_corpus_says_how_to_date_it(site: Path) -> None:
    text = parse(site / "index.html").css_first("section#timeline").text()
    assert "give kg build --date or a manifest" in text
    assert parse(site / "overview.html").css_first("#no-dates") is not None


def test_date_filters_read_the_dates_of_every_sentence(seeds: Corpus, tmp_path: Path) -> None:
    corpus = _dated(seeds, SEED_DATES)
    write_views(corpus, tmp_path)
    tree = parse(tmp_path / "index.html")
    cells = tree.css("section.matrix td[data-d]")
    assert cells
    for td in cells:  # the date of every sentence the cell counts, "date*k" for k of one date
        parts = [p.partition("*") for p in td.attributes["data-d"].split()]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d|-", d) and (k == "" or int(k) >= 2) for d, _, k in parts)
        assert [d for d, _, _k in parts] == sorted({d for d, _, _k in parts})  # each date once
        assert sum(int(k or 1) for _d, _, k in parts) == int(td.text())
    assert any("*" in td.attributes["data-d"] for td in cells)
    inputs = {i.attributes["id"]: i for i in tree.css("#heat-tools input[type=date]")}
    assert inputs["date-from"].attributes["min"] == "2025-01-06"
    assert inputs["date-to"].attributes["max"] == "2025-07-19"
    data = data_block(tmp_path / "overview.html")
    names = [e[0] for e in data["entities"]]
    assert data["entities"][names.index("长子县")][7] == ["2025-05-12"]
    city = data["cities"].index("长治市")
    assert city in data["entities"][names.index("长子县")][8]
    for r in data["relations"]:
        assert r[5] == sorted(
            {corpus.articles[ev.article].date for ev in corpus.relations[_key(data, r)].evidence}
        )


def _key(data: dict, r: list) -> tuple[str, str, str]:
    from kg.model import ENTITY_TYPES, PREDICATES

    s, o = data["entities"][r[0]], data["entities"][r[2]]
    return (f"{ENTITY_TYPES[s[1]]}:{s[0]}", PREDICATES[r[1]], f"{ENTITY_TYPES[o[1]]}:{o[0]}")


def test_evidence_iris_resolve_to_their_article_spans(seeds: Corpus, site: Path) -> None:
    """An evidence IRI from a query result names its article's page and span (kg.export.views.article
    .locate, as resolve.html's table does)."""
    from kg.export.rdf.iri import evidence_iri
    from kg.export.views.article import locate
    from kg.export.views.resolve import shard_of
    from kg.namespace import KGI

    data = data_block(site / "resolve.html")
    assert data["base"] == str(KGI)
    shards = resolve_shards(site)
    for r in seeds.relations.values():
        for ev in r.evidence:
            iri = evidence_iri(ev.source, ev.start, ev.end)
            assert locate(seeds, iri) == (ev.article, f"ev-{ev.start}-{ev.end}")
            assert locate(seeds, "kgi:" + iri.removeprefix(str(KGI))) == (
                ev.article,
                f"ev-{ev.start}-{ev.end}",
            )
            rows = shards[shard_of(ev.source, data["digits"])][0][ev.source]
            (row,) = [x for x in rows if any(s <= ev.start < e for s, e in x[4])]
            assert row[2] == article_filename(ev.article)
    with pytest.raises(KeyError):
        locate(seeds, "kgi:evidence/nowhere.txt/1-2")


def test_focused_views_in_forked_processes_are_those_of_one_and_a_failure_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above one chunk of entities the focused views are written by forked processes:
    the same bytes as one process writes, and an error in one of them reaches the caller."""
    import sys

    from kg.export.views import focus, render_views

    if not sys.platform.startswith("linux"):
        pytest.skip("forked view processes are Linux only")
    corpus = _star(300, 150)  # 601 entities: four chunks
    render_views(corpus, tmp_path / "one", jobs=1)
    render_views(corpus, tmp_path / "two", jobs=2)
    one = {
        p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()
    }
    two = {
        p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()
    }
    assert len([p for p in one if p.parts[0] == "entity"]) == 601
    assert one == two

    real = focus.render_focus

    def fails_on_one(ix: ViewIndex, eid: str) -> str:
        if eid == "Organization:机构0100":
            raise PermissionError(1, "Operation not permitted", "entity/x.html")
        return real(ix, eid)

    monkeypatch.setattr(focus, "render_focus", fails_on_one)
    with pytest.raises(PermissionError, match="not permitted"):
        render_views(corpus, tmp_path / "three", jobs=2)
