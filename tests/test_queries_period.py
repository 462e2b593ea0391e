"""Named queries by period: campaigns started in a quarter, places active on a hazard in a season.

The seeds print no dates: they are built with a manifest that gives each page a made-up date
(``kg build --manifest``), then each query runs through the command line (``kg query OUT name
-p … -f csv``) and is compared, as an exact set of rows, with the same answer computed here in
Python from the build's corpus (kg.load): its articles' dates, mentions and relations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.corpus import Corpus

from .conftest import ROOT
from .test_queries_hierarchy import kg, name, query, rows, under

#: made-up dates, on or after the pages' datelines (3月30日 …): two pages in the first quarter of
#: 2025, two in the third, one in the first of 2024
DATES = {
    "000_4e3880340467b246.txt": "2025-03-31",
    "001_d2c72f4bb6994c11.txt": "2025-03-26",
    "002_033e0ef667b44769.txt": "2024-03-06",
    "003_e8e721f501eb0ebe.txt": "2025-07-19",
    "004_62080bcc380399cf.txt": "2025-07-08",
}
#: the quarters in which some campaign is first named
STARTS = {(2025, 1), (2025, 3), (2024, 1)}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("period")
    manifest = base / "pages.csv"
    manifest.write_text("file,date\n" + "".join(f"{f},{d}\n" for f, d in DATES.items()), encoding="utf-8")
    p = kg(
        "build", str(ROOT / "seeds"), "-o", str(base / "out"), "-q", "--no-views", "--manifest", str(manifest)
    )
    assert p.returncode == 0, p.stderr
    return base / "out"


@pytest.fixture(scope="module")
def corpus(out: Path) -> Corpus:
    import kg as kg_api

    return kg_api.load(out).corpus


def full_date(corpus: Corpus, aid: str) -> str | None:
    d = corpus.articles[aid].date
    return d if d and len(d) == 10 and d[4] == "-" else None


def test_articles_carry_full_dates(corpus: Corpus) -> None:
    """A dateline's month and day (3月30日) take the page's year; the others the page's date."""
    for a in corpus.articles.values():
        assert a.date is not None and full_date(corpus, a.id), a.id
        assert a.date[:4] == DATES[a.source][:4], a.id
    assert {a.date for a in corpus.articles.values()} - set(DATES.values())  # datelines were read


@pytest.mark.parametrize(("year", "quarter"), [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2024, 1)])
def test_campaigns_started_in_quarter(out: Path, corpus: Corpus, year: int, quarter: int) -> None:
    expected = set()
    for eid, refs in corpus.mentions.items():
        if not eid.startswith("Campaign:"):
            continue
        arts = {m.article for m in refs if full_date(corpus, m.article)}
        if not arts:
            continue
        dates = sorted(full_date(corpus, a) or "" for a in arts)
        first = dates[0]
        if int(first[:4]) == year and (int(first[5:7]) + 2) // 3 == quarter:
            expected.add((name(eid), first, dates[-1], str(len(arts))))
    got = query(out, "campaigns-started-in-quarter", year=str(year), quarter=str(quarter))
    assert rows(got, "campaign", "started", "last", "articles") == expected
    assert [r["started"] for r in got] == sorted(r["started"] for r in got)
    assert bool(expected) == ((year, quarter) in STARTS)


def test_a_campaign_named_again_later_started_at_its_first_article(out: Path) -> None:
    """治本攻坚三年行动 is named on page 001 (Q1) and again on page 003 (Q3): it started in Q1."""
    q1 = {r["campaign"]: r for r in query(out, "campaigns-started-in-quarter", year="2025", quarter="1")}
    q3 = {r["campaign"] for r in query(out, "campaigns-started-in-quarter", year="2025", quarter="3")}
    assert q1["治本攻坚三年行动"]["last"][:7] == "2025-07" and "治本攻坚三年行动" not in q3
    assert "春夏九防·敲门行动" in q3  # page 004's


@pytest.mark.parametrize(
    ("hazard", "params", "some"),
    [
        ("洪涝", {}, True),  # the defaults: 2025's flood season, June to September
        ("洪水", {}, True),  # an alias names the same concept
        ("洪涝", {"from_month": "1", "to_month": "6"}, False),  # none before July
        ("自然灾害", {"from_month": "3", "to_month": "7"}, True),
        ("火灾", {"year": "2024", "from_month": "1", "to_month": "12"}, True),
        ("火灾", {"year": "2024", "from_month": "4", "to_month": "12"}, False),
    ],
)  # fmt: skip
def test_places_active_in_season(
    out: Path, corpus: Corpus, hazard: str, params: dict[str, str], some: bool
) -> None:
    year = int(params.get("year", 2025))
    months = range(int(params.get("from_month", 6)), int(params.get("to_month", 9)) + 1)
    terms = under(corpus, hazard)
    found: dict[tuple[str, str], tuple[set[tuple[str, int, int]], list[str]]] = {}
    for r in corpus.relations.values():
        if r.p != "targets" or not r.s.startswith("Place:") or r.o not in terms:
            continue
        for ev in r.evidence:
            d = full_date(corpus, ev.article)
            if d and int(d[:4]) == year and int(d[5:7]) in months:
                spans, dates = found.setdefault((name(r.s), name(r.o)), (set(), []))
                spans.add((ev.source, ev.start, ev.end))
                dates.append(d)
    expected = {(p, t, str(len(s)), min(d), max(d)) for (p, t), (s, d) in found.items()}
    got = query(out, "places-active-in-season", hazard=hazard, **params)
    assert rows(got, "place", "target", "evidence", "first", "last") == expected
    assert bool(expected) == some, expected


def test_flood_season_finds_the_counties_and_narrower_terms(out: Path) -> None:
    got = rows(query(out, "places-active-in-season"), "place", "target")
    assert {p for p, _t in got} >= {"壶关县", "屯留区", "潞城区"}
    assert {t for _p, t in got} >= {"山洪", "城市内涝"}  # narrower than 洪涝


@pytest.mark.parametrize(
    ("query_name", "params"),
    [("campaigns-started-in-quarter", {"quarter": "1"}), ("places-active-in-season", {})],
)
def test_both_engines_give_the_same_rows(out: Path, query_name: str, params: dict[str, str]) -> None:
    """xsd:date functions (year, month, min) read the same in Oxigraph and rdflib (one case each)."""
    from kg.export.sparql.child import call_with_timeout
    from kg.export.sparql.engine import Target
    from kg.export.sparql.named import bind, named_queries
    from kg.export.sparql.results import display

    text = bind(named_queries()[query_name], params)
    ox = Target(out, "oxigraph").load().execute(text)
    rd = call_with_timeout(lambda: Target(out, "rdflib").load().execute(text), 120)
    assert ox.vars == rd.vars
    assert [[display(c) for c in row] for row in ox.rows] == [[display(c) for c in row] for row in rd.rows]
    assert ox.rows
