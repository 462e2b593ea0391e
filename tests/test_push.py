"""``kg push``: the built graph into a real Virtuoso server, and queried back.

The session fixture ``virtuoso`` (conftest.py) starts Debian's virtuoso-opensource on
loopback with a fresh database and stops it afterwards; without ``virtuoso-t`` these tests
are skipped (``.ci/install-services.sh`` installs it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.corpus import Corpus
from kg.export.build import render_outputs, summarize, write_outputs
from kg.export.rdf.iri import GRAPH_ENTITIES, GRAPH_RELATIONS, page_graph
from kg.export.rdf.quads import corpus_quads
from kg.export.sparql.push import PushError, push, read_graphs, remote_graph_counts
from kg.model import FileResult

from .conftest import ROOT, Virtuoso

BAR = (
    "PREFIX kg: <https://w3id.org/safety-kg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?n WHERE { ?p a kg:Place ; rdfs:label ?n ; kg:implements ?c . "
    '?c rdfs:label "春夏九防·敲门行动"@zh }'
)


def _write(folder: Path, corpus: Corpus) -> Path:
    quads = corpus_quads(corpus)
    write_outputs(folder, render_outputs(corpus, quads, summarize(corpus, quads)))
    return folder


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, seed_corpus: Corpus) -> Path:
    return _write(tmp_path_factory.mktemp("push-out"), seed_corpus)


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, out: Path) -> dict:  # type: ignore[type-arg]
    """The seeds pushed with the Graph Store Protocol through the CLI."""
    p = subprocess.run(
        [
            sys.executable, "-m", "kg", "push", str(out),
            "--endpoint", virtuoso.graph_store, "--user", virtuoso.user,
            "--query-endpoint", virtuoso.sparql,
        ],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**__import__("os").environ, "KG_PUSH_PASSWORD": virtuoso.password},
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "counts checked" in p.stderr
    return {"stderr": p.stderr}


def _select(virtuoso: Virtuoso, query: str) -> list[dict]:  # type: ignore[type-arg]
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(virtuoso.sparql)
    sw.setReturnFormat(JSON)
    sw.setQuery(query)
    return sw.query().convert()["results"]["bindings"]  # type: ignore[index,no-any-return]


def test_pushed_graph_answers_the_bar_query(virtuoso: Virtuoso, pushed: dict) -> None:  # type: ignore[type-arg]
    rows = _select(virtuoso, BAR)
    assert sorted(r["n"]["value"] for r in rows) == sorted(["长子县", "屯留区", "壶关县"])
    assert all(r["n"]["xml:lang"] == "zh" for r in rows)


def test_every_named_graph_arrives_whole(virtuoso: Virtuoso, pushed: dict, out: Path) -> None:  # type: ignore[type-arg]
    local = {g: len(set(lines)) for g, lines in read_graphs(out).items()}
    assert remote_graph_counts(virtuoso.sparql) == local


def test_provenance_survives_the_push(virtuoso: Virtuoso, pushed: dict) -> None:  # type: ignore[type-arg]
    from kg.export.sparql.named import bind, named_queries, with_prefixes

    text = with_prefixes(bind(named_queries()["evidence-for-relation"], {"subject": '"壶关县"@zh'}))
    rows = _select(virtuoso, text)
    assert "扎实推进“春夏九防·敲门行动”" in {r["text"]["value"] for r in rows}
    for row in rows:
        source = (ROOT / "seeds" / row["page"]["value"]).read_text(encoding="utf-8")
        assert source[int(row["start"]["value"]) : int(row["end"]["value"])] == row["text"]["value"]


def test_push_again_replaces_and_prunes(
    virtuoso: Virtuoso, pushed: dict, tmp_path: Path, seed_results: list[FileResult]
) -> None:  # type: ignore[type-arg]
    keep = [r for r in seed_results if r.source.name.startswith("004")]
    small = _write(tmp_path / "small", Corpus.from_results(keep))
    report = push(
        small,
        virtuoso.graph_store,
        user=virtuoso.user,
        password=virtuoso.password,
        prune=True,
        query_endpoint=virtuoso.sparql,
    )
    assert report["verified"] and len(report["pruned"]) == 4  # the other four pages
    remote = remote_graph_counts(virtuoso.sparql)
    assert remote == {g: len(set(v)) for g, v in read_graphs(small).items()}
    assert sorted(r["n"]["value"] for r in _select(virtuoso, BAR)) == sorted(["长子县", "屯留区", "壶关县"])


def test_push_with_sparql_update(virtuoso: Virtuoso, tmp_path: Path, seed_results: list[FileResult]) -> None:
    keep = [r for r in seed_results if r.source.name.startswith("001")]
    small = _write(tmp_path / "small", Corpus.from_results(keep))
    # Virtuoso's authenticated SPARQL endpoint takes updates (INSERT DATA in batches)
    report = push(
        small,
        virtuoso.http + "/sparql-auth",
        protocol="update",
        user=virtuoso.user,
        password=virtuoso.password,
        batch=400,
    )
    assert report["graphs"] == len(read_graphs(small))
    remote = remote_graph_counts(virtuoso.sparql)
    page = page_graph(keep[0].source.name)
    assert remote[page] == len(set(read_graphs(small)[page]))
    rows = _select(
        virtuoso,
        "PREFIX kg: <https://w3id.org/safety-kg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        'SELECT ?d WHERE { ?o kg:issues ?x ; rdfs:label "长治市人民政府"@zh . ?x rdfs:label ?d }',
    )
    assert "关于做好2025年安全生产工作的通知" in {r["d"]["value"] for r in rows}


def test_wrong_password_is_a_clear_error(virtuoso: Virtuoso, out: Path) -> None:
    with pytest.raises(PushError, match="401"):
        push(out, virtuoso.graph_store, user=virtuoso.user, password="wrong")


def test_push_needs_a_build_folder(tmp_path: Path) -> None:
    p = subprocess.run(
        [sys.executable, "-m", "kg", "push", str(tmp_path), "--endpoint", "http://127.0.0.1:9/x"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert p.returncode == 2 and "has no graph.nq" in p.stderr


def test_a_second_push_sends_only_the_graphs_that_changed(
    virtuoso: Virtuoso, tmp_path: Path, seed_results: list[FileResult]
) -> None:
    """The README's promise: kg push rewrites only changed graphs."""
    two = [r for r in seed_results if r.source.name.startswith(("001", "004"))]
    folder = _write(tmp_path / "out", Corpus.from_results(two))
    kw = {"user": virtuoso.user, "password": virtuoso.password, "query_endpoint": virtuoso.sparql}
    sent: list[str] = []
    first = push(folder, virtuoso.graph_store, progress=lambda g, n: sent.append(g), **kw)
    assert first["pushed"] == first["graphs"] == len(read_graphs(folder)) and first["verified"]

    sent.clear()
    again = push(folder, virtuoso.graph_store, progress=lambda g, n: sent.append(g), **kw)
    assert sent == [] and again["pushed"] == 0 and again["unchanged"] == again["graphs"]

    # one page leaves the corpus: the entity and relation graphs change, the rest does not
    one = [r for r in two if r.source.name.startswith("004")]
    _write(folder, Corpus.from_results(one))
    third = push(folder, virtuoso.graph_store, progress=lambda g, n: sent.append(g), **kw)
    assert sorted(sent) == sorted([str(GRAPH_ENTITIES), str(GRAPH_RELATIONS)])
    assert third["verified"] and third["unchanged"] == third["graphs"] - 2

    # a graph the server lost is sent again (the query endpoint shows its count is wrong)
    page = page_graph(one[0].source.name)
    import requests

    requests.delete(
        f"{virtuoso.graph_store}?graph={page}",
        auth=requests.auth.HTTPDigestAuth(virtuoso.user, virtuoso.password),
        timeout=60,
    ).raise_for_status()
    sent.clear()
    fourth = push(folder, virtuoso.graph_store, progress=lambda g, n: sent.append(g), **kw)
    assert sent == [page] and fourth["verified"]
    assert push(folder, virtuoso.graph_store, everything=True, **kw)["pushed"] == fourth["graphs"]


def test_a_kg_build_keeps_what_was_pushed(tmp_path: Path) -> None:
    """The push state lives in OUT, and a rebuild of OUT carries it over."""
    from kg.export.build import build
    from kg.export.sparql.push import STATE
    from kg.pipeline.cache import ResultCache

    out = tmp_path / "out"
    page = sorted((ROOT / "seeds").glob("*.txt"))[0]
    build([str(page)], out=out, cache=ResultCache(tmp_path / "cache"))
    (out / STATE).write_text('{"format": 1, "endpoints": {}}\n', encoding="utf-8")
    build([str(page)], out=out, cache=ResultCache(tmp_path / "cache"))
    assert (out / STATE).read_text(encoding="utf-8") == '{"format": 1, "endpoints": {}}\n'
