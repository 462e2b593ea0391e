"""Unquoted named campaigns and mechanisms: the field lexicon and head patterns.

The lexicon (kg/rules/names.toml) holds names an analyst knows (三管三必须, 双重预防
机制, 全国防灾减灾日, 安全生产治本攻坚三年行动). Unquoted names are taken from
"<cue verb><name><head>" frames: 开展春季电气火灾隐患排查行动, 落实恶劣天气停工避险
制度, 开展有限空间作业专项执法检查, with the name long and specific enough and about
safety. A name starts after the cue verb, the place, the scope (全县, 省市) and the date;
generic actions (集中整治行动) are no names. Some mechanisms are named by their form:
行政首长负责制, 包容审慎监管, and each item of "约谈培训、联合检查等机制".
"""

from __future__ import annotations

import re
from functools import cache

from kg import rules
from kg.extract import Context, register
from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.text import is_cjk

_NAME_CHARS = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z“”‘’\"·、]+$")
_QUOTED_WORD = re.compile(r"[“‘\"][\u4e00-\u9fff]{1,6}[”’\"]$")
_FIELD_TYPES = ("Industry", "Venue", "Hazard")
_QUOTE_MARKS = re.compile(r"[“”‘’\"]")


@cache
def _conf() -> dict:
    conf = dict(rules.load("names"))

    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    conf["_mech_re"] = re.compile(rf"(?:{alt(conf['unquoted_mechanism_heads'])})")
    conf["_camp_re"] = re.compile(
        rf"(?:{alt(conf['unquoted_campaign_heads'])})"
        rf"(?![\u4e00-\u9fff]{{0,1}}(?:{alt(conf['campaign_head_not_before'])}))"
    )
    conf["_generic_camp_re"] = re.compile(rf"(?:{alt(conf['generic_campaign_words'])})+")
    conf["_list_item_re"] = re.compile(conf["campaign_list_item"])
    conf["_list_item_end_re"] = re.compile(f"(?:{conf['campaign_list_item']})$")
    conf["_breaks"] = tuple(conf["name_breaks"])
    conf["_scopes"] = tuple(sorted(conf["name_scope_prefixes"], key=len, reverse=True))
    conf["_time_re"] = re.compile(conf["name_time_prefix_pattern"])
    conf["_other_field_re"] = re.compile(f"(?:{conf['other_field_pattern']})$")
    conf["_generic_mech_tails"] = tuple(conf["generic_mechanism_tails"])
    conf["_duration_re"] = re.compile(conf["routine_duration_pattern"])
    conf["_supervision_re"] = re.compile(rf"(?:{alt(conf['supervision_modes'])})监管")
    conf["_listed_re"] = re.compile(r"(?:[\u4e00-\u9fff]{2,12}、)+[\u4e00-\u9fff]{2,8}$")
    conf["_listed_heads"] = tuple(sorted(conf["listed_mechanism_heads"], key=len, reverse=True))
    conf["_mech_cue"] = re.compile(rf"(?:{alt(conf['mechanism_cues'])})")
    conf["_camp_cue"] = re.compile(rf"(?:{alt(conf['campaign_cues'])})")
    conf["_safety"] = re.compile(alt(conf["safety_stems"]))
    conf["_leading"] = tuple(sorted(conf["leading_words"], key=len, reverse=True))
    # the first of them (the longest) that opens a position, in one match
    conf["_leading_re"] = re.compile("|".join(map(re.escape, conf["_leading"])) or "(?!)")
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
    lex = [(h, data) for h in ctx.hits_with("named") for kind, data in h.payloads if kind == "named"]
    lex_spans = SpanIndex((h.start, h.end, None) for h, _ in lex)  # not every pair: quadratic
    for h, data in lex:
        # the longest name wins (全员安全生产责任制 over 安全生产责任制 inside it)
        if lex_spans.any_containing(h.start, h.end, strict=True):
            continue
        type_, name = data
        if _other_field(text, h.start, h.key, name):
            continue  # 消防安全治本攻坚三年行动: another field's campaign (a frame names it)
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
        frames: list[tuple[int, int]] = []
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
            start = _left_edge(ctx, start, hs)
            scope = conf["_scope_re"].match(text, start, hs)
            if scope:
                start = scope.end()  # 市、县两级…机制: the scope is not the name
            if type_ == "Campaign" and he < len(text) and not ctx.doc.boundary[he] and is_cjk(text[he]):
                continue  # 实行动态管理: 行动 inside 行动态
            core = text[start:hs]
            if len(core) < min_chars or not _NAME_CHARS.match(core):
                continue
            if type_ == "Mechanism" and "、" in core:
                continue  # 监测预警、会商研判、应急联动机制: a list of generic mechanisms
            if type_ == "Mechanism" and (
                text.endswith(conf["_generic_mech_tails"], start, he)
                or (text.endswith("制度", start, he) and _routine(ctx, start, hs))
            ):
                continue  # 安全管理制度: routine rules; 24小时值班值守制度: the measure 值班值守
            if type_ == "Campaign" and (core.endswith("等") or conf["_generic_camp_re"].fullmatch(core)):
                continue  # 建筑施工领域等专项整治; 集中整治行动: no name
            if not conf["_safety"].search(core) and not (type_ == "Campaign" and cued):
                continue
            if static.any_containing(start, he) or any(a <= start and he <= b for a, b in taken[n_lex:]):
                continue
            if start in quote_ends:
                continue  # “一件事”全链条…责任体系: the name belongs to the quote
            if quotes.any_overlap(start, he):
                continue
            frames.append((start, he))
        # 危险品运输百日攻坚专项治理行动: a head inside a longer name of the same kind
        for start, he in frames:
            if any(a <= start and he <= b and (a, b) != (start, he) for a, b in frames):
                continue
            name = _QUOTE_MARKS.sub("", text[start:he])
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
    out.extend(_unquoted_mechanisms(ctx, SpanIndex((m.start, m.end, None) for m in out), quotes_all))
    return out


