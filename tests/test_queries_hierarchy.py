"""Named queries that roll up the two hierarchies: county → city → province, term → broader term.

Each runs through the command line on a build of the seeds (``kg query OUT name -p …
-f csv``) and is compared, as an exact set of rows, with the same answer computed here
in Python from the build's corpus: kg:locatedIn walked transitively from the relations,
skos:broader from the vocabulary files. The views' roll-ups (kg.export.views.data) must give
the same sets.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from kg.corpus import Corpus

from .conftest import ROOT

ROLLED = ("implements", "targets", "adopts", "takesMeasure")
TARGET_TYPES = ("Industry", "Venue", "Hazard")


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hierarchy") / "out"
    p = kg("build", str(ROOT / "seeds"), "-o", str(folder), "-q", "--no-views")
    assert p.returncode == 0, p.stderr
    return folder


@pytest.fixture(scope="module")
def corpus(out: Path) -> Corpus:
    import kg as kg_api

    return kg_api.load(out).corpus


def query(out: Path, name: str, **params: str) -> list[dict[str, str]]:
    args = ["query", str(out), name, "-f", "csv"]
    for k, v in params.items():
        args += ["-p", f"{k}={v}"]
    p = kg(*args)
    assert p.returncode == 0, p.stderr
    return list(csv.DictReader(io.StringIO(p.stdout)))


# -- the answers, computed from the corpus ------------------------------------------------------


def inside(corpus: Corpus, place: str) -> set[str]:
    """The place and every entity located in it, directly or not (kg:locatedIn*)."""
    down: dict[str, set[str]] = {}
    for r in corpus.relations.values():
        if r.p == "locatedIn":
            down.setdefault(r.o, set()).add(r.s)
    found = {f"Place:{place}"}
    todo = list(found)
    while todo:
        for x in down.get(todo.pop(), ()):
            if x not in found:
                found.add(x)
                todo.append(x)
    return found


def under(corpus: Corpus, term: str) -> set[str]:
    """The corpus's terms that are the concept named ``term`` (name or alias) or narrower."""
    from kg.nlp import vocab

    voc = vocab.load()
    tops = {t.iri for t in voc.terms.values() if term == t.name or term in voc.aliases(t)}
    assert tops, term
    narrower: dict[str, set[str]] = {}
    for t in voc.terms.values():
        for b in t.broader:
            narrower.setdefault(b, set()).add(t.iri)
    closure = set(tops)
    todo = list(tops)
    while todo:
        for n in narrower.get(todo.pop(), ()):
            if n not in closure:
                closure.add(n)
                todo.append(n)
    out = set()
    for e in corpus.entities.values():
        t = voc.by_name.get((e.type, e.name))
        if (t.iri if t else e.attr("iri")) in closure:
            out.add(e.id)
    return out


def name(eid: str) -> str:
    return eid.partition(":")[2]


def kind(eid: str) -> str:
    return eid.partition(":")[0]


def rows(records: Iterable[dict[str, str]], *cols: str) -> set[tuple[str, ...]]:
    return {tuple(r[c] for c in cols) for r in records}


# -- county → city → province -------------------------------------------------------------------


@pytest.mark.parametrize("place", ["长治市", "太原市", "山西省", "壶关县"])
def test_work_within_place(out: Path, corpus: Corpus, place: str) -> None:
    members = inside(corpus, place)
    actors: dict[tuple[str, str], set[str]] = {}
    for r in corpus.relations.values():
        if r.p in ROLLED and r.s in members:
            actors.setdefault((r.p, name(r.o)), set()).add(name(r.s))
    expected = {(p, o, str(len(a)), frozenset(a)) for (p, o), a in actors.items()}
    got = {
        (r["predicate"], r["object"], r["actors"], frozenset(r["names"].split("、")))
        for r in query(out, "work-within-place", place=place)
    }
    assert got == expected
    assert expected  # every one of these places does something


