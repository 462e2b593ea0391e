"""The pipeline: files → Extraction. The CLI, the API and the notebooks all call this.

Resources (gazetteer, vocabularies, lexicons, the tokenizer with its user
dictionary, the Aho-Corasick automaton) are built once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from kg import rules
from kg.errors import KgError, UsageError
from kg.extract import DEFAULT_ORDER, Context, Hit
from kg.extract import get as get_extractor
from kg.extract.common import find_words
from kg.model import ENTITY_TYPES, Extraction, FileResult, Mention, SourceText

log = logging.getLogger(__name__)


class Resources:
    """Everything the extractors share, loaded once."""

    def __init__(self) -> None:
        import ahocorasick_rs

        from kg import gazetteer, vocab
        from kg.segment import Segmenter

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
        patterns = self._patterns
        out = [Hit(s, e, *patterns[i]) for i, s, e in find_words(self._auto, text, overlapping=True)]
        out.sort(key=lambda h: (h.start, -h.end))
        return out


@cache
def resources() -> Resources:
    """The process-wide resources (built on first use, ~0.5 s)."""
    return Resources()


def extract_source(
    source: SourceText,
    res: Resources | None = None,
    home: str | None = None,
    order: Sequence[str] = DEFAULT_ORDER,
) -> FileResult:
    """Run layout, segmentation, home inference, extractors and resolution on one file."""
    from kg import home as home_mod
    from kg import layout, resolve
    from kg.segment import Doc

    res = res or resources()
    page = layout.split_page(source, is_heading_term=lambda t: _is_known_name(res, t))
    doc = Doc(source, page, res.segmenter)
    ctx = Context(doc=doc, res=res)
    ctx.home = home_mod.resolve_home(ctx, home)
    for name in order:
        ctx.found[name] = get_extractor(name)(ctx)
    entities, mentions = resolve.resolve(ctx)
    from kg.relate import relate

    relations, extra = relate(ctx, entities, mentions)
    if extra:
        entities = sorted([*entities, *extra], key=lambda e: (ENTITY_TYPES.index(e.type), e.name))
    src_mentions = tuple(m.at(*doc.src_span(m.start, m.end)) for m in mentions)
    return FileResult(
        source=source,
        home=ctx.home.name if ctx.home is not None else None,
        articles=doc.articles,
        mentions=src_mentions,
        entities=tuple(entities),
        relations=tuple(relations),
    )


def extract_text(text: str, name: str = "text.txt", home: str | None = None) -> FileResult:
    """Extract from a string (a page or a single sentence), as if it were a file."""
    source = SourceText(path=name, name=name, text=text, encoding="utf-8", format="txt")
    if home is not None:
        _check_home(home)
    return extract_source(source, resources(), home=home)


def _is_known_name(res: Resources, text: str) -> bool:
    return bool(res.gaz.lookup(text) or res.gaz.lookup_short(text) or text in res.vocab.by_label)


def extract_paths(
    inputs: Sequence[str],
    home: str | None = None,
    progress: Callable[[str], None] | None = None,
    homes: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
) -> Extraction:
    """Extract every readable file under ``inputs``; unreadable files become errors.

    ``homes`` gives a home per file name (a gold file's ``home`` of each line); ``home``
    applies to the files it does not name. Files over ``max_bytes`` (default
    :func:`kg.ingest.max_file_size`) are not read: they become errors too.
    """
    from kg.ingest import read_sources

    homes = dict(homes or {})
    for h in sorted({home, *homes.values()} - {None}):
        _check_home(h)
    sources, errors = read_sources(inputs, max_bytes=max_bytes)
    result = Extraction(errors=[(e.path, str(e)) for e in errors])
    res = resources() if sources else None
    for src in sources:
        if progress:
            progress(src.path)
        try:
            result.files.append(extract_source(src, res, home=homes.get(src.name, home)))
        except KgError as exc:
            result.errors.append((src.path, str(exc)))
    return result


def _check_home(home: str) -> None:
    from kg import gazetteer

    gaz = gazetteer.load()
    if not (gaz.lookup(home) or gaz.lookup_short(home)):
        raise UsageError(
            f"--home {home!r} is not a Chinese administrative division; "
            "give a full name such as 长治市 or 长子县"
        )


def iter_mentions(result: FileResult) -> Iterable[Mention]:
    return iter(result.mentions)
