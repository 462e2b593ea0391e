"""Organizations: agencies, party bodies, enterprises, schools, hospitals, associations.

An organization name ends in a head (局, 中心, 支队, 有限公司, 学校, 联合会 …) and its
left edge is found by walking back to punctuation, a function word or a verb that
introduces it (由, 来自, 授予, 联合 …). Strong heads (有限公司, 学校, 医院) make any
proper name an organization; weak heads (局, 中心, 站, 所) need a place or relative
prefix (市应急管理局 on a Yuncheng page → 运城市应急管理局) or a parent body. National
bodies come from a lexicon; abbreviations (住建局, 残联) get their official full form.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from kg import rules
from kg.extract import Context, register
from kg.extract.common import Words, WordStarts, is_delim
from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.nlp.gazetteer import Division
from kg.text import is_cjk

_FUNCTION_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "f", "t", "x", "q"}
_VERB_TAGS = {"v", "vd", "d", "ad"}
_NUMERAL = re.compile(r"^(?:[0-9０-９.]+|[零一二三四五六七八九十百千万两几多数余]+[个家座名批次项条处辆]?)$")
_SINGLE_HEAD_OK_NEXT = set(
    "，。、；：！？,.;:!?“”‘’「」（）()《》 \n"
    "和与及等的在是将对为于向从把被也都还就已正要参主召发组开推举承负牵指获荣"
)
# one-character words that never occur inside a name: a cut there needs no token check
_HARD_STOPS = set("由被把从向的")
_CONJUNCTIONS = set("和与及")
_PLACE_ENDS = set("省市县区州盟旗镇乡村")


@cache
def _conf() -> dict:
    conf = dict(rules.load("orgs"))
    heads = sorted(set(conf["strong_heads"]) | set(conf["weak_heads"]), key=len, reverse=True)
    conf["_strong"] = frozenset(conf["strong_heads"])
    conf["_weak"] = frozenset(conf["weak_heads"])
    conf["_heads"] = tuple(heads)
    conf["_head_re"] = re.compile("|".join(map(re.escape, heads)))
    conf["_heads_scan"] = Words(heads)  # the page-wide scan for heads
    conf["_stops"] = tuple(
        sorted(set(conf["left_stop_words"]) | set(conf["names"]["region_words"]), key=len, reverse=True)
    )
    # every stop word at every position (overlapping), longest first at a position
    conf["_stops_at"] = WordStarts(conf["_stops"])
    conf["_and_phrases"] = tuple(conf["names"]["official_and_phrases"]) + tuple(conf["names"]["name_phrases"])
    conf["_and_scan"] = Words(conf["_and_phrases"])  # is any of them in a window at all
    conf["_generic"] = frozenset(conf["generic_cores"])
    # longest first, then by name, not in hash order: cores overlap (科技, 技术 in 科技术)
    conf["_generic_desc"] = sorted(conf["_generic"], key=lambda g: (-len(g), g))
    conf["_head_words"] = tuple(conf["head_words"])
    # per one-character head, the head words it can open or close (局 → 布局, 局面 …)
    conf["_head_words_of"] = {
        h: tuple(w for w in conf["_head_words"] if h in (w[0], w[-1])) for h in heads if len(h) == 1
    }
    labels = "|".join(map(re.escape, conf["source_labels"])) or "(?!)"  # a source line: 来源：…
    conf["_source_re"] = re.compile(rf"(?:{labels})\s*[：:]")
    conf["_posts"] = tuple(sorted(rules.load("persons")["posts"], key=len, reverse=True))
    party = "|".join(map(re.escape, sorted(conf["party_prefixes"], key=len, reverse=True)))
    depts = "|".join(map(re.escape, sorted(conf["party_dept_heads"], key=len, reverse=True)))
    conf["_party_re"] = re.compile(rf"({party})({depts})?")
    conf["_rel"] = dict(conf["relative_prefixes"])
    conf["_rel_re"] = re.compile("|".join(map(re.escape, sorted(conf["_rel"], key=len, reverse=True))))
    conf["_abbr"] = sorted(conf["abbreviations"].items(), key=lambda kv: -len(kv[0]))
    conf["_place_body_heads"] = frozenset(conf["place_body_heads"])
    dept = conf["departments"]

    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    w, j, h = alt(dept["words"]), alt(dept["words"] + dept["joiners"]), alt(dept["heads"])
    conf["_dept_re"] = re.compile(rf"(?:{w})(?:{j})*(?:{h})(?:(?:{j})*(?:{h}))*")
    conf["_counted_re"] = re.compile(dept["counted_before"])
    conf["_list_joiners"] = tuple(sorted(dept["list_joiners"], key=len, reverse=True))
    return conf


class _Places:
    """Place mentions of the page, indexed for prefix lookups."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        ms = ctx.found.get("places", [])
        self.index: SpanIndex[Mention] = SpanIndex((m.start, m.end, m) for m in ms)
        # county-level places per article, in text order: what 县/区 refers to
        gaz = ctx.res.gaz
        doc = ctx.doc
        self._counties: dict[int, tuple[list[int], list[Division]]] = {}
        for m in sorted(ms, key=lambda m: m.start):
            code = m.attr("adcode")
            if code and m.attr("level") == "county":
                starts, divs = self._counties.setdefault(doc.para_at(m.start).article, ([], []))
                starts.append(m.start)
                divs.append(gaz.by_code[code])

    def starting_at(self, pos: int, divisions_only: bool = False) -> Mention | None:
        for m in self.index.starting_at(pos):
            if not divisions_only or m.attr("adcode"):
                return m
        return None

    def ending_at(self, pos: int) -> Mention | None:
        found = self.index.ending_at(pos)
        return found[0] if found else None

    def county_before(self, pos: int) -> Division | None:
        """The county-level place the text is about at ``pos``: the last one named before
        it in the same article, else the first one after it, else a county home."""
        art = self.ctx.doc.para_at(pos).article
        entry = self._counties.get(art)
        if entry:
            starts, divs = entry
            k = bisect_right(starts, pos) - 1
            return divs[k] if k >= 0 else divs[0]
        home = self.ctx.home
        if home is not None and home.level == "county":
            return home
        return None


