"""Mentions → entities: overlap rules, canonical names, aliases, merging, parent places.

One entity per (type, canonical name) and page. Variants of one name merge: a
quoted name and the same name with its head (31631 / 31631联动机制), a campaign
and a longer form ending with it (治本攻坚三年行动 / 工贸行业安全生产治本攻坚三年
行动), an organization's text form and its official full form. Every county-level
place brings its prefecture and province (the gazetteer supplies them).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from kg import rules
from kg.extract import Context
from kg.model import ENTITY_TYPES, Entity, Mention
from kg.nlp.gazetteer import Division

if TYPE_CHECKING:
    from kg.rules import RuleSet

_TERM_TYPES = {"Industry", "Venue", "Hazard", "Measure"}
_NAMEISH = {"Campaign", "Mechanism", "Organization", "Document"}
_QUOTES = re.compile(r"[“”‘’「」『』\"' \u3000]")


@lru_cache(maxsize=8192)
def norm_key(name: str) -> str:
    """Comparison key: quotes and spaces removed, full-width comma unified (a name is
    compared many times a page)."""
    return _QUOTES.sub("", name).replace("，", ",").replace("（", "(").replace("）", ")")


def _aliases_of(m: Mention) -> list[str]:
    raw = m.attr("alias")
    out = [a for a in raw.split("|") if a] if raw else []
    if m.text and m.text != m.name:
        if m.type in _TERM_TYPES:
            if m.attr("label") in ("alt", "pref"):
                out.append(m.text)  # only real labels are aliases, not trigger phrases
        elif m.type != "Person" and m.attr("via") != "post":
            out.append(m.text)  # (a body implied by a post: the post is no name of it)
    return out


def _relative_form(m: Mention, alias: str) -> bool:
    """区消防救援大队 for 五通桥区消防救援大队: a surface form whose relative prefix (市, 县,
    区 …) the text resolved to a place means different bodies in different articles; it
    stays an alias but does not merge."""
    prefix = m.attr("prefix")
    return bool(m.type == "Organization" and prefix and alias == m.text and not alias.startswith(prefix))


def _filter(ms: list[Mention]) -> list[Mention]:
    from kg.extract.spans import SpanIndex

    orgs = SpanIndex((m.start, m.end, m) for m in ms if m.type == "Organization")
    blockers = SpanIndex((m.start, m.end, m) for m in ms if m.type in ("Organization", "Person"))
    docs = SpanIndex((m.start, m.end, m) for m in ms if m.type == "Document")
    # an organization strictly inside another organization counts only where it also
    # stands alone (a parent body that acts in the text)
    standalone_orgs = {
        m.name
        for m in ms
        if m.type == "Organization" and not orgs.any_containing(m.start, m.end, strict=True)
    }
    keep: list[Mention] = []
    for m in ms:
        if m.type in _TERM_TYPES and blockers.any_containing(m.start, m.end):
            continue
        if m.type in ("Person", "Campaign", "Mechanism") and orgs.any_containing(m.start, m.end, strict=True):
            continue
        if m.type == "Organization" and m.name not in standalone_orgs:
            continue
        if (
            m.type in ("Organization", "Person", "Campaign", "Mechanism")
            and m.attr("via") != "plan"  # the campaign a followed plan sets up
            and docs.any_containing(m.start, m.end, strict=True)
        ):
            continue
        keep.append(m)
    return [_as_parent(m, standalone_orgs) for m in keep]


def _as_parent(m: Mention, standalone_orgs: set[str]) -> Mention:
    """A section (青石县应急局宣教科) whose parent does not act on its own as a mention
    of its parent body, the section's names kept as aliases."""
    parent = m.attr("parent") if m.type == "Organization" else None
    if not parent or parent in standalone_orgs:
        return m
    aliases = [a for a in (m.name, *_aliases_of(m)) if a != parent]
    attrs = dict(m.attrs)
    attrs.pop("parent", None)
    attrs["section"] = m.name
    attrs["alias"] = "|".join(dict.fromkeys(aliases))
    return replace(m, name=parent, attrs=tuple(sorted(attrs.items())))


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve(ctx: Context) -> tuple[list[Entity], list[Mention]]:
    """Entities of a page and the mentions that support them."""
    ms = [m for ms in ctx.found.values() for m in ms]
    ms = _filter(ms)
    gaz = ctx.res.gaz
    by_type: dict[str, list[Mention]] = defaultdict(list)
    for m in ms:
        by_type[m.type].append(m)
    entities: list[Entity] = []
    final_mentions: list[Mention] = []
    for type_ in ENTITY_TYPES:
        group = by_type.get(type_, [])
        if not group:
            continue
        ents, mentions = _merge_type(type_, group)
        entities.extend(ents)
        final_mentions.extend(mentions)
    # the home is a place of every page, named or not (a county site's 我县/县应急管理局
    # mean it even where the article never writes its name); its parents follow below
    have = {e.name for e in entities if e.type == "Place"}
    home = ctx.home
    if home is not None and home.name not in have:
        entities.append(Entity("Place", home.name, (home.short,) if home.short else (), _div_attrs(home)))
        have.add(home.name)
    # parent places of every division (the gazetteer supplies them)
    extra: dict[str, Entity] = {}
    for e in list(entities):
        code = e.attr("adcode")
        if e.type != "Place" or not code:
            continue
        for d in gaz.chain(gaz.by_code[code])[1:]:
            if d.name not in have and d.name not in extra:
                extra[d.name] = Entity(
                    "Place", d.name, (d.short,) if d.short else (), _div_attrs(d, implied=True)
                )
    entities.extend(extra.values())
    entities.sort(key=lambda e: (ENTITY_TYPES.index(e.type), e.name))
    return entities, sorted(final_mentions, key=lambda m: (m.start, m.end, m.type))


