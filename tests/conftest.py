"""Shared fixtures of the graph tests: the seeds' extraction and a Virtuoso server."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.corpus import Corpus
from kg.model import FileResult

from ._util import missing_service

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seeds"


def seed_file(prefix: str) -> Path:
    return next(p for p in sorted(SEED_DIR.glob("*.txt")) if p.name.startswith(prefix))


@pytest.fixture(scope="session")
def seed_results() -> list[FileResult]:
    """The extraction of the five seed pages (once per test session)."""
    from kg.pipeline import extract_paths

    ex = extract_paths([str(SEED_DIR)])
    assert not ex.errors, ex.errors
    return sorted(ex.files, key=lambda r: r.source.name)


@pytest.fixture(scope="session")
def seed_corpus(seed_results: list[FileResult]) -> Corpus:
    """The seeds' corpus: what extraction gives, relations included (none added by hand, so a
    graph test sees the relation extractor get worse)."""
    return Corpus.from_results(seed_results)


# -- Virtuoso ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso server on loopback (dba/dba on a fresh database)."""

    http: str  # http://127.0.0.1:PORT
    user: str = "dba"
    password: str = "dba"

    @property
    def sparql(self) -> str:
        return self.http + "/sparql"

    @property
    def graph_store(self) -> str:
        return self.http + "/sparql-graph-crud-auth"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _virtuoso_ini(template: Path, folder: Path, port: int, http_port: int) -> str:
    """Virtuoso's packaged configuration with every file in ``folder`` and loopback ports."""
    text = template.read_text(encoding="utf-8", errors="replace")
    files = {
        "DatabaseFile": "virtuoso.db",
        "ErrorLogFile": "virtuoso.log",
        "LockFile": "virtuoso.lck",
        "TransactionFile": "virtuoso.trx",
        "xa_persistent_file": "virtuoso.pxa",
    }
    section = ""
    out = []
    for line in text.splitlines():
        m = re.match(r"^\s*\[(\w+)\]", line)
        if m:
            section = m.group(1)
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith(";") else ""
        if key in files:
            name = files[key] if section == "Database" else "temp-" + files[key]
            line = f"{key} = {folder / name}"
        elif key == "ServerPort" and section == "Parameters":
            line = f"ServerPort = 127.0.0.1:{port}"
        elif key == "ServerPort" and section == "HTTPServer":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif key == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}"
        elif key in ("NumberOfBuffers", "MaxDirtyBuffers"):
            line = f"{key} = {10000 if key == 'NumberOfBuffers' else 6000}"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Start Debian's virtuoso-opensource on loopback for the session; skip when absent."""
    exe = shutil.which("virtuoso-t")
    template = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
    if exe is None or not template.is_file():
        missing_service(
            "virtuoso-t is not installed (apt-get install virtuoso-opensource; see .ci/install-services.sh)"
        )
    folder = tmp_path_factory.mktemp("virtuoso")
    port, http_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_virtuoso_ini(template, folder, port, http_port), encoding="utf-8")
    proc = subprocess.run(
        [exe, "+configfile", str(ini), "+wait"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lock = folder / "virtuoso.lck"
    if proc.returncode != 0:
        log = (
            (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
            if (folder / "virtuoso.log").exists()
            else ""
        )
        pytest.fail(f"virtuoso-t did not start ({proc.returncode}): {proc.stderr[-1000:]}\n{log}")
    server = Virtuoso(f"http://127.0.0.1:{http_port}")
    try:
        _wait_http(server.sparql, timeout=60)
        yield server
    finally:
        pid = _lock_pid(lock)
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pid = None
            deadline = time.monotonic() + 20
            while pid and time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                if pid:
                    os.kill(pid, signal.SIGKILL)


def _lock_pid(lock: Path) -> int | None:
    try:
        m = re.search(r"VIRT_PID=(\d+)", lock.read_text())
    except OSError:
        return None
    return int(m.group(1)) if m else None


def _wait_http(url: str, timeout: float) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
