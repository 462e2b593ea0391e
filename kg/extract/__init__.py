"""Entity extractors: small callables registered by name, run in a configured order.

Each extractor takes a :class:`Context` (the page's Doc plus shared resources and
what earlier extractors found) and returns mentions; none mutates global state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.model import Mention
from kg.nlp.resources import Hit

Extractor = Callable[["Context"], list[Mention]]

_REGISTRY: dict[str, Extractor] = {}

#: The default order: later extractors see earlier ones' mentions.
DEFAULT_ORDER: tuple[str, ...] = (
    "places",
    "terms",
    "documents",
    "quoted",
    "named",
    "orgs",
    "persons",
)


def register(name: str) -> Callable[[Extractor], Extractor]:
    """Register an extractor under ``name``."""

    def deco(fn: Extractor) -> Extractor:
        _REGISTRY[name] = fn
        return fn

    return deco


def get(name: str) -> Extractor:
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown extractor {name!r}; known: {sorted(_REGISTRY)}") from None


def names() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def _load_builtin() -> None:
    # importing the modules registers them (kept lazy: nothing runs at import of kg)
    from kg.extract import (  # noqa: F401
        documents,
        named,
        orgs,
        persons,
        places,
        quoted,
        terms,
    )


@dataclass
class Context:
    """What an extractor sees for one page."""

    doc: Any  # kg.nlp.segment.Doc
    res: Any  # kg.nlp.resources.Resources
    home: Any = None  # kg.nlp.gazetteer.Division | None
    found: dict[str, list[Mention]] = field(default_factory=dict)
    _hits: list[Hit] | None = None
    _by_kind: dict[str, list[int]] | None = None

    @property
    def hits(self) -> list[Hit]:
        """All lexicon matches in the page (one Aho-Corasick scan, shared)."""
        if self._hits is None:
            self._hits = self.res.scan(self.doc.text)
        return self._hits

    def hits_with(self, *kinds: str) -> list[Hit]:
        """The lexicon matches with a payload of one of ``kinds`` (term, place, short, body,
        named), in page order: grouped once for the extractors that each read their own."""
        hits = self.hits
        if self._by_kind is None:
            self._by_kind = {}
            for i, h in enumerate(hits):
                for kind, _data in h.payloads:
                    found = self._by_kind.setdefault(kind, [])
                    if not found or found[-1] != i:
                        found.append(i)
        if len(kinds) == 1:
            return [hits[i] for i in self._by_kind.get(kinds[0], ())]
        return [hits[i] for i in sorted({i for k in kinds for i in self._by_kind.get(k, ())})]

    def mentions(self, *types: str) -> list[Mention]:
        out: list[Mention] = []
        for ms in self.found.values():
            out.extend(m for m in ms if not types or m.type in types)
        return out

    def mention(
        self,
        start: int,
        end: int,
        type_: str,
        name: str,
        extractor: str,
        **attrs: str | None,
    ) -> Mention:
        """Build a mention at normalised ``[start, end)``."""
        doc = self.doc
        art = doc.article_at(start)
        return Mention.make(
            art.id,
            start,
            end,
            doc.text[start:end],
            type_,
            name,
            extractor,
            tuple(sorted((k, str(v)) for k, v in attrs.items() if v is not None)) if attrs else (),
        )
