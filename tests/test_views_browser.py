"""The HTML views as a person sees them: headless Chromium, from disk, networking off.

Debian's /usr/bin/chromium driven by playwright (never a downloaded browser); every
request that is not file:// or data: is aborted and recorded. Screenshots go to
tests/_artifacts/ (git-ignored): look at them after a change to the views.
"""

from __future__ import annotations

import csv
import io
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.corpus import Corpus
from kg.export.views import write_views
from kg.export.views.data import ViewIndex, entity_filename
from kg.export.views.index import MATRICES
from kg.model import ENTITY_TYPES

from ._util import ROOT, missing_service
from .test_views import TOWN_CITIES, XSS_PAGE, _star, _towns, corpus_of

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "_artifacts"
#: The README's screenshots: written by these tests when KG_README_SHOTS=1 (256 colours, small)
README_SHOTS = ROOT / "docs" / "screenshots"
FLAGS = [  # LIBRARIES.md; playwright adds --headless itself
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    missing_service(
        "no /usr/bin/chromium: install it with .ci/install-browser.sh (Debian package chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is in the test extras: pip install -e '.[test]'"
)


@dataclass
class Log:
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh user-data-dir
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 900},
            accept_downloads=True,
        )
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return corpus_of(ROOT / "seeds")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, seeds: Corpus) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_views(seeds, out)
    return out


@pytest.fixture(scope="module")
def ix(seeds: Corpus) -> ViewIndex:
    return ViewIndex.build(seeds)


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    pages = tmp_path_factory.mktemp("xss_pages")
    (pages / "xss_page.txt").write_text(XSS_PAGE, encoding="utf-8")
    corpus = corpus_of(pages)
    out = tmp_path_factory.mktemp("xss_site")
    write_views(corpus, out)
    return out, corpus


def open_page(ctx: Any, path: Path, fragment: str = "") -> tuple[Any, Log]:
    page = ctx.new_page()
    log = Log()

    def route(r: Any) -> None:
        url = r.request.url
        log.requests.append(url)
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            log.outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(str(e)))

    def dialog(d: Any) -> None:
        log.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.resolve().as_uri() + fragment)
    return page, log


def wait(page: Any, js: str, timeout: float = 30.0) -> Any:
    """Poll an expression (page.wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(js)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {js}")
        time.sleep(0.05)


def wait_ready(page: Any) -> None:
    wait(page, "window.kgView && window.kgView.state === 'ready'", timeout=60)


def canvas_ink(page: Any) -> int:
    """Pixels of the network canvas that are neither blank nor white."""
    return page.evaluate(
        """() => {
        const c = document.querySelector('#network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++;
        }
        return n;
      }"""
    )


def node_index(page: Any, name: str) -> int:
    return page.evaluate(
        "(name) => JSON.parse(document.getElementById('kg-data').textContent).entities"
        ".findIndex(e => e[0] === name)",
        name,
    )


def node_screen_xy(page: Any, i: int) -> tuple[float, float]:
    return tuple(
        page.evaluate(
            """(i) => {
            const net = window.kgView.network;
            const d = net.canvasToDOM(net.getPosition(i));
            const r = document.getElementById('network').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y];
          }""",
            i,
        )
    )


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def readme_shot(page: Any, name: str, clip: dict[str, float] | None = None) -> None:
    """A screenshot for tests/_artifacts/ and, with KG_README_SHOTS=1, for the README
    (docs/screenshots/, 256 colours: a few tens of KB)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), clip=clip)
    if os.environ.get("KG_README_SHOTS") == "1":
        from PIL import Image

        README_SHOTS.mkdir(parents=True, exist_ok=True)
        img = Image.open(path).convert("RGB")
        small = img.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        small.save(README_SHOTS / f"{name}.png", optimize=True)


def download(page: Any, selector: str) -> tuple[str, list[list[str]]]:
    """Click a CSV button: the file's suggested name and its rows (UTF-8 with a BOM)."""
    with page.expect_download() as info:
        page.click(selector)
    d = info.value
    raw = Path(d.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, for spreadsheet programs"
    return d.suggested_filename, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def assert_clean(log: Log) -> None:
    assert not log.outside, f"requests left the machine: {log.outside}"
    assert all(u.startswith(("file:", "data:")) for u in log.requests)
    assert not log.errors, f"console errors: {log.errors}"
    assert not log.dialogs, f"dialogs: {log.dialogs}"


def search_focus_and_click(page: Any, name: str, expect: tuple[str, ...]) -> None:
    """Type a name into the search: its node is focused; click it: the panel shows ``expect``."""
    i = node_index(page, name)
    assert i >= 0, name
    page.fill("#search", name)
    wait(page, f"window.kgView.focused === {i} && !window.kgView.animating")
    assert page.evaluate("window.kgView.network.getSelectedNodes()") == [i]
    # the node is in the middle of the canvas
    x, y = node_screen_xy(page, i)
    box = page.locator("#network").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 30 and abs(y - (box["y"] + box["height"] / 2)) < 30
    # a click on empty canvas clears the panel; a click on the node fills it
    page.mouse.click(box["x"] + 3, box["y"] + 3)
    wait(page, "!document.getElementById('panel').hasAttribute('data-entity')")
    page.mouse.click(x, y)
    wait(page, f"document.getElementById('panel').getAttribute('data-entity') === {name!r}")
    text = page.inner_text("#panel")
    for part in expect:
        assert part in text, f"{part!r} not in the side panel: {text[:500]}"


# -- the seeds --------------------------------------------------------------------------------


def test_index_opens_offline_and_searches_names(browser: Any, site: Path) -> None:
    page, log = open_page(browser, site / "index.html")
    page.fill("#q", "长子县")
    wait(page, "document.querySelectorAll('#results a').length > 0")
    first = page.locator("#results a").first
    assert first.inner_text().endswith("长子县")
    assert first.get_attribute("href") == f"entity/{entity_filename('Place:长子县')}"
    page.fill("#q", "长子")  # an alias or a part of a name finds it too
    wait(page, "document.querySelector('#results a') !== null")
    assert "长子县" in page.inner_text("#results")
    page.fill("#q", "长子县")
    shoot(page, "index")
    assert_clean(log)
    first = page.locator("#results a").first
    first.click()
    wait(page, "location.pathname.endsWith('.html') && location.pathname.includes('/entity/')")
    wait_ready(page)
    assert_clean(log)
    page.close()


def test_overview_draws_filters_searches_and_explains(browser: Any, site: Path) -> None:
    page, log = open_page(browser, site / "overview.html")
    wait_ready(page)
    assert canvas_ink(page) > 2000, "the network canvas is blank"
    shoot(page, "overview")
    search_focus_and_click(
        page, "长子县", ("长子县", "Place", "春夏九防·敲门行动", "扎实推进“春夏九防·敲门行动”")
    )
    shoot(page, "overview-changzi-panel")
    # the type filter hides and shows places
    places = page.evaluate("window.kgView.nodes.get({filter: n => n.t === 0}).length")
    page.uncheck("input[data-type='0']")
    assert page.evaluate("window.kgView.nodes.get({filter: n => n.hidden}).length") == places
    page.check("input[data-type='0']")
    assert page.evaluate("window.kgView.nodes.get({filter: n => n.hidden}).length") == 0
    # the predicate filter hides edges
    page.uncheck("input[data-pred='0']")  # locatedIn
    assert page.evaluate("window.kgView.edges.get({filter: e => e.hidden}).length") > 0
    page.check("input[data-pred='0']")
    assert "edges shown" in page.inner_text("#status")
    assert_clean(log)
    page.close()


def test_place_view_draws_searches_and_explains(browser: Any, site: Path) -> None:
    page, log = open_page(browser, site / "entity" / entity_filename("Place:长子县"))
    wait_ready(page)
    assert canvas_ink(page) > 2000, "the network canvas is blank"
    assert "春夏九防·敲门行动" in page.inner_text("section.rels")
    search_focus_and_click(page, "长子县", ("长子县", "春夏九防·敲门行动", "扎实推进“春夏九防·敲门行动”"))
    shoot(page, "place-changzi")
    page.locator("section.rels").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "place-changzi-full.png"), full_page=True)
    assert_clean(log)
    page.close()