def _div_attrs(d: Division, implied: bool = False) -> tuple[tuple[str, str], ...]:
    attrs = [("adcode", d.adcode), ("level", d.level)]
    if d.parent:
        attrs.append(("parent", d.parent))
    if implied:
        attrs.append(("implied", "1"))
    return tuple(sorted(attrs))


def _merge_type(type_: str, group: list[Mention]) -> tuple[list[Entity], list[Mention]]:
    uf = _UnionFind()
    names_of: dict[str, set[str]] = defaultdict(set)
    aliases_of = {id(m): _aliases_of(m) for m in group}  # read twice below
    for m in group:
        key = norm_key(m.name)
        uf.find(key)
        for a in aliases_of[id(m)]:
            ak = norm_key(a)
            names_of[key].add(a)
            if type_ in _NAMEISH and ak and len(ak) >= 2 and not _relative_form(m, a):
                uf.union(key, ak)
    if type_ in ("Campaign", "Mechanism"):
        # suffix variants among the names and surface forms (not the head-extended
        # aliases: “六个一”文物…服务行动 is not the same campaign as …服务行动)
        _merge_suffixes(uf, [norm_key(m.name) for m in group] + [norm_key(m.text) for m in group])
        # overlapping mentions of one name (a lexicon match around a quoted name)
        spans = sorted(group, key=lambda m: m.start)
        for first, second in pairwise(spans):
            if second.start < first.end:
                uf.union(norm_key(first.name), norm_key(second.name))
    if type_ == "Organization":
        _merge_short_orgs(uf, group)
    clusters: dict[str, list[Mention]] = defaultdict(list)
    for m in group:
        clusters[uf.find(norm_key(m.name))].append(m)
    entities: list[Entity] = []
    mentions: list[Mention] = []
    for members in clusters.values():
        name = _choose_name(type_, members)
        aliases: set[str] = set()
        for m in members:
            if m.name != name:
                aliases.add(m.name)
            aliases.update(aliases_of[id(m)])
        aliases.discard(name)
        aliases = {a for a in aliases if a and len(a) >= 2}
        attrs = _attrs(type_, members)
        entities.append(Entity(type_, name, tuple(sorted(aliases)), attrs))
        mentions.extend(m if m.name == name else _renamed(m, name) for m in members)
    return entities, mentions


def _renamed(m: Mention, name: str) -> Mention:
    # what replace(m, name=name) gives, without its introspection (most mentions of a page)
    return Mention.make(m.article, m.start, m.end, m.text, m.type, name, m.extractor, m.attrs)


