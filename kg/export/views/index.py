"""index.html: the entry page. Counts, a timeline, heat maps, tables of every type, a search box.

The page stays small whatever the corpus (100,000 entities and more): each type's table holds
its first ``PAGE_ROWS`` rows in the HTML, and all of its rows are in a data file
``index/<type>.js`` that assets/index.js loads (a script element: ``fetch`` of a local file is
blocked on file://) when the table is shown, then pages through, sorts, filters by city or by
a name, and downloads as CSV; the search box loads every type's file and searches all names
and aliases. The heat maps keep their most active rows and columns (``MATRIX_ROWS`` ×
``MATRIX_COLS``) with a notice.

Every name links to its focused view. The heat maps answer "which places run which
campaign", "which places watch which industry, venue or hazard", "which adopt which
mechanism, take which measure" at a glance; a cell's shade is the number of evidence
sentences, its tooltip the first of them and its number a link to that sentence in its
article. One filter by city, one by date range and one switch that rolls places up into their
city (the city, its counties, towns and their bodies) act on all of them; tables and heat maps
sort by any column and download as CSV (assets/tables.js). The timeline counts the entities
named per month by type; a click on a month keeps it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg.export.views import page
from kg.export.views.data import PREDICATE_STYLE, TYPE_STYLE, ViewIndex, entity_filename, type_rank
from kg.export.views.escape import display_text, h, json_for_script
from kg.export.views.network import date_inputs_html
from kg.export.views.timeline import index_months, timeline_html
from kg.model import ENTITY_TYPES, PREDICATES, Relation

#: Types whose table is open on the index (the others fold away).
MAIN_TYPES = ("Place", "Campaign", "Industry", "Mechanism")

#: Matrix size limits (rows × columns), the most active first; a note says when cut.
MATRIX_ROWS = 40
MATRIX_COLS = 40
HEAT_LEVELS = 5
#: A rolled-up cell's tooltip names at most this many of the places behind it.
TIP_NAMES = 8

#: Rows of a table per page (the first page is in the HTML, the rest in its data file).
PAGE_ROWS = 50
#: The folder of the tables' data files (index/<type>.js, one per type).
DATA_DIR = "index"


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


def _sort_button(label: str, key: str, col: int, *, numeric: bool) -> str:
    """A header button that sorts the table's rows by one column (assets/tables.js)."""
    kind = "num" if numeric else "text"
    return (
        f'<button type="button" class="sort" data-col="{col}" data-kind="{kind}" data-key="{h(key)}"'
        f' title="Sort by {h(key)} 排序">{label}</button>'
    )


def _th(key: str, label: str, col: int, cls: str = "") -> str:
    """A sortable header cell; ``key`` is the column's name in the CSV. Numbers (class ``num``,
    ``total``) sort largest first."""
    numeric = cls in ("num", "total")
    attr = f' class="{cls}"' if cls else ""
    return f'<th{attr} data-csv="{h(key)}">{_sort_button(label, key, col, numeric=numeric)}</th>'


def _csv_button(name: str, type_: str = "") -> str:
    """A CSV download button; with ``type_``, of that type's whole table (assets/index.js)."""
    table = f' data-table="{h(type_)}"' if type_ else ""
    return (
        f'<button type="button" class="csv" data-csv="{h(name)}"{table} title="Download this table as CSV '
        '下载 CSV">CSV ⤓</button>'
    )


def _type_slug(type_: str) -> str:
    """The ASCII stem of a type's files: ``place`` (as in entity/place-<hash>.html)."""
    return entity_filename(type_ + ":").partition("-")[0]


def data_path(type_: str) -> str:
    """The data file of a type's table, relative to index.html: ``index/place.js``."""
    return f"{DATA_DIR}/{_type_slug(type_)}.js"


def index_cities(ix: ViewIndex) -> list[str]:
    """The prefecture-level cities any place or organization lies in (a city in itself), in
    display order: the choices of the city filter, which the heat maps and tables refer to by
    position."""
    return sorted({c for cs in ix.cities_of.values() for c in cs}, key=ix.order.__getitem__)


