"""The named SPARQL queries at scale: rdflib's memory store against Oxigraph, in one run.

    python benchmarks/bench_sparql.py [--triples 1000000] [--runs 3] [--rdflib-timeout 20]
                                      [--skip-rdflib] [--keep DIR]

Builds a dataset of at least ``--triples`` quads the way ``kg build`` does (kg.export.rdf over a
Corpus), from synthetic pages made of the seeds: the five seed pages are extracted once, then
copied over and over with their places moved to other real divisions of the gazetteer (a
county becomes a random county, its city and province follow, and so do the organizations
named after them, the articles, mentions, relations and evidence). Campaigns, mechanisms,
documents and the vocabulary terms keep their names, so they are shared across counties as
in real news. The original seed pages are included, so the named queries' default
parameters (长子县, 春夏九防·敲门行动…) have answers.

Then every named query of ontology/queries/ runs on:

- Oxigraph in memory (``pyoxigraph.Store()``, what ``kg query OUT/`` uses),
- Oxigraph on disk (RocksDB, what ``kg build --store`` / ``kg query STORE`` use),
- rdflib's memory store (``rdflib.Dataset`` with a union default graph, filled from the same
  quads), each query in a forked process stopped after ``--rdflib-timeout`` seconds;

timing the median of ``--runs`` runs after one warm-up (rdflib: one run). It prints load
times and a table with the ratio rdflib / Oxigraph, and checks that every named query takes
under one second on Oxigraph. Not part of the unit tests.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed_results() -> list[Any]:
    from kg.pipeline import extract_paths

    ex = extract_paths([str(ROOT / "seeds")])
    return sorted(ex.files, key=lambda r: r.source.name)


def _place_mapping(r: Any, gaz: Any, rng: random.Random) -> dict[str, str]:
    """Old place name -> new place name for one copy of a page (and their short forms)."""
    mapping: dict[str, str] = {}
    places = [e for e in r.entities if e.type == "Place" and e.attr("adcode")]
    counties = [d for d in gaz.by_code.values() if d.level == "county"]
    # every prefecture of the page moves to the prefecture of one random county
    for e in places:
        d = gaz.by_code.get(e.attr("adcode") or "")
        if d is None or d.level != "prefecture" or e.name in mapping:
            continue
        target = gaz.prefecture_of(rng.choice(counties))
        if target is not None:
            mapping[e.name] = target.name
    for e in places:
        d = gaz.by_code.get(e.attr("adcode") or "")
        if d is None or d.level != "county" or e.name in mapping:
            continue
        parent = gaz.by_code.get(d.parent or "")
        new_parent = gaz.lookup(mapping.get(parent.name, "")) if parent is not None else []
        pool = [c for c in counties if new_parent and c.parent == new_parent[0].adcode] or counties
        mapping[e.name] = rng.choice(pool).name
    short: dict[str, str] = {}
    for old, new in mapping.items():
        do, dn = gaz.lookup(old), gaz.lookup(new)
        if do and dn and do[0].short and dn[0].short:
            short[do[0].short] = dn[0].short
    return {**short, **mapping}


def _renamer(mapping: dict[str, str]) -> Any:
    if not mapping:
        return lambda s: s
    rx = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    return lambda s: rx.sub(lambda m: mapping[m.group(0)], s)


def synthetic_page(r: Any, i: int, gaz: Any, rng: random.Random) -> Any:
    """A copy of the FileResult ``r`` named ``syn<i>_…`` with its places moved."""
    from kg.model import Article, Entity, Evidence, Mention, Relation, SourceText

    name = f"syn{i:05d}_{r.source.name}"
    mapping = _place_mapping(r, gaz, rng)
    ren = _renamer(mapping)

    def aid(old: str) -> str:
        return name + old[len(r.source.name) :]

    def eid(old: str) -> str:
        t, _, n = old.partition(":")
        return f"{t}:{ren(n)}"

    def attrs(e: Any) -> tuple[tuple[str, str], ...]:
        out = []
        new = gaz.lookup(ren(e.name)) if e.type == "Place" else []
        for k, v in e.attrs:
            if new and k == "adcode":
                v = new[0].adcode
            elif new and k == "parent" and new[0].parent:
                v = new[0].parent
            elif k == "parent":
                v = ren(v)
            out.append((k, v))
        return tuple(out)

    src = SourceText(name, name, ren(r.source.text), r.source.encoding, r.source.format)
    return replace(
        r,
        source=src,
        home=ren(r.home) if r.home else None,
        articles=tuple(
            Article(aid(a.id), name, a.index, ren(a.headline), a.start, a.end, a.paragraphs,
                    tuple(ren(h) for h in a.headlines), a.date, a.kind, a.bylines)
            for a in r.articles
        ),
        mentions=tuple(
            Mention(aid(m.article), m.start, m.end, ren(m.text), m.type, ren(m.name), m.extractor, m.attrs)
            for m in r.mentions
        ),
        entities=tuple(
            Entity(e.type, ren(e.name), tuple(ren(a) for a in e.aliases), attrs(e)) for e in r.entities
        ),
        relations=tuple(
            Relation(eid(rel.s), rel.p, eid(rel.o),
                     tuple(Evidence(name, aid(ev.article), ev.start, ev.end, ren(ev.text))
                           for ev in rel.evidence))
            for rel in r.relations
        ),
    )  # fmt: skip


def synthetic_quads(target: int, seed: int = 7) -> tuple[list[Any], int]:
    """At least ``target`` quads from the seeds and their synthetic copies; (quads, pages)."""
    from kg.corpus import Corpus
    from kg.export.rdf.quads import corpus_quads, vocab_quads
    from kg.nlp import gazetteer

    rng = random.Random(seed)
    gaz = gazetteer.load()
    seeds = seed_results()
    corpus = Corpus.from_results(seeds)
    quads = corpus_quads(corpus)
    per_page = max(1, (len(quads) - len(vocab_quads())) // len(seeds))
    i = 0
    while len(quads) < target:
        for _ in range(int((target - len(quads)) / per_page * 1.05) + 1):
            corpus.add(synthetic_page(seeds[i % len(seeds)], i, gaz, rng))
            i += 1
        quads = corpus_quads(corpus)
    return quads, len(seeds) + i


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Any, runs: int) -> tuple[float, Any]:
    fn()  # warm-up
    times = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="at least this many quads")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per query on Oxigraph (median)")
    ap.add_argument("--rdflib-timeout", type=float, default=20.0, help="seconds before an rdflib query stops")
    ap.add_argument("--skip-rdflib", action="store_true", help="Oxigraph only")
    ap.add_argument("--keep", metavar="DIR", help="also write the N-Quads and the disk store to DIR")
    args = ap.parse_args(argv)

    import pyoxigraph as ox

    from kg.export.rdf.serialize import nquads, to_rdflib
    from kg.export.sparql.child import QueryTimeout, call_with_timeout
    from kg.export.sparql.named import bind, named_queries
    from kg.namespace import PREFIXES

    t0 = time.perf_counter()
    quads, pages = synthetic_quads(args.triples)
    t_gen = time.perf_counter() - t0
    n_quads = len(quads)
    print(f"synthetic dataset: {n_quads:,} quads, {pages:,} pages ({t_gen:.1f} s to build)", flush=True)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    work.mkdir(parents=True, exist_ok=True)
    nq = work / "graph.nq"
    with nq.open("w", encoding="utf-8") as fh:
        fh.writelines(nquads(quads))

    loads: list[tuple[str, float, float]] = []
    t = time.perf_counter()
    mem = ox.Store()
    mem.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    loads.append(("Oxigraph memory", time.perf_counter() - t, rss_mb()))
    t = time.perf_counter()
    disk_dir = work / "store"
    shutil.rmtree(disk_dir, ignore_errors=True)
    disk = ox.Store(str(disk_dir))
    disk.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    disk.flush()
    disk.optimize()  # as kg build --store does after a first load
    del disk
    disk = ox.Store.read_only(str(disk_dir))
    loads.append(("Oxigraph disk", time.perf_counter() - t, rss_mb()))
    engines: dict[str, Any] = {"oxigraph": mem, "oxigraph-disk": disk}
    if not args.skip_rdflib:
        # from the quads in memory: rdflib's N-Quads parser is several times slower still
        t = time.perf_counter()
        engines["rdflib"] = to_rdflib(quads)
        loads.append(("rdflib memory", time.perf_counter() - t, rss_mb()))
    del quads
    for name, secs, rss in loads:
        print(f"load {name:<16} {secs:7.1f} s   (process max RSS so far {rss:,.0f} MB)", flush=True)

    def ox_run(store: Any, text: str) -> int:
        r = store.query(text, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
        return len(list(r)) if isinstance(r, ox.QuerySolutions) else 1

    def rdflib_run(text: str) -> int:
        return len(list(engines["rdflib"].query(text, initNs=dict(PREFIXES))))

    rows = []
    for name, nqry in named_queries().items():
        text = bind(nqry)
        on_ox = bind(nqry, engine="oxigraph")  # its Oxigraph form where it has one
        t_mem, n = timed(lambda on_ox=on_ox: ox_run(mem, on_ox), args.runs)
        t_disk, _ = timed(lambda on_ox=on_ox: ox_run(disk, on_ox), args.runs)
        t_rdf: float | None = None
        if not args.skip_rdflib:
            t = time.perf_counter()
            try:
                call_with_timeout(lambda text=text: rdflib_run(text), args.rdflib_timeout)
                t_rdf = time.perf_counter() - t
            except QueryTimeout:
                t_rdf = None
        rows.append((name, n, t_rdf, t_mem, t_disk))
        shown = f"{t_rdf:8.2f}" if t_rdf is not None else f">{args.rdflib_timeout:g}".rjust(8)
        print(f"  {name:<30} rows {n:>6}  rdflib {shown} s  oxigraph {t_mem:.3f} s  disk {t_disk:.3f} s")

    print()
    print(f"{len(rows)} named queries on {pages:,} pages, {n_quads:,} quads")
    head = f"{'query':<30} {'rows':>6} {'rdflib s':>9} {'oxigraph s':>11} {'ox disk s':>10} {'rdflib/ox':>10}"
    print(head)
    print("-" * len(head))
    ok = True
    for name, n, t_rdf, t_mem, t_disk in rows:
        ok &= t_mem < 1.0
        if t_rdf is None:
            rdf_s = f">{args.rdflib_timeout:g}" if not args.skip_rdflib else "-"
            ratio = f">{args.rdflib_timeout / t_mem:,.0f}×" if not args.skip_rdflib else "-"
        else:
            rdf_s = f"{t_rdf:.2f}"
            ratio = f"{t_rdf / t_mem:,.0f}×"
        print(f"{name:<30} {n:>6} {rdf_s:>9} {t_mem:>11.3f} {t_disk:>10.3f} {ratio:>10}")
    worst = max(rows, key=lambda r: r[3])
    print(f"\nslowest on Oxigraph (memory): {worst[0]} {worst[3]:.3f} s — every named query under 1 s: {ok}")
    if not args.keep:
        del disk
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
