"""Focused views: one page per entity with its neighbourhood, grouped the way an analyst asks.

Under its facts, a timeline of the sentences stating its relations per month; its lists keep a
date range (the timeline's months set it); every sentence links to its span in its article.

A place: its campaigns, targets, mechanisms, measures and organizations. A
campaign: the places implementing it, its organizers and its targets. An
industry (venue, hazard): the places targeting it and the measures they take in
the same articles. Every relation is listed with its evidence sentences and the
headline of the article; a small network of the neighbourhood sits on top.
These pages keep a large corpus explorable when the overview is too big.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.export.views import page
from kg.export.views.data import PREDICATE_STYLE, TYPE_STYLE, ViewIndex, type_rank
from kg.export.views.escape import display_text, h
from kg.export.views.network import date_inputs_html, network_payload, network_section_html
from kg.export.views.timeline import entity_months, timeline_html
from kg.model import Evidence, Relation

#: Neighbours drawn in a focused view's network (the most connected; lists show all).
MAX_FOCUS_NODES = 150

#: A section longer than this may break across the page's columns.
LONG_SECTION = 12

#: Actors named per derived measure (the most connected first).
ACTORS_SHOWN = 10

#: Evidence sentences shown per relation before the rest fold away, and listed at most.
EVIDENCE_SHOWN = 3
EVIDENCE_LISTED = 50


@dataclass(frozen=True)
class Section:
    title: str
    predicate: str
    direction: str  # "out": the entity is the subject; "in": the object; "any"
    types: tuple[str, ...] = ()  # types of the other end; () for any


_TARGETED = (
    Section("Places targeting it 关注它的地点", "targets", "in", ("Place",)),
    Section("Organizations targeting it 关注它的机构", "targets", "in", ("Organization",)),
    Section("Campaigns targeting it 针对它的行动", "targets", "in", ("Campaign",)),
)

SECTIONS: dict[str, tuple[Section, ...]] = {
    "Place": (
        Section("Campaigns 实施的行动", "implements", "out"),
        Section("Targets 重点行业、场所与灾害", "targets", "out"),
        Section("Mechanisms 采用的机制", "adopts", "out"),
        Section("Measures 采取的措施", "takesMeasure", "out"),
        Section("Organizations 机构", "locatedIn", "in", ("Organization",)),
        Section("Places within 下辖地点", "locatedIn", "in", ("Place",)),
        Section("Located in 所属地点", "locatedIn", "out"),
    ),
    "Campaign": (
        Section("Implementing places 实施地点", "implements", "in", ("Place",)),
        Section("Organizers 组织者", "organizes", "in"),
        Section("Implementing organizations 实施机构", "implements", "in", ("Organization",)),
        Section("Targets 针对", "targets", "out"),
    ),
    "Industry": _TARGETED,
    "Venue": _TARGETED,
    "Hazard": _TARGETED,
    "Mechanism": (
        Section("Adopted by places 采用的地点", "adopts", "in", ("Place",)),
        Section("Adopted by organizations 采用的机构", "adopts", "in", ("Organization",)),
    ),
    "Measure": (
        Section("Places taking it 采取的地点", "takesMeasure", "in", ("Place",)),
        Section("Organizations taking it 采取的机构", "takesMeasure", "in", ("Organization",)),
    ),
    "Organization": (
        Section("Located in 所属地点", "locatedIn", "out"),
        Section("Campaigns it organizes 组织的行动", "organizes", "out"),
        Section("Campaigns it implements 实施的行动", "implements", "out"),
        Section("Mechanisms 采用的机制", "adopts", "out"),
        Section("Targets 重点行业、场所与灾害", "targets", "out"),
        Section("Measures 采取的措施", "takesMeasure", "out"),
        Section("Documents issued 印发的文件", "issues", "out"),
        Section("Partners 合作机构", "partnersWith", "any"),
        Section("People 人员", "holdsPost", "in"),
        Section("Units within 下属机构", "locatedIn", "in"),
    ),
    "Document": (Section("Issued by 印发机构", "issues", "in"),),
    "Person": (Section("Posts 任职", "holdsPost", "out"),),
}

#: Types whose page also lists the measures taken, in the same articles, by those targeting it.
DERIVED_MEASURES = ("Industry", "Venue", "Hazard")

#: What a place's roll-up lists: the work of the place and of everything within it.
ROLLUP_SECTIONS = (
    ("Campaigns 实施的行动", "implements"),
    ("Targets 重点行业、场所与灾害", "targets"),
    ("Mechanisms 采用的机制", "adopts"),
    ("Measures 采取的措施", "takesMeasure"),
)

#: The predicate by which actors relate to a term of each vocabulary type.
TERM_PREDICATE = {"Industry": "targets", "Venue": "targets", "Hazard": "targets", "Measure": "takesMeasure"}

#: Columns of the roll-up's CSV download: one row per relation of the place or within it.
ROLLUP_COLUMNS = ("subject", "subject_type", "predicate", "object", "object_type", "sentences")

#: A roll-up lists per section this many objects (the most widely shared; its CSV has all), per
#: object this many actors and evidence sentences (each actor's own view lists them all).
ROLLUP_LISTED = 60
ROLLUP_ACTORS = 6
ROLLUP_EVIDENCE = 1


def _matches(sec: Section, r: Relation, eid: str) -> bool:
    if r.p != sec.predicate:
        return False
    if (sec.direction == "out" and r.s != eid) or (sec.direction == "in" and r.o != eid):
        return False
    other = r.o if r.s == eid else r.s
    return not sec.types or other.partition(":")[0] in sec.types


def group_relations(ix: ViewIndex, eid: str) -> list[tuple[str, list[Relation]]]:
    """The entity's relations in its type's sections; the rest under "Other relations"."""
    rels = ix.by_entity.get(eid, [])
    used: set[tuple[str, str, str]] = set()
    groups: list[tuple[str, list[Relation]]] = []
    for sec in SECTIONS.get(ix.entity(eid).type, ()):
        chosen = [r for r in rels if r.key not in used and _matches(sec, r, eid)]
        used.update(r.key for r in chosen)
        groups.append((sec.title, chosen))
    rest = [r for r in rels if r.key not in used]
    if rest:
        groups.append(("Other relations 其他关系", rest))
    return groups


def derived_measures(ix: ViewIndex, eid: str) -> list[tuple[str, list[str], list[Evidence]]]:
    """Measures taken by the actors that target ``eid``, stated in the same articles.

    Returns (measure id, actor ids, evidence) sorted by evidence count, then name.
    """
    found: dict[str, tuple[set[str], dict[tuple[str, int, int], Evidence]]] = {}
    for r in ix.in_by.get("targets", {}).get(eid, []):
        taken = ix.measures_by_article(r.s)
        if not taken:
            continue
        # in any order: what is found is gathered in sets and sorted below
        for art in {ev.article for ev in r.evidence}:
            for mid, key, ev in taken.get(art, ()):
                entry = found.get(mid)
                if entry is None:
                    entry = found[mid] = (set(), {})
                entry[0].add(r.s)
                entry[1].setdefault(key, ev)
    out = []
    for mid, (actors, ev_map) in found.items():
        out.append((mid, ix.by_degree(sorted(actors)), [ev_map[k] for k in sorted(ev_map)]))
    out.sort(key=lambda t: (-len(t[2]), ix.entity(t[0]).name, t[0]))
    return out


def _glyph(type_: str) -> str:
    glyph = TYPE_STYLE.get(type_, ("", "", "", "●"))[3]
    return f'<span class="glyph t{type_rank(type_)}" aria-hidden="true">{h(glyph)}</span>'


def _entity_link(ix: ViewIndex, eid: str, root: str) -> str:
    e = ix.entity(eid)
    return (
        f'{_glyph(e.type)}<a class="ent" href="{h(root + ix.pages[eid])}">{h(e.name)}</a>'
        f' <span class="badge">{h(e.type)}</span>'
    )


_NOT_LISTED = "more sentences not listed 其余证据从略"
_IN_THEIR_VIEWS = "more sentences in the actors' views 其余见各主体专页"


def _evidence_items(
    ix: ViewIndex,
    evs: Sequence[Evidence],
    listed: int = EVIDENCE_LISTED,
    rest_note: str = _NOT_LISTED,
    total: int | None = None,
) -> str:
    """The evidence sentences with their headline, date and page, each linked to its span in its
    article's page; the article id (``<page>#<n>``) and the date are data attributes, read by the
    CSV download and the date filter (assets/tables.js). ``total``: how many ``evs`` stands for
    (when it holds only the first ``listed``)."""
    items = []
    for ev in evs[:listed]:
        a = ix.article(ev.article)
        date = (a.date or "") if a else ""
        if a is not None and a.headline:
            cite = f"<cite>{h(display_text(a.headline))}</cite>"
        else:  # no headline: the article id stands in, and is no headline in the CSV
            cite = f"<cite data-fallback>{h(ev.article)}</cite>"
        meta = " · ".join(x for x in (date, ev.source) if x)
        when = f' data-date="{h(date)}"' if date else ""
        quote = f"<q>{h(display_text(ev.text))}</q>"
        href = ix.evidence_href(ev, "../")
        if href:
            quote = f'<a class="evl" href="{h(href)}" title="In its article 在原文中查看">{quote}</a>'
        meta_html = f'<span class="meta">{h(meta)}</span>'
        items.append(f'<li data-article="{h(ev.article)}"{when}>{quote} {cite} {meta_html}</li>')
    shown, rest = items[:EVIDENCE_SHOWN], items[EVIDENCE_SHOWN:]
    html = f'<ul class="evidence">{"".join(shown)}</ul>'
    if rest:
        html += (
            f"<details><summary>{len(rest)} more sentences 更多证据</summary>"
            f'<ul class="evidence">{"".join(rest)}</ul></details>'
        )
    n = len(evs) if total is None else total
    if n > listed:
        html += f'<p class="more">{n - listed} {h(rest_note)}</p>'
    return html


def _relation_row(ix: ViewIndex, eid: str, r: Relation, root: str) -> str:
    other = r.o if r.s == eid else r.s
    arrow = "→" if r.s == eid else "←"
    zh = PREDICATE_STYLE.get(r.p, (r.p, ""))[0]
    n = len(r.evidence)
    s, o = ix.entity(r.s), ix.entity(r.o)
    return (
        f'<li class="rel" data-name="{h(ix.entity(other).name)}" data-n="{n}" data-s="{h(s.name)}"'
        f' data-st="{h(s.type)}" data-p="{h(r.p)}" data-o="{h(o.name)}" data-ot="{h(o.type)}">'
        f'<span class="pred">{arrow} {h(r.p)} {h(zh)}</span> {_entity_link(ix, other, root)}'
        f' <span class="count">{n} sentence{"s" if n != 1 else ""}</span>'
        f"{_evidence_items(ix, r.evidence)}</li>"
    )


def _sort_rows(ix: ViewIndex, eid: str, rels: list[Relation]) -> list[Relation]:
    def key(r: Relation) -> tuple[int, int, str]:
        other = r.o if r.s == eid else r.s
        return (type_rank(other.partition(":")[0]), -len(r.evidence), ix.entity(other).name)

    return sorted(rels, key=key)


def _merged_evidence(rels: Sequence[Relation], first: int) -> tuple[list[Evidence], int]:
    """The first ``first`` of the relations' evidence spans, in order, and how many there are
    (a roll-up lists one sentence of thousands: they are counted, not sorted)."""
    import heapq

    seen: dict[tuple[str, int, int], Evidence] = {}
    for r in rels:
        for ev in r.evidence:
            seen.setdefault((ev.source, ev.start, ev.end), ev)
    return [seen[k] for k in heapq.nsmallest(first, seen)], len(seen)


def _links(
    ix: ViewIndex, ids: Sequence[str], root: str, shown: int = ACTORS_SHOWN, compact: bool = False
) -> str:
    if compact:  # names only: a roll-up repeats them for every object
        html = "、".join(
            f'<a class="ent" href="{h(root + ix.pages[x])}">{h(ix.entity(x).name)}</a>' for x in ids[:shown]
        )
    else:
        html = "、".join(_entity_link(ix, x, root) for x in ids[:shown])
    if len(ids) > shown:
        html += f' <span class="more">and {len(ids) - shown} more 等</span>'
    return html


def place_rollup_html(ix: ViewIndex, eid: str, root: str) -> tuple[str, list[Relation]]:
    """A place's work together with that of everything within it (its counties, their towns and
    the bodies located in any of them), folded; and the relations it lists."""
    inside = ix.within.get(eid, [])
    if not inside:
        return "", []
    n_places = sum(1 for x in inside if x.startswith("Place:"))
    n_orgs = len(inside) - n_places
    name = ix.entity(eid).name
    parts: list[str] = []
    listed: list[Relation] = []
    for title, predicate in ROLLUP_SECTIONS:
        rows = []
        found = ix.rolled_up(eid, predicate)
        for k, (obj, rels) in enumerate(found):
            listed.extend(rels)
            if k >= ROLLUP_LISTED:
                continue  # in the CSV only
            actors = [r.s for r in rels]
            evs, n_evs = _merged_evidence(rels, ROLLUP_EVIDENCE)
            rows.append(
                f'<li class="rel" data-name="{h(ix.entity(obj).name)}" data-n="{len(actors)}">'
                f'{_entity_link(ix, obj, root)} <span class="pred">by 由</span> '
                f"{_links(ix, actors, root, ROLLUP_ACTORS, compact=True)}"
                f' <span class="count">{len(actors)} actor{"s" if len(actors) != 1 else ""}</span>'
                f"{_evidence_items(ix, evs, ROLLUP_EVIDENCE, _IN_THEIR_VIEWS, n_evs)}</li>"
            )
        if rows:
            cut = ""
            if len(found) > ROLLUP_LISTED:
                cut = (
                    f'<p class="more">The {ROLLUP_LISTED} most widely shared of {len(found)}; '
                    "the CSV has them all. 仅列出最常见的部分。</p>"
                )
            parts.append(
                f'<section class="rels" data-predicate="{h(predicate)}"><h3>{h(title)} '
                f"<small>{len(found)}</small></h3><ul>{''.join(rows)}</ul>{cut}</section>"
            )
    if not parts:
        return "", []
    listed.sort(key=lambda r: r.key)
    summary = (
        f"Including the places within it 含下辖地区 <small>{h(name)} with {n_places} places and "
        f"{n_orgs} organizations located in it</small>"
    )
    return (
        f'<section class="rollup" id="rollup"><details><summary><h2>{summary}</h2></summary>'
        f'<p class="note">What {h(name)}, its counties, their towns and villages, and the bodies '
        "located in any of them do (kg:locatedIn, transitively; the named query "
        "<code>work-within-place</code> asks the same).</p>"
        f'<div class="table-tools"><button type="button" class="csv" data-csv="rollup" '
        f'data-rows="rollup">CSV ⤓</button></div>'
        f'<div class="rollup-sections">{"".join(parts)}</div></details></section>'
    ), listed


def term_rollup_html(ix: ViewIndex, eid: str, root: str) -> tuple[str, list[Relation]]:
    """Who targets (takes) a term or any term under it (skos:broader*), folded."""
    narrower = ix.narrower.get(eid, [])
    predicate = TERM_PREDICATE.get(ix.entity(eid).type)
    if not narrower or predicate is None:
        return "", []
    found = ix.under(eid, predicate)
    if not found:
        return "", []
    rows = []
    listed: list[Relation] = []
    for actor, rels in found:
        listed.extend(rels)
        evs, n_evs = _merged_evidence(rels, ROLLUP_EVIDENCE)
        rows.append(
            f'<li class="rel" data-name="{h(ix.entity(actor).name)}" data-n="{len(rels)}">'
            f'{_entity_link(ix, actor, root)} <span class="pred">→ {h(predicate)}</span> '
            f"{_links(ix, [r.o for r in rels], root)}"
            f"{_evidence_items(ix, evs, ROLLUP_EVIDENCE, _IN_THEIR_VIEWS, n_evs)}</li>"
        )
    listed.sort(key=lambda r: r.key)
    terms = "、".join(ix.entity(x).name for x in narrower)
    return (
        '<section class="rollup" id="rollup"><details><summary><h2>Including narrower terms 含下位词 '
        f"<small>{h(terms)}</small></h2></summary>"
        f'<p class="note">Who {h(predicate)} {h(ix.entity(eid).name)} or a narrower term of the '
        "vocabulary (skos:broader, transitively; the named query <code>targets-under-term</code> "
        "asks the same).</p>"
        '<div class="table-tools"><button type="button" class="csv" data-csv="rollup" '
        'data-rows="rollup">CSV ⤓</button></div>'
        f'<section class="rels"><h3>{len(rows)} actors 主体</h3><ul>{"".join(rows)}</ul></section>'
        "</details></section>"
    ), listed


def render_focus(ix: ViewIndex, eid: str) -> str:
    """entity/<file>.html for one entity."""
    root = "../"
    e = ix.entity(eid)
    zh = TYPE_STYLE.get(e.type, ("",))[0]
    neighbours = sorted({x for r in ix.by_entity.get(eid, []) for x in (r.s, r.o)} - {eid})
    notice = None
    if len(neighbours) > MAX_FOCUS_NODES:
        notice = (
            f"Showing the {MAX_FOCUS_NODES} most connected of {len(neighbours):,} neighbours in the "
            f"network; the lists below have all of them. 网络只显示连接最多的 {MAX_FOCUS_NODES} 个相邻实体。"
        )
        neighbours = ix.by_degree(neighbours)[:MAX_FOCUS_NODES]
    shown = [eid, *neighbours]
    data = network_payload(
        ix,
        shown,
        root=root,
        mode="focus",
        focus=eid,
        panel_all_relations=False,
        evidence_limit=5,
    )

    parts = [
        f'<main class="focus">\n<h1>{_glyph(e.type)}{h(e.name)} '
        f'<span class="badge">{h(e.type)} {h(zh)}</span></h1>\n'
    ]
    facts = []
    if e.aliases:
        facts.append(f"<dt>Aliases 别名</dt><dd>{h('、'.join(e.aliases))}</dd>")
    for k, v in e.attrs:
        parent = ix.place_by_adcode.get(v) if k == "parent" else None
        value = _entity_link(ix, parent, root) if parent else h(v)
        facts.append(f"<dt>{h(k)}</dt><dd>{value}</dd>")
    if ix.broader.get(eid):
        facts.append(f"<dt>Broader 上位词</dt><dd>{_links(ix, ix.broader[eid], root)}</dd>")
    if ix.narrower.get(eid):
        facts.append(f"<dt>Narrower 下位词</dt><dd>{_links(ix, ix.narrower[eid], root)}</dd>")
    if e.type in ("Place", "Organization") and ix.cities_of.get(eid) and ix.cities_of[eid] != [eid]:
        facts.append(f"<dt>City 所属城市</dt><dd>{_links(ix, ix.cities_of[eid], root)}</dd>")
    arts = ix.article_ids.get(eid, [])
    facts.append(
        f"<dt>In the corpus 统计</dt><dd>{len(arts)} article{'s' if len(arts) != 1 else ''} · "
        f"{len(ix.by_entity.get(eid, []))} relations · {ix.degree.get(eid, 0)} neighbours</dd>"
    )
    parts.append(f'<dl class="facts">{"".join(facts)}</dl>\n')
    months, undated = entity_months(ix, eid)
    parts.append(
        timeline_html(
            months,
            undated,
            what="Sentences stating its relations",
            unit="sentences",
            empty="None of its relations is stated in an article with a full date. 暂无带完整日期的证据。",
        )
        + "\n"
    )
    parts.append(network_section_html(ix, shown, notice=notice, compact=True) + "\n")
    if e.type == "Place":
        rollup, rolled = place_rollup_html(ix, eid, root)
    else:
        rollup, rolled = term_rollup_html(ix, eid, root)
    parts.append(
        '<div class="table-tools lists-tools">Sort the lists 排序: '
        '<button type="button" class="sort-lists" data-by="type" aria-pressed="true">by type 按类型</button> '
        '<button type="button" class="sort-lists" data-by="n">by evidence 按证据数</button> '
        '<button type="button" class="sort-lists" data-by="name">by name 按名称</button> · '
        '<button type="button" class="csv" data-csv="relations" data-rows="relations">'
        "Relations as CSV 下载关系 CSV ⤓</button> · "
        f'<span class="dates">Sentences 证据: {date_inputs_html(ix)}</span></div>\n'
    )
    if rollup:
        parts.append(rollup + "\n")

    # the roll-up's CSV, one row per relation (the relations' own CSV is read from the lists)
    data["rollup"] = {
        "columns": list(ROLLUP_COLUMNS),
        "rows": [
            [ix.entity(r.s).name, r.s.partition(":")[0], r.p, ix.entity(r.o).name, r.o.partition(":")[0],
             len(r.evidence)]
            for r in rolled
        ],
    }  # fmt: skip
    parts.append('<div class="sections">\n')
    for title, rels in group_relations(ix, eid):
        if not rels:
            continue
        rows = "".join(_relation_row(ix, eid, r, root) for r in _sort_rows(ix, eid, rels))
        parts.append(
            f'<section class="{"rels long" if len(rels) > LONG_SECTION else "rels"}"><h2>{h(title)} '
            f"<small>{len(rels)}</small></h2><ul>{rows}</ul></section>\n"
        )
    if e.type in DERIVED_MEASURES:
        derived = derived_measures(ix, eid)
        if derived:
            measures = []
            for mid, actors, evs in derived:
                by = "、".join(_entity_link(ix, a, root) for a in actors[:ACTORS_SHOWN])
                if len(actors) > ACTORS_SHOWN:
                    by += f' <span class="more">and {len(actors) - ACTORS_SHOWN} more 等</span>'
                measures.append(
                    f'<li class="rel">{_entity_link(ix, mid, root)} <span class="pred">by 由</span> {by}'
                    f"{_evidence_items(ix, evs)}</li>"
                )
            parts.append(
                '<section class="rels"><h2>Measures 相关措施 <small>taken in the same articles by the '
                f"places and organizations that target it · {len(derived)}</small></h2>"
                f"<ul>{''.join(measures)}</ul></section>\n"
            )
    if arts:
        items = []
        for aid in arts:
            a = ix.article(aid)
            if a is None:
                continue
            headline = display_text(a.headline) if a.headline else aid
            meta = " · ".join(x for x in (a.date or "", a.publisher or "", a.source, f"#{a.index}") if x)
            cite = f"<cite>{h(headline)}</cite>"
            if aid in ix.article_pages:
                cite = f'<a href="{h(root + ix.article_pages[aid])}">{cite}</a>'
            when = f' data-date="{h(ix.date_of(aid))}"' if ix.date_of(aid) else ""
            items.append(f'<li data-article="{h(aid)}"{when}>{cite} <span class="meta">{h(meta)}</span></li>')
        parts.append(
            f'<section class="articles"><h2>Articles 文章 <small>{len(items)}</small></h2>'
            f'<ul class="articles">{"".join(items)}</ul></section>\n'
        )
    parts.append("</div>\n</main>")
    return page.render(
        f"{h(e.name)} ({h(e.type)})",
        "".join(parts),
        root=root,
        scripts=("assets/vis-network.min.js", "assets/tables.js", "assets/views.js"),
        styles=("assets/vis-network.min.css",),
        data=data,
        page_class="network-page focus-page",
    )
