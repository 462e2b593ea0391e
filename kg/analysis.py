"""Questions analysts ask of the corpus, answered as pandas DataFrames.

Pure functions over a :class:`~kg.corpus.Corpus` (and its networkx view): what the
notebooks and the library API show. pandas and networkx are imported on use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from kg.corpus import Corpus
from kg.model import ENTITY_TYPES, Entity, Evidence

_ACTOR_PREDICATES = ("implements", "targets", "adopts", "takesMeasure", "organizes", "issues")


def _pd() -> Any:
    import pandas as pd

    return pd


def _name(corpus: Corpus, eid: str) -> str:
    e = corpus.entities.get(eid)
    return e.name if e is not None else eid.split(":", 1)[-1]


def entities_per_type(corpus: Corpus) -> Any:
    """How many entities of each type, in the guidelines' order."""
    counts = Counter(e.type for e in corpus.entities.values())
    return (
        _pd()
        .DataFrame({"type": list(ENTITY_TYPES), "entities": [counts.get(t, 0) for t in ENTITY_TYPES]})
        .set_index("type")
    )


def relations_table(corpus: Corpus) -> Any:
    """Every relation with its first evidence sentence and how much evidence it has."""
    rows = []
    for r in corpus.sorted_relations():
        ev = r.evidence[0] if r.evidence else None
        rows.append(
            {
                "subject": _name(corpus, r.s),
                "predicate": r.p,
                "object": _name(corpus, r.o),
                "evidence": ev.text if ev else "",
                "article": ev.article if ev else "",
                "count": len(r.evidence),
            }
        )
    return _pd().DataFrame(rows, columns=["subject", "predicate", "object", "evidence", "article", "count"])


def profile(corpus: Corpus, name: str, type_: str | None = None) -> dict[str, list[str]]:
    """An entity's relations grouped by predicate: {predicate: [object names]} for what
    it does, and {"<predicate> by": [subject names]} for what is done to it."""
    e = corpus.entity(name, type_)
    if e is None:
        raise KeyError(f"no entity named {name!r}")
    out: dict[str, list[str]] = defaultdict(list)
    for r in corpus.relations_of(e.id):
        if r.s == e.id:
            out[r.p].append(_name(corpus, r.o))
        else:
            out[f"{r.p} by"].append(_name(corpus, r.s))
    return {k: sorted(set(v)) for k, v in sorted(out.items())}


def evidence(corpus: Corpus, subject: str, predicate: str, obj: str) -> list[Evidence]:
    """The sentences behind one relation (by names or aliases)."""
    s = corpus.entity(subject)
    o = corpus.entity(obj)
    if s is None or o is None:
        return []
    r = corpus.relations.get((s.id, predicate, o.id)) or corpus.relations.get((o.id, predicate, s.id))
    return list(r.evidence) if r is not None else []


def places(corpus: Corpus, level: str | None = "county") -> list[Entity]:
    """Place entities of a level (province, prefecture, county; None for all)."""
    return [
        e
        for e in corpus.sorted_entities()
        if e.type == "Place" and (level is None or e.attr("level") == level)
    ]


def matrix(corpus: Corpus, predicate: str, object_type: str, level: str | None = "county") -> Any:
    """Places × objects of a predicate (1 where the place has the relation): e.g.
    measures per county (takesMeasure, Measure) or targets (targets, Industry)."""
    rows = {p.id: p.name for p in places(corpus, level)}
    cols: dict[str, str] = {}
    cells: dict[tuple[str, str], int] = {}
    for r in corpus.sorted_relations():
        o = corpus.entities.get(r.o)
        if r.p != predicate or r.s not in rows or o is None or o.type != object_type:
            continue
        cols[r.o] = o.name
        cells[(r.s, r.o)] = len(r.evidence)
    pd = _pd()
    df = pd.DataFrame(0, index=sorted(rows.values()), columns=sorted(cols.values()), dtype=int)
    for (sid, oid), n in cells.items():
        df.loc[rows[sid], cols[oid]] = n
    return df.loc[(df.sum(axis=1) > 0)] if len(df.columns) else df


def shared_campaigns(corpus: Corpus) -> Any:
    """Campaigns by how many places implement them, most shared first."""
    by_campaign: dict[str, set[str]] = defaultdict(set)
    for r in corpus.relations.values():
        if r.p == "implements" and r.s.startswith("Place:"):
            by_campaign[r.o].add(_name(corpus, r.s))
    rows = [
        {"campaign": _name(corpus, c), "places": len(ps), "implemented by": "、".join(sorted(ps))}
        for c, ps in by_campaign.items()
    ]
    df = _pd().DataFrame(rows, columns=["campaign", "places", "implemented by"])
    return df.sort_values(["places", "campaign"], ascending=[False, True]).reset_index(drop=True)