def test_overview_above_the_size_limit_says_so_and_stays_responsive(browser: Any, tmp_path: Path) -> None:
    corpus = _star(300, 650)  # 1,601 entities: the overview draws the 1,500 most connected
    write_views(corpus, tmp_path)
    page, log = open_page(browser, tmp_path / "overview.html")
    wait_ready(page)
    assert page.evaluate("window.kgView.nodes.length") == 1500
    notice = page.inner_text("#notice")
    assert "1,500" in notice and "1,601" in notice
    assert canvas_ink(page) > 2000
    shoot(page, "overview-limited")
    # a type filter over 1,500 nodes answers within a frame or two
    t = time.perf_counter()
    page.uncheck("input[data-type='1']")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert time.perf_counter() - t < 2.0
    page.check("input[data-type='1']")
    # the page does not carry the names of what it leaves out: the index's data files hold them,
    # loaded once the search is used
    assert not [u for u in log.requests if "/index/" in u]
    # an entity left out of the drawing is still suggested while typing, and found, with a link
    # to its own view
    page.fill("#search", "行动029")
    wait(
        page, "Array.from(document.querySelectorAll('#suggest li')).some(li => li.dataset.name == '行动0299')"
    )
    item = page.locator("#suggest li[data-name='行动0299']")
    assert "not drawn" in item.inner_text()
    assert {u.rsplit("/", 1)[1] for u in log.requests if "/index/" in u} == {
        f"{t.lower()}.js" for t in ENTITY_TYPES
    }
    page.fill("#search", "行动0299")
    page.click("#search-form button")
    link = page.locator("#search-msg a")
    assert link.get_attribute("href") == f"entity/{entity_filename('Campaign:行动0299')}"
    assert link.inner_text() == "行动0299 →"
    link.click()
    page.wait_for_url(f"**/entity/{entity_filename('Campaign:行动0299')}")
    wait_ready(page)
    assert_clean(log)
    page.close()
    # a person's first act, before the names are loaded: Find on a name not drawn
    page, log = open_page(browser, tmp_path / "overview.html")
    wait_ready(page)
    page.evaluate("document.getElementById('search').value = '行动0298'")
    page.click("#search-form button")
    wait(page, "document.querySelector('#search-msg a') !== null")
    assert page.get_attribute("#search-msg a", "href") == f"entity/{entity_filename('Campaign:行动0298')}"
    page.fill("#search", "没有这个名字")
    page.click("#search-form button")
    wait(page, "document.getElementById('search-msg').textContent === 'No match 未找到'")
    assert_clean(log)
    page.close()


# -- index: heat maps and tables ---------------------------------------------------------------

#: Every column name of the heat maps shown: its text's boxes (a Range over the link's text,
#: one box per vertical line) against its header cell and the scrolling frame, and the
#: cell's and the link's scroll sizes against their client sizes.
_HEADER_BOXES = """() => Array.from(document.querySelectorAll('section.matrix table.heat th.col'))
  .filter(th => th.offsetParent !== null).map(th => {
    const a = th.querySelector('a.label');
    const range = document.createRange(); range.selectNodeContents(a);
    const cell = th.getBoundingClientRect();
    const frame = th.closest('.scroll').getBoundingClientRect();
    const inside = (r, o) => r.left >= o.left - 0.5 && r.right <= o.right + 0.5
                          && r.top >= o.top - 0.5 && r.bottom <= o.bottom + 0.5;
    const rects = Array.from(range.getClientRects());
    return {
      name: a.textContent,
      inCell: rects.every(r => inside(r, cell)),
      inFrame: rects.every(r => r.top >= frame.top - 0.5 && r.bottom <= frame.bottom + 0.5),
      overflow: [th.scrollWidth - th.clientWidth, th.scrollHeight - th.clientHeight,
                 a.scrollWidth - a.clientWidth, a.scrollHeight - a.clientHeight],
      drawn: rects.reduce((n, r) => n + r.height, 0),
      needed: (() => { const ctx = document.createElement('canvas').getContext('2d');
                       ctx.font = getComputedStyle(a).font; return ctx.measureText(a.textContent).width; })(),
    };
  })"""


def _heat_rows(page: Any, key: str) -> list[str]:
    return page.evaluate(
        """(key) => Array.from(document.querySelectorAll(
             `#matrix-${key} .view-places table.heat tbody tr`)).filter(tr => !tr.hidden)
             .map(tr => tr.cells[0].querySelector('a').textContent)""",
        key,
    )


