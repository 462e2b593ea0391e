"""Unquoted named campaigns and mechanisms: the field lexicon and head patterns.

The lexicon (kg/rules/names.toml) holds names an analyst knows (三管三必须, 双重预防
机制, 全国防灾减灾日, 安全生产治本攻坚三年行动). Unquoted names are taken from
"<cue verb><name><head>" frames: 开展春季电气火灾隐患排查行动, 落实恶劣天气停工避险
制度, with the name long and specific enough and about safety.
"""

from __future__ import annotations

import re
from functools import cache

from kg import rules
from kg.extract import Context, register
from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.text import is_cjk

_NAME_CHARS = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z“”‘’·、]+$")


@cache
def _conf() -> dict:
    conf = dict(rules.load("names"))

    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    conf["_mech_re"] = re.compile(rf"(?:{alt(conf['unquoted_mechanism_heads'])})")
    conf["_camp_re"] = re.compile(
        rf"(?:{alt(conf['unquoted_campaign_heads'])})(?![\u4e00-\u9fff]{{0,1}}(?:工作任务|清单|方案|实施|推进会|调度会))"
    )
    conf["_mech_cue"] = re.compile(rf"(?:{alt(conf['mechanism_cues'])})")
    conf["_camp_cue"] = re.compile(rf"(?:{alt(conf['campaign_cues'])})")
    conf["_safety"] = re.compile(alt(conf["safety_stems"]))
    conf["_leading"] = tuple(sorted(conf["leading_words"], key=len, reverse=True))
    conf["_chief_re"] = re.compile(conf["chief_system_pattern"])
    conf["_event_re"] = re.compile(rf"(?:{alt(conf['event_heads'])})")
    conf["_scope_re"] = re.compile(conf["scope_prefix_pattern"])
    return conf


@register("named")
def extract_named(ctx: Context) -> list[Mention]:
    """Lexicon names and unquoted cue-verb frames."""
    text = ctx.doc.text
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    lex = [(h, data) for h in ctx.hits for kind, data in h.payloads if kind == "named"]
    lex_spans = SpanIndex((h.start, h.end, None) for h, _ in lex)  # not every pair: quadratic
    for h, data in lex:
        # the longest name wins (全员安全生产责任制 over 安全生产责任制 inside it)
        if lex_spans.any_containing(h.start, h.end, strict=True):
            continue
        type_, name = data
        out.append(ctx.mention(h.start, h.end, type_, name, "named", alias=h.key if h.key != name else None))
        taken.append((h.start, h.end))
    quoted = [(m.start - 1, m.end + 1) for m in ctx.found.get("quoted", [])]
    quote_ends = {e for _, e in quoted}
    static = SpanIndex((a, b, None) for a, b in taken + quoted)
    quotes = SpanIndex((a, b, None) for a, b in quoted)
    conf = _conf()
    n_lex = len(taken)
    for type_, head_re, cue_re, min_chars in (
        ("Mechanism", conf["_mech_re"], conf["_mech_cue"], int(conf["unquoted_mechanism_min_chars"])),
        ("Campaign", conf["_camp_re"], conf["_camp_cue"], int(conf["unquoted_campaign_min_chars"])),
    ):
        for m in head_re.finditer(text):
            hs, he = m.span()
            if (
                he < len(text)
                and is_cjk(text[he])
                and type_ == "Mechanism"
                and text[he] not in "和与及为的，"
            ):
                continue  # part of a longer word (机制性, 体系化)
            found = _name_start(text, hs, cue_re, type_)
            if found is None:
                continue
            start, cued = found
            start = _trim_leading(ctx, start, hs)
            scope = conf["_scope_re"].match(text, start, hs)
            if scope:
                start = scope.end()  # 市、县两级…机制: the scope is not the name
            if type_ == "Campaign" and he < len(text) and not ctx.doc.boundary[he] and is_cjk(text[he]):
                continue  # 实行动态管理: 行动 inside 行动态
            name = text[start:he]
            core = text[start:hs]
            if len(core) < min_chars or not _NAME_CHARS.match(core):
                continue
            if type_ == "Mechanism" and "、" in core:
                continue  # 监测预警、会商研判、应急联动机制: a list of generic mechanisms
            if not conf["_safety"].search(core) and not (type_ == "Campaign" and cued):
                continue
            if static.any_containing(start, he) or any(a <= start and he <= b for a, b in taken[n_lex:]):
                continue
            if start in quote_ends:
                continue  # “一件事”全链条…责任体系: the name belongs to the quote
            if quotes.any_overlap(start, he):
                continue
            out.append(ctx.mention(start, he, type_, name, "named", via="frame"))
            taken.append((start, he))
    out.extend(_joined_events(ctx, SpanIndex((a, b, None) for a, b in taken)))
    taken_all = SpanIndex((m.start, m.end, None) for m in out)
    quotes_all = SpanIndex((a, b, None) for a, b in quoted)
    # 河长制, 楼长制, 港长制: responsibility systems named after what a chief is put over
    for m in conf["_chief_re"].finditer(text):
        s, e = m.span()
        if e - s == 4 and text[s] in "推行施立实全面的是在和":
            s += 1  # 推行楼长制: the object is one character
        if not taken_all.any_overlap(s, e) and not quotes_all.any_containing(s, e):
            out.append(ctx.mention(s, e, "Mechanism", text[s:e], "named", via="chief"))
    out.extend(_events(ctx, taken_all))
    return out