def campaign_projection(corpus: Corpus) -> Any:
    """Places linked by the campaigns they share: the places' projection of the bipartite
    places–campaigns graph, each edge with ``weight`` (how many campaigns) and ``campaigns``
    (their names, sorted). Every place implementing a campaign is a node, sharing or not."""
    import networkx as nx

    by_campaign: dict[str, set[str]] = defaultdict(set)
    for r in corpus.relations.values():
        if r.p == "implements" and r.s.startswith("Place:"):
            by_campaign[_name(corpus, r.o)].add(_name(corpus, r.s))
    proj: nx.Graph[str] = nx.Graph()
    for campaign, names in sorted(by_campaign.items()):
        proj.add_nodes_from(sorted(names))
        for a, b in combinations(sorted(names), 2):
            if proj.has_edge(a, b):
                proj[a][b]["campaigns"].append(campaign)
                proj[a][b]["weight"] += 1
            else:
                proj.add_edge(a, b, weight=1, campaigns=[campaign])
    return proj


def _text_width(text: str, size: float) -> float:
    """Width in inches of a one-line label: a Chinese character is about an em wide."""
    return sum(size if ord(ch) > 0x2E80 else 0.6 * size for ch in text) / 72.0


def _graph_layout(g: Any, node_size: float, edge_size: float, seed: int) -> dict[Any, tuple[float, float]]:
    """Positions in inches for a small labelled graph: each component laid out on its own and
    scaled until every edge's label fits between its two node boxes and no two boxes touch,
    then the components packed left to right (largest first), so none sits on another's edges."""
    import math

    import networkx as nx

    def box(n: Any) -> float:
        return _text_width(str(n), node_size) + 0.25

    def need(u: Any, v: Any, d: dict[str, Any]) -> float:
        label = max((_text_width(c, edge_size) for c in d.get("campaigns", [])), default=0.0)
        return label + (box(u) + box(v)) / 2 + 0.3

    comps = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(map(str, c))))
    pos: dict[Any, tuple[float, float]] = {}
    x0 = 0.0
    for comp in comps:
        nodes = sorted(comp, key=str)
        sub: nx.Graph[str] = nx.Graph()  # in sorted order: the layout must not depend on insertion order
        sub.add_nodes_from(nodes)
        ends = sorted(tuple(sorted((u, v), key=str)) for u, v in g.subgraph(nodes).edges())
        sub.add_edges_from((u, v, g.edges[u, v]) for u, v in ends)
        if len(nodes) <= 2:
            local = {n: (float(i), 0.0) for i, n in enumerate(nodes)}
        else:
            local = {n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(sub, seed=seed).items()}
        scale = 1.0
        for u, v, d in sub.edges(data=True):
            scale = max(scale, need(u, v, d) / max(math.dist(local[u], local[v]), 1e-6))
        for i, u in enumerate(nodes):
            for v in nodes[i + 1 :]:
                dx = abs(local[u][0] - local[v][0])
                dy = abs(local[u][1] - local[v][1])
                # boxes are wide and short: apart enough along either axis
                apart = max(dx / ((box(u) + box(v)) / 2 + 0.2), dy / 0.55)
                scale = max(scale, 1.0 / max(apart, 1e-6))
        xs = [x for x, _ in local.values()]
        ys = [y for _, y in local.values()]
        for n, (x, y) in local.items():
            pos[n] = (x0 + (x - min(xs)) * scale, (y - (min(ys) + max(ys)) / 2) * scale)
        x0 += (max(xs) - min(xs)) * scale + max(map(box, nodes)) + 0.6
    return pos


