"""Hostile inputs (issue 10, item 7): time and peak memory, side by side in one run.

    python benchmarks/bench_inputs.py [--mb 5]

- HTML nested 200,000 deep against the same page flat (``kg.ingest.html.html_to_text``);
- a single-line page of ``--mb`` MB (the seeds joined, newlines dropped) and a 1 MB page
  without a full stop, through ``kg extract`` and ``kg build --no-cache`` in fresh
  processes (seconds, peak RSS, output size);
- a 50 MB page through ``kg build``: refused before it is read (the default limit).

Each command runs in its own process; peak RSS is that process's (``os.wait4``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit code, last stderr line) of ``kg ARGS``."""
    t = time.perf_counter()
    p = subprocess.Popen(
        [sys.executable, "-m", "kg", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert p.stderr is not None
    err = p.stderr.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    last = err.strip().splitlines()[-1] if err.strip() else ""
    return time.perf_counter() - t, usage.ru_maxrss / 1024, p.returncode, last


def _size(path: Path) -> str:
    if path.is_dir():
        n = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    else:
        n = path.stat().st_size if path.exists() else 0
    return f"{n / 1e6:.1f} MB"


def _html(depth: int) -> float:
    from kg.ingest.html import html_to_text

    body = "".join(f"<p>{p}</p>" for p in SEEDS[4].read_text(encoding="utf-8").split("\n\n"))
    page = f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"
    t = time.perf_counter()
    html_to_text(page)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="size of the single-line page (MB)")
    args = ap.parse_args()

    print("HTML nesting (kg.ingest.html.html_to_text)")
    flat, deep = _html(0), _html(200_000)
    print(f"  flat page            {flat:8.2f} s")
    print(f"  nested 200,000 deep  {deep:8.2f} s   ratio {deep / max(flat, 1e-9):.0f}x")

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-inputs-"))
    env = {**os.environ, "SAFETY_KG_CACHE": str(tmp / "cache")}
    try:
        joined = "".join(p.read_text(encoding="utf-8") for p in SEEDS).replace("\n", "")
        size = int(args.mb * 1e6)
        line = (joined * (size // len(joined.encode()) + 1)).encode()[:size].decode("utf-8", "ignore")
        pages = {
            f"single line, {args.mb:g} MB": (tmp / "line.txt", line),
            "no full stop, 1 MB": (tmp / "nostop.txt", re.sub("[。！？；!?;]", "，", line)[: 1_000_000 // 3]),
        }
        print("\npage                     command        seconds   peak RSS   output")
        for label, (path, text) in pages.items():
            path.write_text(text, encoding="utf-8")
            out = tmp / f"{path.stem}.jsonl"
            s, rss, code, _ = _run(["extract", str(path), "-o", str(out), "--max-file-size", "1GB"], env)
            print(f"{label:24} kg extract  {s:9.1f} {rss:8.0f} MB  {_size(out):>9}  exit {code}")
            out = tmp / f"{path.stem}-graph"
            s2, rss2, code, _ = _run(
                ["build", str(path), "-o", str(out), "--no-cache", "-q", "--max-file-size", "1GB"], env
            )
            print(f"{'':24} kg build    {s2:9.1f} {rss2:8.0f} MB  {_size(out):>9}  exit {code}")
            print(f"{'':24} build/extract: {s2 / s:.1f}x time, {rss2 / rss:.1f}x memory")
        big = tmp / "big.txt"
        data = line.encode()
        big.write_bytes((data * (50_000_000 // len(data) + 1))[:50_000_000])
        s, rss, code, msg = _run(["build", str(big), "-o", str(tmp / "big-graph"), "--no-cache", "-q"], env)
        print(f"\n50 MB page ({_size(big)}), kg build: {s:.1f} s, {rss:.0f} MB, exit {code}")
        print(f"  {msg}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
