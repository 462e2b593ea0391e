"""Vocabulary terms: industries, venues, hazards and measures (SKOS concepts).

Unambiguous labels (pref/alt/hidden) count wherever they occur. Contextual labels
(施工, 燃气, 企业, 培训 …) count only in context: coordinated with another term,
followed by a field head (行业, 领域, 场所, 安全 …, also across 等 closing a list),
after a focus verb (紧盯, 聚焦, 排查 …) or 防, or, for measures, in a sentence about
safety. The word lists are kg/rules/terms.toml. Measure patterns (压实…责任 → 责任落实)
come from the vocabulary's kg:matchPattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.extract import Context, Hit, register
from kg.model import Mention
from kg.nlp.vocab import CONTEXT, Term

_TARGET_TYPES = ("Industry", "Venue", "Hazard")


@dataclass(frozen=True)
class _Context:
    """The context rules of kg/rules/terms.toml, compiled."""

    heads: dict[str, tuple[str, ...]]
    term_heads: dict[str, tuple[str, ...]]
    not_with: dict[str, tuple[str, ...]]
    not_followed_by: dict[str, tuple[str, ...]]
    time_heads: tuple[str, ...]
    focus: re.Pattern[str]
    guard_prefixes: tuple[str, ...]
    enum_gap: int
    safety: re.Pattern[str]
    head_nouns: frozenset[str]


@cache
def _context() -> _Context:
    from kg import rules

    r = rules.load("terms")

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return _Context(
        heads={k: tuple(v) for k, v in r["heads"].items()},
        term_heads={k: tuple(v) for k, v in r["term_heads"].items()},
        not_with={k: tuple(v) for k, v in r["not_with"].items()},
        not_followed_by={k: tuple(v) for k, v in r["not_followed_by"].items()},
        time_heads=tuple(r["time_heads"]),
        focus=re.compile(rf"(?:{alt(r['focus_verbs'])})[^，。；！？]{{0,{int(r['focus_window'])}}}$"),
        guard_prefixes=tuple(r["guard_prefixes"]),
        enum_gap=int(r["enum_gap"]),
        safety=re.compile(alt(r["safety_cues"])),
        head_nouns=frozenset(r["head_nouns"]),
    )


@cache
def _patterns(vocab: object) -> list[tuple[re.Pattern[str], Term]]:
    return vocab.compiled_patterns()  # type: ignore[attr-defined]  # the parameter is typed object in this helper (a Vocab / Doc)


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
    hits = [h for h in ctx.hits_with("term") if len(h.key) > 2 or doc.aligned(h.start, h.end)]
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
    # a head noun right after an accepted term is that term's (粉尘涉爆企业, 危化品仓库): it is
    # not a term of its own, here or elsewhere in the article
    heads = _context().head_nouns
    pending = [(h, t) for h, t in weak if not (h.key in heads and h.start in by_end)]
    changed = True
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
_BREAKS = "，。；！？、,.;!?\n"


def _coordinated(text: str, s: int, e: int, words: tuple[str, ...]) -> bool:
    """Is [s, e) coordinated (X、Y, X和Y …) with one of ``words``?"""
    for sep in _COORD:
        if text.startswith(sep, s - len(sep)) and any(
            text.startswith(w, s - len(sep) - len(w)) for w in words
        ):
            return True
        if text.startswith(sep, e) and any(text.startswith(w, e + len(sep)) for w in words):
            return True
    return False


def _head_after(text: str, e: int, heads: tuple[str, ...], gap: int) -> bool:
    """A head right after ``e``, or after 等 closing a list (顶板等重大风险)."""
    if any(text.startswith(h, e) for h in heads):
        return True
    if not text.startswith("等", e):
        return False
    for pos in range(e + 1, e + 2 + gap):
        if pos > e + 1 and text[pos - 1] in _BREAKS:
            return False
        if any(text.startswith(h, pos) for h in heads):
            return True
    return False


def _in_context(
    text: str, h: Hit, t: Term, by_start: dict[int, Term], by_end: dict[int, Term], doc: object
) -> bool:
    s, e = h.start, h.end
    cx = _context()
    # part of another word or phrase here (透水混凝土, 放炮仗)
    if any(text.startswith(w, e) for w in cx.not_followed_by.get(h.key, ())):
        return False
    own = cx.term_heads.get(t.name, ())
    if own:
        # a term with heads of its own (the e-bike convention): they decide, with no safety cue
        # needed; one vehicle class among others in a traffic list does not count
        if any(text.startswith(w, e) for w in own):
            return True
        if _coordinated(text, s, e, cx.not_with.get(t.name, ())):
            return False
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
    sent = doc.sent_at(s)  # type: ignore[attr-defined]  # the parameter is typed object in this helper (a Vocab / Doc)
    if cx.safety.search(text[sent.start : sent.end].replace(h.key, "")) is None:
        return False
    if t.type == "Measure":
        return True
    if _head_after(text, e, cx.heads.get(t.type, ()), cx.enum_gap):
        return True
    # 防 right before a hazard: guarded against (防触电, 防溺水)
    if t.type == "Hazard" and any(text.startswith(g, s - len(g)) for g in cx.guard_prefixes):
        return True
    # the end of a time expression (高温季节): a focus verb governs the time, not the term
    if any(text.startswith(w, e) for w in cx.time_heads):
        return False
    return bool(cx.focus.search(text, max(sent.start, s - 12), s))
