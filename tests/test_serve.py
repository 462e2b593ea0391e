"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint, exercised with real HTTP clients."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import requests

from kg.corpus import Corpus
from kg.export.build import render_outputs, summarize, write_outputs
from kg.export.rdf.iri import GRAPH_VOCAB
from kg.export.rdf.quads import corpus_quads
from kg.export.sparql.serve import Server, make_server, negotiate

from ._util import Listener
from .test_query import LEAK, REACHING_OUT, reaching_out

BAR = (
    "SELECT ?n WHERE { ?p a kg:Place ; rdfs:label ?n ; kg:implements ?c . "
    '?c rdfs:label "春夏九防·敲门行动"@zh }'
)
COUNTIES = {"长子县", "屯留区", "壶关县"}
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, seed_corpus: Corpus) -> Path:
    folder = tmp_path_factory.mktemp("serve-out")
    quads = corpus_quads(seed_corpus)
    write_outputs(folder, render_outputs(seed_corpus, quads, summarize(seed_corpus, quads)))
    return folder


@contextlib.contextmanager
def serving(target: Path, **kwargs: float) -> Iterator[Server]:
    """A server on a free loopback port, in a thread of this process."""
    server = make_server(target, port=0, **kwargs)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture(scope="module")
def endpoint(out: Path) -> Iterator[str]:
    # the limit covers parsing the query too (in the query's own process): on a loaded
    # machine rdflib's parser alone can take over a second, so the limit leaves room for it
    with serving(out, timeout=4, workers=2) as server:
        yield server.url


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
    vocab = requests.get(endpoint, params={"query": q, "default-graph-uri": GRAPH_VOCAB}, timeout=30)
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
    assert vocab == count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": GRAPH_VOCAB})
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
    assert took < 15
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
    from kg.export.sparql.store import update_store

    update_store(tmp_path / "st", corpus_quads(seed_corpus))
    server = make_server(tmp_path / "st", port=0, timeout=5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        r = requests.get(server.url, params={"query": BAR, "format": "csv"}, timeout=30)
        assert r.status_code == 200 and set(r.text.split()[1:]) == COUNTIES
    finally:
        server.shutdown()
        server.server_close()


# -- under load and abuse (issue 10) ---------------------------------------------------------------------

ASK = 'ASK { ?p rdfs:label "长子县"@zh }'


def exchange(url: str, raw: bytes, timeout: float = 30.0, then: bytes = b"") -> bytes:
    """Send raw bytes to the server of ``url`` and read until it closes the connection."""
    u = urlsplit(url)
    with socket.create_connection((u.hostname, u.port), timeout=timeout) as s:
        s.sendall(raw)
        if then:
            with contextlib.suppress(OSError):  # the server may answer before reading it all
                s.sendall(then)
        data = b""
        with contextlib.suppress(ConnectionResetError):  # after the answer: a lingering body
            while chunk := s.recv(65536):
                data += chunk
        return data


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith((b"HTTP/1.1 ", b"HTTP/1.0 ")) else 0


def get_raw(url: str, query: str, timeout: float = 30.0) -> bytes:
    path = urlsplit(url).path
    req = f"GET {path}?query={quote(query)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    return exchange(url, req.encode(), timeout)


def test_200_concurrent_clients_are_answered_without_a_reset(out: Path) -> None:
    # The time limit is also how long a query may wait for a place: 200 queries take 4 s on a quiet
    # machine and took over 40 s on a loaded one in CI. The limit is generous so that what is tested
    # is the queue (no reset, no refusal), not the machine's speed.
    # A 503 says "retry later": on a loaded machine a trivial query can run past LONG_AFTER while
    # the long pool is full, and is stopped (12 of 200 answered 200 while another test held a
    # core). So what is counted is that every client is answered, and that a client told to
    # retry is answered when it does, once the burst is over.
    with serving(out, timeout=90, workers=2) as server:
        answers = _many_clients(server.url, 200)
        assert {a for a in answers if a not in (200, 503)} == set()  # no reset, no refusal, no silence
        retried = [status_of(get_raw(server.url, ASK, timeout=90)) for a in answers if a == 503]
    assert set(retried) <= {200}
    assert answers.count(200) + len(retried) == 200


def _many_clients(endpoint: str, n: int) -> list[int | str]:
    """``n`` clients that connect at the same moment and send a trivial ASK each."""
    barrier = threading.Barrier(n)
    answers: list[int | str] = []

    def client() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(30)
        try:
            answers.append(status_of(get_raw(endpoint, ASK, timeout=150)))
        except OSError as exc:  # reset, refused, timed out
            answers.append(type(exc).__name__)

    threads = [threading.Thread(target=client) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(240)
    assert len(answers) == n
    return answers


RAW_REQUESTS = {
    "negative-length": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"#" * 3_000_000,
        400,
    ),
    "length-not-a-number": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nASK {}",
        b"",
        400,
    ),
    "length-with-sign": (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: +6\r\n\r\nASK {}", b"", 400),
    "two-lengths": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nContent-Length: 7\r\n\r\nASK {}",
        b"",
        400,
    ),
    "body-over-limit": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n",
        b"#" * 5_000_000,
        413,
    ),
    "chunked-over-limit": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n",
        (b"100000\r\n" + b"#" * 0x100000 + b"\r\n") * 3 + b"0\r\n\r\n",
        413,
    ),
    "body-not-utf8": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 13\r\n\r\nASK { \xff\xfe ?s }",
        b"",
        400,
    ),
    "form-not-utf8": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 15\r\n\r\nquery=ASK%7B%FF",
        b"",
        400,
    ),
    "query-string-not-utf8": (b"GET /sparql?query=ASK%20%7B%7D%FF HTTP/1.1\r\nHost: x\r\n\r\n", b"", 400),
    "raw-bytes-in-query-string": (b"GET /sparql?query=ASK\xff{} HTTP/1.1\r\nHost: x\r\n\r\n", b"", 400),
    "header-without-colon": (b"GET /sparql HTTP/1.1\r\nHost x\r\n\r\n", b"", 400),
    "garbage-request-line": (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", b"", 400),
    "chunked-small": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
        b"",
        200,
    ),
}


