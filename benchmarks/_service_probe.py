"""SERVICE / remote FROM / file FROM against ``kg serve`` and ``kg query`` (both engines).

    python benchmarks/_service_probe.py OUT

Run by bench_serve.py, in a network namespace of its own when ``unshare -n`` works. A listener
on 127.0.0.1 counts every connection made to it; a Turtle file holds a marker triple that
shows whether a ``FROM <file:…>`` was read. Prints tab-separated rows (figure, value).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
MARK = "LEAKED-MARKER"


def queries(port: int, leak: Path) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}/sparql"
    s = "SELECT * WHERE"
    return {
        "SERVICE": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SERVICE SILENT": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "service (lower case)": f"SELECT * WHERE {{ service <{url}> {{ ?s ?p ?o }} }}",
        "kg:a\\'b before SERVICE": f"{s} {{ OPTIONAL {{ kg:a\\'b ?p ?o }} SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "kgi:a\\#b before SERVICE": f"{s} {{ OPTIONAL {{ kgi:a\\#b ?p ?o }} SERVICE <{url}> {{ ?s ?p ?o }}}}",
        "\\u0053ERVICE": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "comment ended by CR": f"SELECT * WHERE {{ # note\r SERVICE SILENT <{url}> {{ ?s ?p ?o }}\n}}",
        "SERVICE in FILTER EXISTS": f"{s} {{ ?x ?y ?z FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "SERVICE in a subquery": f"{s} {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "SERVICE ?variable": f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "FROM <http:…>": f"SELECT ?o FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "FROM NAMED <http:…>": f"SELECT ?o FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "FROM <file:…>": f"SELECT ?o FROM <{leak.as_uri()}> WHERE {{ ?s ?p ?o }}",
        "LOAD": f"LOAD <{url}>",
    }


class Listener:
    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.count = 0
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.count += 1
            conn.settimeout(1)
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 500 no\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            conn.close()

    def take(self) -> int:
        time.sleep(0.3)
        n, self.count = self.count, 0
        return n


def main() -> int:
    out = Path(sys.argv[1])
    lis = Listener()
    tmp = Path(tempfile.mkdtemp(prefix="service-probe-"))
    leak = tmp / "leak.ttl"
    leak.write_text(f'<urn:x> <urn:y> "{MARK}" .\n', encoding="utf-8")
    qs = queries(lis.port, leak)
    totals = {"endpoint": 0, "oxigraph": 0, "rdflib": 0}
    leaks = {"endpoint": 0, "oxigraph": 0, "rdflib": 0}
    outcomes: dict[str, list[str]] = {}
    log = (tmp / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(out), "--port", "0", "--timeout", "10"],
        stderr=log,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    port = 0
    for _ in range(600):
        m = re.search(r"127\.0\.0\.1:(\d+)/sparql", (tmp / "serve.log").read_text(errors="replace"))
        if m:
            port = int(m.group(1))
            break
        time.sleep(0.1)
    try:
        for name, q in qs.items():
            row = []
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                s.sendall(
                    f"GET /sparql?query={quote(q)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
                )
                data = b""
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    data += b
            n = lis.take()
            totals["endpoint"] += n
            leaks["endpoint"] += MARK.encode() in data
            row.append(f"endpoint {data.split(b' ', 2)[1].decode()}{f' ({n} conn)' if n else ''}")
            for engine in ("oxigraph", "rdflib"):
                p = subprocess.run(
                    [sys.executable, "-m", "kg", "query", str(out), q, "--engine", engine],
                    capture_output=True,
                    text=True,
                    timeout=120,
                    cwd=ROOT,
                )
                n = lis.take()
                totals[engine] += n
                leaks[engine] += MARK in p.stdout
                row.append(f"{engine} exit {p.returncode}{f' ({n} conn)' if n else ''}")
            outcomes[name] = row
    finally:
        serve.terminate()
        serve.wait(10)
        log.close()
        lis.stop = True
    for name, row in outcomes.items():
        print(f"  {name}\t{'; '.join(row)}")
    for k in totals:
        print(f"connections to the listener via {'kg serve' if k == 'endpoint' else 'kg query --engine ' + k}"
              f"\t{totals[k]} ({len(qs)} queries)")  # fmt: skip
    for k in leaks:
        print(f"file FROM read via {'kg serve' if k == 'endpoint' else 'kg query --engine ' + k}\t{leaks[k]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
