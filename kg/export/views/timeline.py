"""Timelines: activity per month, stacked by entity type, drawn as inline SVG (no script needed).

The index's counts the entities named per month (an entity named in an article of that month
counts once per article), by the entity's type; an entity's counts the sentences stating its
relations per month, by the type of the other end (a county's campaigns, industries,
measures …). Only articles with a full date count; the note says how many have none. A click on
a month keeps that month in the page's date filter (assets/tables.js).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from kg.export.views.data import TYPE_STYLE, ViewIndex, type_rank
from kg.export.views.escape import h
from kg.model import ENTITY_TYPES

#: Geometry of the chart (px): the narrowest and widest bar pitch, the width the bars of a
#: short span share, the bars' share of the pitch, plot height, margins.
_PITCH = (26, 56)
_SPREAD = 560
_BAR = 0.7
_PLOT = 120
_LEFT = 34
_TOP = 8
_BOTTOM = 34


Months = dict[str, Counter[str]]  # "2025-03" → {type: count}


def index_months(ix: ViewIndex) -> tuple[Months, int]:
    """Entities named per month by type, and the number of articles without a full date."""
    per_article: dict[str, set[str]] = defaultdict(set)
    known = set(ix.order)
    for eid, refs in ix.corpus.mentions.items():
        if eid in known:
            for m in refs:
                per_article[m.article].add(eid)
    months: Months = defaultdict(Counter)
    undated = 0
    for aid in ix.corpus.articles:
        d = ix.date_of(aid)
        if not d:
            undated += 1
            continue
        for eid in per_article.get(aid, ()):
            months[d[:7]][eid.partition(":")[0]] += 1
    return dict(months), undated


def entity_months(ix: ViewIndex, eid: str) -> tuple[Months, int]:
    """The sentences stating an entity's relations per month, by the type of the other end, and
    the number of those sentences in articles without a full date."""
    months: Months = defaultdict(Counter)
    undated = 0
    for r in ix.by_entity.get(eid, []):
        other = (r.o if r.s == eid else r.s).partition(":")[0]
        for ev in r.evidence:
            d = ix.date_of(ev.article)
            if d:
                months[d[:7]][other] += 1
            else:
                undated += 1
    return dict(months), undated


def _ticks(peak: int) -> list[int]:
    """Round values for the axis up to ``peak``: multiples of 1, 2 or 5 × 10ⁿ, at most four."""
    base = 1
    while True:
        for f in (1, 2, 5):
            step = base * f
            if peak // step <= 4:
                return list(range(step, peak + 1, step))
        base *= 10


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline_html(months: Months, undated: int, *, what: str, unit: str, empty: str) -> str:
    """A section with the stacked monthly bars of ``months`` (every month between the first and
    the last, empty ones included), a legend of the types drawn and a note on the undated."""
    note = ""
    if undated:
        note = (
            f'<p class="note">{undated:,} {h(unit)} without a full date are not drawn (give '
            "<code>--date</code> or a manifest: see the README) 无完整日期者未计入</p>"
        )
    if not months:
        return (
            '<section class="timeline" id="timeline"><h2>Timeline 时间线</h2>'
            f'<p class="empty">{h(empty)}</p>{note}</section>'
        )
    axis = _month_range(min(months), max(months))
    types = sorted({t for c in months.values() for t in c}, key=type_rank)
    peak = max(sum(c.values()) for c in months.values())
    pitch = max(_PITCH[0], min(_PITCH[1], _SPREAD // len(axis)))
    bar_w = round(pitch * _BAR)
    width = _LEFT + pitch * len(axis) + 8
    height = _TOP + _PLOT + _BOTTOM
    parts = [
        f'<svg class="timeline" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'data-peak="{peak}" aria-label="{h(what)} per month">'
    ]
    base = _TOP + _PLOT
    for tick in _ticks(peak):
        y = base - _PLOT * tick / peak
        parts.append(
            f'<line class="grid" x1="{_LEFT - 4}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for k, month in enumerate(axis):
        counts = months.get(month, Counter())
        x = _LEFT + pitch * k
        total = sum(counts.values())
        tip = (
            f"{month}: {total} "
            + unit
            + (" — " + ", ".join(f"{t} {counts[t]}" for t in types if counts[t]) if total else "")
        )
        parts.append(
            f'<g class="month" data-month="{month}" data-n="{total}"><title>{h(tip)}</title>'
            f'<rect class="hit" x="{x}" y="{_TOP}" width="{pitch}" height="{_PLOT}"/>'
        )
        y = float(base)
        for t in types:
            n = counts.get(t, 0)
            if not n:
                continue
            bar = _PLOT * n / peak
            y -= bar
            parts.append(
                f'<rect class="bar" x="{x + (pitch - bar_w) / 2:.1f}" y="{y:.2f}" width="{bar_w}" '
                f'height="{bar:.2f}" fill="{TYPE_STYLE[t][1]}" data-type="{h(t)}" data-n="{n}"/>'
            )
        label = f"{int(month[5:7])}月"
        parts.append(
            f'<text class="m" x="{x + pitch / 2}" y="{base + 13}" text-anchor="middle">{label}</text>'
        )
        if k == 0 or month.endswith("-01"):
            parts.append(
                f'<text class="y" x="{x + pitch / 2}" y="{base + 27}" text-anchor="middle">{month[:4]}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    legend = "".join(
        f'<span class="chip"><span class="swatch" data-type="{h(t)}">'
        f'<svg width="10" height="10"><rect width="10" height="10" fill="{TYPE_STYLE[t][1]}"/></svg></span>'
        f"{h(t)} {h(TYPE_STYLE[t][0])}</span>"
        for t in ENTITY_TYPES
        if t in types
    )
    return (
        '<section class="timeline" id="timeline"><h2>Timeline 时间线 '
        f"<small>{h(what)} per month, by type 每月按类型 · click a month to keep it 点击月份筛选</small></h2>"
        f'<div class="chart">{"".join(parts)}</div><p class="legend">{legend}</p>{note}</section>'
    )
