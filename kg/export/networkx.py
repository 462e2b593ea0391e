"""The networkx view of a corpus: entities as nodes, relations as edges.

A ``MultiDiGraph``: node keys are entity ids (``Type:name``) with the entity's
type, name, aliases and attributes; each relation is one edge keyed by its
predicate, carrying its evidence (source, article, offsets, sentence) and count.
"""

from __future__ import annotations

from typing import Any

from kg.corpus import Corpus


def to_networkx(corpus: Corpus) -> Any:
    """Build the graph (networkx is imported here, on use)."""
    import networkx as nx

    g = nx.MultiDiGraph()
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
