"""Which city (or county) a page belongs to: the place 我市, 全市, 市应急管理局 mean.

Inferred from the text: the prefecture most of the page's named places belong to,
with extra weight for the paper's own name (太原日报) and for prefecture names;
a county paper (我县 plus one dominant county) gets that county. ``--home``
overrides the inference.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.extract import Context
from kg.nlp.gazetteer import Division

_PAPER_WORDS = ("日报", "晚报", "晨报", "新闻", "融媒")
_PAPER = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:" + "|".join(_PAPER_WORDS) + ")")


def resolve_home(ctx: Context, override: str | None) -> Division | None:
    """The home division of the page (``override`` wins when given)."""
    if override:
        return ctx.res.gaz.home(override)
    return infer_home(ctx)


def infer_home(ctx: Context) -> Division | None:
    """Vote for a prefecture with every place the page names."""
    gaz = ctx.res.gaz
    doc = ctx.doc
    votes: Counter[str] = Counter()
    county_votes: Counter[str] = Counter()
    for h in ctx.hits_with("place", "short"):
        for kind, data in h.payloads:
            if kind not in ("place", "short"):
                continue
            if kind == "short" and not doc.aligned(h.start, h.end):
                continue
            divs = [gaz.by_code[c] for c in data]
            if len(divs) != 1:
                continue  # an ambiguous name says nothing about the home
            d = divs[0]
            pref = gaz.prefecture_of(d)
            if pref is None:
                continue
            if d.level == "prefecture" or (d.level == "province" and d.kind == "直辖市"):
                votes[pref.adcode] += 2 if kind == "place" else 1
            elif d.level == "county":
                votes[pref.adcode] += 1
                county_votes[d.adcode] += 1
    # the paper's own name; most pages have none of its words, and the pattern is slow
    papers = _PAPER.finditer(doc.text) if any(w in doc.text for w in _PAPER_WORDS) else ()
    for m in papers:
        for d in gaz.lookup_short(m.group(1)) + gaz.lookup(m.group(1)):
            pref = gaz.prefecture_of(d)
            if pref is not None:
                votes[pref.adcode] += 5
    if not votes:
        return None
    best, n = votes.most_common(1)[0]
    if n < 2:
        return None
    home = gaz.by_code[best]
    # a county paper: 我县 and one county named far more than any other
    if "我县" in doc.text and county_votes:
        (c1, k1), *rest = county_votes.most_common(2)
        if k1 >= 3 and (not rest or k1 >= 3 * rest[0][1]):
            county = gaz.by_code[c1]
            if gaz.prefecture_of(county) == home:
                return county
    return home
