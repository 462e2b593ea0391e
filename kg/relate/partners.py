"""partnersWith: organizations coordinated before a partnering verb (联合, 会同, 签订 …) or
joined by 联合 (X联合Y), and bodies acting together in a clause that states joint work;
listed once per pair.
"""

from __future__ import annotations

from itertools import combinations

from kg.model import Mention
from kg.relate import Raw, RelContext, register
from kg.relate.common import by_sentence as _by_sentence
from kg.relate.common import relation_conf as _conf


@register("partners")
def partners(rc: RelContext) -> list[Raw]:
    """partnersWith, once per pair (guidelines, joint work): with a lead (X牵头…; X联合Y、Z;
    the subject of …，联合Y、Z) the lead and each partner; without one (X与Y配合; X和Y联合
    组织; X、Y、Z联合值守) every pair of the bodies acting together."""
    text = rc.doc.text
    conf = _conf()
    out: list[Raw] = []
    # pairs of partners that only share a lead, per sentence: not partners of each other
    apart: set[tuple[int, frozenset[str]]] = set()
    for si, ms in _by_sentence(rc, ("Organization",)).items():
        s = rc.doc.sentences[si]
        for leads, partners_ in _led_lists(rc, ms, s.start, s.end):
            for b in partners_:
                for a in leads:
                    out.append((a, "partnersWith", b, s.start, s.end))
            apart.update((si, frozenset(pair)) for pair in combinations(partners_, 2))
            for a, b in combinations(leads, 2):
                out.append((a, "partnersWith", b, s.start, s.end))
        # runs of organizations joined by 和/与/、 and followed by a partnering verb
        run: list[Mention] = []
        for m in ms:
            if run and text[run[-1].end : m.start] in ("和", "与", "、", "及", "同"):
                run.append(m)
            else:
                _close(rc, run, text, conf, s, out)
                run = [m]
        _close(rc, run, text, conf, s, out)
    # bodies acting together in a clause that states joint work (A、B等部门联合值守;
    # A与B建立联防联控机制; A、B、C分工负责): each pair
    for c in rc.actors.clauses:
        orgs = [a for a in c.actors if a.startswith("Organization:")]
        if c.named and len(orgs) >= 2 and _states_joint_work(text, c.start, c.end, conf):
            for a, b in combinations(orgs, 2):
                out.append((a, "partnersWith", b, c.start, c.end))
    return [
        r
        for r in out
        if r[0] and r[2] and r[0] != r[2] and (rc.doc.sent_index(r[3]), frozenset((r[0], r[2]))) not in apart
    ]


def _led_lists(rc: RelContext, ms: list[Mention], start: int, end: int) -> list[tuple[list[str], list[str]]]:
    """Joint work with a lead in one sentence, as (leads, partners) entity ids: X牵头(，)
    (联合|会同)A、B…; X(还)联合A、B; …，联合A、B (the clause's subject leads)."""
    text = rc.doc.text
    conf = _conf()
    out: list[tuple[list[str], list[str]]] = []
    ends = {m.end: m for m in ms}
    lead_at = conf["_lead_re"]
    for vm in conf["_lead_or_joint_re"].finditer(text, start, end):
        q = vm.end()
        if lead_at.fullmatch(vm.group()):
            # X牵头，会同A、B / X牵头，A、B配合
            while q < end and text[q] in "，, ":
                q += 1
            jm = conf["_joint_re"].match(text, q)
            if jm is not None:
                continue  # the joint verb itself opens the list (X牵头联合A、B)
        listed = rc.actors.listed_orgs(q, end)
        if not listed or listed[0].start - q > 1:
            continue
        partners_ = [e for e in (rc.eid(m) for m in listed) if e]
        # the lead: the body (and the list it closes) right before the verb, else the
        # bodies the clause is about
        k = vm.start()
        while k > start and text[k - 1] in "由":
            k -= 1
        lead = ends.get(k) or ends.get(_strip_adverb(text, conf, start, k))
        leads: list[str] = []
        if lead is not None:
            run = [lead]
            while (prev := ends.get(run[-1].start - 1)) is not None and text[prev.end] in "、和及与":
                run.append(prev)
            leads = [e for e in (rc.eid(m) for m in run) if e]
        else:
            c = rc.actors.clause_at(vm.start())
            if c is not None:
                leads = [a for a in c.actors if a.startswith("Organization:") and a not in partners_]
        if leads and partners_:
            out.append((leads, [p for p in partners_ if p not in leads]))
    return out


def _strip_adverb(text: str, conf: dict, start: int, k: int) -> int:
    """Where the body before a verb ends when a joint adverb (还, 并 …) stands between."""
    for adv in conf["_joint_adverbs"]:
        if text.endswith(adv, start, k):
            return k - len(adv)
    return k


def _states_joint_work(text: str, start: int, end: int, conf: dict) -> bool:
    """Whether ``text[start:end]`` states joint work; publishing a document together
    (联合印发) does not make partners."""
    for m in conf["_joint_marker_re"].finditer(text, start, end):
        if not conf["_issue_re"].match(text, m.end()) and not conf["_issue_re"].match(text, m.end() + 1):
            return True
    return False


def _close(rc: RelContext, run: list[Mention], text: str, conf: dict, s: object, out: list[Raw]) -> None:
    if len(run) < 2:
        return
    e = run[-1].end
    ts, te, tag = rc.doc.token_at(e)
    if ts == e and te - e <= 4:
        # 紧密配合, 密切配合: an adverb before the verb, or one word with it
        v = conf["_partner_re"].search(text, e, te)
        if tag in ("d", "ad", "a") and te - e <= 2:
            e = te
        elif v is not None and v.end() == te:
            e = v.start()
    after = text[e : e + 6]
    if conf["_partner_re"].match(after) and not conf["_issue_re"].match(after, 2):
        for a, b in combinations(run, 2):
            out.append((rc.eid(a), "partnersWith", rc.eid(b), s.start, s.end))  # type: ignore[arg-type,attr-defined]  # eid() None ends are dropped by relate(); a and b are Mentions of by_sentence
