"""What the issues, partners, hosts, located and posts extractors share: the relation rules
of the active rule set, compiled once per rule set, and a page's mentions by sentence."""

from __future__ import annotations

import re

from kg import rules
from kg.model import Mention
from kg.relate import RelContext


class RelationRules:
    """relations.toml compiled, with the roles of persons.toml (once per rule set:
    an analyst's ``--rules`` folder is layered in)."""

    def __init__(self, rs: rules.RuleSet) -> None:
        r = rs.relations
        alt = rules.alternation
        joint = f"(?:{alt(r.joint_adverbs)})?(?:{alt(r.joint_verbs)})"
        self.issue_re = re.compile(alt(r.issue_verbs))
        self.plan_heads = tuple(r.plan_title_heads)
        self.partner_re = re.compile(alt(r.partner_verbs))
        self.host_re = re.compile(alt(r.host_verbs))
        self.by_re = re.compile(alt(r.by_verbs))
        self.joint_re = re.compile(joint)
        self.joint_marker_re = re.compile(alt(r.joint_markers))
        self.joint_adverbs = rules.longest_first(r.joint_adverbs)
        self.lead_re = re.compile(alt(r.lead_verbs))
        self.lead_or_joint_re = re.compile(f"(?:{alt(r.lead_verbs)})|(?:{alt(r.joint_verbs)})")
        self.roles = frozenset(rs.persons.roles)
        self.national_prefixes = tuple(r.national_prefixes)
        self.party_body_prefixes = tuple(r.party_body_prefixes)
        self.by_marker = r.by_marker
        self.list_joiners = tuple(r.list_joiners)
        self.host_list_joiners = tuple(r.host_list_joiners)
        self.partner_list_joiners = tuple(r.partner_list_joiners)
        self.lead_verb_gaps = tuple(r.lead_verb_gaps)
        self.title_close = r.title_close
        self.approval_marker = r.approval_marker
        self.approval_verb = r.approval_verb
        self.issuer_title_marker = r.issuer_title_marker


def relation_conf() -> RelationRules:
    """The relation rules of the active rule set, compiled."""
    return rules.active().compiled(RelationRules)


def by_sentence(rc: RelContext, types: tuple[str, ...]) -> dict[int, list[Mention]]:
    """The mentions of ``types``, by the index of their sentence, in text order."""
    out: dict[int, list[Mention]] = {}
    for m in sorted(rc.mentions, key=lambda m: m.start):
        if m.type in types:
            out.setdefault(rc.doc.sent_index(m.start), []).append(m)
    return out
