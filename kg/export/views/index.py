"""index.html: the entry page. Counts, tables of the main types, two heat maps, a search box.

Every name links to its focused view. The matrices answer "which places run which
campaign" and "which places watch which industry" at a glance; a cell's shade is
the number of evidence sentences, its tooltip the first of them.
"""

from __future__ import annotations

from kg.export.views import page
from kg.export.views.data import PREDICATE_STYLE, TYPE_STYLE, ViewIndex, type_rank
from kg.export.views.escape import display_text, h
from kg.model import ENTITY_TYPES, PREDICATES

#: Types whose table is open on the index (the others fold away).
MAIN_TYPES = ("Place", "Campaign", "Industry", "Mechanism")

#: Matrix size limits (rows × columns), the most active first; a note says when cut.
MATRIX_ROWS = 40
MATRIX_COLS = 30
HEAT_LEVELS = 5


def _glyph(type_: str) -> str:
    return f'<span class="glyph t{type_rank(type_)}">{h(TYPE_STYLE.get(type_, ("", "", "", "●"))[3])}</span>'


def _link(ix: ViewIndex, eid: str) -> str:
    return f'<a href="{h(ix.pages[eid])}">{h(ix.entity(eid).name)}</a>'


def counts_html(ix: ViewIndex) -> str:
    types: dict[str, int] = {}
    for e in ix.entities:
        types[e.type] = types.get(e.type, 0) + 1
    preds: dict[str, int] = {}
    for r in ix.relations:
        preds[r.p] = preds.get(r.p, 0) + 1
    cards = "".join(
        f'<a class="card" href="#type-{h(t)}">{_glyph(t)}<b>{types.get(t, 0):,}</b>'
        f"<span>{h(t)} {h(TYPE_STYLE[t][0])}</span></a>"
        for t in ENTITY_TYPES
    )
    rel_cards = "".join(
        f'<span class="card"><span class="line p{i}"></span><b>{preds.get(p, 0):,}</b>'
        f"<span>{h(p)} {h(PREDICATE_STYLE[p][0])}</span></span>"
        for i, p in enumerate(PREDICATES)
    )
    return (
        f'<section class="counts"><h2>Entities 实体 <small>{len(ix.entities):,}</small></h2>'
        f'<div class="cards">{cards}</div>'
        f"<h2>Relations 关系 <small>{len(ix.relations):,}</small></h2>"
        f'<div class="cards">{rel_cards}</div>'
        f'<p class="sources">{len(ix.corpus.articles):,} articles from {len(ix.corpus.sources):,} pages. '
        f'<a href="overview.html">Open the overview graph 打开总览图 →</a></p></section>'
    )


