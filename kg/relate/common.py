"""What the issues, partners, hosts and posts extractors share: the relation rules compiled
once, and a page's mentions by sentence."""

from __future__ import annotations

import re
from functools import cache

from kg import rules
from kg.model import Mention
from kg.relate import RelContext


@cache
def relation_conf() -> dict:
    """relations.toml with its word lists compiled (and the posts and roles of persons.toml)."""
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
    conf["_national_prefixes"] = tuple(conf["national_prefixes"])
    return conf


def by_sentence(rc: RelContext, types: tuple[str, ...]) -> dict[int, list[Mention]]:
    """The mentions of ``types``, by the index of their sentence, in text order."""
    out: dict[int, list[Mention]] = {}
    for m in sorted(rc.mentions, key=lambda m: m.start):
        if m.type in types:
            out.setdefault(rc.doc.sent_index(m.start), []).append(m)
    return out
