"""Normalised text with a map back to source offsets.

The page text is full of layout artefacts: a paragraph broken across columns
("建筑施\\n\\n工紧盯"), bylines glued to paragraphs, markdown markers. Extractors work on
a clean string; every offset they produce maps back to the source, so evidence
is always a slice of the input file at its offsets (its text with the page's line breaks
taken out: :func:`without_breaks`).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable

# Characters that end a sentence or a clause.
SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』）)》"
TERMINAL = SENTENCE_END + CLOSERS + "：:"

OPEN_QUOTES = '“「『‘"'
CLOSE_QUOTES = '”」』’"'


#: A line break of the page layout with the white space around it (indentation, trailing blanks).
_LAYOUT_BREAK = r"\s*\n\s*"


def without_breaks(text: str) -> str:
    """A span of a page with the layout's line breaks (and the white space around each) removed.

    Chinese runs together without spaces, so a break inside a sentence (a paragraph that the
    page broke across columns: "建筑施\\n\\n工") is dropped, not replaced by a space. Evidence
    and mention texts are this of the file's slice at their offsets: the words stay whole, and
    the verbatim slice is still ``text[start:end]`` of the file.
    """
    return rx(_LAYOUT_BREAK).sub("", text) if "\n" in text else text


@functools.cache
def rx(pattern: str) -> re.Pattern[str]:
    """*pattern*, compiled on first use: regular expressions stay strings at module level,
    as the wide Unicode ranges take ~8 ms each to compile (no work at import time)."""
    return re.compile(pattern)


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (the characters of Chinese names)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


class NormText:
    """A string built from pieces of a source text, remembering where each came from.

    ``pieces`` are ``(source_start, source_end)`` spans; consecutive pieces are
    joined by ``sep`` unless they are marked as a continuation (joined with nothing).
    """

    __slots__ = ("_norm_starts", "_src_starts", "text")

    def __init__(self, source: str, pieces: Iterable[tuple[int, int, bool]]) -> None:
        parts: list[str] = []
        norm_starts: list[int] = []
        src_starts: list[int] = []
        pos = 0
        first = True
        for start, end, glued in pieces:
            if not first and not glued:
                # paragraph separator: maps to the character just before the next piece
                parts.append("\n")
                norm_starts.append(pos)
                src_starts.append(max(start - 1, 0))
                pos += 1
            first = False
            parts.append(source[start:end])
            norm_starts.append(pos)
            src_starts.append(start)
            pos += end - start
        self.text = "".join(parts)
        self._norm_starts = norm_starts
        self._src_starts = src_starts

    def src(self, i: int) -> int:
        """Source offset of normalised position ``i``."""
        k = bisect_right(self._norm_starts, i) - 1
        if k < 0:
            return i
        return self._src_starts[k] + (i - self._norm_starts[k])

    def src_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering normalised ``[start, end)`` (may include removed breaks)."""
        if end <= start:
            s = self.src(start)
            return s, s
        return self.src(start), self.src(end - 1) + 1
