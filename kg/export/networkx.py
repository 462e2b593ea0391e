"""The networkx view of a corpus: entities as nodes, relations as edges.

A ``MultiDiGraph``: node keys are entity ids (``Type:name``) with the entity's
type, name, aliases and attributes; each relation is one edge keyed by its
predicate, carrying its evidence (source, article, offsets, sentence) and count. Its GraphML
form (``graph.graphml`` of a build) flattens lists and evidence into scalars.
"""

from __future__ import annotations

import json
from typing import Any

from kg.corpus import Corpus


def to_networkx(corpus: Corpus) -> Any:
    """Build the graph (networkx is imported here, on use)."""
    import networkx as nx

    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for e in corpus.sorted_entities():
        g.add_node(
            e.id,
            type=e.type,
            name=e.name,
            aliases=list(e.aliases),
            mentions=len(corpus.mentions.get(e.id, [])),
            **{k: v for k, v in e.attrs},
        )
    for r in corpus.sorted_relations():
        g.add_edge(
            r.s,
            r.o,
            key=r.p,
            predicate=r.p,
            count=len(r.evidence),
            evidence=[
                {
                    "source": ev.source,
                    "article": ev.article,
                    "start": ev.start,
                    "end": ev.end,
                    "text": ev.text,
                }
                for ev in r.evidence
            ],
        )
    return g


def graphml_view(corpus: Corpus) -> Any:
    """The networkx view with every attribute a GraphML scalar (lists joined, evidence as JSON)."""
    import networkx as nx

    from kg.export.rdf.iri import entity_iris

    g = to_networkx(corpus)
    iris = entity_iris(corpus)
    h: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in g.nodes(data=True):
        attrs = {"label": data["name"], "iri": iris.get(node, "")}
        for k, v in data.items():
            attrs[k] = "|".join(v) if isinstance(v, list) else v
        h.add_node(node, **attrs)
    for s, o, k, data in g.edges(keys=True, data=True):
        ev = data.get("evidence", [])
        h.add_edge(
            s,
            o,
            key=k,
            label=data["predicate"],
            predicate=data["predicate"],
            count=data.get("count", len(ev)),
            evidence=ev[0]["text"] if ev else "",
            evidence_json=json.dumps(ev, ensure_ascii=False),
        )
    return h
