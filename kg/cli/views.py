"""The ``kg views`` command: HTML views of pages, without building the rest of the graph.

``kg build`` writes the same views next to the RDF; this command is for looking at
a handful of pages quickly. Registered by kg/cli/__init__.py through ``COMMANDS``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.options import (
    home_option,
    max_file_size_option,
    page_info,
    page_info_options,
    report_skipped,
    rules_option,
)


@click.command(name="views")
@click.argument("out", type=click.Path(file_okay=False, writable=True))
@click.argument("paths", nargs=-1, required=True)
@home_option("Home city or county of the pages (e.g. 长治市); inferred when omitted.")
@page_info_options
@click.option(
    "--max-overview-nodes",
    type=click.IntRange(min=1),
    default=None,
    help="Above this many entities the overview draws only the most connected ones (default 1500).",
)
@max_file_size_option
@rules_option
def views(
    out: str,
    paths: tuple[str, ...],
    home: str | None,
    date: str | None,
    manifest: str | None,
    max_overview_nodes: int | None,
    max_file_size: int | None,
    rules_dir: str | None,
) -> None:
    """Write the HTML views for PATHS (pages) into OUT/.

    OUT/index.html is the entry page (counts, tables, heat maps, search);
    OUT/overview.html the whole graph; OUT/entity/*.html one focused view per
    entity. Open index.html in a browser: it works offline, from disk.
    Unreadable inputs are reported on stderr and the exit code is 1.
    """
    from kg.corpus import Corpus
    from kg.export.views import DEFAULT_MAX_OVERVIEW_NODES, write_views
    from kg.pipeline import extract_paths

    page_date, manifest_info = page_info(date, manifest)
    result = extract_paths(
        list(paths),
        home=home,
        max_bytes=max_file_size,
        date=page_date,
        manifest=manifest_info,
        rules_dir=rules_dir,
    )
    corpus = Corpus.from_results(result.files)
    written = write_views(corpus, out, max_overview_nodes=max_overview_nodes or DEFAULT_MAX_OVERVIEW_NODES)
    pages = sum(1 for p in written if p.suffix == ".html")
    click.echo(
        f"kg: wrote {pages} pages for {len(corpus.entities)} entities and {len(corpus.relations)} relations; "
        f"open {Path(out) / 'index.html'}",
        err=True,
    )
    report_skipped(result.errors)
    if result.errors:
        sys.exit(1)


COMMANDS = [views]
