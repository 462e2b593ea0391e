"""``kg build`` at scale: a synthetic corpus of N pages, built in a fresh process.

    python benchmarks/bench_scale.py [--pages 2000] [--jobs 2] [--store] [--formats nq,graphml]
                                     [--no-rerun] [--queries] [--keep DIR]
    python benchmarks/bench_scale.py --extract-mb 5 [--jobs 2] [--rounds 5]
    python benchmarks/bench_scale.py --time-queries STORE

The corpus: the five seed pages copied over and over with their places moved to other real
divisions of the gazetteer (as ``bench_sparql.py`` does: a county becomes a random county, its
city and province follow, and so do the organizations named after them), written as text
files and extracted for real: about ten articles per page. The first five pages are the seeds
themselves, so the named queries' default parameters have answers. Then ``kg build PAGES -o OUT
--jobs J`` runs in a fresh process with an empty cache (``--store`` adds ``--store STORE``);
then it builds again with nothing changed, and again with one page edited (a paragraph added
to the last page: the other pages come from the cache, the outputs are all written again;
``--no-rerun`` skips both); ``--queries`` runs every named query on the store (``--store``),
median of three after a warm-up;
``--time-queries STORE`` does that alone, on a store built before (``--keep DIR`` leaves one
in ``DIR/store``), so that a query's new form is timed on the same data without a new build.

Memory: the peak over the build of the sum of PSS (proportional set size: pages shared by
the forked workers counted once) of the ``kg`` process and its workers, sampled every 0.2 s
or, when reading it takes longer, after ten times as long as the last reading took (the
kernel walks every page table of each process to give it: at 10,000 pages, every 0.2 s took
about 0.4 of a core from the build it measures), and the largest single process's peak RSS
(``ru_maxrss`` of the children).

``--extract-mb``: whole processes on the same text (the seeds repeated to that size), wall
clock from start to exit: a plain ``jieba.lcut`` over every page, against ``kg extract
--jobs J`` (start-up, reading, extraction of entities and relations, JSONL written; kg's
modules compiled to bytecode first, as an installed package has them, like jieba's), the two
side by side in each of ``--rounds`` rounds (which goes first alternates), and the median of
the rounds' ratios; ``kg extract --jobs 1`` once, whose JSONL must be the same bytes. It also
prints each one's CPU critical path: the CPU seconds of the main process plus those of its
busiest worker (sampled from /proc every 0.05 s), what the wall time is when the cores are
free; on a shared machine the wall clock also measures the other jobs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def generate(n: int, folder: Path, seed: int = 11) -> int:
    """Write ``n`` synthetic pages into ``folder``; return their size in bytes."""
    from bench_sparql import _place_mapping, _renamer, seed_results

    from kg.nlp import gazetteer

    rng = random.Random(seed)
    gaz = gazetteer.load()
    seeds = seed_results()
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for i in range(n):
        r = seeds[i % len(seeds)]
        if i < len(seeds):
            # the seed pages as they are (as bench_sparql.py does): the named queries' default
            # parameters (长子县, 春夏九防·敲门行动…) then have answers, and --queries times them
            name, text = r.source.name, r.source.text
        else:
            name, text = f"syn{i:05d}_{r.source.name}", _renamer(_place_mapping(r, gaz, rng))(r.source.text)
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        size += len(data)
    return size


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total / 1024


def _cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) ``pid`` has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(cmd: list[str], env: dict[str, str] | None = None, every: float = 0.2) -> dict[str, Any]:
    """Run ``cmd``; wall seconds, peak PSS of its process tree (MB), exit code, stderr tail,
    and the CPU seconds of the process itself and of each of its children, sampled every
    ``every`` seconds (listing the tree costs ~3 ms of the machine's CPU). PSS is sampled
    every 0.2 s, or ten times as long as its last reading took, whichever is longer: the
    sampler takes at most a tenth of a core from the build."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    peak = [0.0]
    cpu: dict[int, float] = {}  # pid → CPU seconds at its last sample
    done = threading.Event()

    def sample() -> None:
        pss_at = time.perf_counter()  # when to read PSS next
        while not done.wait(every):
            pids = _tree(proc.pid)
            for p in pids:
                c = _cpu_s(p)
                if c is not None:
                    cpu[p] = c
            now = time.perf_counter()
            if now >= pss_at:
                peak[0] = max(peak[0], _pss_mb(pids))
                took = time.perf_counter() - now
                pss_at = now + max(0.2, 10 * took)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _out, err = proc.communicate()
    secs = time.perf_counter() - t
    done.set()
    th.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    maxrss = usage.ru_maxrss
    return {
        "seconds": secs,
        # CPU time of the process and the workers it waited for: what the load of other jobs
        # on a shared machine does not inflate (wall ≥ cpu / cores)
        "cpu": usage.ru_utime + usage.ru_stime - cpu_before,
        "pss_mb": peak[0],
        "main_cpu": cpu.pop(proc.pid, 0.0),
        "child_cpu": sorted(cpu.values(), reverse=True),
        "max_rss_mb": (maxrss if maxrss > before else float("nan")) / 1024,
        "rc": proc.returncode,
        "stderr": err[-2000:],
    }


def time_queries(store: Path, runs: int = 3, slow: float = 10.0) -> list[tuple[str, int, float]]:
    """Every named query on the store with its default parameters, in the form the Oxigraph
    engine runs (its Oxigraph form where it has one): (name, rows, median of ``runs`` seconds
    after a warm-up; the warm-up alone when it took ``slow`` seconds or more)."""
    import pyoxigraph as ox

    from kg.export.sparql.named import bind, named_queries
    from kg.export.sparql.store import open_store
    from kg.namespace import PREFIXES

    st = open_store(store)
    rows = []
    for name, nq in named_queries().items():
        text = bind(nq, engine="oxigraph")

        def once(text: str = text) -> int:
            r = st.query(text, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
            return len(list(r)) if isinstance(r, ox.QuerySolutions) else 1

        t = time.perf_counter()
        n = once()
        warm = time.perf_counter() - t
        times = []
        # a query far over the bar is timed once (its warm-up): three more runs of a minute
        # each would tell nothing more
        for _ in range(runs if warm < slow else 0):
            t = time.perf_counter()
            once()
            times.append(time.perf_counter() - t)
        rows.append((name, n, statistics.median(times) if times else warm))
        note = "" if times else "  (one run: over the bar many times)"
        print(f"  {name:<30} rows {n:>7}  {rows[-1][2]:.3f} s{note}", flush=True)
    return rows


def extract_throughput(mb: float, jobs: int, work: Path, rounds: int = 5) -> int:
    """Whole-process ``kg extract --jobs J`` against a plain jieba.lcut process, same text."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    pages = work / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    size = chars = i = 0
    while size < mb * 1_000_000:
        p = seeds[i % len(seeds)]
        data = p.read_bytes()
        (pages / f"{i:05d}_{p.name}").write_bytes(data)
        size += len(data)
        chars += len(data.decode("utf-8"))
        i += 1
    print(f"{i} pages, {size / 1e6:.2f} MB, {chars:,} characters", flush=True)
    # kg's modules as an installed kg has them, compiled to bytecode (pip compiles a package at
    # install, as it did jieba's; a checkout's first run writes them, unless
    # PYTHONDONTWRITEBYTECODE is set): otherwise every kg process here compiles them again
    import kg as package

    subprocess.run([sys.executable, "-m", "compileall", "-q", *package.__path__], check=True)
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
    print(f"kg's bytecode compiled first (PYTHONDONTWRITEBYTECODE={flag!r} here)")
    jieba_code = (
        "import sys, pathlib, jieba\n"
        "jieba.setLogLevel(60)\n"
        "n = 0\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')):\n"
        "    n += len(jieba.lcut(p.read_text(encoding='utf-8')))\n"
        "print(n)\n"
    )
    # CPU sampled every 0.05 s: a worker's last CPU seconds are those of its last sample
    jb_cmd = [sys.executable, "-c", jieba_code, str(pages)]

    def kg_extract(j: int, out: str) -> list[str]:
        return [sys.executable, "-m", "kg", "extract", str(pages), "--jobs", str(j), "-o", str(work / out)]

    kg_cmd = kg_extract(jobs, "x.jsonl")
    kg1 = run(kg_extract(1, "y.jsonl"), every=0.05)
    # the two processes side by side, ``rounds`` times, which one goes first alternating: on a
    # shared machine the speed of a core drifts from minute to minute, and a ratio of two runs
    # far apart measures the drift as much as the code
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for k in range(rounds):
        if k % 2 == 0:
            jb = run(jb_cmd, every=0.05)
            kg = run(kg_cmd, every=0.05)
        else:
            kg = run(kg_cmd, every=0.05)
            jb = run(jb_cmd, every=0.05)
        for label, r in (("jieba.lcut", jb), (f"kg extract --jobs {jobs}", kg)):
            if r["rc"] != 0:
                print(f"{label}: exit {r['rc']}: {r['stderr']}")
                return 1
        pairs.append((jb, kg))
    if kg1["rc"] != 0:
        print(f"kg extract --jobs 1: exit {kg1['rc']}: {kg1['stderr']}")
        return 1
    same = (work / "x.jsonl").read_bytes() == (work / "y.jsonl").read_bytes()
    print()
    head = f"{'process':<28} {'seconds':>8} {'CPU s':>7} {'chars/s':>10}"
    print(f"{head} {'vs jieba.lcut':>14} {'peak PSS MB':>12}  critical path s (main + busiest worker)")

    def path(r: dict[str, Any]) -> tuple[float, str]:
        # what the wall time would be with the cores free: the main process (start-up,
        # reading, writing; it competes with the workers for the cores) plus the busiest
        # worker; on a loaded machine the wall clock measures the other jobs too
        busiest = r["child_cpu"][0] if r["child_cpu"] else 0.0
        workers = " + ".join(f"{c:.2f}" for c in r["child_cpu"]) or "none"
        return r["main_cpu"] + busiest, f"main {r['main_cpu']:.2f}, workers {workers}"

    def line(label: str, r: dict[str, Any], jb: dict[str, Any]) -> tuple[float, float]:
        cp, parts = path(r)
        wall, cpu = jb["seconds"] / r["seconds"], jb["main_cpu"] / cp
        print(
            f"{label:<28} {r['seconds']:8.2f} {r['cpu']:7.2f} {chars / r['seconds']:10,.0f} "
            f"{wall:13.2f}× {r['pss_mb']:12,.0f}  {cp:.2f} ({parts}): {cpu:.2f}×"
        )
        return wall, cpu

    walls, cpus = [], []
    for k, (jb, kg) in enumerate(pairs, 1):
        line(f"round {k}: jieba.lcut", jb, jb)
        wall, cpu = line(f"round {k}: kg extract -j {jobs}", kg, jb)
        walls.append(wall)
        cpus.append(cpu)
    line("kg extract --jobs 1", kg1, pairs[0][0])
    print(
        f"\nkg extract --jobs {jobs} vs jieba.lcut over {rounds} round(s): wall median "
        f"{statistics.median(walls):.2f}× (range {min(walls):.2f}–{max(walls):.2f}×), CPU critical "
        f"path median {statistics.median(cpus):.2f}× (range {min(cpus):.2f}–{max(cpus):.2f}×); "
        f"bar ≥ 1.5×: {'met' if statistics.median(walls) >= 1.5 else 'NOT met'} (wall median)"
    )
    print(f"JSONL of --jobs 1 and --jobs {jobs} byte-identical: {same}")
    return 0 if same else 1


#: the paragraph added to one page for the "one page edited" build
EDIT = "县应急管理局开展危险化学品企业安全生产专项检查，督促企业落实主体责任。"

#: the issue's bars by corpus size (2 jobs): first build seconds, peak MB, re-run seconds
BARS: dict[int, dict[str, float]] = {
    2000: {"seconds": 120, "mb": 1500, "rerun": 15},
    10000: {"seconds": 900, "mb": 3000},
}


def _report_queries(store: Path) -> int:
    if not store.is_dir() or not any(store.iterdir()):
        print(f"{store}: no store here; build one with --store --keep DIR (it is DIR/store)")
        return 2
    print("\nnamed queries on the store (median of 3 after a warm-up):")
    rows = time_queries(store)
    worst = max(rows, key=lambda r: r[2])
    slow = [r[0] for r in rows if r[2] >= 1.0]
    print(f"slowest: {worst[0]} {worst[2]:.3f} s; at or over 1 s: {', '.join(slow) or 'none'}")
    return 0


def _describe(out: Path) -> str:
    """What a build wrote into ``out``: its summary's counts and the size of the folder."""
    import json

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    outputs = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return (
        f"articles {summary['articles']:,}, entities {sum(summary['entities'].values()):,}, "
        f"relations {sum(summary['relations'].values()):,}, quads {summary['triples']:,}; "
        f"OUT {outputs / 1e6:,.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000, help="synthetic pages (about 10 articles each)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--store", action="store_true", help="also --store (and time the named queries on it)")
    ap.add_argument("--formats", default=None, help="--formats for kg build (default: its default)")
    ap.add_argument("--no-rerun", action="store_true", help="skip the build again with nothing changed")
    ap.add_argument("--queries", action="store_true", help="time every named query on the store")
    ap.add_argument("--no-views", action="store_true")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (pages are reused)")
    ap.add_argument(
        "--time-queries", metavar="STORE", help="only time every named query on STORE (a kept store)"
    )
    ap.add_argument("--extract-mb", type=float, default=0, help="run the kg extract throughput bar instead")
    ap.add_argument(
        "--rounds", type=int, default=5, help="--extract-mb: rounds of jieba.lcut and kg extract side by side"
    )
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    if args.time_queries:
        return _report_queries(Path(args.time_queries))

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.extract_mb:
            return extract_throughput(args.extract_mb, args.jobs, work, args.rounds)
        pages = work / f"pages-{args.pages}"
        if not pages.is_dir() or len(list(pages.iterdir())) != args.pages:
            shutil.rmtree(pages, ignore_errors=True)
            t = time.perf_counter()
            size = generate(args.pages, pages)
            print(f"generated {args.pages:,} pages, {size / 1e6:.1f} MB, in {time.perf_counter() - t:.1f} s")
        size = sum(p.stat().st_size for p in pages.iterdir())
        out, store, cache = work / "out", work / "store", work / "cache"
        for p in (out, store, cache):
            shutil.rmtree(p, ignore_errors=True)
        cmd = [sys.executable, "-m", "kg", "build", str(pages), "-o", str(out), "--cache-dir", str(cache)]
        cmd += ["--jobs", str(args.jobs), "-q"]
        cmd += ["--store", str(store)] if args.store else []
        cmd += ["--formats", args.formats] if args.formats else []
        cmd += ["--no-views"] if args.no_views else []
        print(" ".join(cmd[1:]), flush=True)
        results = [("first build (empty cache)", run(cmd))]
        described = _describe(out) if results[0][1]["rc"] == 0 else ""  # the first build's OUT
        if not args.no_rerun:
            results.append(("no-change re-run", run(cmd)))
            # an analyst's usual re-run: one page new or edited, every other page cached, so the
            # outputs are written again from the cache (no bar; the cost of adding a day's pages)
            last = sorted(pages.iterdir())[-1]
            text = last.read_text(encoding="utf-8")
            try:
                last.write_text(text + "\n\n" + EDIT, encoding="utf-8")
                results.append(("one page edited", run(cmd)))
            finally:
                last.write_text(text, encoding="utf-8")
        print()
        print(f"{args.pages:,} pages, {size / 1e6:.1f} MB, --jobs {args.jobs}")
        print(f"{'run':<28} {'seconds':>8} {'CPU s':>8} {'peak PSS MB':>12} {'max RSS MB':>11}")
        ok = True
        for label, r in results:
            if r["rc"] != 0:
                print(f"{label}: exit {r['rc']}:\n{r['stderr']}")
                ok = False
                continue
            print(
                f"{label:<28} {r['seconds']:8.1f} {r['cpu']:8.1f} "
                f"{r['pss_mb']:12,.0f} {r['max_rss_mb']:11,.0f}"
            )
        bars = BARS.get(args.pages)
        if ok and bars and args.jobs == 2:
            first, rerun = results[0][1], results[1][1] if len(results) > 1 else None
            peak = max(first["pss_mb"], first["max_rss_mb"])
            print(f"\nbars for {args.pages:,} pages with 2 jobs (issue 12):")
            checks = [("first build", first["seconds"], bars["seconds"], "s")]
            checks.append(("peak memory (PSS of the tree, or one process's RSS)", peak, bars["mb"], "MB"))
            if rerun is not None and "rerun" in bars:
                checks.append(("no-change re-run", rerun["seconds"], bars["rerun"], "s"))
            for what, got, bar, unit in checks:
                verdict = "met" if got <= bar else "NOT met"
                print(f"  {what:<54} {got:8,.1f} {unit} (bar ≤ {bar:,} {unit}): {verdict}")
        if ok:
            print(described)
        if ok and args.queries and args.store:
            _report_queries(store)
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
