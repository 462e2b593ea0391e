"""Vocabulary terms: industries, venues, hazards and measures (SKOS concepts).

Unambiguous labels (pref/alt/hidden) count wherever they occur. Contextual labels
(施工, 燃气, 企业, 培训 …) count only in context: coordinated with another term,
followed by a field head (行业, 领域, 场所, 安全 …), after a focus verb (紧盯,
聚焦, 排查 …) or, for measures, in a sentence about safety. Measure patterns
(压实…责任 → 责任落实) come from the vocabulary's kg:matchPattern.
"""

from __future__ import annotations

import re
from functools import cache

from kg.extract import Context, Hit, register
from kg.model import Mention
from kg.vocab import CONTEXT, Term

_TARGET_TYPES = ("Industry", "Venue", "Hazard")

# Words after a contextual label that show it names a field or a kind of place.
_HEADS = {
    "Industry": (
        "行业",
        "领域",
        "企业",
        "安全",
        "设施",
        "单位",
        "系统",
        "作业",
        "工程",
        "项目",
        "环节",
        "监管",
    ),
    "Venue": ("场所", "区域", "等重点", "点位", "部位"),
    "Hazard": ("隐患", "风险", "事故", "防范", "防控", "防御", "预警", "应急", "防治", "灾害", "避险"),
    "Measure": (),
}
_FOCUS = re.compile(
    r"(?:紧盯|聚焦|针对|排查|整治|检查|深入|覆盖|严查|严防|防范|加强|强化|围绕|督导|盯紧|盯住|"
    r"抓好|抓实|做好|走进)[^，。；！？]{0,6}$"
)
_SAFETY = re.compile(r"安全|应急|隐患|事故|灾|火|汛|险|救援|消防|预警|风险|防范|危|防控|预案|演练|监管|执法")


@cache
def _patterns(vocab: object) -> list[tuple[re.Pattern[str], Term]]:
    return vocab.compiled_patterns()  # type: ignore[attr-defined]


def _select(hits: list[Hit]) -> list[Hit]:
    """Longest non-overlapping term matches, left to right."""
    out: list[Hit] = []
    end = -1
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if h.start >= end:
            out.append(h)
            end = h.end
        elif h.end > end and out and (h.end - h.start) > (out[-1].end - out[-1].start):
            # a longer match starting inside the previous one wins (城市内涝 over 城市)
            out[-1] = h
            end = h.end
    return out


@register("terms")
def extract_terms(ctx: Context) -> list[Mention]:
    """Industry, Venue, Hazard and Measure mentions."""
    doc, vocab = ctx.doc, ctx.res.vocab
    text = doc.text
    # a two-character label must be a word of its own here (防洪 in 严防洪涝 is not)
    hits = [
        h
        for h in ctx.hits
        if any(k == "term" for k, _ in h.payloads) and (len(h.key) > 2 or doc.aligned(h.start, h.end))
    ]
    chosen = _select(hits)
    # decide strong vs contextual
    strong: list[tuple[Hit, Term]] = []
    weak: list[tuple[Hit, Term]] = []
    for h in chosen:
        pairs = [(vocab.terms[d[0]], d[1]) for k, d in h.payloads if k == "term"]
        term, mode = sorted(pairs, key=lambda p: (p[1] == CONTEXT, p[0].type))[0]
        if len(h.key) <= 2 and not doc.aligned(h.start, h.end):
            continue
        (weak if mode == CONTEXT else strong).append((h, term))
    modes: dict[tuple[int, int], str] = {}
    for h, t in strong:
        modes[(h.start, h.end)] = next(d[1] for k, d in h.payloads if k == "term" and d[0] == t.iri)
    accepted: dict[tuple[int, int], Term] = {(h.start, h.end): t for h, t in strong}
    # contextual labels: iterate so that a list of weak terms next to a strong one counts
    by_end: dict[int, Term] = {e: t for (_, e), t in accepted.items()}
    by_start: dict[int, Term] = {s: t for (s, _), t in accepted.items()}
    changed = True
    pending = list(weak)
    while changed and pending:
        changed = False
        rest = []
        for h, t in pending:
            if _in_context(text, h, t, by_start, by_end, doc):
                accepted[(h.start, h.end)] = t
                by_end[h.end] = t
                by_start[h.start] = t
                changed = True
            else:
                rest.append((h, t))
        pending = rest
    # one sense per article: an ambiguous label accepted once in an article counts
    # wherever else that article uses it (钢铁和铝加工企业 … 对钢铁等重点行业)
    seen = {(doc.para_at(s).article, text[s:e]) for (s, e) in accepted}
    for h, t in pending:
        if (doc.para_at(h.start).article, h.key) in seen:
            accepted[(h.start, h.end)] = t
    out = [
        ctx.mention(s, e, t.type, t.name, "terms", iri=t.iri, label=modes.get((s, e), "context"))
        for (s, e), t in sorted(accepted.items())
    ]
    # measure patterns
    for pat, t in _patterns(vocab):
        for m in pat.finditer(text):
            s, e = m.span()
            if e > s and "\n" not in text[s:e]:
                out.append(ctx.mention(s, e, t.type, t.name, "terms", iri=t.iri, via="pattern"))
    return out


_COORD = ("、", "和", "及", "与", "以及", "或", "，")


def _in_context(
    text: str, h: Hit, t: Term, by_start: dict[int, Term], by_end: dict[int, Term], doc: object
) -> bool:
    s, e = h.start, h.end
    # coordinated with an accepted term: X、Y / X和Y / X及Y
    for sep in _COORD:
        for other in (
            by_end.get(s - len(sep)) if text.startswith(sep, s - len(sep)) else None,
            by_start.get(e + len(sep)) if text.startswith(sep, e) else None,
        ):
            if other is not None and (other.type in _TARGET_TYPES or other.type == t.type):
                return True
    # an ambiguous word counts only in a sentence about safety (培训 in a job-training
    # story, 旅游 in a tourism story, 企业 in a business story do not)
    sent = doc.sent_at(s)  # type: ignore[attr-defined]
    if _SAFETY.search(text[sent.start : sent.end].replace(h.key, "")) is None:
        return False
    if t.type == "Measure":
        return True
    for head in _HEADS.get(t.type, ()):
        if text.startswith(head, e):
            return True
    return bool(_FOCUS.search(text, max(sent.start, s - 12), s))
