"""Campaigns and mechanisms (and a few places and bodies) from quoted names.

News of this kind quotes its names: “春夏九防·敲门行动”, “三管三必须”, 「隐患就是事故」
理念, ‘万企兴万村’行动. A quoted string is typed by what follows it (行动 → Campaign;
机制/制度/模式/体系 → Mechanism; 先行区 → Place; a head after a run of quotes types
each), by its own ending, by its form (X+Y, 1+7+N, numbered slogans such as
一报告双报备一公示双承诺 or 一听、二看、三查, counted sets such as 三个责任人,
joint-work slogans such as 应消联动) and by the verb before it (落实/推行/坚持 … →
Mechanism: 、-lists, chains of steps, four-character phrases, couplets). A campaign's
theme is a mechanism when it is a safety slogan. Quoted speech, single words used
ironically (“瞎子”), adverbs of manner (“拉网式”) and general political formulas
(“两个确立”) are not names.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import cache

from kg import rules
from kg.extract import Context, register
from kg.extract.spans import SpanIndex
from kg.model import Mention

_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’"), ('"', '"'), ("'", "'"))
_QUOTE_CHARS = "“”「」『』‘’\"'"
_NUMERAL = "一二三四五六七八九十两双多百千万0123456789"
_SPEECH = re.compile(r"[。！？!?；;…]")
_LIST_SPLIT = re.compile(r"、|和|及|与")
_FORMULA_PART = re.compile(r"[0-9]{1,2}|[A-Za-z]")
_STEP_SPLIT = re.compile(r"[—－→]+|-")
_STEP = re.compile(r"[\u4e00-\u9fff]{2,4}")
_STRUCTURE_HEAD = re.compile(r"(?:工作)?(?:机制|制度|模式|体系|责任制|工作法)")
_COUNTED = re.compile(r"[一二三四五六七八九十两]个[\u4e00-\u9fff]{2,5}")
_FOUR = re.compile(r"[\u4e00-\u9fff]{4}")
_COUPLET = re.compile(r"[\u4e00-\u9fff]{3,8}(?:[ \u3000][\u4e00-\u9fff]{3,8})+")


@dataclass
class Quote:
    qs: int  # position of the opening quote
    s: int  # content start
    e: int  # content end
    qe: int  # position after the closing quote
    content: str

    @property
    def clean(self) -> str:
        return re.sub(f"[{_QUOTE_CHARS}]", "", self.content).strip()


@cache
def _conf() -> dict:
    conf = dict(rules.load("names"))
    org_heads = rules.load("orgs")["strong_heads"]

    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    conf["_camp_head"] = re.compile(rf"[^\W等的和与及]{{0,12}}?(?:{alt(conf['campaign_heads'])})")
    conf["_mech_head"] = re.compile(
        rf"[\u4e00-\u9fff和与及]{{0,12}}?(?:{alt(conf['mechanism_heads'])})(?![\u4e00-\u9fff]{{0,2}}(?:平台|系统|软件|中心))"
    )
    conf["_mech_de"] = re.compile(rf"的(?:{alt(conf['mechanism_de_heads'])})")
    conf["_place_head"] = re.compile(rf"(?:{alt(conf['place_heads'])})")
    conf["_camp_end"] = re.compile(
        rf"(?:{alt(['行动', '活动', '计划', '工程', '攻坚战', '专项整治', '竞赛'])})$"
    )
    conf["_mech_end"] = re.compile(
        rf"(?:{alt(['机制', '制度', '模式', '体系', '理念', '原则', '责任制', '工作法'])})$"
    )
    conf["_org_end"] = re.compile(rf"(?:{alt(org_heads)})$")
    conf["_list_head"] = re.compile(rf"(?:{alt(conf['campaign_list_heads'])})")
    conf["_mech_cue"] = re.compile(rf"(?:{alt(conf['mechanism_cues'])})$")
    conf["_numbered"] = re.compile(rf"^(?:[{_NUMERAL}]+[\u4e00-\u9fff]{{1,3}}?、?){{2,}}(?<!、)$")
    conf["_numbered1"] = re.compile(rf"^[{_NUMERAL}]+[\u4e00-\u9fff]{{1,3}}$")
    conf["_never"] = frozenset(conf["never"])
    conf["_not_mech_after"] = tuple(conf["not_mechanism_after"])
    conf["_theme_after"] = tuple(conf["theme_after"])
    conf["_theme_before"] = tuple(conf["theme_before"])
    conf["_mech_tails"] = tuple(conf["mechanism_tail_words"])
    conf["_slogan_cue"] = re.compile(rf"(?:{alt(conf['slogan_cues'])})$")
    conf["_goal_cue"] = re.compile(rf"(?:{alt(conf['goal_cues'])})$")
    conf["_safety"] = re.compile(alt(conf["safety_stems"]))
    return conf


def find_quotes(text: str) -> list[Quote]:
    """Every quoted span, including quotes nested in other quotes."""
    out: list[Quote] = []
    for open_, close in _PAIRS:
        if open_ == close:
            pat = re.compile(re.escape(open_) + r"([^" + re.escape(open_) + r"\n]{1,60}?)" + re.escape(close))
        else:
            pat = re.compile(
                re.escape(open_) + r"([^" + re.escape(open_ + close) + r"\n]{1,60})" + re.escape(close)
            )
        for m in pat.finditer(text):
            out.append(Quote(m.start(), m.start(1), m.end(1), m.end(), m.group(1)))
    out.sort(key=lambda q: (q.qs, -q.qe))
    return out


def _is_speech(c: str) -> bool:
    return bool(_SPEECH.search(c)) or (("，" in c or "," in c) and len(c) > 14) or len(c) > 40


def _chain_end(
    text: str, quotes_by_start: dict[int, Quote], q: Quote, memo: dict[int, int] | None = None
) -> int:
    """End of a run of quotes joined by nothing, 、, 和 or a two-character link.

    ``memo`` (position → end of the run from there) makes a page's calls linear, not
    quadratic in the length of a run."""
    end = q.qe
    seen = []
    while True:
        if memo is not None and end in memo:
            end = memo[end]
            break
        seen.append(end)
        for gap in range(0, 3):
            nxt = quotes_by_start.get(end + gap)
            if nxt is not None and all(c in "、和及与，融入" for c in text[end : end + gap]):
                end = nxt.qe
                break
        else:
            break
    if memo is not None:
        memo.update(dict.fromkeys(seen, end))
    return end


def _chain_start(
    text: str, quotes_by_end: dict[int, Quote], q: Quote, memo: dict[int, int] | None = None
) -> int:
    start = q.qs
    seen = []
    while True:
        if memo is not None and start in memo:
            start = memo[start]
            break
        seen.append(start)
        for gap in range(0, 3):
            prv = quotes_by_end.get(start - gap)
            if prv is not None and all(c in "、和及与，融入" for c in text[start - gap : start]):
                start = prv.qs
                break
        else:
            break
    if memo is not None:
        memo.update(dict.fromkeys(seen, start))
    return start


def classify(
    text: str, q: Quote, chain_start: int, chain_end: int, vocab_labels: Container[str]
) -> tuple[str, str] | None:
    """(type, name-with-head) for a quote, or None when it names nothing."""
    conf = _conf()
    c = q.clean
    if len(c) < 2 or c in conf["_never"] or _is_speech(q.content):
        return None
    after = text[q.qe : q.qe + 16]
    if c in vocab_labels and not (conf["_camp_head"].match(after) or conf["_mech_head"].match(after)):
        return None  # “九小场所” is a venue term, handled by the term matcher
    before = text[max(0, chain_start - 6) : chain_start]
    if after.startswith(conf["_theme_after"]) or before.endswith(conf["_theme_before"]):
        # a campaign's theme is a mechanism when it is a safety slogan (主题是“防风险、除隐患”)
        return ("Mechanism", c) if conf["_safety"].search(c) else None
    if after.startswith(conf["_not_mech_after"]):
        return None
    if (
        c.endswith("式")
        and len(c) <= 4
        and not (conf["_camp_head"].match(after) or conf["_mech_head"].match(after))
    ):
        return None  # “拉网式”, “地毯式”: how a check is done
    # a list of quoted names ending with 等活动 / 等品牌项目 → campaigns
    if conf["_list_head"].match(text, chain_end):
        return ("Campaign", c)
    # a head after a run of quotes names each of them: “减量控大”和“一盔一带”行动
    if chain_end > q.qe:
        m = conf["_camp_head"].match(text, chain_end)
        if m:
            return ("Campaign", c + m.group())
        m = conf["_mech_head"].match(text, chain_end)
        if m:
            return ("Mechanism", c + m.group())
    # what follows the closing quote
    m = conf["_place_head"].match(after)
    if m:
        return ("Place", c + m.group())
    m = conf["_mech_de"].match(after)
    if m and len(c) >= 4:
        return ("Mechanism", c)
    m_c = conf["_camp_head"].match(after)
    m_m = conf["_mech_head"].match(after)
    if m_c and (not m_m or m_c.end() <= m_m.end()):
        return ("Campaign", c + m_c.group())
    if m_m:
        return ("Mechanism", c + m_m.group())
    # the quote's own ending
    if conf["_camp_end"].search(c):
        return ("Campaign", c)
    if conf["_mech_end"].search(c) and len(c) >= 4:
        return ("Mechanism", c)
    if conf["_org_end"].search(c) and len(c) >= 4:
        return ("Organization", c)
    # its form
    parts = re.split(r"[+＋]", c)
    if len(parts) >= 2 and all(len(p) >= 2 and _has_cjk(p) for p in parts):
        return ("Mechanism", c)  # 执法+专家, 2+3+N; not A2O+深度处理 or 创业+
    if len(parts) >= 3 and all(_FORMULA_PART.fullmatch(p) for p in parts):
        return ("Mechanism", c)  # 1+7+N
    if conf["_numbered"].match(c) and len(c) >= 4:
        return ("Mechanism", c)  # 一矿一策, 一听、二看、三查、四问
    if _COUNTED.fullmatch(c):
        return ("Mechanism", c)  # 三个责任人, 四个一律: a counted set of rules
    if _FOUR.fullmatch(c) and c.endswith(conf["_mech_tails"]):
        return ("Mechanism", c)  # 应消联动, 林火联防: a four-character joint-work slogan
    # the verb before it (shared by a run of quotes: 落实“A”和“B”)
    slogan = conf["_numbered1"].match(c) or (4 <= len(c) <= 24 and "、" in c)
    if slogan and conf["_mech_cue"].search(before):
        return ("Mechanism", c)
    # 建立“检查—整改—复查—闭环”, 落实“首违不罚”, 树立“群众过节 干部过关”: a chain of
    # steps, a four-character phrase or a couplet that a body puts into force
    steps = _STEP_SPLIT.split(c)
    strong = (
        (len(steps) >= 3 and all(_STEP.fullmatch(p) for p in steps))
        or _FOUR.fullmatch(c)
        or _COUPLET.fullmatch(c)
    )
    if strong and conf["_slogan_cue"].search(before):
        return ("Mechanism", c)
    # 确保“打早、打小、打了”: a principle of three or more short parallel steps to achieve
    items = c.split("、")
    if len(items) >= 3 and all(_STEP.fullmatch(i) for i in items) and conf["_goal_cue"].search(before):
        return ("Mechanism", c)
    return None


def _modifier_only(text: str, q: Quote, vocab_labels: Container[str]) -> bool:
    """Whether a quoted name is only part of the name it opens: it ends with + (杂技+), it
    runs on into a vocabulary term (“三合一”场所 → 三合一场所, a venue), or it lists
    vocabulary terms (“地震、防汛和地质灾害”应急演练: what the drill is about)."""
    c = q.clean
    if c.endswith(("+", "＋")):
        return True
    parts = _LIST_SPLIT.split(c)
    if len(parts) >= 2 and all(p in vocab_labels for p in parts):
        return True
    return any(f"{c}{text[q.qe : q.qe + k]}" in vocab_labels for k in range(1, 5))


def _has_cjk(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


@register("quoted")
def extract_quoted(ctx: Context) -> list[Mention]:
    """Typed quoted names."""
    text = ctx.doc.text
    quotes = find_quotes(text)
    by_start = {q.qs: q for q in quotes}
    by_end = {q.qe: q for q in quotes}
    labels = ctx.res.vocab.by_label
    typed: dict[tuple[int, int], tuple[str, str]] = {}
    strength: dict[str, tuple[int, str]] = {}
    starts_memo: dict[int, int] = {}
    ends_memo: dict[int, int] = {}
    for q in quotes:
        chain = _chain_start(text, by_end, q, starts_memo), _chain_end(text, by_start, q, ends_memo)
        res = classify(text, q, *chain, labels)
        if res is not None:
            typed[(q.qs, q.qe)] = res
            # a type read off a head (“X”融合试点建设 → Campaign) beats one read off the
            # form alone (X+Y → Mechanism) for every mention of the name on the page
            strong = 1 if res[1] != q.clean else 0
            if strength.get(q.clean, (-1, ""))[0] < strong:
                strength[q.clean] = (strong, res[0])
    by_span = {(x.qs, x.qe): x for x in quotes}
    for key, (type_, full) in list(typed.items()):
        q = by_span[key]
        best = strength.get(q.clean)
        if best and best[1] != type_:
            typed[key] = (best[1], full)
    out: list[Mention] = []
    inner = SpanIndex((qs, qe, None) for qs, qe in typed)
    for q in quotes:
        res = typed.get((q.qs, q.qe))
        if res is None:
            continue
        # an outer quote around a typed inner name (“促进…和‘万企兴万村’行动”) is not a name
        if any(qs > q.qs and qe < q.qe for qs, qe, _ in inner.overlapping(q.qs, q.qe)):
            continue
        type_, full = res
        name = q.clean
        if type_ == "Campaign" and full != name and (_modifier_only(text, q, labels) or name in labels):
            # “三合一”场所消防安全专项整治, “杂技+”文旅融合工程: the quote does not stand alone;
            # nor does a field term (“地质灾害”应急演练: the drill, not the hazard)
            name, full = full, name
        if type_ == "Mechanism" and len(name) <= 3 and _STRUCTURE_HEAD.fullmatch(full[len(name) :]):
            # “黑名单”制度, “叫应”机制: a word this short is named with its head
            name, full = full, name
        if type_ == "Place":
            out.append(ctx.mention(q.s, q.e, "Place", name, "quoted", level="zone", alias=full))
            continue
        out.append(ctx.mention(q.s, q.e, type_, name, "quoted", alias=full if full != name else None))
    return out
