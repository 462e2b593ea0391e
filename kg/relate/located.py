"""locatedIn: places in the official hierarchy, sub-county places and organizations
in the place the text puts them.

- a division is in its parent (gazetteer), parents supplied even when unnamed;
- a town, village or zone is in the place right before it (屯留区张店镇), else in
  the place its name starts with (运城经济技术开发区), else in the county (or town)
  the article is about;
- an organization is in the most specific division its name holds
  (太原供水集团清徐分公司 → 清徐县), else in the place just before it
  (潇河新兴产业园区文源学校), else in the county the article is about, else in the
  home city; national bodies are in no place.
"""

from __future__ import annotations

from bisect import bisect_left

from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.relate import Raw, RelContext, register

_NATIONAL = ("全国", "中华", "中国", "国家", "中央", "国务院", "党中央")


class _Places:
    """The page's place mentions, indexed by span and by article and level."""

    def __init__(self, rc: RelContext) -> None:
        doc = rc.doc
        ms = sorted((m for m in rc.mentions if m.type == "Place"), key=lambda m: m.start)
        self.ms = ms
        self.index: SpanIndex[Mention] = SpanIndex((m.start, m.end, m) for m in ms)
        self.by_name = {e.name: e for e in rc.entities if e.type == "Place"}
        self.levels: dict[tuple[int, str], tuple[list[int], list[Mention]]] = {}
        for m in ms:
            key = (doc.para_at(m.start).article, m.attr("level") or "")
            starts, items = self.levels.setdefault(key, ([], []))
            starts.append(m.start)
            items.append(m)

    def in_article(
        self, art: int, level: str, pos: int, exclude: Mention
    ) -> tuple[Mention | None, Mention | None]:
        """The last place of ``level`` before ``pos`` and the first after it, in one article."""
        starts, items = self.levels.get((art, level), ([], []))
        k = bisect_left(starts, pos)
        before = next((items[i] for i in range(k - 1, -1, -1) if items[i] is not exclude), None)
        after = next((items[i] for i in range(k, len(items)) if items[i] is not exclude), None)
        return before, after


@register("located")
def located(rc: RelContext) -> list[Raw]:
    doc = rc.doc
    gaz = rc.ctx.res.gaz
    out: list[Raw] = []
    first: dict[str, Mention] = {}
    for m in rc.mentions:
        eid = rc.eid(m)
        if eid and eid not in first:
            first[eid] = m
    places = {e.name: e for e in rc.entities if e.type == "Place"}

    def evidence_of(eid: str) -> tuple[int, int] | None:
        m = first.get(eid)
        if m is None:
            return None
        s = doc.sent_at(m.start)
        return s.start, s.end

    # divisions: the gazetteer's hierarchy, for every division of the page
    for e in rc.entities:
        if e.type != "Place" or not e.attr("adcode"):
            continue
        d = gaz.by_code.get(e.attr("adcode"))
        parent = gaz.parent(d) if d is not None else None
        if parent is None or parent.name not in places:
            continue
        span = evidence_of(e.id) or _descendant_evidence(rc, e.name, first, gaz) or _home_evidence(rc, e)
        if span is None:
            continue
        out.append((e.id, "locatedIn", places[parent.name].id, *span))

    # towns, villages, zones and organizations: the place the text puts them in; of all
    # their mentions the one that says most clearly where they are wins
    best: dict[str, tuple[int, str, int, int]] = {}
    pl = _Places(rc)
    for m in rc.mentions:
        if m.type == "Place" and not m.attr("adcode"):
            found = _sub_county_parent(rc, m, pl)
        elif m.type == "Organization":
            found = _org_place(rc, m, pl)
        else:
            continue
        eid = rc.eid(m)
        if found is None or eid is None or found[1] == eid:
            continue
        rank, parent = found
        s = doc.sent_at(m.start)
        if eid not in best or rank < best[eid][0]:
            best[eid] = (rank, parent, s.start, s.end)
    for eid, (_rank, parent, start, end) in best.items():
        out.append((eid, "locatedIn", parent, start, end))
    return out


