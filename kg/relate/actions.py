"""What actors do: targets, takesMeasure, adopts, implements, organizes.

Every industry, venue and hazard, measure, mechanism and campaign named in a clause
is attached to the clause's actors. A measure in a negated clause (未发生…, 不得…) is
not taken. A campaign is implemented by a place or by an organization carrying it
out, organized by an organization that runs it (开展/举办/主办 …). A campaign also
targets what its own name and its description name (此次排查聚焦…).
"""

from __future__ import annotations

import re
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


@cache
def _conf() -> dict:
    conf = dict(rules.load("relations"))

    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    conf["_neg_re"] = re.compile(alt(conf["negations"]))
    conf["_org_verbs"] = re.compile(f"(?:{alt(conf['organize_verbs'])})$")
    conf["_imp_verbs"] = re.compile(f"(?:{alt(conf['implement_verbs'])})$")
    conf["_back_refs"] = tuple(conf["campaign_back_references"])
    return conf


@register("actions")
def actions(rc: RelContext) -> list[Raw]:
    """Attach each object mention to the actors of its clause."""
    doc = rc.doc
    text = doc.text
    actors = rc.actors
    conf = _conf()
    out: list[Raw] = []
    names = SpanIndex((m.start, m.end, m) for m in rc.mentions if m.type in ("Mechanism", "Campaign"))
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
            for a in clause.actors:
                out.append((a, pred, oid, *ev))
        elif m.type == "Campaign":
            verb = _campaign_verb(rc, m, clause.start)
            owner = _owner(rc, m)
            if owner is not None:
                out.append((owner, "implements", oid, *ev))  # 太原市的“春风行动”
                continue
            if verb is None and not m.name.endswith("日"):
                continue  # named without being carried out (…等品牌项目均有呈现)
            for a in clause.actors:
                pred = "implements"
                if a.startswith("Organization:") and verb == "organize":
                    pred = "organizes"
                out.append((a, pred, oid, *ev))
    out.extend(_campaign_targets(rc, campaigns_by_sent))
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
        rc._campaigns_by_end = cached  # type: ignore[attr-defined]
    return cached


def _campaign_verb(rc: RelContext, m, clause_start: int) -> str | None:
    """The verb that carries a campaign out: "organize" (开展, 举办 …), "implement"
    (推进, 落实 …) or None. It may stand before a run of quoted names
    (组织开展“A”“B”等活动)."""
    text = rc.doc.text
    conf = _conf()
    k = m.start
    campaigns = _campaigns_by_end(rc)
    while True:
        j = k
        while j > clause_start and text[j - 1] in '“”「」『』‘’"、和及与':
            j -= 1
        prev = campaigns.get(j)
        if prev is not None and prev.start < k:
            k = prev.start
            continue
        k = j
        break
    before = text[max(clause_start, k - 10) : k]
    if conf["_imp_verbs"].search(before):
        return "implement"
    if any(w in before for w in ("全市", "我市", "全县", "我县", "全区", "我区", "全省", "我省")):
        return "implement"  # 全市安全生产“除险清患”专项行动: the place's own campaign
    if conf["_org_verbs"].search(before):
        return "organize"
    if any(v in before for v in ("开展", "组织", "举办", "启动")):
        return "organize"
    if any(v in before for v in ("推进", "实施", "落实", "结合", "深化", "通过", "推动", "引入")):
        return "implement"
    return None


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
        for c in camps:
            cid = rc.eid(c)
            if cid is None:
                continue
            # inside its own name
            for t in by_sent.get(si, []):
                if c.start - 1 <= t.start and t.end <= c.end + 12:
                    oid = rc.eid(t)
                    if oid:
                        out.append((cid, "targets", oid, c.start, min(c.end + 12, doc.sentences[si].end)))
            # the next sentence, when it describes the campaign: no subject of its own and
            # it starts with a focus verb or a back reference (此次排查…)
            nxt = si + 1
            if nxt < len(doc.sentences) and doc.sentences[nxt].article == doc.sentences[si].article:
                s = doc.sentences[nxt]
                head = text[s.start : s.start + 6]
                if head.startswith(("聚焦", "针对", "紧盯", "重点", *_conf()["_back_refs"])):
                    stop = min(
                        (p for p in (text.find(c, s.start, s.end) for c in "，；") if p >= 0), default=s.end
                    )
                    for t in (t for t in by_sent.get(nxt, []) if t.end <= stop):
                        oid = rc.eid(t)
                        if oid:
                            out.append((cid, "targets", oid, s.start, s.end))
    return out