def draw_projection(proj: Any, title: str = "", ax: Any = None, isolates: bool = False, seed: int = 1) -> Any:
    """Draw :func:`campaign_projection`: places as labelled boxes, an edge per pair of places
    sharing campaigns (wider for more) labelled with the campaigns' names; places that share
    nothing are left out unless ``isolates``. Returns the Axes."""
    import matplotlib.pyplot as plt
    import networkx as nx

    use_cjk_font()
    node_size, edge_size = 11.0, 8.0
    g = proj if isolates else proj.subgraph([n for n in proj if proj.degree(n)])
    pos = _graph_layout(g, node_size, edge_size, seed)
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    pad_x = max((_text_width(str(n), node_size) for n in pos), default=0.0) / 2 + 0.45
    x_lim = (min(xs) - pad_x, max(xs) + pad_x)
    y_lim = (min(ys) - 0.4, max(ys) + 0.4)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(x_lim[1] - x_lim[0], y_lim[1] - y_lim[0] + 0.5))
        ax.set_position((0.0, 0.0, 1.0, (y_lim[1] - y_lim[0]) / (y_lim[1] - y_lim[0] + 0.5)))
    edges = sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    nx.draw_networkx_edges(
        g,
        pos,
        edgelist=[(u, v) for u, v, _d in edges],
        width=[1.5 + 1.5 * d.get("weight", 1) for _u, _v, d in edges],
        edge_color="#6baed6",
        ax=ax,
    )
    nx.draw_networkx_edge_labels(
        g,
        pos,
        edge_labels={(u, v): "\n".join(d.get("campaigns", [])) for u, v, d in edges},
        font_size=edge_size,
        font_color="#08519c",
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        ax=ax,
    )
    for n, (x, y) in sorted(pos.items(), key=lambda kv: str(kv[0])):
        ax.text(
            x,
            y,
            str(n),
            ha="center",
            va="center",
            fontsize=node_size,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.3", "fc": "#fdd0a2", "ec": "#e6550d"},
        )
    ax.set_xlim(*x_lim)
    ax.set_ylim(*y_lim)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def centrality(corpus: Corpus, types: tuple[str, ...] = ("Place", "Organization"), top: int = 15) -> Any:
    """The most central places and organizations: degree and betweenness in the
    undirected entity graph."""
    import networkx as nx

    from kg.export.networkx import to_networkx

    g: nx.Graph[str] = nx.Graph(to_networkx(corpus))
    betweenness = nx.betweenness_centrality(g, normalized=True)
    rows = [
        {
            "entity": d["name"],
            "type": d["type"],
            "degree": g.degree(n),
            "betweenness": round(betweenness[n], 4),
        }
        for n, d in g.nodes(data=True)
        if d.get("type") in types
    ]
    df = _pd().DataFrame(rows, columns=["entity", "type", "degree", "betweenness"])
    return (
        df.sort_values(["degree", "betweenness", "entity"], ascending=[False, False, True])
        .head(top)
        .reset_index(drop=True)
    )


def targeted_together(corpus: Corpus, object_type: str = "Industry", top: int = 15) -> Any:
    """Pairs of industries (or venues, hazards) the same actor targets, most frequent first."""
    by_actor: dict[str, set[str]] = defaultdict(set)
    for r in corpus.relations.values():
        o = corpus.entities.get(r.o)
        if r.p == "targets" and o is not None and o.type == object_type:
            by_actor[r.s].add(o.name)
    pairs: Counter[tuple[str, str]] = Counter()
    for objs in by_actor.values():
        for a, b in combinations(sorted(objs), 2):
            pairs[(a, b)] += 1
    rows = [{"first": a, "second": b, "actors": n} for (a, b), n in pairs.most_common()]
    df = _pd().DataFrame(rows, columns=["first", "second", "actors"])
    return (
        df.sort_values(["actors", "first", "second"], ascending=[False, True, True])
        .head(top)
        .reset_index(drop=True)
    )


def city_of(corpus: Corpus, e: Entity) -> str | None:
    """The prefecture-level city a place belongs to (from its adcode)."""
    from kg.nlp import gazetteer

    code = e.attr("adcode")
    if not code:
        return None
    gaz = gazetteer.load()
    d = gaz.by_code.get(code)
    pref = gaz.prefecture_of(d) if d is not None else None
    return pref.name if pref is not None else None


def _city_article_ids(corpus: Corpus) -> dict[str, set[str]]:
    """Each city's articles: those that mention the city or one of its places, or state a
    relation of one (an actor the text leaves implicit, such as 全市, is still the city's)."""
    out: dict[str, set[str]] = defaultdict(set)
    cities: dict[str, str | None] = {}
    for e in corpus.entities.values():
        if e.type == "Place":
            cities[e.id] = city_of(corpus, e)
    for eid, refs in corpus.mentions.items():
        city = cities.get(eid)
        if city:
            out[city].update(m.article for m in refs)
    for r in corpus.relations.values():
        city = cities.get(r.s)
        if city:
            out[city].update(ev.article for ev in r.evidence)
    return out