def resolve_relative(ctx: Context, places: _Places, prefix: str, pos: int) -> Division | None:
    """The division a relative prefix (市, 县, 我市, 省 …) stands for at ``pos``."""
    level = _conf()["_rel"].get(prefix)
    gaz = ctx.res.gaz
    home = ctx.home
    if level == "prefecture":
        # 枝江市交通运输局联合市公安局…: after a county-level city in the same sentence,
        # 市 is that city
        sent = ctx.doc.sent_at(pos)
        for _s, _e, m in places.index.overlapping(sent.start, pos):
            code = m.attr("adcode")
            if code and gaz.by_code[code].kind == "县级市" and m.end <= pos:
                return gaz.by_code[code]
        if home is None:
            return None
        return gaz.prefecture_of(home) or home
    if level == "province":
        return gaz.province_of(home) if home is not None else None
    if level == "county":
        if home is not None and home.level == "county" and not prefix.startswith("该"):
            # in a county's own article 县/区 is that county, unless the sentence has
            # just named another one (阜南县应急局联合县公安局)
            sent = ctx.doc.sent_at(pos)
            named = [
                m
                for _s, _e, m in places.index.overlapping(sent.start, pos)
                if m.end <= pos and m.attr("level") == "county" and m.attr("adcode")
            ]
            if not named:
                return home
            return gaz.by_code[max(named, key=lambda m: m.start).attr("adcode")]
        return places.county_before(pos)
    return None


def relative_at(ctx: Context, pos: int) -> re.Match[str] | None:
    """A relative prefix (市, 县, 我市 …) at ``pos``, unless its one character opens a
    word that the next character does not start: 市场监管局 is not 市 + 场监管局, 县域
    and 区域 are words, while 市政府 (市 + 政府) and 县城市管理局 (县 + 城市) are prefixes."""
    text = ctx.doc.text
    m = _conf()["_rel_re"].match(text, pos)
    if m is None or len(m.group()) > 1:
        return m
    has_word = ctx.res.segmenter.has_word
    if has_word(text[pos : pos + 2]) and not has_word(text[pos + 1 : pos + 3]):
        return None
    return m


def canonical_org(name: str) -> tuple[str, list[str]]:
    """Official full name for an organization's text form, plus the aliases it implies."""
    conf = _conf()
    aliases: list[str] = []
    full = name
    for short, long in conf["_abbr"]:
        k = len(full) - len(short)
        if full.endswith(short) and not full.endswith(long):
            # only a whole body after its place (县安办, not 燃安办; 县交警大队, not
            # 县公安局交警大队, where the abbreviation names a section)
            if k == 0 or full[k - 1] in _PLACE_ENDS:
                full = full[:k] + long
            break
    m = re.fullmatch(r"(.+?(?:省|市|县|区|州|盟|旗))(委|委常委会)", full)
    if m and not full.startswith("中共"):
        full = "中共" + full
    if full != name:
        aliases.append(name)
    aliases.extend(a for a in other_forms(full) if a != name)
    return full, aliases