def test_campaigns_within_a_city_include_its_counties(out: Path, corpus: Corpus) -> None:
    members = inside(corpus, "长治市")
    expected = {
        (name(r.o), name(r.s), kind(r.s), str(len(r.evidence)))
        for r in corpus.relations.values()
        if r.p == "implements" and r.s in members and kind(r.s) in ("Place", "Organization")
    }
    got = query(out, "campaigns-within-place", place="长治市")
    assert rows(got, "campaign", "actor", "type", "evidence") == expected
    # the city itself implements none of the 春夏九防 campaign; three of its counties do
    knock = {r["actor"] for r in got if r["campaign"] == "春夏九防·敲门行动"}
    assert knock == {"长子县", "壶关县", "屯留区"}
    assert not [
        r
        for r in query(out, "campaigns-within-place", place="运城市")
        if r["campaign"] == "春夏九防·敲门行动"
    ]


def test_targets_within_place(out: Path, corpus: Corpus) -> None:
    members = inside(corpus, "太原市")
    expected = {
        (kind(r.o), name(r.o), name(r.s), str(len(r.evidence)))
        for r in corpus.relations.values()
        if r.p == "targets" and r.s in members and kind(r.o) in TARGET_TYPES
    }
    got = rows(query(out, "targets-within-place", place="太原市"), "kind", "target", "actor", "evidence")
    assert got == expected
    assert {a for _k, _t, a, _n in got} - {"太原市"}  # its counties and bodies are in


# -- term → broader term --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "alias", "narrower"),
    [
        ("火灾", "火灾事故", True),
        ("矿山", None, True),
        ("隐患排查整治", None, False),
    ],  # a measure: takesMeasure
)
def test_targets_under_term(out: Path, corpus: Corpus, term: str, alias: str | None, narrower: bool) -> None:
    terms = under(corpus, term)
    expected = {
        (name(r.s), kind(r.s), name(r.o), str(len(r.evidence)))
        for r in corpus.relations.values()
        if r.p in ("targets", "takesMeasure") and r.o in terms
    }
    got = rows(query(out, "targets-under-term", term=term), "actor", "type", "target", "evidence")
    assert got == expected
    assert got and bool({t for _a, _k, t, _n in got} - {term}) == narrower  # narrower terms found
    if alias:  # the term named by one of its aliases gives the same rows
        assert (
            rows(query(out, "targets-under-term", term=alias), "actor", "type", "target", "evidence") == got
        )


@pytest.mark.parametrize(("place", "term"), [("长治市", "火灾"), ("太原市", "自然灾害"), ("山西省", "矿山")])
def test_place_targets_under_term(out: Path, corpus: Corpus, place: str, term: str) -> None:
    members, terms = inside(corpus, place), under(corpus, term)
    expected = {
        (name(r.s), name(r.o), str(len(r.evidence)))
        for r in corpus.relations.values()
        if r.p == "targets" and r.s in members and r.o in terms
    }
    got = rows(query(out, "place-targets-under-term", place=place, term=term), "actor", "target", "evidence")
    assert got == expected and got


def test_place_targets_under_term_follows_both_hierarchies(out: Path) -> None:
    got = rows(query(out, "place-targets-under-term", place="长治市", term="火灾"), "actor", "target")
    assert ("屯留区", "森林火灾") in got  # a county of the city, a narrower term of 火灾


# -- the views say the same -----------------------------------------------------------------------


def test_views_roll_up_as_the_queries_do(out: Path, corpus: Corpus) -> None:
    from kg.export.views.data import ViewIndex

    ix = ViewIndex.build(corpus)
    for place in ("长治市", "太原市"):
        view = {
            (p, ix.entity(o).name, frozenset(ix.entity(r.s).name for r in rels))
            for p in ROLLED
            for o, rels in ix.rolled_up(f"Place:{place}", p)
        }
        got = {
            (r["predicate"], r["object"], frozenset(r["names"].split("、")))
            for r in query(out, "work-within-place", place=place)
        }
        assert view == got, place
    view_terms = {
        (ix.entity(a).name, ix.entity(r.o).name)
        for a, rels in ix.under("Hazard:火灾", "targets")
        for r in rels
    }
    assert view_terms == rows(query(out, "targets-under-term", term="火灾"), "actor", "target")
