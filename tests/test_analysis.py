"""Analysts' questions over the seeds' corpus."""

from __future__ import annotations

import pytest

from kg import analysis as A
from kg.corpus import Corpus
from kg.pipeline import extract_paths

from ._util import ROOT


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
