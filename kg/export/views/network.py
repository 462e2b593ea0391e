"""The interactive network of a view: pyvis builds the vis-network nodes, edges and options.

pyvis gives the data structures and the physics configuration; the page around
it is ours (see :mod:`kg.export.views.page`), so no CDN, no Bootstrap and no pyvis
template are involved. Nodes are numbered by their position in the payload's
entity table, which the side panel (``assets/views.js``) also reads: type,
aliases, articles, and every relation with its evidence sentences and headlines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from kg.export.views.data import PREDICATE_STYLE, TYPE_STYLE, ViewIndex, predicate_rank, type_rank
from kg.export.views.escape import display_text
from kg.model import ENTITY_TYPES, PREDICATES, Relation

#: Above this many nodes the page switches to the cheap settings: straight edges, a
#: coarser physics tree, small nodes, edges hidden while dragging or zooming.
LARGE = 300

#: Up to this many nodes vis-network places them itself (its "improved layout",
#: Kamada-Kawai); above it they start from :func:`kg.export.views.positions.initial_positions`.
PRELAID = 100

#: Articles listed per entity in a payload (the count says how many there are).
ARTICLES_PER_ENTITY = 50

LABEL_CHARS = 14

#: On-screen font size (px) from which vis-network draws the node labels itself.
LABEL_THRESHOLD = 12


def short_label(name: str) -> str:
    """A node label: long names (document titles) cut, the full name is in the panel."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def node_size(degree: int, large: bool = False) -> float:
    """Size by degree, sub-linear so hubs do not swallow the picture (smaller in big graphs)."""
    if large:
        return round(min(30.0, 5.0 + 2.0 * math.sqrt(degree)), 1)
    return round(min(48.0, 9.0 + 4.0 * math.sqrt(degree)), 1)


def _size(degree: int, in_focus_view: bool, large: bool) -> float:
    # in a focused view the centre stays the biggest node whatever its neighbours' degrees
    return min(20.0, node_size(degree, large)) if in_focus_view else node_size(degree, large)


def stabilization_iterations(n: int) -> int:
    """Physics iterations before the layout freezes: fewer for bigger graphs.

    Each iteration costs O(n log n) in the browser; above ``PRELAID`` nodes the
    start is already laid out, and the physics only relaxes it.
    """
    if n <= PRELAID:
        return 600
    return max(40, min(200, int(60_000 / n)))


@cache
def _pyvis_options(large: bool) -> str:
    """pyvis's barnes-hut options as JSON (built once per process: pyvis is slow to ask)."""
    from pyvis.network import Network

    net = Network(directed=True)
    net.barnes_hut(
        gravity=-6000 if large else -4000,
        central_gravity=0.35 if large else 0.3,
        spring_length=110 if large else 140,
        spring_strength=0.03,
        damping=0.35 if large else 0.25,
        overlap=0,
    )
    return str(net.options.to_json())


def vis_options(n: int) -> dict[str, Any]:
    """The vis-network options, starting from pyvis's barnes-hut configuration."""
    import json

    large = n > LARGE
    opts: dict[str, Any] = json.loads(_pyvis_options(large))
    opts.pop("configure", None)
    physics = opts["physics"]
    physics["solver"] = "barnesHut"
    physics["minVelocity"] = 1.0
    if large:  # a coarser Barnes-Hut tree: half the cost per iteration (the start is laid out already)
        physics["barnesHut"]["theta"] = 0.9
    physics["stabilization"] = {
        "enabled": True,
        "iterations": stabilization_iterations(n),
        "updateInterval": 10,
        "fit": True,
        "onlyDynamicEdges": False,
    }
    opts["edges"] = {
        "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
        "color": {"inherit": False},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "font": {"size": 11, "color": "#555", "strokeWidth": 3, "align": "middle"},
        "selectionWidth": 2,
    }
    opts["nodes"] = {
        "font": {
            "size": 14,
            "face": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif",
            "color": "#222",
            "strokeWidth": 3,
            "strokeColor": "#ffffff",
        },
        "borderWidth": 1,
        # vis-network draws every label once zoomed in far enough to read it (14 px × zoom ≥ 11);
        # below that, views.js labels the most connected nodes at a fixed size on screen
        "scaling": {"label": {"drawThreshold": LABEL_THRESHOLD}},
    }
    opts["interaction"] = {
        "hover": not large,
        "tooltipDelay": 250,
        "hideEdgesOnDrag": large,
        "hideEdgesOnZoom": large,
        "multiselect": False,
        "navigationButtons": False,
        "keyboard": False,
    }
    # node colour and shape per type: one "group" each instead of a colour object per node
    opts["groups"] = {
        f"t{i}": {
            "shape": TYPE_STYLE[t][2],
            "color": {
                "background": TYPE_STYLE[t][1],
                "border": TYPE_STYLE[t][1],
                "highlight": {"background": TYPE_STYLE[t][1], "border": "#000000"},
                "hover": {"background": TYPE_STYLE[t][1], "border": "#000000"},
            },
        }
        for i, t in enumerate(ENTITY_TYPES)
    }
    # a fixed seed: the same page lays out the same way every time it is opened
    opts["layout"] = {"randomSeed": 20240601, "improvedLayout": n <= PRELAID}
    return opts


