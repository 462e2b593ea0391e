"""The resources every extractor shares, built once per process (~0.5 s): the gazetteer, the
vocabularies, the organization and name lexicons, one Aho-Corasick automaton over all their
forms, and the tokenizer with its user dictionary.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from kg import rules


class Hit(NamedTuple):
    """A lexicon match in the doc text (a named tuple: a page has thousands of them)."""

    start: int
    end: int
    key: str
    payloads: tuple[tuple[str, Any], ...]  # (kind, data)


class Resources:
    """Everything the extractors share, loaded once."""

    def __init__(self) -> None:
        import ahocorasick_rs

        from kg.nlp import gazetteer, vocab
        from kg.nlp.segment import Segmenter

        self.gaz = gazetteer.load()
        self.vocab = vocab.load()
        self.org_rules = rules.load("orgs")
        self.name_rules = rules.load("names")
        entries: dict[str, list[tuple[str, Any]]] = {}

        def add(key: str, kind: str, data: Any) -> None:
            if key:
                entries.setdefault(key, []).append((kind, data))

        for label, pairs in self.vocab.by_label.items():
            for term, mode in pairs:
                add(label, "term", (term.iri, mode))
        for name, divs in self.gaz.by_name.items():
            add(name, "place", tuple(d.adcode for d in divs))
        for short, divs in self.gaz.by_short.items():
            add(short, "short", tuple(d.adcode for d in divs))
        for body in self.org_rules["bodies"]:
            for form in [body["name"], *body["aliases"]]:
                add(form, "body", body["name"])
        for kind in ("mechanisms", "campaigns"):
            type_ = "Mechanism" if kind == "mechanisms" else "Campaign"
            for item in self.name_rules[kind]:
                for form in [item["name"], *item["aliases"]]:
                    add(form, "named", (type_, item["name"]))
        # every match, overlapping (ahocorasick_rs: ~8x pyahocorasick's scan on CJK text,
        # whose root node has thousands of children searched one by one)
        self._patterns = [(key, tuple(payloads)) for key, payloads in entries.items()]
        self._auto = ahocorasick_rs.AhoCorasick([k for k, _ in self._patterns])
        # user dictionary: names of three or more characters stay whole; two-character
        # words are left to jieba's own dictionary (adding them distorts segmentation:
        # a district's short form 西峰 would split 山西峰和 wrongly)
        words: list[tuple[str, int, str]] = []
        for key, payloads in entries.items():
            kinds = {k for k, _ in payloads}
            if len(key) < 3 or key.isascii() or kinds <= {"short", "place"}:
                continue  # jieba knows place names; forcing them splits words (会同县城)
            if "term" in kinds and all(d[1] == "context" for k, d in payloads if k == "term"):
                continue  # an ambiguous term must not change tokenization
            tag = "ns" if "place" in kinds else "nt" if "body" in kinds else "nz"
            words.append((key, 2000, tag))
        self.segmenter = Segmenter(words)

    def scan(self, text: str) -> list[Hit]:
        """Every lexicon match in ``text`` (overlapping), ordered by start."""
        from kg.extract.common import find_words

        patterns = self._patterns
        out = [Hit(s, e, *patterns[i]) for i, s, e in find_words(self._auto, text, overlapping=True)]
        out.sort(key=lambda h: (h.start, -h.end))
        return out


@cache
def resources() -> Resources:
    """The process-wide resources (built on first use, ~0.5 s)."""
    return Resources()
