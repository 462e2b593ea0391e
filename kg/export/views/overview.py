"""The overview: every entity in one network, or its most connected part above a limit.

A browser lays out a few thousand nodes in seconds but not tens of thousands; above
``max_nodes`` the overview keeps the most connected entities (ties broken by type
and name, so the choice is stable) and says so on the page with the counts. The
side panel still lists every relation of a drawn node, and every entity keeps
its focused view. The search still finds every entity: the names of those not drawn are read
from the index's data files (``index/<type>.js``, loaded once the search is used), so the page
does not carry a table of the whole corpus. Beside the full graph, ready-made views
(:data:`PRESETS`) show two types and the predicate between them, laid out by
``assets/views.js`` in two columns.
"""

from __future__ import annotations

from typing import Any

from kg.export.views import page
from kg.export.views.data import ViewIndex
from kg.export.views.index import data_path
from kg.export.views.network import network_payload, network_section_html
from kg.model import ENTITY_TYPES, PREDICATES

#: Ready-made views beside the full graph: (key, label, the two types, the predicate between).
PRESETS = (
    ("campaign", "Places × campaigns 地点 × 行动", ("Place", "Campaign"), "implements"),
    ("industry", "Places × industries 地点 × 重点行业", ("Place", "Industry"), "targets"),
)


def presets() -> list[dict[str, Any]]:
    """The full graph and the ready-made views, as views.js applies them (type and predicate
    indices: only those types, only that predicate, nodes without such an edge hidden, laid out
    in two columns)."""
    out: list[dict[str, Any]] = [{"key": "all", "label": "Full graph 全图"}]
    for key, label, types, predicate in PRESETS:
        out.append(
            {
                "key": key,
                "label": label,
                "types": [ENTITY_TYPES.index(t) for t in types],
                "preds": [PREDICATES.index(predicate)],
            }
        )
    return out


def choose_nodes(ix: ViewIndex, max_nodes: int) -> list[str]:
    """The drawn entity ids: all of them, or the ``max_nodes`` most connected."""
    if len(ix.entities) <= max_nodes:
        return [e.id for e in ix.entities]
    return ix.by_degree()[:max_nodes]


def overview_notice(ix: ViewIndex, shown: list[str]) -> str | None:
    """The visible notice when the overview is cut, with the counts."""
    total = len(ix.entities)
    if len(shown) >= total:
        return None
    shown_set = set(shown)
    edges = len(ix.relations_among(shown_set))
    return (
        f"Large graph: showing the {len(shown):,} most connected of {total:,} entities "
        f"({edges:,} of {len(ix.relations):,} relations). Search finds every entity; the index "
        f"and the focused views cover the rest. 图谱较大：仅显示连接最多的 {len(shown):,} 个实体"
        f"（共 {total:,} 个）。"
    )


def render_overview(ix: ViewIndex, *, max_nodes: int, embed_search: bool = False) -> str:
    """overview.html. Cut, its search finds what is not drawn in the index's data files
    (index.html's tables, next to it); with ``embed_search`` (a page on its own: a notebook's)
    the page carries every entity's name and aliases instead (:func:`search_entries`)."""
    shown = choose_nodes(ix, max_nodes)
    notice = overview_notice(ix, shown)
    data = network_payload(ix, shown, root="", mode="overview", panel_all_relations=True)
    data["search"] = search_entries(ix) if notice and embed_search else None
    data["searchSrc"] = [[t, data_path(t)] for t in ENTITY_TYPES] if notice and not embed_search else None
    data["presets"] = presets()
    body = (
        '<main class="overview">\n'
        f"<h1>Overview graph 总览图 <small>{len(ix.entities):,} entities · "
        f"{len(ix.relations):,} relations</small></h1>\n"
        f"{network_section_html(ix, shown, notice=notice, presets=data['presets'], cities=data['cities'])}"
        "\n</main>"
    )
    return page.render(
        "Overview 总览图",
        body,
        root="",
        scripts=("assets/vis-network.min.js", "assets/views.js"),
        styles=("assets/vis-network.min.css",),
        data=data,
        page_class="network-page overview-page",
    )


def search_entries(ix: ViewIndex) -> list[list[object]]:
    """Every entity's name, aliases and page, for searching what the overview does not draw."""
    return [[e.name, list(e.aliases), ix.pages[e.id]] for e in ix.entities]
