"""kill -9 during ``kg build``: is OUT (and the store) wholly old or wholly new afterwards?

Shared by tests/test_build.py (a few runs in CI) and scripts/kill_builds.py (the 50-run
bar). Two corpora A and B (overlapping seed pages) are built once each to record what a
complete OUT and store hold; then each run starts a build of the other corpus than the one
OUT holds and kills it with SIGKILL, either

- after a random delay (``kill_after``): the real thing, from outside; or
- at its N-th file-system step (``kill_at_step``): an audit hook in the child counts every
  open-for-writing, rename, link, mkdir and removal and SIGKILLs its own process at the N-th,
  so a sweep over N visits every step of the write phase deterministically (or, with
  ``KG_KILL_AT_PATH``, as it renames a file whose path contains that text into place).

After each kill, OUT must equal snapshot A or snapshot B file for file (byte-identical,
hidden files included), and the store must hold exactly A's or B's quads.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seeds"

#: the child's audit hook: count file-system steps, SIGKILL at the N-th (N < 0: count only)
HOOK = r"""
import os, signal, sys
_n = int(os.environ["KG_KILL_AT_STEP"])
_at_path = os.environ.get("KG_KILL_AT_PATH")
_count = [0]
_STEPS = {"os.rename", "os.remove", "os.rmdir", "os.link", "os.mkdir", "shutil.rmtree",
          "os.symlink", "os.truncate"}
def _hook(event, args):
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if not writing:
            return
    elif event not in _STEPS:
        return
    if _at_path and event == "os.rename" and _at_path in str(args[0]):
        os.kill(os.getpid(), signal.SIGKILL)  # a file written whole, not yet in place
    _count[0] += 1
    if _count[0] == _n:
        os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(_hook)
if _n < 0:
    import atexit
    atexit.register(lambda: open(os.environ["KG_KILL_COUNT"], "w").write(str(_count[0])))
