"""kill -9 during ``kg build -o OUT --store DIR``, many times: is each folder wholly old or new?

    python scripts/kill_builds.py [--runs 50] [--steps N] [--random-steps N] [--no-store] [--seed S]

Two corpora of two seed pages each (one page shared) are built once to record what a
complete OUT and store hold. Then ``--runs`` builds, each of the corpus OUT does not hold,
are killed with SIGKILL from outside after a random delay uniform over 1.2 times one build's
duration (the median of three, process start to exit; the new OUT is swapped in at the very
end, so some runs finish first). After each, OUT must equal one of the two complete builds
file for file (hidden files included; a file of the user's in OUT is part of both), and the
store must hold exactly one of the two quad sets. ``--steps N`` adds N kills at evenly
spread file-system steps of the build (an audit hook in the child SIGKILLs itself there),
``--random-steps N`` N kills at steps drawn at random (random moments that machine load
cannot shift). At the end one build runs to completion and nothing may be left beside OUT
or the store, nor temp files in the cache. Prints one line per run and the counts; exit 1 when any run
left a mixture.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests._killbuild import KillRig  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=50, help="kills after random delays (default 50)")
    ap.add_argument("--steps", type=int, default=0, help="kills at evenly spread file-system steps")
    ap.add_argument("--random-steps", type=int, default=0, help="kills at file-system steps drawn at random")
    ap.add_argument("--no-store", action="store_true", help="build OUT only, without --store")
    ap.add_argument("--seed", type=int, default=None, help="random seed of the delays")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temp folder")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="kg-kill-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rig = KillRig(work, store=not args.no_store)
        t0 = time.monotonic()
        rig.setup()
        seconds = sorted(rig.time_build() for _ in range(3))[1]  # the median of three
        steps, _ = rig.count_steps()
        rig.count_steps()  # both directions (A to B, B to A): a step sweep needs each one's count
        print(
            f"setup {time.monotonic() - t0:.1f} s; one build: {seconds:.2f} s, {steps} file-system steps; "
            f"OUT {len(rig.outs['A'])}/{len(rig.outs['B'])} entries (A/B)"
        )
        rng = random.Random(args.seed)
        outcomes: Counter[str] = Counter()
        bad = 0
        plan = [("random", rng.uniform(0.0, seconds * 1.2)) for _ in range(args.runs)]
        if args.steps:
            plan += [("step", i / max(args.steps - 1, 1)) for i in range(args.steps)]
        plan += [("step", rng.random()) for _ in range(args.random_steps)]
        for i, (kind, at) in enumerate(plan, 1):
            before, before_store = rig.holds()
            if before not in ("A", "B") or before_store != before:
                rig.reset("A")  # a mixture left by the previous run: start again from A
                before, _ = rig.holds()
            if kind == "random":
                (out, store), killed = rig.kill_after(at)
                where = f"after {at:.2f} s"
            else:
                (out, store), killed, step = rig.kill_at_step(at)
                where = f"at step {step} ({at:.0%})"
            whole = out in ("A", "B") and store in ("A", "B")
            bad += not whole
            if not whole:
                state = f"MIXED: OUT {out[:300]}; store {store[:100]}"
            elif not killed:
                state = "not killed (finished)"
            else:
                age = {before: "old"}
                state = f"OUT {age.get(out, 'new')}, store {age.get(store, 'new')}"
            outcomes[state if whole else "MIXED"] += 1
            print(f"{i:3d} {kind:6s} {where:>18s}: {before} -> {state}", flush=True)
        if rig.holds()[0] in ("A", "B"):
            rig.complete(rig.other())
        else:
            rig.reset("A")
        debris = rig.debris()
        print(f"\n{len(plan)} runs: " + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())))
        print(f"left behind after the next complete build: {debris or 'nothing'}")
        return 1 if bad or debris else 0


if __name__ == "__main__":
    sys.exit(main())
