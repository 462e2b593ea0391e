"""Command-line interface: a thin layer over the library.

Library errors are exceptions; here they become one-line messages on stderr and
an exit code (1: some input failed, 2: usage error, 3: broken data files). A
traceback only appears with ``--debug``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from kg.cli_options import max_file_size_option
from kg.errors import KgError


class _Group(click.Group):
    """Turns exceptions into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"kg: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                err=True,
            )
            sys.exit(70)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.version_option(package_name="safety-kg")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """safety-kg: a knowledge graph of work-safety news (安全生产) from Chinese local papers.

    Read newspaper pages (.txt, .md, .html; UTF-8 or GB18030), extract places,
    organizations, industries, venues, hazards, campaigns, mechanisms, measures,
    documents and people with the relations between them, and score the result
    against gold annotations.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _report_errors(errors: Sequence[tuple[str, str]]) -> None:
    for _path, msg in errors:
        click.echo(f"kg: skipped {msg}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--home", metavar="PLACE", help="Home city or county of the pages (e.g. 长治市); inferred when omitted."
)
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
def extract(
    paths: tuple[str, ...], home: str | None, fmt: str, output: str | None, max_file_size: int | None
) -> None:
    """Extract entities (and relations) from PATHS: files, directories or globs.

    Every readable file gives one JSON line. Unreadable files are reported on
    stderr and the exit code is 1; the others are still processed.
    """
    from kg.output import write_jsonl
    from kg.pipeline import extract_paths

    result = extract_paths(list(paths), home=home, max_bytes=max_file_size)
    if output:
        write_jsonl(result.files, output)
    else:
        write_jsonl(result.files, sys.stdout)
    _report_errors(result.errors)
    if result.errors:
        sys.exit(1)


@main.command(name="eval")
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Gold JSONL (one line per input file).",
)
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--home",
    metavar="PLACE",
    help="Home place for all inputs (default: each gold line's `home`, else inferred per page).",
)
@click.option("--misses", is_flag=True, help="List what was missed and what was extra, per file.")
@max_file_size_option
def evaluate(
    gold_path: str, paths: tuple[str, ...], home: str | None, misses: bool, max_file_size: int | None
) -> None:
    """Score extraction from PATHS against a gold file: P/R/F1 per type and predicate.

    PATHS are input pages (extracted now) or a JSONL file written by `kg extract`.
    """
    from kg.evaluate import format_report, load_jsonl, score
    from kg.output import file_record
    from kg.pipeline import extract_paths

    gold = load_jsonl(gold_path)
    if len(paths) == 1 and paths[0].endswith(".jsonl"):
        pred = load_jsonl(paths[0])
        errors: list[tuple[str, str]] = []
    else:
        # each file with its gold line's home, as a user would run it (kg extract --home)
        homes = {} if home else {g["file"]: g["home"] for g in gold if g.get("home")}
        result = extract_paths(list(paths), home=home, homes=homes, max_bytes=max_file_size)
        pred = [file_record(r) for r in result.files]
        errors = result.errors
    click.echo(format_report(score(gold, pred), misses=misses))
    _report_errors(errors)
    if errors:
        sys.exit(1)


def _register_commands() -> None:
    """Commands over the built graph (build, query, serve, push: kg/cli_graph.py) and the
    HTML views (kg/cli_views.py) live in their own modules; each exports ``COMMANDS``."""
    from kg import cli_graph, cli_views

    for module in (cli_graph, cli_views):
        for cmd in module.COMMANDS:
            main.add_command(cmd)


_register_commands()
