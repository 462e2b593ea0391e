"""The resources every extractor shares, built once per run (~0.5 s): the rule set, the
gazetteer, the vocabularies, the organization and name lexicons, one Aho-Corasick automaton
over all their forms, and the tokenizer with its user dictionary.

``Resources(rules_dir=…, vocab_dir=…)`` layers an analyst's rule files and vocabularies over
the bundled ones; :func:`resources` keeps one instance per configuration for the process (a
changed user file gives a new one).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, NamedTuple

from kg import rules


class Hit(NamedTuple):
    """A lexicon match in the doc text (a named tuple: a page has thousands of them)."""

    start: int
    end: int
    key: str
    payloads: tuple[tuple[str, Any], ...]  # (kind, data)


class Resources:
    """Everything the extractors share for one configuration, loaded once.

    ``rules_dir``: a folder whose ``*.toml`` rule files are layered over ``kg/rules`` (lists
    extend, scalars replace); ``vocab_dir``: a folder whose ``*.ttl`` SKOS files are read with
    ``ontology/vocab`` (new concepts, or new labels of the bundled ones). A bad file is a
    DataError naming it, raised here, before any page is read.
    """

    def __init__(self, rules_dir: str | Path | None = None, vocab_dir: str | Path | None = None) -> None:
        import ahocorasick_rs

        from kg.nlp import gazetteer, vocab
        from kg.nlp.segment import Segmenter

        self.rules_dir = Path(rules_dir) if rules_dir else None
        self.vocab_dir = Path(vocab_dir) if vocab_dir else None
        self.rules = rules.RuleSet(self.rules_dir) if self.rules_dir else rules.bundled()
        self.gaz = (
            gazetteer.load() if "places" not in self.rules.user_files else gazetteer.build(self.rules.places)
        )
        self.vocab = vocab.read(extra=str(self.vocab_dir)) if self.vocab_dir else vocab.load()
        self.org_rules = self.rules.orgs
        self.name_rules = self.rules.names
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
        for body in self.org_rules.bodies:
            for form in [body.name, *body.aliases]:
                add(form, "body", body.name)
        for type_, items in (
            ("Mechanism", self.name_rules.mechanisms),
            ("Campaign", self.name_rules.campaigns),
        ):
            for item in items:
                for form in [item.name, *item.aliases]:
                    add(form, "named", (type_, item.name))
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


_BUILT: dict[tuple[str, str], Resources] = {}
_LOCK = threading.Lock()


def resources(rules_dir: str | Path | None = None, vocab_dir: str | Path | None = None) -> Resources:
    """The resources of a configuration (built on first use, ~0.5 s, then kept for the
    process): the bundled rules and vocabularies, with ``rules_dir`` and ``vocab_dir`` layered
    over them. Keyed by the user files' content, so an edited user rule is picked up."""
    key = (rules.fingerprint(rules_dir), rules.fingerprint(vocab_dir))
    key = (f"{rules_dir}:{key[0]}" if rules_dir else "", f"{vocab_dir}:{key[1]}" if vocab_dir else "")
    with _LOCK:
        found = _BUILT.get(key)
        if found is None:
            found = _BUILT[key] = Resources(rules_dir, vocab_dir)
        return found