from kg.cli import main
sys.argv = ["kg", *sys.argv[1:]]
main()
"""


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (hidden ones too): relative path → sha256 of a file, or "dir"."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for dirpath, dirnames, filenames in os.walk(folder):
        for d in dirnames:
            out[str(Path(dirpath, d).relative_to(folder))] = "dir"
        for f in filenames:
            p = Path(dirpath, f)
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def store_snapshot(folder: Path) -> frozenset[str] | None:
    """The quads of a store folder as N-Quads lines (None when it cannot be opened)."""
    import pyoxigraph as ox

    try:
        st = ox.Store.read_only(str(folder / "oxigraph"))
        quads = frozenset(str(q) for q in st)
    except OSError:
        return None
    del st
    return quads


def describe(got: dict[str, str], a: dict[str, str], b: dict[str, str]) -> str:
    """Why ``got`` is neither ``a`` nor ``b`` (for assertion messages)."""
    parts = []
    for name, ref in (("A", a), ("B", b)):
        extra = sorted(set(got) - set(ref))
        missing = sorted(set(ref) - set(got))
        differ = sorted(k for k in set(got) & set(ref) if got[k] != ref[k])
        parts.append(
            f"vs {name}: {len(extra)} extra {extra[:3]}, {len(missing)} missing {missing[:3]}, "
            f"{len(differ)} differ {differ[:3]}"
        )
    return "; ".join(parts)


@dataclass
class KillRig:
    """Two corpora, their complete outputs, and a build folder to kill builds in."""

    work: Path
    store: bool = True
    pages: dict[str, Path] = field(default_factory=dict)
    outs: dict[str, dict[str, str]] = field(default_factory=dict)
    stores: dict[str, frozenset[str] | None] = field(default_factory=dict)
    steps: dict[str, int] = field(default_factory=dict)  # steps of a build of each corpus

    @property
    def out(self) -> Path:
        return self.work / "site" / "out"

    @property
    def store_dir(self) -> Path:
        return self.work / "site" / "store"

    def args(self, corpus: str) -> list[str]:
        a = ["build", str(self.pages[corpus]), "-o", str(self.out), "-q"]
        a += ["--cache-dir", str(self.work / "cache")]
        if self.store:
            a += ["--store", str(self.store_dir)]
        return a

    def setup(self) -> None:
        """Build A and B completely once each; record their snapshots; leave OUT holding A."""
        seeds = sorted(SEED_DIR.glob("*.txt"))
        for name, chosen in (("A", seeds[0:2]), ("B", seeds[1:3])):
            folder = self.work / "pages" / name
            folder.mkdir(parents=True)
            for p in chosen:
                shutil.copy(p, folder)
            self.pages[name] = folder
        for name in ("B", "A"):  # OUT ends up holding A
            self.complete(name)
            self.outs[name] = snapshot(self.out)
            self.stores[name] = store_snapshot(self.store_dir) if self.store else None

    def time_build(self) -> float:
        """Seconds of one complete build of the other corpus (process start to exit); flips OUT."""
        t0 = time.monotonic()
        self.complete(self.other())
        return time.monotonic() - t0

    def complete(self, corpus: str) -> None:
        """A build that runs to its end."""
        proc = subprocess.run(
            [sys.executable, "-m", "kg", *self.args(corpus)],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
        )
        if proc.returncode != 0:
            raise AssertionError(f"kg build failed: {proc.stderr}")
        # a user's own file in OUT is part of both states (a build keeps what it did not write)
        notes = self.out / "notes.md"
        if not notes.exists():
            notes.write_text("my notes on this build\n", encoding="utf-8")

    def holds(self) -> tuple[str, str]:
        """What OUT and the store hold now: "A", "B", or a description of the mixture each.

        OUT and the store are two folders, each replaced on its own: a kill between the two
        swaps leaves one of them new and the other old, each whole.
        """
        got = snapshot(self.out)
        out = next((k for k, ref in self.outs.items() if got == ref), None)
        if out is None:
            out = "mixed: " + describe(got, self.outs["A"], self.outs["B"])
        if not self.store:
            return out, out
        quads = store_snapshot(self.store_dir)
        store = next((k for k, ref in self.stores.items() if quads == ref), None)
        if store is None:
            store = "neither: " + ("unreadable" if quads is None else f"{len(quads)} quads")
        return out, store

    def _child(self, corpus: str, step: int, count_file: Path | None = None) -> subprocess.Popen[bytes]:
        env = {**os.environ, "KG_KILL_AT_STEP": str(step)}
        if count_file is not None:
            env["KG_KILL_COUNT"] = str(count_file)
        return subprocess.Popen(
            [sys.executable, "-c", HOOK, *self.args(corpus)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def other(self) -> str:
        now, _store = self.holds()
        if now not in ("A", "B"):
            raise AssertionError(now)
        return "B" if now == "A" else "A"

    def count_steps(self) -> tuple[int, float]:
        """(file-system steps, seconds) of one complete build from the current state; flips OUT."""
        self.clear_leftovers()
        count = self.work / "steps"
        target = self.other()
        t0 = time.monotonic()
        proc = self._child(target, -1, count)
        _out, err = proc.communicate(timeout=300)
        if proc.returncode != 0:
            raise AssertionError(f"kg build failed: {err.decode(errors='replace')}")
        self.steps[target] = int(count.read_text()) - 1  # not the hook's own count file
        return self.steps[target], time.monotonic() - t0

    def reset(self, corpus: str = "A") -> None:
        """Start again from a complete build of ``corpus`` in fresh folders (after a mixture)."""
        for p in (self.work / "site").iterdir():
            shutil.rmtree(p)
        self.complete(corpus)

    def clear_leftovers(self) -> None:
        """Remove what killed builds left beside OUT and the store (the next build would do it,
        but its cleaning would shift the step numbers of a sweep)."""
        for p in (self.work / "site").iterdir():
            if p.name not in ("out", "store"):
                shutil.rmtree(p)

    def kill_at_step(self, fraction: float) -> tuple[tuple[str, str], bool, int]:
        """Build the other corpus, SIGKILLed at the file-system step at ``fraction`` of it;
        (what OUT and the store hold, killed, the step)."""
        target = self.other()
        if target not in self.steps:
            self.count_steps()  # flips OUT: the other corpus is now ``target``'s opposite
            target = self.other()
            if target not in self.steps:
                self.count_steps()
                target = self.other()
        self.clear_leftovers()
        step = max(1, round(fraction * self.steps[target]))
        proc = self._child(target, step)
        _out, err = proc.communicate(timeout=300)
        if proc.returncode not in (0, -signal.SIGKILL):
            raise AssertionError(f"kg build failed: {err.decode(errors='replace')}")
        return self.holds(), proc.returncode == -signal.SIGKILL, step

    def kill_after(self, seconds: float) -> tuple[tuple[str, str], bool]:
        """Build the other corpus, SIGKILLed from outside after ``seconds``; (what OUT holds, killed)."""
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg", *self.args(self.other())],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=300)
        if proc.returncode not in (0, -signal.SIGKILL):
            raise AssertionError(f"kg build failed: {err.decode(errors='replace')}")
        return self.holds(), proc.returncode == -signal.SIGKILL

    def debris(self) -> list[str]:
        """Entries left beside OUT and the store, and temp files in the cache."""
        site = sorted(p.name for p in (self.work / "site").iterdir())
        expected = ["out", "store"] if self.store else ["out"]
        left = [n for n in site if n not in expected]
        left += [str(p) for p in (self.work / "cache").rglob("*") if p.name.endswith(".tmp")]
        return left