@pytest.mark.parametrize("name", list(RAW_REQUESTS))
def test_malformed_requests_get_a_clean_answer(endpoint: str, name: str) -> None:
    head, body, status = RAW_REQUESTS[name]
    head = head.replace(b"\r\nHost: x\r\n", b"\r\nHost: x\r\nConnection: close\r\n", 1)
    answer = exchange(endpoint, head, timeout=20, then=body)
    assert status_of(answer) == status, answer[:300]
    assert status_of(get_raw(endpoint, ASK)) == 200  # and the server goes on


def test_host_header_is_not_echoed(endpoint: str) -> None:
    path = urlsplit(endpoint).path
    sd = exchange(
        endpoint, f"GET {path} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".encode()
    )
    assert status_of(sd) == 200 and b"evil.example" not in sd
    assert f"sd:endpoint <{endpoint}>".encode() in sd


def test_idle_and_half_open_connections_are_closed(out: Path) -> None:
    with serving(out, timeout=5, idle_timeout=1) as server:
        u = urlsplit(server.url)
        for sent in (
            b"",
            b"GET /sparql?query=ASK",
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nASK",
        ):
            t = time.monotonic()
            with socket.create_connection((u.hostname, u.port), timeout=20) as s:
                s.sendall(sent)
                with contextlib.suppress(ConnectionResetError):
                    while s.recv(1024):
                        pass
            assert time.monotonic() - t < 10, sent  # closed by the server, not by our 20 s