def other_forms(name: str) -> list[str]:
    """The other written forms of a party committee or government (guidelines): 中共X县委
    / X县委 / 中共X县委员会; X县人民政府 / X县政府; X县政协 / 政协X县委员会."""
    m = re.fullmatch(r"(?:中共)?(.+?(?:省|市|县|区|州|盟|旗|镇|乡))委", name)
    if m:
        return [f for f in (f"中共{m[1]}委", f"{m[1]}委", f"中共{m[1]}委员会") if f != name]
    if name.endswith("人民政府"):
        return [name[:-4] + "政府"]
    if name.endswith("政协") and len(name) > 2:
        return [f"政协{name[:-2]}委员会"]
    return []


@register("orgs")
def extract_orgs(ctx: Context) -> list[Mention]:
    """Organization mentions with canonical names."""
    doc = ctx.doc
    text = doc.text
    conf = _conf()
    places = _Places(ctx)
    out: list[Mention] = []
    claimed: list[tuple[int, int]] = []

    # national bodies from the lexicon
    for h in ctx.hits_with("body"):
        for kind, data in h.payloads:
            if kind == "body":
                nxt = text[h.end] if h.end < len(text) else ""
                if not doc.aligned(h.start, h.end) or nxt in conf["head_bad_next"].get(h.key[-1], ""):
                    continue  # 水利部 inside 水利部门
                out.append(
                    ctx.mention(h.start, h.end, "Organization", data, "orgs", via="lexicon", alias=h.key)
                )
                claimed.append((h.start, h.end))

    # party committees and their departments: 市委, 县委宣传部, 团市委, 尖草坪区委社工部
    for m in conf["_party_re"].finditer(text):
        out.extend(_party(ctx, places, m, claimed))

    # names ending in a head
    by_end = {m.end: m for m in out}
    claimed_index = SpanIndex((a, b, None) for a, b in claimed)
    for hs, he, head in conf["_heads_scan"].finditer(text):
        if claimed_index.any_containing(hs, he):
            continue
        nxt = text[he] if he < len(text) else "\n"
        if nxt in conf["head_bad_next"].get(head, ""):
            continue  # 大学生, 部门
        if (
            nxt not in _SINGLE_HEAD_OK_NEXT
            and not doc.boundary[he]
            and not text.startswith(conf["_posts"], he)
        ):
            continue  # the head runs on into a longer word (中学会, 所有)
        if len(head) == 1 and any(
            text.startswith(w, he - len(w)) or text.startswith(w, hs) for w in conf["_head_words_of"][head]
        ):
            continue
        if head == "中心" and text.startswith(
            ("城区", "城市", "渔港", "广场", "大道", "路", "街", "公园", "景区", "城"), he
        ):
            continue
        mm = _head_org(ctx, places, hs, he, head, by_end)
        if mm is None:
            continue
        out.extend(mm)
        by_end.update((x.end, x) for x in mm)
    out.extend(_fire_service(ctx))
    out = [m for m in out if not _in_credit(ctx, m)]
    out.extend(_recurrences(ctx, out))
    return _dedupe(out)


def _in_credit(ctx: Context, m: Mention) -> bool:
    """Whether ``m`` only credits the source of the article: a source line (来源：…) or
    the body alone in brackets after the paragraph's last sentence ((青石县应急管理局))."""
    doc = ctx.doc
    text = doc.text
    para = doc.para_at(m.start)
    head = text[para.start : m.start].lstrip()
    if _conf()["_source_re"].match(head):
        return True
    if m.start == 0 or text[m.start - 1] not in "(（" or not text.startswith(("）", ")"), m.end):
        return False
    before = text[para.start : m.start - 1].rstrip()
    return text[m.end + 1 : para.end].strip() == "" and (before == "" or before[-1] in "。！？!?")