def test_heat_maps_show_whole_labels_sort_and_filter_by_city(browser: Any, site: Path, ix: ViewIndex) -> None:
    page, log = open_page(browser, site / "index.html")
    boxes = page.evaluate(_HEADER_BOXES)
    assert len(boxes) >= 60  # six heat maps
    for b in boxes:
        assert b["inCell"] and b["inFrame"], b
        assert max(b["overflow"]) <= 0, b
        # every character laid out: the vertical lines are as long as the name set in one line
        assert b["drawn"] >= 0.97 * b["needed"], b
    assert {"工贸", "危险化学品", "春夏九防·敲门行动"} <= {b["name"] for b in boxes}
    print(f"\nheat-map column names measured: {len(boxes)}, clipped: 0")

    # sorting: Σ puts the busiest place first; a second click reverses
    totals = (
        "Array.from(document.querySelectorAll('#matrix-industry .view-places tbody tr'))"
        ".map(tr => +tr.lastChild.textContent)"
    )
    page.click("#matrix-industry .view-places th.total button.sort")
    desc = page.evaluate(totals)
    assert desc == sorted(desc, reverse=True)
    page.click("#matrix-industry .view-places th.total button.sort")
    assert page.evaluate(totals) == sorted(desc)
    # sorting by a column: the places that target 煤矿 most come first
    page.click("#matrix-industry .view-places th.col:has(a:text-is('煤矿')) button.sort")
    coal = page.evaluate(
        """() => { const t = document.querySelector('#matrix-industry .view-places table.heat');
             const j = Array.from(t.tHead.rows[0].cells).findIndex(c => c.textContent.includes('煤矿'));
             return Array.from(t.tBodies[0].rows).map(tr => +tr.cells[j].textContent || 0); }"""
    )
    assert coal == sorted(coal, reverse=True) and coal[0] > 0

    # the city filter: exactly the places of 长治市 that target an industry, in every heat map
    page.select_option("#city-filter", label="长治市")
    city = "Place:长治市"
    for m in MATRICES:
        expected = {
            ix.entity(r.s).name
            for r in ix.relations
            if r.p == m.predicate
            and r.s.startswith("Place:")
            and r.o.startswith(m.col_type + ":")
            and city in ix.cities_of.get(r.s, [])
        }
        assert set(_heat_rows(page, m.key)) == expected, m.key
    assert {"长子县", "壶关县", "长治市"} <= set(_heat_rows(page, "industry"))
    page.evaluate("document.getElementById('matrix-industry').scrollIntoView(); window.scrollBy(0, -70)")
    tools, heat = page.locator("#heat-tools").bounding_box(), page.locator("#matrix-industry").bounding_box()
    width = page.locator("#matrix-industry .view-places table.heat").bounding_box()["width"] + 60
    readme_shot(
        page,
        "index-heatmap",
        clip={
            "x": 0,
            "y": tools["y"],
            "width": max(width, tools["width"] + 30),
            "height": heat["y"] + heat["height"] - tools["y"],
        },
    )
    # rolled up: one row per city
    page.select_option("#city-filter", value="")
    page.check("#rollup")
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('#matrix-campaign .view-rollup tbody tr'))"
        ".map(tr => tr.cells[0].querySelector('a').textContent)"
    )
    assert set(rows) <= {ix.entity(c).name for c in ix.cities_of.values() for c in c} and "长治市" in rows
    assert page.locator("#matrix-campaign .view-places").is_hidden()
    page.uncheck("#rollup")
    assert_clean(log)
    page.close()


def test_csv_downloads_hold_what_the_tables_show(browser: Any, site: Path, ix: ViewIndex) -> None:
    page, log = open_page(browser, site / "index.html")
    # the table of places, all of it
    name, rows = download(page, "#type-Place button.csv")
    assert name == "places.csv"
    assert rows[0] == ["name", "aliases", "articles", "relations"]
    assert {tuple(r) for r in rows[1:]} == {
        (e.name, "、".join(e.aliases), str(len(ix.article_ids[e.id])), str(len(ix.by_entity[e.id])))
        for e in ix.entities
        if e.type == "Place"
    }
    assert len(rows) - 1 == sum(1 for e in ix.entities if e.type == "Place")
    # a heat map as filtered: 长治市's places × industries, cell = sentences, Σ the row's total
    page.select_option("#city-filter", label="长治市")
    name, rows = download(page, "#matrix-industry button.csv")
    assert name == "industry-长治市.csv"
    head, body = rows[0], rows[1:]
    assert head[0] == "place" and head[-1] == "total"
    got = {r[0]: {c: int(v) for c, v in zip(head[1:-1], r[1:-1], strict=True) if v != "0"} for r in body}
    want: dict[str, dict[str, int]] = {}
    for r in ix.relations:
        in_city = r.s.startswith("Place:") and "Place:长治市" in ix.cities_of.get(r.s, [])
        if r.p == "targets" and r.o.startswith("Industry:") and in_city:
            cells = want.setdefault(ix.entity(r.s).name, {})
            cells[ix.entity(r.o).name] = max(1, len(r.evidence))
    assert got == want
    assert {c for cells in want.values() for c in cells} == set(head[1:-1])  # empty columns left out
    # a focused view: every relation of 长子县, one row per evidence sentence
    page.close()
    page, log2 = open_page(browser, site / "entity" / entity_filename("Place:长子县"))
    wait_ready(page)
    name, rows = download(page, "button.csv[data-rows='relations']")
    assert name == "长子县-relations.csv"
    cols = rows[0]
    recs = [dict(zip(cols, r, strict=True)) for r in rows[1:]]
    assert {(r["subject"], r["predicate"], r["object"]) for r in recs} == {
        (ix.entity(r.s).name, r.p, ix.entity(r.o).name) for r in ix.by_entity["Place:长子县"]
    }
    assert any(r["sentence"] == "扎实推进“春夏九防·敲门行动”。" for r in recs)
    print(
        f"\nCSV rows downloaded: places {sum(1 for e in ix.entities if e.type == 'Place')}, "
        f"长治市 × industries {len(body)}, 长子县 relations {len(recs)}"
    )
    assert_clean(log)
    assert_clean(log2)
    page.close()


# -- index: paged tables at any size --------------------------------------------------------------


@pytest.fixture(scope="module")
def towns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ViewIndex]:
    out = tmp_path_factory.mktemp("towns")
    corpus = _towns()
    write_views(corpus, out)
    return out, ViewIndex.build(corpus)


_PAGE_ROWS = """(sel) => Array.from(document.querySelectorAll(sel + ' tbody tr'))
  .map(tr => [tr.cells[0].textContent, tr.cells[0].querySelector('a').getAttribute('href'),
              tr.cells[1].textContent, +tr.cells[2].textContent, +tr.cells[3].textContent])"""


def _all_pages(page: Any, type_: str) -> list[list[Any]]:
    """Every row of a table, page after page, as a person clicks through it (back to page 1)."""
    sel = f"#type-{type_} table.paged"
    rows: list[list[Any]] = []
    while True:
        rows += page.evaluate(_PAGE_ROWS, sel)
        if page.is_disabled(f"#type-{type_} .page-next"):
            break
        n = int(page.get_attribute(sel, "data-page"))
        page.click(f"#type-{type_} .page-next")
        wait(page, f"document.querySelector({sel!r}).dataset.page === '{n + 1}'")
    while not page.is_disabled(f"#type-{type_} .page-prev"):
        page.click(f"#type-{type_} .page-prev")
    return rows