def city_articles(corpus: Corpus) -> Any:
    """How many articles each city has (articles that mention the city or one of its places,
    or state one of their relations): the denominator of per-article comparisons."""
    counts = {c: len(ids) for c, ids in sorted(_city_article_ids(corpus).items())}
    return _pd().Series(counts, name="articles", dtype=int).rename_axis("city")


def by_city(corpus: Corpus, predicate: str, object_type: str | None = None) -> Any:
    """What each city's places (the city and its counties) have for a predicate: one row
    per (city, object) with how many and which places have it, and in how many articles."""
    rows: dict[tuple[str, str], set[str]] = defaultdict(set)
    arts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in corpus.relations.values():
        s = corpus.entities.get(r.s)
        o = corpus.entities.get(r.o)
        if r.p != predicate or s is None or o is None or s.type != "Place":
            continue
        if object_type and o.type != object_type:
            continue
        city = city_of(corpus, s)
        if city:
            rows[(city, o.name)].add(s.name)
            arts[(city, o.name)].update(ev.article for ev in r.evidence)
    data = [
        {
            "city": c,
            "object": o,
            "places": len(ps),
            "articles": len(arts[(c, o)]),
            "which": "、".join(sorted(ps)),
        }
        for (c, o), ps in rows.items()
    ]
    df = _pd().DataFrame(data, columns=["city", "object", "places", "articles", "which"])
    return df.sort_values(["city", "places", "object"], ascending=[True, False, True]).reset_index(drop=True)


def unique_to_city(corpus: Corpus, predicate: str, object_type: str | None = None) -> Any:
    """Objects of a predicate that only one city's places have."""
    df = by_city(corpus, predicate, object_type)
    counts = df.groupby("object")["city"].nunique()
    only = set(counts[counts == 1].index)
    return df[df["object"].isin(only)].reset_index(drop=True)


#: What :func:`city_matrix` counts in a cell.
CITY_VALUES = ("places", "articles", "per_article")


def city_matrix(
    corpus: Corpus,
    predicate: str,
    object_type: str | None = None,
    values: str = "places",
    cities: Sequence[str] | None = None,
) -> Any:
    """Objects × cities, for comparing cities side by side. A cell counts the city's places
    (the city and its counties) that have the relation (``values="places"``), or the city's
    articles that report it (``"articles"``), or those articles as a share of all the city's
    articles (``"per_article"``, 0–1: :func:`city_articles`), so that a city with more
    coverage does not look busier for it. ``cities`` keeps those columns, in that order.
    Rows: most reported first."""
    if values not in CITY_VALUES:
        raise ValueError(f"values={values!r}: use one of {', '.join(CITY_VALUES)}")
    df = by_city(corpus, predicate, object_type)
    if cities is not None:
        df = df[df["city"].isin(list(cities))]
    if df.empty:
        return _pd().DataFrame()
    count = "places" if values == "places" else "articles"
    wide = df.pivot_table(index="object", columns="city", values=count, aggfunc="sum", fill_value=0)
    if cities is not None:
        wide = wide.reindex(columns=list(cities), fill_value=0)
    wide = wide.astype(int)
    wide.columns.name = None
    order = wide.sum(axis=1).sort_values(ascending=False, kind="stable").index
    wide = wide.loc[order]
    if values == "per_article":
        wide = wide / city_articles(corpus).reindex(wide.columns)
    return wide


#: Fonts with Chinese glyphs, in order of preference when several are installed (Debian and
#: Ubuntu: fonts-wqy-microhei, fonts-noto-cjk; macOS: PingFang, Hiragino; Windows: YaHei, SimHei).
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Serif CJK SC",
    "SimSun",
)
#: Characters a font must draw to count as Chinese (checked in the font's character map).
CJK_SAMPLE = "县市区应急安全生产"
#: What to do when no font draws Chinese: the fix the warning names.
CJK_FONT_FIX = (
    "install one (Debian/Ubuntu: `sudo apt install fonts-noto-cjk` or `fonts-wqy-microhei`; "
    "or pass a font file to use_cjk_font(path)) and run the cell again"
)
# matplotlib's own warning for each Chinese character it cannot draw (hundreds per notebook)
_GLYPH_WARNING = r"Glyph \d+ \(\\N\{(CJK|IDEOGRAPHIC|FULLWIDTH|HALFWIDTH)"
_warned_no_cjk_font = False