def _party(ctx: Context, places: _Places, m: re.Match[str], claimed: list[tuple[int, int]]) -> list[Mention]:
    """中共X市委 and its departments, from 市委 / 阳曲县委 / 尖草坪区委社工部 / 团市委."""
    doc = ctx.doc
    text = doc.text
    s, e = m.span()
    party, dept = m.group(1), m.group(2)
    if party == "党委" or text.startswith("员", s + len(party)):
        return []  # a generic 党委, or 委员会 (a head of its own)
    if party.startswith("团"):
        div = resolve_relative(ctx, places, party[1], s)
        if div is None or not doc.boundary[s]:
            return []
        claimed.append((s, s + len(party)))
        return [
            ctx.mention(
                s,
                s + len(party),
                "Organization",
                f"共青团{div.name}委",
                "orgs",
                via="party",
                alias=f"团{div.name}委",
            )
        ]
    level_char = party[0]
    pm = _place_ending_at(ctx, places, s + 1)
    if pm is not None and pm.end == s + 1 and pm.attr("adcode") and pm.name.endswith(level_char):
        place_name, start = pm.name, pm.start  # 阳曲县委: the place ends with the 县 of 县委
    else:
        if not doc.boundary[s]:
            return []  # 城市委员, 超市委托: not a party committee
        div = resolve_relative(ctx, places, level_char, s)
        if div is None or not div.name.endswith(level_char):
            return []
        place_name, start = div.name, s
    if text.startswith("中共", start - 2):
        start -= 2
    base = place_name + "委"
    end = e if dept else s + len(party)
    if dept == "常委会":
        name, aliases = f"中共{base}常委会", [f"{base}常委会"]
    elif dept:
        full_dept = _conf()["abbreviations"].get(dept, dept)
        name = base + full_dept
        aliases = [a for a in (base + dept, f"中共{base}{full_dept}") if a != name]
    else:
        if text.startswith("常委", end):
            return []  # 市委常委: a post, not the committee
        name, aliases = f"中共{base}", other_forms(f"中共{base}")
    claimed.append((start, end))
    return [
        ctx.mention(
            start,
            end,
            "Organization",
            name,
            "orgs",
            via="party",
            prefix=place_name,
            place=place_name,
            alias="|".join(aliases),
        )
    ]


def _place_ending_at(ctx: Context, places: _Places, pos: int) -> Mention | None:
    """A place mention ending at ``pos`` or ``pos + 1`` (阳曲县委: 县 is shared)."""
    for end in (pos, pos + 1):
        m = places.ending_at(end)
        if m is not None and m.start < pos:
            return m
    return None


def _left_edge(ctx: Context, places: _Places, hs: int, he: int) -> int:
    """Where a name ending in a head at ``hs`` (ending at ``he``) starts."""
    doc = ctx.doc
    text = doc.text
    conf = _conf()
    lo = hs
    while lo > 0 and hs - lo < 22 and (is_cjk(text[lo - 1]) or text[lo - 1].isalnum() or text[lo - 1] == "·"):
        lo -= 1
    window = text[lo:hs]
    masked = window
    for ph in conf["_and_phrases"] if conf["_and_scan"].finditer(window) else ():
        masked = masked.replace(ph, "#" * len(ph))
    start = lo
    single_cut = False
    has_word = ctx.res.segmenter.has_word

    def ignored(p: int, w: str) -> bool:
        a, b = lo + p, lo + p + len(w)
        if (
            len(w) == 2
            and conf["_rel_re"].fullmatch(w[0])
            and has_word(text[a + 1 : a + 3])
            and (doc.token_at(a)[:2] != (a, b) or conf["_dept_re"].match(text, a + 1))
        ):
            return True  # 县城市管理局: 县 + 城市管理局, not 县城 + 市管理局 (but 省内|化工)
        if any(ps < a or (ps == a and pe > b) for ps, pe, _m in places.index.overlapping(a, b)):
            # 城区 inside 潞城区; 会同 opening 会同县, when the places stage kept 会同县 a
            # place (it reads 局会同县… as the verb 会同 when the county is far away)
            return True
        if w in _CONJUNCTIONS and _ends_in_head(text, a):
            return False  # 交通运输局与区公安分局: a complete body before 与, however jieba cut it
        # a one-character stop word counts only as a word of its own (中 in 中医 does not)
        return len(w) == 1 and w not in _HARD_STOPS and doc.token_at(a)[:2] != (a, a + 1)

    for p, w in conf["_stops_at"].finditer(masked):
        if lo + p + len(w) > start and not ignored(p, w):
            start = lo + p + len(w)
            single_cut = len(w) == 1
    if single_cut:
        start = _extend_to_place(ctx, places, lo, start)
    # a verb right before a place inside the window ends what came before
    # (南阳市对照南阳市人民政府办公室 → 南阳市人民政府办公室)
    for ps, _pe, p in places.index.overlapping(start, hs):
        if ps > start and p.attr("adcode"):
            ts, te, tag = doc.token_at(ps - 1)
            if te == ps and tag in ("v", "p") and has_word(text[ts:te]):
                start = ps
    # trim leading tokens that cannot start a name (verbs, numerals, pronouns …);
    # verbs and adverbs only when they are dictionary words (小常 is a name jieba
    # happens to tag as an adverb)
    while start < hs:
        if places.starting_at(start) is not None or relative_at(ctx, start):
            break
        ts, te, tag = doc.token_at(start)
        if ts != start or te > hs or conf["_dept_re"].fullmatch(text, start, he):
            break  # 住建局 is not the verb 住 before 建局
        word = text[ts:te]
        if tag in _FUNCTION_TAGS or _NUMERAL.match(word) or (tag in _VERB_TAGS and has_word(word)):
            start = te
            continue
        break
    return start


