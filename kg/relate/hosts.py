"""organizes by hosts: the bodies that host an event (由A、B主办，C协办; A和B联合组织开展)
organize the campaigns of its sentence, and take the measure a campaign's name names.
"""

from __future__ import annotations

from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.relate import Raw, RelContext, register
from kg.relate.common import by_sentence as _by_sentence
from kg.relate.common import relation_conf as _conf


@register("hosts")
def hosts(rc: RelContext) -> list[Raw]:
    """由A、B主办，C协办，D承办 / 由A和B联合组织开展: every host organizes the campaigns
    of the sentence, else of the sentence before, else the article's main campaign."""
    doc = rc.doc
    text = doc.text
    conf = _conf()
    out: list[Raw] = []
    by_sent = _by_sentence(rc, ("Organization", "Campaign"))
    measures = SpanIndex((m.start, m.end, m) for m in rc.mentions if m.type == "Measure")
    article_campaigns: dict[int, list[Mention]] = {}
    for m in rc.mentions:
        if m.type == "Campaign":
            article_campaigns.setdefault(doc.para_at(m.start).article, []).append(m)
    for si, ms in by_sent.items():
        s = doc.sentences[si]
        orgs = [m for m in ms if m.type == "Organization"]
        hosts_ = [m for m in orgs if conf["_host_re"].match(text, m.end)]
        for m in orgs:
            if conf["_by_re"].match(text, m.end):
                # the list after 由 ends here
                k = ms.index(m)
                while (
                    k > 0
                    and ms[k - 1].type == "Organization"
                    and text[ms[k - 1].end : ms[k].start] in ("、", "和", "与")
                ):
                    k -= 1
                if text[ms[k].start - 1 : ms[k].start] == "由":
                    hosts_.extend(ms[k : ms.index(m) + 1])
        # 市委社会工作部、团市委主办: every organization of the list before the verb
        for h in list(hosts_):
            k = ms.index(h)
            while (
                k > 0
                and ms[k - 1].type == "Organization"
                and text[ms[k - 1].end : ms[k].start] in ("、", "和", "与")
            ):
                k -= 1
                hosts_.append(ms[k])
        if not hosts_:
            continue
        # 由A牵头，会同B、C，…: the bodies a host's joint-work clause adds host with it
        for h in list(hosts_):
            c = rc.actors.clause_at(h.start)
            nxt = rc.actors.clause_at(c.end + 1) if c is not None else None
            if nxt is not None and nxt.sent == c.sent and conf["_joint_re"].match(text, nxt.start):
                for o in rc.actors.listed_orgs(conf["_joint_re"].match(text, nxt.start).end(), nxt.end):
                    hosts_.append(o)
        camps = [m for m in ms if m.type == "Campaign"]
        if not camps:
            camps = [m for m in by_sent.get(si - 1, []) if m.type == "Campaign"]
        if not camps:
            arts = article_campaigns.get(s.article, [])
            if arts:
                names = [c.name for c in arts]
                main = max(dict.fromkeys(names), key=names.count)  # a tie: the first named
                camps = [next(c for c in arts if c.name == main)]
        for h in dict.fromkeys(hosts_):
            for c in camps:
                out.append((rc.eid(h), "organizes", rc.eid(c), s.start, s.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
                # a host takes the measure the campaign's name names (…应急演练 → 应急演练);
                # the name may run past a quoted mention (“…”应急演练)
                reach = c.end + max(0, len(c.name) - len(c.text)) + 1
                for t in measures.overlapping(c.start, reach):
                    if c.start <= t[0] and t[1] <= reach:
                        out.append((rc.eid(h), "takesMeasure", rc.eid(t[2]), s.start, s.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
    return [r for r in out if r[0] and r[2]]
