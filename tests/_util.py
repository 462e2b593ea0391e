"""Shared helpers for the tests (not fixtures: plain functions)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kg.model import FileResult
from kg.pipeline import extract_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "gold" / "seeds.jsonl"


def unbroken(text: str) -> str:
    """A slice of a page file with its line breaks (and the white space around them) removed:
    what an evidence text is (written here independently of kg.text.without_breaks)."""
    return re.sub(r"\s*\n\s*", "", text)


def names(result: FileResult, type_: str) -> set[str]:
    """Canonical names of one type."""
    out: set[str] = set()
    for e in result.entities:
        if e.type == type_:
            out.add(e.name)
    return out


def names_or_aliases(result: FileResult, type_: str) -> set[str]:
    """Canonical names and aliases of one type (either is a correct name)."""
    out: set[str] = set()
    for e in result.entities:
        if e.type == type_:
            out.add(e.name)
            out.update(e.aliases)
    return out


def extract(text: str, home: str | None = None) -> FileResult:
    return extract_text(text, home=home)


def seed(prefix: str) -> str:
    return next(p for p in SEEDS if p.name.startswith(prefix)).read_text(encoding="utf-8")


def missing_service(reason: str, *, allow_module_level: bool = False) -> None:
    """Skip a test whose service (browser, SPARQL server) is not installed.

    With ``KG_REQUIRE_SERVICES=1`` (set by ``.ci/run``, which installs them) a missing
    service fails the test instead, so CI cannot go green by skipping.
    """
    if os.environ.get("KG_REQUIRE_SERVICES") == "1":
        pytest.fail(f"KG_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=allow_module_level)


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it (and answers none).

    A query that would reach another host is pointed here: ``count`` must stay 0.
    """

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.count = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()
