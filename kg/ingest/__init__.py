"""Ingest: files, directories or glob patterns → decoded :class:`~kg.model.SourceText` records.

:mod:`~kg.ingest.files` finds the page files and reads their bytes (what is read and what
is reported), :mod:`~kg.ingest.decode` turns bytes into text, :mod:`~kg.ingest.html` reduces
an HTML page to its article text (and reads its date and publisher from its metadata),
:mod:`~kg.ingest.manifest` reads a manifest of dates and publishers per file. Line endings
become ``"\\n"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from kg.errors import InputError
from kg.ingest.decode import decode, without_controls
from kg.ingest.files import display_path, find_files, read_file_bytes
from kg.ingest.html import read_html
from kg.model import SourceText

__all__ = ["read_source", "read_sources"]

_FORMAT_BY_SUFFIX = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}

_FIX_EMPTY = "pass a file that holds the article text"


def read_sources(
    inputs: Sequence[str], max_bytes: int | None = None
) -> tuple[list[SourceText], list[InputError]]:
    """Expand *inputs* and read every file, collecting per-file errors instead of raising.

    Every path that is not read is reported: missing inputs, folders that cannot be read,
    links to folders, non-regular files, pages over *max_bytes* (default
    :func:`max_file_size`), empty or binary files.
    """
    paths, errors = find_files(inputs)
    sources: list[SourceText] = []
    for path in paths:
        try:
            sources.append(read_source(path, max_bytes=max_bytes))
        except InputError as exc:
            errors.append(exc)
    return sources, errors


def read_source(path: Path | str, max_bytes: int | None = None) -> SourceText:
    """Read and decode one file; HTML is reduced to its article text.

    Raises :class:`InputError` (naming the file and a fix) when the file cannot be read,
    is not a regular file (a FIFO, a device, a socket), is larger than *max_bytes*
    (default :func:`max_file_size`), is empty, or looks binary. The path and name in the
    result and in errors are escaped for display (:func:`display_path`).
    """
    shown = display_path(path)
    p = Path(path)
    data = read_file_bytes(p, max_bytes)
    if not data:
        raise InputError(shown, "file is empty", _FIX_EMPTY)
    text, encoding = decode(data, shown)
    if not text.strip():
        raise InputError(shown, "file is empty", _FIX_EMPTY)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = _FORMAT_BY_SUFFIX.get(p.suffix.lower()) or _sniff_format(text)
    date = publisher = None
    if fmt == "html":
        page = read_html(text)
        text, date, publisher = page.text, page.date, page.publisher
        if not text.strip():
            raise InputError(
                shown,
                "HTML page holds no article text",
                "save the page after it has loaded, or pass its text as .txt",
            )
    text = without_controls(text)
    if publisher is not None:
        publisher = without_controls(publisher)
    return SourceText(
        path=shown,
        name=display_path(p.name),
        text=text,
        encoding=encoding,
        format=fmt,
        date=date,
        publisher=publisher,
    )


def _sniff_format(text: str) -> str:
    head = text[:2048].lstrip("\ufeff \t\n").lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(?:p|div)[\s>]", head):
        return "html"
    return "txt"
