"""issues, partnersWith and holdsPost.

- issues: organizations before a publishing or hand-out verb (发布, 印发, 下达, 发放 …)
  and a document in the same sentence, else the organizations acting in the clause of
  "verb《title》"; 经X同意 before a document taking effect; an issuer that opens the
  title (X关于…的通知);
- partnersWith: organizations coordinated before a partnering verb (联合, 会同,
  签订 …) or joined by 联合 (X联合Y); listed once per pair;
- holdsPost: a person and the body of the post before the name (市应急管理局一级
  调研员钱红元; 省工商联主席、省总商会会长景普秋), the body a post implies (副市长 → the
  city government), or, for a post with no body, the organization the article is about.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import combinations

from kg import rules
from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.relate import Raw, RelContext, register
from kg.relate.actions import is_national


@cache
def _conf() -> dict:
    conf = dict(rules.load("relations"))

    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    conf["_issue_re"] = re.compile(alt(conf["issue_verbs"]))
    conf["_plan_heads"] = tuple(conf["plan_title_heads"])
    conf["_partner_re"] = re.compile(alt(conf["partner_verbs"]))
    conf["_host_re"] = re.compile(alt(conf["host_verbs"]))
    conf["_by_re"] = re.compile(alt(conf["by_verbs"]))
    conf["_joint_re"] = re.compile(f"(?:{alt(conf['joint_adverbs'])})?(?:{alt(conf['joint_verbs'])})")
    conf["_joint_marker_re"] = re.compile(alt(conf["joint_markers"]))
    conf["_joint_adverbs"] = tuple(sorted(conf["joint_adverbs"], key=len, reverse=True))
    conf["_lead_re"] = re.compile(alt(conf["lead_verbs"]))
    conf["_lead_or_joint_re"] = re.compile(f"(?:{alt(conf['lead_verbs'])})|(?:{alt(conf['joint_verbs'])})")
    p = rules.load("persons")
    conf["_posts"] = tuple(sorted(set(p["posts"]), key=len, reverse=True))
    conf["_roles"] = frozenset(p["roles"])
    return conf


def _by_sentence(rc: RelContext, types: tuple[str, ...]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = {}
    for m in sorted(rc.mentions, key=lambda m: m.start):
        if m.type in types:
            out.setdefault(rc.doc.sent_index(m.start), []).append(m)
    return out


@register("issues")
def issues(rc: RelContext) -> list[Raw]:
    """A body issues a document it publishes (印发, 发布 …) or hands out (下达, 发放 …):
    the bodies named before the verb in the sentence, else the Organization actors of
    the clause (a place acts through a government only where the text names it); a
    title that opens with its issuer (X局关于…的通知) is that body's."""
    text = rc.doc.text
    conf = _conf()
    dconf = _doc_conf()
    out: list[Raw] = []
    for si, ms in _by_sentence(rc, ("Organization", "Document")).items():
        s = rc.doc.sentences[si]
        for d in (m for m in ms if m.type == "Document"):
            did = rc.eid(d)
            law = dconf["_law_re"].search(d.name)
            verb_re = conf["_issue_re"] if law else dconf["_issue_or_handout_re"]
            orgs = [m for m in ms if m.type == "Organization" and m.end <= d.start]
            issuers = [o for o in orgs if verb_re.search(text, o.end, d.start) and d.start - o.end <= 40]
            if (
                not issuers
                and not law
                and dconf["_verb_before_title_re"].search(text, max(s.start, d.start - 12), d.start)
            ):
                # 当场下达《责令限期整改指令书》: whoever acts in the clause hands it out
                c = rc.actors.clause_at(d.start)
                if c is not None:
                    for a in c.actors:
                        if a.startswith("Organization:"):
                            out.append((a, "issues", did, c.start, c.end))  # type: ignore[arg-type]
            for o in issuers:
                out.append((rc.eid(o), "issues", did, s.start, s.end))  # type: ignore[arg-type]
            # 印发《…“除险清患”…实施方案》: the issuer runs the campaign the plan names
            if d.name.endswith(conf["_plan_heads"]):
                for o in orgs:
                    between = text[o.end : d.start]
                    if not (conf["_issue_re"].search(between) and len(between) <= 40):
                        continue
                    for cid in _campaigns_named_in(rc, d.name):
                        pred = "implements" if is_national(rc, cid) else "organizes"
                        out.append((rc.eid(o), pred, cid, s.start, s.end))  # type: ignore[arg-type]
            # 《X》经市政府同意开始实施
            for o in (m for m in ms if m.type == "Organization" and m.start >= d.end):
                if text[d.end : o.start].strip("》") in ("经", "") and text.startswith("同意", o.end):
                    out.append((rc.eid(o), "issues", did, s.start, s.end))  # type: ignore[arg-type]
            # 按照《…专项整治实施方案》: whoever follows the plan carries out its campaign
            if dconf["_follow_re"].search(text, max(s.start, d.start - 12), d.start):
                c = rc.actors.clause_at(d.start)
                for cm in (m for m in rc.mentions if m.type == "Campaign" and m.attr("via") == "plan"):
                    if c is not None and d.start <= cm.start and cm.end <= d.end:
                        for a in c.actors:
                            out.append((a, "implements", rc.eid(cm), c.start, c.end))  # type: ignore[arg-type]
            # 《青石县住房和城乡建设局关于…的通知》: the title names its issuer
            for e in _issuer_in_title(rc, d.name):
                out.append((e, "issues", did, d.start, d.end))  # type: ignore[arg-type]
    return [r for r in out if r[0] and r[2]]