def table_ids(ix: ViewIndex) -> dict[str, list[str]]:
    """Each type's entities in its table's first order: most relations, most articles, name
    (one pass over the entities, which are in type and name order already)."""
    by_type: dict[str, list[str]] = {t: [] for t in ENTITY_TYPES}
    for eid in ix.order:
        by_type.setdefault(eid.partition(":")[0], []).append(eid)
    for ids in by_type.values():
        ids.sort(key=lambda i: (-len(ix.by_entity[i]), -len(ix.article_ids[i])))  # stable: by name next
    return by_type


def table_rows(ix: ViewIndex, ids: list[str], cities: list[str]) -> list[list[Any]]:
    """A table as data: [name, aliases, articles, relations, page hash, city positions] per
    entity of ``ids`` (the page is ``entity/<type>-<hash>.html``)."""
    at = {c: i for i, c in enumerate(cities)}
    rows: list[list[Any]] = []
    for eid in ids:
        e = ix.entity(eid)
        digest = ix.pages[eid].rsplit("-", 1)[1].removesuffix(".html")
        rows.append(
            [
                e.name,
                list(e.aliases),
                len(ix.article_ids[eid]),
                len(ix.by_entity[eid]),
                digest,
                [at[c] for c in ix.cities_of.get(eid, ()) if c in at],
            ]
        )
    return rows


def data_file(ix: ViewIndex, type_: str, ids: list[str], cities: list[str]) -> str:
    """``index/<type>.js``: a script that hands the table's rows to assets/index.js. The rows
    are JSON with ``<``, ``>``, ``&``, U+2028/9 escaped (:func:`json_for_script`): article text
    is data here, never markup or code."""
    prefix = f"entity/{_type_slug(type_)}-"
    payload = json_for_script([type_, prefix, table_rows(ix, ids, cities)])
    head = f"/* safety-kg: the rows of index.html's table of {type_} (assets/index.js) */"
    return f"{head}\nkgIndex.put({payload});\n"


def index_data_files(ix: ViewIndex) -> Iterator[tuple[str, str]]:
    """Every table's data file as (relative path, text), one type at a time: the caller writes
    each before the next is made, so no more than one type's rows are held."""
    cities = index_cities(ix)
    by_type = table_ids(ix)
    for t in ENTITY_TYPES:
        yield data_path(t), data_file(ix, t, by_type[t], cities)


def _row_html(ix: ViewIndex, eid: str) -> str:
    e = ix.entity(eid)
    return (
        f'<tr><td>{_link(ix, eid)}</td><td class="aliases">{h("、".join(e.aliases))}</td>'
        f'<td class="num">{len(ix.article_ids[eid])}</td>'
        f'<td class="num">{len(ix.by_entity[eid])}</td></tr>'
    )


