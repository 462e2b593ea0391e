"""Places: administrative divisions from the gazetteer, towns, villages and zones.

Divisions are matched by full name and by short form (芮城 → 芮城县) when the
context makes the short form safe: token boundaries, the home prefecture, a list
of places, or the full name elsewhere on the page. Sub-county places are found
by their suffixes (镇, 乡, 街道, 村, 社区, 开发区, 示范区 …) with the name's left
boundary set by an adjacent place, punctuation or a function word.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from kg import rules
from kg.extract import Context, register
from kg.extract.common import COORD, DIGITS, FUNCTION_CHARS, at_delim, find_words, is_delim
from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.nlp.gazetteer import Division, Gazetteer
from kg.text import is_cjk

# words after which a town or village name starts (对浔中镇, 在弶港镇, 周边娄家庄村)
_LEFT_OF_NAME = (
    "和",
    "与",
    "及",
    "、",
    "在",
    "对",
    "于",
    "到",
    "从",
    "向",
    "赴",
    "至",
    "周边",
    "服务",
    "深入",
    "来到",
    "走进",
    "前往",
    "位于",
)
_BAD_TAGS = {"v", "vd", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "d", "r", "m", "q", "f", "t", "x"}

# Characters that, right after a suffix, show it was part of a longer word (村庄, 乡亲).
_BAD_FOLLOWERS = {
    "村": set("庄民级落寨组干务集规情貌头镇容内里道史"),
    "镇": set("级域静定守压住痛长政"),
    "乡": set("村镇亲土愁贤里间下音情风野邻"),
    "社区": set("化工"),
    "街道": set("两口上旁边"),
}


@cache
def _conf() -> dict:
    conf = dict(rules.load("places"))
    conf["_generic"] = frozenset(conf["generic_place_prefixes"])
    conf["_common_pairs"] = tuple(conf["common_suffix_words"])
    conf["_not_in_names"] = tuple(conf["not_in_names"])
    conf["_inner_village_re"] = re.compile(r"[\u4e00-\u9fff]{1,2}(?:镇|街道)")
    conf["_zone_generic"] = tuple(conf["generic_zone_prefixes"])
    suffixes = (
        [(s, "town") for s in conf["town_suffixes"]]
        + [(s, "village") for s in conf["village_suffixes"]]
        + [(s, "zone") for s in conf["zone_suffixes"]]
    )
    suffixes.sort(key=lambda x: -len(x[0]))
    conf["_suffix_kind"] = dict(suffixes)
    conf["_suffix_re"] = re.compile("|".join(re.escape(s) for s, _ in suffixes))
    heads = sorted(conf["counted_list_heads"], key=len, reverse=True)
    counted = r"等[0-9一二三四五六七八九十]+个(" + "|".join(map(re.escape, heads)) + ")"
    conf["_counted_re"] = re.compile(r"((?:[\u4e00-\u9fff]{2,3}、)*[\u4e00-\u9fff]{2,3})" + counted)
    # what every counted list holds (等6个建制镇): rare, and found by a fast literal scan
    conf["_counted_tail_re"] = re.compile(counted)
    return conf


def _pick(
    cands: list[Division], gaz: Gazetteer, home: Division | None, prev: Division | None
) -> Division | None:
    """Choose among divisions that share a name; None when the text cannot tell."""
    if len(cands) == 1:
        return cands[0]
    if prev is not None:
        inside = [d for d in cands if gaz.contains(prev, d)]
        if len(inside) == 1:
            return inside[0]
    if home is not None:
        home_pref = gaz.prefecture_of(home) or home
        inside = [d for d in cands if gaz.contains(home_pref, d) or d.adcode == home_pref.adcode]
        if len(inside) == 1:
            return inside[0]
        prov = gaz.province_of(home)
        inside = [d for d in cands if gaz.contains(prov, d)]
        if len(inside) == 1:
            return inside[0]
    for level in ("province", "prefecture"):
        top = [d for d in cands if d.level == level]
        if len(top) == 1:
            return top[0]
    return None


@register("places")
def extract_places(ctx: Context) -> list[Mention]:
    """Administrative divisions and sub-county places."""
    doc, gaz, home = ctx.doc, ctx.res.gaz, ctx.home
    text = doc.text
    conf = _conf()
    out: list[Mention] = []

    # -- divisions --------------------------------------------------------------------
    cands = ctx.hits_with("place", "short")
    # drop a match inside a longer one (长治 inside 长治市)
    kept = []
    last_end = -1
    for h in sorted(cands, key=lambda h: (h.start, -(h.end - h.start))):
        if h.start < last_end:
            continue
        kept.append(h)
        last_end = h.end
    full_names_present = {h.key for h in kept if any(k == "place" for k, _ in h.payloads)}
    full_stop = set(conf["full_name_stopwords"])
    home_pref = (gaz.prefecture_of(home) or home) if home is not None else None
    prev_div: Division | None = None
    prev_end = -1
    for i, h in enumerate(kept):
        payload = dict(h.payloads)
        is_full = "place" in payload
        codes: tuple[str, ...] = payload.get("place") or payload["short"]  # a place hit has one of the two
        divs = [gaz.by_code[c] for c in codes]
        adjacent_prev = prev_div if prev_end == h.start else None
        if is_full:
            if not doc.aligned(h.start, h.end) and not _body_follows(text, h.end):
                continue  # 鄂西山区 is not 西山区
            if (
                len(h.key) <= 2
                and not _in_home(gaz, divs, home_pref)
                and not at_delim(text, h.start, tuple(FUNCTION_CHARS))
            ):
                continue  # 以玉兴县: 兴县 of Shanxi glued inside a slogan
            if h.key in full_stop and adjacent_prev is None and not _in_home(gaz, divs, home_pref):
                continue
            if _verb_initial(ctx, h, divs, home_pref):
                continue
            d = _pick(divs, gaz, home, adjacent_prev)
            if d is None:
                out.append(ctx.mention(h.start, h.end, "Place", h.key, "places", via="full", ambiguous="1"))
                prev_div, prev_end = None, h.end
                continue
            out.append(_div_mention(ctx, h.start, h.end, d, "full"))
            prev_div, prev_end = d, h.end
            continue
        # short forms
        if not doc.aligned(h.start, h.end):
            continue
        if h.end < len(text) and text[h.end] in "县市区省镇乡村":
            continue  # part of an unknown longer name
        d = _pick(divs, gaz, home, adjacent_prev)
        if d is None:
            continue
        if d.level == "county" and not _short_ok(ctx, d, h, kept, i, full_names_present, home_pref):
            continue
        out.append(_div_mention(ctx, h.start, h.end, d, "short"))
        prev_div, prev_end = d, h.end

    # -- towns, villages, zones -----------------------------------------------------------
    divisions = SpanIndex((m.start, m.end, m) for m in out)
    ends: dict[int, Mention] = {m.end: m for m in out}
    starts: dict[int, Mention] = {}
    for m in out:
        starts.setdefault(m.start, m)
    for m in conf["_suffix_re"].finditer(text):
        s, e = m.span()
        suffix = m.group()
        kind = conf["_suffix_kind"][suffix]
        if divisions.any_overlap(s, s + 1):
            continue  # inside a known division name (…新区 of a gazetteer name)
        bad = _BAD_FOLLOWERS.get(suffix)
        if bad and e < len(text) and text[e] in bad:
            continue
        if kind == "village" and conf["_inner_village_re"].match(text, e):
            continue  # 樟村坪镇: a town whose name holds 村
        found = _sub_county(ctx, s, e, kind, ends, starts)
        if found is None:
            continue
        start, parent = found
        name = text[start:e]
        mm = ctx.mention(
            start,
            e,
            "Place",
            name,
            "places",
            via="suffix",
            level=kind,
            parent=parent.name if parent is not None else None,
        )
        out.append(mm)
        ends[e] = mm
        starts.setdefault(start, mm)
    out.extend(_counted_lists(ctx, ends))
    return _gazetteer_towns(ctx, out)


@lru_cache(maxsize=256)
def _town_matcher(
    gaz: Gazetteer, codes: tuple[str, ...]
) -> tuple[dict[str, Division], dict[str, tuple[str, Division] | None], Any]:
    """The towns of these counties: full names, unambiguous stems (X镇 → X) and an
    automaton over both (a county site's pages share one)."""
    import ahocorasick_rs

    full: dict[str, Division] = {}
    stems: dict[str, tuple[str, Division] | None] = {}
    for code in codes:
        county = gaz.by_code[code]
        for town in gaz.towns(county):
            full.setdefault(town, county)
            suffix = next((x for x in _conf()["town_suffixes"] if town.endswith(x)), "")
            stem = town[: len(town) - len(suffix)]
            if suffix and len(stem) >= 2:
                stems[stem] = None if stem in stems else (town, county)  # ambiguous: neither
    keys = sorted({*full, *stems})
    return full, stems, (ahocorasick_rs.AhoCorasick(keys), keys) if full else None


def _gazetteer_towns(ctx: Context, out: list[Mention]) -> list[Mention]:
    """Towns of the page's counties (the home county and those it names) by the township
    gazetteer: exact names where the suffix rules cut them (和川镇, 何店镇), a town's
    bare stem once the page names the town (洛阳镇 … 洛阳组建专班: the town, not 洛阳市),
    and a stem glued to a village (上寨雁翅村 → 上寨镇 + 雁翅村)."""
    gaz, doc = ctx.res.gaz, ctx.doc
    text = doc.text
    counties: dict[str, Division] = {}
    if ctx.home is not None and ctx.home.level == "county":
        counties[ctx.home.adcode] = ctx.home
    for m in out:
        code = m.attr("adcode")
        if code and m.attr("level") == "county":
            counties.setdefault(code, gaz.by_code[code])
    full, stems, matcher = _town_matcher(gaz, tuple(sorted(counties)))
    if matcher is None:
        return out
    auto, keys = matcher
    hits = sorted(
        ((s, e, keys[i]) for i, s, e in find_words(auto, text, overlapping=True)), key=lambda h: (h[0], -h[1])
    )
    named = {k for _s, _e, k in hits if k in full}
    by_span = SpanIndex((m.start, m.end, m) for m in out)
    drop: set[int] = set()
    add: list[Mention] = []

    def town_mention(s: int, e: int, town: str, county: Division, via: str) -> Mention:
        return ctx.mention(s, e, "Place", town, "places", via=via, level="town", parent=county.name)

    for s, e, key in hits:
        near = [m for _a, _b, m in by_span.overlapping(s, e)]
        if key in full:
            # the gazetteer's edges win over a suffix rule's guess that ends with the same suffix
            if any((m.start < s and m.end >= e) or m.attr("adcode") for m in near):
                continue  # inside a longer name, or a division's own name
            drop.update(id(m) for m in near if m.attr("via") in ("suffix", "counted") and m.end <= e)
            add.append(town_mention(s, e, key, full[key], "town"))
            continue
        found = stems.get(key)
        if found is None:
            continue
        town, county = found
        if text.startswith(tuple(_conf()["town_suffixes"]), e):
            continue  # the full name, matched above
        glued = [m for m in near if m.start == s and m.end > e and m.attr("level") == "village"]
        if glued and e - s >= 2 and glued[0].end - e >= 2:
            v = glued[0]
            drop.add(id(v))
            add.append(town_mention(s, e, town, county, "town_stem"))
            add.append(
                ctx.mention(
                    e, v.end, "Place", text[e : v.end], "places", via="suffix", level="village", parent=town
                )
            )
        elif (
            town in named
            and doc.aligned(s, e)
            and all(m.attr("via") == "short" and m.start == s and m.end == e for m in near)
        ):
            drop.update(id(m) for m in near)  # 洛阳 is the town the page named, not 洛阳市
            add.append(town_mention(s, e, town, county, "town_stem"))
    if not add:
        return out
    return [m for m in out if id(m) not in drop] + add


def _body_follows(text: str, pos: int) -> bool:
    """阳曲县委, 长治市政府: a division glued to its own bodies."""
    return text.startswith(("委", "政府", "人民政府", "人大", "政协", "党委"), pos)


def _in_home(gaz: Gazetteer, divs: list[Division], home_pref: Division | None) -> bool:
    """A division of the home prefecture (市中区 on a Leshan page is its district)."""
    return home_pref is not None and any(gaz.contains(home_pref, d) for d in divs)


def _verb_initial(ctx: Context, h: object, divs: list[Division], home_pref: Division | None) -> bool:
    """局会同县自然资源局: a distant county whose name opens with a verb (会同), glued to
    the word before it, is that verb, not the county."""
    text = ctx.doc.text
    s = h.start  # type: ignore[attr-defined]  # h is a Hit, typed object in this helper
    if s == 0 or not is_cjk(text[s - 1]) or _in_home(ctx.res.gaz, divs, home_pref):
        return False
    if home_pref is not None and any(
        ctx.res.gaz.province_of(d) == ctx.res.gaz.province_of(home_pref) for d in divs
    ):
        return False
    return text[s : s + 2] in _verbs()


@cache
def _verbs() -> frozenset[str]:
    return frozenset(w for w in rules.load("orgs")["left_stop_words"] if len(w) == 2)


def _div_mention(ctx: Context, s: int, e: int, d: Division, via: str) -> Mention:
    return ctx.mention(
        s, e, "Place", d.name, "places", via=via, adcode=d.adcode, level=d.level, parent=d.parent
    )


def _short_ok(
    ctx: Context,
    d: Division,
    h: object,
    kept: list,
    i: int,
    full_names: set[str],
    home_pref: Division | None,
) -> bool:
    """Whether a county's short form is safe here."""
    gaz = ctx.res.gaz
    if d.name in full_names:
        return True
    if home_pref is not None and gaz.contains(home_pref, d):
        return True
    if d.is_district:
        return False
    # coordinated with another place of the same prefecture: 芮城、万荣、平陆
    text = ctx.doc.text
    for j in (i - 1, i + 1):
        if 0 <= j < len(kept):
            o = kept[j]
            gap = text[min(o.end, h.end) : max(o.start, h.start)]  # type: ignore[attr-defined]  # h is a Hit, typed object in this helper
            if gap in COORD:
                codes = dict(o.payloads).get("place") or dict(o.payloads).get("short") or ()
                for c in codes:
                    od = gaz.by_code[c]
                    if gaz.prefecture_of(od) == gaz.prefecture_of(d):
                        return True
    return False


def _sub_county(
    ctx: Context, s: int, e: int, kind: str, ends: dict[int, Mention], starts: dict[int, Mention]
) -> tuple[int, Mention | None] | None:
    """Where the name before suffix ``[s, e)`` starts, and the adjacent parent place."""
    text = ctx.doc.text
    conf = _conf()
    generic = conf["_generic"]
    max_len = {"town": 5, "village": 5, "zone": 10}[kind]
    if kind == "zone":
        # 运城经济技术开发区, 山西转型综改示范区: a zone name starts with a place
        found = _zone_start(ctx, s, max_len, starts)
        if found is not None:
            return found
    # 1. right after a known place: 沁源县灵空山镇, 屯留区张店镇中村
    for k in range(s - 1, max(s - max_len, 0) - 1, -1):
        if not is_cjk(text[k]):
            break
        prev = ends.get(k)
        if prev is not None and prev.type == "Place":
            name = text[k:s]
            min_len = 1 if (kind == "village" and prev.attr("level") in ("town", "county")) else 2
            if (
                len(name) >= min_len
                and name[0] not in FUNCTION_CHARS
                and not (set(name) & FUNCTION_CHARS - {"和"})
                and not name[:1].isdigit()
                and name not in generic
                and _name_ok(ctx, k, s, e, allow_numbers=True)
            ):
                return k, prev
            break
    if kind == "zone":
        return None
    # 2. a name after punctuation, a paragraph start or a function word
    best = None
    for length in range(min(4, s), 1, -1):
        k = s - length
        name = text[k:s]
        if not all(is_cjk(c) for c in name) or set(name[:-1]) & FUNCTION_CHARS or DIGITS.search(name):
            continue
        if name[-1] in FUNCTION_CHARS and name[-1] != "和":
            continue
        if any(w in name for w in conf["_not_in_names"]):
            continue
        if name in generic or any(name.startswith(g) for g in ("该", "全", "各", "本", "每", "这", "那")):
            continue
        if not at_delim(text, k, _LEFT_OF_NAME):
            continue
        if not _name_ok(ctx, k, s, e):
            continue
        best = k
        break
    if best is None:
        return None
    return best, None


def _name_ok(ctx: Context, k: int, s: int, e: int, allow_numbers: bool = False) -> bool:
    """A place name before a suffix holds no verbs or function words, and (unless it
    follows a place, allow_numbers) does not end in an ordinary word with the suffix
    (农村, 返乡; but 芮城县阳城镇 is a town)."""
    text = ctx.doc.text
    if text[k:e] in _conf()["_common_pairs"]:
        return False
    has_word = ctx.res.segmenter.has_word
    # 筑牢农村, 农业农村: an ordinary word before the pair; but after a place a
    # one-character name is a name (芮城县阳城镇)
    if text[s - 1 : s] + text[s:e] in _conf()["_common_pairs"] and (
        not allow_numbers or (s - 1 - k >= 2 and has_word(text[k : s - 1]))
    ):
        return False
    name = text[k:s]
    if "之" in name or ("和" in name[:-1] and has_word(name[: name.index("和")])):
        return False  # 杂技之乡, 住房和城乡: not names
    # a verb or function word of its own inside the name (推动乡村, 实现建制镇); one
    # character jieba happens to tag as a verb inside an unknown name (健跳镇) is fine
    bad = _BAD_TAGS - {"m", "c"} if allow_numbers else _BAD_TAGS
    for ts, te, tag in ctx.doc.tokens(k, s):
        if ts >= k and te <= s and tag in bad and (te - ts >= 2 or text[ts] in FUNCTION_CHARS):
            return False
    return True


def _zone_start(
    ctx: Context, s: int, max_len: int, starts: dict[int, Mention]
) -> tuple[int, Mention | None] | None:
    """A zone name starts with a place: 运城经济技术开发区, 山西转型综改示范区."""
    text = ctx.doc.text
    for k in range(s - 1, max(s - max_len, 0) - 1, -1):
        if not (is_cjk(text[k]) or text[k].isalnum()):
            return None
        place = starts.get(k)
        if place is not None and place.end <= s:
            between = text[place.end : s]
            if any(between.startswith(g) for g in _conf()["_zone_generic"]) or set(between) & set(
                "等的和与及"
            ):
                return None
            return k, place
    return None


def _counted_lists(ctx: Context, ends: dict[int, Mention]) -> list[Mention]:
    """郭道、王和等6个建制镇 → 郭道镇, 王和镇."""
    text = ctx.doc.text
    conf = _conf()
    out: list[Mention] = []
    suffix_of = {"建制镇": "镇", "镇": "镇", "乡": "乡", "村": "村", "社区": "社区", "街道": "街道"}
    if conf["_counted_tail_re"].search(text) is None:
        return out  # no 等N个镇 on the page: the list pattern, tried at every character, is not run
    for m in conf["_counted_re"].finditer(text):
        suffix = suffix_of.get(m.group(2))
        if suffix is None:
            continue
        items_start = m.start(1)
        items = m.group(1).split("、")
        # the first item's left boundary: a delimiter or a function word
        first = items[0]
        for cut in range(0, len(first) - 1):
            cand = first[cut:]
            pos = items_start + cut
            if at_delim(text, pos, tuple(FUNCTION_CHARS)) and len(cand) >= 2:
                items[0] = cand
                items_start = pos
                break
        else:
            if not at_delim(text, items_start, tuple(FUNCTION_CHARS)):
                continue
        pos = items_start
        for it in items:
            if it not in _conf()["_generic"] and not is_delim(it[0]):
                out.append(
                    ctx.mention(
                        pos,
                        pos + len(it),
                        "Place",
                        it + suffix,
                        "places",
                        via="counted",
                        level="town" if suffix in ("镇", "乡", "街道") else "village",
                    )
                )
            pos += len(it) + 1
    return out
