"""Persons: named people, found through what surrounds a name.

- a post or role right before it: 副市长张锐, 一级调研员钱红元, 学员王芳;
- an honorific right after it: 王福烈士, 习近平总书记, 习近平同志;
- a speech verb after it at a clause start: 冯薇说;
- a name that recurs as the subject of actions in one article: 王强来到…王强走进….

A name starts with a surname and has two or three characters; bylines, anonymous
forms (李先生, 李师傅) and common words are not persons. A post that names its body by
itself (副市长 → 运城市人民政府) yields that body as an organization.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from kg import rules
from kg.extract import Context, register
from kg.extract.common import Words, is_delim
from kg.extract.spans import SpanIndex
from kg.model import Mention
from kg.text import is_cjk


@cache
def _conf() -> dict:
    conf = dict(rules.load("persons"))
    conf["_surnames"] = frozenset(c for c in conf["surnames"] if is_cjk(c))
    conf["_compound"] = tuple(conf["compound_surnames"])
    conf["_followers"] = frozenset(conf["name_followers"])
    conf["_not_names"] = frozenset(conf["not_names"])
    conf["_post_words"] = Words([*conf["posts"], *conf["roles"]])
    suffixes = sorted(conf["name_suffixes"], key=len, reverse=True)
    conf["_suffix_re"] = re.compile("(?=(" + "|".join(map(re.escape, suffixes)) + "))")
    conf["_speech"] = tuple(sorted(conf["speech_verbs"], key=len, reverse=True))
    conf["_action"] = tuple(sorted(conf["action_verbs"], key=len, reverse=True))
    conf["_anon"] = tuple(conf["anonymous_suffixes"])
    conf["_roles"] = frozenset(conf["roles"])
    conf["_posts_set"] = frozenset(conf["posts"])
    conf["_posts_desc"] = tuple(sorted(set(conf["posts"]) - conf["_roles"], key=len, reverse=True))
    # the posts by their last character, longest first: those that can end where a name starts
    conf["_posts_by_last"] = {}
    for w in conf["_posts_desc"]:
        conf["_posts_by_last"].setdefault(w[-1], []).append(w)
    conf["_titles"] = frozenset(conf["titles"])
    conf["_not_name_prefixes"] = tuple(conf["not_name_prefixes"])
    # a clause start (a paragraph start or after punctuation) followed by a surname
    surnames = "".join(sorted(conf["_surnames"] | {c[0] for c in conf["_compound"]}))
    conf["_clause_start_re"] = re.compile(rf"(?<![\u4e00-\u9fff\w])([{surnames}])")
    return conf


def _surname_len(name: str) -> int:
    conf = _conf()
    if name.startswith(conf["_compound"]):
        return 2
    return 1 if name[:1] in conf["_surnames"] else 0


def _valid(name: str) -> bool:
    conf = _conf()
    if not (2 <= len(name) <= 4) or not all(is_cjk(c) for c in name):
        return False
    sl = _surname_len(name)
    if sl == 0 or len(name) - sl < 1 or len(name) - sl > 2:
        return False
    if name in conf["_not_names"] or name.startswith(conf["_not_name_prefixes"]):
        return False
    if name[sl:] in conf["_roles"] or name[sl:] in conf["_posts_set"]:
        return False  # 向居民: a preposition and a role, not a name
    return not name[sl:].startswith(conf["_anon"])


# levels of the places whose posts a post names (市长 of a county-level city is its mayor)
_POST_LEVELS = {"province": 0, "prefecture": 1, "county": 1, "town": 2}

# tags of a first character that is a function word, not a surname (都会, 和企业)
_FUNCTION_TAGS = {"c", "p", "d", "u", "uj", "ul", "uz", "r"}

# characters that after a two-character name are words of their own (张锐等参加)
_STANDALONE_FOLLOWERS = set("等在的是和与及说也就都还已正将对为向到来一带率同家第们")


def _name_at(text: str, pos: int, boundary: bytearray, strict: bool = False) -> str | None:
    """The name starting at ``pos`` (two or three characters), or None.

    The name must end where a name ends (punctuation or a character that follows
    names: 说, 等, 在 …); unless ``strict``, a token boundary will do."""
    conf = _conf()
    fol = conf["_followers"]

    def ends_ok(k: int) -> bool:
        return k >= len(text) or is_delim(text[k]) or text[k] in fol

    two, three = text[pos : pos + 2], text[pos : pos + 3]
    verbs = conf["_speech"] + conf["_action"]
    # 吴志强告诉记者: 强 could end a name (强调) but 告诉 after three characters decides
    if (
        len(three) == 3
        and three[2] not in _STANDALONE_FOLLOWERS
        and not text.startswith(verbs, pos + 2)
        and (text.startswith(verbs, pos + 3) or (pos + 3 < len(text) and is_delim(text[pos + 3])))
        and _valid(three)
    ):
        return three
    if len(two) == 2 and ends_ok(pos + 2) and _valid(two):
        return two
    if len(three) == 3 and ends_ok(pos + 3) and _valid(three):
        return three
    if strict:
        return None
    if len(three) == 3 and boundary[pos + 3] and not boundary[pos + 2] and _valid(three):
        return three
    if len(two) == 2 and boundary[pos + 2] and _valid(two):
        return two
    return None


@register("persons")
def extract_persons(ctx: Context) -> list[Mention]:
    """Person mentions (and the bodies that posts such as 副市长 imply)."""
    doc = ctx.doc
    text = doc.text
    conf = _conf()
    bylines = {_squash(b) for art in doc.articles for by in art.bylines for b in re.split(r"[、，,\s]+", by)}
    taken = SpanIndex((m.start, m.end, m) for m in ctx.mentions("Organization", "Place"))
    out: list[Mention] = []

    has_word = ctx.res.segmenter.has_word
    verbs = conf["_speech"] + conf["_action"]

    def add(s: int, name: str, via: str, post: str | None = None, anchor: int | None = None) -> bool:
        e = s + len(name)
        if name in bylines or taken.any_overlap(s, e):
            return False
        if via == "role":
            given = name[_surname_len(name) :]
            if len(given) == 2 and has_word(given):
                tags = ctx.res.segmenter.tag(given)
                if len(tags) == 1 and tags[0][1] in ("v", "vn", "a", "ad", "d", "vd"):
                    return False  # 员工全覆盖: a verb after a role word, not a given name
        if via in ("post", "role"):
            ts, te, tag = doc.token_at(s)
            if text.startswith(verbs, s):
                return False  # 副县长强调, 局长查看: the post is the subject of a verb
            if (ts, te) == (s, s + 1) and tag in _FUNCTION_TAGS:
                return False  # 工作人员都会…, 负责人和企业…: a function word, not a surname
        if via in ("speaker", "subject") and has_word(name):
            ts, te, tag = doc.token_at(s)
            if not ((ts, te) == (s, e) and tag.startswith("nr")):
                return False  # a common word (宿舍, 全覆盖), not a name
        anchor_attr = str(anchor) if anchor is not None else None
        out.append(ctx.mention(s, e, "Person", name, "persons", via=via, post=post, anchor=anchor_attr))
        return True

    # 1. post or role + name, and the names listed after the first (副县长张三、李四)
    for _ps, pe, post in conf["_post_words"].finditer(text):
        role = post in conf["_roles"]
        if not doc.boundary[pe] and role:
            continue  # 保安 in 保安全, 业主 in 行业主管 (会长 in 商会会长 is fine)
        # a post glued to the name by the tokenizer (人武部长王颐然) needs a clean end
        strict = role or not doc.boundary[pe]
        via = "role" if role else "post"
        name = _name_at(text, pe, doc.boundary, strict=strict)
        if not name or not add(pe, name, via, post):
            continue
        k = pe + len(name)
        while k < len(text) and text[k] == "、":
            nxt = _name_at(text, k + 1, doc.boundary, strict=True)
            if not nxt or not add(k + 1, nxt, via, post, anchor=pe):
                break
            k += 1 + len(nxt)
    # 2. name + honorific
    for m in conf["_suffix_re"].finditer(text):
        e = m.start()
        for n in (3, 2):
            s = e - n
            if s < 0:
                continue
            cand = text[s:e]
            if _valid(cand) and (s == 0 or is_delim(text[s - 1]) or doc.boundary[s]):
                add(s, cand, "honorific")
                break
    # 3. speaker at a clause start; 4. recurring subject of actions
    counts: Counter[tuple[int, str]] = Counter()
    firsts: dict[tuple[int, str], int] = {}
    for cm in conf["_clause_start_re"].finditer(text):
        i = cm.start(1)
        for n in (3, 2):
            cand = text[i : i + n]
            if not _valid(cand):
                continue
            if text.startswith(conf["_speech"], i + n) and not has_word(cand):
                add(i, cand, "speaker")
                break
            if text.startswith(conf["_action"], i + n) and not has_word(cand):
                key = (doc.para_at(i).article, cand)
                counts[key] += 1
                firsts.setdefault(key, i)
                break
    for (art, cand), k in counts.items():
        if k >= 2:
            add(firsts[(art, cand)], cand, "subject")
    out.extend(_implied_bodies(ctx, out))
    return _dedupe(out)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def post_chain(ctx: Context, pos: int, org_ends: dict[int, Mention]) -> list[tuple[str, int, Mention | None]]:
    """The posts before a name that starts at ``pos``, nearest first, each with its start
    and the body named right before it (or None): 县委常委、县政府常务副县长 →
    [(常务副县长, …, 县政府), (县委常委, …, None)]. A post may share its first character
    with the body's head (人武部长 = 人武部 + 部长); of the posts ending at one place, the
    one after a named body wins (镇平县委书记 = 镇平县委 + 书记)."""
    text = ctx.doc.text
    posts = _conf()["_posts_by_last"]
    out: list[tuple[str, int, Mention | None]] = []
    while True:
        cands = [w for w in posts.get(text[pos - 1], ()) if text.endswith(w, 0, pos)] if pos > 0 else []
        if not cands:
            break
        choice: tuple[str, int, Mention | None] = (cands[0], pos - len(cands[0]), None)
        for w in cands:
            ps = pos - len(w)
            body = org_ends.get(ps)
            shared = org_ends.get(ps + 1)
            if body is None and shared is not None and shared.start < ps:
                body = shared  # 人武部长
            if body is not None:
                choice = (w, ps, body)
                break
        out.append(choice)
        _w, ps, body = choice
        pos = min(body.start, ps) if body is not None else ps
        if not text.endswith("、", 0, pos):
            break
        pos -= 1
    return out


def _implied_bodies(ctx: Context, persons: list[Mention]) -> list[Mention]:
    """副市长张锐 → 运城市人民政府; 县委常委、副县长X → the county's party committee and
    government; 连南瑶族自治县县长X → that county's government: the body a post names by
    itself, for every post of a chain that has no body written before it."""
    table = _conf()["implied_bodies"]
    orgs = ctx.mentions("Organization")
    org_ends = {m.end: m for m in orgs}
    org_names = {m.name for m in orgs}
    place_ends = {m.end: m for m in ctx.mentions("Place") if m.attr("level") in _POST_LEVELS}
    out: dict[int, Mention] = {}
    for p in persons:
        if not p.attr("post"):
            continue
        anchor = int(p.attr("anchor") or p.start)
        for post, ps, body in post_chain(ctx, anchor, org_ends):
            if body is not None or post not in table or ps in out:
                continue
            place = place_ends.get(ps) or place_ends.get(ps + 1)
            level = table[post].split(":")[0]
            if place is not None and _POST_LEVELS[place.attr("level") or ""] != _POST_LEVELS[level]:
                place = None  # 某县镇长: the post is not the place's
            name, alias = implied_body_name(ctx, table[post], ps, place, org_names)
            if name is not None:
                out[ps] = ctx.mention(
                    ps, ps + len(post), "Organization", name, "persons", via="post", alias=alias
                )
    return list(out.values())


def implied_body_name(
    ctx: Context,
    spec: str,
    pos: int,
    place: Mention | None = None,
    org_names: set[str] | frozenset[str] = frozenset(),
) -> tuple[str | None, str | None]:
    """The body a post names by itself ("prefecture:人民政府" → 运城市人民政府), with its
    other form: of the place named right before the post, else of the place the post's
    level means at ``pos`` (the home's prefecture, the county the article is about). A
    standing-committee member is in the 常委会 where the page names it, else in the
    committee."""
    from kg.extract.orgs import _Places, resolve_relative

    level, body = spec.split(":")
    if place is not None:
        place_name = place.name
    else:
        home = ctx.home
        div = None
        if level == "prefecture" and home is not None:
            div = ctx.res.gaz.prefecture_of(home) or home
        elif level == "province" and home is not None:
            div = ctx.res.gaz.province_of(home)
        elif level == "county":
            div = resolve_relative(ctx, _Places(ctx), "县", pos)
        if div is None:
            return None, None
        place_name = div.name
    if body == "委常委会" and f"中共{place_name}委常委会" not in org_names:
        body = "委"
    if body == "人民政府":
        return place_name + "人民政府", place_name + "政府"
    if body == "委":
        return f"中共{place_name}委", f"{place_name}委|中共{place_name}委员会"
    return f"中共{place_name}委常委会", f"{place_name}委常委会"


def _dedupe(ms: list[Mention]) -> list[Mention]:
    seen = set()
    out = []
    for m in ms:
        key = (m.start, m.end, m.type)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
