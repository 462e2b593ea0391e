"""issues, partnersWith and holdsPost.

- issues: organizations before a publishing verb (发布, 印发, 联合印发 …) and a
  document in the same sentence, or 经X同意 before a document taking effect;
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
    text = rc.doc.text
    conf = _conf()
    out: list[Raw] = []
    for si, ms in _by_sentence(rc, ("Organization", "Document")).items():
        s = rc.doc.sentences[si]
        for d in (m for m in ms if m.type == "Document"):
            did = rc.eid(d)
            orgs = [m for m in ms if m.type == "Organization" and m.end <= d.start]
            for o in orgs:
                between = text[o.end : d.start]
                if conf["_issue_re"].search(between) and len(between) <= 40:
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
    return [r for r in out if r[0] and r[2]]


def _campaigns_named_in(rc: RelContext, title: str) -> list[str]:
    """Campaign entities of the page whose name (or an alias) occurs in ``title``."""
    out = []
    for e in rc.entities:
        if e.type == "Campaign" and any(len(n) >= 2 and n in title for n in (e.name, *e.aliases)):
            out.append(e.id)
    return out


@register("partners")
def partners(rc: RelContext) -> list[Raw]:
    text = rc.doc.text
    conf = _conf()
    out: list[Raw] = []
    for si, ms in _by_sentence(rc, ("Organization",)).items():
        s = rc.doc.sentences[si]
        # runs of organizations joined by 和/与/、 and followed by a partnering verb
        run: list[Mention] = []
        for m in ms:
            if run and text[run[-1].end : m.start] in ("和", "与", "、", "及", "同"):
                run.append(m)
            else:
                _close(rc, run, text, conf, s, out)
                run = [m]
            # X联合Y、Z: the verb between organizations makes all of them partners
            nxt = next((o for o in ms if o.start > m.end), None)
            if nxt is not None and text[m.end : nxt.start] in ("联合", "会同", "携手", "协同"):
                group = [m, nxt]
                for o in ms:
                    if o.start > group[-1].end and text[group[-1].end : o.start] in ("、", "和", "及", "与"):
                        group.append(o)
                for a, b in combinations(group, 2):
                    out.append((rc.eid(a), "partnersWith", rc.eid(b), s.start, s.end))  # type: ignore[arg-type]
        _close(rc, run, text, conf, s, out)
    # bodies acting together in a clause that states joint work (A、B等部门联合值守;
    # …牵头，会同A、B，…; A与B建立联防联控机制): each pair
    for c in rc.actors.clauses:
        orgs = [a for a in c.actors if a.startswith("Organization:")]
        if c.named and len(orgs) >= 2 and _states_joint_work(text, c.start, c.end, conf):
            for a, b in combinations(orgs, 2):
                out.append((a, "partnersWith", b, c.start, c.end))
    return [r for r in out if r[0] and r[2]]


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
    after = text[run[-1].end : run[-1].end + 6]
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
    return [r for r in out if r[0] and r[2]]


@register("posts")
def posts(rc: RelContext) -> list[Raw]:
    text = rc.doc.text
    conf = _conf()
    implied = rules.load("persons")["implied_bodies"]
    out: list[Raw] = []
    orgs_by_end: dict[int, Mention] = {}
    orgs = sorted((m for m in rc.mentions if m.type == "Organization"), key=lambda m: m.start)
    for m in orgs:
        if m.attr("via") == "post":  # 副市长 → the city government, at the post's own span
            orgs_by_end.setdefault(-m.start - 1, m)
        else:
            orgs_by_end.setdefault(m.end, m)
    for p in (m for m in rc.mentions if m.type == "Person"):
        post = p.attr("post")
        if not post or post in conf["_roles"]:
            continue
        pid = rc.eid(p)
        s = rc.doc.sent_at(p.start)
        found = False
        pos = p.start
        # walk back over "body post、body post" (省工商联主席、省总商会会长景普秋)
        while True:
            w = next((w for w in conf["_posts"] if text.endswith(w, 0, pos)), None)
            if w is None:
                break
            ps = pos - len(w)
            body = orgs_by_end.get(ps) or orgs_by_end.get(-ps - 1)
            bid = rc.eid(body) if body is not None else _implied_body(rc, w, implied)
            if bid is not None:
                out.append((pid, "holdsPost", bid, s.start, s.end))  # type: ignore[arg-type]
                found = True
            pos = body.start if body is not None and body.end == ps else ps
            if text.endswith("、", 0, pos):
                pos -= 1
                continue
            break
        if not found and post not in implied:
            # a post inside a body named earlier in the article (官地矿…安全协管员韩元娥)
            art = rc.doc.para_at(p.start).article
            before = [o for o in orgs if o.end <= p.start and rc.doc.para_at(o.start).article == art]
            if before:
                out.append((pid, "holdsPost", rc.eid(before[-1]), s.start, s.end))  # type: ignore[arg-type]
    return [r for r in out if r[0] and r[2]]


def _implied_body(rc: RelContext, post: str, implied: dict[str, str]) -> str | None:
    """The entity a post such as 市委常委 names by itself, when the page has it."""
    if post not in implied:
        return None
    from kg.extract.persons import implied_body_name

    name = implied_body_name(rc.ctx, implied[post])
    e = rc.by_key.get(("Organization", name)) if name else None
    return e.id if e is not None else None
