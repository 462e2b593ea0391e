"""kg.dates: dates as pages, metadata and users write them; an article's date from its own and
the page's."""

from __future__ import annotations

import pytest

from kg.dates import PartialDate, article_date, merge, parse_date

P = PartialDate


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2025-03-30", P(2025, 3, 30)),
        ("2025-03-30T08:15:00+08:00", P(2025, 3, 30)),  # article:published_time
        ("2024-11-15 10:20", P(2024, 11, 15)),  # PubDate of government sites
        ("2025/3/30", P(2025, 3, 30)),
        ("2025.03.30", P(2025, 3, 30)),
        ("20250330", P(2025, 3, 30)),
        ("2025年3月30日", P(2025, 3, 30)),
        ("2025 年 3 月 30 日", P(2025, 3, 30)),
        ("3月30日", P(None, 3, 30)),
        ("3月30号", P(None, 3, 30)),
        ("--03-30", P(None, 3, 30)),
        ("2025-03", P(2025, 3, None)),
        ("2025年3月", P(2025, 3, None)),
        ("2025", P(2025, None, None)),
        ("2024-02-29", P(2024, 2, 29)),
        ("2月29日", P(None, 2, 29)),
        # not dates
        ("2025-02-30", None),
        ("2025-13-01", None),
        ("13月1日", None),
        ("1850-01-01", None),  # outside the years of this news
        ("明天", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, want: PartialDate | None) -> None:
    assert parse_date(text) == want


@pytest.mark.parametrize(
    ("dates", "want"),
    [
        ((P(2025), P(2025, 3, 30)), P(2025, 3, 30)),  # a full date beats a year
        ((P(2025, 3, 30), P(2024, 1, 2)), P(2025, 3, 30)),  # equally precise: the first
        ((None, P(2024)), P(2024)),
        ((P(None, 3, 30), P(2025)), P(2025)),  # a year beats a month and day without one
        ((P(None, 3, 30),), P(None, 3, 30)),
        ((None, None), None),
    ],
)
def test_merge_prefers_precision_then_order(
    dates: tuple[PartialDate | None, ...], want: PartialDate | None
) -> None:
    assert merge(*dates) == want


@pytest.mark.parametrize(
    ("own", "page", "want"),
    [
        (P(None, 3, 30), P(2025), "2025-03-30"),  # 3月30日 + the page's year
        (P(None, 3, 29), P(2025, 3, 30), "2025-03-29"),
        (P(None, 4, 2), P(2025, 3, 30), "2025-04-02"),  # announced a few days ahead
        (P(None, 12, 30), P(2026, 1, 3), "2025-12-30"),  # a January page reporting 12月30日
        (P(None, 3, 30), None, "--03-30"),  # no year anywhere
        (P(2024, 7, 1), P(2025, 3, 30), "2024-07-01"),  # its own full date stands
        (None, P(2025, 3, 30), "2025-03-30"),  # no date of its own: the page's
        (None, P(2025), None),  # a year alone is no article date
        (None, None, None),
        (P(None, 2, 29), P(2025), "--02-29"),  # 2025 has no 2月29日: keep what the page says
    ],
)
def test_article_date(own: PartialDate | None, page: PartialDate | None, want: str | None) -> None:
    assert article_date(own, page) == want
