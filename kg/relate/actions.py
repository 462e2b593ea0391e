"""What actors do: targets, takesMeasure, adopts, implements, organizes.

Every industry, venue and hazard, measure, mechanism and campaign named in a clause
is attached to the clause's actors. A measure in a negated clause (未发生…, 不得…) is
not taken. A campaign is implemented by a place or by an organization carrying it
out, organized by an organization that runs it (开展/举办/主办 …). A campaign also
targets what its own name and its description name (此次排查聚焦…).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from kg import rules
from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.relate import Raw, RelContext, register
from kg.text import CLOSE_QUOTES, OPEN_QUOTES

_PRED = {
    "Industry": "targets",
    "Venue": "targets",
    "Hazard": "targets",
    "Measure": "takesMeasure",
    "Mechanism": "adopts",
}
_TARGET_TYPES = ("Industry", "Venue", "Hazard")


class _Conf:
    """The campaign and action rules of relations.toml, compiled (once per rule set)."""

    def __init__(self, rs: rules.RuleSet) -> None:
        r = rs.relations
        alt = rules.alternation
        self.neg_re = re.compile(alt(r.negations))
        self.org_verbs = re.compile(f"(?:{alt(r.organize_verbs)})$")
        self.imp_verbs = re.compile(f"(?:{alt(r.implement_verbs)})$")
        self.focus_re = re.compile(alt(r.campaign_focus_openers))
        self.field_words_re = re.compile(f"(?:{alt(r.campaign_field_words)})")
        self.back_ref_re = re.compile(
            f"(?:{alt(r.campaign_back_references)}|{r.campaign_back_reference_pattern})"
        )
        self.event_verbs = re.compile(alt(r.event_verbs))
        self.duration_re = re.compile(r.campaign_duration_pattern)
        self.filler_re = re.compile(f"(?:{alt(r.campaign_list_fillers)})")
        self.event_time_re = re.compile(r.event_time_pattern)
        self.event_venue_marker = r.event_venue_marker
        self.day_heads = tuple(r.day_campaign_heads)
        self.run_joiners = frozenset(OPEN_QUOTES + CLOSE_QUOTES) | frozenset(r.list_joiners)
        self.spaces = frozenset(r.spaces)
        self.possessive_marker = r.possessive_marker
        self.own_campaign_words = tuple(r.own_campaign_words)
        self.organize_cues = tuple(r.organize_cues)
        self.implement_cues = tuple(r.implement_cues)
        self.description_breaks = tuple(r.description_breaks)
        # canonical names of the lexicon's national campaigns (全国安全生产月 …)
        self.national = frozenset(n for c in rs.names.campaigns if c.national for n in (c.name, *c.aliases))


def _conf() -> _Conf:
    return rules.active().compiled(_Conf)


def national_campaigns() -> frozenset[str]:
    """Canonical names of the lexicon's national campaigns (全国安全生产月 …): a local
    body carries them out (implements), it does not run them (organizes)."""
    return _conf().national


def is_national(rc: RelContext, cid: str) -> bool:
    """Whether the campaign entity ``cid`` is a national campaign (by any of its names)."""
    e = rc.by_key.get(("Campaign", cid.split(":", 1)[1]))
    forms = (e.name, *e.aliases) if e is not None else (cid.split(":", 1)[1],)
    return any(f in national_campaigns() for f in forms)


@register("actions")
def actions(rc: RelContext) -> list[Raw]:
    """Attach each object mention to the actors of its clause."""
    doc = rc.doc
    text = doc.text
    actors = rc.actors
    conf = _conf()
    out: list[Raw] = []
    names = SpanIndex((m.start, m.end, m) for m in rc.mentions if m.type == "Mechanism")
    campaigns_by_sent: dict[int, list] = {}
    for m in rc.mentions:
        if m.type == "Campaign":
            campaigns_by_sent.setdefault(doc.sent_index(m.start), []).append(m)
    for m in rc.mentions:
        oid = rc.eid(m)
        if oid is None:
            continue
        clause = actors.clause_at(m.start)
        if clause is None:
            continue
        ev = (clause.start, clause.end)
        if m.type in _PRED:
            pred = _PRED[m.type]
            if pred == "takesMeasure" and conf.neg_re.search(text, clause.start, m.start):
                continue  # 未发生洪涝 / 不得动员: not a measure taken
            if pred == "takesMeasure" and names.any_containing(m.start, m.end, strict=True):
                continue  # part of a mechanism's name (“…职能部门巡查”三级监管网络机制)
            for a in actors.through_places(clause.actors):
                out.append((a, pred, oid, *ev))
        elif m.type == "Campaign":
            verb = _campaign_verb(rc, m, clause.start)
            owner = _owner(rc, m)
            if owner is not None:
                out.append((owner, "implements", oid, *ev))  # 太原市的“春风行动”
                continue
            # 纵深推进全市消防安全治本攻坚三年行动: the city carries it out (and so do the actors)
            k, _fields = _field_before(rc, m.start, clause.start)
            scoped = actors.scope_place(k)
            if scoped is not None:
                out.append((scoped, "implements", oid, *ev))
            venue = _event_place(rc, m, clause)
            if venue is not None:
                out.append((venue, "implements", oid, *ev))  # 第三届…艺术周在X县开幕
                continue
            if verb is None and not m.name.endswith(conf.day_heads):
                continue  # named without being carried out (…等品牌项目均有呈现)
            for a in actors.through_places(clause.actors):
                pred = "implements"
                partner = bool(clause.lead) and a not in clause.lead
                if a.startswith("Organization:") and verb == "organize" and not is_national(rc, oid):
                    # the lead of joint work runs its campaign; its partners carry it out
                    pred = "implements" if partner else "organizes"
                out.append((a, pred, oid, *ev))
    out.extend(_campaign_targets(rc, campaigns_by_sent))
    out.extend(_back_referenced(rc))
    return out


def _event_place(rc: RelContext, m: Mention, clause) -> str | None:
    """第十一届…旅游节将于7月12日在X市开幕: an event opening (举行, 举办 …) in a place is
    that place's; the first place named after 在 (the county of 在X县Y镇)."""
    text = rc.doc.text
    conf = _conf()
    marker = conf.event_venue_marker
    k = text.find(marker, m.end, min(m.end + 16, clause.end))
    if k < 0 or not conf.event_time_re.fullmatch(text, m.end, k):
        return None  # only a date between (将于7月12日): …启动仪式在X区举行 is the ceremony's
    place = next((p for p in rc.actors.index.starting_at(k + len(marker)) if p.type == "Place"), None)
    if place is None:
        return None
    if not conf.event_verbs.search(text, place.end, min(place.end + 16, clause.end)):
        return None
    return rc.eid(place)