def test_a_runaway_query_is_stopped_at_its_memory_limit(out: Path) -> None:
    sorted_cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
    with serving(out, timeout=20, memory_mb=300) as server:
        t = time.monotonic()
        answer = get_raw(server.url, sorted_cross, timeout=60)
        assert status_of(answer) == 503 and b"memory limit of 300 MB" in answer
        assert time.monotonic() - t < 15  # stopped by the memory cap, not the time limit
        assert status_of(get_raw(server.url, ASK)) == 200


def test_runaway_queries_do_not_hold_back_a_short_one(out: Path) -> None:
    timeout = 6.0
    with serving(out, timeout=timeout, workers=2) as server:
        runaways = [threading.Thread(target=get_raw, args=(server.url, HEAVY, 60)) for _ in range(12)]
        for th in runaways:
            th.start()
        time.sleep(1.0)  # all of them running or queued
        t = time.monotonic()
        answer = get_raw(server.url, ASK, timeout=60)
        took = time.monotonic() - t
        assert status_of(answer) == 200 and took < timeout / 2, took
        for th in runaways:
            th.join(60)


def test_no_traceback_in_the_log_whatever_clients_do(out: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", str(out), "--port", "0", "--timeout", "2"],
            stderr=err,
            stdout=subprocess.DEVNULL,
        )
    try:
        url = ""
        for _ in range(300):
            m = re.search(r"http://127\.0\.0\.1:\d+/sparql", log.read_text(errors="replace"))
            if m:
                url = m.group(0)
                break
            time.sleep(0.1)
        assert url, log.read_text()
        u = urlsplit(url)
        everything = "SELECT * WHERE { ?s ?p ?o }"
        for _ in range(10):  # hang up (RST) before reading a large answer
            with socket.create_connection((u.hostname, u.port), timeout=10) as s:
                s.sendall(f"GET /sparql?query={quote(everything)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                time.sleep(0.05)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        for head, body, _status in RAW_REQUESTS.values():
            exchange(url, head.replace(b"\r\nHost: x\r\n", b"\r\nHost: x\r\nConnection: close\r\n"), 20, body)
        get_raw(url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")  # stopped
        get_raw(url, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")  # refused
        assert status_of(get_raw(url, ASK)) == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "Error" not in text.replace("SPARQL endpoint", ""), text[-2000:]


# -- for Chinese users (issue 13): the cases of ``kg query`` at the endpoint ------------------------------


def _two_on_one_connection(url: str, first: str, second: str) -> list[tuple[int, str]]:
    """(status, body) of two GETs sent on one kept-alive connection, in order."""
    path = urlsplit(url).path
    raw = (
        f"GET {path}?query={quote(first)} HTTP/1.1\r\nHost: x\r\n\r\n"
        f"GET {path}?query={quote(second)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    ).encode()
    data = exchange(url, raw)
    out = []
    for m in re.finditer(rb"HTTP/1\.1 (\d+) [^\r]*\r\n(.*?)\r\n\r\n", data, re.S):
        length = int(re.search(rb"Content-Length: (\d+)", m.group(2), re.I).group(1))  # type: ignore[union-attr]
        out.append((int(m.group(1)), data[m.end() : m.end() + length].decode()))
    return out


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("SELECT ?p WHERE { ?p rdfs:label 长子县 }", "长子县"),
        ("SELECT ?l WHERE { ?c rdfs:label ?l FILTER (?l = 春夏九防·敲门行动) }", "春夏九防·敲门行动"),
    ],
)
def test_a_bare_chinese_word_is_a_400_on_a_kept_connection(endpoint: str, text: str, word: str) -> None:
    (bad, good) = _two_on_one_connection(endpoint, text, ASK)
    assert bad[0] == 400 and f"{word} is a bare word" in bad[1] and f'"{word}"@zh' in bad[1]
    assert len(bad[1].strip().splitlines()) == 1
    assert good == (200, good[1]) and '"boolean":true' in good[1].replace(" ", "")


def test_full_width_punctuation_is_a_400_naming_it(endpoint: str) -> None:
    r = requests.post(endpoint, data={"query": "ASK ｛ ?p ?q ?o }"}, timeout=30)
    assert r.status_code == 400 and "｛ is full-width punctuation; SPARQL takes the ASCII {" in r.text


def test_printed_iris_paste_back_at_the_endpoint(endpoint: str) -> None:
    """The IRIs of an answer, as ``kg query`` tables print them, pasted into a query: the same rows."""
    from kg.export.sparql.results import display

    query = "SELECT ?e ?n WHERE { ?e a kg:Place ; rdfs:label ?n } ORDER BY ?e"
    r = requests.get(endpoint, params={"query": query, "format": "csv"}, timeout=30)
    assert r.status_code == 200, r.text
    iris = [row[0] for row in list(csv.reader(io.StringIO(r.text)))[1:]]
    printed = [display(("uri", iri)) for iri in iris]
    assert "kgi:place/长子县" in printed
    pasted = query.replace("WHERE { ", "WHERE { VALUES ?e { " + " ".join(printed) + " } ")
    again = requests.get(endpoint, params={"query": pasted, "format": "csv"}, timeout=30)
    assert again.status_code == 200 and again.text == r.text


def test_an_undeclared_prefix_is_one_readable_line_at_the_endpoint(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": "SELECT * WHERE { ?x foo:bar ?y }"}, timeout=30)
    assert r.status_code == 400
    assert "the prefix foo: is not declared" in r.text and "PREFIX foo: <" in r.text
    assert "\\u{" not in r.text and len(r.text.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_star_keeps_the_query_order_at_the_endpoint(endpoint: str, fmt: str) -> None:
    from .test_query import STAR, _header

    r = requests.get(endpoint, params={"query": STAR, "format": fmt}, timeout=30)
    assert r.status_code == 200, r.text
    assert _header(fmt, r.text) == ["zone", "alias", "m"]


def test_a_named_query_value_of_the_wrong_kind_is_a_400_naming_what_it_accepts(endpoint: str) -> None:
    base = endpoint.replace("/sparql", "/queries")
    bad = requests.get(f"{base}/evidence-for-relation", params={"predicate": "foo"}, timeout=30)
    assert bad.status_code == 400
    (line,) = bad.text.strip().splitlines()
    assert line.startswith("kg:foo is not a value of parameter predicate; it accepts kg:locatedIn, ")
    kind = requests.get(f"{base}/places-implementing-campaign", params={"campaign": "长子县"}, timeout=30)
    assert kind.status_code == 400
    (line,) = kind.text.strip().splitlines()
    assert (
        line == "'长子县' names no kg:Campaign (parameter campaign accepts a name of one); it names kg:Place"
    )


def test_named_queries_at_the_endpoint(endpoint: str) -> None:
    base = endpoint.replace("/sparql", "/queries")
    listing = requests.get(base, timeout=30)
    assert listing.status_code == 200 and "places-implementing-campaign" in listing.text
    ok = requests.get(
        f"{base}/places-implementing-campaign",
        params={"campaign": "春夏九防·敲门行动", "format": "csv"},
        timeout=30,
    )
    assert ok.status_code == 200 and {f"{c},county" for c in COUNTIES} <= set(ok.text.split()), ok.text
    bad = requests.get(f"{base}/places-implementing-campaign", params={"campaign": "敲门行动"}, timeout=30)
    assert bad.status_code == 400
    (line,) = bad.text.strip().splitlines()
    assert line.startswith(
        "no entity is named '敲门行动' (parameter campaign); close names: 春夏九防·敲门行动"
    )
    alias = requests.get(f"{base}/work-within-place", params={"place": "长治"}, timeout=30)
    assert alias.status_code == 400 and "'长治' is another name of 长治市" in alias.text
    assert requests.get(f"{base}/no-such-query", timeout=30).status_code == 404
    assert (
        requests.get(f"{base}/places-implementing-campaign", params={"county": "x"}, timeout=30).status_code
        == 400
    )
