"""Analysts' questions over the seeds' corpus."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from itertools import combinations
from typing import Any

import pandas as pd
import pytest

from kg import analysis as A
from kg.corpus import Corpus, MentionRef
from kg.model import Entity, Evidence, Relation
from kg.pipeline import extract_paths

from ._util import ROOT, missing_service

ARTIFACTS = ROOT / "tests" / "_artifacts"


@pytest.fixture(scope="module")
def corpus():
    return Corpus.from_results(extract_paths([str(ROOT / "seeds")]).files)


def test_profile_of_a_county(corpus):
    p = A.profile(corpus, "长子县")
    assert "春夏九防·敲门行动" in p["implements"]
    assert {"煤矿", "危险化学品", "老旧小区"} <= set(p["targets"])
    assert p["locatedIn"] == ["长治市"]


def test_shared_campaigns_and_projection(corpus):
    df = A.shared_campaigns(corpus)
    top = df.iloc[0]
    assert top["campaign"] == "春夏九防·敲门行动" and top["places"] == 3
    proj = A.campaign_projection(corpus)
    assert proj.has_edge("长子县", "壶关县")


def test_matrix_and_evidence(corpus):
    m = A.matrix(corpus, "takesMeasure", "Measure")
    assert m.loc["壶关县", "应急演练"] >= 1
    ev = A.evidence(corpus, "长子县", "implements", "春夏九防·敲门行动")
    assert any("春夏九防·敲门行动" in e.text for e in ev)


def test_cities_and_centrality(corpus):
    df = A.by_city(corpus, "targets", "Industry")
    assert set(df["city"]) >= {"长治市", "太原市", "运城市"}
    c = A.centrality(corpus)
    assert set(c["type"]) <= {"Place", "Organization"} and c.iloc[0]["degree"] >= c.iloc[-1]["degree"]
    assert A.entities_per_type(corpus).loc["Place", "entities"] >= 50


def test_city_matrix_compares_cities(corpus):
    m = A.city_matrix(corpus, "targets", "Industry")
    assert {"太原市", "长治市", "运城市"} <= set(m.columns)
    assert m.loc["煤矿", "长治市"] >= 2  # 长子县 and 壶关县 at least
    totals = m.sum(axis=1).tolist()
    assert totals == sorted(totals, reverse=True)
    assert A.city_matrix(corpus, "implements", "Industry").empty


def test_heatmap_labels_rows_columns_and_cells(corpus):
    import matplotlib

    matplotlib.use("Agg")
    m = A.matrix(corpus, "takesMeasure", "Measure")
    ax = A.heatmap(m, "measures per county")
    assert [t.get_text() for t in ax.get_yticklabels()] == list(m.index)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(m.columns)
    assert len(ax.texts) == int((m.to_numpy() > 0).sum())
    assert ax.get_title() == "measures per county"


# -- Chinese labels in plots -------------------------------------------------------------------
GLYPH_WARNING = re.compile(r"Glyph \d+ .* missing from font")


def _cjk_font_files() -> list[str]:
    """What fontconfig says draws Chinese (the test's own look-up, not the code under test's)."""
    if shutil.which("fc-list") is None:
        return []
    out = subprocess.run(["fc-list", ":lang=zh", "--format", "%{file}\n"], capture_output=True, text=True)
    return sorted({line for line in out.stdout.splitlines() if line})


def _needs_cjk_font() -> list[str]:
    files = _cjk_font_files()
    if not files:
        missing_service("no font with Chinese glyphs (fc-list :lang=zh): .ci/install-browser.sh installs one")
    return files


def _draw_warnings(text: str) -> list[str]:
    """matplotlib's warnings while drawing ``text`` on a figure."""
    import matplotlib.pyplot as plt

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title(text)
        fig.canvas.draw()
        plt.close(fig)
    return [str(w.message) for w in caught]


