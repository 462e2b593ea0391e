"""``kg serve`` and ``kg query`` under load and abuse: the figures of issue 10, in one run.

    python benchmarks/bench_serve.py [--out OUT] [--clients 200] [--runaways 12] [--timeout 5]
                                     [--memory-cap-mb 3000] [--skip SCENARIO ...]

Starts ``kg serve`` (a subprocess, on loopback, port chosen by the system) on a build folder
of the seeds (built into a temporary folder unless ``--out`` names one) and measures:

- ``clients``: N clients connect at the same moment and each sends a trivial ASK; counts the
  answers by status and the connection resets/refusals, and the slowest answer;
- ``runaway-memory``: one ORDER BY over a cartesian product; the peak RSS of the server and
  its children while it runs (a watchdog kills the server's children above
  ``--memory-cap-mb``, so the figure is then "at least the cap");
- ``ask-during-runaways``: M runaway queries (a COUNT over a three-way cross join) in flight,
  then the latency of a trivial ASK;
- ``malformed``: ``Content-Length: -1`` with a 3 MB body (server RSS growth), ``abc``, an
  oversized length, a body that is not UTF-8, a query string that is not UTF-8, chunked
  bodies past the limit: the status of each (or "no answer");
- ``idle``: a connection that sends half a request line and then nothing; seconds until
  the server closes it;
- ``host``: whether a ``Host: evil.example`` header comes back in the service description;
- ``service``: SERVICE, remote and file FROM, with the bypasses of issue 10, through the
  endpoint and ``kg query`` on both engines, in a network namespace of their own
  (``unshare -n``) when available: connection attempts seen by a local listener;
- ``log``: tracebacks in the server's log after all of the above (plus clients that hang up
  before reading their answer).

Every request goes to 127.0.0.1; every loop is bounded. Figures are printed as one table.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
ASK = 'ASK { ?p rdfs:label "长子县"@zh }'
CROSS3 = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SORTED_CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


# -- processes -------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from /proc)."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as f:
                    stat = f.read()
                parent[int(d)] = int(stat.rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += kids
        todo += kids
    return out


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def tree_rss_mb(pid: int) -> float:
    return rss_mb(pid) + sum(rss_mb(c) for c in children(pid))


class Server:
    """``kg serve OUT`` in a subprocess; its stderr goes to a file (the log)."""

    def __init__(self, out: Path, timeout: float, extra: list[str], log: Path) -> None:
        self.log_path = log
        self.log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", str(out), "--port", "0", "--timeout", str(timeout), *extra],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        self.port = 0
        while time.monotonic() < deadline and not self.port:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/sparql", log.read_text(errors="replace"))
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                raise SystemExit(f"kg serve exited: {log.read_text(errors='replace')}")
            else:
                time.sleep(0.1)
        if not self.port:
            raise SystemExit("kg serve did not start in 60 s")

    def stop(self) -> str:
        for c in children(self.proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(c, signal.SIGKILL)
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        return self.log_path.read_text(errors="replace")


def http(
    port: int, raw: bytes, timeout: float = 30.0, body_chunks: tuple[bytes, ...] = ()
) -> tuple[str, float]:
    """Send raw bytes, read until the server closes or answers; ("status" or error, seconds)."""
    t = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(raw)
            for chunk in body_chunks:
                try:
                    s.sendall(chunk)
                except OSError:
                    break
            data = b""
            while b"\r\n" not in data:
                b = s.recv(65536)
                if not b:
                    break
                data += b
    except ConnectionResetError:
        return "reset", time.monotonic() - t
    except ConnectionRefusedError:
        return "refused", time.monotonic() - t
    except TimeoutError:
        return "no answer", time.monotonic() - t
    except OSError as exc:
        return type(exc).__name__, time.monotonic() - t
    took = time.monotonic() - t
    if not data:
        return "closed", took
    parts = data.split(b" ", 2)
    return (parts[1].decode() if len(parts) > 1 else repr(data[:20])), took


def get(port: int, query: str, extra: str = "", timeout: float = 60.0) -> tuple[str, float]:
    req = f"GET /sparql?query={quote(query)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n"
    return http(port, req.encode(), timeout)


# -- scenarios -----------------------------------------------------------------------------------


def clients(srv: Server, n: int) -> dict[str, str]:
    results: list[tuple[str, float]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n)

    def one() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(30)
        r = get(srv.port, ASK, timeout=120)
        with lock:
            results.append(r)

    threads = [threading.Thread(target=one) for _ in range(n)]
    t = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join(180)
    wall = time.monotonic() - t
    counts: dict[str, int] = {}
    for status, _ in results:
        counts[status] = counts.get(status, 0) + 1
    resets = sum(v for k, v in counts.items() if k in ("reset", "refused", "closed", "no answer"))
    return {
        f"{n} clients: answers by status": ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())),
        f"{n} clients: resets/refused/unanswered": str(resets),
        f"{n} clients: slowest answer s": f"{max(t for _, t in results):.2f}",
        f"{n} clients: wall s": f"{wall:.2f}",
    }


def runaway_memory(srv: Server, cap_mb: float, timeout: float) -> dict[str, str]:
    base = tree_rss_mb(srv.proc.pid)
    done: list[tuple[str, float]] = []
    th = threading.Thread(target=lambda: done.append(get(srv.port, SORTED_CROSS, timeout=timeout + 30)))
    th.start()
    peak, capped = base, False
    while th.is_alive():
        peak = max(peak, tree_rss_mb(srv.proc.pid))
        if peak > cap_mb and not capped:
            capped = True
            for c in children(srv.proc.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(c, signal.SIGKILL)
        time.sleep(0.05)
    th.join()
    status, took = done[0]
    shown = f">= {cap_mb:.0f} (killed by the bench)" if capped else f"{peak:.0f}"
    return {
        "runaway ORDER BY: peak RSS MB (server + children)": shown,
        "runaway ORDER BY: server RSS before MB": f"{base:.0f}",
        "runaway ORDER BY: answer": f"{status} after {took:.1f} s",
    }


def ask_during_runaways(srv: Server, m: int, timeout: float) -> dict[str, str]:
    quiet = get(srv.port, ASK)[1]
    threads = [
        threading.Thread(target=get, args=(srv.port, CROSS3), kwargs={"timeout": 10 * timeout + 60})
        for _ in range(m)
    ]
    for th in threads:
        th.start()
    time.sleep(1.0)  # the runaways are running or queued
    status, took = get(srv.port, ASK, timeout=10 * timeout + 60)
    for th in threads:
        th.join(10 * timeout + 90)
    return {
        "trivial ASK alone s": f"{quiet:.3f}",
        f"trivial ASK with {m} runaway queries in flight s": f"{took:.3f} ({status})",
    }


def malformed(srv: Server) -> dict[str, str]:
    out = {}
    head = "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
    before = rss_mb(srv.proc.pid)
    body = b"# " + b"x" * (3 << 20) + b"\nASK {}"
    status, _ = http(srv.port, (head + "Content-Length: -1\r\n\r\n").encode(), 15, (body,))
    time.sleep(0.5)
    out["Content-Length -1 + 3 MB body"] = (
        f"{status}; server RSS {before:.0f} -> {rss_mb(srv.proc.pid):.0f} MB"
    )
    out["Content-Length abc"] = http(srv.port, (head + "Content-Length: abc\r\n\r\nASK {}").encode(), 15)[0]
    big = (head + f"Content-Length: {5 << 20}\r\n\r\n").encode()
    out["Content-Length 5 MB (limit 1 MiB)"] = http(srv.port, big, 15, (b"#" * (5 << 20),))[0]
    bad = b"ASK { ?s ?p \xff\xfe }"
    out["body not UTF-8"] = http(srv.port, (head + f"Content-Length: {len(bad)}\r\n\r\n").encode() + bad, 15)[
        0
    ]
    out["query string not UTF-8"] = http(
        srv.port, b"GET /sparql?query=ASK%20%7B%7D%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 15
    )[0]
    chunk = b"100000\r\n" + b"#" * 0x100000 + b"\r\n"
    out["chunked body of 3 MiB"] = http(
        srv.port,
        (head + "Transfer-Encoding: chunked\r\n\r\n").encode(),
        15,
        (chunk, chunk, chunk, b"0\r\n\r\n"),
    )[0]
    return out


def idle(srv: Server, limit: float = 40.0) -> dict[str, str]:
    t = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=limit) as s:
        s.sendall(b"GET /sparql?query=ASK")
        try:
            while s.recv(1024):
                pass
            shown = f"closed after {time.monotonic() - t:.1f} s"
        except TimeoutError:
            shown = f"still open after {limit:.0f} s"
        except OSError as exc:
            shown = f"{type(exc).__name__} after {time.monotonic() - t:.1f} s"
    return {"half-open connection": shown}


def host(srv: Server) -> dict[str, str]:
    req = b"GET /sparql HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", srv.port), timeout=15) as s:
        s.sendall(req)
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    return {"Host header echoed in the service description": "yes" if b"evil.example" in data else "no"}


def hang_ups(srv: Server, n: int = 20) -> None:
    """Clients that send a query with a large answer and close before reading it."""
    q = "SELECT * WHERE { ?s ?p ?o }"
    for _ in range(n):
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            s.sendall(f"GET /sparql?query={quote(q)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    time.sleep(2)


SERVICE_PROBE = ROOT / "benchmarks" / "_service_probe.py"


def service(out: Path) -> dict[str, str]:
    """Run the SERVICE/FROM probe (its own network namespace when ``unshare -n`` works)."""
    cmd = [sys.executable, str(SERVICE_PROBE), str(out)]
    isolated = (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    )
    if isolated:
        cmd = ["unshare", "-n", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh", *cmd]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=900)
    rows = {}
    for line in p.stdout.splitlines():
        if "\t" in line:
            k, v = line.split("\t", 1)
            rows[k] = v
    if p.returncode != 0:
        rows["service probe failed"] = (
            p.stderr.strip().splitlines()[-1] if p.stderr.strip() else str(p.returncode)
        )
    rows["service probe network"] = "own namespace (unshare -n)" if isolated else "loopback of this machine"
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="a build folder (default: build the seeds into a temp folder)")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--runaways", type=int, default=12)
    ap.add_argument("--timeout", type=float, default=5.0, help="kg serve --timeout")
    ap.add_argument("--memory-cap-mb", type=float, default=3000.0)
    ap.add_argument("--serve-arg", action="append", default=[], help="extra kg serve argument (repeatable)")
    ap.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["clients", "runaway-memory", "ask-during-runaways", "malformed", "idle", "host", "service"],
    )
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        out = args.out
        if out is None:
            out = tmp / "out"
            subprocess.run(
                [sys.executable, "-m", "kg", "build", str(ROOT / "seeds"), "-o", str(out), "--no-views", "-q",
                 "--no-cache"],
                check=True,
                cwd=ROOT,
            )  # fmt: skip
        rows: dict[str, str] = {}
        srv = Server(out, args.timeout, args.serve_arg, tmp / "serve.log")
        try:
            if "clients" not in args.skip:
                rows |= clients(srv, args.clients)
            if "ask-during-runaways" not in args.skip:
                rows |= ask_during_runaways(srv, args.runaways, args.timeout)
            if "runaway-memory" not in args.skip:
                rows |= runaway_memory(srv, args.memory_cap_mb, args.timeout)
            if "malformed" not in args.skip:
                rows |= malformed(srv)
            if "idle" not in args.skip:
                rows |= idle(srv)
            if "host" not in args.skip:
                rows |= host(srv)
            hang_ups(srv)
        finally:
            log = srv.stop()
        rows["tracebacks in the server log"] = str(log.count("Traceback"))
        rows["server log lines"] = str(len(log.splitlines()))
        if "service" not in args.skip:
            rows |= service(out)
        width = max(len(k) for k in rows)
        for k, v in rows.items():
            print(f"{k:<{width}}  {v}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