def _back_referenced(rc: RelContext) -> list[Raw]:
    """此次行动由市安委会统一部署，A、B分工负责 / 行动期间，X县共检查…: from a clause that
    opens with a back reference to a campaign, the sentence is about the campaign named
    last before it in the article; whoever acts there implements it (its hosts organize
    it: kg.relate.others)."""
    doc = rc.doc
    text = doc.text
    conf = _conf()
    out: list[Raw] = []
    camps = sorted((m for m in rc.mentions if m.type == "Campaign"), key=lambda m: m.start)
    starts = [m.start for m in camps]
    clauses = rc.actors.clauses
    done: set[int] = set()
    for i, c in enumerate(clauses):
        if c.sent in done:
            continue
        s = doc.sentences[c.sent]
        q = c.start
        while q < c.end and text[q] in conf.spaces:
            q += 1
        p = rc.actors.skip_openers(c.start, c.end)
        if not (conf.back_ref_re.match(text, q) or conf.back_ref_re.match(text, p)):
            continue
        k = bisect_left(starts, s.start) - 1
        if k < 0 or doc.sentences[doc.sent_index(camps[k].start)].article != s.article:
            continue
        cid = rc.eid(camps[k])
        if cid is None:
            continue
        done.add(c.sent)
        for cc in clauses[i:]:
            if cc.sent != c.sent:
                break
            for a in rc.actors.through_places(cc.actors):
                out.append((a, "implements", cid, cc.start, cc.end))
    return out


