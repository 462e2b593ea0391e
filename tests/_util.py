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


def case_ids(cases: list) -> list[str]:
    """Test ids for a table of (text, ...) cases, plain tuples or ``pytest.param``: the text's start
    (a param's own id wins)."""
    return [c.id or c.values[0][:12] if hasattr(c, "values") else c[0][:12] for c in cases]


def context(text: str, home: str | None = None, before: str | None = None):  # -> kg.extract.Context
    """The extraction context of a made-up page, as the pipeline builds it: layout, tokens and
    home resolved, and the extractors that run before ``before`` (in ``DEFAULT_ORDER``) done, so
    an extractor can be called alone and sees what it sees in the pipeline."""
    from kg.extract import DEFAULT_ORDER, Context, get
    from kg.extract.home import resolve_home
    from kg.model import SourceText
    from kg.nlp import layout
    from kg.nlp.resources import resources
    from kg.nlp.segment import Doc
    from kg.pipeline.extraction import _is_known_name

    res = resources()
    source = SourceText(path="t.txt", name="t.txt", text=text, encoding="utf-8", format="txt")
    page = layout.split_page(source, is_heading_term=lambda t: _is_known_name(res, t))
    doc = Doc(source, page, res.segmenter)
    ctx = Context(doc=doc, res=res)
    ctx.home = resolve_home(ctx, home)
    for name in DEFAULT_ORDER:
        if name == before:
            break
        ctx.found[name] = get(name)(ctx)
    return ctx


def rel_context(text: str, home: str | None = None):  # -> kg.relate.RelContext
    """The relation context of a made-up page: every extractor run and mentions resolved."""
    from kg.extract.resolve import resolve
    from kg.relate import RelContext

    ctx = context(text, home)
    entities, mentions = resolve(ctx)
    return RelContext(ctx, entities, mentions)


def raw_triples(raws: list[tuple[str, str, str, int, int]]) -> set[tuple[str, str, str]]:
    """What a relation extractor returned, as (subject name, predicate, object name)."""
    return {(s.split(":", 1)[1], p, o.split(":", 1)[1]) for s, p, o, _start, _end in raws}


def relate_alone(module: str, text: str, home: str | None = None) -> set[tuple[str, str, str]]:
    """What the relation extractor registered by ``kg.relate.<module>`` alone finds on a page."""
    import importlib

    from kg.relate import get

    importlib.import_module(f"kg.relate.{module}")
    return raw_triples(get(module)(rel_context(text, home)))