def table_html(ix: ViewIndex, type_: str, ids: list[str], open_: bool) -> str:
    """A type's table (``ids`` in :func:`table_ids` order): its first ``PAGE_ROWS`` rows, a
    pager, a filter by name and a CSV button; assets/index.js loads the rest from
    :func:`data_path` and pages, sorts and filters it."""
    rows = "".join(_row_html(ix, eid) for eid in ids[:PAGE_ROWS])
    name = type_.lower() + "s"
    shown = f"1–{min(len(ids), PAGE_ROWS):,} of {len(ids):,}" if ids else "0"
    pager = (
        f'<span class="pager" data-type="{h(type_)}">'
        '<button type="button" class="page-prev" disabled title="Previous page 上一页">‹</button> '
        f'<span class="pos">{shown}</span> '
        '<button type="button" class="page-next" disabled title="Next page 下一页">›</button></span>'
    )
    tools = (
        f'<div class="table-tools">{_csv_button(name, type_)} '
        f'<input type="search" class="table-filter" data-type="{h(type_)}" placeholder="Filter 筛选"'
        f' aria-label="Filter the {h(type_)} table by name or alias"> {pager}</div>'
    )
    table = (
        f'{tools}<table class="entities paged" data-type="{h(type_)}" data-name="{h(name)}"'
        f' data-src="{h(data_path(type_))}" data-total="{len(ids)}"><thead><tr>'
        f"{_th('name', 'Name 名称', 0)}{_th('aliases', 'Aliases 别名', 1)}"
        f"{_th('articles', 'Articles 文章', 2, 'num')}{_th('relations', 'Relations 关系', 3, 'num')}"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    if len(ids) > PAGE_ROWS:  # the same pager under a full page
        table += f'<div class="table-tools pager-end">{pager}</div>'
    head = f"{_glyph(type_)}{h(type_)} {h(TYPE_STYLE[type_][0])} <small>{len(ids):,}</small>"
    if open_:
        return f'<section class="table" id="type-{h(type_)}"><h2>{head}</h2>{table}</section>'
    return (
        f'<section class="table" id="type-{h(type_)}"><details><summary><h2>{head}</h2></summary>'
        f"{table}</details></section>"
    )


@dataclass(frozen=True)
class Matrix:
    """One heat map of the index: places (rows) × entities of ``col_type`` (columns) by ``predicate``."""

    key: str  # the section's id: matrix-<key>
    title: str
    predicate: str
    col_type: str
    note: str


MATRICES = (
    Matrix("campaign", "Places × campaigns 地点 × 行动", "implements", "Campaign",
           "A cell: the place implements the campaign"),
    Matrix("industry", "Places × industries 地点 × 重点行业", "targets", "Industry",
           "A cell: the place targets the industry (checks, rectification, focus)"),
    Matrix("venue", "Places × venues 地点 × 场所", "targets", "Venue",
           "A cell: the place targets the kind of venue"),
    Matrix("hazard", "Places × hazards 地点 × 灾害事故", "targets", "Hazard",
           "A cell: the place guards against the hazard"),
    Matrix("mechanism", "Places × mechanisms 地点 × 机制", "adopts", "Mechanism",
           "A cell: the place adopts the mechanism"),
    Matrix("measure", "Places × measures 地点 × 措施", "takesMeasure", "Measure",
           "A cell: the place takes the measure"),
)  # fmt: skip


def _cells(
    ix: ViewIndex, predicate: str, col_type: str, actors: dict[str, str]
) -> dict[tuple[str, str], list[Relation]]:
    """(row, column) → the relations behind the cell; ``actors`` maps a subject to its row."""
    cells: dict[tuple[str, str], list[Relation]] = {}
    for r in ix.relations:
        if r.p == predicate and r.o.partition(":")[0] == col_type and r.s in actors:
            cells.setdefault((actors[r.s], r.o), []).append(r)
    return cells


def _sentences(rels: list[Relation]) -> int:
    return sum(max(1, len(r.evidence)) for r in rels)


def _dates_attr(ix: ViewIndex, rels: list[Relation]) -> str:
    """``data-d``: the date of each sentence behind a cell ("-" when it has no full date), what
    the date filter counts (assets/tables.js)."""
    dates: Counter[str] = Counter()
    for r in rels:  # a relation without evidence counts once, as in the cell
        dates.update([ix.date_of(ev.article) or "-" for ev in r.evidence] or ["-"])
    # a date of k > 1 sentences is written once, as "date*k" (a city's cell can hold thousands)
    parts = [d if k == 1 else f"{d}*{k}" for d, k in sorted(dates.items())]
    return f' data-d="{h(" ".join(parts))}"'


def _heat_table(
    ix: ViewIndex,
    m: Matrix,
    cells: dict[tuple[str, str], list[Relation]],
    cities: list[str],
    *,
    rollup: bool,
) -> tuple[str, str]:
    """The table of one heat map and its notice when cut (rows or columns past the limits)."""
    row_tot: dict[str, int] = {}
    col_tot: dict[str, int] = {}
    for (s, o), rels in cells.items():
        n = _sentences(rels)
        row_tot[s] = row_tot.get(s, 0) + n
        col_tot[o] = col_tot.get(o, 0) + n
    rows = sorted(row_tot, key=lambda i: (-row_tot[i], ix.entity(i).name))
    cols = sorted(col_tot, key=lambda i: (-col_tot[i], ix.entity(i).name))
    cut = ""
    if len(rows) > MATRIX_ROWS or len(cols) > MATRIX_COLS:
        what = "cities" if rollup else "places"
        cut = (
            f'<p class="notice">Showing the {min(len(rows), MATRIX_ROWS)} most active of {len(rows)} '
            f"{what} and {min(len(cols), MATRIX_COLS)} of {len(cols)} columns.</p>"
        )
    rows, cols = rows[:MATRIX_ROWS], cols[:MATRIX_COLS]
    peak = max(_sentences(rels) for (s, o), rels in cells.items() if s in rows and o in cols)
    corner = "City 城市" if rollup else "Place 地点"
    key = "city" if rollup else "place"
    head = [_th(key, corner, 0, "corner")]
    for j, c in enumerate(cols, 1):
        name = ix.entity(c).name
        head.append(
            f'<th class="col" scope="col"><a class="label" href="{h(ix.pages[c])}">{h(name)}</a>'
            f"{_sort_button('▾', name, j, numeric=True)}</th>"
        )
    head.append(
        f'<th class="total" data-csv="total">{_sort_button("Σ", "total", len(cols) + 1, numeric=True)}</th>'
    )
    city_index = {c: i for i, c in enumerate(cities)}
    body = []
    for rid in rows:
        tds = []
        rname = ix.entity(rid).name
        for cid in cols:
            cell = cells.get((rid, cid))
            if not cell:
                tds.append('<td class="h0"></td>')
                continue
            n = _sentences(cell)
            level = max(1, -(-n * HEAT_LEVELS // peak))
            first_ev = next((r.evidence[0] for r in cell if r.evidence), None)
            first = display_text(first_ev.text) if first_ev else ""
            by = ""
            if rollup:
                names = [ix.entity(r.s).name for r in cell[:TIP_NAMES]]
                if len(cell) > TIP_NAMES:
                    names.append(f"… {len(cell) - TIP_NAMES} more")
                by = " (" + "、".join(names) + ")"
            tip = f"{rname} × {ix.entity(cid).name}{by}: {n} sentence{'s' if n != 1 else ''} — {first}"
            href = ix.evidence_href(first_ev) if first_ev else None
            value = f'<a class="evl" href="{h(href)}">{n}</a>' if href else str(n)
            tds.append(f'<td class="h{level}" title="{h(tip)}"{_dates_attr(ix, cell)}>{value}</td>')
        in_cities = [rid] if rollup else ix.cities_of.get(rid, [])
        attr = " ".join(str(city_index[c]) for c in in_cities if c in city_index)
        label = _link(ix, rid)
        if rollup:
            n = len(ix.within.get(rid, ()))
            label += f' <small class="incl" title="and the {n} places and bodies within it">+{n}</small>'
        body.append(
            f'<tr data-cities="{attr}"><th scope="row">{label}</th>{"".join(tds)}'
            f'<td class="total">{row_tot[rid]}</td></tr>'
        )
    kind = "cities" if rollup else "places"
    table = (
        f'<div class="scroll"><table class="heat sortable" data-name="{h(kind)}-{h(m.key)}">'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
    return table, cut


def matrix_html(ix: ViewIndex, m: Matrix, cities: list[str]) -> str:
    """A heat map of ``m.predicate``: places × ``m.col_type``, a cell is the number of evidence
    sentences; and the same rolled up into cities (a city with everything within it)."""
    places = {eid: eid for eid in ix.order if eid.startswith("Place:")}
    cells = _cells(ix, m.predicate, m.col_type, places)
    section = f'<section class="matrix" id="matrix-{h(m.key)}"><h3>{h(m.title)}</h3>'
    if not cells:
        return f'{section}<p class="empty">No such relations yet.</p></section>'
    table, cut = _heat_table(ix, m, cells, cities, rollup=False)
    members = {x: c for c in cities for x in (c, *ix.within.get(c, ()))}
    up_cells = _cells(ix, m.predicate, m.col_type, members)
    up = ""
    if up_cells:
        up_table, up_cut = _heat_table(ix, m, up_cells, cities, rollup=True)
        up = f'<div class="view-rollup" hidden>{up_cut}{up_table}</div>'
    note = f"{m.note}; the number is how many sentences say so. Σ: the row's total (also of columns cut)."
    return (
        f'{section}<p class="note">{h(note)}</p>'
        f'<div class="table-tools">{_csv_button(m.key)}</div>'
        f'<div class="view-places">{cut}{table}</div>{up}</section>'
    )


def heatmaps_html(ix: ViewIndex) -> str:
    """Every heat map, with one filter by city and one roll-up switch for all of them (the
    filter acts on the Place and Organization tables too)."""
    cities = index_cities(ix)
    options = "".join(f'<option value="{i}">{h(ix.entity(c).name)}</option>' for i, c in enumerate(cities))
    links = " · ".join(f'<a href="#matrix-{h(m.key)}">{h(m.title.split(" ")[-1])}</a>' for m in MATRICES)
    return (
        '<section class="heatmaps" id="heatmaps"><h2>Heat maps 热力图</h2>'
        f'<p class="heat-nav">{links}</p>'
        '<form class="heat-tools" id="heat-tools" autocomplete="off">'
        '<label>City 城市 <select id="city-filter"><option value="">All 全部</option>'
        f"{options}</select></label> "
        '<label><input type="checkbox" id="rollup"> Roll places up into their city 区县汇总到市 '
        "<small>(a city row counts the city, its counties, towns and their bodies)</small></label>"
        f'<span class="dates">{date_inputs_html(ix)}</span>'
        "</form>"
        # filled by assets/index.js when a city is chosen and a heat map is cut to its top rows
        '<p class="note" id="city-note" hidden></p>'
        f"{''.join(matrix_html(ix, m, cities) for m in MATRICES)}</section>"
    )


def index_data(ix: ViewIndex) -> dict[str, object]:
    """The page's JSON block: the types (with their data files), the cities of the filter (and
    their views) and the page size. The rows themselves are in the data files (:func:`index_data_files`)."""
    counts = Counter(eid.partition(":")[0] for eid in ix.order)
    cities = index_cities(ix)
    return {
        "types": [
            {
                "name": t,
                "label": TYPE_STYLE[t][0],
                "glyph": TYPE_STYLE[t][3],
                "src": data_path(t),
                "count": counts.get(t, 0),
            }
            for t in ENTITY_TYPES
        ],
        "cities": [ix.entity(c).name for c in cities],
        "cityPages": [ix.pages[c] for c in cities],
        "page": PAGE_ROWS,
    }


def render_index(ix: ViewIndex) -> str:
    """index.html (its tables' rows are in :func:`index_data_files`)."""
    search = (
        '<section class="search-box"><form id="index-search" autocomplete="off" role="search">'
        '<input type="search" id="q" placeholder="Search names and aliases 搜索名称或别名 (e.g. 长子县)"'
        ' aria-label="Search names and aliases"></form>'
        '<p id="search-state" class="note" hidden></p><ol id="results" class="results"></ol></section>'
    )
    by_type = table_ids(ix)
    tables = [table_html(ix, t, by_type[t], True) for t in MAIN_TYPES]
    tables += [table_html(ix, t, by_type[t], False) for t in ENTITY_TYPES if t not in MAIN_TYPES]
    months, undated = index_months(ix)
    timeline = timeline_html(
        months,
        undated,
        what="Entities named",
        unit="articles",
        empty="No article has a full date yet: give kg build --date or a manifest. 暂无完整日期。",
    )
    body = (
        '<main class="index">\n<h1>安全生产知识图谱 <small>Work-safety knowledge graph</small></h1>\n'
        f"{search}\n{counts_html(ix)}\n{timeline}\n{heatmaps_html(ix)}\n{''.join(tables)}\n"
        '<p class="note"><a href="resolve.html">Open an IRI from a query result '
        "打开查询结果中的 IRI →</a></p>\n</main>"
    )
    return page.render(
        "Index 索引",
        body,
        root="",
        scripts=("assets/tables.js", "assets/index.js"),
        data=index_data(ix),
        page_class="index-page",
    )