def table_html(ix: ViewIndex, type_: str, open_: bool) -> str:
    ids = [e.id for e in ix.entities if e.type == type_]
    ids.sort(key=lambda i: (-len(ix.by_entity[i]), -len(ix.article_ids[i]), ix.entity(i).name))
    rows = []
    for eid in ids:
        e = ix.entity(eid)
        rows.append(
            f'<tr><td>{_link(ix, eid)}</td><td class="aliases">{h("、".join(e.aliases))}</td>'
            f'<td class="num">{len(ix.article_ids[eid])}</td>'
            f'<td class="num">{len(ix.by_entity[eid])}</td></tr>'
        )
    table = (
        '<table class="entities"><thead><tr><th>Name 名称</th><th>Aliases 别名</th>'
        '<th class="num">Articles 文章</th><th class="num">Relations 关系</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    head = f"{_glyph(type_)}{h(type_)} {h(TYPE_STYLE[type_][0])} <small>{len(ids):,}</small>"
    if open_:
        return f'<section class="table" id="type-{h(type_)}"><h2>{head}</h2>{table}</section>'
    return (
        f'<section class="table" id="type-{h(type_)}"><details><summary><h2>{head}</h2></summary>'
        f"{table}</details></section>"
    )


def matrix_html(
    ix: ViewIndex, title: str, predicate: str, row_type: str, col_types: tuple[str, ...], note: str
) -> str:
    """A row_type × col_types heat map of ``predicate``: a cell is the number of evidence sentences."""
    cells: dict[tuple[str, str], tuple[int, str]] = {}
    for r in ix.relations:
        if r.p != predicate or r.s.partition(":")[0] != row_type or r.o.partition(":")[0] not in col_types:
            continue
        first = display_text(r.evidence[0].text) if r.evidence else ""
        cells[(r.s, r.o)] = (max(1, len(r.evidence)), first)
    if not cells:
        return (
            f'<section class="matrix" id="matrix-{h(predicate)}"><h2>{h(title)}</h2>'
            '<p class="empty">No such relations yet.</p></section>'
        )
    row_tot: dict[str, int] = {}
    col_tot: dict[str, int] = {}
    for (s, o), (n, _) in cells.items():
        row_tot[s] = row_tot.get(s, 0) + n
        col_tot[o] = col_tot.get(o, 0) + n
    rows = sorted(row_tot, key=lambda i: (-row_tot[i], ix.entity(i).name))
    cols = sorted(col_tot, key=lambda i: (-col_tot[i], ix.entity(i).name))
    cut = ""
    if len(rows) > MATRIX_ROWS or len(cols) > MATRIX_COLS:
        cut = (
            f'<p class="notice">Showing the {min(len(rows), MATRIX_ROWS)} most active of {len(rows)} '
            f"{h(row_type.lower())} rows and {min(len(cols), MATRIX_COLS)} of {len(cols)} columns.</p>"
        )
    rows, cols = rows[:MATRIX_ROWS], cols[:MATRIX_COLS]
    peak = max(n for (s, o), (n, _) in cells.items() if s in rows and o in cols)
    head = "".join(
        f'<th class="col" scope="col" title="{h(ix.entity(c).name)}"><span>{_link(ix, c)}</span></th>'
        for c in cols
    )
    body = []
    for rid in rows:
        tds = []
        rname = ix.entity(rid).name
        for cid in cols:
            if (rid, cid) not in cells:
                tds.append('<td class="h0"></td>')
                continue
            n, first = cells[(rid, cid)]
            level = max(1, -(-n * HEAT_LEVELS // peak))
            tip = f"{rname} × {ix.entity(cid).name}: {n} sentence{'s' if n != 1 else ''} — {first}"
            tds.append(f'<td class="h{level}" title="{h(tip)}">{n}</td>')
        body.append(f'<tr><th scope="row">{_link(ix, rid)}</th>{"".join(tds)}</tr>')
    return (
        f'<section class="matrix" id="matrix-{h(predicate)}"><h2>{h(title)}</h2>'
        f'<p class="note">{h(note)}</p>{cut}'
        f'<div class="scroll"><table class="heat"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


def search_data(ix: ViewIndex) -> dict[str, object]:
    return {
        "types": [{"name": t, "label": TYPE_STYLE[t][0], "glyph": TYPE_STYLE[t][3]} for t in ENTITY_TYPES],
        "entries": [
            [e.name, list(e.aliases), type_rank(e.type), ix.pages[e.id], len(ix.by_entity[e.id])]
            for e in ix.entities
        ],
    }


def render_index(ix: ViewIndex) -> str:
    """index.html."""
    search = (
        '<section class="search-box"><form id="index-search" autocomplete="off" role="search">'
        '<input type="search" id="q" placeholder="Search names and aliases 搜索名称或别名 (e.g. 长子县)"'
        ' aria-label="Search names and aliases"></form>'
        '<ol id="results" class="results"></ol></section>'
    )
    tables = [table_html(ix, t, True) for t in MAIN_TYPES]
    tables += [table_html(ix, t, False) for t in ENTITY_TYPES if t not in MAIN_TYPES]
    matrices = [
        matrix_html(
            ix,
            "Places × campaigns 地点 × 行动",
            "implements",
            "Place",
            ("Campaign",),
            "A cell: the place implements the campaign; the number is how many sentences say so.",
        ),
        matrix_html(
            ix,
            "Places × industries 地点 × 重点行业",
            "targets",
            "Place",
            ("Industry",),
            "A cell: the place targets the industry (checks, rectification, focus); the number is how "
            "many sentences say so.",
        ),
    ]
    body = (
        '<main class="index">\n<h1>安全生产知识图谱 <small>Work-safety knowledge graph</small></h1>\n'
        f"{search}\n{counts_html(ix)}\n{''.join(matrices)}\n{''.join(tables)}\n</main>"
    )
    return page.render(
        "Index 索引",
        body,
        root="",
        scripts=("assets/index.js",),
        data=search_data(ix),
        page_class="index-page",
    )
