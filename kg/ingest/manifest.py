"""A manifest: what the user knows of each page file (its date, publisher, home).

A CSV file with a header row; the column ``file`` names a page (its file name, as the
JSONL ``file`` field; a path is read as its last part), the others are optional::

    file,date,publisher,home
    004_62080bcc380399cf.txt,2025-05-12,长治日报,长治市
    dev_01_yancheng.txt,2025-06-06,盐城晚报,

``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (``2025/6/6`` and ``2025年6月6日`` read too);
``publisher`` the paper, media centre or site; ``home`` the city or county (as ``--home``).
An empty cell says nothing. The file may be UTF-8 (with or without BOM) or GB18030, as
spreadsheet programs save it. Every problem is a one-line :class:`~kg.errors.UsageError`
naming the file, the line and the fix, raised before any page is read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from kg.dates import parse_date
from kg.errors import InputError, UsageError

#: the columns a manifest may have (``file`` is required)
COLUMNS = ("file", "date", "publisher", "home")

DATE_FORMS = "write YYYY-MM-DD, YYYY-MM or YYYY"


@dataclass(frozen=True)
class PageInfo:
    """What is known of one page besides its text (None: nothing said)."""

    date: str | None = None  # ISO 8601, maybe partial: 2025-03-30, 2025-03, 2025
    publisher: str | None = None
    home: str | None = None


def check_date(value: str, where: str) -> str:
    """``value`` as an ISO date with a year (``2025-03-30``, ``2025-03``, ``2025``), or a
    UsageError naming ``where`` (an option or a manifest line) and the forms to write."""
    d = parse_date(value)
    iso = d.iso() if d is not None else None
    if d is None or iso is None or d.year is None:
        raise UsageError(f"{where}: {value!r} is not a date with a year; {DATE_FORMS}")
    return iso


def read_manifest(path: str | Path) -> dict[str, PageInfo]:
    """The manifest at ``path``: page file name → :class:`PageInfo`."""
    from kg.ingest.decode import decode
    from kg.ingest.files import display_path

    shown = display_path(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"{shown}: no such manifest; pass a CSV file with the columns {','.join(COLUMNS)}"
        ) from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read the manifest ({exc.strerror or exc})") from exc
    try:
        text, _encoding = decode(data, shown)
    except InputError as exc:
        raise UsageError(f"{exc}; a manifest is a CSV text file") from exc
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [c.strip().lower() for c in next(rows, [])]
    if "file" not in header:
        raise UsageError(f"{shown}: the manifest has no 'file' column; its first row names the columns, "
                         f"e.g. {','.join(COLUMNS)}")  # fmt: skip
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        raise UsageError(
            f"{shown}: unknown column {unknown[0]!r}; a manifest's columns are {', '.join(COLUMNS)}"
        )
    if len(set(header)) < len(header):
        raise UsageError(f"{shown}: a column is named twice in the first row; name each once")
    out: dict[str, PageInfo] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise UsageError(f"{shown} line {line}: {len(row)} cells for {len(header)} columns; "
                             "quote a cell that holds a comma")  # fmt: skip
        cells = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(header) if c}
        name = _base_name(cells["file"])
        if not name:
            raise UsageError(f"{shown} line {line}: the 'file' cell is empty; name the page file")
        if name in out:
            raise UsageError(f"{shown} line {line}: {name} is listed twice; keep one line per file")
        date = cells.get("date") or None
        if date is not None:
            date = check_date(date, f"{shown} line {line}")
        publisher, home = cells.get("publisher") or None, cells.get("home") or None
        out[name] = PageInfo(date=date, publisher=publisher, home=home)
    return out


def _base_name(cell: str) -> str:
    """The file name of a cell that may hold a path (POSIX or Windows)."""
    return PureWindowsPath(PurePosixPath(cell).name).name if cell else ""
