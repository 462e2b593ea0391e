"""kg.export.sparql.store.update_graphs: a store made to hold exactly the graphs given, each
graph added, left, changed by its difference or removed, with exact counts."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.export.sparql.store import new_report, update_graphs

KGG = "https://w3id.org/safety-kg/graph/"


def quad(s: str, o: str, g: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(f"https://w3id.org/safety-kg/id/{s}"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        ox.Literal(o, language="zh"),
        ox.NamedNode(KGG + g),
    )


# (the store's graphs, the graphs given) → the report's counts
CASES = [
    ({"a": "xyz"}, {"a": "xyz"}, {"unchanged": 1}),
    ({"a": "xyz"}, {"a": "xyw"}, {"changed": 1, "quads_added": 1, "quads_removed": 1}),
    ({"a": "xyz"}, {"a": "xy"}, {"changed": 1, "quads_removed": 1}),
    ({"a": "xyz"}, {"a": "xyzw"}, {"changed": 1, "quads_added": 1}),
    ({"a": "xyz"}, {"a": "uvw"}, {"changed": 1, "quads_added": 3, "quads_removed": 3}),
    ({"a": "xyz"}, {"a": "xyz", "b": "uv"}, {"unchanged": 1, "added": 1, "quads_added": 2}),
    ({"a": "xyz", "b": "uv"}, {"b": "uv"}, {"unchanged": 1, "removed": 1, "quads_removed": 3}),
    # the same quads in another graph are other quads
    ({"a": "xy"}, {"b": "xy"}, {"added": 1, "removed": 1, "quads_added": 2, "quads_removed": 2}),
]


def graphs_of(spec: dict[str, str]) -> list[tuple[str, list[ox.Quad]]]:
    return [(KGG + g, [quad(c, c, g) for c in letters]) for g, letters in sorted(spec.items())]


@pytest.mark.parametrize(("before", "after", "counts"), CASES)
def test_update_graphs_leaves_the_store_holding_exactly_the_graphs_given(
    before: dict[str, str], after: dict[str, str], counts: dict[str, int]
) -> None:
    st = ox.Store()
    for _g, qs in graphs_of(before):
        st.extend(qs)
    report = new_report(len(after))
    update_graphs(st, graphs_of(after), {KGG + g for g in before}, report)
    assert report == new_report(len(after)) | counts
    assert set(st) == {q for _g, qs in graphs_of(after) for q in qs}
