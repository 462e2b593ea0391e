"""Article[] → Doc: clean text, paragraphs, sentences and tokens with offsets.

The Doc is what every extractor reads. Its text is the articles' content (headlines,
bodies, captions; no bylines, credits or layout breaks) joined by newlines, with a
map back to source offsets. Tokens come from rjieba (jieba's tokens, ~20× faster),
loaded with the project's user dictionary so that terms and names stay whole.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from kg.model import Article, Evidence, SourceText
from kg.nlp.layout import Page
from kg.text import NormText

_SENT_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\n")


@dataclass(frozen=True)
class Para:
    start: int  # normalised offsets
    end: int
    article: int  # index into Doc.articles
    kind: str  # headline | body | caption


@dataclass(frozen=True)
class Sent:
    start: int
    end: int
    para: int
    article: int


class Segmenter:
    """Tokeniser with the project's user dictionary (words stay whole)."""

    def __init__(self, words: Iterable[tuple[str, int, str]] = ()) -> None:
        import rjieba  # lazy: import costs ~0.2 s

        self._jieba = rjieba.Jieba()
        self.n_words = 0
        for word, freq, tag in words:
            self._jieba.add_word(word, freq, tag)
            self.n_words += 1

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Tokens with part-of-speech tags; their concatenation is ``text``."""
        return self._jieba.tag(text)

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text)

    def has_word(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (jieba's or the user dictionary)."""
        return bool(self._jieba.has_word(word))


class Doc:
    """A page ready for extraction."""

    def __init__(self, source: SourceText, page: Page, segmenter: Segmenter | None) -> None:
        self.source = source
        self.page = page
        self.articles: tuple[Article, ...] = page.articles
        pieces: list[tuple[int, int, bool]] = []
        para_bounds: list[tuple[int, int, str]] = []  # (article, n_pieces, kind)
        for ai, art in enumerate(page.articles):
            for p in art.paragraphs:
                for k, (s, e) in enumerate(p.pieces):
                    pieces.append((s, e, k > 0))
                para_bounds.append((ai, len(p.pieces), p.kind))
        self.norm = NormText(source.text, pieces)
        self.text = self.norm.text
        # paragraphs in normalised coordinates
        self.paras: list[Para] = []
        pos = 0
        pi = 0
        for ai, n_pieces, kind in para_bounds:
            length = sum(e - s for s, e, _ in pieces[pi : pi + n_pieces])
            self.paras.append(Para(pos, pos + length, ai, kind))
            pos += length + 1
            pi += n_pieces
        self._para_starts = [p.start for p in self.paras]
        self.sentences: list[Sent] = []
        for i, p in enumerate(self.paras):
            start = p.start
            for m in _SENT_END.finditer(self.text, p.start, p.end):
                if m.end() > start:
                    self.sentences.append(Sent(start, m.end(), i, p.article))
                start = m.end()
            if start < p.end:
                self.sentences.append(Sent(start, p.end, i, p.article))
        self._sent_starts = [s.start for s in self.sentences]
        # tokens: start offsets, tags, and a boundary bitmap for O(1) alignment checks
        self.tok_starts: list[int] = []
        self.tok_ends: list[int] = []
        self.tok_tags: list[str] = []
        self.boundary = bytearray(len(self.text) + 1)
        if segmenter is not None:
            for p in self.paras:
                pos = p.start
                for word, tag in segmenter.tag(self.text[p.start : p.end]):
                    self.tok_starts.append(pos)
                    self.boundary[pos] = 1
                    pos += len(word)
                    self.tok_ends.append(pos)
                    self.tok_tags.append(tag)
                self.boundary[pos] = 1
        else:
            for i in range(len(self.boundary)):
                self.boundary[i] = 1

    # -- lookups -----------------------------------------------------------------------
    def para_at(self, pos: int) -> Para:
        return self.paras[max(bisect_right(self._para_starts, pos) - 1, 0)]

    def sent_index(self, pos: int) -> int:
        return max(bisect_right(self._sent_starts, pos) - 1, 0)

    def sent_at(self, pos: int) -> Sent:
        return self.sentences[self.sent_index(pos)]

    def article_at(self, pos: int) -> Article:
        return self.articles[self.para_at(pos).article]

    def aligned(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` starts and ends on token boundaries."""
        return bool(self.boundary[start]) and bool(self.boundary[end])

    def token_at(self, pos: int) -> tuple[int, int, str]:
        """The token covering ``pos``: (start, end, tag)."""
        k = bisect_right(self.tok_starts, pos) - 1
        if k < 0 or self.tok_ends[k] <= pos:
            return pos, pos + 1, "x"
        return self.tok_starts[k], self.tok_ends[k], self.tok_tags[k]

    def tokens(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Tokens overlapping ``[start, end)`` as (start, end, tag)."""
        k = max(bisect_right(self.tok_starts, start) - 1, 0)
        out: list[tuple[int, int, str]] = []
        n = len(self.tok_starts)
        while k < n and self.tok_starts[k] < end:
            if self.tok_ends[k] > start:
                out.append((self.tok_starts[k], self.tok_ends[k], self.tok_tags[k]))
            k += 1
        return out

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence record for normalised ``[start, end)``: a verbatim source slice."""
        s, e = self.norm.src_span(start, end)
        art = self.article_at(start)
        return Evidence(self.source.name, art.id, s, e, self.source.text[s:e])

    def src_span(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.src_span(start, end)
