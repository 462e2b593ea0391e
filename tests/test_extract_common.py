"""Helpers shared by extractors: the word scanners find what regex alternations find."""

from __future__ import annotations

import re

import pytest

from kg import rules
from kg.extract.common import Words, WordStarts

from ._util import SEEDS


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