def network_payload(
    ix: ViewIndex,
    node_ids: Iterable[str],
    *,
    root: str,
    mode: str,
    focus: str | None = None,
    panel_all_relations: bool = True,
    evidence_limit: int = 3,
) -> dict[str, Any]:
    """The JSON the network page's script reads.

    ``node_ids`` are drawn; relations between them are edges. With
    ``panel_all_relations`` the side panel also knows a node's relations to entities
    that are not drawn (the overview above its size limit).
    """
    from pyvis.edge import Edge
    from pyvis.node import Node

    order = ix.order
    shown = sorted(set(node_ids), key=order.__getitem__)
    shown_set = set(shown)
    edges_rel = ix.relations_among(shown_set)
    if panel_all_relations:
        seen: set[tuple[str, str, str]] = set()
        panel_rel: list[Relation] = []
        for eid in shown:
            for r in ix.by_entity[eid]:
                if r.key not in seen:
                    seen.add(r.key)
                    panel_rel.append(r)
        panel_rel.sort(key=lambda r: r.key)
    else:
        panel_rel = edges_rel
    others = sorted({x for r in panel_rel for x in (r.s, r.o)} - shown_set, key=order.__getitem__)
    table = shown + others
    local = {eid: i for i, eid in enumerate(table)}

    articles: list[list[str]] = []
    art_index: dict[str, int] = {}

    def art(aid: str) -> int:
        if aid not in art_index:
            a = ix.article(aid)
            headline = display_text(a.headline) if a is not None and a.headline else ""
            art_index[aid] = len(articles)
            articles.append(
                [
                    aid,
                    headline,
                    (a.date or "") if a else "",
                    a.source if a else "",
                    ix.article_pages.get(aid, ""),
                ]
            )
        return art_index[aid]

    found = {c for x in table for c in ix.cities_of.get(x, ())}
    cities = sorted(found, key=order.__getitem__)  # the cities its places lie in, in display order
    city_index = {c: i for i, c in enumerate(cities)}
    entities: list[list[Any]] = []
    for eid in table:
        e = ix.entity(eid)
        arts = ix.article_ids.get(eid, [])
        # articles are listed for drawn entities (in a focused view: for its entity only)
        wanted = eid in shown_set and (focus is None or eid == focus)
        listed = [art(a) for a in arts[:ARTICLES_PER_ENTITY]] if wanted else []
        entities.append(
            [
                e.name,
                type_rank(e.type),
                ix.pages.get(eid, ""),
                list(e.aliases),
                listed,
                len(arts),
                len(ix.by_entity.get(eid, [])),
                ix.dates_of(eid),  # its articles' full dates
                [city_index[c] for c in ix.cities_of.get(eid, ()) if c in city_index],  # its cities
            ]
        )

    relations: list[list[Any]] = []
    for r in panel_rel:
        evs = [
            [display_text(ev.text), art(ev.article), ev.start, ev.end] for ev in r.evidence[:evidence_limit]
        ]
        # the full dates of all its sentences, for the date filter
        dates = ix.relation_dates(r)
        relations.append([local[r.s], predicate_rank(r.p), local[r.o], len(r.evidence), evs, dates])

    # pyvis's add_node/add_edge look every id up in a list (3 s for 5,000 nodes and
    # 15,000 edges), and a Network costs a millisecond to make and more to ask for its data
    # (it serializes its options, which vis_options has already): its Node/Edge records are
    # built directly into the lists it would hold
    large = len(shown) > LARGE
    positions: list[tuple[float, float]] | None = None
    if len(shown) > PRELAID:
        from kg.export.views.positions import initial_positions

        positions = initial_positions(len(shown), [(local[r.s], local[r.o]) for r in edges_rel])
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for eid in shown:
        e = ix.entity(eid)
        _label, colour, shape, _glyph = TYPE_STYLE.get(e.type, ("", "#999999", "dot", "●"))
        is_focus = eid == focus
        opts: dict[str, Any] = {
            "title": f"{e.name}（{e.type}）",
            "group": f"t{type_rank(e.type)}",
            "size": 30.0 if is_focus else _size(ix.degree.get(eid, 0), focus is not None, large),
            "t": type_rank(e.type),
        }
        if positions is not None:
            opts["x"], opts["y"] = positions[local[eid]]
        if is_focus:
            opts["color"] = {
                "background": colour,
                "border": "#222222",
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            }
            opts["borderWidth"] = 3
            opts["font"] = {"size": 18, "bold": True}
        nodes.append(Node(local[eid], shape, label=short_label(e.name), **opts).options)
    rel_index = {r.key: i for i, r in enumerate(panel_rel)}
    for r in edges_rel:
        _zh, colour = PREDICATE_STYLE.get(r.p, (r.p, "#999999"))
        s_name, o_name = ix.entity(r.s).name, ix.entity(r.o).name
        eopts: dict[str, Any] = {
            "id": rel_index[r.key],
            "color": {"color": colour, "highlight": colour, "opacity": 0.4 if large else 0.8},
            "title": f"{s_name} {r.p} {o_name}",
            "width": round((0.5 if large else 1.0) * (1.0 + min(3.0, math.log2(len(r.evidence) or 1))), 2),
            "p": predicate_rank(r.p),
        }
        edges.append(Edge(local[r.s], local[r.o], directed=True, **eopts).options)

    return {
        "mode": mode,
        "root": root,
        "focus": local[focus] if focus is not None and focus in local else None,
        "types": [
            {"name": t, "label": TYPE_STYLE[t][0], "color": TYPE_STYLE[t][1], "glyph": TYPE_STYLE[t][3]}
            for t in ENTITY_TYPES
        ],
        "predicates": [
            {"name": p, "label": PREDICATE_STYLE[p][0], "color": PREDICATE_STYLE[p][1]} for p in PREDICATES
        ],
        "entities": entities,
        "shown": len(shown),
        # the drawn nodes, most connected first: the order in which views.js labels them
        "hubs": [local[x] for x in ix.by_degree(shown)],
        "relations": relations,
        "articles": articles,
        "cities": [ix.entity(c).name for c in cities],
        "vis": {"nodes": nodes, "edges": edges, "options": vis_options(len(shown))},
    }


