"""Relations: who implements, targets, adopts and does what, each with its evidence.

Relation extractors are small callables registered by name (like the entity
extractors); each reads a :class:`RelContext` (the page, its resolved entities and
mentions, and who acts in each clause) and returns raw relations with the span
of text that states them. :func:`relate` merges them: one relation per
(subject, predicate, object) and page, carrying every piece of evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.model import Entity, Evidence, Mention, Relation
from kg.schema import SIGNATURES as SIGNATURES
from kg.schema import SYMMETRIC

#: (subject entity id, predicate, object entity id, evidence start, evidence end) in
#: normalised text coordinates
Raw = tuple[str, str, str, int, int]
RelExtractor = Callable[["RelContext"], list[Raw]]

_REGISTRY: dict[str, RelExtractor] = {}
_LOADED = False


def register(name: str) -> Callable[[RelExtractor], RelExtractor]:
    def deco(fn: RelExtractor) -> RelExtractor:
        _REGISTRY[name] = fn
        return fn

    return deco


def _load() -> None:
    """Import every module of this package, in name order: each registers its extractors, so
    a new relation module needs no edit here."""
    global _LOADED
    if not _LOADED:
        import importlib
        import pkgutil

        for name in sorted(info.name for info in pkgutil.iter_modules(__path__)):
            importlib.import_module(f"{__name__}.{name}")
        _LOADED = True


def default_order() -> tuple[str, ...]:
    """Every registered relation extractor, in the order registered."""
    _load()
    return tuple(_REGISTRY)


def get(name: str) -> RelExtractor:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown relation extractor {name!r}; known: {sorted(_REGISTRY)}") from None


@dataclass
class RelContext:
    """What a relation extractor sees for one page."""

    ctx: Any  # kg.extract.Context (doc, res, home)
    entities: list[Entity]
    mentions: list[Mention]  # resolved, normalised offsets
    by_key: dict[tuple[str, str], Entity] = field(default_factory=dict)
    _actors: Any = None
    _posts: dict[str, tuple[str, ...]] | None = None
    _raw: dict[str, list[Raw]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {(e.type, e.name): e for e in self.entities}

    def post_bodies(self) -> dict[str, tuple[str, ...]]:
        """The bodies each person holds a post in, the post nearest the name first (what
        the holdsPost extractor finds; a leader acts for the body he leads)."""
        if self._posts is None:
            found: dict[str, list[str]] = {}
            for s, _p, o, _start, _end in self.raw("posts"):
                found.setdefault(s, []).append(o)
            self._posts = {k: tuple(dict.fromkeys(v)) for k, v in found.items()}
        return self._posts

    def raw(self, name: str) -> list[Raw]:
        """What relation extractor ``name`` finds on the page, run once (holdsPost is
        needed early, by :meth:`post_bodies`)."""
        if name not in self._raw:
            self._raw[name] = get(name)(self)
        return self._raw[name]

    @property
    def doc(self) -> Any:
        return self.ctx.doc

    def entity(self, m: Mention) -> Entity | None:
        return self.by_key.get((m.type, m.name))

    def eid(self, m: Mention) -> str | None:
        e = self.entity(m)
        return e.id if e is not None else None

    @property
    def actors(self) -> Any:
        """Who acts in each clause (computed once, shared by extractors)."""
        if self._actors is None:
            from kg.relate.actors import Actors

            self._actors = Actors(self)
        return self._actors


def relate(
    ctx: Any, entities: list[Entity], mentions: list[Mention], order: tuple[str, ...] | None = None
) -> tuple[list[Relation], list[Entity]]:
    """All relations of a page, merged, with their evidence (source offsets), and the
    entities they need that the page does not name (the home city acting as 我市). ``order``
    names the extractors to run (default: every registered one)."""
    rc = RelContext(ctx, entities, mentions)
    types = {e.id: e.type for e in entities}
    extra: list[Entity] = []
    home = rc.actors.home
    if home is not None and home.id not in types:
        types[home.id] = home.type
    merged: dict[tuple[str, str, str], dict[tuple[int, int], Evidence]] = {}
    doc = ctx.doc
    evidence: dict[tuple[int, int], Evidence] = {}
    for name in order or default_order():
        for s, p, o, start, end in rc.raw(name):
            if s == o or s not in types or o not in types:
                continue
            dom, rng = SIGNATURES[p]
            if types[s] not in dom or types[o] not in rng:
                continue
            if p in SYMMETRIC and s > o:
                s, o = o, s  # listed once, either order
            ev = evidence.get((start, end))
            if ev is None:  # many relations share a sentence
                ev = evidence[(start, end)] = doc.evidence(start, end)
            merged.setdefault((s, p, o), {})[(ev.start, ev.end)] = ev
    # a body that organizes a campaign does not also implement it (its own campaign)
    for s, _p, o in [k for k in merged if k[1] == "organizes"]:
        merged.pop((s, "implements", o), None)
    used = {x for s, _p, o in merged for x in (s, o)}
    if home is not None and home.id not in {e.id for e in entities} and home.id in used:
        extra.append(home)
    relations = [
        Relation(s, p, o, tuple(evs[k] for k in sorted(evs))) for (s, p, o), evs in sorted(merged.items())
    ]
    return relations, extra
