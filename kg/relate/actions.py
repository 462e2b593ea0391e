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
from functools import cache

from kg import rules
from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.relate import Raw, RelContext, register

_PRED = {
    "Industry": "targets",
    "Venue": "targets",
    "Hazard": "targets",
    "Measure": "takesMeasure",
    "Mechanism": "adopts",
}
_TARGET_TYPES = ("Industry", "Venue", "Hazard")
_EVENT_TIME = re.compile(r"(?:将于|将|于|已)?[0-9０-９一二三四五六七八九十年月日号至上下午晚]*")


@cache
def _conf() -> dict:
    conf = dict(rules.load("relations"))

    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    conf["_neg_re"] = re.compile(alt(conf["negations"]))
    conf["_org_verbs"] = re.compile(f"(?:{alt(conf['organize_verbs'])})$")
    conf["_imp_verbs"] = re.compile(f"(?:{alt(conf['implement_verbs'])})$")
    conf["_focus_re"] = re.compile(alt(conf["campaign_focus_openers"]))
    conf["_field_words_re"] = re.compile(f"(?:{alt(conf['campaign_field_words'])})")
    conf["_back_ref_re"] = re.compile(
        f"(?:{alt(conf['campaign_back_references'])}|{conf['campaign_back_reference_pattern']})"
    )
    conf["_event_verbs"] = re.compile(alt(conf["event_verbs"]))
    conf["_duration_re"] = re.compile(conf["campaign_duration_pattern"])
    conf["_filler_re"] = re.compile(f"(?:{alt(conf['campaign_list_fillers'])})")
    return conf


@cache
def national_campaigns() -> frozenset[str]:
    """Canonical names of the lexicon's national campaigns (全国安全生产月 …): a local
    body carries them out (implements), it does not run them (organizes)."""
    names = rules.load("names")["campaigns"]
    return frozenset(n for c in names if c.get("national") for n in (c["name"], *c["aliases"]))


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
            if pred == "takesMeasure" and conf["_neg_re"].search(text, clause.start, m.start):
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
            if verb is None and not m.name.endswith("日"):
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
    k = text.find("在", m.end, min(m.end + 16, clause.end))
    if k < 0 or not _EVENT_TIME.fullmatch(text, m.end, k):
        return None  # only a date between (将于7月12日): …启动仪式在X区举行 is the ceremony's
    place = next((p for p in rc.actors.index.starting_at(k + 1) if p.type == "Place"), None)
    if place is None:
        return None
    if not _conf()["_event_verbs"].search(text, place.end, min(place.end + 16, clause.end)):
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
        while q < c.end and text[q] in " \u3000":
            q += 1
        p = rc.actors.skip_openers(c.start, c.end)
        if not (conf["_back_ref_re"].match(text, q) or conf["_back_ref_re"].match(text, p)):
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
    k = m.start
    while k > 0 and text[k - 1] in '“「『‘"':
        k -= 1
    if not text.endswith("的", 0, k):
        return None
    for o in rc.actors.index.ending_at(k - 1):
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
        while j > clause_start and text[j - 1] in '“”「」『』‘’"、和及与':
            j -= 1
        # 开展A专项整治工作、B专项整治工作: a generic noun after the previous name of the run
        filler = conf["_filler_re"].search(text, max(clause_start, j - 4), j) if j < k else None
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
    if conf["_imp_verbs"].search(before):
        return "implement"
    if conf["_org_verbs"].search(before):
        return "organize"  # 在全市范围内开展“…”: the verb, not the scope, decides
    if any(w in before for w in ("全市", "我市", "全县", "我县", "全区", "我区", "全省", "我省")):
        return "implement"  # 全市安全生产“除险清患”专项行动: the place's own campaign
    if any(v in before for v in ("开展", "组织", "举办", "启动")):
        return "organize"
    if any(v in before for v in ("推进", "实施", "落实", "结合", "深化", "通过", "推动", "引入")):
        return "implement"
    return None


def _scope_start(rc: RelContext, k: int, clause_start: int) -> int:
    """Walk back over what may stand between a verb and the campaign it carries out: a
    scope word (开展全县…) and a duration (启动为期三个月的…)."""
    text = rc.doc.text
    conf = _conf()
    m = conf["_duration_re"].search(text, max(clause_start, k - 12), k)
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
        if text[k - 1] in '“「『‘"':
            k -= 1
            continue
        t = targets.get(k)
        if t is not None and t.start < k:
            terms.append(t)
            k = t.start
            continue
        w = conf["_field_words_re"].search(text, max(clause_start, k - 4), k)
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
                if conf["_focus_re"].match(text, s.start) or conf["_back_ref_re"].match(text, s.start):
                    stop = min(
                        (p for p in (text.find(c, s.start, s.end) for c in "，；") if p >= 0), default=s.end
                    )
                    for t in (t for t in by_sent.get(nxt, []) if t.end <= stop):
                        oid = rc.eid(t)
                        if oid:
                            out.append((cid, "targets", oid, s.start, s.end))
    return out