def _owner(rc: RelContext, m) -> str | None:
    """太原市的“春风行动”: a place or body right before 的 and the name owns it."""
    text = rc.doc.text
    marker = _conf().possessive_marker
    k = m.start
    while k > 0 and text[k - 1] in OPEN_QUOTES:
        k -= 1
    if not text.endswith(marker, 0, k):
        return None
    for o in rc.actors.index.ending_at(k - len(marker)):
        if o.type in ("Place", "Organization"):
            return rc.eid(o)
    return None


def _campaigns_by_end(rc: RelContext) -> dict[int, Mention]:
    """Campaign mentions by end offset (cached on the context: built once a page)."""
    cached = getattr(rc, "_campaigns_by_end", None)
    if cached is None:
        cached = {c.end: c for c in rc.mentions if c.type == "Campaign"}
        rc._campaigns_by_end = cached  # type: ignore[attr-defined]  # a per-page cache hung on the RelContext
    return cached


def _targets_by_end(rc: RelContext) -> dict[int, Mention]:
    """Industry, venue and hazard mentions by end offset (cached on the context)."""
    cached = getattr(rc, "_targets_by_end", None)
    if cached is None:
        cached = {}
        for t in rc.mentions:
            if t.type in _TARGET_TYPES and (t.end not in cached or t.start < cached[t.end].start):
                cached[t.end] = t
        rc._targets_by_end = cached  # type: ignore[attr-defined]  # a per-page cache hung on the RelContext
    return cached


def _campaign_verb(rc: RelContext, m, clause_start: int) -> str | None:
    """The verb that carries a campaign out: "organize" (开展, 举办 …), "implement"
    (推进, 落实 …) or None. It may stand before a run of quoted names
    (组织开展“A”“B”等活动)."""
    text = rc.doc.text
    conf = _conf()
    k = m.start
    campaigns = _campaigns_by_end(rc)
    # where a run of names ends on the left (remembered per page: each name of a run
    # walking the whole run back was quadratic)
    memo: dict[tuple[int, int], int] = rc.__dict__.setdefault("_run_starts", {})
    seen = []
    while k >= clause_start:  # a run reaching back past the clause leaves no verb before it
        if (k, clause_start) in memo:
            k = memo[(k, clause_start)]
            break
        seen.append(k)
        j = k
        while j > clause_start and text[j - 1] in conf.run_joiners:
            j -= 1
        # 开展A专项整治工作、B专项整治工作: a generic noun after the previous name of the run
        filler = conf.filler_re.search(text, max(clause_start, j - 4), j) if j < k else None
        if filler is not None and filler.end() == j and campaigns.get(filler.start()) is not None:
            j = filler.start()
        prev = campaigns.get(j)
        if prev is not None and prev.start < k:
            k = prev.start
            continue
        k = j
        break
    memo.update(dict.fromkeys(((x, clause_start) for x in seen), k))
    # 开展危险化学品企业“红线护航”专项行动: the field the campaign covers stands between
    # the verb and the name
    k, _fields = _field_before(rc, k, clause_start)
    k = _scope_start(rc, k, clause_start)
    before = text[max(clause_start, k - 10) : k]
    if conf.imp_verbs.search(before):
        return "implement"
    if conf.org_verbs.search(before):
        return "organize"  # 在全市范围内开展“…”: the verb, not the scope, decides
    if any(w in before for w in conf.own_campaign_words):
        return "implement"  # 全市安全生产“除险清患”专项行动: the place's own campaign
    if any(v in before for v in conf.organize_cues):
        return "organize"
    if any(v in before for v in conf.implement_cues):
        return "implement"
    return None


def _scope_start(rc: RelContext, k: int, clause_start: int) -> int:
    """Walk back over what may stand between a verb and the campaign it carries out: a
    scope word (开展全县…) and a duration (启动为期三个月的…)."""
    text = rc.doc.text
    conf = _conf()
    m = conf.duration_re.search(text, max(clause_start, k - 12), k)
    if m is not None and m.end() == k:
        k = m.start()
    from kg.relate.actors import scope_words

    for word in scope_words():
        if text.endswith(word, clause_start, k):
            return k - len(word)
    return k


