"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on loopback, backed by Oxigraph.

``GET /sparql?query=…``, ``POST /sparql`` with ``query=…`` (form) or an
``application/sparql-query`` body. Results by content negotiation (``Accept``) or
``format=json|xml|csv|tsv``: SPARQL JSON (default), XML, CSV, TSV; graph results as Turtle
(N-Triples, which is Turtle). ``default-graph-uri`` and ``named-graph-uri`` are honoured;
without them and without ``FROM`` a query sees the union of all graphs. SELECT results are
written by Oxigraph (``QuerySolutions.serialize``). ``GET /queries``
lists the named queries and ``GET /queries/NAME?PARAM=VALUE`` runs one (as ``kg query TARGET
NAME -p PARAM=VALUE``; a name that names no entity is a 400 with the closest names).

Read-only and closed by construction: updates (``update=…``, ``application/sparql-update``,
or update text in ``query``) get 403; ``SERVICE`` and ``FROM`` of a file or URL get 400, decided
on the parsed query (:func:`kg.export.sparql.check.check`). Every query runs in a forked child process that
holds a copy-on-write view of the loaded store, with a memory cap and a time limit (503 past
either): nothing a query does can reach the server's data or grow the server.

HTTP is served by waitress (a maintained pure-Python WSGI server): it parses requests,
refuses malformed ones with 400 (bad ``Content-Length``, bad chunking), bodies over 1 MiB with
413, closes idle and half-open connections, and queues connections instead of resetting them.
Queries are scheduled in two levels (:class:`Scheduler`): up to ``workers`` new queries run at
full priority; one that runs past :data:`LONG_AFTER` seconds leaves its place to the next and
goes on at the lowest CPU priority among at most ``2 × workers`` long queries (one more is
stopped with 503), so runaway queries cannot hold back a short one for long.
``GET /sparql`` without a query returns a SPARQL 1.1 Service Description (Turtle).
"""

from __future__ import annotations

import collections
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from kg.errors import KgError, UsageError
from kg.export.sparql.check import check, is_update
from kg.export.sparql.child import QueryChild, QueryTimeout, QueryTooLarge
from kg.export.sparql.engine import Target, check_names
from kg.export.sparql.named import NamedQuery

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  #: bytes of a POSTed request body
MAX_RESULT = 128 << 20  #: bytes of one answer
LONG_AFTER = 0.25  #: seconds after which a running query counts as long
IDLE_TIMEOUT = 15.0  #: seconds an idle or half-open connection is kept
MEMORY_MB = 1024.0  #: memory a query may take beyond the loaded data (MB)

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
READ_ONLY = "SPARQL updates are not allowed: this endpoint is read-only"


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


class Busy(KgError):
    """The endpoint has no room for the query now (HTTP 503, retry later)."""


class Scheduler:
    """Places for query children: a fair (FIFO) queue for new queries, a pool for long ones.

    ``workers`` queries run at once as new ones; a query that runs past :data:`LONG_AFTER`
    seconds moves to the long pool (at most ``long`` queries, at the lowest CPU priority) and
    frees its place for the next in the queue. So a short query waits for at most the queries
    ahead of it times :data:`LONG_AFTER` divided by ``workers``, however many runaway queries
    there are; a query that turns long while the long pool is full is stopped (503).
    """

    def __init__(self, workers: int, long: int) -> None:
        self.workers = workers
        self.long = long
        self._cond = threading.Condition()
        self._queue: collections.deque[object] = collections.deque()
        self._new = 0
        self._long = 0

    def enter(self, deadline: float) -> None:
        """Wait (first come, first served) for a place; Busy when ``deadline`` passes first."""
        ticket = object()
        with self._cond:
            self._queue.append(ticket)
            try:
                while not (self._queue[0] is ticket and self._new < self.workers):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise Busy("the endpoint is busy: the query waited past its time limit; retry later")
                    self._cond.wait(left)
                self._new += 1
            finally:
                self._queue.remove(ticket)
                self._cond.notify_all()

    def to_long(self) -> bool:
        """Move a running query from the new places to the long pool (False when it is full)."""
        with self._cond:
            if self._long >= self.long:
                return False
            self._long += 1
            self._new -= 1
            self._cond.notify_all()
            return True

    def leave(self, long: bool) -> None:
        with self._cond:
            if long:
                self._long -= 1
            else:
                self._new -= 1
            self._cond.notify_all()


class Endpoint:
    """The loaded target and the rules every query goes through."""

    def __init__(
        self,
        target: str | Path,
        timeout: float = 10.0,
        workers: int | None = None,
        memory_mb: float | None = MEMORY_MB,
    ) -> None:
        self.target = Target(target, "oxigraph")
        if self.target.kind != "store":
            self.target.load()  # children share it (fork); a store is opened read-only per query
        check("ASK {}")  # imports rdflib's parser once: each query's child parses its query
        self.timeout = timeout
        self.memory_mb = memory_mb
        n = workers or os.cpu_count() or 2
        self.scheduler = Scheduler(n, 2 * n)

    def answer(
        self,
        query: str,
        accept: str,
        fmt: str | None,
        default_graphs: list[str],
        named: list[str],
        named_query: NamedQuery | None = None,
        given: Mapping[str, str] | None = None,
    ) -> tuple[int, str, bytes]:
        """(status, content type, body) for one query (for a named query: its bound text,
        the query and the parameters given, whose names are checked in the query's child)."""
        given = dict(given or {})
        if is_update(query):
            return _text(HTTPStatus.FORBIDDEN, READ_ONLY)
        try:
            writer, graph_type = negotiate(accept, fmt)
        except UsageError as exc:
            return _text(HTTPStatus.BAD_REQUEST, str(exc))
        target = self.target

        def work() -> tuple[str, bytes]:
            if named_query is not None:
                check_names(target, named_query, given)
            answer = target.answer(query, writer, default_graphs, named, "nt", MAX_RESULT)
            if answer.kind == "graph":  # N-Triples, which is Turtle too
                return f"{graph_type}; charset=utf-8", answer.body
            return f"{_MEDIA_OF[writer]}; charset=utf-8", answer.body

        try:
            ctype, body = self._run(work)
        except (QueryTimeout, QueryTooLarge, Busy) as exc:
            return _text(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
        except UsageError as exc:
            status = HTTPStatus.FORBIDDEN if "updates are not allowed" in str(exc) else HTTPStatus.BAD_REQUEST
            return _text(status, str(exc))
        except KgError as exc:
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        return HTTPStatus.OK, ctype, body

    def _run(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` in a query child, scheduled (see :class:`Scheduler`), within the limits."""
        deadline = time.monotonic() + self.timeout
        self.scheduler.enter(deadline)
        long = False
        child = None
        try:
            child = QueryChild(work, self.memory_mb)
            if not child.wait(min(LONG_AFTER, deadline - time.monotonic())):
                if time.monotonic() < deadline:
                    if not self.scheduler.to_long():
                        raise Busy(
                            "the endpoint is busy with long queries: this one was stopped after "
                            f"{LONG_AFTER:g} s; retry later"
                        )
                    long = True
                    child.deprioritize()
                if not child.wait(deadline - time.monotonic()):
                    raise QueryTimeout(
                        f"the query ran past its time limit of {self.timeout:g} s and was stopped"
                    )
            return child.result()
        finally:
            if child is not None:
                child.close()
            self.scheduler.leave(long)


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


class BadRequest(Exception):
    """A request this endpoint cannot read (HTTP 400 or the given status)."""

    def __init__(self, msg: str, status: int = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(msg)
        self.status = status


def _form(raw: bytes, what: str) -> dict[str, list[str]]:
    """URL-encoded parameters, strictly UTF-8."""
    try:
        return parse_qs(raw.decode("ascii"), keep_blank_values=True, errors="strict", max_num_fields=100)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"{what} is not URL-encoded UTF-8 ({exc})") from None


class App:
    """The WSGI application: the SPARQL 1.1 Protocol over :class:`Endpoint`."""

    def __init__(self, endpoint: Endpoint, url: str) -> None:
        self.endpoint = endpoint
        self.url = url  # the URL the server listens on (never the client's Host header)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        extra: list[tuple[str, str]] = []
        try:
            status, ctype, body = self.respond(environ, method)
        except BadRequest as exc:
            status, ctype, body = _text(exc.status, str(exc))
        except Exception as exc:  # a bug of ours: one line in the log, 500 to the client
            log.error(
                "internal error on %s %s: %s: %s", method, environ.get("PATH_INFO"), type(exc).__name__, exc
            )
            status, ctype, body = _text(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error")
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            extra.append(("Allow", "GET, POST, HEAD"))
        phrase = HTTPStatus(status).phrase
        headers = [("Content-Type", ctype), ("Content-Length", str(len(body))), ("Vary", "Accept"), *extra]
        start_response(f"{int(status)} {phrase}", headers)
        return [b""] if method == "HEAD" else [body]

    def respond(self, environ: dict[str, Any], method: str) -> tuple[int, str, bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/":
            return (
                HTTPStatus.OK,
                "text/plain; charset=utf-8",
                b"safety-kg read-only SPARQL 1.1 endpoint: GET or POST /sparql?query=...\n",
            )
        if path.startswith(QUERIES):
            if method not in ("GET", "HEAD"):
                return _text(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint: GET and POST only")
            return self.named(path[len(QUERIES) :].strip("/"), environ)
        if path not in ("/sparql", "/sparql/"):
            return _text(HTTPStatus.NOT_FOUND, "not found: the endpoint is /sparql (and /queries/NAME)")
        if method not in ("GET", "HEAD", "POST"):
            return _text(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint: GET and POST only")
        # PEP 3333 hands the query string over as latin-1: back to bytes, then strict UTF-8
        params = _form(environ.get("QUERY_STRING", "").encode("latin-1"), "the query string")
        body_query = None
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)  # waitress checked it (400 / 413)
            except ValueError:
                raise BadRequest("Content-Length is not a number") from None
            if length > MAX_BODY:
                raise BadRequest(f"request body over {MAX_BODY} bytes", HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            raw = environ["wsgi.input"].read(length) if length else b""
            ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return _text(HTTPStatus.FORBIDDEN, READ_ONLY)
            if ctype == "application/sparql-query":
                try:
                    body_query = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise BadRequest(f"the query is not UTF-8 ({exc})") from None
            elif ctype in ("application/x-www-form-urlencoded", ""):
                for k, v in _form(raw, "the form").items():
                    params.setdefault(k, []).extend(v)
            else:
                return _text(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "POST application/sparql-query or application/x-www-form-urlencoded",
                )
        if "update" in params or "using-graph-uri" in params:
            return _text(HTTPStatus.FORBIDDEN, READ_ONLY)
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if not queries:
            return (
                HTTPStatus.OK,
                "text/turtle; charset=utf-8",
                SERVICE_DESCRIPTION.format(url=self.url).encode(),
            )
        if len(queries) > 1:
            return _text(HTTPStatus.BAD_REQUEST, "exactly one query per request")
        fmt = params["format"][0] if params.get("format") else None
        return self.endpoint.answer(
            queries[0],
            environ.get("HTTP_ACCEPT", ""),
            fmt,
            params.get("default-graph-uri", []),
            params.get("named-graph-uri", []),
        )

    def named(self, name: str, environ: dict[str, Any]) -> tuple[int, str, bytes]:
        """``GET /queries``: the named queries; ``GET /queries/NAME?PARAM=VALUE…``: one of them
        with its parameters bound (as ``kg query TARGET NAME -p PARAM=VALUE``), results as for
        ``/sparql`` (``format``, ``Accept``, ``default-graph-uri``, ``named-graph-uri``)."""
        from kg.export.sparql.named import bind, list_queries, named_queries

        if not name:
            return HTTPStatus.OK, "text/plain; charset=utf-8", (list_queries() + "\n").encode("utf-8")
        nq = named_queries().get(name)
        if nq is None:
            return _text(
                HTTPStatus.NOT_FOUND,
                f"no query named {name!r}; the named queries are: {', '.join(named_queries())} ({QUERIES})",
            )
        params = _form(environ.get("QUERY_STRING", "").encode("latin-1"), "the query string")
        given: dict[str, str] = {}
        for key, vals in params.items():
            if key in _PROTOCOL_PARAMS:
                continue
            if len(vals) > 1:
                return _text(HTTPStatus.BAD_REQUEST, f"parameter {key} given {len(vals)} times")
            given[key] = vals[0]
        try:
            text = bind(nq, given, self.endpoint.target.engine)
        except UsageError as exc:
            return _text(HTTPStatus.BAD_REQUEST, str(exc))
        fmt = params["format"][0] if params.get("format") else None
        return self.endpoint.answer(
            text,
            environ.get("HTTP_ACCEPT", ""),
            fmt,
            params.get("default-graph-uri", []),
            params.get("named-graph-uri", []),
            named_query=nq,
            given=given,
        )


QUERIES = "/queries"  #: the path of the named queries
_PROTOCOL_PARAMS = {"format", "default-graph-uri", "named-graph-uri"}


class Server:
    """A waitress server for one endpoint (``run`` serves until ``close``)."""

    def __init__(self, endpoint: Endpoint, host: str, port: int, idle_timeout: float) -> None:
        from waitress.server import create_server

        n = endpoint.scheduler.workers + endpoint.scheduler.long
        app = App(endpoint, "")
        self._server = create_server(
            app,
            host=host,
            port=port,
            threads=n + 16,  # the query places, plus threads that wait in the fair queue
            backlog=1024,  # the kernel's queue of connections not yet accepted
            connection_limit=256,  # past this, connections wait in the backlog
            channel_timeout=idle_timeout,
            cleanup_interval=max(0.5, min(5.0, idle_timeout / 2)),
            max_request_body_size=MAX_BODY,
            max_request_header_size=64 << 10,
            asyncore_use_poll=True,  # no FD_SETSIZE limit
            expose_tracebacks=False,
            log_socket_errors=False,  # clients that hang up are not the server's trouble
            ident="safety-kg-sparql",
        )
        bound_host, bound_port = self._server.effective_host, self._server.effective_port
        shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
        self.url = f"http://{shown}:{bound_port}/sparql"
        app.url = self.url
        self._closed = threading.Event()

    def serve_forever(self) -> None:
        try:
            self._server.run()
        except OSError:
            if not self._closed.is_set():  # closing the socket ends the loop with EBADF
                raise

    def shutdown(self) -> None:
        self._closed.set()
        self._server.close()
        self._server.task_dispatcher.shutdown(timeout=1)

    server_close = shutdown


def make_server(
    target: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
    workers: int | None = None,
    memory_mb: float | None = MEMORY_MB,
    idle_timeout: float = IDLE_TIMEOUT,
) -> Server:
    """A server for ``target`` bound to ``host:port`` (port 0: any free port); not yet serving."""
    for name in ("waitress", "waitress.queue"):  # "task queue depth is N": the queue is ours to manage
        logging.getLogger(name).setLevel(logging.ERROR)
    endpoint = Endpoint(target, timeout=timeout, workers=workers, memory_mb=memory_mb)
    try:
        return Server(endpoint, host, port, idle_timeout)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve_forever(
    target: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 10.0,
    workers: int | None = None,
    memory_mb: float | None = MEMORY_MB,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted."""
    server = make_server(target, host, port, timeout, workers, memory_mb)
    if ready:
        ready(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
