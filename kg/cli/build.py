"""``kg build``: pages → the graph files, the HTML views and/or the store (kg.export.build).

Registered by kg/cli/__init__.py (module-level ``COMMANDS``); nothing heavy is imported here.
"""

from __future__ import annotations

import sys

import click

from kg.cli.options import echo_err as _echo_err
from kg.cli.options import (
    home_option,
    jobs_option,
    max_file_size_option,
    page_info,
    page_info_options,
    rules_option,
)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(file_okay=False),
    help="Folder for the graph files (--formats), summary.json and the HTML views.",
)
@click.option(
    "--formats",
    metavar="LIST",
    default=None,
    help="Serializations to write, comma-separated, from nq, trig, ttl, jsonld, graphml, or all "
    "(default nq: N-Quads is what query, serve, push and kg.load read; the others hold "
    "the same triples again).",
)
@click.option(
    "--store",
    type=click.Path(file_okay=False),
    help="Also write the dataset into an Oxigraph store folder (for graphs past memory); "
    "only the graphs that changed are rewritten.",
)
@home_option("Home city of all pages (e.g. 长治市); inferred per page when omitted.")
@page_info_options
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Folder of the per-page extraction cache (default: ~/.cache/safety-kg/extract).",
)
@click.option("--no-cache", is_flag=True, help="Extract every page again and do not store results.")
@click.option(
    "--no-views", is_flag=True, help="Do not write the HTML views (index.html, overview, entities)."
)
@click.option(
    "--max-overview-nodes",
    type=click.IntRange(min=1),
    default=None,
    help="Above this many entities the overview draws only the most connected ones (default 1500).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@max_file_size_option
@jobs_option
@rules_option
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Extract on a Dask cluster (tcp://HOST:8786): one task per page, merged here "
    "(the workers need the same safety-kg installed).",
)
def build(
    paths: tuple[str, ...],
    out: str | None,
    store: str | None,
    home: str | None,
    date: str | None,
    manifest: str | None,
    cache_dir: str | None,
    no_cache: bool,
    no_views: bool,
    max_overview_nodes: int | None,
    quiet: bool,
    max_file_size: int | None,
    jobs: int | None,
    scheduler: str | None,
    formats: str | None,
    rules_dir: str | None,
) -> None:
    """Build the knowledge graph of PATHS (files, directories or globs) into -o OUT/ and/or --store DIR.

    Writes N-Quads (one named graph per page, with the provenance of every relation), or the
    serializations --formats names (Turtle, TriG, JSON-LD, GraphML for Gephi), a
    summary, and the HTML views: open OUT/index.html in a browser (offline, from disk).
    Pages are extracted in --jobs processes, or on a Dask cluster (--scheduler).
    Pages whose text is unchanged are not extracted again (a cache keyed by content hash),
    and their output is copied from the last OUT (checked against a digest); with nothing
    changed, nothing is written. Files are replaced only when the whole build succeeded.
    Exit code 1 when some input could not be read (the others are still built).
    """
    from kg.export.build import build as run_build
    from kg.export.build import format_summary
    from kg.export.rdf.stream import parse_formats
    from kg.pipeline.cache import ResultCache

    parse_formats(formats)  # a bad --formats fails before anything is read
    page_date, manifest_info = page_info(date, manifest)
    cache = None if no_cache else ResultCache(cache_dir)
    client = None
    if scheduler is not None:
        from kg.pipeline.parallel import connect

        client = connect(scheduler)
    bar = None
    # a bar on a terminal; in logs (CI, redirected stderr) only the summary at the end
    if not quiet and sys.stderr.isatty():
        from kg.ingest.files import expand_inputs

        try:
            total = len(expand_inputs(list(paths)))
        except Exception:
            total = 0
        if total > 1:
            bar = click.progressbar(length=total, label="extracting", file=sys.stderr, show_pos=True)
            bar.__enter__()

    def progress(done: int, total: int, name: str, cached: bool) -> None:
        if bar is not None:
            bar.label = f"{'cached' if cached else 'extracted'} {name}"
            bar.update(1)

    try:
        report = run_build(
            list(paths),
            out=out,
            store=store,
            home=home,
            cache=cache,
            progress=progress,
            views=not no_views,
            max_overview_nodes=max_overview_nodes,
            max_bytes=max_file_size,
            jobs=jobs,
            client=client,
            formats=formats,
            skip_unchanged=True,
            rules_dir=rules_dir,
            date=page_date,
            manifest=manifest_info,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
        if client is not None:
            client.close()
    for path, msg in report.errors:
        _echo_err(f"kg: skipped {path}: {msg}" if not msg.startswith(path) else f"kg: skipped {msg}")
    if not quiet:
        _echo_err(format_summary(report.summary))
        reused = f" ({len(report.reused)} written as the last build wrote them)" if report.reused else ""
        _echo_err(
            f"{len(report.extracted)} page(s) extracted, {len(report.cached)} from the cache{reused}, "
            f"{report.seconds:.1f} s"
        )
        if report.unchanged:
            _echo_err("nothing changed since the last build (inputs, options, code): left as they are")
        elif out:
            _echo_err(f"wrote {', '.join(report.written)} to {out}")
        if report.store is not None:
            s = report.store
            _echo_err(
                f"store {store}: {s['added']} graph(s) added, {s['changed']} changed, "
                f"{s['unchanged']} unchanged, {s['removed']} removed "
                f"(+{s['quads_added']} / -{s['quads_removed']} quads)"
            )
    if report.errors:
        sys.exit(1)


COMMANDS = [build]
