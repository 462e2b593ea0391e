"""Documents: laws, rules, plans and notices named in 《》.

A title counts when it ends with a document type (通知, 规定, 预案, 目录(第五批),
通知书, 告知书, 一封信 …); songs, readings and publicity material (《义勇军进行曲》,
《防火知识手册》, 承诺书) do not. "(以下简称《通知》)" makes the short title an alias, and
later 《通知》 refer to the same document. A plan that a body follows or issues names the
campaign it sets up (按照《青石县燃气安全专项整治实施方案》 → 燃气安全专项整治).
"""

from __future__ import annotations

import re

from kg import rules
from kg.extract import Context, register
from kg.model import Mention


class _Conf:
    """The document rules, compiled (once per rule set)."""

    def __init__(self, rs: rules.RuleSet) -> None:
        conf = rs.documents
        self.type_re = re.compile(f"(?:{rules.alternation(conf.doc_types)})$")
        self.paren_re = re.compile(conf.trailing_paren)
        self.abbr_re = re.compile(conf.abbreviation)
        self.title_re = re.compile(rf"《([^《》\n]{{1,{conf.max_title_chars}}})》")
        plan_heads = rules.alternation(rs.relations.plan_title_heads)
        campaign_heads = rules.alternation(rs.names.unquoted_campaign_heads)
        self.plan_re = re.compile(f"(?:{campaign_heads})(?=(?:{plan_heads})$)")
        verbs = rules.alternation([*conf.follow_verbs, *rs.relations.issue_verbs])
        self.plan_verb_re = re.compile(f"(?:{verbs}){conf.verb_title_gap}$")
        self.year_re = re.compile(rs.names.name_time_prefix_pattern)


def _conf() -> _Conf:
    return rules.active().compiled(_Conf)


def is_document_title(title: str) -> bool:
    """Whether a title in 《》 names a document (law, rule, plan, notice …)."""
    conf = _conf()
    core = conf.paren_re.sub("", title).strip()
    return bool(core) and conf.type_re.search(core) is not None


@register("documents")
def extract_documents(ctx: Context) -> list[Mention]:
    """Titles in 《》 that name documents; abbreviations resolve to the full title."""
    text = ctx.doc.text
    conf = _conf()
    out: list[Mention] = []
    abbrev: dict[str, str] = {}
    last_full: str | None = None
    for m in conf.title_re.finditer(text):
        title = m.group(1).strip()
        s, e = m.span(1)
        if title in abbrev:
            out.append(ctx.mention(s, e, "Document", abbrev[title], "documents", alias=title))
            continue
        am = conf.abbr_re.match(text, m.end())
        if am and is_document_title(title):
            abbrev[am.group(1)] = title
        if not is_document_title(title):
            continue
        # a bare type word (《通知》) with no full title before it is not a name
        if conf.type_re.fullmatch(title) and last_full is None:
            continue
        if conf.type_re.fullmatch(title) and last_full is not None:
            out.append(ctx.mention(s, e, "Document", last_full, "documents", alias=title))
            continue
        out.append(ctx.mention(s, e, "Document", title, "documents"))
        last_full = title
        camp = _plan_campaign(ctx, s, e, title)
        if camp is not None:
            out.append(camp)
    return out


def _plan_campaign(ctx: Context, s: int, e: int, title: str) -> Mention | None:
    """按照《临泉县2025年燃气安全专项整治实施方案》: a plan that is followed or issued names
    its campaign (without the place, the year and the plan head); quoted names in a title
    are the quoted extractor's."""
    conf = _conf()
    text = ctx.doc.text
    core = conf.paren_re.sub("", title).strip()
    m = conf.plan_re.search(core)
    if m is None or any(q in core for q in '“”"‘’「」'):
        return None
    if not conf.plan_verb_re.search(text, max(0, s - 12), s - 1):
        return None  # named without being carried out
    start = s
    for p in sorted((p for p in ctx.found.get("places", []) if s <= p.start < e), key=lambda p: p.start):
        if p.start == start and p.end <= s + m.start():
            start = p.end
    y = conf.year_re.match(text, start, s + m.start())
    if y is not None:
        start = y.end()
    end = s + m.end()
    if end - start < len(m.group()) + 2:
        return None
    return ctx.mention(start, end, "Campaign", text[start:end], "documents", via="plan")
