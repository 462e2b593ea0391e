"""The pipeline: files → Extraction. The CLI, the API and the notebooks all call this.

The shared resources (:mod:`kg.nlp.resources`) are built once per configuration (bundled
rules and vocabularies, or a user rules folder layered over them) and process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from kg import rules
from kg.errors import KgError, UsageError
from kg.extract import DEFAULT_ORDER, Context
from kg.extract import get as get_extractor
from kg.model import ENTITY_TYPES, Extraction, FileResult, SourceText
from kg.nlp.resources import Resources, resources
from kg.pipeline.cache import ResultCache
from kg.pipeline.cache import key as cache_key

if TYPE_CHECKING:
    from kg.ingest.manifest import PageInfo

log = logging.getLogger(__name__)


def extract_source(
    source: SourceText,
    res: Resources | None = None,
    home: str | None = None,
    order: Sequence[str] = DEFAULT_ORDER,
) -> FileResult:
    """Run layout, segmentation, home inference, extractors and resolution on one file, with
    the rules of ``res`` active."""
    res = res or resources()
    with rules.using(res.rules):
        return _extract(source, res, home, order)


def _extract(source: SourceText, res: Resources, home: str | None, order: Sequence[str]) -> FileResult:
    from kg.extract import home as home_mod
    from kg.extract import resolve
    from kg.nlp import layout
    from kg.nlp.segment import Doc

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


def extract_text(
    text: str, name: str = "text.txt", home: str | None = None, rules_dir: str | None = None
) -> FileResult:
    """Extract from a string (a page or a single sentence), as if it were a file;
    ``rules_dir`` as in :func:`extract_paths`."""
    source = SourceText(path=name, name=name, text=text, encoding="utf-8", format="txt")
    if home is not None:
        check_home(home)
    return extract_source(source, resources(rules_dir, rules_dir), home=home)


def _is_known_name(res: Resources, text: str) -> bool:
    return bool(res.gaz.lookup(text) or res.gaz.lookup_short(text) or text in res.vocab.by_label)


#: progress callback: (pages done, pages in all, page name, served from the cache)
Progress = Callable[[int, int, str, bool], None]


def extract_paths(
    inputs: Sequence[str],
    home: str | None = None,
    homes: Mapping[str, str] | None = None,
    *,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    unique_names: bool = False,
    max_bytes: int | None = None,
    rules_dir: str | None = None,
    date: str | None = None,
    manifest: Mapping[str, PageInfo] | None = None,
) -> Extraction:
    """Extract every readable file under ``inputs``; unreadable files become errors.

    The one extraction loop: ``kg extract``, ``kg eval``, ``kg views``, ``kg build`` and
    ``kg.build`` all call it. Files come in the order read. ``homes`` gives a home per file
    name (a gold file's ``home`` of each line); ``home`` applies to the files it does not
    name. With a ``cache``, a page whose result is cached is not extracted again
    (``.cached`` names it, ``.extracted`` the pages extracted now). ``unique_names`` refuses
    two input files of one name before extracting anything (page names identify articles
    in the graph). Files over ``max_bytes`` (default :func:`kg.ingest.files.max_file_size`) are not
    read: they become errors too. ``rules_dir``: an analyst's folder of rule files (``*.toml``,
    layered over ``kg/rules``) and vocabularies (``*.ttl``, read with ``ontology/vocab``); a
    bad file there is a DataError before any page is read. ``date`` (``--date``) and
    ``manifest`` (per file name: date, publisher, home) say what is known of the pages
    (:func:`page_info`).
    """
    from kg.ingest import read_sources

    manifest = dict(manifest or {})
    homes = {**{n: i.home for n, i in manifest.items() if i.home}, **(homes or {})}
    if rules_dir is not None:
        rules.RuleSet(rules_dir)  # a bad user file fails now, not after the cached pages
    user = rules.fingerprint(rules_dir)
    for h in sorted({x for x in (home, *homes.values()) if x is not None}):
        check_home(h)
    sources, read_errors = read_sources(list(inputs), max_bytes=max_bytes)
    if unique_names:
        _check_unique_names(sources)
    result = Extraction(errors=[(e.path, str(e)) for e in read_errors])
    res = None
    for i, src in enumerate(sources):
        src = page_info(src, manifest.get(src.name), date)
        page_home = homes.get(src.name, home)
        k = cache_key(src, page_home, user) if cache is not None else ""
        r = cache.get(k, src) if cache is not None else None
        hit = r is not None
        if r is None:
            res = res or resources(rules_dir, rules_dir)
            try:
                r = extract_source(src, res, home=page_home)
            except KgError as exc:
                result.errors.append((src.path, str(exc)))
            else:
                if cache is not None:
                    cache.put(k, r)
        if r is not None:
            result.files.append(r)
            (result.cached if hit else result.extracted).append(src.name)
        if progress:
            progress(i + 1, len(sources), src.name, hit)
    return result


def page_info(source: SourceText, info: PageInfo | None = None, date: str | None = None) -> SourceText:
    """``source`` with the date and publisher that the manifest (``info``), ``--date`` and the
    file's own metadata give it: the most precise date (a full date beats a year; among equal
    ones, in that order), the manifest's publisher else the file's."""
    from kg.dates import merge, parse_date

    given = info.date if info is not None else None
    best = merge(parse_date(given), parse_date(date), parse_date(source.date))
    publisher = (info.publisher if info is not None else None) or source.publisher
    iso = best.iso() if best is not None else None
    if iso == source.date and publisher == source.publisher:
        return source
    return replace(source, date=iso, publisher=publisher)


def _check_unique_names(sources: Sequence[SourceText]) -> None:
    by_name: dict[str, str] = {}
    for src in sources:
        if src.name in by_name and by_name[src.name] != src.path:
            raise UsageError(
                f"two input files are named {src.name} ({by_name[src.name]} and {src.path}); "
                "page names identify articles in the graph, so rename one"
            )
        by_name[src.name] = src.path


def check_home(home: str) -> None:
    """Refuse a ``--home`` that names no administrative division (a UsageError saying what
    to give), before anything is read."""
    from kg.nlp import gazetteer

    gazetteer.load().home(home)
