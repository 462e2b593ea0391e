"""Helpers shared by extractors: delimiters, left boundaries, list coordination."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kg.text import is_cjk

# Characters that can never be inside a name.
PUNCT = set("，。、；：！？,.;:!?“”‘’「」『』（）()《》〈〉【】[]—…·-－ \u3000\n\t\"'/／|%％")

# Conjunctions that coordinate list items.
COORD = ("、", "和", "及", "与", "以及", "或", "，")

# Function characters that end a name on its left (a name never contains them).
FUNCTION_CHARS = set("的了着过是在和与及或等把被将从向对为于由也就都还又")

DIGITS = re.compile(r"[0-9０-９一二三四五六七八九十百千万两]")

#: Lone surrogates (only the Python API can pass them): an automaton reads UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def is_delim(ch: str) -> bool:
    return ch in PUNCT or not (is_cjk(ch) or ch.isalnum())


def at_delim(text: str, pos: int, stop_words: tuple[str, ...] = ()) -> bool:
    """True when position ``pos`` starts a phrase: after punctuation, a paragraph
    start, or one of ``stop_words``."""
    if pos <= 0:
        return True
    if is_delim(text[pos - 1]):
        return True
    return any(text.endswith(w, 0, pos) for w in stop_words)


def cjk_run_start(text: str, end: int, limit: int) -> int:
    """Start of the run of CJK characters ending at ``end`` (at most ``limit`` long)."""
    k = end
    while k > 0 and end - k < limit and is_cjk(text[k - 1]):
        k -= 1
    return k


def coordinated_neighbors(text: str, start: int, end: int) -> tuple[int, int]:
    """Positions of the list separators just before and after a span (-1 when none).

    Returns (position where a preceding item would end, position where a following
    item would start).
    """
    before = -1
    for sep in COORD:
        if text.endswith(sep, 0, start):
            before = start - len(sep)
            break
    after = -1
    for sep in (*COORD, "等"):
        if text.startswith(sep, end):
            after = end + len(sep)
            break
    return before, after


class Words:
    """Occurrences of many literal words in a text, leftmost first and the longest at a
    position, not overlapping: what ``re.finditer`` finds with the words as one
    alternation, longest first, without trying hundreds of words one after the other at
    each character (an Aho-Corasick automaton, ahocorasick_rs)."""

    def __init__(self, words: Iterable[str]) -> None:
        import ahocorasick_rs  # lazy: nothing heavy at import of kg

        self.words = sorted({w for w in words if w})
        # a DFA: twice as fast as the default automaton, and small for a few hundred words
        self._auto = ahocorasick_rs.AhoCorasick(
            self.words,
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA,
        )

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of every occurrence, in text order."""
        words = self.words
        return [(s, e, words[i]) for i, s, e in find_words(self._auto, text)]


class WordStarts:
    """Every position where one of many literal words starts, with the longest word
    there: what ``re.finditer`` finds with the lookahead ``(?=(w1|w2|…))``, the words
    longest first, without trying each word at each character (ahocorasick_rs)."""

    def __init__(self, words: Iterable[str]) -> None:
        import ahocorasick_rs

        self.words = sorted({w for w in words if w})
        self._auto = ahocorasick_rs.AhoCorasick(self.words, implementation=ahocorasick_rs.Implementation.DFA)

    def finditer(self, text: str) -> list[tuple[int, str]]:
        """(start, longest word) at every start, in text order."""
        longest: dict[int, str] = {}
        for i, s, e in find_words(self._auto, text, overlapping=True):
            if s not in longest or e - s > len(longest[s]):
                longest[s] = self.words[i]
        return sorted(longest.items())


def find_words(auto: Any, text: str, overlapping: bool = False) -> list[tuple[int, int, int]]:
    """(word index, start, end) of an ahocorasick_rs automaton's matches in ``text``; a lone
    surrogate reads as U+FFFD (same offsets), which no word holds."""
    try:
        return auto.find_matches_as_indexes(text, overlapping=overlapping)
    except UnicodeEncodeError:
        return auto.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=overlapping)
