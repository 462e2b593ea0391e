"""Commands over a built graph: ``kg query``, ``kg serve``, ``kg push`` (kg.export.sparql).

Registered by kg/cli/__init__.py (module-level ``COMMANDS``). Library errors (``KgError``)
become one-line messages with their exit codes in the CLI group; nothing heavy is imported
here.
"""

from __future__ import annotations

import click

from kg.cli.options import echo_err as _echo_err


@click.command()
@click.argument("target", required=False)
@click.argument("query", required=False)
@click.option("--list", "list_", is_flag=True, help="List the named queries in ontology/queries/ and exit.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter of a named query (repeatable), e.g. -p campaign=春夏九防·敲门行动.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
    default="table",
    show_default=True,
    help="Output format: a text table, or SPARQL 1.1 results as CSV, TSV, JSON or XML.",
)
@click.option(
    "--engine",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="SPARQL engine: Oxigraph (fast) or rdflib's own (for comparison).",
)
@click.option("--timeout", type=float, metavar="SECONDS", help="Stop the query after this many seconds.")
@click.option(
    "--show",
    is_flag=True,
    help="Print the query as it would run on any engine (prefixes, bound parameters) and exit "
    "(the portable text: Oxigraph runs a named query's Oxigraph form where it has one).",
)
def query(
    target: str | None,
    query: str | None,
    list_: bool,
    params: tuple[str, ...],
    fmt: str,
    engine: str,
    timeout: float | None,
    show: bool,
) -> None:
    """Run a SPARQL QUERY on TARGET: a build folder (kg build -o), a store (--store) or an RDF file.

    QUERY is a .rq file, inline SPARQL, or the name of a query in ontology/queries/
    (kg query --list). The prefixes kg:, rdf:, rdfs:, owl:, xsd:, skos:, prov:, dcterms:,
    org:, foaf: and the vocabularies' kgv:, ind:, ven:, haz:, mea: are predeclared; without
    FROM, queries see the union of all named graphs (FROM kgg:… scopes them). Updates, SERVICE
    and FROM of a file or URL are refused. Bad SPARQL gives the parser's message and exit code 2.

    \b
    Example:
      kg query OUT/ 'SELECT ?n WHERE { ?p a kg:Place ; rdfs:label ?n ; kg:implements ?c .
                                      ?c rdfs:label "春夏九防·敲门行动"@zh }'
      kg query OUT/ evidence-for-relation -p subject=壶关县 -p object=春夏九防·敲门行动
    """
    from kg.errors import UsageError
    from kg.export.sparql.engine import run_answer
    from kg.export.sparql.lex import normalise
    from kg.export.sparql.named import bind, list_queries, parse_params, resolve, with_prefixes

    if list_:
        click.echo(list_queries())
        return
    if show and target and not query:
        target, query = None, target
    if not query:
        raise UsageError("give TARGET and QUERY (or kg query --list for the named queries)")
    bound = parse_params(params)
    if show:
        # as it runs: kgi:place/长子县 written as the stored IRI, so other engines match it too
        click.echo(with_prefixes(normalise(bind(resolve(query), bound))), nl=False)
        return
    assert target is not None
    # in a child process that cannot open a network socket, whatever the query holds
    answer = run_answer(target, query, fmt, bound, engine=engine, timeout=timeout, isolated=True)
    body = answer.body if answer.body.endswith(b"\n") else answer.body + b"\n"
    _write_stdout(body)


def _write_stdout(data: bytes) -> None:
    """Write ``data`` to standard output; a reader that stops early (``| head``) ends the
    command quietly, as it does for other Unix tools."""
    import os
    import sys

    out = sys.stdout.buffer
    try:
        out.write(data)
        out.flush()
    except BrokenPipeError:
        # the interpreter flushes stdout again on exit: point it at /dev/null first
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # not a real file (tests capture it)
            pass
        finally:
            os.close(devnull)
        sys.exit(0)


