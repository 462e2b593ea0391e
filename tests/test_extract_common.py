"""kg.extract (the registry and Context), kg.extract.common and kg.extract.spans."""

from __future__ import annotations

import re

import pytest

from kg import rules
from kg.extract import DEFAULT_ORDER, get, names
from kg.extract.common import Words, WordStarts, at_delim, cjk_run_start, coordinated_neighbors, is_delim
from kg.extract.spans import SpanIndex

from ._util import SEEDS, context


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


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))


@pytest.mark.parametrize(
    ("words", "text", "expected"),
    [
        # the longest word at the leftmost position, then on after it (no overlaps)
        (
            ["应急", "应急管理局", "管理局", "局长"],
            "市应急管理局局长说",
            [(1, 6, "应急管理局"), (6, 8, "局长")],
        ),
        (["县长", "副县长", "长"], "副县长王强、县长", [(0, 3, "副县长"), (6, 8, "县长")]),
        (["书记", "记者"], "书记者", [(0, 2, "书记")]),
        (["局"], "没有", []),
    ],
)
def test_words_leftmost_longest(words: list[str], text: str, expected: list[tuple[int, int, str]]) -> None:
    assert Words(words).finditer(text) == expected


@pytest.mark.parametrize(
    "words",
    [
        [*rules.load("persons")["posts"], *rules.load("persons")["roles"]],
        [*rules.load("orgs")["strong_heads"], *rules.load("orgs")["weak_heads"]],
    ],
    ids=["posts", "heads"],
)
def test_words_match_the_alternation_on_the_seeds(words: list[str]) -> None:
    """The page-wide scans of posts and heads find exactly what the regex did."""
    pattern = _alternation(words)
    scanner = Words(words)
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        expected = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
        assert expected, path.name
        assert scanner.finditer(text) == expected, path.name


@pytest.mark.parametrize(
    ("words", "text", "expected"),
    [
        # every start, the longest word there, overlaps allowed
        (["由", "由于", "于", "联合"], "由于联合", [(0, "由于"), (1, "于"), (2, "联合")]),
        (["和", "及"], "应急局和消防及", [(3, "和"), (6, "及")]),
        (["会同"], "没有", []),
    ],
)
def test_word_starts(words: list[str], text: str, expected: list[tuple[int, str]]) -> None:
    assert WordStarts(words).finditer(text) == expected


def test_word_starts_match_the_lookahead_on_the_seeds() -> None:
    """The left-edge scan for stop words (kg.extract.orgs) finds what the lookahead did."""
    conf = rules.load("orgs")
    words = [*conf["left_stop_words"], *conf["names"]["region_words"]]
    pattern = re.compile("(?=(" + "|".join(map(re.escape, sorted(set(words), key=len, reverse=True))) + "))")
    scanner = WordStarts(words)
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        expected = [(m.start(), m.group(1)) for m in pattern.finditer(text)]
        assert expected, path.name
        assert scanner.finditer(text) == expected, path.name


def test_scanners_read_a_lone_surrogate_as_a_character_of_its_own() -> None:
    """Only the Python API can pass a lone surrogate; the automata read UTF-8, and the
    offsets stay those of the text."""
    text = "\ud800副县长王强、\udc80县长"
    assert Words(["副县长", "县长"]).finditer(text) == [(1, 4, "副县长"), (8, 10, "县长")]
    assert WordStarts(["县长", "长"]).finditer(text) == [(2, "县长"), (3, "长"), (8, "县长"), (9, "长")]
