"""Dates of pages and articles: parsed from what a page, its metadata or the user says.

A date may be partial: a dateline says 3月30日 (no year), ``--date 2025`` gives a year.
:class:`PartialDate` holds what is known; :func:`merge` picks the most precise of several
sources (the first in order among equally precise ones); :func:`article_date` completes an
article's month and day with the page's year. Dates are written in ISO 8601: ``2025-03-30``,
``--03-30`` (month and day, year unknown), ``2025-03``, ``2025``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from kg import rules
from kg.text import rx

#: The years a page of local news can carry (a wider number is a misread, not a date).
YEARS = range(1949, 2100)

#: A month and day more than this many days after the page's date is of the year before (a
#: January page reporting 12月30日); nearer, it is the page's year (a date announced ahead).
_ROLL_BACK_DAYS = 62

#: what may follow a date written with digits: nothing, or a time (T08:15, 10:20)
_AFTER = r"(?=\s*$|T|\s+\d{1,2}[:：])"
_ISO = r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?" + _AFTER
_COMPACT = r"^\s*(\d{4})(\d{2})(\d{2})" + _AFTER
_MONTH_DAY = r"^\s*--(\d{2})-(\d{2})\s*$"


@dataclass(frozen=True)
class PartialDate:
    """A date of which the year, the month and day, or all three are known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def full(self) -> bool:
        return self.year is not None and self.month is not None and self.day is not None

    @property
    def precision(self) -> int:
        """3 for a full date, 2 for a year and month, 1 for a year alone, 0 without a year."""
        if self.year is None:
            return 0
        return 1 + (self.month is not None) + (self.month is not None and self.day is not None)

    def iso(self) -> str | None:
        """ISO 8601: ``2025-03-30``, ``2025-03``, ``2025``, ``--03-30``; None when empty."""
        if self.year is not None:
            if self.month is None:
                return f"{self.year:04d}"
            if self.day is None:
                return f"{self.year:04d}-{self.month:02d}"
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None and self.day is not None:
            return f"--{self.month:02d}-{self.day:02d}"
        return None


def _valid(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    if year is not None and year not in YEARS:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        if month is None:
            return None
        try:
            _dt.date(year if year is not None else 2024, month, day)  # 2024: 2月29日 is a date
        except ValueError:
            return None
    return PartialDate(year, month, day)


def _int(s: str | None) -> int | None:
    return int(s) if s else None


def parse_date(text: str | None) -> PartialDate | None:
    """A date written as ISO 8601 (``2025-03-30``, ``2025-03-30T08:00:00+08:00``, ``2025-03``,
    ``2025``, ``--03-30``), with slashes or dots (``2025/3/30``), compact (``20250330``) or in
    Chinese (``2025年3月30日``, ``3月30日``, ``2025年3月``); None when it is none of these or
    names no real day."""
    if not text:
        return None
    text = text.strip()
    m = rx(_MONTH_DAY).match(text)
    if m:
        return _valid(None, int(m.group(1)), int(m.group(2)))
    m = rx(_ISO).match(text) or rx(_COMPACT).match(text)
    if m:
        return _valid(int(m.group(1)), _int(m.group(2)), _int(m.group(3)))
    m = rx(rules.active().layout.chinese_date_pattern).search(text)
    if m:
        return _valid(_int(m.group(1)), int(m.group(2)), _int(m.group(3)))
    return None


def merge(*dates: PartialDate | None) -> PartialDate | None:
    """The most precise of ``dates`` (a full date beats a year); among equally precise
    ones, the first. A date without a year counts only when no date has one."""
    best: PartialDate | None = None
    for d in dates:
        if d is None or d.iso() is None:
            continue
        if best is None or d.precision > best.precision:
            best = d
    return best


def article_date(own: PartialDate | None, page: PartialDate | None) -> str | None:
    """An article's date in ISO form: its own (a dateline's 3月30日) with the year of the
    page when it has none, else the page's full date; ``--03-30`` when no year is known.

    A month and day far after the page's date (a January page reporting 12月30日) fall in
    the year before the page's."""
    if own is not None and own.full:
        return own.iso()
    if own is not None and own.month is not None and own.day is not None:
        year = page.year if page is not None else None
        if year is None:
            return own.iso()
        if page is not None and page.full:
            assert page.month is not None and page.day is not None
            ahead = _dt.date(year, own.month, min(own.day, 28)) - _dt.date(year, page.month, page.day)
            if ahead.days > _ROLL_BACK_DAYS:
                year -= 1
        day = own.day
        if own.month == 2 and day == 29 and _valid(year, 2, 29) is None:
            return own.iso()  # 2月29日 of a year that has none: keep what the page says
        return PartialDate(year, own.month, day).iso()
    if page is not None and page.full:
        return page.iso()
    return None


def year_of(iso: str | None) -> int | None:
    """The year of an ISO date written by this module (None for ``--03-30`` or None)."""
    if not iso or iso.startswith("--"):
        return None
    return int(iso[:4])