def test_index_tables_page_sort_filter_and_search_every_entity(
    browser: Any, towns: tuple[Path, ViewIndex]
) -> None:
    from kg.export.views.index import PAGE_ROWS

    out, ix = towns
    page, log = open_page(browser, out / "index.html")
    places = "#type-Place table.paged"
    wait(page, f"document.querySelector({places!r}).dataset.state === 'ready'")
    place_ids = [e.id for e in ix.entities if e.type == "Place"]
    want = {
        (
            ix.entity(i).name,
            ix.pages[i],
            "、".join(ix.entity(i).aliases),
            len(ix.article_ids[i]),
            len(ix.by_entity[i]),
        )
        for i in place_ids
    }
    assert len(want) > 2 * PAGE_ROWS
    # paging: one page at a time, every place once over the pages, in the first order
    first = page.evaluate(_PAGE_ROWS, places)
    assert len(first) == PAGE_ROWS
    assert page.inner_text("#type-Place .pager .pos") == f"1–{PAGE_ROWS} of {len(want)}"
    assert page.is_disabled("#type-Place .page-prev")
    rows = _all_pages(page, "Place")
    assert len(rows) == len(want) and {tuple(r) for r in rows} == want
    assert [(-r[4], -r[3], r[0]) for r in rows] == sorted((-r[4], -r[3], r[0]) for r in rows)
    assert page.evaluate(_PAGE_ROWS, places) == first  # back on page 1
    # the pager under the table turns the page too, and brings the table's top into view
    page.click("#type-Place .pager-end .page-next")
    wait(page, f"document.querySelector({places!r}).dataset.page === '1'")
    assert page.evaluate(f"document.querySelector({places!r}).getBoundingClientRect().top") < 50
    assert page.inner_text("#type-Place .pager-end .pos") == f"{PAGE_ROWS + 1}–{2 * PAGE_ROWS} of {len(want)}"
    page.click("#type-Place .pager-end .page-prev")
    wait(page, f"document.querySelector({places!r}).dataset.page === '0'")

    # sorting: by name (A to Z, then Z to A), by relations (most first) over all rows, not a page
    pinyin = {"大同市": "datongshi", "太原市": "taiyuanshi", "运城市": "yunchengshi"}  # 测试镇: ceshizhen
    names = sorted((r[0] for r in rows), key=lambda n: pinyin.get(n, "ceshizhen" + n[3:]))
    page.click(f"{places} button.sort[data-col='0']")
    wait(page, f"document.querySelector({places!r} + ' button.sort[data-dir=asc]') !== null")
    assert [r[0] for r in page.evaluate(_PAGE_ROWS, places)] == names[:PAGE_ROWS]
    page.click(f"{places} button.sort[data-col='0']")
    wait(page, f"document.querySelector({places!r} + ' button.sort[data-dir=desc]') !== null")
    assert [r[0] for r in _all_pages(page, "Place")] == names[::-1]
    page.click(f"{places} button.sort[data-col='3']")
    wait(page, f"document.querySelector({places!r} + ' button.sort[data-col=\"3\"][data-dir=desc]') !== null")
    counts = [r[4] for r in _all_pages(page, "Place")]
    assert counts == sorted(counts, reverse=True) and counts[0] == max(r[4] for r in rows)

    # the city filter (the heat maps' too): exactly the city's places, over every page; CSV of all
    city, _n = TOWN_CITIES[1]
    in_city = {ix.entity(i).name for i in place_ids if f"Place:{city}" in ix.cities_of.get(i, [])}
    page.select_option("#city-filter", label=city)
    wait(page, f"document.querySelector({places!r}).dataset.shown === '{len(in_city)}'")
    assert {r[0] for r in _all_pages(page, "Place")} == in_city
    assert f"of {len(in_city)} in {city} (of {len(want)})" in page.inner_text("#type-Place .pager .pos")
    # the heat maps keep their top rows: a note says where all of the city's places are
    assert page.locator("section.matrix .notice").count() > 0
    assert page.is_visible("#city-note")
    assert "all of them are in the Place table" in page.inner_text("#city-note")
    assert page.get_attribute("#city-note a", "href") == ix.pages[f"Place:{city}"]
    org_rows = _all_pages(page, "Organization")
    assert {r[0] for r in org_rows} == {
        e.name
        for e in ix.entities
        if e.type == "Organization" and f"Place:{city}" in ix.cities_of.get(e.id, [])
    }
    name, csv_rows = download(page, "#type-Place button.csv")
    assert name == f"places-{city}.csv"
    assert csv_rows[0] == ["name", "aliases", "articles", "relations"]
    assert {r[0] for r in csv_rows[1:]} == in_city and len(csv_rows) - 1 == len(in_city)
    # the filter box narrows what the city keeps
    page.fill("#type-Place input.table-filter", "测试镇06")
    wait(page, f"document.querySelector({places!r}).dataset.shown !== '{len(in_city)}'")
    assert {r[0] for r in _all_pages(page, "Place")} == {n for n in in_city if "测试镇06" in n}
    page.fill("#type-Place input.table-filter", "")
    page.select_option("#city-filter", value="")
    wait(page, f"document.querySelector({places!r}).dataset.shown === '{len(want)}'")

    # a folded table loads when opened
    people = "#type-Person table.paged"
    assert page.get_attribute(people, "data-state") is None
    page.click("#type-Person summary")
    wait(page, f"document.querySelector({people!r}).dataset.state === 'ready'")
    assert len(_all_pages(page, "Person")) == sum(1 for e in ix.entities if e.type == "Person")

    # the search: every name and alias of every type, the first of many hits on top
    n_towns = sum(1 for e in ix.entities if "测试镇" in e.name)  # places and their bodies
    page.fill("#q", "测试镇")
    wait(page, f"document.getElementById('results').dataset.count === '{n_towns}'")
    assert page.locator("#results li.more").inner_text() == f"+{n_towns - 50} more: refine the search"
    page.fill("#q", "别名077")  # a person's alias
    wait(page, "document.getElementById('results').dataset.count === '1'")
    hit = page.locator("#results a").first
    assert hit.inner_text().endswith("人员077")
    assert hit.get_attribute("href") == ix.pages["Person:人员077"]
    shoot(page, "index-paged")
    assert_clean(log)
    page.close()


def test_index_search_loads_every_type_on_first_use(browser: Any, towns: tuple[Path, ViewIndex]) -> None:
    """A search typed before anything else finds an entity of a folded table (its file not yet loaded)."""
    out, ix = towns
    page, log = open_page(browser, out / "index.html")
    page.fill("#q", "人员100")
    wait(page, "document.getElementById('results').dataset.count === '1'")
    assert page.locator("#results a").first.get_attribute("href") == ix.pages["Person:人员100"]
    page.press("#q", "Enter")  # opens the first result
    wait(page, "location.pathname.endsWith(" + repr(ix.pages["Person:人员100"].split("/")[1]) + ")")
    assert_clean(log)
    page.close()


# -- overview: labels, selection, filters, ready-made views, suggestions ---------------------------


def dark_pixels(page: Any) -> int:
    """Pixels of the network canvas dark enough to be label text (node colours are lighter)."""
    return page.evaluate(
        """() => {
        const c = document.querySelector('#network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] > 200 && d[i] < 70 && d[i + 1] < 70 && d[i + 2] < 70) n++;
        }
        return n;
      }"""
    )


def pixel(page: Any, x: float, y: float) -> list[int]:
    """The canvas's colour at a point of the page as seen (the canvas is transparent over white)."""
    r, g, b, a = page.evaluate(
        """([x, y]) => {
        const c = document.querySelector('#network canvas');
        const r = c.getBoundingClientRect();
        const d = c.getContext('2d').getImageData(Math.round(x - r.left), Math.round(y - r.top), 1, 1);
        return Array.from(d.data);
      }""",
        [x, y],
    )
    return [round(v * a / 255 + 255 * (1 - a / 255)) for v in (r, g, b)]


def redraw(page: Any) -> None:
    page.evaluate(
        "new Promise(r => { window.kgView.network.once('afterDrawing', () => r());"
        " window.kgView.network.redraw(); })"
    )


