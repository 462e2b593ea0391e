"""The dataset written graph by graph: each page's named graph as soon as the page is done.

:class:`DatasetWriter` keeps one open file per chosen serialization and appends one named
graph at a time, so the quads of the whole dataset are never in memory together: a build
holds one page's quads while it writes them, then the entity, relation and vocabulary graphs
at the end (their size grows with entities and relations, not with the text). N-Quads, TriG
and Turtle are written by Oxigraph (``pyoxigraph.serialize``); JSON-LD by
:func:`kg.export.rdf.serialize.jsonld_graph`, compacted with the project's context (Oxigraph
writes JSON-LD without one).

Every graph is written sorted (subject, predicate, object) and the graphs follow in the order
they are given (a build: pages by name, then ``kgg:entities``, ``kgg:relations``,
``kgg:vocab``), so the files are byte-identical for the same input whatever extracted the pages.
In Turtle (the merged graph) a subject that has triples in several graphs, an entity
mentioned on several pages, gets one block per graph: the same triples, every one once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from kg.errors import UsageError
from kg.export.rdf.quads import Quad

#: the serializations ``--formats`` chooses from, by name: the file each writes
FORMAT_FILES: dict[str, str] = {
    "nq": "graph.nq",
    "trig": "graph.trig",
    "ttl": "graph.ttl",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
}
#: the RDF ones (written graph by graph here; GraphML is the networkx view)
RDF_FORMATS = ("nq", "trig", "ttl", "jsonld")
#: what ``kg build`` writes without ``--formats``: N-Quads, the dataset with its provenance,
#: the one form ``kg query``, ``kg serve``, ``kg push`` and ``kg.load`` read, and the cheapest
#: to write. Turtle, TriG and JSON-LD hold the same triples again, each about as large (at a
#: province-year, gigabytes each), and GraphML carries every evidence sentence for Gephi:
#: written when asked for (``--formats all``).
DEFAULT_FORMATS = ("nq",)

#: quads of one graph rendered at once (:func:`render_pieces`): Oxigraph's copy of them and
#: their bytes are what a build holds of the entity and relation graphs at a time
PIECE = 100_000


def parse_formats(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``--formats``: comma-separated names (or ``all``) → the formats in canonical order."""
    if text is None:
        return DEFAULT_FORMATS
    names = [x.strip().lower() for x in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    if "all" in names:
        return tuple(FORMAT_FILES)
    unknown = sorted(set(names) - set(FORMAT_FILES))
    if unknown:
        raise UsageError(
            f"unknown format {', '.join(unknown)} in --formats; choose from {','.join(FORMAT_FILES)} or all"
        )
    return tuple(f for f in FORMAT_FILES if f in names)


def _strip_prefixes(data: bytes) -> bytes:
    """Oxigraph's Turtle/TriG output without its ``@prefix`` lines (the file has them once)."""
    pos = 0
    while data.startswith(b"@prefix ", pos):
        pos = data.index(b"\n", pos) + 1
    return data[pos:]


class DatasetWriter:
    """Append named graphs to the chosen serializations in ``folder`` (a new generation)."""

    def __init__(
        self, folder: Path | None, formats: Iterable[str], sinks: dict[str, IO[bytes]] | None = None
    ) -> None:
        from kg.namespace import PREFIXES

        self.formats = tuple(f for f in RDF_FORMATS if f in set(formats))
        self.prefixes = dict(PREFIXES)
        self.graphs: dict[str, int] = {}  # graph IRI → quads written
        #: graph IRI → where its bytes are in each file: format → (offset, length)
        self.ranges: dict[str, dict[str, tuple[int, int]]] = {}
        self.files: dict[str, IO[bytes]] = {}
        self._pos: dict[str, int] = {}
        self.hashes: dict[str, Any] = {}
        self._first_graph = True
        header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(self.prefixes.items())) + "\n"
        for fmt in self.formats:
            if sinks is not None:
                self.files[fmt] = sinks[fmt]
            else:
                assert folder is not None
                self.files[fmt] = open(folder / FORMAT_FILES[fmt], "wb")  # noqa: SIM115 (closed in close())
            self.hashes[fmt] = hashlib.sha256()
            self._pos[fmt] = 0
            if fmt in ("trig", "ttl"):
                self._put(fmt, header.encode("utf-8"))
            elif fmt == "jsonld":
                from kg.export.rdf.serialize import jsonld_context, to_json

                self._put(
                    fmt,
                    b'{\n "@context": ' + to_json(jsonld_context(), 1).encode("utf-8") + b',\n "@graph": [\n',
                )
        self._own = sinks is None

    def _put(self, fmt: str, data: bytes) -> None:
        self.files[fmt].write(data)
        self.hashes[fmt].update(data)
        self._pos[fmt] += len(data)

    @property
    def quads(self) -> int:
        return sum(self.graphs.values())

    def graph(self, g: str, quads: Iterable[Quad], piece: int = PIECE) -> int:
        """Write the named graph ``g`` (its quads deduplicated and sorted); return its size.
        It is rendered ``piece`` quads at a time (:func:`render_pieces`): the entity and
        relation graphs of a province-year are millions of quads."""
        qs = sorted_quads(g, quads)
        self.write_pieces(g, len(qs), render_pieces(g, qs, self.formats, piece))
        return len(qs)

    def write(self, g: str, n: int, chunks: dict[str, bytes]) -> None:
        """Write the graph ``g`` of ``n`` quads, already rendered (:func:`render_graph`)."""
        self.write_pieces(g, n, [chunks])

    def write_pieces(self, g: str, n: int, pieces: Iterable[dict[str, bytes]]) -> None:
        """Write the graph ``g`` of ``n`` quads from its rendered pieces, in order."""
        if g in self.graphs:
            raise ValueError(f"graph {g} written twice")
        self.graphs[g] = n
        if not n:
            return
        if "jsonld" in self.formats and not self._first_graph:
            self._put("jsonld", b",\n")
        start = dict(self._pos)
        for chunks in pieces:
            for fmt in self.formats:
                if fmt in chunks:
                    self._put(fmt, chunks[fmt])
        self.ranges[g] = {fmt: (start[fmt], self._pos[fmt] - start[fmt]) for fmt in self.formats}
        self._first_graph = False

    def close(self) -> dict[str, str]:
        """Finish and close the files; their SHA-256 by file name."""
        if "jsonld" in self.files:
            self._put("jsonld", b"\n ]\n}\n")
        out = {}
        for fmt, fh in self.files.items():
            if self._own:
                fh.close()
            out[FORMAT_FILES[fmt]] = self.hashes[fmt].hexdigest()
        self.files.clear()
        return out

    def abort(self) -> None:
        for fh in self.files.values():
            if self._own:
                fh.close()
        self.files.clear()