def _ends_in_head(text: str, pos: int) -> bool:
    """Whether ``text[:pos]`` ends in an organization head that is not part of a common
    word (局 but not 格局)."""
    conf = _conf()
    for h in conf["_heads"]:
        if text.endswith(h, 0, pos):
            return not any(text.endswith(w, 0, pos) for w in conf["_head_words"] if w.endswith(h))
    return False


def _extend_to_place(ctx: Context, places: _Places, lo: int, start: int) -> int:
    """A cut at a conjunction (和, 与, 及) inside a name that opens with a place or a
    relative prefix is undone: 山西峰和低碳材料科技开发有限公司, 台州市港航口岸和渔业
    管理局, (会同)区经济和信息化局; not when the part before it is a body or a verb
    phrase of its own (市防震减灾中心和市文物局, 县残联申报和省残联)."""
    doc = ctx.doc
    text = doc.text
    conf = _conf()
    c = start - 1  # the conjunction
    if text[c] not in "和与及":
        return start
    has_word = ctx.res.segmenter.has_word
    for k in range(c - 1, max(lo, c - 12) - 1, -1):
        if not is_cjk(text[k]):
            break
        place = places.starting_at(k, divisions_only=True)
        rel = relative_at(ctx, k)
        opens = place is not None or (
            rel is not None and (k == lo or not is_cjk(text[k - 1]) or text.endswith(conf["_stops"], 0, k))
        )
        if not (opens and doc.boundary[k] and k < c - 1):
            continue
        inner = text[(place.end if place is not None else rel.end()) : c]  # type: ignore[union-attr]  # rel is a match whenever place is None
        if conf["_head_re"].search(inner):
            return start  # the part before the conjunction is a body of its own
        if any(
            tag in ("v", "vn") and has_word(text[ts:te]) and tag == "v" for ts, te, tag in doc.tokens(k, c)
        ):
            return start
        return k
    return start


# weak heads that a proper name alone makes an institution (解州关帝庙文物保护所)
_NAMED_WEAK_HEADS = {"所", "院", "研究所", "研究院", "管理处", "办事处", "管理所", "保护所"}
_PLACE_LEVELS_IN_NAME = {"province", "prefecture", "county"}


def _bare_body_place(
    ctx: Context, start: int, hs: int, he: int, by_end: dict[int, Mention]
) -> tuple[int, str] | None:
    """Where a government body named without a place starts and the place it belongs to:
    the place of the body before it in a list (临泉县应急局联合消防大队、住建局; 乡党委和
    政府), else, in an article of a county, that county (气象局, 人武部, 应急管理局执法大队)."""
    conf = _conf()
    text = ctx.doc.text
    place_body = text[start:he] in conf["_place_body_heads"]
    department = conf["_dept_re"].fullmatch(text, start, he) is not None
    if not place_body:
        # the department may be the tail of what the left edge kept (…对象有应急管理局)
        left = start
        start = next(
            (
                p
                for p in range(left, max(hs, left + 1))
                if (p == left or ctx.doc.boundary[p]) and conf["_dept_re"].fullmatch(text, p, he)
            ),
            -1,
        )
        if start < 0:
            return None
        if start > left and (
            text[start - 1] in _PLACE_ENDS
            or conf["_head_re"].search(text, left, start)
            or _name_before(ctx, start)
        ):
            return None  # an unknown place (某某镇应急办, 临泉应急局) or a body (某公司应急办)
        department = True
    if conf["_counted_re"].search(text[max(0, start - 4) : start]):
        return None  # 四个水利站, 各交警中队: a kind of body
    prefix = None
    for j in conf["_list_joiners"]:
        if text.endswith(j, 0, start):
            prev = by_end.get(start - len(j))
            if prev is None and j == "、":
                # a chain of posts: 开发区党工委书记、管委会主任 (the 管委会 is the zone's)
                post = next((w for w in conf["_posts"] if text.endswith(w, 0, start - 1)), None)
                prev = by_end.get(start - 1 - len(post)) if post else None
            prefix = prev.attr("place") if prev is not None else None
            break
    home = ctx.home
    county = str(home.name) if home is not None and home.level == "county" else None
    if prefix and text[start:he] in conf["division_body_heads"] and prefix.endswith(_zone_suffixes()):
        prefix = county  # a zone has no government of its own: the county's
    if prefix:
        return start, prefix
    if department and county:
        return start, county
    return None


