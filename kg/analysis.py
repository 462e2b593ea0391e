"""Questions analysts ask of the corpus, answered as pandas DataFrames.

Pure functions over a :class:`~kg.corpus.Corpus` (and its networkx view): what the
notebooks and the library API show. pandas and networkx are imported on use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
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
    for (s, o), n in cells.items():
        df.loc[rows[s], cols[o]] = n
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
    """Places linked by the campaigns they share (a weighted bipartite projection)."""
    import networkx as nx
    from networkx.algorithms import bipartite

    b = nx.Graph()
    for r in corpus.relations.values():
        if r.p == "implements" and r.s.startswith("Place:"):
            b.add_node(r.s, bipartite=0, name=_name(corpus, r.s))
            b.add_node(r.o, bipartite=1, name=_name(corpus, r.o))
            b.add_edge(r.s, r.o)
    place_nodes = sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == 0)
    proj = bipartite.weighted_projected_graph(b, place_nodes)
    return nx.relabel_nodes(proj, {n: _name(corpus, n) for n in proj.nodes})


def centrality(corpus: Corpus, types: tuple[str, ...] = ("Place", "Organization"), top: int = 15) -> Any:
    """The most central places and organizations: degree and betweenness in the
    undirected entity graph."""
    import networkx as nx

    from kg.graph import to_networkx

    g = nx.Graph(to_networkx(corpus))
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
    from kg import gazetteer

    code = e.attr("adcode")
    if not code:
        return None
    gaz = gazetteer.load()
    d = gaz.by_code.get(code)
    pref = gaz.prefecture_of(d) if d is not None else None
    return pref.name if pref is not None else None


def by_city(corpus: Corpus, predicate: str, object_type: str | None = None) -> Any:
    """What each city's places (the city and its counties) have for a predicate: one row
    per (city, object) with the places that have it."""
    rows: dict[tuple[str, str], set[str]] = defaultdict(set)
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
    data = [
        {"city": c, "object": o, "places": len(ps), "which": "、".join(sorted(ps))}
        for (c, o), ps in rows.items()
    ]
    df = _pd().DataFrame(data, columns=["city", "object", "places", "which"])
    return df.sort_values(["city", "places", "object"], ascending=[True, False, True]).reset_index(drop=True)


def unique_to_city(corpus: Corpus, predicate: str, object_type: str | None = None) -> Any:
    """Objects of a predicate that only one city's places have."""
    df = by_city(corpus, predicate, object_type)
    counts = df.groupby("object")["city"].nunique()
    only = set(counts[counts == 1].index)
    return df[df["object"].isin(only)].reset_index(drop=True)


def city_matrix(corpus: Corpus, predicate: str, object_type: str | None = None) -> Any:
    """Objects × cities: how many of each city's places (the city and its counties) have
    the relation, for comparing cities side by side."""
    df = by_city(corpus, predicate, object_type)
    if df.empty:
        return _pd().DataFrame()
    wide = df.pivot_table(index="object", columns="city", values="places", aggfunc="sum", fill_value=0)
    wide = wide.astype(int)
    wide.columns.name = None
    order = wide.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return wide.loc[order]


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


def heatmap(df: Any, title: str = "", ax: Any = None, cmap: str = "Oranges") -> Any:
    """Draw a numeric DataFrame (e.g. :func:`matrix`) as a heat map; returns the Axes."""
    import matplotlib.pyplot as plt
    import numpy as np

    use_cjk_font()
    if ax is None:
        width = max(4.0, 0.45 * len(df.columns) + 2)
        height = max(2.5, 0.35 * len(df.index) + 1.5)
        _fig, ax = plt.subplots(figsize=(width, height))
    ax.imshow(df.to_numpy(), cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(df.columns)), labels=list(df.columns), rotation=90)
    ax.set_yticks(range(len(df.index)), labels=list(df.index))
    for (i, j), v in np.ndenumerate(df.to_numpy()):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8)
    if title:
        ax.set_title(title)
    return ax
