"""Extraction speed and memory, side by side with plain jieba.lcut on the same text.

    python benchmarks/bench_extract.py [--mb 5] [--repeat 1]

The bundled seed pages are repeated until the corpus holds at least ``--mb``
megabytes (UTF-8). Each phase runs in a fresh process so that its peak memory
(max RSS) and start-up are measured on their own:

- start-up: importing safety-kg and loading its resources (dictionaries, gazetteer,
  vocabularies, automaton) in a fresh interpreter;
- jieba.lcut: jieba's throughput on the corpus (its dictionary load excluded);
- extraction: the full pipeline per page (layout, segmentation, all extractors,
  resolution, relations), resources excluded.

It prints one table; the ratio column is extraction throughput / jieba.lcut's.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _corpus(mb: float) -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in SEEDS]
    out: list[tuple[str, str]] = []
    size = 0
    i = 0
    while size < mb * 1_000_000:
        name, text = texts[i % len(texts)]
        out.append((f"{i:05d}_{name}", text))
        size += len(text.encode("utf-8"))
        i += 1
    return out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _startup(q: mp.Queue) -> None:
    t = time.perf_counter()
    from kg.nlp.resources import resources

    resources()
    q.put({"seconds": time.perf_counter() - t, "peak_mb": _peak_mb()})


def _jieba(q: mp.Queue, mb: float) -> None:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    corpus = _corpus(mb)
    chars = sum(len(t) for _, t in corpus)
    t = time.perf_counter()
    for _, text in corpus:
        jieba.lcut(text)
    secs = time.perf_counter() - t
    q.put({"chars": chars, "seconds": secs, "peak_mb": _peak_mb()})


def _extract(q: mp.Queue, mb: float) -> None:
    from kg.model import SourceText
    from kg.nlp.resources import resources
    from kg.pipeline import extract_source

    res = resources()
    corpus = _corpus(mb)
    chars = sum(len(t) for _, t in corpus)
    t = time.perf_counter()
    n_ent = n_rel = 0
    for name, text in corpus:
        r = extract_source(SourceText(name, name, text, "utf-8", "txt"), res)
        n_ent += len(r.entities)
        n_rel += len(r.relations)
    secs = time.perf_counter() - t
    q.put({"chars": chars, "seconds": secs, "peak_mb": _peak_mb(), "entities": n_ent, "relations": n_rel})


def _run(target, *args) -> dict:  # type: ignore[no-untyped-def]
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(q, *args))
    p.start()
    out = q.get()
    p.join()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in megabytes (default 5)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="jieba and extraction run alternately this many times; the ratio is the median of "
        "each round's (default 3: the machine is shared and its speed drifts within minutes)",
    )
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    start = min((_run(_startup) for _ in range(3)), key=lambda r: r["seconds"])
    rounds = []
    for _ in range(max(1, args.rounds)):
        j, e = _run(_jieba, args.mb), _run(_extract, args.mb)
        rounds.append((j, e, (e["chars"] / e["seconds"]) / (j["chars"] / j["seconds"])))
    rounds.sort(key=lambda r: r[2])
    jb, ex, _ratio = rounds[len(rounds) // 2]  # the median round
    ratios = [r[2] for r in rounds]
    jb_rate = jb["chars"] / jb["seconds"]
    ex_rate = ex["chars"] / ex["seconds"]
    mb = ex["chars"] * 3 / 1_000_000  # CJK: ~3 bytes a character in UTF-8
    print(f"corpus: {len(_corpus(args.mb))} pages, {ex['chars']:,} characters (~{mb:.1f} MB UTF-8)")
    print(f"{'phase':<22} {'seconds':>8} {'chars/s':>12} {'vs jieba':>9} {'peak RSS MB':>12}")
    print(f"{'start-up (best of 3)':<22} {start['seconds']:>8.2f} {'':>12} {'':>9} {start['peak_mb']:>12.0f}")
    print(f"{'jieba.lcut':<22} {jb['seconds']:>8.2f} {jb_rate:>12,.0f} {1.0:>9.2f} {jb['peak_mb']:>12.0f}")
    ratio = ex_rate / jb_rate
    print(
        f"{'safety-kg extraction':<22} {ex['seconds']:>8.2f} {ex_rate:>12,.0f} "
        f"{ratio:>9.2f} {ex['peak_mb']:>12.0f}"
    )
    print(f"extracted: {ex['entities']:,} entity records, {ex['relations']:,} relation records")
    print(f"ratio per round (jieba and extraction side by side): {', '.join(f'{r:.2f}' for r in ratios)}")
    if args.json:
        print(json.dumps({"startup": start, "jieba": jb, "extract": ex, "ratio": ex_rate / jb_rate}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