def _events(ctx: Context, taken: SpanIndex[None]) -> list[Mention]:
    """兴山昭君文化旅游节, 建湖杂技艺术周: a named event opened by a place."""
    text = ctx.doc.text
    out = []
    places = SpanIndex((m.start, m.end, m) for m in ctx.found.get("places", []) if m.attr("adcode"))
    for m in _conf()["_event_re"].finditer(text):
        hs, he = m.span()
        k = hs
        while k > 0 and hs - k < 10 and is_cjk(text[k - 1]):
            k -= 1
        for s, _e, _p in places.overlapping(k, hs):
            if s >= k and (s == 0 or not is_cjk(text[s - 1]) or ctx.doc.boundary[s]):
                if not taken.any_overlap(s, he) and hs - s >= 2:
                    out.append(ctx.mention(s, he, "Campaign", text[s:he], "named", via="event"))
                break
    return out


_TRIM_TAGS = {"p", "c", "u", "uj", "r", "q"}


def _trim_leading(ctx: Context, start: int, end: int) -> int:
    """Drop the adverbs and verbs that open a frame's name (全面修订安全管理制度)."""
    doc = ctx.doc
    words = _conf()["_leading"]
    while start < end:
        w = next((w for w in words if doc.text.startswith(w, start)), None)
        if w is not None and start + len(w) < end:
            start += len(w)
            continue
        ts, te, tag = doc.token_at(start)
        if ts != start or te >= end or tag not in _TRIM_TAGS:
            break
        start = te
    return start


_JOINED = re.compile(r"([\u4e00-\u9fff0-9]{4,30}?(?:活动|行动))暨")


def _joined_events(ctx: Context, taken: SpanIndex[None]) -> list[Mention]:
    """全市志愿服务示范项目展示交流活动暨…启动活动: the event before 暨 is a campaign."""
    text = ctx.doc.text
    out = []
    for m in _JOINED.finditer(text):
        s, e = m.span(1)
        # the name starts after the last clause break, date or cue verb before it
        k = s
        found = _name_start(text, e - 2, _conf()["_camp_cue"], "Campaign")
        if found is not None:
            k = max(k, found[0])
        for prefix in ("全市", "全县", "全区", "全省", "我市"):
            if text.startswith(prefix, k):
                k += len(prefix)
        if e - k < 6 or taken.any_containing(k, e):
            continue
        out.append(ctx.mention(k, e, "Campaign", text[k:e], "named", via="frame"))
    return out


def _name_start(text: str, head_start: int, cue_re: re.Pattern[str], type_: str) -> tuple[int, bool] | None:
    """Start of an unquoted name ending at ``head_start`` (after a cue verb, 的, 和,
    a place word like 全市, or a clause start), and whether a cue verb introduced it."""
    lo = max(0, head_start - 24)
    k = head_start
    while k > lo and (is_cjk(text[k - 1]) or text[k - 1].isalnum()):
        k -= 1
    window = text[k:head_start]
    best = None
    cued = False
    # the last cue verb / 的 / 和 in the window
    for m in cue_re.finditer(window):
        best = k + m.end()
        cued = True
    for sep in ("的", "和", "及", "与"):
        p = window.rfind(sep)
        if p >= 0 and (best is None or k + p + 1 > best):
            best = k + p + len(sep)
            cued = False
    if best is None:
        if k > 0 and text[k - 1] not in "，。；：、“”\n（(,.;:":
            return None
        best = k
    for prefix in ("全市", "全县", "全区", "全省", "我市", "我县", "我区", "今年", "一批"):
        if text.startswith(prefix, best):
            best += len(prefix)
    return best, cued