def _name_before(ctx: Context, pos: int) -> bool:
    """Whether the word before ``pos`` is a proper name (a name tag, or no dictionary
    word), which a department right after it belongs to."""
    ts, _te, tag = ctx.doc.token_at(pos - 1)
    word = ctx.doc.text[ts:pos]
    return tag in ("ns", "nr", "nrt", "nz", "nt", "j") or not ctx.res.segmenter.has_word(word)


@cache
def _zone_suffixes() -> tuple[str, ...]:
    return tuple(rules.load("places")["zone_suffixes"])


def _head_org(
    ctx: Context, places: _Places, hs: int, he: int, head: str, by_end: dict[int, Mention]
) -> list[Mention] | None:
    text = ctx.doc.text
    conf = _conf()
    start = _left_edge(ctx, places, hs, he)
    # before an enterprise or school, a zone, town or village says where it is, not what it
    # is called (潇河新兴产业园区文源学校); a zone's or town's own bodies keep it
    # (鄂托克经济开发区管理委员会, 石塘镇应急管理中心)
    while head in conf["_strong"]:
        m = next(
            (
                x
                for x in places.index.starting_at(start)
                if x.end <= hs and x.attr("level") and x.attr("level") not in _PLACE_LEVELS_IN_NAME
            ),
            None,
        )
        if m is None:
            break
        start = m.end
    if head in conf["_strong"] and places.starting_at(start) is not None:
        # 五通桥区金粟镇四川盐磷新材料有限公司: after the places that say where it is, an
        # enterprise's own name starts at a province or city
        for _s, _e, p in places.index.overlapping(start + 1, hs):
            if p.start > start and p.end <= hs and p.attr("level") in ("province", "prefecture"):
                start = p.start
                break
    if start >= hs and head in conf["_weak"] and head not in conf["_place_body_heads"]:
        return None
    name = text[start:he]
    if (len(name) < 3 and name not in conf["_place_body_heads"]) or (
        re.search(r"[0-9０-９]", name) and not re.search(r"第[0-9０-９]", name)
    ):
        return None
    if "届" in name or "次" in name[-3:]:
        return None
    # a relative prefix (市, 县, 我市 …) or a place at the start
    rel = relative_at(ctx, start)
    if rel is not None and text.startswith("级", rel.end()):
        return None  # 省级, 市级: an adjective, not a prefix
    place_at = places.starting_at(start, divisions_only=True) or places.starting_at(start)
    resolved_prefix = None
    core_start = start
    if place_at is not None and place_at.end <= hs:
        core_start = place_at.end
        resolved_prefix = place_at.name
        while (nxt := places.starting_at(core_start)) is not None and nxt.end <= hs:
            core_start = nxt.end  # 惠安县崇武镇…: the prefix runs over every place
        if head == "中心" and core_start == hs:
            return None  # 崇武镇中心: the middle of a town
    elif rel is not None and rel.end() <= hs:
        div = resolve_relative(ctx, places, rel.group(), start)
        if div is None:
            return None
        core_start = rel.end()
        resolved_prefix = div.name
    bare = False
    if resolved_prefix is None and place_at is None:
        found = _bare_body_place(ctx, start, hs, he, by_end)
        if found is not None:
            start, resolved_prefix = found
            core_start = start
            name = text[start:he]
            bare = True
    core = text[core_start:hs]
    national = any(name.startswith(p) for p in conf["national_prefixes"])
    nested = _nested_head(text, core_start, hs)
    if head in conf["_weak"] and head not in conf["_strong"]:
        named = (
            head in _NAMED_WEAK_HEADS
            and len(core) >= 4
            and _proper(ctx, core_start, hs, strict=True)
            and not _all_generic(core)
        )
        if resolved_prefix is None and not national and not nested and not named:
            return None
        if not core and head not in conf["_place_body_heads"]:
            return None
        if len(head) == 1 and len(core) < 2 and head not in conf["_place_body_heads"]:
            return None
    elif resolved_prefix is None and (len(core) < 2 or not _proper(ctx, core_start, hs)):
        return None
    if (
        core
        and core[-1] in "一二三四五六七八九十百千万余多几两"
        and not re.fullmatch(r"第[一二三四五六七八九十]+", core)
    ):
        return None  # 千余处, 十余个: a count, not a name
    if resolved_prefix is None and (core in conf["_generic"] or _all_generic(core)):
        return None
    # the canonical name replaces a relative prefix with the place it stands for
    if (bare or rel is not None) and place_at is None and resolved_prefix is not None:
        canon_text = resolved_prefix + text[core_start:he]
    elif (
        place_at is not None
        and place_at.attr("adcode")
        and place_at.text != place_at.name
        and place_at.end == core_start
        and conf["_dept_re"].fullmatch(text, core_start, he)
    ):
        canon_text = place_at.name + text[core_start:he]  # 临泉应急局: the county's full name
    else:
        canon_text = name
    canon, aliases = canonical_org(canon_text)
    if canon_text != canon and canon_text not in aliases:
        aliases.append(canon_text)
    aliases.extend(_fire_unit_alias(ctx, canon, resolved_prefix))
    parent = _section_parent(text, start, hs, canon_text, he) if head in conf["section_heads"] else None
    out = [
        ctx.mention(
            start,
            he,
            "Organization",
            canon,
            "orgs",
            via="head",
            head=head,
            prefix=resolved_prefix,
            # the place part of the name, which a list's next body shares
            place=_place_part(places, start, hs) if place_at is not None else resolved_prefix,
            parent=parent,
            alias="|".join(a for a in aliases if a != canon) or None,
        )
    ]
    # 尖草坪区、万柏林区政府 / 市、县残联: distribute the head over a list of places
    out.extend(_distribute(ctx, places, start, core_start, hs, he))
    return out


