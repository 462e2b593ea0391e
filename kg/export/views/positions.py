"""Initial node positions for large networks, computed here so the browser only polishes them.

vis-network's physics costs O(n log n) per iteration (about 50 ms for 1,500 nodes
in headless Chromium on two cores) and, started from random positions, needs
hundreds of iterations to untangle a graph. Starting from a layout that already
has the global shape, a few dozen iterations suffice, and the frozen result is the
same every time the page opens.

The global shape is PivotMDS (Brandes & Pich, 2006): breadth-first distances from
a few well-spread pivot nodes, double-centred, projected on their two principal
axes (power iteration on a k × k matrix). Linear in nodes and edges, pure Python,
deterministic (no randomness; ties broken by the caller's order). Components are
laid out separately and packed around the biggest one.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

#: Target length of an edge in the initial layout (vis-network springLength units).
EDGE_LENGTH = 110.0
PIVOTS = 24
GOLDEN = math.pi * (3.0 - math.sqrt(5.0))


def _bfs(adj: list[list[int]], start: int, n: int) -> list[int]:
    dist = [-1] * n
    dist[start] = 0
    q = deque([start])
    while q:
        u = q.popleft()
        du = dist[u] + 1
        for v in adj[u]:
            if dist[v] < 0:
                dist[v] = du
                q.append(v)
    return dist


def _components(adj: list[list[int]], n: int) -> list[list[int]]:
    seen = [False] * n
    comps = []
    for s in range(n):
        if seen[s]:
            continue
        seen[s] = True
        comp = [s]
        q = deque([s])
        while q:
            u = q.popleft()
            for v in adj[u]:
                if not seen[v]:
                    seen[v] = True
                    comp.append(v)
                    q.append(v)
        comps.append(sorted(comp))
    comps.sort(key=lambda c: (-len(c), c[0]))
    return comps


def _top2(m: list[list[float]]) -> list[list[float]]:
    """The two leading eigenvectors of a small symmetric matrix (power iteration, deflation)."""
    k = len(m)
    vecs: list[list[float]] = []
    for j in range(2):
        v = [1.0 / (1 + ((i * 7 + j * 3) % 5)) for i in range(k)]  # fixed start, not random
        lam = 0.0
        for _ in range(200):
            w = [sum(m[i][t] * v[t] for t in range(k)) for i in range(k)]
            for u in vecs:  # deflate: stay orthogonal to the vectors found
                d = sum(w[i] * u[i] for i in range(k))
                w = [w[i] - d * u[i] for i in range(k)]
            norm = math.sqrt(sum(x * x for x in w))
            if norm == 0.0:
                break
            w = [x / norm for x in w]
            if abs(norm - lam) <= 1e-9 * max(1.0, norm):
                v = w
                break
            v, lam = w, norm
        vecs.append(v)
    return vecs


def _pivot_mds(adj: list[list[int]], nodes: list[int], n: int) -> dict[int, tuple[float, float]]:
    """Coordinates of one connected component."""
    size = len(nodes)
    start = max(nodes, key=lambda u: (len(adj[u]), -u))
    pivots: list[int] = []
    cols: list[list[int]] = []
    mind = [math.inf] * size
    nxt = start
    for _ in range(min(PIVOTS, size)):
        pivots.append(nxt)
        dist = _bfs(adj, nxt, n)
        col = [dist[u] for u in nodes]
        cols.append(col)
        for i, d in enumerate(col):
            if d < mind[i]:
                mind[i] = d
        best = max(range(size), key=lambda i: (mind[i], -i))
        if mind[best] == 0:
            break
        nxt = nodes[best]
    k = len(cols)
    # double centring of the squared distances: C[i][j] = -1/2 (d² - row mean - col mean + mean)
    sq = [[float(cols[j][i] * cols[j][i]) for j in range(k)] for i in range(size)]
    col_mean = [sum(sq[i][j] for i in range(size)) / size for j in range(k)]
    row_mean = [sum(r) / k for r in sq]
    total = sum(col_mean) / k
    c = [[-0.5 * (sq[i][j] - row_mean[i] - col_mean[j] + total) for j in range(k)] for i in range(size)]
    ctc = [[sum(c[i][a] * c[i][b] for i in range(size)) for b in range(k)] for a in range(k)]
    v1, v2 = _top2(ctc)
    out: dict[int, tuple[float, float]] = {}
    for i, u in enumerate(nodes):
        row = c[i]
        out[u] = (sum(row[j] * v1[j] for j in range(k)), sum(row[j] * v2[j] for j in range(k)))
    return out


def _spread(pos: dict[int, tuple[float, float]], adj: list[list[int]]) -> None:
    """Scale to the target edge length and separate nodes that landed on one spot.

    Small-world graphs give many nodes the same distances to every pivot; they are
    spread on a small sunflower (golden-angle spiral) around their common point.
    """
    lengths = sorted(
        math.hypot(pos[u][0] - pos[v][0], pos[u][1] - pos[v][1])
        for u in pos
        for v in adj[u]
        if u < v and v in pos
    )
    positive = [x for x in lengths if x > 0]
    median = positive[len(positive) // 2] if positive else 0.0
    scale = EDGE_LENGTH / median if median > 0 else 1.0
    spots: dict[tuple[float, float], list[int]] = {}
    for u in sorted(pos):
        x, y = pos[u]
        spots.setdefault((round(x * scale, 3), round(y * scale, 3)), []).append(u)
    for (x, y), members in spots.items():
        for j, u in enumerate(members):
            r = 0.0 if j == 0 else 18.0 * math.sqrt(j)
            pos[u] = (x + r * math.cos(j * GOLDEN), y + r * math.sin(j * GOLDEN))


def _small(nodes: list[int], adj: list[list[int]]) -> dict[int, tuple[float, float]]:
    """A small component: its best-connected node in the middle, the rest on a circle."""
    centre = max(nodes, key=lambda u: (len(adj[u]), -u))
    rest = [u for u in nodes if u != centre]
    out = {centre: (0.0, 0.0)}
    if not rest:
        return out
    r = EDGE_LENGTH * (0.5 + 0.06 * len(rest))
    for j, u in enumerate(rest):
        a = 2.0 * math.pi * j / len(rest)
        out[u] = (r * math.cos(a), r * math.sin(a))
    return out


def _component(comp: list[int], adj: list[list[int]], n: int) -> dict[int, tuple[float, float]]:
    """One connected component: its core by PivotMDS, leaves on a sunflower around their node.

    Leaves (one neighbour, itself not a leaf) say nothing about the global shape
    and would pile up in PivotMDS (all at the same distances); hubs with hundreds of
    them (a campaign and its places, an agency and its staff) are common.
    """
    if len(comp) <= 3:
        return _small(comp, adj)
    leaves: dict[int, list[int]] = {}
    core = []
    for u in comp:
        if len(adj[u]) == 1 and len(adj[adj[u][0]]) > 1:
            leaves.setdefault(adj[u][0], []).append(u)
        else:
            core.append(u)
    if len(core) > 12:
        pos = _pivot_mds(adj, core, n)
        _spread(pos, adj)
    else:
        pos = _small(core, adj)
    for parent in sorted(leaves):
        px, py = pos[parent]
        kids = leaves[parent]
        base = EDGE_LENGTH * 0.45
        step = 14.0 if len(kids) > 6 else EDGE_LENGTH * 0.2
        for j, u in enumerate(kids):
            r = base + step * math.sqrt(j)
            a = j * GOLDEN + parent  # the parent's index turns the pattern: neighbours' leaves interleave
            pos[u] = (px + r * math.cos(a), py + r * math.sin(a))
    return pos


def initial_positions(n: int, edges: Sequence[tuple[int, int]]) -> list[tuple[float, float]]:
    """Positions of nodes 0 … n-1 (rounded to 0.1) for the given undirected edges."""
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges:
        if a != b:
            adj[a].append(b)
            adj[b].append(a)
    for i, lst in enumerate(adj):
        adj[i] = sorted(set(lst))
    pos: list[tuple[float, float]] = [(0.0, 0.0)] * n
    comps = _components(adj, n)
    area = 0.0  # covered so far, as a disc: the next component goes just outside it
    for ci, comp in enumerate(comps):
        layout = _component(comp, adj, n)
        cx = sum(p[0] for p in layout.values()) / len(layout)
        cy = sum(p[1] for p in layout.values()) / len(layout)
        radius = max(math.hypot(x - cx, y - cy) for x, y in layout.values()) + EDGE_LENGTH * 0.4
        if ci == 0:
            ox = oy = 0.0
            area = math.pi * radius * radius
        else:
            # a sunflower of components around the first: each at the rim of the area so far
            dist = math.sqrt(area / math.pi) + radius
            ox, oy = dist * math.cos(ci * GOLDEN), dist * math.sin(ci * GOLDEN)
            area += math.pi * radius * radius * 1.6
        for u, (x, y) in layout.items():
            pos[u] = (x - cx + ox, y - cy + oy)
    return [(round(x, 1), round(y, 1)) for x, y in pos]