@pytest.fixture
def stale_font_cache(monkeypatch):
    """matplotlib as after a CJK font was installed following its first import: the font is
    on the system but not in the font manager's list (its cache). rcParams restored after."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    files = set(_needs_cjk_font())
    fm = font_manager.fontManager
    monkeypatch.setattr(fm, "ttflist", [f for f in fm.ttflist if f.fname not in files])
    fm._findfont_cached.cache_clear()
    with matplotlib.rc_context():
        yield files
    fm._findfont_cached.cache_clear()


def test_use_cjk_font_finds_a_font_installed_after_the_cache(stale_font_cache):
    from matplotlib import font_manager, rcParams

    assert any(GLYPH_WARNING.match(w) for w in _draw_warnings("长子县应急管理局")), "the cache must be stale"
    name = A.use_cjk_font()
    assert name is not None and rcParams["font.sans-serif"][0] == name
    assert {f.fname for f in font_manager.fontManager.ttflist if f.name == name} <= stale_font_cache
    assert _draw_warnings("长子县应急管理局：“春夏九防·敲门行动”、（工贸）") == []
    assert A.use_cjk_font() == name and rcParams["font.sans-serif"].count(name) == 1


def test_use_cjk_font_takes_a_font_file(stale_font_cache, tmp_path):
    path = sorted(stale_font_cache)[0]
    assert A.covers_cjk(path)
    assert A.use_cjk_font(path) is not None
    assert _draw_warnings("壶关县") == []
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("长子县", encoding="utf-8")
    assert not A.covers_cjk(str(not_a_font))


def test_without_a_cjk_font_one_warning_names_the_fix(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    fm = font_manager.fontManager
    monkeypatch.setattr(fm, "ttflist", [f for f in fm.ttflist if not A.covers_cjk(f.fname)])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    monkeypatch.setattr(A, "_fontconfig_cjk_files", lambda: [])
    monkeypatch.setattr(A, "_warned_no_cjk_font", False)
    fm._findfont_cached.cache_clear()
    m = pd.DataFrame({"长治市": [1, 2], "太原市": [0, 3]}, index=["煤矿", "城镇燃气"])
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert A.use_cjk_font() is None
        for _ in range(2):
            A.heatmap(m, "县市").figure.canvas.draw()
        plt.close("all")
    fm._findfont_cached.cache_clear()
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1, messages
    assert "no font with Chinese glyphs" in messages[0] and "fonts-noto-cjk" in messages[0]


# -- the shared campaigns' projection ----------------------------------------------------------
def test_projection_edges_name_the_shared_campaigns(corpus):
    proj = A.campaign_projection(corpus)
    shared_df = A.shared_campaigns(corpus)
    implementers = {
        c: set(p.split("、")) for c, p in zip(shared_df["campaign"], shared_df["implemented by"], strict=True)
    }
    for u, v, d in proj.edges(data=True):
        assert d["weight"] == len(d["campaigns"]) >= 1
        assert all({u, v} <= implementers[c] for c in d["campaigns"])
    shared = {c for c, ps in implementers.items() if len(ps) > 1}
    assert {c for *_e, d in proj.edges(data=True) for c in d["campaigns"]} == shared
    assert set(proj) == set().union(*implementers.values())


def _box(t: Any, renderer: Any) -> Any:
    patch = t.get_bbox_patch()
    return (patch or t).get_window_extent(renderer)


def test_projection_drawing_shows_edges_and_legible_labels(corpus):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    _needs_cjk_font()
    proj = A.campaign_projection(corpus)
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = A.draw_projection(proj, "places that share a campaign")
        fig = ax.figure
        fig.canvas.draw()
        ARTIFACTS.mkdir(exist_ok=True)
        fig.savefig(ARTIFACTS / "notebook_shared_campaigns.png", dpi=100)
    assert not [w for w in caught if GLYPH_WARNING.match(str(w.message))]
    sharing = {n for n in proj if proj.degree(n)}
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    drawn = {frozenset(map(tuple, seg.round(6))) for seg in lines.get_segments()}
    assert len(drawn) == proj.number_of_edges() and min(lines.get_linewidths()) >= 1.5
    texts = [t for t in ax.texts if t.get_text()]
    node_labels = {t.get_text() for t in texts if t.get_text() in sharing}
    edge_labels = sorted(t.get_text() for t in texts if t.get_text() not in sharing)
    assert node_labels == sharing
    assert edge_labels == sorted("\n".join(d["campaigns"]) for *_e, d in proj.edges(data=True))
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), _box(t, renderer)) for t in texts]
    inside = fig.bbox
    for text, b in boxes:
        assert b.x0 >= inside.x0 and b.x1 <= inside.x1 and b.y0 >= inside.y0 and b.y1 <= inside.y1, text
        assert b.height >= 10, f"{text}: too small to read"
    for (t1, b1), (t2, b2) in combinations(boxes, 2):
        assert not b1.overlaps(b2), f"{t1!r} overlaps {t2!r}"
    plt.close(fig)


# -- cities side by side ------------------------------------------------------------------------
def test_heatmap_writes_shares_legibly():
    import matplotlib

    matplotlib.use("Agg")
    m = pd.DataFrame({"长治市": [0.5, 0.0], "太原市": [0.25, 1.0]}, index=["煤矿", "城镇燃气"])
    ax = A.heatmap(m, "per article", fmt="{:.0%}")
    assert {t.get_text(): t.get_color() for t in ax.texts} == {
        "50%": "black",
        "25%": "black",
        "100%": "white",
    }
    assert {t.get_rotation() for t in ax.get_xticklabels()} == {0.0}  # city names stand upright
    ax = A.heatmap(m.rename(columns={"长治市": "应急救援队伍建设"}))
    assert {t.get_text() for t in ax.texts} == {"0.5", "0.25", "1"}
    assert {t.get_rotation() for t in ax.get_xticklabels()} == {90.0}


def _place(name: str, adcode: str) -> Entity:
    return Entity("Place", name, attrs=(("adcode", adcode),))


def _rel(s: Entity, o: Entity, *articles: str) -> Relation:
    return Relation(
        s.id, "targets", o.id, tuple(Evidence("p.txt", a, i, i + 1, "x") for i, a in enumerate(articles))
    )


@pytest.fixture
def two_cities() -> Corpus:
    """Made up: 长治 has three articles (two report coal mines), 太原 two (one reports them)."""
    zhangzi, huguan, changzhi = (
        _place("长子县", "140428"),
        _place("壶关县", "140427"),
        _place("长治市", "140400"),
    )
    loufan = _place("娄烦县", "140123")
    coal, gas = Entity("Industry", "煤矿"), Entity("Industry", "城镇燃气")
    rels = [
        _rel(zhangzi, coal, "a#1", "a#3"),
        _rel(huguan, coal, "a#3"),
        _rel(loufan, coal, "b#1"),
        _rel(loufan, gas, "b#1"),
    ]
    c = Corpus()
    c.entities = {e.id: e for e in (zhangzi, huguan, changzhi, loufan, coal, gas)}
    c.relations = {r.key: r for r in rels}
    c.mentions = {
        changzhi.id: [MentionRef("p.txt", "a#2", 0, 3, "长治市")],
        loufan.id: [MentionRef("p.txt", "b#2", 0, 3, "娄烦县")],
        coal.id: [MentionRef("p.txt", "c#1", 0, 2, "煤矿")],  # not a place: counts for no city
    }
    return c


def test_city_articles_and_per_article_figures(two_cities):
    assert A.city_articles(two_cities).to_dict() == {"太原市": 2, "长治市": 3}
    by = A.by_city(two_cities, "targets", "Industry")
    assert {(r.city, r.object, r.places, r.articles) for r in by.itertuples()} == {
        ("长治市", "煤矿", 2, 2),
        ("太原市", "煤矿", 1, 1),
        ("太原市", "城镇燃气", 1, 1),
    }
    cities = ["长治市", "太原市"]
    places = A.city_matrix(two_cities, "targets", "Industry", cities=cities)
    assert list(places.columns) == cities and places.loc["煤矿"].tolist() == [2, 1]
    articles = A.city_matrix(two_cities, "targets", "Industry", values="articles", cities=cities)
    assert articles.loc["城镇燃气"].tolist() == [0, 1]
    share = A.city_matrix(two_cities, "targets", "Industry", values="per_article", cities=cities)
    assert share.loc["煤矿"].tolist() == pytest.approx([2 / 3, 1 / 2])
    assert share.loc["城镇燃气"].tolist() == pytest.approx([0.0, 1 / 2])
    assert A.city_matrix(two_cities, "targets", "Industry", cities=["运城市"]).empty
    with pytest.raises(ValueError, match="per_article"):
        A.city_matrix(two_cities, "targets", "Industry", values="share")


def test_per_article_figures_on_the_seeds(corpus):
    arts = A.city_articles(corpus)
    raw = A.city_matrix(corpus, "targets", "Industry", values="articles")
    share = A.city_matrix(corpus, "targets", "Industry", values="per_article")
    assert list(share.index) == list(raw.index) and list(share.columns) == list(raw.columns)
    assert ((share >= 0) & (share <= 1)).all().all()
    assert (share * arts[raw.columns]).round().astype(int).equals(raw)