def _place_part(places: _Places, start: int, hs: int) -> str | None:
    """The place a name opens with, as the next body of a list shares it: the longest
    chain of places (临泉经济开发区, not its 临泉), a division by its full name."""
    pos, name = start, None
    while True:
        cands = [m for m in places.index.starting_at(pos) if m.end <= hs]
        if not cands:
            return name
        m = max(cands, key=lambda m: (m.end, bool(m.attr("adcode"))))
        name = m.name if pos == start else (name or "") + m.name
        pos = m.end


def _section_parent(text: str, start: int, hs: int, canon_text: str, he: int) -> str | None:
    """The canonical name of the body a section (宣教科, 工矿处) belongs to: the name up to
    the last head before the section's own (青石县应急局宣教科 → 青石县应急管理局)."""
    last = None
    for m in _conf()["_head_re"].finditer(text, start, hs):
        if m.start() > start + 1 and m.end() < hs:
            last = m
    if last is None:
        return None
    return canonical_org(canon_text[: len(canon_text) - (he - last.end())])[0]


def _proper(ctx: Context, s: int, e: int, strict: bool = False) -> bool:
    """Whether ``[s, e)`` holds a proper name: a word jieba does not know, a name tag,
    or (unless ``strict``) a single character; not just common words (家政公司,
    游戏玩耍中学)."""
    has_word = ctx.res.segmenter.has_word
    text = ctx.doc.text
    for ts, te, tag in ctx.doc.tokens(s, e):
        ts, te = max(ts, s), min(te, e)
        word = text[ts:te]
        if tag in ("nr", "nrfg", "nrt", "ns", "nz", "nt", "j", "eng"):
            return True
        if te - ts >= 2 and (not has_word(word) or (tag == "m" and not strict)):
            return True
        if te - ts == 1 and not strict:
            return True
    return False


def _nested_head(text: str, s: int, e: int) -> bool:
    """Whether ``text[s:e]`` contains a complete parent body: a name and its head."""
    seg = text[s:e]
    for h in ("局", "集团", "公司", "中心", "委员会", "医院", "学校", "大学", "支队", "总队"):
        p = seg.find(h)
        if p >= 2:
            return True
    return False


def _all_generic(core: str) -> bool:
    rest = core
    for g in _conf()["_generic_desc"]:
        rest = rest.replace(g, "")
    return rest == ""