def visible_nodes(page: Any) -> list[int]:
    return page.evaluate("window.kgView.nodes.getIds({filter: n => !n.hidden})")


def test_overview_labels_hubs_dims_fits_and_has_ready_made_views(
    browser: Any, site: Path, ix: ViewIndex
) -> None:
    page, log = open_page(browser, site / "overview.html")
    wait_ready(page)
    data = page.evaluate("JSON.parse(document.getElementById('kg-data').textContent)")
    names = [e[0] for e in data["entities"]]
    hubs = data["hubs"]
    assert names[hubs[0]] == ix.entity(ix.by_degree()[0]).name

    # labels: at the whole-graph zoom vis-network draws none (too small to read); the page
    # labels the most connected nodes, and they are on the canvas
    scale = page.evaluate("window.kgView.network.getScale()")
    threshold = data["vis"]["options"]["nodes"]["scaling"]["label"]["drawThreshold"]
    assert 14 * scale < threshold - 1
    labelled = page.evaluate("window.kgView.labelled")
    assert labelled[0] == hubs[0] and len(labelled) >= 8
    assert set(labelled) <= set(hubs[:40])
    assert all(page.evaluate(f"window.kgView.nodes.get({i}).label") for i in labelled)
    with_labels = dark_pixels(page)
    page.evaluate("window.kgView.hubLabels = false")
    redraw(page)
    without = dark_pixels(page)
    page.evaluate("window.kgView.hubLabels = true")
    redraw(page)
    assert with_labels > 25 * len(labelled) and without < with_labels / 10, (with_labels, without)
    # and each label is where its node is: text pixels in the box under every labelled node
    per_label = page.evaluate(
        """() => {
        const c = document.querySelector('#network canvas');
        const ctx = c.getContext('2d');
        return window.kgView.labelBoxes.map(([l, t, r, b]) => {
          const d = ctx.getImageData(Math.round(l), Math.round(t), Math.round(r - l), Math.round(b - t)).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 70 && d[i + 1] < 70 && d[i + 2] < 70) n++;
          return n;
        });
      }"""
    )
    assert len(per_label) == len(labelled) and min(per_label) >= 8, per_label
    print(
        f"\noverview: {len(labelled)} hub labels at zoom {scale:.2f}; "
        f"label-dark pixels {with_labels} with them, {without} without"
    )
    readme_shot(page, "overview")

    # a selected node dims everything but its neighbourhood
    city = names.index("长治市")
    assert city == ix.order["Place:长治市"]  # the whole graph is drawn: entities in display order
    hood = {ix.order[x] for r in ix.by_entity["Place:长治市"] for x in (r.s, r.o)}
    far = next(i for i in hubs if i not in hood)
    fx, fy = node_screen_xy(page, far)
    before = pixel(page, fx, fy)
    x, y = node_screen_xy(page, city)
    page.mouse.click(x, y)
    wait(page, f"window.kgView.dimmed === {city}")
    redraw(page)
    after = pixel(page, fx, fy)
    assert sum(after) - sum(before) > 250, (before, after)  # much lighter
    print(f"selection dims: {names[far]} from rgb{tuple(before)} to rgb{tuple(after)}")
    assert set(page.evaluate("window.kgView.hood()")) == hood
    assert page.evaluate("window.kgView.labelled")[0] == city  # its label first
    page.evaluate("window.kgView.network.fit({nodes: window.kgView.hood(), animation: false})")
    redraw(page)
    readme_shot(page, "overview-selected")  # zoomed onto the neighbourhood
    page.mouse.click(*[v + 3 for v in (page.locator("#network").bounding_box()[k] for k in ("x", "y"))])
    wait(page, "window.kgView.dimmed === null")
    assert page.evaluate("window.kgView.hood()") == []

    # a filter fits the view to what it leaves: campaigns alone fill the canvas
    fits = page.evaluate("window.kgView.fits")
    for t in range(len(data["types"])):
        if data["types"][t]["name"] != "Campaign" and page.locator(f"input[data-type='{t}']").count():
            page.uncheck(f"input[data-type='{t}']")
    wait(page, f"window.kgView.fits > {fits} && !window.kgView.animating")
    box = page.locator("#network").bounding_box()
    pts = [node_screen_xy(page, i) for i in visible_nodes(page)]
    assert pts and all(
        box["x"] <= px <= box["x"] + box["width"] and box["y"] <= py <= box["y"] + box["height"]
        for px, py in pts
    )
    span_x = (max(p[0] for p in pts) - min(p[0] for p in pts)) / box["width"]
    span_y = (max(p[1] for p in pts) - min(p[1] for p in pts)) / box["height"]
    assert max(span_x, span_y) > 0.6, (span_x, span_y)
    print(f"fit after a filter: {len(pts)} campaigns span {span_x:.0%} × {span_y:.0%} of the canvas")

    # ready-made view: places × campaigns, two columns, every node labelled
    page.check("input[name='preset'][value='campaign']")
    wait(page, "window.kgView.preset === 'campaign' && !window.kgView.animating")
    redraw(page)
    pairs = {
        (r.s, r.o)
        for r in ix.relations
        if r.p == "implements" and r.s.startswith("Place:") and r.o.startswith("Campaign:")
    }
    want = {names.index(ix.entity(x).name) for pair in pairs for x in pair}
    shown = set(visible_nodes(page))
    assert shown == want
    xs = {round(node_screen_xy(page, i)[0]) for i in shown}
    assert len(xs) == 2  # places in one column, campaigns in the other
    assert set(page.evaluate("window.kgView.labelled")) == shown
    print(f"places × campaigns: {len(shown)} nodes in 2 columns, all labelled")
    readme_shot(page, "overview-campaigns")
    page.check("input[name='preset'][value='all']")
    wait(page, "window.kgView.preset === 'all' && !window.kgView.animating")
    assert len(visible_nodes(page)) == data["shown"]
    assert_clean(log)
    page.close()


def test_overview_search_suggests_names_and_aliases(browser: Any, site: Path, ix: ViewIndex) -> None:
    page, log = open_page(browser, site / "overview.html")
    wait_ready(page)
    page.click("#search")
    page.keyboard.type("长治")  # the alias of 长治市, and the start of many names
    wait(page, "!document.getElementById('suggest').hidden")
    items = page.locator("#suggest li")
    texts = items.all_inner_texts()
    assert items.first.get_attribute("data-name") == "长治市" and "← 长治" in texts[0]  # by its alias
    assert 2 <= len(texts) <= 10 and all("长治" in t for t in texts)
    shoot(page, "overview-suggest")
    # a name that only an alias holds: the suggestion names the entity and the alias
    alias_of = {a: e for e in ix.entities for a in e.aliases if e.type == "Industry"}
    alias, e = sorted(alias_of.items())[0]
    page.fill("#search", "")
    page.keyboard.type(alias[:-1] if len(alias) > 2 else alias)
    wait(page, "document.querySelectorAll('#suggest li').length > 0")
    assert e.name in [li.get_attribute("data-name") for li in page.locator("#suggest li").all()]
    # the keyboard picks one: it is focused
    page.fill("#search", "")
    page.keyboard.type("壶关")
    wait(page, "document.querySelectorAll('#suggest li').length > 0")
    first = page.locator("#suggest li").first.get_attribute("data-name")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait(page, f"window.kgView.focused === {node_index(page, first)}")
    assert page.locator("#suggest").is_hidden()
    assert_clean(log)
    page.close()


