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

from kg.model import Mention
from kg.relate import Raw, RelContext, register

_NATIONAL = ("全国", "中华", "中国", "国家", "中央", "国务院", "党中央")


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
        span = evidence_of(e.id) or _descendant_evidence(rc, e.name, first, gaz)
        if span is None:
            continue
        out.append((e.id, "locatedIn", places[parent.name].id, *span))

    # towns, villages, zones and organizations: the place the text puts them in; of all
    # their mentions the one that says most clearly where they are wins
    best: dict[str, tuple[int, str, int, int]] = {}
    place_ms = sorted((m for m in rc.mentions if m.type == "Place"), key=lambda m: m.start)
    for m in rc.mentions:
        if m.type == "Place" and not m.attr("adcode"):
            found = _sub_county_parent(rc, m, place_ms)
        elif m.type == "Organization":
            found = _org_place(rc, m, place_ms)
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
        d = gaz.by_code.get(e.attr("adcode"))  # type: ignore[attr-defined]
        if d is not None and any(x.name == name for x in gaz.chain(d)[1:]):  # type: ignore[attr-defined]
            m = first[e.id]
            if best is None or m.start < best.start:
                best = m
    if best is None:
        return None
    s = doc.sent_at(best.start)
    return s.start, s.end


def _division_id(rc: RelContext, m: Mention) -> str | None:
    return rc.eid(m) if m.attr("adcode") else None


def _sub_county_parent(rc: RelContext, m: Mention, place_ms: list[Mention]) -> tuple[int, str] | None:
    """(rank, parent id): 0 the place right before it or its name starts with, 1 its
    parent noted at extraction, 2 a place inside its name, 3 the town or county the
    article is about (named before it, then after it)."""
    doc = rc.doc
    level = m.attr("level")
    me = rc.eid(m)
    for p in place_ms:
        if p is m or p.start > m.start:
            continue
        if p.end == m.start or (p.start == m.start and p.end < m.end):
            pid = rc.eid(p)
            if pid and pid != me:
                return 0, pid
    by_name = {e.name: e for e in rc.entities if e.type == "Place"}
    parent_name = m.attr("parent")
    if parent_name and parent_name in by_name:
        return 1, by_name[parent_name].id
    for p in place_ms:
        if m.start <= p.start and p.end <= m.end and p is not m and p.attr("adcode"):
            pid = rc.eid(p)
            if pid:
                return 2, pid
    art = doc.para_at(m.start).article
    in_article = [p for p in place_ms if p is not m and doc.para_at(p.start).article == art]
    wanted = ("town", "county") if level == "village" else ("county",)
    for after in (False, True):
        for want in wanted:
            cand = [p for p in in_article if p.attr("level") == want and (p.start > m.start) == after]
            if cand:
                pid = rc.eid(cand[0] if after else cand[-1])
                if pid:
                    return 3, pid
    return None


def _org_place(rc: RelContext, m: Mention, place_ms: list[Mention]) -> tuple[int, str] | None:
    """(rank, place id): 0 the most specific division in its name, 1 the division its
    canonical name starts with, 2 the place right before it, 3 the county the article
    is about, 4 the home city. National bodies have none."""
    doc = rc.doc
    if m.attr("via") == "lexicon" or m.name.startswith(_NATIONAL):
        return None
    gaz = rc.ctx.res.gaz
    by_name = {e.name: e for e in rc.entities if e.type == "Place"}
    inside = [p for p in place_ms if m.start <= p.start and p.end <= m.end and p.attr("adcode")]
    if inside:
        levels = {"province": 0, "prefecture": 1, "county": 2}
        top = max(inside, key=lambda p: (levels.get(p.attr("level"), 0), p.start))
        pid = rc.eid(top)
        if pid:
            return 0, pid
    name = m.name
    for prefix in ("中共", "共青团"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for n in range(min(len(name), 9), 1, -1):
        if gaz.lookup(name[:n]) and name[:n] in by_name:
            return 1, by_name[name[:n]].id
    for p in place_ms:
        if p.end == m.start:
            pid = rc.eid(p)
            if pid:
                return 2, pid
    art = doc.para_at(m.start).article
    counties = [p for p in place_ms if doc.para_at(p.start).article == art and p.attr("level") == "county"]
    before = [p for p in counties if p.start < m.start]
    pick = before[-1] if before else (counties[0] if counties else None)
    if pick is not None and rc.eid(pick):
        return 3, rc.eid(pick)  # type: ignore[return-value]
    home = rc.actors.home_id()
    return (4, home) if home else None
