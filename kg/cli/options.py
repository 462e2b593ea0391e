"""What the commands share: the options of the commands that read pages (extract, eval,
build, views) and the reports on stderr.

``--home`` is declared here once; its value goes to the library as given, and the library
refuses a bad one in one place (:meth:`kg.nlp.gazetteer.Gazetteer.home`), with one message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from kg.ingest.files import DEFAULT_MAX_FILE_SIZE, MAX_FILE_SIZE_OPTION, format_size, parse_size


class _Size(click.ParamType):
    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def max_file_size_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-file-size SIZE``: pages above it are skipped with a message (not read)."""
    return click.option(
        MAX_FILE_SIZE_OPTION,
        "max_file_size",
        type=_Size(),
        default=None,
        help=f"Skip pages larger than this (default {format_size(DEFAULT_MAX_FILE_SIZE).replace(' ', '')}; "
        "e.g. 50MB): a page is read, tokenized and graphed in memory.",
    )(f)


def jobs_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--jobs N``: extract in N processes (default: the CPU count); the output is the same."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Extract in this many processes (default: the number of CPUs); the output is the same "
        "byte for byte whatever the number.",
    )(f)


def rules_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--rules DIR`` (or ``KG_RULES``): an analyst's rule files and vocabularies, layered over
    the bundled ones (the library checks the folder and its files)."""
    return click.option(
        "--rules",
        "rules_dir",
        metavar="DIR",
        envvar="KG_RULES",
        default=None,
        help="Folder of your own rule files (*.toml, layered over kg/rules: lists extend, values "
        "replace) and vocabularies (*.ttl, read with ontology/vocab). Default: $KG_RULES.",
    )(f)


def home_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--home PLACE``: the city or county whose paper printed the pages (``help_text`` says
    what the command does without it)."""
    return click.option("--home", metavar="PLACE", help=help_text)


def page_info_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--date DATE`` and ``--manifest FILE``: what is known of the pages besides their text."""
    f = click.option(
        "--manifest",
        metavar="CSV",
        type=click.Path(dir_okay=False),
        help="A CSV file with the columns file,date,publisher,home: per page file, its date "
        "(YYYY-MM-DD, YYYY-MM or YYYY), publisher and home city (see the README).",
    )(f)
    return click.option(
        "--date",
        metavar="DATE",
        help="The date of the pages (YYYY-MM-DD, YYYY-MM or YYYY): its year completes datelines "
        "such as 3月30日; articles with no date of their own get it. A page's manifest line, "
        "metadata or printed date line, when more precise, wins.",
    )(f)


def page_info(date: str | None, manifest: str | None) -> tuple[str | None, dict[str, Any] | None]:
    """``--date`` checked and ``--manifest`` read (a UsageError names the problem and the fix)."""
    from kg.ingest.manifest import check_date, read_manifest

    return (check_date(date, "--date") if date else None), (read_manifest(manifest) if manifest else None)


def echo_err(msg: str) -> None:
    """One line on stderr."""
    click.echo(msg, err=True)


def report_skipped(errors: Sequence[tuple[str, str]]) -> None:
    """The inputs that were not read or not extracted, one ``kg: skipped`` line each."""
    for _path, msg in errors:
        echo_err(f"kg: skipped {msg}")