def _descendant_evidence(
    rc: RelContext, name: str, first: dict[str, Mention], gaz: object
) -> tuple[int, int] | None:
    """Evidence for an implied division: the first mention of a place inside it."""
    doc = rc.doc
    best: Mention | None = None
    for e in rc.entities:
        if e.type != "Place" or e.id not in first or not e.attr("adcode"):
            continue
        d = gaz.by_code.get(e.attr("adcode"))  # type: ignore[attr-defined]  # gaz is the Gazetteer, typed object in this helper
        if d is not None and any(x.name == name for x in gaz.chain(d)[1:]):  # type: ignore[attr-defined]  # gaz is the Gazetteer, typed object in this helper
            m = first[e.id]
            if best is None or m.start < best.start:
                best = m
    if best is None:
        return None
    s = doc.sent_at(best.start)
    return s.start, s.end


def _home_evidence(rc: RelContext, e: object) -> tuple[int, int] | None:
    """The home and its parents need no mention (a county site's 我县 …): their hierarchy
    is stated, for the reader, by the page's first sentence."""
    home = rc.ctx.home
    gaz = rc.ctx.res.gaz
    if home is None or not rc.doc.sentences or e.name not in {d.name for d in gaz.chain(home)}:  # type: ignore[attr-defined]  # gaz is the Gazetteer, typed object in this helper
        return None
    s = rc.doc.sentences[0]
    return s.start, s.end


def _division_id(rc: RelContext, m: Mention) -> str | None:
    return rc.eid(m) if m.attr("adcode") else None


def _sub_county_parent(rc: RelContext, m: Mention, pl: _Places) -> tuple[int, str] | None:
    """(rank, parent id): 0 the place right before it or its name starts with, 1 its
    parent noted at extraction, 2 a place inside its name, 3 the town or county the
    article is about (named before it, then after it)."""
    doc = rc.doc
    level = m.attr("level")
    me = rc.eid(m)
    for p in pl.index.ending_at(m.start) + [p for p in pl.index.starting_at(m.start) if p.end < m.end]:
        pid = rc.eid(p)
        if p is not m and pid and pid != me:
            return 0, pid
    parent_name = m.attr("parent")
    if parent_name and parent_name in pl.by_name:
        return 1, pl.by_name[parent_name].id
    for _s, _e, p in pl.index.overlapping(m.start, m.end):
        if m.start <= p.start and p.end <= m.end and p is not m and p.attr("adcode"):
            pid = rc.eid(p)
            if pid:
                return 2, pid
    art = doc.para_at(m.start).article
    wanted = ("town", "county") if level == "village" else ("county",)
    for use_after in (False, True):
        for want in wanted:
            before, after = pl.in_article(art, want, m.start, m)
            pick = after if use_after else before
            pid = rc.eid(pick) if pick is not None else None
            if pid:
                return 3, pid
    return None


def _org_place(rc: RelContext, m: Mention, pl: _Places) -> tuple[int, str] | None:
    """(rank, place id): 0 the most specific division in its name, 1 the division its
    canonical name starts with, 2 the place right before it, 3 the county the article
    is about, 4 the home city. National bodies have none."""
    doc = rc.doc
    if m.attr("via") == "lexicon" or m.name.startswith(_NATIONAL):
        return None
    gaz = rc.ctx.res.gaz
    # the town or zone its name opens with (X乡党委, X开发区管委会) is more specific than a
    # division inside that name
    for n in range(min(len(m.name), 14), 1, -1):
        p = pl.by_name.get(m.name[:n])
        if p is not None and n < len(m.name) and not p.attr("adcode"):
            return 0, p.id
    inside = [
        p
        for _s, _e, p in pl.index.overlapping(m.start, m.end)
        if m.start <= p.start and p.end <= m.end and p.attr("adcode")
    ]
    if inside:
        levels = {"province": 0, "prefecture": 1, "county": 2}
        top = max(inside, key=lambda p: (levels.get(p.attr("level") or "", 0), p.start))
        pid = rc.eid(top)
        if pid:
            return 0, pid
    name = m.name
    for prefix in ("中共", "共青团"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for n in range(min(len(name), 9), 1, -1):
        if gaz.lookup(name[:n]) and name[:n] in pl.by_name:
            return 1, pl.by_name[name[:n]].id
    for left in pl.index.ending_at(m.start):
        pid = rc.eid(left)
        if pid:
            return 2, pid
    art = doc.para_at(m.start).article
    before, after = pl.in_article(art, "county", m.start, m)
    pick = before or after
    pid = rc.eid(pick) if pick is not None else None
    if pid:
        return 3, pid
    home = rc.actors.home_id()
    return (4, home) if home else None