def test_city_view_rolls_up_its_counties(browser: Any, site: Path, ix: ViewIndex) -> None:
    page, log = open_page(browser, site / "entity" / entity_filename("Place:长治市"))
    wait_ready(page)
    assert page.locator("#rollup .rollup-sections").is_hidden()
    page.click("#rollup summary")
    text = page.inner_text("#rollup section[data-predicate='implements']")
    assert "春夏九防·敲门行动" in text and all(c in text for c in ("长子县", "壶关县", "屯留区"))
    page.click("button.sort-lists[data-by='n']")
    counts = page.evaluate(
        "Array.from(document.querySelectorAll('#rollup section[data-predicate=\"targets\"] > ul > li'))"
        ".map(li => +li.dataset.n)"
    )
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    page.evaluate("document.getElementById('rollup').scrollIntoView(); window.scrollBy(0, -260)")
    readme_shot(page, "entity-city-rollup", clip={"x": 0, "y": 0, "width": 1400, "height": 640})
    name, rows = download(page, "#rollup button.csv")
    assert name == "长治市-rollup.csv"
    assert rows[0] == ["subject", "subject_type", "predicate", "object", "object_type", "sentences"]
    n = len(ix.corpus.relations[("Place:长子县", "implements", "Campaign:春夏九防·敲门行动")].evidence)
    assert ("长子县", "Place", "implements", "春夏九防·敲门行动", "Campaign", str(n)) in {
        tuple(r) for r in rows
    }
    assert_clean(log)
    page.close()


# -- safety -----------------------------------------------------------------------------------


def test_markup_in_articles_runs_nothing(browser: Any, xss_site: tuple[Path, Corpus]) -> None:
    out, corpus = xss_site
    pages = [out / "index.html", out / "overview.html"]
    pages += [out / "entity" / entity_filename(eid) for eid in sorted(corpus.entities)]
    articles = sorted((out / "article").glob("*.html"))
    assert len(articles) == len(corpus.articles)
    seen_markup = False
    for path in pages:
        page, log = open_page(browser, path)
        if path.name == "index.html":
            page.fill("#q", "<")
            wait(page, "document.querySelector('#results li') !== null")
            seen_markup |= "<img src=x onerror=alert(1)>" in page.inner_text("#results")
        else:
            wait_ready(page)
            page.fill("#search", "<")  # the suggestions show names with markup as text
            if page.evaluate(
                "(() => { const d = JSON.parse(document.getElementById('kg-data').textContent);"
                " return d.entities.slice(0, d.shown)"
                ".some(e => [e[0], ...e[3]].some(n => n.includes('<'))); })()"
            ):
                wait(page, "document.querySelectorAll('#suggest li').length > 0")
                texts = " ".join(page.locator("#suggest li").all_inner_texts())
                seen_markup |= "<img src=x onerror=alert(1)>" in texts
            n = page.evaluate("window.kgView.nodes.length")
            for i in range(n):  # every node's panel: names, aliases, evidence and headlines on screen
                page.evaluate("(i) => window.kgView.focusNode(i)", i)
                text = page.inner_text("#panel")
                seen_markup |= "<script>window.__xss=1" in text or "<img src=x" in text
            if path.name == entity_filename("Place:长子县"):
                page.evaluate("(i) => window.kgView.focusNode(i)", node_index(page, "长子县"))
                shoot(page, "xss-place")
        page.wait_for_timeout(100)
        assert page.evaluate("typeof window.__xss") == "undefined", path.name
        assert not any(u.rstrip("/").endswith("/x") for u in log.requests), log.requests
        assert_clean(log)
        page.close()
    for path in articles:  # the article's own text, every mention and span on screen as text
        page, log = open_page(browser, path)
        seen_markup |= "<img src=x onerror=alert(1)>" in page.inner_text("article.text")
        page.wait_for_timeout(100)
        assert page.evaluate("typeof window.__xss") == "undefined", path.name
        assert not any(u.rstrip("/").endswith("/x") for u in log.requests), log.requests
        assert_clean(log)
        page.close()
    assert seen_markup, "the markup should be visible as text"


# -- the notebook view (kg.api: KnowledgeGraph.view) ---------------------------------------------


def _host(tmp_path: Path, view: Any, name: str) -> Path:
    """A page that shows the view as a notebook front end does: its HTML output, as is."""
    host = tmp_path / f"{name}.html"
    host.write_text(f"<!DOCTYPE html><html><body>{view._repr_html_()}</body></html>", encoding="utf-8")
    return host


@pytest.mark.parametrize("entity", ["长子县", None])
def test_inline_notebook_view_draws_in_its_iframe(browser: Any, tmp_path: Path, entity: str | None) -> None:
    import kg

    g = kg.build(ROOT / "seeds")
    page, log = open_page(browser, _host(tmp_path, g.view(entity, height=800), "host"))
    frame = page.frames[1]
    wait_ready(frame)
    assert canvas_ink(frame) > 2000, "the inline network canvas is blank"
    i = node_index(frame, "长子县")
    frame.evaluate("(i) => window.kgView.focusNode(i)", i)
    assert "扎实推进“春夏九防·敲门行动”" in frame.inner_text("#panel")
    # a link out of the page is cancelled instead of opening a dead about:srcdoc URL
    if entity is not None:
        frame.locator("section.rels a").first.click()
        page.wait_for_timeout(200)
        assert frame.evaluate("location.href") == "about:srcdoc"
        shoot(page, "inline-view")
    assert_clean(log)
    page.close()


def test_inline_notebook_view_runs_no_markup(browser: Any, tmp_path: Path) -> None:
    import kg

    (tmp_path / "xss_page.txt").write_text(XSS_PAGE, encoding="utf-8")
    g = kg.build(tmp_path, cache=False)
    for entity in (None, "长子县"):
        page, log = open_page(browser, _host(tmp_path, g.view(entity), "xss-host"))
        frame = page.frames[1]
        wait_ready(frame)
        for i in range(frame.evaluate("window.kgView.nodes.length")):
            frame.evaluate("(i) => window.kgView.focusNode(i)", i)
        page.wait_for_timeout(100)
        assert frame.evaluate("typeof window.__xss") == "undefined"
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert_clean(log)
        page.close()


# -- evidence in context: article pages -----------------------------------------------------------


def click_inline(page: Any, locator: Any) -> None:
    """Click a link on its first line box (a wrapped inline link's bounding box has gaps)."""
    locator.scroll_into_view_if_needed()
    x, y = locator.evaluate(
        "a => { const r = a.getClientRects()[0];"
        " return [r.left + Math.min(r.width / 2, 40), r.top + r.height / 2]; }"
    )
    page.mouse.click(x, y)