def _merge_short_orgs(uf: _UnionFind, group: list[Mention]) -> None:
    """兴能电厂 / 山西兴能发电有限责任公司, 官地矿 / 山西焦煤西山煤电官地矿: a short
    name with no place prefix whose own part (name minus head) appears in a longer
    name on the same page is that organization."""
    names = sorted({m.name for m in group}, key=lambda n: (len(n), n))  # not hash order
    heads = {m.name: m.attr("head") or "" for m in group if m.attr("via") == "head" and not m.attr("prefix")}
    for i, short in enumerate(names):
        head = heads.get(short, "")
        own = short[: len(short) - len(head)] if head and short.endswith(head) else ""
        if short not in heads:
            continue
        if len(own) < 2 or len(short) > 6:
            continue
        longer = [
            n
            for n in names[i + 1 :]
            if (own in n and not n.startswith(own)) or (n.endswith(short) and n != short)
        ]
        if len(longer) == 1:
            uf.union(norm_key(short), norm_key(longer[0]))


def _merge_suffixes(uf: _UnionFind, keys: list[str]) -> None:
    """A campaign or mechanism name that another one ends with is the same one."""
    uniq = sorted(set(k for k in keys if len(k) >= 4), key=len)
    for i, short in enumerate(uniq):
        for long in uniq[i + 1 :]:
            if long.endswith(short) and len(short) >= 4:
                uf.union(short, long)


def _choose_name(type_: str, members: list[Mention]) -> str:
    if type_ == "Place":
        # a gazetteer name wins over a text form
        for m in members:
            if m.attr("adcode"):
                return m.name
    if type_ in ("Campaign", "Mechanism"):
        # the name the page itself uses most (a lexicon name only as a tie-break)
        forms = Counter(
            norm_key(m.text) if m.extractor == "named" and m.attr("via") != "list" else m.name
            for m in members
        )
        best = max(forms.values())
        lexical = {m.name for m in members if m.extractor == "named" and m.attr("via") != "frame"}
        return sorted(
            (n for n, c in forms.items() if c == best), key=lambda n: (n not in lexical, len(n), n)
        )[0]
    if type_ in ("Industry", "Venue", "Hazard") and members[0].name not in _guideline_terms(type_):
        # a term outside the guidelines' lists is named by its own form in the text
        forms = Counter(
            _own_name(m.text, m.name)
            for m in members
            if m.attr("label") in ("pref", "alt", "hidden", "context")
        )
        if forms:
            best = max(forms.values())
            return sorted(
                (n for n, c in forms.items() if c == best), key=lambda n: (n != members[0].name, n)
            )[0]
    lex = [m.name for m in members if m.extractor == "terms" or m.attr("via") == "lexicon"]
    if lex:
        return Counter(lex).most_common(1)[0][0]
    counts = Counter(m.name for m in members)
    if type_ == "Organization":
        # the full name of an organization known by a short one too (兴能电厂)
        return max(counts, key=lambda n: (len(n), counts[n], n))
    best = max(counts.values())
    return sorted((n for n, c in counts.items() if c == best), key=lambda n: (len(n), n))[0]


def _own_name(text: str, pref: str = "") -> str:
    """A term's own name without a generic tail (水上交通安全 → 水上交通, 化工企业 → 化工); a
    kind of accident named with 事故 is the kind (坍塌事故 → 坍塌, not 水上交通事故 → 水上交通); quotes
    are not part of a name (“三合一”场所 → 三合一场所)."""
    text = _QUOTES.sub("", text)
    generic_tails, kind_tails = rules.active().compiled(_name_tails)
    for tail in generic_tails:
        if text.endswith(tail) and len(text) - len(tail) >= 2:
            return text[: -len(tail)]
    kind = next((t for t in kind_tails if text.endswith(t)), None)
    if kind is not None and text[: -len(kind)] == pref:
        return pref
    return text


def _name_tails(rs: RuleSet) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The generic and the kind tails a term's own name drops (kg/rules/terms.toml)."""
    return tuple(rs.terms.name_generic_tails), tuple(rs.terms.name_kind_tails)


def _guideline_terms(type_: str) -> frozenset[str]:
    return rules.active().compiled(_build_guideline_terms).get(type_, frozenset())


def _build_guideline_terms(rs: RuleSet) -> dict[str, frozenset[str]]:
    import msgspec

    terms: dict[str, list[str]] = msgspec.structs.asdict(rs.guideline_terms)
    return {k: frozenset(v) for k, v in terms.items()}


def _attrs(type_: str, members: list[Mention]) -> tuple[tuple[str, str], ...]:
    attrs: dict[str, str] = {}
    for m in members:
        for k, v in m.attrs:
            if k in ("adcode", "level", "iri", "parent", "post"):
                attrs.setdefault(k, v)
    return tuple(sorted(attrs.items()))
