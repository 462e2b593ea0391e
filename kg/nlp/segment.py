"""Article[] → Doc: clean text, paragraphs, sentences and tokens with offsets.

The Doc is what every extractor reads. Its text is the articles' content (headlines,
bodies, captions; no bylines, credits or layout breaks) joined by newlines, with a
map back to source offsets. Tokens come from rjieba (jieba's tokens, ~20× faster),
loaded with the project's user dictionary so that terms and names stay whole.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.model import Article, Evidence, SourceText
from kg.nlp.layout import Page
from kg.text import NormText, without_breaks

if TYPE_CHECKING:
    import rjieba

_SENT_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\n")
#: The longest sentence: a longer run is cut at its last clause break (or, with none, at
#: this length). Real sentences are under 200 characters; a page with no full stops would
#: otherwise be one sentence, and every relation's evidence would be the whole page
#: (quadratic output: 424 MB of JSONL for a 1 MB page).
MAX_SENTENCE = 500
_CLAUSE_BREAK = re.compile(r"[，、：:,\s]")
#: Lone surrogates (only the Python API can pass them): the tokenizer cannot encode them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


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


#: The tokenizers: rjieba (jieba in Rust, the same tokens ~20× faster) and jieba itself,
#: the reference and the fallback where rjieba has no wheel. ``KG_SEGMENTER`` chooses.
BACKENDS = ("rjieba", "jieba")


def backend() -> str:
    """The tokenizer in use: ``KG_SEGMENTER`` if set, else rjieba when it imports, else jieba."""
    import importlib.util
    import os

    from kg.errors import UsageError

    chosen = os.environ.get("KG_SEGMENTER", "").strip().lower()
    if chosen:
        if chosen not in BACKENDS:
            raise UsageError(f"KG_SEGMENTER={chosen!r} is not a tokenizer; use one of {', '.join(BACKENDS)}")
        return chosen
    return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"


class _Jieba:
    """jieba behind rjieba's interface (add_word, tag, has_word), giving rjieba's tokens:
    jieba's cut (dictionary and HMM), each token tagged as rjieba tags it: its dictionary
    tag, else the tag jieba's HMM gives an unknown word (rjieba's own scheme; 99.5 % of the
    tags agree on the seeds and the dev set, the tokens all do)."""

    def __init__(self) -> None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        self._tok = jieba.Tokenizer()
        self._tok.initialize()
        self._tags = dict(jieba.posseg.POSTokenizer(self._tok).word_tag_tab)

    def add_word(self, word: str, freq: int, tag: str) -> None:
        self._tok.add_word(word, freq, tag)
        self._tags[word] = tag

    def tag(self, text: str) -> list[tuple[str, str]]:
        return [(w, self._tag_of(w)) for w in self._tok.cut(text, HMM=True)]

    def _tag_of(self, word: str) -> str:
        tag = self._tags.get(word)
        if tag is not None:
            return tag
        if _NUMBER.fullmatch(word):
            return "m"
        if _LATIN.fullmatch(word):
            return "eng"
        if _HAN.fullmatch(word):
            from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P, viterbi

            _prob, states = viterbi(word, char_state_tab_P, start_P, trans_P, emit_P)
            return states[-1][1] if states else "x"
        return "x"

    def has_word(self, word: str) -> bool:
        return bool(self._tok.FREQ.get(word))


_NUMBER = re.compile(r"[0-9０-９.]+")
_LATIN = re.compile(r"[A-Za-z0-9]+")
_HAN = re.compile(r"[\u4e00-\u9fff]+")


class Segmenter:
    """Tokeniser with the project's user dictionary (words stay whole)."""

    def __init__(self, words: Iterable[tuple[str, int, str]] = (), name: str | None = None) -> None:
        self.name = name or backend()
        self._jieba: rjieba.Jieba | _Jieba
        if self.name == "rjieba":
            self._jieba = _rjieba_class()()
        else:
            self._jieba = _Jieba()
        self.n_words = 0
        for word, freq, tag in words:
            self._jieba.add_word(word, freq, tag)
            self.n_words += 1

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Tokens with part-of-speech tags; their lengths add up to ``len(text)`` (their
        concatenation is ``text``, lone surrogates read as U+FFFD)."""
        return self._jieba.tag(_encodable(text))

    def has_word(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (jieba's or the user dictionary)."""
        return not _SURROGATE.search(word) and bool(self._jieba.has_word(word))


def _rjieba_class() -> type[rjieba.Jieba]:
    """rjieba's ``Jieba``, from its extension module alone when it can be found: the package's
    ``__init__`` builds a default tokenizer at import (0.2 s and its dictionary's memory, in
    every process) that is never used here, since ours carries the user dictionary."""
    import importlib.machinery
    import importlib.util
    import sys

    name = "rjieba.rjieba"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.find_spec("rjieba")  # locates the package, does not run it
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        paths = [
            os.path.join(folder, "rjieba" + suffix)
            for folder in folders
            for suffix in importlib.machinery.EXTENSION_SUFFIXES
        ]
        path = next((p for p in paths if os.path.isfile(p)), None)
        if path is None:  # laid out otherwise: the ordinary import
            import rjieba

            return rjieba.Jieba
        loader = importlib.machinery.ExtensionFileLoader(name, path)
        found = importlib.util.spec_from_file_location(name, path, loader=loader)
        assert found is not None
        module = importlib.util.module_from_spec(found)
        loader.exec_module(module)
        sys.modules[name] = module  # ``import rjieba`` later reuses it (loaded once)
    cls: type[rjieba.Jieba] = module.Jieba
    return cls


def _encodable(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD: same length, same offsets."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` as sentences of at most :data:`MAX_SENTENCE` characters."""
    out = []
    while end - start > MAX_SENTENCE:
        cut = start + MAX_SENTENCE
        lo = start + MAX_SENTENCE // 2
        for m in _CLAUSE_BREAK.finditer(text, lo, cut):
            cut = m.end()  # the last clause break in the window wins
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


class Doc:
    """A page ready for extraction."""

    def __init__(self, source: SourceText, page: Page, segmenter: Segmenter | None) -> None:
        self.source = source
        self.page = page
        self.articles: tuple[Article, ...] = page.articles
        pieces: list[tuple[int, int, bool]] = []
        para_bounds: list[tuple[int, int, str]] = []  # (article, n_pieces, kind)
        for ai, art in enumerate(page.articles):
            for para in art.paragraphs:
                for k, (s, e) in enumerate(para.pieces):
                    pieces.append((s, e, k > 0))
                para_bounds.append((ai, len(para.pieces), para.kind))
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
                    for a, b in _sentence_spans(self.text, start, m.end()):
                        self.sentences.append(Sent(a, b, i, p.article))
                start = m.end()
            if start < p.end:
                for a, b in _sentence_spans(self.text, start, p.end):
                    self.sentences.append(Sent(a, b, i, p.article))
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
        """Evidence record for normalised ``[start, end)``: the source span, its text with the
        page's line breaks removed (:func:`~kg.text.without_breaks`)."""
        s, e = self.norm.src_span(start, end)
        art = self.article_at(start)
        return Evidence(self.source.name, art.id, s, e, without_breaks(self.source.text[s:e]))

    def src_span(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.src_span(start, end)
