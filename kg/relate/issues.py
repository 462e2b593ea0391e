"""issues: organizations before a publishing or hand-out verb (发布, 印发, 下达, 发放 …) and a
document in the same sentence, else the organizations acting in the clause of "verb《title》";
经X同意 before a document taking effect; an issuer that opens the title (X关于…的通知).
"""

from __future__ import annotations

import re
from functools import cache

from kg import rules
from kg.relate import Raw, RelContext, register
from kg.relate.actions import is_national
from kg.relate.common import by_sentence as _by_sentence
from kg.relate.common import relation_conf as _conf


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
                            out.append((a, "issues", did, c.start, c.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
            for o in issuers:
                out.append((rc.eid(o), "issues", did, s.start, s.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
            # 印发《…“除险清患”…实施方案》: the issuer runs the campaign the plan names
            if d.name.endswith(conf["_plan_heads"]):
                for o in orgs:
                    between = text[o.end : d.start]
                    if not (conf["_issue_re"].search(between) and len(between) <= 40):
                        continue
                    for cid in _campaigns_named_in(rc, d.name):
                        pred = "implements" if is_national(rc, cid) else "organizes"
                        out.append((rc.eid(o), pred, cid, s.start, s.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
            # 《X》经市政府同意开始实施
            for o in (m for m in ms if m.type == "Organization" and m.start >= d.end):
                if text[d.end : o.start].strip("》") in ("经", "") and text.startswith("同意", o.end):
                    out.append((rc.eid(o), "issues", did, s.start, s.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
            # 按照《…专项整治实施方案》: whoever follows the plan carries out its campaign
            if dconf["_follow_re"].search(text, max(s.start, d.start - 12), d.start):
                c = rc.actors.clause_at(d.start)
                for cm in (m for m in rc.mentions if m.type == "Campaign" and m.attr("via") == "plan"):
                    if c is not None and d.start <= cm.start and cm.end <= d.end:
                        for a in c.actors:
                            out.append((a, "implements", rc.eid(cm), c.start, c.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
            # 《青石县住房和城乡建设局关于…的通知》: the title names its issuer
            for e in _issuer_in_title(rc, d.name):
                out.append((e, "issues", did, d.start, d.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
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
        rc._org_names = names  # type: ignore[attr-defined]  # a per-page cache hung on the RelContext
    issuer = names.get(title[:k])
    return [issuer] if issuer is not None else []


def _campaigns_named_in(rc: RelContext, title: str) -> list[str]:
    """Campaign entities of the page whose name (or an alias) occurs in ``title``."""
    out = []
    for e in rc.entities:
        if e.type == "Campaign" and any(len(n) >= 2 and n in title for n in (e.name, *e.aliases)):
            out.append(e.id)
    return out
