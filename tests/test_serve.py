"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint, exercised with real HTTP clients."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kg import rdf
from kg.builder import render_outputs, summarize, write_outputs
from kg.corpus import Corpus
from kg.serve import make_server, negotiate

from ._util import Listener
from .test_query import LEAK, REACHING_OUT, reaching_out

BAR = (
    "SELECT ?n WHERE { ?p a kg:Place ; rdfs:label ?n ; kg:implements ?c . "
    '?c rdfs:label "春夏九防·敲门行动"@zh }'
)
COUNTIES = {"长子县", "屯留区", "壶关县"}
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, seed_corpus: Corpus) -> Iterator[str]:
    out = tmp_path_factory.mktemp("serve-out")
    quads = rdf.corpus_quads(seed_corpus)
    write_outputs(out, render_outputs(seed_corpus, quads, summarize(seed_corpus, quads)))
    server = make_server(out, port=0, timeout=1.5, workers=2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_listens_on_loopback(endpoint: str) -> None:
    assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/sparql")


def test_sparqlwrapper_get_json(endpoint: str) -> None:
    from SPARQLWrapper import GET, JSON, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setMethod(GET)
    sw.setReturnFormat(JSON)
    sw.setQuery("PREFIX kg: <https://w3id.org/safety-kg/ontology#>\n" + BAR)
    res = sw.query().convert()
    assert {b["n"]["value"] for b in res["results"]["bindings"]} == COUNTIES  # type: ignore[index]
    assert all(b["n"]["xml:lang"] == "zh" for b in res["results"]["bindings"])  # type: ignore[index]


def test_sparqlwrapper_post_with_predeclared_prefixes(endpoint: str) -> None:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setMethod(POST)
    sw.setReturnFormat(JSON)
    sw.setQuery(BAR)
    res = sw.query().convert()
    assert {b["n"]["value"] for b in res["results"]["bindings"]} == COUNTIES  # type: ignore[index]


def test_sparqlwrapper_ask_and_xml(endpoint: str) -> None:
    from SPARQLWrapper import XML, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setReturnFormat(XML)
    sw.setQuery('ASK { ?p rdfs:label "长子县"@zh }')
    assert sw.query().convert().getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("accept", "ctype"),
    [
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/html, text/csv;q=0.9, */*;q=0.1", "text/csv"),
        ("", "application/sparql-results+json"),
    ],
)
def test_content_negotiation(endpoint: str, accept: str, ctype: str) -> None:
    r = requests.get(endpoint, params={"query": BAR}, headers={"Accept": accept}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == ctype
    body = r.content.decode("utf-8")
    for county in COUNTIES:
        assert county in body
    if ctype == "text/csv":
        assert {row[0] for row in list(csv.reader(io.StringIO(body)))[1:]} == COUNTIES


def test_post_bodies(endpoint: str) -> None:
    r = requests.post(endpoint, data={"query": BAR}, timeout=30)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
    r = requests.post(
        endpoint,
        data=BAR.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        timeout=30,
    )
    assert r.status_code == 200 and set(r.text.split()[1:]) == COUNTIES


def test_format_parameter_and_construct(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": BAR, "format": "tsv"}, timeout=30)
    assert r.headers["Content-Type"].startswith("text/tab-separated-values") and '"长子县"@zh' in r.text
    c = 'CONSTRUCT { ?p kg:implements ?c } WHERE { ?p kg:implements ?c ; rdfs:label "壶关县"@zh }'
    r = requests.get(endpoint, params={"query": c}, headers={"Accept": "text/turtle"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    import rdflib

    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert len(g) >= 1


def test_default_graph_uri_restricts_the_dataset(endpoint: str) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = int(
        requests.get(endpoint, params={"query": q}, timeout=30).json()["results"]["bindings"][0]["n"]["value"]
    )
    vocab = requests.get(endpoint, params={"query": q, "default-graph-uri": rdf.GRAPH_VOCAB}, timeout=30)
    n = int(vocab.json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < n < everything


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"data": {"update": "DROP ALL"}}),
        ("post", {"data": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}),
        ("get", {"params": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
        ("post", {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
    ],
)
def test_updates_are_refused(endpoint: str, method: str, kwargs: dict) -> None:  # type: ignore[type-arg]
    r = getattr(requests, method)(endpoint, timeout=30, **kwargs)
    assert r.status_code == 403 and "read-only" in r.text
    count = requests.get(endpoint, params={"query": BAR}, timeout=30).json()
    assert len(count["results"]["bindings"]) == 3  # nothing changed


def test_sparqlwrapper_update_is_refused(endpoint: str) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sw = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, Exception)) as exc:
        sw.query()
    assert "403" in str(exc.value) or "read-only" in str(exc.value)


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ({"query": "SELECT ?x WHERE { ?x }"}, 400, "SPARQL syntax error"),
        ({"query": BAR, "format": "pdf"}, 400, "unknown format"),
    ],
)
def test_bad_requests(endpoint: str, params: dict[str, str], status: int, text: str) -> None:
    r = requests.get(endpoint, params=params, timeout=30)
    assert r.status_code == status and text in r.text


@pytest.mark.parametrize("name", list(REACHING_OUT))
def test_what_would_reach_out_gets_400_and_no_connection(endpoint: str, tmp_path: Path, name: str) -> None:
    lis = Listener()
    try:
        r = requests.post(endpoint, data={"query": reaching_out(name, lis, tmp_path)}, timeout=30)
        assert r.status_code == 400, r.text
        assert "is not allowed" in r.text or "is not a graph of" in r.text
        assert LEAK not in r.text
    finally:
        lis.close()
    assert lis.count == 0


def test_from_scopes_the_query(endpoint: str) -> None:
    def count(query: str, **params: str) -> int:
        r = requests.get(endpoint, params={"query": query, **params}, timeout=30)
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    everything = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    vocab = count("SELECT (COUNT(*) AS ?n) FROM kgg:vocab WHERE { ?s ?p ?o }")
    assert 0 < vocab < everything
    assert vocab == count(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": rdf.GRAPH_VOCAB}
    )
    assert vocab == count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH kgg:vocab { ?s ?p ?o } }")


def test_other_methods_and_paths(endpoint: str) -> None:
    assert requests.put(endpoint, data=b"x", timeout=30).status_code == 405
    assert requests.get(endpoint.replace("/sparql", "/nope"), timeout=30).status_code == 404
    sd = requests.get(endpoint, timeout=30)
    assert sd.status_code == 200 and "sd:SPARQL11Query" in sd.text


def test_long_queries_are_stopped_and_the_server_goes_on(endpoint: str) -> None:
    t = time.monotonic()
    r = requests.get(endpoint, params={"query": HEAVY}, timeout=60)
    took = time.monotonic() - t
    assert r.status_code == 503 and "time limit" in r.text
    assert took < 10
    assert requests.get(endpoint, params={"query": BAR}, timeout=30).status_code == 200


def test_concurrent_queries(endpoint: str) -> None:
    results: list[int] = []

    def ask() -> None:
        results.append(requests.get(endpoint, params={"query": BAR}, timeout=60).status_code)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [200] * 6


@pytest.mark.parametrize(
    ("accept", "fmt", "expected"),
    [
        ("application/sparql-results+json", None, ("json", "text/turtle")),
        ("text/csv;q=0.5, application/sparql-results+xml", None, ("xml", "text/turtle")),
        ("application/n-triples", None, ("json", "application/n-triples")),
        ("*/*", "csv", ("csv", "text/turtle")),
    ],
)
def test_negotiate(accept: str, fmt: str | None, expected: tuple[str, str]) -> None:
    assert negotiate(accept, fmt) == expected


def test_serve_command_help() -> None:
    from click.testing import CliRunner

    from kg.cli import main

    res = CliRunner().invoke(main, ["serve", "--help"])
    assert res.exit_code == 0 and "read-only" in res.output


def test_json_results_are_standard(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": "SELECT ?a ?n WHERE { ?a kg:adcode ?n } LIMIT 1"}, timeout=30)
    doc = json.loads(r.text)
    b = doc["results"]["bindings"][0]
    assert b["a"]["type"] == "uri" and b["n"]["type"] == "literal" and "datatype" not in b["n"]


def test_path_for_serving_a_store(tmp_path: Path, seed_corpus: Corpus) -> None:
    from kg.store import update_store

    update_store(tmp_path / "st", rdf.corpus_quads(seed_corpus))
    server = make_server(tmp_path / "st", port=0, timeout=5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        r = requests.get(server.url, params={"query": BAR, "format": "csv"}, timeout=30)
        assert r.status_code == 200 and set(r.text.split()[1:]) == COUNTIES
    finally:
        server.shutdown()
        server.server_close()
