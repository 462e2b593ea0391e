"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on loopback, backed by Oxigraph.

``GET /sparql?query=…``, ``POST /sparql`` with ``query=…`` (form) or an
``application/sparql-query`` body. Results by content negotiation (``Accept``) or
``format=json|xml|csv|tsv``: SPARQL JSON (default), XML, CSV, TSV; graph results as Turtle
(N-Triples, which is Turtle). ``default-graph-uri`` and ``named-graph-uri`` are honoured;
without them a query sees the union of all graphs.

Read-only by construction: updates (``update=…``, ``application/sparql-update``, or update
text in ``query``) get 403, ``SERVICE`` gets 400 (no outbound requests), and every query runs
in a forked child process that holds a copy-on-write view of the loaded store: a query past
the time limit is killed (HTTP 503), and nothing a query does can reach the server's data.
``GET /sparql`` without a query returns a SPARQL 1.1 Service Description (Turtle).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kg.errors import KgError, UsageError
from kg.query import WRITERS, Graph, QueryTimeout, Result, call_with_timeout, check, is_update

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # bytes of a POSTed query

#: media type -> writer name, for SELECT and ASK results
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_MEDIA_OF = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = ("text/turtle", "application/n-triples", "text/plain")


def negotiate(accept: str, fmt: str | None = None) -> tuple[str, str]:
    """(writer for SELECT/ASK, media type for graph results) from ``Accept`` or ``format``."""
    if fmt:
        f = fmt.lower()
        if f in _MEDIA_OF:
            return f, "text/turtle"
        if f in ("turtle", "ttl"):
            return "json", "text/turtle"
        if f in ("nt", "ntriples", "n-triples"):
            return "json", "application/n-triples"
        raise UsageError(f"unknown format {fmt!r}; use json, xml, csv, tsv, turtle or nt")
    prefs: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if media:
            prefs.append((-q, i, media))
    prefs.sort()
    writer = next((RESULT_TYPES[m] for _q, _i, m in prefs if m in RESULT_TYPES), "json")
    graph = next((m for _q, _i, m in prefs if m in GRAPH_TYPES), "text/turtle")
    if graph == "text/plain":
        graph = "application/n-triples"
    return writer, graph


def render(result: Result, writer: str, graph_type: str) -> tuple[str, bytes]:
    """(content type, body) of a result."""
    if result.kind == "graph":
        from kg.query import nt

        body = "".join(f"{nt(s)} {nt(p)} {nt(o)} .\n" for s, p, o in result.triples)
        return f"{graph_type}; charset=utf-8", body.encode("utf-8")
    return f"{_MEDIA_OF[writer]}; charset=utf-8", WRITERS[writer](result).encode("utf-8")


class Endpoint:
    """The loaded target and the rules every request goes through."""

    def __init__(self, target: str | Path, timeout: float = 10.0, workers: int | None = None) -> None:
        self.graph = Graph(target, "oxigraph")
        if self.graph.kind != "store":
            self.graph.load()  # children share it (fork); a store is opened read-only per query
        check("ASK {}")  # imports rdflib's parser once: each query's child parses its query
        self.timeout = timeout
        self.slots = threading.BoundedSemaphore(workers or os.cpu_count() or 2)

    def answer(
        self, query: str, accept: str, fmt: str | None, default_graphs: list[str], named: list[str]
    ) -> tuple[int, str, bytes]:
        """(status, content type, body) for one query."""
        if is_update(query):
            return _text(HTTPStatus.FORBIDDEN, "SPARQL updates are not allowed: this endpoint is read-only")
        try:
            writer, graph_type = negotiate(accept, fmt)
        except UsageError as exc:
            return _text(HTTPStatus.BAD_REQUEST, str(exc))
        graph = self.graph

        def work() -> tuple[str, bytes]:
            result = graph.execute(query, default_graphs, named)
            return render(result, writer, graph_type)

        with self.slots:
            try:
                ctype, body = call_with_timeout(work, self.timeout)
            except QueryTimeout as exc:
                return _text(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
            except UsageError as exc:
                return _text(HTTPStatus.BAD_REQUEST, str(exc))
            except KgError as exc:
                return _text(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        return HTTPStatus.OK, ctype, body


def _text(status: int, msg: str) -> tuple[int, str, bytes]:
    return status, "text/plain; charset=utf-8", (msg + "\n").encode("utf-8")


SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .

[] a sd:Service ;
    sd:endpoint <{url}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
        fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples .
"""


def make_handler(endpoint: Endpoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "safety-kg-sparql/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            log.info("%s %s", self.address_string(), format % args)

        def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _dispatch(self, params: dict[str, list[str]], body_query: str | None) -> None:
            if "update" in params or "using-graph-uri" in params:
                self._send(
                    *_text(HTTPStatus.FORBIDDEN, "SPARQL updates are not allowed: this endpoint is read-only")
                )
                return
            queries = params.get("query", []) + ([body_query] if body_query is not None else [])
            if not queries:
                url = f"http://{self.headers.get('Host', 'localhost')}/sparql"
                self._send(
                    HTTPStatus.OK, "text/turtle; charset=utf-8", SERVICE_DESCRIPTION.format(url=url).encode()
                )
                return
            if len(queries) > 1:
                self._send(*_text(HTTPStatus.BAD_REQUEST, "exactly one query per request"))
                return
            fmt = (params.get("format") or [None])[0]
            status, ctype, body = endpoint.answer(
                queries[0],
                self.headers.get("Accept", ""),
                fmt,
                params.get("default-graph-uri", []),
                params.get("named-graph-uri", []),
            )
            self._send(status, ctype, body)

        def _path_ok(self) -> bool:
            path = urlsplit(self.path).path
            if path in ("/sparql", "/sparql/"):
                return True
            if path == "/":
                self._send(
                    HTTPStatus.OK,
                    "text/plain; charset=utf-8",
                    b"safety-kg read-only SPARQL 1.1 endpoint: GET or POST /sparql?query=...\n",
                )
                return False
            self._send(*_text(HTTPStatus.NOT_FOUND, "not found: the endpoint is /sparql"))
            return False

        def do_GET(self) -> None:
            if self._path_ok():
                self._dispatch(parse_qs(urlsplit(self.path).query, keep_blank_values=True), None)

        do_HEAD = do_GET

        def do_POST(self) -> None:
            if not self._path_ok():
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._send(*_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes"))
                return
            raw = self.rfile.read(length) if length else b""
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            if ctype == "application/sparql-update":
                self._send(
                    *_text(HTTPStatus.FORBIDDEN, "SPARQL updates are not allowed: this endpoint is read-only")
                )
                return
            if ctype == "application/sparql-query":
                self._dispatch(params, raw.decode("utf-8", errors="replace"))
            elif ctype in ("application/x-www-form-urlencoded", ""):
                form = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
                self._dispatch(params, None)
            else:
                self._send(
                    *_text(
                        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        "POST application/sparql-query or application/x-www-form-urlencoded",
                    )
                )

        def _refuse(self) -> None:
            self._send(
                *_text(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint: GET and POST only"),
                extra={"Allow": "GET, POST, HEAD"},
            )

        do_PUT = do_DELETE = do_PATCH = _refuse

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"


def make_server(
    target: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
    workers: int | None = None,
) -> Server:
    """A server for ``target`` bound to ``host:port`` (port 0: any free port); not yet serving."""
    endpoint = Endpoint(target, timeout=timeout, workers=workers)
    try:
        return Server((host, port), make_handler(endpoint))
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve_forever(
    target: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
    workers: int | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted."""
    server = make_server(target, host, port, timeout, workers)
    if ready:
        ready(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
