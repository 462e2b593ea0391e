"""Writing SELECT answers: Oxigraph's own writers against our Python writers, in one run.

    python benchmarks/bench_answers.py [--copies 20] [--runs 5]

Builds the seeds' dataset (extracted once) and loads it ``--copies`` times into one
Oxigraph store, each copy's IRIs moved to a namespace of its own (so a copy adds as many
rows as the seeds have quads). Then, for ``SELECT * WHERE { ?s ?p ?o }`` in CSV, TSV, JSON
and XML, it times (median of ``--runs``) what ``kg query -f FMT`` and ``kg serve`` do:

- ``Target.answer``: Oxigraph writes the solutions (``QuerySolutions.serialize``);
- the Python path: the rows built as :class:`Result` cells, then :data:`WRITERS`;

and prints both, their ratio and the answers' sizes. Not part of the unit tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY = "SELECT * WHERE { ?s ?p ?o }"


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    import pyoxigraph as ox

    from kg.corpus import Corpus
    from kg.export.build import render_outputs, summarize, write_outputs
    from kg.export.rdf.quads import corpus_quads
    from kg.export.sparql.engine import Target
    from kg.export.sparql.results import WRITERS
    from kg.pipeline import extract_paths

    files = sorted(extract_paths([str(ROOT / "seeds")]).files, key=lambda r: r.source.name)
    corpus = Corpus.from_results(files)
    quads = corpus_quads(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "graph"
        write_outputs(out, render_outputs(corpus, quads, summarize(corpus, quads)))
        target = Target(out).load()
    store = target.data
    seed = list(store)
    base = "https://w3id.org/safety-kg/id/"
    for k in range(1, args.copies):

        def moved(t: object, k: int = k) -> object:
            if isinstance(t, ox.NamedNode) and t.value.startswith(base):
                return ox.NamedNode(f"{base}copy{k}/{t.value[len(base) :]}")
            return t

        store.extend(ox.Quad(moved(q.subject), q.predicate, moved(q.object), q.graph_name) for q in seed)  # type: ignore[arg-type]
    print(f"{len(store):,} quads ({args.copies} copies of the seeds' {len(seed):,})")
    print(
        f"{'format':6}  {'Oxigraph writes s':>17}  {'Python writes s':>15}  {'ratio':>6}  {'MB (ox/py)':>12}"
    )
    for fmt in ("csv", "tsv", "json", "xml"):
        t_ox, a = median_time(lambda fmt=fmt: target.answer(QUERY, fmt), args.runs)
        t_py, b = median_time(lambda fmt=fmt: WRITERS[fmt](target.execute(QUERY)).encode(), args.runs)
        size = f"{len(a.body) / 1e6:.1f}/{len(b) / 1e6:.1f}"  # type: ignore[attr-defined,arg-type]
        print(f"{fmt:6}  {t_ox:17.3f}  {t_py:15.3f}  {t_py / t_ox:5.1f}×  {size:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