def _fontconfig_cjk_files() -> list[str]:
    """Font files fontconfig says cover Chinese (`fc-list :lang=zh`); [] without fontconfig."""
    import shutil
    import subprocess

    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        done = subprocess.run(
            [exe, ":lang=zh", "--format", "%{file}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in done.stdout.splitlines() if line.strip()})


def covers_cjk(path: str) -> bool:
    """Whether the font file (its first face) has a glyph for every character of CJK_SAMPLE."""
    from matplotlib import ft2font

    try:
        charmap = ft2font.FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(ch) in charmap for ch in CJK_SAMPLE)


def find_cjk_fonts() -> list[str]:
    """Files of installed fonts that draw Chinese, whether matplotlib's font cache lists them
    or not: fontconfig's answer, and the new files in the folders matplotlib scans (the cache
    is built once, on matplotlib's first import, and never sees a font installed later)."""
    from matplotlib import font_manager

    cached = {f.fname for f in font_manager.fontManager.ttflist}
    candidates = set(_fontconfig_cjk_files())
    candidates.update(p for p in font_manager.findSystemFonts() if p not in cached)
    return sorted(p for p in candidates if covers_cjk(p))


def _cjk_font_name(path: str | None = None) -> str | None:
    """The family name of a CJK font matplotlib can use, adding font files it does not know."""
    from matplotlib import font_manager

    fm = font_manager.fontManager
    if path is None:
        known = {f.name for f in fm.ttflist}
        preferred = next((name for name in CJK_FONTS if name in known), None)
        if preferred is not None:
            return preferred
        files = find_cjk_fonts()
    else:
        files = [str(path)] if covers_cjk(str(path)) else []
    if not files:
        return None
    cached = {f.fname for f in fm.ttflist}
    for f in files:
        if f not in cached:
            fm.addfont(f)
    names = {e.name for e in fm.ttflist if e.fname in set(files)}
    return next((name for name in CJK_FONTS if name in names), min(names) if names else None)


def use_cjk_font(path: str | None = None) -> str | None:
    """Make matplotlib draw Chinese labels with an installed CJK font (or the font file at
    ``path``), also one installed after matplotlib built its font cache; returns the font's
    family name. Without one, warns once, naming the fix, and returns None: the labels then
    show as boxes, and matplotlib's per-character warnings for them are silenced."""
    import warnings

    from matplotlib import rcParams

    global _warned_no_cjk_font
    name = _cjk_font_name(path)
    if name is None:
        if not _warned_no_cjk_font:
            _warned_no_cjk_font = True
            where = f"{path} has no Chinese glyphs" if path else "no font with Chinese glyphs is installed"
            warnings.warn(
                f"{where}: matplotlib will draw Chinese labels as boxes; {CJK_FONT_FIX}",
                UserWarning,
                stacklevel=2,
            )
            warnings.filterwarnings("ignore", message=_GLYPH_WARNING, category=UserWarning)
        return None
    rcParams["font.sans-serif"] = [name, *(f for f in rcParams["font.sans-serif"] if f != name)]
    rcParams["font.family"] = "sans-serif"
    return name


def heatmap(df: Any, title: str = "", ax: Any = None, cmap: str = "Oranges", fmt: str | None = None) -> Any:
    """Draw a numeric DataFrame (e.g. :func:`matrix`) as a heat map, each non-zero cell
    written out with ``fmt`` (e.g. ``"{:.0%}"``; default: integers as they are, other
    numbers to two significant digits); returns the Axes."""
    import matplotlib.pyplot as plt
    import numpy as np

    use_cjk_font()
    if ax is None:
        width = max(4.0, 0.45 * len(df.columns) + 2)
        height = max(2.5, 0.35 * len(df.index) + 1.5)
        _fig, ax = plt.subplots(figsize=(width, height))
    values = df.to_numpy()
    image = ax.imshow(values, cmap=cmap, aspect="auto")
    columns = [str(c) for c in df.columns]
    upright = all(len(c) <= 4 for c in columns)  # short names (cities) read better upright
    ax.set_xticks(range(len(columns)), labels=columns, rotation=0 if upright else 90)
    ax.set_yticks(range(len(df.index)), labels=list(df.index))
    if fmt is None:
        fmt = "{}" if np.issubdtype(values.dtype, np.integer) else "{:.2g}"
    for (i, j), v in np.ndenumerate(values):
        if v:
            r, g, b, _a = image.cmap(image.norm(v))
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5  # white figures on dark cells
            ax.text(
                j, i, fmt.format(v), ha="center", va="center", fontsize=8, color="white" if dark else "black"
            )
    if title:
        ax.set_title(title)
    return ax