def assert_span_shown(page: Any, ev: Any) -> None:
    """The article page shows exactly ``ev``'s span highlighted, on screen."""
    anchor = f"ev-{ev.start}-{ev.end}"
    wait(page, f"window.kgArticle && window.kgArticle.target === {anchor!r}")
    assert page.evaluate("window.kgArticle.marked") == ev.text
    marks = page.locator("mark.ev.target")
    assert marks.count() >= 1
    # highlighted unlike the other evidence sentences, and scrolled into view
    colours = page.evaluate(
        "[getComputedStyle(document.querySelector('mark.ev.target')).backgroundColor,"
        " getComputedStyle(document.querySelector('mark.ev:not(.target)')).backgroundColor]"
    )
    assert colours[0] != colours[1], colours
    box = marks.first.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900, box


def test_evidence_link_opens_its_article_with_the_span_highlighted(
    browser: Any, site: Path, seeds: Corpus
) -> None:
    rel = seeds.relations[("Place:长子县", "implements", "Campaign:春夏九防·敲门行动")]
    ev = rel.evidence[0]
    # from a focused view's list of sentences
    page, log = open_page(browser, site / "entity" / entity_filename("Place:长子县"))
    wait_ready(page)
    click_inline(page, page.locator(f"li[data-article='{ev.article}'] a.evl").first)
    page.wait_for_url("**/article/*.html#ev-*")
    assert_span_shown(page, ev)
    assert page.inner_text("h1") == seeds.articles[ev.article].headline
    page.evaluate("window.scrollTo(0, 0)")  # the README's: the page's head and the span under it
    readme_shot(page, "article", clip={"x": 0, "y": 0, "width": 800, "height": 620})
    # a mention links to its entity's view
    click_inline(page, page.locator("a.m[data-entity='春夏九防·敲门行动']").first)
    page.wait_for_url("**/entity/campaign-*.html")
    assert_clean(log)
    page.close()
    # from the overview's side panel
    page, log = open_page(browser, site / "overview.html")
    wait_ready(page)
    page.evaluate("(i) => window.kgView.focusNode(i)", node_index(page, "壶关县"))
    wait(page, "document.getElementById('panel').getAttribute('data-entity') === '壶关县'")
    ev2 = seeds.relations[("Place:壶关县", "implements", "Campaign:春夏九防·敲门行动")].evidence[0]
    click_inline(page, page.locator("#panel a.evl", has_text=ev2.text).first)
    page.wait_for_url("**/article/*.html#ev-*")
    assert_span_shown(page, ev2)
    assert_clean(log)
    page.close()
    # from a heat-map cell of the index
    page, log = open_page(browser, site / "index.html")
    page.locator("section#matrix-campaign td[title*='长子县 × 春夏九防·敲门行动'] a").click()
    page.wait_for_url("**/article/*.html#ev-*")
    assert_span_shown(page, ev)
    assert_clean(log)
    page.close()


