"""The pipeline: files → Extraction. The CLI, the API and the notebooks all call this.

The shared resources (:mod:`kg.nlp.resources`) are built once per configuration (bundled
rules and vocabularies, or a user rules folder layered over them) and process. One page's
extraction is :mod:`kg.pipeline.extraction`; this module reads the pages, hands them to
processes or a cluster (:mod:`kg.pipeline.parallel`) and the cache, and yields them in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from kg import rules
from kg.errors import KgError, UsageError
from kg.model import Extraction, FileResult, SourceText
from kg.nlp.resources import resources
from kg.pipeline.cache import ResultCache
from kg.pipeline.cache import key as cache_key
from kg.pipeline.extraction import _warm_up, check_home, extract_source, extract_text

__all__ = [
    "Page",
    "Progress",
    "check_home",
    "extract_paths",
    "extract_source",
    "extract_text",
    "iter_pages",
    "page_info",
]

if TYPE_CHECKING:
    from kg.ingest.manifest import PageInfo


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
    key: str | None = None  # its cache key (with a cache)


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
    work_args: Callable[[str, str], Mapping[str, Any] | None] | None = None,
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
    back to this process for nothing (``kg extract`` gets its JSON lines). ``work_args`` (with a
    ``cache``) is asked of each page by name and cache key for keyword arguments of its
    ``page_work`` (``kg build``: where the last build wrote that page, to copy it from there).
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
            work = page_work
            if cache is not None:
                keys[i] = cache_key(src, page_home, user)
                extra = work_args(src.name, keys[i]) if work_args is not None else None
                if extra and page_work is not None:
                    work = partial(page_work, **extra)
                if store_there:
                    # the worker looks the page up: decoding thousands of cached results here,
                    # and pickling each to a worker for its page work, made this process the
                    # bottleneck
                    yield (src, page_home, None, work, rules_dir, keep, (cache, keys[i]))
                    continue
                hit = cache.get(keys[i], src)
                if hit is not None:
                    if work is None or run <= 1:
                        yield Done((hit, None, work(hit) if work else None, True))
                    else:
                        yield (src, page_home, hit, work, rules_dir, keep, None)
                    continue
            yield (src, page_home, None, work, rules_dir, keep, None)

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
        page.key = keys.pop(i, None)
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
