"""The corpus merged page by page: relations' evidence united, sorted and without duplicates,
whatever order the pages come in."""

from __future__ import annotations

import itertools

import pytest

from kg.corpus import Corpus, merge_evidence
from kg.model import Entity, Evidence, FileResult, Relation, SourceText


def ev(source: str, start: int, end: int, text: str = "") -> Evidence:
    return Evidence(source, f"{source}#1", start, end, text or f"{source}:{start}")


# (evidence merged so far, evidence of the next page)
MERGES = [
    ([ev("a", 0, 5)], [ev("b", 0, 5)]),  # a later page: appended
    ([ev("a", 0, 5), ev("a", 9, 12)], [ev("b", 7, 9), ev("b", 1, 3)]),  # unsorted within the page
    ([ev("a", 0, 5)], [ev("b", 1, 3), ev("b", 1, 3, "again")]),  # a duplicate in the page: first kept
    ([ev("b", 0, 5)], [ev("a", 1, 3)]),  # an earlier page: sorted in
    ([ev("a", 0, 5), ev("c", 2, 4)], [ev("b", 1, 3)]),  # between two: sorted in
    ([ev("a", 0, 5)], [ev("a", 0, 5, "other text")]),  # the same span: the first kept
    ([ev("a", 0, 5)], [ev("a", 6, 8)]),  # the same page, after: appended
    ([ev("a", 0, 5)], []),
]


@pytest.mark.parametrize(("merged", "page"), MERGES)
def test_merging_at_once_gives_what_merging_span_by_span_gives(
    merged: list[Evidence], page: list[Evidence]
) -> None:
    """Corpus.settle merges a relation's later evidence at once; Corpus.add, one page at a time."""
    full = merge_evidence(merged, page)
    one_by_one = tuple(merged)
    for e in page:
        one_by_one = merge_evidence(one_by_one, [e])
    assert one_by_one == full
    keys = [(e.source, e.start, e.end) for e in full]
    assert keys == sorted(set(keys))


def page(name: str, spans: list[tuple[int, int]]) -> FileResult:
    src = SourceText(name, name, "县应急管理局开展安全生产大检查。" * 4, "utf-8", "txt")
    ents = (Entity("Organization", "县应急管理局"), Entity("Campaign", "安全生产大检查"))
    evs = tuple(Evidence(name, f"{name}#1", s, e, src.text[s:e]) for s, e in spans)
    rel = Relation(ents[0].id, "organizes", ents[1].id, evs)
    return FileResult(source=src, home=None, articles=(), mentions=(), entities=ents, relations=(rel,))


PAGES = [page("p1.txt", [(16, 32), (0, 16)]), page("p2.txt", [(0, 16)]), page("p3.txt", [(32, 48), (0, 16)])]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_relation_on_several_pages_has_its_evidence_in_one_order(order: tuple[int, ...]) -> None:
    for lean, defer in ((False, False), (True, False), (True, True)):
        c = Corpus(lean=lean, defer=defer)
        for i in order:
            c.add(PAGES[i])
        if defer:  # a build's corpus: later pages' evidence is folded in once, at the end
            assert len(c.relations[next(iter(c.relations))].evidence) == len(
                PAGES[order[0]].relations[0].evidence
            )
            c.settle()
        (rel,) = c.relations.values()
        assert [(e.source, e.start) for e in rel.evidence] == [
            ("p1.txt", 0),
            ("p1.txt", 16),
            ("p2.txt", 0),
            ("p3.txt", 0),
            ("p3.txt", 32),
        ]


def test_a_page_result_sent_between_processes_is_the_same() -> None:
    """Workers send results back pickled (Evidence pickles as its fields)."""
    import copy
    import pickle

    for r in PAGES:
        assert pickle.loads(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)) == r
        assert copy.deepcopy(r) == r