def _field_before(rc: RelContext, k: int, clause_start: int) -> tuple[int, list[Mention]]:
    """Walk back from ``k`` over the field a campaign name is prefixed with (危险化学品企业
    “红线护航”专项行动): industry, venue and hazard names and field words. Returns where the
    field starts and its terms."""
    text = rc.doc.text
    conf = _conf()
    targets = _targets_by_end(rc)
    terms: list[Mention] = []
    while k > clause_start:
        if text[k - 1] in OPEN_QUOTES:
            k -= 1
            continue
        t = targets.get(k)
        if t is not None and t.start < k:
            terms.append(t)
            k = t.start
            continue
        w = conf.field_words_re.search(text, max(clause_start, k - 4), k)
        if w is not None and w.end() == k and w.start() < k:
            k = w.start()
            continue
        break
    return k, terms


def _campaign_targets(rc: RelContext, campaigns_by_sent: dict[int, list]) -> list[Raw]:
    """A campaign targets what its name names (春季电气火灾隐患排查行动 → 电气火灾) and
    what the sentence describing it names (推进“敲门行动”。聚焦高层建筑…)."""
    doc = rc.doc
    text = doc.text
    out: list[Raw] = []
    targets = [m for m in rc.mentions if m.type in _TARGET_TYPES]
    by_sent: dict[int, list] = {}
    for t in targets:
        by_sent.setdefault(doc.sent_index(t.start), []).append(t)
    for si, camps in campaigns_by_sent.items():
        starts = sorted({c.start for c in camps})
        for c in camps:
            cid = rc.eid(c)
            if cid is None:
                continue
            # the next campaign of the sentence starts its own description
            limit = next((x for x in starts if x >= c.end), doc.sentences[si].end)
            # inside its own name, and, for a campaign the actor runs (开展燃气安全专项巡查，在各
            # 镇抽查液化气站…), in the rest of its sentence while no one new acts; a campaign
            # the work only refers to (结合…行动，…) is not described by what follows
            stop = c.end
            k = rc.actors.clause_index(c.start)
            if k is not None and _campaign_verb(rc, c, rc.actors.clauses[k].start) == "organize":
                stop = limit
                for cl in rc.actors.clauses[k + 1 :]:
                    if cl.sent != si or (cl.named and cl.actors != rc.actors.clauses[k].actors):
                        stop = min(cl.start, limit) if cl.sent == si else stop
                        break
            # a quoted name's own head may follow it (“六个一”文物…服务行动): a few characters
            # after it, in its clause
            own = min(c.end + 12, limit, rc.actors.clauses[k].end if k is not None else limit)
            for t in by_sent.get(si, []):
                if c.start - 1 <= t.start and (t.end <= own or t.end <= stop):
                    oid = rc.eid(t)
                    if oid:
                        out.append((cid, "targets", oid, c.start, min(max(t.end, c.end + 12), stop)))
            # the field its name is prefixed with (烟花爆竹“清源”专项行动)
            start = c_clause.start if (c_clause := rc.actors.clause_at(c.start)) else c.start
            k, fields = _field_before(rc, c.start, start)
            for t in fields:
                oid = rc.eid(t)
                if oid:
                    out.append((cid, "targets", oid, k, c.end))
            # the next sentence, when it describes the campaign: no subject of its own and
            # it starts with a focus verb or a back reference (此次排查…)
            nxt = si + 1
            if nxt < len(doc.sentences) and doc.sentences[nxt].article == doc.sentences[si].article:
                s = doc.sentences[nxt]
                conf = _conf()
                if conf.focus_re.match(text, s.start) or conf.back_ref_re.match(text, s.start):
                    breaks = (text.find(c, s.start, s.end) for c in conf.description_breaks)
                    stop = min((p for p in breaks if p >= 0), default=s.end)
                    for t in (t for t in by_sent.get(nxt, []) if t.end <= stop):
                        oid = rc.eid(t)
                        if oid:
                            out.append((cid, "targets", oid, s.start, s.end))
    return out
