"""The pipeline: files → Extraction. The CLI, the API and the notebooks all call this.

The shared resources (:mod:`kg.nlp.resources`) are built once per configuration (bundled
rules and vocabularies, or a user rules folder layered over them) and process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

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


#: progress callback: (pages done, pages in all, page name, served from the cache)
Progress = Callable[[int, int, str, bool], None]


@dataclass
class Page:
    """One input as the orchestrator hands it on: its result, or the error that stopped it."""

    path: str
    name: str
    result: FileResult | None = None
    error: str | None = None
    cached: bool = False
    extra: Any = None  # what ``page_work`` gave for it


def _task(
    job: tuple[
        SourceText,
        str | None,
        FileResult | None,
        Callable[[FileResult], Any] | None,
        str | None,
        bool,
        tuple[ResultCache, str] | None,
    ],
) -> tuple[FileResult | None, str | None, Any, bool]:
    """One page where a worker runs it: its cached result (``store``: the cache and the page's
    key, looked up here, where decoding it costs the merging process nothing), else its
    extraction with the user rules folder (if any) layered, then stored in the cache; the
    caller's per-page work on it. A result given as ``cached`` is used as it is. Returns
    (result without its text, or None unless ``keep``; error; what the work gave; whether
    the result came from the cache)."""
    source, home, cached, work, rules_dir, keep, store = job
    r = cached
    if r is None and store is not None:
        r = store[0].get(store[1], source)
    hit = r is not None
    if r is None:
        try:
            r = extract_source(source, resources(rules_dir, rules_dir), home=home)
        except KgError as exc:
            return None, str(exc), None, False
        if store is not None:
            store[0].put(store[1], r)
    extra = work(r) if work is not None else None
    if not keep:
        return None, None, extra, hit  # the caller wants only what the work gave: nothing to pickle
    return replace(r, source=replace(source, text="")), None, extra, hit  # the caller has the text


def iter_pages(
    inputs: Sequence[str],
    home: str | None = None,
    homes: Mapping[str, str] | None = None,
    *,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    unique_names: bool = False,
    max_bytes: int | None = None,
    jobs: int | None = 1,
    client: Any = None,
    page_work: Callable[[FileResult], Any] | None = None,
    rules_dir: str | None = None,
    date: str | None = None,
    manifest: Mapping[str, PageInfo] | None = None,
    results: bool = True,
) -> Iterator[Page]:
    """Every input as a :class:`Page`, in a deterministic order (inputs that cannot be found
    first, then the files sorted by path, or by name with ``unique_names``), whatever runs
    the extraction.

    The one extraction loop: ``kg extract``, ``kg eval``, ``kg views``, ``kg build`` and
    ``kg.build`` all come here. ``homes`` gives a home per file name (a gold file's ``home``
    of each line); ``home`` applies to the files it does not name. With a ``cache``, a page
    whose result is cached is not extracted again, and a page extracted now is stored.
    ``jobs`` (None: the CPU count) extracts in that many processes, ``client`` (a
    ``dask.distributed.Client``) on a Dask cluster, one task per page
    (:mod:`kg.pipeline.parallel`); pages are read here, a few ahead of the workers, and
    their results come back in input order. ``page_work`` (a module-level function, or a
    ``functools.partial`` of one) runs on each page's result where it was extracted, cached
    pages included, and its value comes back as ``Page.extra``: the caller's per-page output
    is made in parallel too. ``unique_names`` refuses two input files of one
    name before extracting anything (page names identify articles in the graph). Files over
    ``max_bytes`` (default :func:`kg.ingest.files.max_file_size`) are not read: they become
    errors too. ``rules_dir``: an analyst's folder of rule files (``*.toml``, layered over
    ``kg/rules``) and vocabularies (``*.ttl``, read with ``ontology/vocab``); a bad file there
    is a DataError before any page is read (Dask workers read it at the same path).
    ``date`` (``--date``) and ``manifest`` (per file name: date, publisher, home) say what is
    known of the pages (:func:`page_info`). ``results=False`` (with ``page_work``, no
    ``cache``): a page's result stays where it was made and only ``Page.extra`` comes back
    (``Page.result`` is None, ``Page.error`` says what failed), so a result is not pickled
    back to this process for nothing (``kg extract`` gets its JSON lines).
    """
    from kg.ingest import read_source
    from kg.ingest.files import display_path, find_files
    from kg.pipeline.parallel import Done, default_jobs, ordered_map

    manifest = dict(manifest or {})
    homes = {**{n: i.home for n, i in manifest.items() if i.home}, **(homes or {})}
    if rules_dir is not None:
        rules.RuleSet(rules_dir)  # a bad user file fails now, not after the cached pages
    user = rules.fingerprint(rules_dir)
    for h in sorted({x for x in (home, *homes.values()) if x is not None}):
        check_home(h)
    paths, find_errors = find_files(list(inputs))
    if unique_names:
        _check_unique_names([(display_path(p.name), display_path(p)) for p in paths])
        # names are unique: in name order, the output does not depend on where pages are
        paths.sort(key=lambda p: display_path(p.name))
    for e in find_errors:
        yield Page(e.path, e.path, error=str(e))
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if client is None and jobs > 1 and len(paths) > 1:
        # loaded and warmed up once here, shared by the forked workers (copy-on-write)
        _warm_up(resources(rules_dir, rules_dir))
    sources: dict[int, SourceText] = {}
    keys: dict[int, str] = {}
    run = jobs if len(paths) > 1 else 1
    keep = results or cache is not None or page_work is None
    # a local worker looks its page up in the cache and stores what it extracted there itself
    # (decoding and encoding results are a good part of a page's cost, and this process merges
    # every page); a cluster's workers may not see the cache's folder, so that is done here
    store_there = client is None and run > 1
    if cache is not None and store_there:
        cache.sweep()  # once, here: the workers' copies of the cache do not sweep again

    def items() -> Iterator[Any]:
        for i, path in enumerate(paths):
            try:
                src = read_source(path, max_bytes=max_bytes)
            except KgError as exc:
                yield Done((None, str(exc), None, False))
                continue
            src = page_info(src, manifest.get(src.name), date)
            sources[i] = src
            page_home = homes.get(src.name, home)
            if cache is not None:
                keys[i] = cache_key(src, page_home, user)
                if store_there:
                    # the worker looks the page up: decoding thousands of cached results here,
                    # and pickling each to a worker for its page work, made this process the
                    # bottleneck
                    yield (src, page_home, None, page_work, rules_dir, keep, (cache, keys[i]))
                    continue
                hit = cache.get(keys[i], src)
                if hit is not None:
                    if page_work is None or run <= 1:
                        yield Done((hit, None, page_work(hit) if page_work else None, True))
                    else:
                        yield (src, page_home, hit, page_work, rules_dir, keep, None)
                    continue
            yield (src, page_home, None, page_work, rules_dir, keep, None)

    outs = ordered_map(_task, items(), jobs=run, client=client)
    for i, (path, out) in enumerate(zip(paths, outs, strict=True)):
        src = sources.pop(i, None)
        page = Page(display_path(path), src.name if src else display_path(path.name))
        r, err, page.extra, hit = out
        if err is not None or src is None:
            page.error = err
        elif r is None:  # not kept (``results=False``): only ``page.extra`` came back
            page.cached = hit
        elif hit:
            page.result, page.cached = (r if r.source is src else replace(r, source=src)), True
        else:
            page.result = replace(r, source=src)
            if cache is not None and not store_there:
                cache.put(keys[i], page.result)
        keys.pop(i, None)
        if progress:
            progress(i + 1, len(paths), page.name, page.cached)
        yield page


def extract_paths(
    inputs: Sequence[str],
    home: str | None = None,
    homes: Mapping[str, str] | None = None,
    *,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    unique_names: bool = False,
    max_bytes: int | None = None,
    jobs: int | None = 1,
    client: Any = None,
    rules_dir: str | None = None,
    date: str | None = None,
    manifest: Mapping[str, PageInfo] | None = None,
) -> Extraction:
    """Extract every readable file under ``inputs`` (:func:`iter_pages`) into one
    :class:`Extraction`: results in input order, unreadable files as errors, and which pages
    were served from the cache (``.cached``) or extracted now (``.extracted``). ``date``
    (``--date``) and ``manifest`` (per file name: date, publisher, home) say what is known of
    the pages (:func:`page_info`)."""
    result = Extraction()
    for page in iter_pages(
        inputs,
        home,
        homes,
        cache=cache,
        progress=progress,
        unique_names=unique_names,
        max_bytes=max_bytes,
        jobs=jobs,
        client=client,
        rules_dir=rules_dir,
        date=date,
        manifest=manifest,
    ):
        if page.result is None:
            result.errors.append((page.path, page.error or "not extracted"))
            continue
        result.files.append(page.result)
        (result.cached if page.cached else result.extracted).append(page.name)
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


def _check_unique_names(names: Sequence[tuple[str, str]]) -> None:
    """Refuse two files of one name: ``names`` are (name, path) pairs."""
    by_name: dict[str, str] = {}
    for name, path in names:
        if name in by_name and by_name[name] != path:
            raise UsageError(
                f"two input files are named {name} ({by_name[name]} and {path}); "
                "page names identify articles in the graph, so rename one"
            )
        by_name[name] = path


def check_home(home: str) -> None:
    """Refuse a ``--home`` that names no administrative division (a UsageError saying what
    to give), before anything is read."""
    from kg.nlp import gazetteer

    gazetteer.load().home(home)
