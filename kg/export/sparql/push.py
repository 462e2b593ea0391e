"""``kg push``: load a built graph into any SPARQL 1.1 store over HTTP, graph by graph.

Two ways in, both standard:

``gsp`` (default)
    SPARQL 1.1 Graph Store HTTP Protocol: ``PUT <endpoint>?graph=<g>`` with the graph as
    N-Triples (sent as ``text/turtle``, of which N-Triples is a subset), which replaces the
    graph on the server. One request per named graph.
``update``
    SPARQL 1.1 Update: ``DROP SILENT GRAPH <g>`` then ``INSERT DATA { GRAPH <g> { … } }`` in
    batches, POSTed as ``application/sparql-update``.

Each named graph of ``OUT/graph.nq`` (the vocabularies, entities, relations and one graph per
page) replaces the server's graph of the same name, so a second push after a rebuild updates
the server; ``prune`` also drops our graphs the build no longer has.

Only changed graphs are sent: ``OUT/.kg-push.json`` keeps, per endpoint, the SHA-256 of each
graph as last pushed there, and a graph with the same digest is skipped (with a query
endpoint, only when the server also holds its number of triples: a server that lost it gets
it again). A graph's digest is forgotten before it is sent, so a push that fails half-way
sends it again next time. ``kg build`` keeps the file (OUT's other files are carried into each
new build). ``everything`` sends every graph.

HTTP goes through ``requests`` (basic or digest authentication, as Virtuoso's
``/sparql-graph-crud-auth`` wants: it answers the first challenge and then authenticates
each request up front, which a large PUT needs).
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import KgError, UsageError
from kg.namespace import KGG

#: what was pushed where, inside the build folder (kept across builds: kg build carries it)
STATE = ".kg-push.json"


class PushError(KgError):
    """The server refused or failed a request."""

    exit_code = 1


def _session(user: str | None, password: str | None, auth: str) -> Any:
    """An HTTP session with basic or digest authentication."""
    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth

    s = requests.Session()
    if user is not None:
        s.auth = (
            HTTPDigestAuth(user, password or "") if auth == "digest" else HTTPBasicAuth(user, password or "")
        )
    return s


def _request(
    session: Any,
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 300.0,
) -> bytes:
    import requests

    try:
        resp = session.request(method, url, data=body, headers=headers or {}, timeout=timeout)
    except requests.RequestException as exc:
        raise PushError(f"{method} {url}: {exc}") from exc
    if resp.status_code >= 400:
        detail = resp.text[:500].strip()
        raise PushError(
            f"{method} {url}: HTTP {resp.status_code} {resp.reason}{': ' + detail if detail else ''}"
        )
    return bytes(resp.content)


def _prime(session: Any, url: str) -> None:
    """Answer the server's digest challenge once with a body-less request.

    Later requests then carry the Authorization header from the start; without this, a
    large PUT is sent unauthenticated first, and a server that answers 401 and closes the
    connection before reading the body breaks the pipe.
    """
    import requests

    if session.auth is None:
        return
    try:
        resp = session.request("HEAD", url, timeout=30)
    except requests.RequestException as exc:
        raise PushError(f"HEAD {url}: {exc}") from exc
    if resp.status_code in (401, 403):  # wrong credentials: say so even when nothing is to be sent
        raise PushError(f"HEAD {url}: HTTP {resp.status_code} {resp.reason}")


def read_graphs(out: str | Path) -> dict[str, list[str]]:
    """The N-Triples lines of each named graph of ``OUT/graph.nq`` (in file order)."""
    import pyoxigraph as ox

    path = Path(out) / "graph.nq"
    if not path.is_file():
        raise UsageError(f"{out} has no graph.nq; build it with kg build PAGES -o {out}")
    graphs: dict[str, list[str]] = defaultdict(list)
    try:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if not isinstance(q.graph_name, ox.NamedNode):
                raise UsageError(f"{path}: a triple outside a named graph; rebuild with kg build")
            graphs[q.graph_name.value].append(f"{q.subject} {q.predicate} {q.object} .")
    except SyntaxError as exc:
        raise UsageError(f"{path}: not valid N-Quads ({exc}); rebuild with kg build") from exc
    return dict(graphs)


def _with_param(endpoint: str, name: str, value: str) -> str:
    sep = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{sep}{urllib.parse.urlencode({name: value})}"


def remote_graph_counts(query_endpoint: str, session: Any = None) -> dict[str, int]:
    """Triples per named graph of ours on a SPARQL endpoint."""
    q = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER (STRSTARTS(STR(?g), "{KGG}")) }} GROUP BY ?g'
    )
    url = _with_param(query_endpoint, "query", q)
    body = _request(
        session or _session(None, None, "basic"),
        "GET",
        url,
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        doc = json.loads(body)
        return {b["g"]["value"]: int(b["n"]["value"]) for b in doc["results"]["bindings"]}
    except (ValueError, KeyError) as exc:
        raise PushError(f"{query_endpoint}: unexpected answer to a graph count query ({exc})") from exc


def _digest(lines: list[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _load_state(out: Path) -> dict[str, Any]:
    try:
        state = json.loads((out / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": 1, "endpoints": {}}
    if not isinstance(state, dict) or not isinstance(state.get("endpoints"), dict):
        return {"format": 1, "endpoints": {}}
    return state


def _save_state(out: Path, state: dict[str, Any]) -> str | None:
    """Write the push state; the reason when it cannot be written (then every graph goes next time)."""
    from kg.export.staging import atomic_writer

    try:
        with atomic_writer(out / STATE) as fh:
            json.dump(state, fh, indent=1, sort_keys=True)
            fh.write("\n")
    except (OSError, KgError) as exc:
        return str(exc)
    return None


def push(
    out: str | Path,
    endpoint: str,
    protocol: str = "gsp",
    user: str | None = None,
    password: str | None = None,
    auth: str = "digest",
    graph_param: str = "graph",
    prune: bool = False,
    query_endpoint: str | None = None,
    batch: int = 500,
    progress: Callable[[str, int], None] | None = None,
    everything: bool = False,
) -> dict[str, Any]:
    """Push the named graphs of the build folder ``out`` that changed since the last push to
    ``endpoint`` (all of them with ``everything``); see the module doc."""
    if protocol not in ("gsp", "update"):
        raise UsageError(f"unknown protocol {protocol!r}; use gsp or update")
    if prune and not query_endpoint:
        raise UsageError("--prune needs --query-endpoint to list the graphs on the server")
    graphs = read_graphs(out)
    session = _session(user, password, auth)
    remote = remote_graph_counts(query_endpoint, _session(None, None, auth)) if query_endpoint else None
    state = _load_state(Path(out))
    where = f"{protocol} {endpoint} {graph_param}"
    known: dict[str, str] = state["endpoints"].setdefault(where, {})
    digests = {g: _digest(lines) for g, lines in graphs.items()}
    todo = [
        g
        for g in sorted(graphs)
        if everything
        or known.get(g) != digests[g]
        or (remote is not None and remote.get(g, 0) != len(set(graphs[g])))
    ]
    report: dict[str, Any] = {
        "graphs": len(graphs),
        "pushed": len(todo),
        "unchanged": len(graphs) - len(todo),
        "triples": sum(len(graphs[g]) for g in todo),
        "pruned": [],
        "verified": False,
        "state": None,  # why the push state could not be written, if it could not
    }
    try:
        _prime(session, _with_param(endpoint, graph_param, str(KGG)) if protocol == "gsp" else endpoint)
        for g in todo:
            known.pop(g, None)  # forgotten until the server has all of it
            _send(session, protocol, endpoint, graph_param, g, graphs[g], batch)
            known[g] = digests[g]
            if progress:
                progress(g, len(graphs[g]))
        if query_endpoint:
            remote = remote_graph_counts(query_endpoint, _session(None, None, auth))
            if prune:
                for g in sorted(set(remote) - set(graphs)):
                    if protocol == "gsp":
                        _request(session, "DELETE", _with_param(endpoint, graph_param, g))
                    else:
                        _request(
                            session,
                            "POST",
                            endpoint,
                            f"DROP SILENT GRAPH <{g}>".encode(),
                            {"Content-Type": "application/sparql-update; charset=utf-8"},
                        )
                    known.pop(g, None)
                    report["pruned"].append(g)
            wrong = {
                g: (remote.get(g, 0), len(v)) for g, v in graphs.items() if remote.get(g, 0) != len(set(v))
            }
            if wrong:
                for g in wrong:
                    known.pop(g, None)
                g, (have, want) = next(iter(sorted(wrong.items())))
                raise PushError(f"after the push, {g} holds {have} triples on the server, expected {want}")
            report["verified"] = True
    finally:
        report["state"] = _save_state(Path(out), state)
    return report


def _send(
    session: Any, protocol: str, endpoint: str, graph_param: str, g: str, lines: list[str], batch: int
) -> None:
    """Replace the graph ``g`` on the server by ``lines`` (N-Triples)."""
    if protocol == "gsp":
        body = ("\n".join(lines) + "\n").encode("utf-8")
        _request(
            session,
            "PUT",
            _with_param(endpoint, graph_param, g),
            body,
            {"Content-Type": "text/turtle; charset=utf-8"},
        )
        return
    head = f"DROP SILENT GRAPH <{g}>"
    for i in range(0, max(len(lines), 1), batch):
        chunk = "\n".join(lines[i : i + batch])
        text = f"{head} ;\n" if i == 0 else ""
        text += f"INSERT DATA {{ GRAPH <{g}> {{\n{chunk}\n}} }}"
        _request(
            session,
            "POST",
            endpoint,
            text.encode("utf-8"),
            {"Content-Type": "application/sparql-update; charset=utf-8"},
        )