def legend_counts(ix: ViewIndex, node_ids: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Drawn nodes per type and drawn edges per predicate (for the filter labels)."""
    shown = set(node_ids)
    types: dict[str, int] = {}
    for eid in node_ids:
        t = ix.entity(eid).type
        types[t] = types.get(t, 0) + 1
    preds: dict[str, int] = {}
    for r in ix.relations_among(shown):
        preds[r.p] = preds.get(r.p, 0) + 1
    return types, preds


def date_range(ix: ViewIndex) -> tuple[str, str]:
    """The first and last full article dates of the corpus ("" when none); found once per
    index (every focused view shows them: a corpus-wide scan per view is quadratic)."""
    if ix.date_bounds is None:
        dates = [d for aid in ix.corpus.articles if (d := ix.date_of(aid))]
        ix.date_bounds = (min(dates), max(dates)) if dates else ("", "")
    return ix.date_bounds


def date_inputs_html(ix: ViewIndex) -> str:
    """From / to date inputs (bounded by the corpus's dates), or a note when no article has a
    full date."""
    from kg.export.views.escape import h

    first, last = date_range(ix)
    if not first:
        return (
            '<span class="note" id="no-dates">No article has a full date: give <code>--date</code> or '
            "a manifest 无完整日期</span>"
        )
    bounds = f'min="{h(first)}" max="{h(last)}"'
    return (
        f'<label>From 从 <input type="date" id="date-from" {bounds}></label> '
        f'<label>to 到 <input type="date" id="date-to" {bounds}></label> '
        '<button type="button" id="date-clear" class="clear">All dates 全部</button>'
    )


def filters_html(ix: ViewIndex, cities: Sequence[str]) -> str:
    """The overview's date range and city filters (``cities``: the payload's, by index)."""
    from kg.export.views.escape import h

    options = "".join(f'<option value="{i}">{h(c)}</option>' for i, c in enumerate(cities))
    return (
        '<fieldset class="legend" id="when"><legend>Date and city 日期与城市</legend>'
        f"{date_inputs_html(ix)} "
        '<label>City 城市 <select id="city-filter"><option value="">All 全部</option>'
        f"{options}</select></label></fieldset>\n"
    )


def network_section_html(
    ix: ViewIndex,
    node_ids: Sequence[str],
    *,
    notice: str | None = None,
    compact: bool = False,
    presets: Sequence[dict[str, Any]] = (),
    cities: Sequence[str] | None = None,
) -> str:
    """Toolbar (search, legend with type and predicate filters, status), canvas and side panel.

    The legend *is* the filter: one checkbox per type (colour and shape) and per
    predicate (edge colour), each with the number drawn. With ``cities`` (the overview), a date
    range and a city filter too.
    """
    from kg.export.views.escape import h

    types, preds = legend_counts(ix, node_ids)
    type_boxes = []
    for i, t in enumerate(ENTITY_TYPES):
        if not types.get(t):
            continue
        zh, _colour, _shape, glyph = TYPE_STYLE[t]
        type_boxes.append(
            f'<label class="chip"><input type="checkbox" checked data-type="{i}">'
            f'<span class="glyph t{i}">{h(glyph)}</span>{h(t)} {h(zh)} <small>{types[t]}</small></label>'
        )
    pred_boxes = []
    for i, p in enumerate(PREDICATES):
        if not preds.get(p):
            continue
        zh, _colour = PREDICATE_STYLE[p]
        pred_boxes.append(
            f'<label class="chip"><input type="checkbox" checked data-pred="{i}">'
            f'<span class="line p{i}"></span>{h(p)} {h(zh)} <small>{preds[p]}</small></label>'
        )
    notice_html = f'<p class="notice" id="notice" role="status">{h(notice)}</p>' if notice else ""
    when_html = filters_html(ix, cities) if cities is not None else ""
    preset_html = ""
    if presets:
        radios = "".join(
            f'<label class="chip"><input type="radio" name="preset" value="{h(p["key"])}"'
            f"{' checked' if i == 0 else ''}>{h(p['label'])}</label>"
            for i, p in enumerate(presets)
        )
        preset_html = f'<fieldset class="legend" id="presets"><legend>Views 视图</legend>{radios}</fieldset>'
        preset_html += "\n"

    return (
        f'<section class="graph{" compact" if compact else ""}">\n'
        '<div class="toolbar">\n'
        '<form class="search" id="search-form" autocomplete="off" role="search">'
        '<span class="combo"><input type="search" id="search" placeholder="Search a name or alias 搜索名称"'
        ' aria-label="Search a name or alias" role="combobox" aria-autocomplete="list"'
        ' aria-expanded="false" aria-controls="suggest">'
        '<ul id="suggest" class="suggest" role="listbox" hidden></ul></span>'
        '<button type="submit">Find 查找</button>'
        '<span id="search-msg" class="msg"></span></form>\n'
        f"{preset_html}"
        f'<fieldset class="legend" id="type-filter"><legend>Types 类型</legend>{"".join(type_boxes)}'
        "</fieldset>\n"
        f'<fieldset class="legend" id="pred-filter"><legend>Relations 关系</legend>{"".join(pred_boxes)}'
        "</fieldset>\n"
        f"{when_html}"
        f"{notice_html}"
        '<p class="status" id="status" role="status">Laying out the graph… 正在布局</p>\n'
        "</div>\n"
        '<div class="stage"><div id="network" class="network" aria-label="network graph"></div>\n'
        '<aside id="panel" class="panel" aria-live="polite">'
        '<p class="hint">Click a node or an edge to see its articles, relations and evidence. '
        "Double-click a node to open its own view.<br>点击节点或连线查看出处与证据；双击节点打开其专页。</p>"
        "</aside></div>\n"
        "</section>"
    )
