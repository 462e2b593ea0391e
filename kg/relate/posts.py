"""holdsPost: a person and the body of the post before the name (市应急管理局一级调研员钱红元;
省工商联主席、省总商会会长景普秋), the body a post implies (副市长 → the city government), or,
for a post with no body, the organization the article is about.
"""

from __future__ import annotations

from kg import rules
from kg.relate import Raw, RelContext, register
from kg.relate.common import relation_conf as _conf


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
                    out.append((pid, "holdsPost", bid, s.start, s.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
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
            out.append((pid, "holdsPost", rc.eid(before[-1]), s.start, s.end))  # type: ignore[arg-type]  # eid() is None only for a mention without an entity; relate() drops such ends
    return [r for r in out if r[0] and r[2]]