@cache
def _doc_conf() -> dict:
    conf = dict(rules.load("documents"))
    verbs = [*rules.load("relations")["issue_verbs"], *conf["handout_verbs"]]
    alt = "|".join(map(re.escape, sorted(set(verbs), key=len, reverse=True)))
    conf["_issue_or_handout_re"] = re.compile(alt)
    conf["_verb_before_title_re"] = re.compile(f"(?:{alt}){conf['verb_title_gap']}《$")
    conf["_law_re"] = re.compile(conf["law_title"])
    follow = "|".join(map(re.escape, sorted(set(conf["follow_verbs"]), key=len, reverse=True)))
    conf["_follow_re"] = re.compile(f"(?:{follow}){conf['verb_title_gap']}《$")
    return conf


def _issuer_in_title(rc: RelContext, title: str) -> list[str]:
    """The organization of the page whose name (or an alias) opens ``title`` before 关于."""
    k = title.find("关于")
    if k < 3:
        return []
    names = getattr(rc, "_org_names", None)
    if names is None:
        names = {n: e.id for e in rc.entities if e.type == "Organization" for n in (e.name, *e.aliases)}
        rc._org_names = names  # type: ignore[attr-defined]
    issuer = names.get(title[:k])
    return [issuer] if issuer is not None else []


def _campaigns_named_in(rc: RelContext, title: str) -> list[str]:
    """Campaign entities of the page whose name (or an alias) occurs in ``title``."""
    out = []
    for e in rc.entities:
        if e.type == "Campaign" and any(len(n) >= 2 and n in title for n in (e.name, *e.aliases)):
            out.append(e.id)
    return out


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
            out.append((rc.eid(a), "partnersWith", rc.eid(b), s.start, s.end))  # type: ignore[arg-type,attr-defined]


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
                out.append((rc.eid(h), "organizes", rc.eid(c), s.start, s.end))  # type: ignore[arg-type]
                # a host takes the measure the campaign's name names (…应急演练 → 应急演练);
                # the name may run past a quoted mention (“…”应急演练)
                reach = c.end + max(0, len(c.name) - len(c.text)) + 1
                for t in measures.overlapping(c.start, reach):
                    if c.start <= t[0] and t[1] <= reach:
                        out.append((rc.eid(h), "takesMeasure", rc.eid(t[2]), s.start, s.end))  # type: ignore[arg-type]
    return [r for r in out if r[0] and r[2]]


@register("posts")
def posts(rc: RelContext) -> list[Raw]:
    """holdsPost: each body of the chain of posts before a name (县委常委、县政府常务副
    县长X → the county's party committee and its government), the body a post names by
    itself, a section's parent when both act; a post with no body goes to the article's
    last body of its kind (局长 → the bureau), a title (专家, 大师) to none."""
    from kg.extract.persons import post_chain

    conf = _conf()
    p_conf = rules.load("persons")
    implied = p_conf["implied_bodies"]
    titles = frozenset(p_conf["titles"])
    kinds: dict[str, list[str]] = p_conf["post_body_heads"]
    out: list[Raw] = []
    orgs = sorted((m for m in rc.mentions if m.type == "Organization"), key=lambda m: m.start)
    org_ends = {m.end: m for m in orgs if m.attr("via") != "post"}
    implied_at = {m.start: m for m in orgs if m.attr("via") == "post"}
    for p in (m for m in rc.mentions if m.type == "Person"):
        post = p.attr("post")
        if not post or post in conf["_roles"]:
            continue
        pid = rc.eid(p)
        s = rc.doc.sent_at(p.start)
        found = False
        for _w, ps, body in post_chain(rc.ctx, int(p.attr("anchor") or p.start), org_ends):
            if body is None:
                body = implied_at.get(ps)
            if body is None:
                continue
            bids = [rc.eid(body)]
            parent = rc.by_key.get(("Organization", body.attr("parent") or ""))
            if parent is not None:
                bids.append(parent.id)  # 省应急管理厅工矿处处长: the section and the department
            for bid in bids:
                if bid is not None:
                    out.append((pid, "holdsPost", bid, s.start, s.end))  # type: ignore[arg-type]
                    found = True
        if found or post in implied or post in titles:
            continue
        # a post inside a body named earlier in the article (官地矿…安全协管员韩元娥;
        # 局长 in a bureau's article)
        art = rc.doc.para_at(p.start).article
        before = [o for o in orgs if o.end <= p.start and rc.doc.para_at(o.start).article == art]
        if post in kinds:
            before = [o for o in before if o.name.endswith(tuple(kinds[post]))]
        if before:
            out.append((pid, "holdsPost", rc.eid(before[-1]), s.start, s.end))  # type: ignore[arg-type]
    return [r for r in out if r[0] and r[2]]
