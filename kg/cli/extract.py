"""``kg extract`` and ``kg eval``: pages → JSONL in the gold format, and its score against gold.

Registered by kg/cli/__init__.py (module-level ``COMMANDS``); nothing heavy is imported here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

from kg.cli.options import home_option, jobs_option, max_file_size_option, report_skipped, rules_option


@click.command()
@click.argument("paths", nargs=-1, required=True)
@home_option("Home city or county of the pages (e.g. 长治市); inferred when omitted.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl"]),
    default="jsonl",
    show_default=True,
    help="Output format: one JSON line per input file, in the gold format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (atomically) instead of stdout.",
)
@max_file_size_option
@jobs_option
@rules_option
def extract(
    paths: tuple[str, ...],
    home: str | None,
    fmt: str,
    output: str | None,
    max_file_size: int | None,
    jobs: int | None,
    rules_dir: str | None,
) -> None:
    """Extract entities (and relations) from PATHS: files, directories or globs.

    Every readable file gives one JSON line. Unreadable files are reported on
    stderr and the exit code is 1; the others are still processed.
    """
    from kg.export.jsonl import jsonl_line, write_lines
    from kg.pipeline import iter_pages

    errors: list[tuple[str, str]] = []

    def lines() -> Iterator[str]:
        # each line rendered where its page was extracted (a worker with --jobs N) and written
        # as the page comes back (in input order); the results themselves stay in the workers
        for page in iter_pages(
            list(paths),
            home=home,
            max_bytes=max_file_size,
            jobs=jobs,
            rules_dir=rules_dir,
            page_work=jsonl_line,
            results=False,
        ):
            if page.error is not None:
                errors.append((page.path, page.error))
            else:
                yield page.extra

    write_lines(lines(), output if output else sys.stdout)
    report_skipped(errors)
    if errors:
        sys.exit(1)


@click.command(name="eval")
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Gold JSONL (one line per input file).",
)
@click.argument("paths", nargs=-1, required=True)
@home_option("Home place for all inputs (default: each gold line's `home`, else inferred per page).")
@click.option("--misses", is_flag=True, help="List what was missed and what was extra, per file.")
@max_file_size_option
@rules_option
def evaluate(
    gold_path: str,
    paths: tuple[str, ...],
    home: str | None,
    misses: bool,
    max_file_size: int | None,
    rules_dir: str | None,
) -> None:
    """Score extraction from PATHS against a gold file: P/R/F1 per type and predicate.

    PATHS are input pages (extracted now) or a JSONL file written by `kg extract`.
    """
    from kg.evaluate import format_report, load_jsonl, score
    from kg.export.jsonl import file_record
    from kg.pipeline import extract_paths

    gold = load_jsonl(gold_path)
    if len(paths) == 1 and paths[0].endswith(".jsonl"):
        pred = load_jsonl(paths[0])
        errors: list[tuple[str, str]] = []
    else:
        # each file with its gold line's home, as a user would run it (kg extract --home)
        homes = {} if home else {g["file"]: g["home"] for g in gold if g.get("home")}
        result = extract_paths(
            list(paths), home=home, homes=homes, max_bytes=max_file_size, rules_dir=rules_dir
        )
        pred = [file_record(r) for r in result.files]
        errors = result.errors
    click.echo(format_report(score(gold, pred), misses=misses))
    report_skipped(errors)
    if errors:
        sys.exit(1)


COMMANDS = [extract, evaluate]
