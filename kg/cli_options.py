"""Options shared by the commands that read pages (extract, eval, build, views)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kg.ingest import DEFAULT_MAX_FILE_SIZE, MAX_FILE_SIZE_OPTION, format_size, parse_size


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
