"""The notebooks as an analyst runs them, and what each cell shows.

The notebooks hold no assertions (an analyst reads them); the checks are here. Each notebook
runs once, top to bottom, in a Jupyter kernel (nbclient) whose matplotlib font cache was built
before the CJK font was installed, the README's order of steps (`pip install`, first import
of matplotlib, then the font): the plots must still draw every Chinese label (no "Glyph …
missing from font" warning). A last cell, added here and never saved, hands the variables the
checks need back to the test as a pickle.
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from kg.analysis import CJK_FONTS

from ._util import ROOT, missing_service

NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "tests" / "_artifacts"
# matplotlib's warnings for a missing glyph or font, and use_cjk_font's when it finds none
GLYPH_WARNING = re.compile(
    r"Glyph \d+ .*? missing from font|findfont: Font family .* not found|has no Chinese glyphs|"
    r"no font with Chinese glyphs"
)


def _cjk_font_files() -> list[str]:
    """What fontconfig says draws Chinese (the test's own look-up, not the code under test's)."""
    if shutil.which("fc-list") is None:
        return []
    out = subprocess.run(["fc-list", ":lang=zh", "--format", "%{file}\n"], capture_output=True, text=True)
    return sorted({line for line in out.stdout.splitlines() if line})


@pytest.fixture(scope="module")
def stale_mplconfig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MPLCONFIGDIR whose font cache predates the CJK font: built by a first import of
    matplotlib, then stripped of the fonts fontconfig lists for Chinese (what a cache built
    before `apt install fonts-wqy-microhei` holds). Nothing is installed or removed."""
    files = set(_cjk_font_files())
    if not files:
        missing_service("no font with Chinese glyphs (fc-list :lang=zh): .ci/install-browser.sh installs one")
    config = tmp_path_factory.mktemp("mplconfig")
    env = {**os.environ, "MPLCONFIGDIR": str(config)}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True)
    (cache,) = config.glob("fontlist-*.json")
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["ttflist"] = [f for f in data["ttflist"] if f["fname"] not in files]
    cache.write_text(json.dumps(data), encoding="utf-8")
    return config