def serialize_dataset(quads: Iterable[Quad], fmt: str) -> bytes:
    """``quads`` in one RDF format, named graphs in IRI order: the bytes a build writes."""
    import io
    from collections import defaultdict

    by_g: dict[str, list[Quad]] = defaultdict(list)
    for q in quads:
        by_g[q[3]].append(q)
    sink = io.BytesIO()
    w = DatasetWriter(None, [fmt], sinks={fmt: sink})
    for g in sorted(by_g):
        w.graph(g, by_g[g])
    w.close()
    return sink.getvalue()


def sorted_quads(g: str, quads: Iterable[Quad]) -> list[Quad]:
    """The quads of the graph ``g``, without duplicates, in the order they are written: that of
    :func:`kg.export.rdf.quads.quad_key`, whose first member is ``g`` for every one of them.

    Sorted by subject alone (the strings themselves are the keys), then each run of one
    subject (a few quads: a mention's, a statement's) by the whole key: a key tuple per quad,
    sorted at once, took three times as long on a relation graph of 646,290 quads (4.8 against
    1.5 s), the tuples' allocation and their garbage collection among a build's objects."""
    from itertools import groupby
    from operator import itemgetter

    by_subject = itemgetter(0)
    qs: list[Quad] = []
    for _s, run in groupby(sorted(set(quads), key=by_subject), by_subject):
        same = list(run)
        if len(same) > 1:
            same.sort(key=_spo_key)
        qs += same
    if any(q[3] != g for q in qs):
        raise ValueError(f"a quad of another graph given for {g}")
    return qs