def test_resolve_page_opens_an_evidence_iri_at_its_span(browser: Any, site: Path, seeds: Corpus) -> None:
    """An IRI as kg query prints it (compacted) opens its article at the span."""
    from kg.export.rdf.iri import evidence_iri
    from kg.namespace import KGI

    ev = seeds.relations[("Place:屯留区", "implements", "Campaign:春夏九防·敲门行动")].evidence[0]
    iri = "kgi:" + evidence_iri(ev.source, ev.start, ev.end).removeprefix(str(KGI))
    page, log = open_page(browser, site / "resolve.html")
    page.fill("#iri", iri)
    page.click("#resolve-form button")
    page.wait_for_url("**/article/*.html#ev-*")
    assert_span_shown(page, ev)
    assert_clean(log)
    page.close()


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory, seeds: Corpus) -> Path:
    """The seeds' views with resolve.html's table in many small shards (as at 100k entities)."""
    from kg.export.views import resolve

    out = tmp_path_factory.mktemp("sharded_site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(resolve, "SHARD_KEYS", 2)
        write_views(seeds, out)
    return out


def test_resolve_page_opens_entity_article_and_evidence_iris_from_shards(
    browser: Any, sharded: Path, seeds: Corpus
) -> None:
    """resolve.html#<IRI> opens an entity's view, an article's page and an evidence span's
    article at the span, each loading the one shard it needs (its key's CRC-32, computed in the
    page as in Python); an IRI not in the views says so."""
    import json
    import zlib
    from urllib.parse import unquote

    from kg.export.rdf.iri import article_iri, entity_iri, evidence_iri
    from kg.export.views.data import article_filename
    from kg.namespace import KGI

    digits = json.loads(
        sharded.joinpath("resolve.html").read_text(encoding="utf-8").split('id="kg-data">')[1].split("<")[0]
    )["digits"]
    assert digits >= 2  # hundreds of shards
    shards = len(list((sharded / "resolve").glob("*.js")))
    assert shards == 16**digits

    def shard(key: str) -> str:
        return f"{zlib.crc32(key.encode()) % 16**digits:0{digits}x}.js"

    def open_iri(iri: str) -> tuple[Any, Log]:
        return open_page(browser, sharded / "resolve.html", "#" + iri)

    def loaded(log: Log) -> list[str]:
        return [u.rsplit("/", 1)[1] for u in log.requests if "/resolve/" in u]

    ix = ViewIndex.build(seeds)
    e = next(x for x in ix.entities if x.id == "Place:长子县")
    page, log = open_iri(entity_iri(e))  # the full IRI, percent-encoded as in a result
    page.wait_for_url(f"**/entity/{entity_filename(e.id)}")
    wait_ready(page)
    assert "长子县" in page.title()
    assert loaded(log) == [shard(unquote(entity_iri(e)))]
    assert_clean(log)
    page.close()
    # an article, compacted as kg query prints it
    a = next(x for x in seeds.articles.values() if x.index > 0)
    page, log = open_iri("kgi:" + article_iri(a.id).removeprefix(str(KGI)))
    page.wait_for_url(f"**/article/{article_filename(a.id).rsplit('/', 1)[-1]}")
    assert loaded(log) == [shard(a.source)]
    assert_clean(log)
    page.close()
    # an evidence span: its article at the span
    ev = seeds.relations[("Place:屯留区", "implements", "Campaign:春夏九防·敲门行动")].evidence[0]
    page, log = open_iri(evidence_iri(ev.source, ev.start, ev.end))
    page.wait_for_url("**/article/*.html#ev-*")
    assert_span_shown(page, ev)
    assert loaded(log) == [shard(ev.source)]
    assert_clean(log)
    page.close()
    # not in these views: said so, nothing opened
    page, log = open_iri("kgi:place/没有这个地方")
    wait(page, "document.getElementById('resolve-msg').textContent.indexOf('Not in these views') === 0")
    assert page.url.split("#")[0].endswith("/resolve.html")
    assert_clean(log)
    page.close()


def test_resolve_page_without_its_shards_says_which_file_is_missing(
    browser: Any, sharded: Path, tmp_path: Path
) -> None:
    import shutil

    shutil.copytree(sharded / "assets", tmp_path / "assets")
    shutil.copy(sharded / "resolve.html", tmp_path / "resolve.html")  # copied without resolve/
    page, log = open_page(browser, tmp_path / "resolve.html", "#kgi:place/长子县")
    wait(page, "document.getElementById('resolve-msg').textContent.indexOf('Could not load') === 0")
    assert "resolve/" in page.inner_text("#resolve-msg")
    assert page.url.split("#")[0].endswith("/resolve.html")
    assert not log.outside
    page.close()


# -- time: a dated corpus ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory, seeds: Corpus) -> tuple[Path, Corpus]:
    from .test_views import SEED_DATES, _dated

    corpus = _dated(seeds, SEED_DATES)
    out = tmp_path_factory.mktemp("dated_site")
    write_views(corpus, out)
    return out, corpus


MAY = ("2025-05-01", "2025-05-31")


def _in(d: str | None, lo: str, hi: str) -> bool:
    return bool(d) and len(d or "") == 10 and lo <= (d or "") <= hi


def test_date_filter_changes_the_overview(browser: Any, dated: tuple[Path, Corpus]) -> None:
    out, corpus = dated
    ix = ViewIndex.build(corpus)
    page, log = open_page(browser, out / "overview.html")
    wait_ready(page)
    names = page.evaluate(
        "JSON.parse(document.getElementById('kg-data').textContent).entities.map(e => e[0])"
    )
    everything = set(visible_nodes(page))
    assert len(everything) == len(ix.entities)
    fits = page.evaluate("window.kgView.fits")
    lo, hi = "2025-05-01", "2025-05-31"  # page 004's month
    page.fill("#date-from", lo)
    page.fill("#date-to", hi)
    wait(page, f"window.kgView.dateFrom === {lo!r} && window.kgView.dateTo === {hi!r}")
    # kept: what a relation stated in the range links, and what an article of the range names
    want = set()
    for e in ix.entities:
        if any(_in(a.date, lo, hi) for a in corpus.articles_mentioning(e.id)):
            want.add(e.name)
    for r in ix.relations:
        if any(_in(corpus.articles[ev.article].date, lo, hi) for ev in r.evidence):
            want |= {ix.entity(r.s).name, ix.entity(r.o).name}
    shown = {names[i] for i in visible_nodes(page)}
    assert shown == want and 0 < len(shown) < len(everything)
    assert "长子县" in shown and "娄烦县" not in shown  # 004 names 长子县; only 000 (March) 娄烦县
    kept = page.evaluate("window.kgView.edges.get({filter: e => !e.hidden}).length")
    stated = sum(
        1
        for r in ix.relations
        if any(_in(corpus.articles[ev.article].date, lo, hi) for ev in r.evidence)
        and ix.entity(r.s).name in shown
    )
    assert kept == stated
    assert page.evaluate("window.kgView.fits") > fits  # the view fits what is left
    assert f"{lo} – {hi}" in page.inner_text("#status")
    readme_shot(page, "overview-dates", clip={"x": 0, "y": 300, "width": 1020, "height": 340})
    # a city narrows it further; "All dates" brings the whole graph back
    page.select_option("#city-filter", label="长治市")
    wait(page, "window.kgView.city !== ''")
    in_city = {names[i] for i in visible_nodes(page)}
    assert in_city <= shown and "长子县" in in_city
    page.select_option("#city-filter", value="")
    page.click("#date-clear")
    wait(page, "window.kgView.dateFrom === '' && window.kgView.city === ''")
    assert set(visible_nodes(page)) == everything
    assert_clean(log)
    page.close()


def test_timeline_counts_months_and_a_click_keeps_one(browser: Any, dated: tuple[Path, Corpus]) -> None:
    out, corpus = dated
    page, log = open_page(browser, out / "index.html")
    months = page.evaluate(
        "Array.from(document.querySelectorAll('svg.timeline g.month'))"
        ".map(g => [g.dataset.month, +g.dataset.n])"
    )
    assert [m for m, _n in months] == [f"2025-0{k}" for k in range(1, 8)]
    assert {m for m, n in months if n} == {"2025-01", "2025-03", "2025-05", "2025-07"}
    # the bars are drawn: their boxes on screen are as tall as their counts, on one scale
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('svg.timeline rect.bar'))"
        ".map(r => [+r.dataset.n, r.getBoundingClientRect().height])"
    )
    per = {round(h / n, 2) for n, h in heights}
    assert len(per) == 1 and per.pop() > 0, heights
    page.locator("section#timeline").scroll_into_view_if_needed()
    box = page.locator("section#timeline").bounding_box()
    readme_shot(page, "index-timeline", clip={"x": 0, "y": box["y"], "width": 1200, "height": box["height"]})
    # a click on May keeps May in the heat maps: a cell counts its sentences of May
    cells = "section#matrix-campaign td[title]"
    grab = f"Array.from(document.querySelectorAll({cells!r})).map(td => [td.title, td.textContent])"
    before = page.evaluate(grab)
    page.click("svg.timeline g.month[data-month='2025-05']")
    wait(page, "document.body.getAttribute('data-dates') === '2025-05-01/2025-05-31'")
    assert page.input_value("#date-from") == "2025-05-01" and page.input_value("#date-to") == "2025-05-31"
    after = page.evaluate(grab)
    may: Counter[tuple[str, str]] = Counter()
    for r in corpus.relations.values():
        if r.p == "implements":
            for ev in r.evidence:
                may[(r.s.partition(":")[2], r.o.partition(":")[2])] += _in(
                    corpus.articles[ev.article].date, *MAY
                )
    for (title, was), (_t, now) in zip(before, after, strict=True):
        head = title.partition(":")[0]
        if "(" in head:  # a city's row of the roll-up table: its places' sentences
            continue
        place, _, campaign = head.partition(" × ")
        assert now == (str(may[(place, campaign)]) if may[(place, campaign)] else ""), (title, was, now)
    assert {t for t, n in after if n} and {t for t, n in before if n} - {t for t, n in after if n}
    assert (
        page.evaluate(
            "document.querySelector(\"svg.timeline g.month[data-month='2025-05']\").getAttribute('class')"
        )
        == "month on"
    )
    page.click("svg.timeline g.month[data-month='2025-05']")  # a second click: all dates
    wait(page, "document.body.getAttribute('data-dates') === ''")
    assert_clean(log)
    page.close()
    # an entity's timeline: a click on its month hides the sentences of other months
    page, log = open_page(browser, out / "entity" / entity_filename("Place:长治市"))
    wait_ready(page)
    months = page.evaluate(
        "Array.from(document.querySelectorAll('svg.timeline g.month')).filter(g => +g.dataset.n > 0)"
        ".map(g => g.dataset.month)"
    )
    assert len(months) >= 2
    page.click(f"svg.timeline g.month[data-month='{months[0]}']")
    wait(page, f"(document.body.getAttribute('data-dates') || '').startsWith('{months[0]}-01/')")
    dates = page.evaluate(
        "Array.from(document.querySelectorAll('ul.evidence > li[data-article]'))"
        ".filter(li => !li.hidden).map(li => li.dataset.date || '')"
    )
    assert dates and all(d.startswith(months[0]) for d in dates), dates
    assert_clean(log)
    page.close()
