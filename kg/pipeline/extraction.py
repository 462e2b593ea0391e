"""The extraction of one page: layout, segmentation, home, extractors, resolution, relations.

What a worker runs on a page that is not cached. Only this module of the package's
orchestration is in the extraction cache's fingerprint (:data:`kg.pipeline.cache.EXTRACTION_CODE`):
how pages are read, sent to processes or a cluster and merged (:mod:`kg.pipeline`,
:mod:`kg.pipeline.parallel`) does not change a result, so editing it keeps every cached page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kg import rules
from kg.errors import KgError
from kg.extract import DEFAULT_ORDER, Context
from kg.extract import get as get_extractor
from kg.model import ENTITY_TYPES, FileResult, SourceText
from kg.nlp.resources import Resources, resources

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


#: a made-up page that runs every extractor once (:func:`_warm_up`)
_WARM_UP = "县应急管理局联合县消防救援大队开展安全生产大检查，排查隐患12处。"


def _warm_up(res: Resources) -> None:
    """Extract a made-up page with ``res``: what a process does once, on its first page
    (importing the extractors, compiling each module's rules: ~0.2 s), done before it forks
    its workers, so that they share it instead of each doing it again. Only a speed-up:
    whatever an analyst's rules make of this page, the run goes on."""
    try:
        extract_source(SourceText("warm-up.txt", "warm-up.txt", _WARM_UP, "utf-8", "txt"), res)
    except KgError as exc:
        log.debug("warm-up page not extracted: %s", exc)


def check_home(home: str) -> None:
    """Refuse a ``--home`` that names no administrative division (a UsageError saying what
    to give), before anything is read."""
    from kg.nlp import gazetteer

    gazetteer.load().home(home)
