"""safety-kg: Chinese work-safety news pages → a knowledge graph.

The library API is :mod:`kg.api`, exported here lazily so ``import kg`` stays cheap::

    import kg
    g = kg.build("seeds/")         # or kg.load("out/") for what `kg build -o out/` wrote
    g.query("county-targets")      # a named query or SPARQL → pandas DataFrame
    g.entity("长子县").profile      # its relations by predicate
    g.view("长子县")                # an interactive view, inline in a notebook
"""

from __future__ import annotations

from typing import Any

__all__ = ["EntityProfile", "InlineView", "KnowledgeGraph", "build", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
