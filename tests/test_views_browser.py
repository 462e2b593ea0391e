"""The HTML views as a person sees them: headless Chromium, from disk, networking off.

Debian's /usr/bin/chromium driven by playwright (never a downloaded browser); every
request that is not file:// or data: is aborted and recorded. Screenshots go to
tests/_artifacts/ (git-ignored): look at them after a change to the views.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.corpus import Corpus
from kg.export.views import write_views
from kg.export.views.data import entity_filename

from ._util import ROOT, missing_service
from .test_views import XSS_PAGE, _star, corpus_of

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "_artifacts"
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
        )
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_views(corpus_of(ROOT / "seeds"), out)
    return out


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    pages = tmp_path_factory.mktemp("xss_pages")
    (pages / "xss_page.txt").write_text(XSS_PAGE, encoding="utf-8")
    corpus = corpus_of(pages)
    out = tmp_path_factory.mktemp("xss_site")
    write_views(corpus, out)
    return out, corpus


def open_page(ctx: Any, path: Path) -> tuple[Any, Log]:
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
    page.goto(path.resolve().as_uri())
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
    # an entity left out of the drawing is still found, with a link to its own view
    page.fill("#search", "行动0299")
    page.click("#search-form button")
    link = page.locator("#search-msg a")
    assert link.get_attribute("href") == f"entity/{entity_filename('Campaign:行动0299')}"
    assert_clean(log)
    page.close()


# -- safety -----------------------------------------------------------------------------------


def test_markup_in_articles_runs_nothing(browser: Any, xss_site: tuple[Path, Corpus]) -> None:
    out, corpus = xss_site
    pages = [out / "index.html", out / "overview.html"]
    pages += [out / "entity" / entity_filename(eid) for eid in sorted(corpus.entities)]
    seen_markup = False
    for path in pages:
        page, log = open_page(browser, path)
        if path.name == "index.html":
            page.fill("#q", "<")
            wait(page, "document.querySelector('#results li') !== null")
            seen_markup |= "<img src=x onerror=alert(1)>" in page.inner_text("#results")
        else:
            wait_ready(page)
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
