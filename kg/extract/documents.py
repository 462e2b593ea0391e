"""Documents: laws, rules, plans and notices named in 《》.

A title counts when it ends with a document type (通知, 规定, 预案, 目录(第五批),
通知书, 告知书, 一封信 …); songs, readings and publicity material (《义勇军进行曲》,
《防火知识手册》, 承诺书) do not. "(以下简称《通知》)" makes the short
title an alias, and later 《通知》 refer to the same document.
"""

from __future__ import annotations

import re
from functools import cache

from kg import rules
from kg.extract import Context, register
from kg.model import Mention


@cache
def _conf() -> dict:
    conf = dict(rules.load("documents"))
    types = sorted(set(conf["doc_types"]), key=len, reverse=True)
    conf["_type_re"] = re.compile("(?:" + "|".join(map(re.escape, types)) + ")$")
    conf["_paren_re"] = re.compile(conf["trailing_paren"])
    conf["_abbr_re"] = re.compile(conf["abbreviation"])
    n = int(conf["max_title_chars"])
    conf["_title_re"] = re.compile(rf"《([^《》\n]{{1,{n}}})》")
    return conf


def is_document_title(title: str) -> bool:
    """Whether a title in 《》 names a document (law, rule, plan, notice …)."""
    conf = _conf()
    core = conf["_paren_re"].sub("", title).strip()
    return bool(core) and conf["_type_re"].search(core) is not None


@register("documents")
def extract_documents(ctx: Context) -> list[Mention]:
    """Titles in 《》 that name documents; abbreviations resolve to the full title."""
    text = ctx.doc.text
    conf = _conf()
    out: list[Mention] = []
    abbrev: dict[str, str] = {}
    last_full: str | None = None
    for m in conf["_title_re"].finditer(text):
        title = m.group(1).strip()
        s, e = m.span(1)
        if title in abbrev:
            out.append(ctx.mention(s, e, "Document", abbrev[title], "documents", alias=title))
            continue
        am = conf["_abbr_re"].match(text, m.end())
        if am and is_document_title(title):
            abbrev[am.group(1)] = title
        if not is_document_title(title):
            continue
        # a bare type word (《通知》) with no full title before it is not a name
        if conf["_type_re"].fullmatch(title) and last_full is None:
            continue
        if conf["_type_re"].fullmatch(title) and last_full is not None:
            out.append(ctx.mention(s, e, "Document", last_full, "documents", alias=title))
            continue
        out.append(ctx.mention(s, e, "Document", title, "documents"))
        last_full = title
    return out
