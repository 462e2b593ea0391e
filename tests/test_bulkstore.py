"""kg.export.bulkstore.load_store: a store made to hold exactly an N-Quads file's graphs, with
the SHA-256 of each graph's bytes kept beside it, so that the next update parses and compares
only the graphs whose bytes changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.export import bulkstore
from kg.export.bulkstore import load_store
from kg.export.rdf.quads import Lit
from kg.export.rdf.stream import DatasetWriter
from kg.export.sparql.store import DIGESTS, graph_digests, new_report

KGG = "https://w3id.org/safety-kg/graph/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def write_nq(folder: Path, spec: dict[str, str]) -> tuple[Path, dict[str, int], dict[str, tuple[int, int]]]:
    """An N-Quads file as a build writes it: graph ``g`` holds one quad per letter."""
    folder.mkdir()
    w = DatasetWriter(folder, ["nq"])
    for g, letters in sorted(spec.items()):
        w.graph(
            KGG + g, [(f"https://w3id.org/safety-kg/id/{c}", LABEL, Lit(c, "zh"), KGG + g) for c in letters]
        )
    w.close()
    return folder / "graph.nq", dict(w.graphs), {g: r["nq"] for g, r in w.ranges.items()}


def nq_quads(nq: Path) -> set[ox.Quad]:
    return set(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))


def stage(path: Path) -> Path:
    """A new generation's folder, as :mod:`kg.export.staging` gives it."""
    path.mkdir()
    return path


def store_quads(stage: Path) -> set[ox.Quad]:
    st = ox.Store.read_only(str(stage / "oxigraph"))
    quads = set(st)
    del st
    return quads


def test_a_new_store_keeps_the_sha256_of_each_graphs_lines(tmp_path: Path) -> None:
    nq, graphs, ranges = write_nq(tmp_path / "a", {"a": "xyz", "b": "uv", "c": "w"})
    report = load_store(stage(tmp_path / "st"), nq, graphs, ranges)
    assert report == new_report(3) | {"added": 3, "quads_added": 6}
    assert store_quads(tmp_path / "st") == nq_quads(nq)
    want: dict[str, hashlib._Hash] = {}
    for line in nq.read_bytes().splitlines(keepends=True):
        g = line.rsplit(b" ", 2)[-2].strip(b"<>").decode()
        want.setdefault(g, hashlib.sha256()).update(line)
    assert graph_digests(tmp_path / "st") == {g: h.hexdigest() for g, h in want.items()}


# (graphs before, graphs after, what is done to the kept digests) → (the graphs parsed, counts)
B_CHANGED = {"unchanged": 1, "changed": 1, "quads_added": 1, "quads_removed": 1}
CASES = [
    ({"a": "xyz", "b": "uv"}, {"a": "xyz", "b": "uw"}, "kept", {"b"}, B_CHANGED),
    ({"a": "xyz", "b": "uv"}, {"a": "xyz", "b": "uv"}, "kept", set(), {"unchanged": 2}),
    ({"a": "xyz", "b": "uv"}, {"b": "uv"}, "kept", set(), {"unchanged": 1, "removed": 1, "quads_removed": 3}),
    ({"a": "xyz"}, {"a": "xyz", "c": "st"}, "kept", {"c"}, {"unchanged": 1, "added": 1, "quads_added": 2}),
    # without the digests (an older store), or with a file that is not ours, every graph is compared
    ({"a": "xyz", "b": "uv"}, {"a": "xyz", "b": "uw"}, "removed", {"a", "b"}, B_CHANGED),
    ({"a": "xyz", "b": "uv"}, {"a": "xyz", "b": "uw"}, "not json", {"a", "b"}, B_CHANGED),
    ({"a": "xyz", "b": "uv"}, {"a": "xyz", "b": "uw"}, "other format", {"a", "b"}, B_CHANGED),
]


@pytest.mark.parametrize(("before", "after", "kept", "parsed", "counts"), CASES)
def test_an_update_parses_only_the_graphs_whose_bytes_changed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    before: dict[str, str],
    after: dict[str, str],
    kept: str,
    parsed: set[str],
    counts: dict[str, int],
) -> None:
    load_store(stage(tmp_path / "st1"), *write_nq(tmp_path / "a", before))
    digests = tmp_path / "st1" / DIGESTS
    if kept == "removed":
        digests.unlink()
    elif kept == "not json":
        digests.write_text("{", encoding="utf-8")
    elif kept == "other format":
        digests.write_text(json.dumps(json.loads(digests.read_text()) | {"format": 0}), encoding="utf-8")
    seen: list[str] = []
    graphs_at = bulkstore._graphs_at

    def spy(nq: Path, ranges: dict[str, tuple[int, int]], names: list[str]):  # type: ignore[no-untyped-def]
        seen.extend(names)
        return graphs_at(nq, ranges, names)

    monkeypatch.setattr(bulkstore, "_graphs_at", spy)
    nq, graphs, ranges = write_nq(tmp_path / "b", after)
    report = load_store(stage(tmp_path / "st2"), nq, graphs, ranges, previous=tmp_path / "st1")
    assert {g.removeprefix(KGG) for g in seen} == parsed
    assert report == new_report(len(after)) | counts
    assert store_quads(tmp_path / "st2") == nq_quads(nq)
    assert graph_digests(tmp_path / "st2").keys() == {KGG + g for g in after}