def _spo_key(q: Quad) -> tuple[Any, ...]:
    """:func:`~kg.export.rdf.quads.quad_key` within one graph, as one flat tuple (an IRI object
    before a literal, as there): :func:`sorted_quads` orders one subject's quads with it."""
    o = q[2]
    if isinstance(o, str):
        return (q[0], q[1], 0, o)
    return (q[0], q[1], 1, o.value, o.lang or "", o.datatype or "")


def render_graph(g: str, quads: Iterable[Quad], formats: Sequence[str]) -> tuple[int, dict[str, bytes]]:
    """The named graph ``g`` in each of ``formats``, as :class:`DatasetWriter` appends it:
    (its size, bytes per format). A pure function of its arguments: a worker process can
    render a page's graph and the build write the bytes."""
    qs = sorted_quads(g, quads)
    chunks: dict[str, list[bytes]] = {}
    for piece in render_pieces(g, qs, formats, max(1, len(qs))):
        for fmt, data in piece.items():
            chunks.setdefault(fmt, []).append(data)
    return len(qs), {fmt: b"".join(parts) for fmt, parts in chunks.items()}


def render_pieces(
    g: str, qs: Sequence[Quad], formats: Sequence[str], piece: int = PIECE
) -> Iterator[dict[str, bytes]]:
    """The sorted quads ``qs`` of the graph ``g`` (:func:`sorted_quads`) rendered about
    ``piece`` quads at a time, cut between subjects: bytes per format of each piece, which
    joined are those of the whole graph rendered at once (Turtle and TriG group a subject's
    triples; TriG opens the graph in the first piece and closes it in the last). JSON-LD,
    one object per graph, comes whole with the first piece."""
    if not qs:
        return
    import pyoxigraph as ox

    from kg.export.rdf.serialize import jsonld_graph, ox_serialize, to_oxigraph
    from kg.namespace import PREFIXES

    prefixes = dict(PREFIXES)
    start = 0
    while start < len(qs):
        end = min(len(qs), start + max(1, piece))
        while end < len(qs) and qs[end][0] == qs[end - 1][0]:
            end += 1  # a subject's triples stay in one piece
        first, last = start == 0, end == len(qs)
        part = qs[start:end]
        chunks: dict[str, bytes] = {}
        ox_quads = list(to_oxigraph(part)) if set(formats) - {"jsonld"} else []
        for fmt in formats:
            if fmt == "nq":
                chunks[fmt] = ox_serialize(ox_quads, ox.RdfFormat.N_QUADS)
            elif fmt == "trig":
                # "<g> {\n", the subjects' blocks, "}\n": the blocks, opened once and closed once
                data = _strip_prefixes(ox_serialize(ox_quads, ox.RdfFormat.TRIG, prefixes))
                if not first:
                    data = data[data.index(b"\n") + 1 :]
                if not last:
                    data = data.removesuffix(b"}\n")
                chunks[fmt] = data + b"\n" if last else data
            elif fmt == "ttl":
                triples = [q.triple for q in ox_quads]
                data = _strip_prefixes(ox_serialize(triples, ox.RdfFormat.TURTLE, prefixes))
                chunks[fmt] = data + b"\n" if last else data
            elif fmt == "jsonld" and first:
                chunks[fmt] = jsonld_graph(g, qs).encode("utf-8")
        del ox_quads, part
        yield chunks
        start = end


def same_file(path: Path, sha256: str, previous: Path | None) -> bool:
    """Replace ``path`` by a hard link to ``previous`` when that holds the same bytes
    (its SHA-256 is ``sha256``); True when it did."""
    import os

    if previous is None:
        return False
    try:
        st = os.stat(previous, follow_symlinks=False)
        if st.st_size != path.stat().st_size:
            return False
        h = hashlib.sha256()
        with open(previous, "rb") as fh:
            while chunk := fh.read(1 << 22):
                h.update(chunk)
        if h.hexdigest() != sha256:
            return False
        tmp = path.with_name(f".{path.name}.link")
        os.link(previous, tmp)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