def _warnings_in(code: str, config: Path) -> list[str]:
    """The missing-glyph warnings a fresh Python prints running ``code`` with that config."""
    env = {**os.environ, "MPLCONFIGDIR": str(config), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return GLYPH_WARNING.findall(done.stderr)


DRAW = """
import matplotlib.pyplot as plt
{setup}
fig, ax = plt.subplots()
ax.set_title("长子县应急管理局")
fig.canvas.draw()
"""


def test_the_stale_cache_loses_chinese_and_use_cjk_font_finds_it(stale_mplconfig: Path) -> None:
    assert _warnings_in(DRAW.format(setup=""), stale_mplconfig), "the cache must not know the CJK font"
    setup = "from kg.analysis import use_cjk_font; assert use_cjk_font()"
    assert _warnings_in(DRAW.format(setup=setup), stale_mplconfig) == []


def _run(name: str, config: Path, values: dict[str, str], tmp: Path) -> tuple[Any, dict[str, Any]]:
    """Execute a notebook in a kernel using ``config`` as MPLCONFIGDIR; return the executed
    notebook (without the probe cell) and the values of ``values``' expressions."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    dump = tmp / "values.pickle"
    probe = textwrap.dedent(
        f"""
        import pickle as _pickle
        with open({str(dump)!r}, "wb") as _f:
            _pickle.dump({{_k: eval(_e) for _k, _e in {values!r}.items()}}, _f)
        """
    )
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute(env={**os.environ, "MPLCONFIGDIR": str(config)})
    nb.cells.pop()
    with dump.open("rb") as f:
        return nb, pickle.load(f)


def _streams(nb: Any) -> str:
    return "".join(
        o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "stream"
    )


def _shown(nb: Any, cell_id: str) -> str:
    """What a cell shows: its outputs' plain text and HTML."""
    (cell,) = [c for c in nb.cells if c.get("id") == cell_id]
    parts = []
    for o in cell.get("outputs", []):
        data = o.get("data", {})
        parts += [data.get("text/plain", ""), data.get("text/html", ""), o.get("text", "")]
    return "\n".join(parts)


def _figures(nb: Any, stem: str) -> list[str]:
    """The ids of the cells that drew a figure; the PNGs are saved to tests/_artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    ids = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            png = o.get("data", {}).get("image/png")
            if png:
                ids.append(c["id"])
                (ARTIFACTS / f"notebook_{stem}_{c['id']}.png").write_bytes(base64.b64decode(png))
    return ids


EXPLORE_VALUES = {
    "font": "font",
    "per_type": "per_type",
    "zhangzi_type": "zhangzi.type",
    "zhangzi_adcode": "zhangzi.attributes['adcode']",
    "profile": "zhangzi.profile",
    "predicates": "set(rels['predicate'])",
    "shared": "shared",
    "proj_edges": "sorted(proj.edges(data=True))",
    "shared_pairs": "shared_pairs",
    "central": "central",
    "pairs": "pairs",
    "measures": "measures",
    "places": "places",
    "targets": "targets",
    "docs": "docs",
    "sentences": "sentences",
    "edge_evidence": "edge_evidence",
    "article_page": "article.page",
    "view_html": "view._repr_html_()",
    "view_page": "view.page",
}


@pytest.fixture(scope="module")
def explore(stale_mplconfig: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    return _run("explore.ipynb", stale_mplconfig, EXPLORE_VALUES, tmp_path_factory.mktemp("explore"))


def test_explore_draws_chinese_without_missing_glyphs(explore: tuple[Any, dict[str, Any]]) -> None:
    nb, v = explore
    assert v["font"] in CJK_FONTS
    assert not GLYPH_WARNING.findall(_streams(nb))
    # entities per type, the shared campaigns' projection, measures per county
    assert _figures(nb, "explore") == ["bc2c43d7", "2e62b0d2", "874b5726"]


def test_explore_cells_show_what_they_say(explore: tuple[Any, dict[str, Any]]) -> None:
    nb, v = explore
    per_type = v["per_type"]
    assert list(per_type.index) == [
        "Place", "Organization", "Industry", "Venue", "Hazard",
        "Campaign", "Mechanism", "Measure", "Document", "Person",
    ]  # fmt: skip
    assert (per_type["entities"] > 0).all(), "every type occurs in the seeds"
    assert v["zhangzi_type"] == "Place" and v["zhangzi_adcode"].startswith("1404")
    assert "春夏九防·敲门行动" in v["profile"]["implements"]
    assert {"煤矿", "危险化学品"} <= set(v["profile"]["targets"])
    assert "春夏九防·敲门行动" in _shown(nb, "bfa29747")
    assert v["predicates"] >= {"implements", "targets", "takesMeasure", "locatedIn"}

    top = v["shared"].iloc[0]
    assert top["campaign"] == "春夏九防·敲门行动" and top["places"] >= 3
    edges = {frozenset((a, b)): d for a, b, d in v["proj_edges"]}
    assert "春夏九防·敲门行动" in edges[frozenset(("长子县", "屯留区"))]["campaigns"]
    assert frozenset(("屯留区", "壶关县")) in edges
    pairs = v["shared_pairs"]
    assert {frozenset(p) for p in zip(pairs["place"], pairs["with"], strict=True)} == set(edges)
    assert "春夏九防·敲门行动" in _shown(nb, "3d7a61c2")

    central = v["central"]
    assert set(central["type"]) <= {"Place", "Organization"}
    assert central["degree"].is_monotonic_decreasing
    assert set(central["entity"].head(3)) == {"长治市", "运城市", "太原市"}, "the three home cities lead"
    pairs = v["pairs"]
    assert frozenset(("危险化学品", "煤矿")) in {
        frozenset(p) for p in zip(pairs["first"], pairs["second"], strict=True)
    }
    assert v["measures"].loc["长子县", "隐患排查整治"] > 0

    assert set(v["places"]["place"]) == {"长子县", "屯留区", "壶关县"}
    targets = v["targets"]
    assert {"county", "target"} <= set(targets.columns)
    assert ((targets["county"] == "长子县") & (targets["target"] == "煤矿")).any()
    assert len(v["docs"]) > 0 and v["docs"]["issuers"].dtype.kind == "i"

    assert v["sentences"] and all("春夏九防" in s for s in v["sentences"])
    assert len(v["edge_evidence"]) >= 1 and "春夏九防" in _shown(nb, "6c0e9b4a")
    first = v["sentences"][0]
    assert f'data-target="ev-{first.start}-{first.end}"' in v["article_page"] and first in v["article_page"]
    assert "<iframe" in v["view_html"] and "春夏九防·敲门行动" in v["view_page"]


COMPARE_VALUES = {
    "font": "font",
    "CITIES": "CITIES",
    "counties": "counties",
    "articles": "articles",
    "targets": "targets",
    "targets_share": "targets_share",
    "venues": "venues",
    "venues_share": "venues_share",
    "per_city": "per_city",
    "measures": "measures",
    "measures_share": "measures_share",
    "campaigns": "campaigns",
    "unique": "unique",
    "summary": "summary",
    "per_city_sparql": "per_city_sparql",
}


@pytest.fixture(scope="module")
def compare(stale_mplconfig: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    return _run("compare_cities.ipynb", stale_mplconfig, COMPARE_VALUES, tmp_path_factory.mktemp("compare"))


def test_compare_cities_draws_chinese_without_missing_glyphs(compare: tuple[Any, dict[str, Any]]) -> None:
    nb, v = compare
    assert v["font"] in CJK_FONTS
    assert not GLYPH_WARNING.findall(_streams(nb))
    assert _figures(nb, "compare_cities") == ["eeda22eb", "e479b5c4"]  # targets, measures


def test_compare_cities_shows_raw_and_per_article_figures(compare: tuple[Any, dict[str, Any]]) -> None:
    nb, v = compare
    cities = v["CITIES"]
    assert set(cities) == {"太原市", "长治市", "运城市"}
    assert "长子县" in v["counties"]["长治市"] and "娄烦县" in v["counties"]["太原市"]
    articles = v["articles"]
    assert list(articles.index) == cities and (articles > 0).all()
    for raw, share in [
        ("targets", "targets_share"),
        ("venues", "venues_share"),
        ("measures", "measures_share"),
    ]:
        counts, per_article = v[raw], v[share]
        assert list(counts.columns) == cities and list(per_article.columns) == cities
        assert list(per_article.index) == list(counts.index)
        assert ((per_article >= 0) & (per_article <= 1)).all().all()
        assert (per_article * articles).round().astype(int).equals(counts)
        assert (counts.max() <= articles).all()
    assert v["targets"].loc["煤矿", "长治市"] > 0
    assert "隐患排查整治" in v["measures"].index
    assert not v["venues"].empty
    per_city = v["per_city"]
    assert per_city.get("长治市", 0) > 0 and per_city.get("运城市", 0) > 0
    shown = _shown(nb, "4f9e1fc8")
    assert "per article" in shown and "mechanisms adopted" in shown

    campaigns = v["campaigns"]
    assert ((campaigns["city"] == "长治市") & (campaigns["object"] == "春夏九防·敲门行动")).any()
    assert (campaigns["articles"] >= 1).all()
    unique = v["unique"]
    for city, objs in unique.groupby("city")["object"]:
        others = set(unique[unique["city"] != city]["object"])
        assert not set(objs) & others, f"{city}: an object listed as unique is shared"
    assert "春夏九防·敲门行动" in v["summary"].loc["长治市", "implements"]
    assert len(v["per_city_sparql"]) > 0