def _distribute(
    ctx: Context, places: _Places, start: int, core_start: int, hs: int, he: int
) -> list[Mention]:
    text = ctx.doc.text
    conf = _conf()
    if start < 2 or text[start - 1] != "、":
        return []
    suffix = text[core_start:he]
    out = []
    k = start - 1
    # a relative prefix before 、: 市、县残联
    m = conf["_rel_re"].match(text, k - 1) if k >= 1 else None
    if m is not None and m.end() == k and ctx.doc.token_at(k - 1)[:2] == (k - 1, k):
        div = resolve_relative(ctx, places, m.group(), k - 1)
        if div is not None:
            canon, aliases = canonical_org(div.name + suffix)
            aliases = [a for a in [*aliases, div.name + suffix] if a != canon]
            out.append(
                ctx.mention(
                    k - 1, k, "Organization", canon, "orgs", via="list", alias="|".join(aliases) or None
                )
            )
        return out
    pm = _place_ending_at(ctx, places, k)
    if pm is not None and pm.end == k and pm.attr("adcode"):
        canon, aliases = canonical_org(pm.name + suffix)
        aliases = [a for a in [*aliases, pm.name + suffix] if a != canon]
        out.append(
            ctx.mention(
                pm.start, k, "Organization", canon, "orgs", via="list", alias="|".join(aliases) or None
            )
        )
    return out


def _fire_unit_alias(ctx: Context, name: str, place: str | None) -> list[str]:
    """萧县消防救援局 is also 萧县消防救援大队 (a county's fire and rescue unit by its
    rank name), so that both forms on one page are one body."""
    conf = _conf()["fire_service"]
    if not place or name != place + conf["bureau"]:
        return []
    divs = ctx.res.gaz.lookup(place)
    unit = conf.get(divs[0].level) if len(divs) == 1 else None
    return [place + unit] if unit else []


def _fire_service(ctx: Context) -> list[Mention]:
    """长治消防开展… → 长治市消防救援支队 (a city's fire and rescue brigade)."""
    text = ctx.doc.text
    conf = _conf()["fire_service"]
    form = conf["form"]
    gaz = ctx.res.gaz
    out = []
    for m in ctx.found.get("places", []):
        if not text.startswith(form, m.end):
            continue
        after = text[m.end + len(form) : m.end + len(form) + 3]
        if any(after.startswith(w) for w in conf["not_followed_by"]):
            continue
        code = m.attr("adcode")
        if not code:
            continue
        d = gaz.by_code[code]
        unit = conf.get(d.level)
        if not unit:
            continue
        end = m.end + len(form)
        out.append(
            ctx.mention(
                m.start, end, "Organization", d.name + unit, "orgs", via="abbrev", alias=text[m.start : end]
            )
        )
    return out


def _recurrences(ctx: Context, found: list[Mention]) -> list[Mention]:
    """One name, one body per page: every other occurrence of a name found once is a
    mention too, even where its head runs into the next word (解州关帝庙文物保护所有多年…),
    and so is the short tail of a long name when it stands alone (山西焦煤西山煤电官地矿
    … 官地矿积极创新…)."""
    text = ctx.doc.text
    taken = SpanIndex((m.start, m.end, m) for m in found)
    forms: dict[str, Mention] = {}
    for m in found:
        if len(m.text) >= 4 and m.attr("via") in ("head", "lexicon", "party"):
            forms.setdefault(m.text, m)
        head = m.attr("head")
        if m.attr("via") == "head" and head and m.text.endswith(head):
            for n in (3, 4):
                tail = m.text[-n:]
                own = tail[: len(tail) - len(head)]
                if len(tail) < len(m.text) - 1 and len(own) >= 2 and not _all_generic(own):
                    forms.setdefault(tail, m)
    out: list[Mention] = []
    for form, m in forms.items():
        start = 0
        while True:
            k = text.find(form, start)
            if k < 0:
                break
            start = k + 1
            e = k + len(form)
            if taken.any_overlap(k, e):
                continue
            if k > 0 and is_cjk(text[k - 1]) and not ctx.doc.boundary[k]:
                continue  # inside a longer word
            if len(form) < len(m.text) and e < len(text) and is_cjk(text[e]) and not ctx.doc.boundary[e]:
                continue  # a short tail must end where a word ends (官地矿工 is 矿工)
            out.append(ctx.mention(k, e, "Organization", m.name, "orgs", via="recurrence"))
    return out


def _dedupe(ms: list[Mention]) -> list[Mention]:
    seen = set()
    out = []
    for m in sorted(ms, key=lambda m: (m.start, -m.end)):
        key = (m.start, m.end, m.name)
        if key in seen or is_delim(m.text[:1]):
            continue
        seen.add(key)
        out.append(m)
    return out