def _found(ctx: Context, key: str) -> SpanIndex[Mention]:
    """The mentions an earlier extractor found (places, terms), indexed once per page."""
    cache = ctx.__dict__.setdefault("_named_found", {})
    if key not in cache:
        cache[key] = SpanIndex((m.start, m.end, m) for m in ctx.found.get(key, []))
    return cache[key]


def _routine(ctx: Context, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a 制度's name without its head) is only a measure of
    the vocabulary, possibly after a duration (24小时值班值守)."""
    d = _conf()["_duration_re"].match(ctx.doc.text, start, end)
    s = d.end() if d else start
    spans = ctx.__dict__.get("_named_measures")
    if spans is None:
        spans = {(m.start, m.end) for m in ctx.found.get("terms", []) if m.type == "Measure"}
        ctx.__dict__["_named_measures"] = spans
    return (s, end) in spans


def _unquoted_mechanisms(ctx: Context, taken: SpanIndex[None], quotes: SpanIndex[None]) -> list[Mention]:
    """Mechanisms named by their form: 行政首长负责制 (who bears a responsibility),
    包容审慎监管 (a mode of supervision), and each item of "约谈培训、联合检查等机制"."""
    conf = _conf()
    text = ctx.doc.text
    out: list[Mention] = []

    def free(s: int, e: int) -> bool:
        return not taken.any_overlap(s, e) and not quotes.any_overlap(s, e)

    head = conf["responsibility_head"]
    k = text.find(head)
    while k >= 0:
        found = _name_start(text, k, conf["_mech_cue"], "Mechanism")
        if found is not None:
            s = _left_edge(ctx, _trim_leading(ctx, found[0], k), k)
            # 森林和草原防火行政首长负责制: the field covered is not the name
            terms = ctx.found.get("terms", [])  # rare: one scan per 负责制
            s = max([s, *(t.end for t in terms if s <= t.start and t.end < k and t.type in _FIELD_TYPES)])
            e = k + len(head)
            if k - s >= 2 and _NAME_CHARS.match(text[s:k]) and free(s, e):
                out.append(ctx.mention(s, e, "Mechanism", text[s:e], "named", via="frame"))
        k = text.find(head, k + 1)
    for m in conf["_supervision_re"].finditer(text):
        s, e = m.span()
        if s > 0 and text[s - 1] in "”’\"'":
            continue  # “视频反‘三违’”非现场监管模式: the head of a quoted name
        if (s == 0 or not is_cjk(text[s - 1]) or ctx.doc.boundary[s]) and free(s, e):
            out.append(ctx.mention(s, e, "Mechanism", text[s:e], "named", via="frame"))
    p = text.find("等")
    while p >= 0:
        head_ = next((h for h in conf["_listed_heads"] if text.startswith(h, p + 1)), None)
        m = conf["_listed_re"].search(text, max(0, p - 80), p) if head_ else None
        p = text.find("等", p + 1)
        if m is None or head_ is None:  # (m is None whenever head_ is)
            continue
        pos = m.start()
        for item in m.group().split("、"):
            s, e = pos, pos + len(item)
            pos = e + 1
            if s == m.start():
                # the first item opens after the cue verb: 建立健全约谈培训
                found = _name_start(text, e, conf["_mech_cue"], "Mechanism")
                if found is None or not found[1]:
                    break
                s = found[0]
            if e - s < 2 or not free(s, e) or (head_.endswith("制度") and _routine(ctx, s, e)):
                continue
            out.append(ctx.mention(s, e, "Mechanism", text[s:e] + head_, "named", via="list"))
    return out


def _other_field(text: str, start: int, key: str, name: str) -> bool:
    """Whether a short form of a known name (治本攻坚三年行动 for 安全生产治本攻坚三年行动)
    is preceded by another field's name (消防安全…): that is a campaign of its own."""
    if key == name or not name.endswith(key):
        return False
    return _conf()["_other_field_re"].search(text, max(0, start - 8), start) is not None


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
    leading = _conf()["_leading_re"]
    while start < end:
        m = leading.match(doc.text, start)
        if m is not None and m.end() < end:
            start = m.end()
            continue
        ts, te, tag = doc.token_at(start)
        if ts != start or te >= end or tag not in _TRIM_TAGS:
            break
        start = te
    return start


_JOINED = re.compile(r"[\u4e00-\u9fff0-9]{4,30}(?:活动|行动)$")


def _joined_events(ctx: Context, taken: SpanIndex[None]) -> list[Mention]:
    """全市志愿服务示范项目展示交流活动暨…启动活动: the event before 暨 is a campaign."""
    text = ctx.doc.text
    out = []
    p = text.find("暨")
    while p >= 0:
        m = _JOINED.search(text, max(0, p - 32), p)
        p = text.find("暨", p + 1)
        if m is None:
            continue
        s, e = m.span()
        # the name starts after the last clause break, date or cue verb before it
        k = s
        found = _name_start(text, e - 2, _conf()["_camp_cue"], "Campaign")
        if found is not None:
            k = max(k, found[0])
        for prefix in _conf()["_scopes"]:
            if text.startswith(prefix, k):
                k += len(prefix)
                break
        if e - k < 6 or taken.any_containing(k, e):
            continue
        out.append(ctx.mention(k, e, "Campaign", text[k:e], "named", via="frame"))
    return out


def _name_start(text: str, head_start: int, cue_re: re.Pattern[str], type_: str) -> tuple[int, bool] | None:
    """Start of an unquoted name ending at ``head_start`` (after a cue verb, 的, 和,
    a place word like 全市, or a clause start), and whether a cue verb introduced it."""
    conf = _conf()
    lo = max(0, head_start - 24)
    k = head_start
    while True:
        while k > lo and (is_cjk(text[k - 1]) or text[k - 1].isalnum()):
            k -= 1
        # “两节”期间安全生产驻点督导服务: a short quoted word inside the name
        q = _QUOTED_WORD.search(text, lo, k)
        if q is not None and q.end() == k and k < head_start:
            k = q.start()
            continue
        # 大检查、大整治行动: a list of "大X" items is one name
        if (
            type_ == "Campaign"
            and k - 1 > lo
            and text[k - 1] == "、"
            and conf["_list_item_re"].match(text, k)
            and conf["_list_item_end_re"].search(text, lo, k - 1)
        ):
            k -= 1
            continue
        break
    window = text[k:head_start]
    best = None
    cued = False
    # the last cue verb / 的 / 和 in the window
    for m in cue_re.finditer(window):
        best = k + m.end()
        cued = True
    for sep in conf["_breaks"]:
        p = window.rfind(sep)
        if p >= 0 and (best is None or k + p + len(sep) > best):
            best = k + p + len(sep)
            cued = False
    if best is None:
        if k > 0 and text[k - 1] not in "，。；：、“”\n（(,.;:":
            return None
        best = k
        if k > 0 and text[k - 1] == "、":
            # 开展A专项督导检查、B专项整治: the verb before a list governs every item
            c = k - 1
            while c > 0 and text[c - 1] not in "，。；：！？,;:!?\n":
                c -= 1
            cued = cue_re.search(text, c, k - 1) is not None
    return best, cued


def _left_edge(ctx: Context, start: int, end: int) -> int:
    """Move a name's start past what opens the clause but not the name: a place (临泉县
    在…), scope words (全县, 省市) and time phrases (2025年, 8月19日起)."""
    conf = _conf()
    text = ctx.doc.text
    for _s, e, _m in _found(ctx, "places").overlapping(start, end):
        if start < e < end:
            start = max(start, e)
    while start < end:
        w = next((w for w in conf["_scopes"] if text.startswith(w, start)), None)
        if w is not None and start + len(w) < end and ctx.doc.boundary[start + len(w)]:
            start += len(w)
            continue
        t = conf["_time_re"].match(text, start, end)
        if t is not None and t.end() > start:
            start = t.end()
            continue
        break
    return start
