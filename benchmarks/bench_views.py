"""HTML views at scale: write time, file sizes and load-to-stable time of a 5,000-node overview.

    python benchmarks/bench_views.py [--nodes 5000] [--keep DIR]

Builds a synthetic corpus of ``--nodes`` entities from the seeds' real names (their
campaigns, mechanisms, organization heads, documents, people, the vocabulary terms)
spread over real places from the gazetteer, with relations and evidence sentences
in the seeds' phrasing (no extraction over gigabytes). Then:

- writes the views twice: with the default overview limit (the most connected
  1,500 nodes) and with no limit (all nodes in the overview); prints write times
  and sizes;
- opens each overview in headless Chromium (/usr/bin/chromium, networking off) and
  reports the time from navigation start to the layout stabilised and frozen
  (vis-network's stabilizationIterationsDone, physics off, first frame drawn), and
  how long a type filter and a search take to respond.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TEMPLATES = {
    "implements": "{s}扎实推进“{o}”",
    "targets": "{s}紧盯{o}等风险较高行业领域",
    "takesMeasure": "{s}常态化开展{o}",
    "adopts": "{s}严格落实“{o}”",
    "locatedIn": "{s}",
    "organizes": "{s}开展“{o}”专项行动",
    "issues": "{s}印发《{o}》",
    "partnersWith": "{s}与{o}签订战略合作协议",
    "holdsPost": "{o}负责人{s}",
}


def synthetic_corpus(n: int = 5000, seed: int = 7):  # -> Corpus
    """A deterministic corpus of about ``n`` entities made of real names."""
    from kg.corpus import Corpus, MentionRef
    from kg.model import Article, Entity, Evidence, Relation
    from kg.nlp import gazetteer
    from kg.pipeline import extract_paths

    rng = random.Random(seed)
    base = Corpus.from_results(extract_paths([str(ROOT / "seeds")]).files)
    by_type: dict[str, list[str]] = {}
    for e in base.sorted_entities():
        by_type.setdefault(e.type, []).append(e.name)
    gaz = gazetteer.load()
    counties = sorted((d for d in gaz.by_code.values() if d.level == "county"), key=lambda d: d.adcode)
    heads = sorted(
        {
            org[len(p) :]
            for org in by_type.get("Organization", [])
            for p in gaz.by_name
            if org.startswith(p) and len(org) - len(p) >= 2
        }
    ) or ["应急管理局"]

    entities: dict[str, Entity] = {}

    def add(type_: str, name: str, attrs: tuple[tuple[str, str], ...] = ()) -> str:
        e = Entity(type_, name, (), attrs)
        entities.setdefault(e.id, e)
        return e.id

    for t in ("Industry", "Venue", "Hazard", "Measure"):
        for name in by_type.get(t, []):
            add(t, name)
    places: list[str] = []
    for d in rng.sample(counties, min(len(counties), int(n * 0.22))):
        for div in reversed(gaz.chain(d)):
            pid = add("Place", div.name, (("adcode", div.adcode), ("level", div.level)))
            if pid not in places:
                places.append(pid)
    places.sort()
    org_names = sorted({entities[p].name + rng.choice(heads) for p in places for _ in range(2)})
    orgs = [add("Organization", name) for name in org_names[: int(n * 0.3)]]
    prefectures = [p for p in places if entities[p].attr("level") != "county"]

    def variants(type_: str, count: int) -> list[str]:
        names = by_type.get(type_, []) or ["安全生产"]
        out = [add(type_, x) for x in names]
        while len(out) < count:
            out.append(add(type_, entities[rng.choice(prefectures)].name + rng.choice(names)))
        return sorted(set(out))

    campaigns = variants("Campaign", int(n * 0.08))
    mechanisms = variants("Mechanism", int(n * 0.08))
    documents = variants("Document", int(n * 0.03))
    people = sorted(by_type.get("Person", ["钱红元"]))
    persons: list[str] = []
    tries = 0
    while len(entities) < n and tries < 50 * n:  # people from the seeds' surnames and given names
        tries += 1
        a, b, c = rng.choice(people), rng.choice(people), rng.choice(people)
        persons.append(add("Person", a[0] + b[1:2] + c[-1:] + ("" if tries < 5 * n else str(tries))))
    persons = sorted(set(persons))
    targets = sorted(e.id for e in entities.values() if e.type in ("Industry", "Venue", "Hazard"))
    measures = sorted(e.id for e in entities.values() if e.type == "Measure")

    def pick(pool: list[str], k: int) -> list[str]:
        # a skew towards the head of the pool: a few popular campaigns, many rare ones
        return sorted({pool[min(len(pool) - 1, int(rng.paretovariate(1.2)) - 1)] for _ in range(k)})

    triples: list[tuple[str, str, str]] = []
    for p in places:
        code = entities[p].attr("adcode")
        div = gaz.by_code.get(code or "")
        up = gaz.parent(div) if div else None
        if up is not None:
            triples.append((p, "locatedIn", entities.get(f"Place:{up.name}", entities[p]).id))
        triples += [(p, "implements", o) for o in pick(campaigns, rng.randint(0, 2))]
        triples += [(p, "targets", o) for o in rng.sample(targets, rng.randint(2, 4))]
        triples += [(p, "takesMeasure", o) for o in rng.sample(measures, rng.randint(1, 3))]
        triples += [(p, "adopts", o) for o in pick(mechanisms, rng.randint(0, 2))]
    place_names = sorted(places, key=lambda i: -len(entities[i].name))
    for o in orgs:
        home = next((p for p in place_names if entities[o].name.startswith(entities[p].name)), None)
        if home:
            triples.append((o, "locatedIn", home))
        if rng.random() < 0.3:
            triples.append((o, "organizes", rng.choice(campaigns)))
        triples += [(o, "targets", x) for x in rng.sample(targets, rng.randint(0, 2))]
        if rng.random() < 0.05:
            triples.append((o, "partnersWith", rng.choice(orgs)))
    for d in documents:
        triples.append((rng.choice(orgs), "issues", d))
    for p in persons:
        triples.append((p, "holdsPost", rng.choice(orgs)))

    corpus = Corpus()
    corpus.entities = {k: entities[k] for k in sorted(entities)}
    offset = 0
    for k, (s, p, o) in enumerate(sorted(set(t for t in triples if t[0] != t[2]))):
        source = f"bench_{k // 40:04d}.txt"
        art_id = f"{source}#{(k // 8) % 5}"
        if art_id not in corpus.articles:
            corpus.articles[art_id] = Article(
                art_id, source, (k // 8) % 5, f"{entities[s].name}扎实做好安全生产工作", 0, 0, ()
            )
        text = TEMPLATES[p].format(s=entities[s].name, o=entities[o].name)
        ev = Evidence(source, art_id, offset, offset + len(text), text)
        offset += len(text) + 1
        corpus.relations[(s, p, o)] = Relation(s, p, o, (ev,))
        corpus.mentions.setdefault(s, []).append(
            MentionRef(source, art_id, ev.start, ev.end, entities[s].name)
        )
    return corpus


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _open(html: Path, nodes: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        page = ctx.new_page()
        outside: list[str] = []
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def route(r):  # networking off: only the folder itself
            if r.request.url.startswith(("file:", "data:")):
                return r.continue_()
            outside.append(r.request.url)
            return r.abort()

        page.route("**/*", route)
        t0 = time.perf_counter()
        page.goto(html.as_uri(), timeout=600_000)
        while not page.evaluate("window.kgView && window.kgView.state === 'ready'"):
            if time.perf_counter() - t0 > 600:
                raise TimeoutError(f"{html} did not stabilise in 600 s")
            time.sleep(0.05)
        stable_ms = page.evaluate("window.kgView.stableAt")
        drawn = page.evaluate("window.kgView.nodes.length")
        iters = page.evaluate("window.kgView.iterations")
        box = "#type-filter input[data-type]"  # the first type drawn (Places): hide it, show it again
        t = time.perf_counter()
        page.click(box)
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        filter_ms = (time.perf_counter() - t) * 1000
        page.click(box)
        name = page.evaluate("window.kgView.nodes.get(0).label")
        t = time.perf_counter()
        page.fill("#search", name)
        while page.evaluate("window.kgView.animating"):
            time.sleep(0.01)
        search_ms = (time.perf_counter() - t) * 1000
        ctx.close()
    return {
        "nodes": drawn,
        "iterations": iters,
        "stable_s": stable_ms / 1000,
        "filter_ms": filter_ms,
        "search_ms": search_ms,
        "outside": len(outside),
        "errors": len(errors),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--keep", type=Path, help="write the views here and keep them (default: a temp folder)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from kg.export.views import DEFAULT_MAX_OVERVIEW_NODES, write_views

    t = time.perf_counter()
    corpus = synthetic_corpus(args.nodes)
    print(
        f"synthetic corpus: {len(corpus.entities):,} entities, {len(corpus.relations):,} relations, "
        f"{len(corpus.articles):,} articles ({time.perf_counter() - t:.1f} s to build)"
    )
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_views_"))
    runs = [
        ("default limit", work / "limited", DEFAULT_MAX_OVERVIEW_NODES),
        ("no limit", work / "full", 10**9),
    ]
    rows = []
    for label, out, limit in runs:
        if out.exists():
            shutil.rmtree(out)
        t = time.perf_counter()
        written = write_views(corpus, out, max_overview_nodes=limit)
        secs = time.perf_counter() - t
        rows.append((label, out, secs, len(written)))
        print(
            f"write_views ({label}): {secs:.1f} s, {len(written):,} files, {_size(out) / 1e6:.1f} MB in all; "
            f"overview.html {(out / 'overview.html').stat().st_size / 1e6:.2f} MB, "
            f"index.html {(out / 'index.html').stat().st_size / 1e6:.2f} MB, "
            f"entity/ {_size(out / 'entity') / 1e6:.1f} MB, assets/ {_size(out / 'assets') / 1e6:.2f} MB"
        )
    if not CHROMIUM.exists():
        print("no /usr/bin/chromium: browser figures skipped (bash .ci/install-browser.sh)")
        return 0
    print("\nheadless Chromium, networking off (load = navigation start → layout stabilised and frozen):")
    print(
        f"{'overview':<15} {'nodes':>6} {'iters':>6} {'load s':>7} {'filter ms':>10} {'search ms':>10} "
        "outside errors"
    )
    for label, out, _secs, _n in rows:
        r = _open(out / "overview.html", args.nodes)
        print(
            f"{label:<15} {r['nodes']:>6,} {r['iterations']:>6} {r['stable_s']:>7.1f} "
            f"{r['filter_ms']:>10.0f} {r['search_ms']:>10.0f} {r['outside']:>7} {r['errors']:>6}"
        )
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