@click.command()
@click.argument("target")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default)."
)
@click.option(
    "--port", default=7878, show_default=True, type=int, help="Port to listen on (0: any free port)."
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=float,
    metavar="SECONDS",
    help="Time limit of one query; longer queries are stopped with HTTP 503.",
)
@click.option(
    "--workers",
    default=0,
    type=int,
    help="Queries run at once at full speed (default: number of CPUs); twice as many long ones "
    "may go on at low priority.",
)
@click.option(
    "--memory",
    default=1024.0,
    show_default=True,
    type=float,
    metavar="MB",
    help="Memory one query may take beyond the loaded graph; a query past it is stopped (HTTP 503).",
)
def serve(target: str, host: str, port: int, timeout: float, workers: int, memory: float) -> None:
    """Serve TARGET (a build folder, store or RDF file) as a read-only SPARQL 1.1 endpoint.

    GET and POST /sparql (query=… or an application/sparql-query body); results as SPARQL
    JSON, XML, CSV or TSV by the Accept header (or format=json|xml|csv|tsv); CONSTRUCT and
    DESCRIBE as Turtle or N-Triples. Updates, SERVICE and FROM of a file or URL are refused;
    each query runs in its own process, stopped at the time and memory limits; queries past
    half a second yield to new ones. Stop the server with Ctrl-C.
    """
    from kg.export.sparql.serve import serve_forever

    def ready(url: str) -> None:
        _echo_err(
            f"SPARQL endpoint: {url}  (read-only, time limit {timeout:g} s, memory {memory:g} MB "
            "per query; Ctrl-C to stop)"
        )

    serve_forever(
        target,
        host=host,
        port=port,
        timeout=timeout,
        workers=workers or None,
        memory_mb=memory or None,
        ready=ready,
    )


@click.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--endpoint",
    required=True,
    help="Graph Store Protocol URL (or SPARQL Update URL with --protocol update).",
)
@click.option(
    "--protocol",
    type=click.Choice(["gsp", "update"]),
    default="gsp",
    show_default=True,
    help="gsp: PUT each named graph (SPARQL 1.1 Graph Store Protocol); update: DROP + INSERT DATA.",
)
@click.option("--user", help="User name for HTTP authentication.")
@click.option(
    "--password",
    envvar="KG_PUSH_PASSWORD",
    help="Password for HTTP authentication (or the environment variable KG_PUSH_PASSWORD).",
)
@click.option(
    "--auth",
    type=click.Choice(["basic", "digest"]),
    default="digest",
    show_default=True,
    help="HTTP authentication scheme (Virtuoso's /sparql-graph-crud-auth wants digest).",
)
@click.option(
    "--graph-param", default="graph", show_default=True, help="Query parameter naming the graph (GSP)."
)
@click.option("--prune", is_flag=True, help="Also drop graphs of ours on the server that OUT no longer has.")
@click.option(
    "--query-endpoint", help="SPARQL query URL to list graphs for --prune and to check counts after pushing."
)
@click.option(
    "--batch", default=500, show_default=True, help="Triples per INSERT DATA request (update protocol)."
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Send every graph, also those unchanged since the last push to this endpoint.",
)
def push(
    out: str,
    endpoint: str,
    protocol: str,
    user: str | None,
    password: str | None,
    auth: str,
    graph_param: str,
    prune: bool,
    query_endpoint: str | None,
    batch: int,
    everything: bool,
) -> None:
    """Load the built graph in OUT (its named graphs) into a SPARQL 1.1 store over HTTP.

    Each named graph of OUT/graph.nq replaces the graph of the same name on the server, so
    pushing again after a rebuild updates the server. Only graphs that changed since the
    last push to the same endpoint are sent (their digests are kept in OUT/.kg-push.json;
    with --query-endpoint a graph whose triple count on the server is wrong is sent too, and
    every count is checked afterwards).
    """
    from kg.export.sparql.push import push as run_push

    report = run_push(
        out,
        endpoint,
        protocol=protocol,
        user=user,
        password=password,
        auth=auth,
        graph_param=graph_param,
        prune=prune,
        query_endpoint=query_endpoint,
        batch=batch,
        progress=lambda g, n: _echo_err(f"pushed {n:>7} triples to {g}"),
        everything=everything,
    )
    msg = f"pushed {report['pushed']} graph(s), {report['triples']} triples to {endpoint}"
    if report["unchanged"]:
        msg += f" ({report['unchanged']} unchanged since the last push, not sent)"
    if report.get("pruned"):
        msg += f"; dropped {len(report['pruned'])} stale graph(s)"
    if report.get("verified"):
        msg += "; counts checked"
    _echo_err(msg)
    if report.get("state"):
        why = report["state"]
        _echo_err(f"kg: warning: could not record what was pushed ({why}); the next push sends all")


COMMANDS = [query, serve, push]
