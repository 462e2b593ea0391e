"""kg.extract (the registry and Context), kg.extract.common and kg.extract.spans."""

from __future__ import annotations

import pytest

from kg.extract import DEFAULT_ORDER, get, names
from kg.extract.common import at_delim, cjk_run_start, coordinated_neighbors, is_delim
from kg.extract.spans import SpanIndex

from ._util import context


def test_every_extractor_of_the_order_is_registered() -> None:
    assert set(DEFAULT_ORDER) == set(names())
    with pytest.raises(KeyError, match="unknown extractor 'nope'"):
        get("nope")


def test_context_collects_mentions_of_the_extractors_that_ran() -> None:
    ctx = context("市应急管理局会同黎城县应急管理局开展检查。", "长治市")
    assert list(ctx.found) == list(DEFAULT_ORDER)
    assert {m.name for m in ctx.mentions("Organization")} == {"长治市应急管理局", "黎城县应急管理局"}
    assert {m.type for m in ctx.mentions()} >= {"Organization", "Place"}
    m = ctx.mention(3, 6, "Measure", "x", "test", via=None, label="alt")  # None: no attribute
    assert (m.text, m.attrs) == ("管理局", (("label", "alt"),))


@pytest.mark.parametrize(
    ("ch", "want"), [("，", True), (" ", True), ("a", False), ("县", False), ("😀", True)]
)
def test_is_delim(ch: str, want: bool) -> None:
    assert is_delim(ch) is want


def test_at_delim() -> None:
    text = "会上，市应急管理局和市水务局发言"
    assert at_delim(text, 0)
    assert at_delim(text, 3)  # after ，
    assert not at_delim(text, 4)
    assert at_delim(text, 10, stop_words=("和",))


def test_cjk_run_start_stops_at_non_cjk_and_at_the_limit() -> None:
    text = "2025年安全生产"
    assert cjk_run_start(text, len(text), 10) == 4
    assert cjk_run_start(text, len(text), 3) == len(text) - 3


def test_coordinated_neighbors() -> None:
    text = "煤矿、危化品和燃气等"
    s = text.index("危化品")
    assert coordinated_neighbors(text, s, s + 3) == (s - 1, s + 4)
    assert coordinated_neighbors(text, 0, 2) == (-1, 3)
    e = text.index("燃气") + 2
    assert coordinated_neighbors(text, e - 2, e) == (e - 3, e + 1)  # 等 closes a list


def test_span_index_answers_like_a_scan() -> None:
    spans = [(0, 4, "a"), (2, 3, "b"), (3, 8, "c"), (10, 12, "d"), (3, 8, "e")]
    ix = SpanIndex(spans)
    assert len(ix) == 5
    for s in range(0, 13):
        for e in range(s + 1, 14):
            assert sorted(x[2] for x in ix.overlapping(s, e)) == sorted(
                it for a, b, it in spans if b > s and a < e
            )
            assert sorted(x[2] for x in ix.containing(s, e)) == sorted(
                it for a, b, it in spans if a <= s and e <= b
            )
            assert ix.any_containing(s, e, strict=True) == any(
                a <= s and e <= b and (a, b) != (s, e) for a, b, _ in spans
            )
    assert ix.starting_at(3) == ["c", "e"] and ix.ending_at(3) == ["b"] and ix.starting_at(5) == []
    assert not SpanIndex([]).any_overlap(0, 100)
