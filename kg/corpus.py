"""The corpus: every file's extraction merged into one graph of entities and relations.

This is the one source of truth that networkx, RDF, HTML and the notebooks are
views of. The same entity (type + canonical name) across articles and pages is
one entity with the union of its aliases; the same relation (s, p, o) is one
relation carrying every piece of evidence and a count.

A corpus built for writing at scale (``lean=True``, what ``kg build`` merges its pages into)
keeps what the outputs written at the end read and drops what grows with the text: the page
texts, the articles' paragraphs (but their spans, which resolve.html maps offsets with) and
every mention but the first of an entity in each article (the views list an entity's
articles; :meth:`Corpus.mention_count` still counts them all). It shares one string object per
page name and article id among its mentions and evidence spans instead of one per span. Each
page's own outputs (its named graph with its mention spans, its article pages with its text)
are written while the pages come in, from the page's own result.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kg.model import ENTITY_TYPES, Article, Entity, Evidence, FileResult, Relation


@dataclass(frozen=True)
class Source:
    """An input file as the corpus remembers it."""

    name: str  # base name (the JSONL key)
    path: str
    home: str | None
    encoding: str
    format: str
    sha256: str
    chars: int


@dataclass(frozen=True, slots=True)
class MentionRef:
    """Where an entity is mentioned: an article and a source span."""

    source: str
    article: str
    start: int
    end: int
    text: str


@dataclass
class Corpus:
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: dict[tuple[str, str, str], Relation] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    mentions: dict[str, list[MentionRef]] = field(default_factory=dict)  # entity id → refs
    #: page name → its text (what offsets point into), when extracted here; a corpus read back
    #: from RDF has none (the views then write no article pages)
    texts: dict[str, str] = field(default_factory=dict)
    #: merged with ``lean``: mentions per entity id, all of them (``mentions`` keeps one per article)
    mention_counts: dict[str, int] = field(default_factory=dict)
    lean: bool = False
    #: merged with ``lean``: article id → its paragraphs' (start, end), flat (the articles keep none)
    paragraph_ends: dict[str, array[int]] = field(default_factory=dict)
    #: merged with ``defer``: relation key → the evidence later pages gave it, not yet in the
    #: relation (:meth:`settle` folds it in)
    _later: dict[tuple[str, str, str], list[Evidence]] = field(
        default_factory=dict, repr=False, compare=False
    )
    defer: bool = False

    @classmethod
    def from_results(cls, results: Iterable[FileResult], lean: bool = False) -> Corpus:
        c = cls(lean=lean, defer=True)
        for r in results:
            c.add(r)
        c.settle()
        c.defer = False
        return c

    def mention_count(self, entity_id: str) -> int:
        """How many times the pages mention the entity."""
        if self.lean:
            return self.mention_counts.get(entity_id, 0)
        return len(self.mentions.get(entity_id, ()))

    def paragraph_spans(self, article_id: str) -> list[tuple[int, int]]:
        """(start, end) of each paragraph of the article, in its order (none when it has no
        paragraph structure)."""
        if self.lean:
            flat = self.paragraph_ends.get(article_id, ())
            return list(zip(flat[::2], flat[1::2], strict=True))
        return [(p.start, p.end) for p in self.articles[article_id].paragraphs]

    def add(self, r: FileResult) -> None:
        """Merge one file's result into the corpus."""
        import hashlib

        src = r.source
        self.sources[src.name] = Source(
            src.name,
            src.path,
            r.home,
            src.encoding,
            src.format,
            hashlib.sha256(src.text.encode("utf-8")).hexdigest(),
            len(src.text),
        )
        if not self.lean:
            self.texts[src.name] = src.text
        for a in r.articles:
            if self.lean:
                if a.paragraphs:
                    self.paragraph_ends[a.id] = array(
                        "q", [x for p in a.paragraphs for x in (p.start, p.end)]
                    )
                a = replace(a, paragraphs=())
            self.articles[a.id] = a
        for e in r.entities:
            old = self.entities.get(e.id)
            self.entities[e.id] = e if old is None else merge_entities(old, e)
        names = {(e.type, e.name): e.id for e in r.entities}
        seen: set[tuple[str, str]] = set()
        for m in r.mentions:
            eid = names.get((m.type, m.name))
            if eid is None:
                continue
            if self.lean:
                self.mention_counts[eid] = self.mention_counts.get(eid, 0) + 1
                if (eid, m.article) in seen:
                    continue
                seen.add((eid, m.article))
                article = self.articles[m.article].id if m.article in self.articles else m.article
            else:
                article = m.article
            # one string per article id, shared (with ``lean``)
            self.mentions.setdefault(eid, []).append(MentionRef(src.name, article, m.start, m.end, m.text))
        for rel in r.relations:
            if self.lean:  # one string object per page name and article id, not one per span
                rel = Relation(rel.s, rel.p, rel.o, tuple(self._shared(ev) for ev in rel.evidence))
            old_rel = self.relations.get(rel.key)
            if old_rel is None:
                self.relations[rel.key] = rel
            elif self.defer:
                self._later.setdefault(rel.key, []).extend(rel.evidence)
            else:
                self.relations[rel.key] = Relation(
                    rel.s, rel.p, rel.o, merge_evidence(old_rel.evidence, rel.evidence)
                )

    def settle(self) -> None:
        """Fold the evidence that pages added with ``defer`` gave known relations into them.

        A build (and :meth:`from_results`) merges pages with ``defer``: a relation stated on
        thousands of pages (a county located in its province) would otherwise be merged and
        sorted again for each of them, its evidence growing one page at a time. Until this is
        called such a relation holds the evidence of its first page only."""
        for key, more in self._later.items():
            r = self.relations[key]
            self.relations[key] = Relation(r.s, r.p, r.o, merge_evidence(r.evidence, more))
        self._later.clear()

    def _shared(self, ev: Evidence) -> Evidence:
        src = self.sources[ev.source].name if ev.source in self.sources else ev.source
        art = self.articles[ev.article].id if ev.article in self.articles else ev.article
        return Evidence(src, art, ev.start, ev.end, ev.text)

    # -- views ------------------------------------------------------------------------
    def sorted_entities(self) -> list[Entity]:
        return sorted(self.entities.values(), key=lambda e: (ENTITY_TYPES.index(e.type), e.name))

    def sorted_relations(self) -> list[Relation]:
        return [self.relations[k] for k in sorted(self.relations)]

    def entity(self, name: str, type_: str | None = None) -> Entity | None:
        """Look an entity up by canonical name or alias (and optionally type)."""
        for e in self.sorted_entities():
            if (type_ is None or e.type == type_) and (e.name == name or name in e.aliases):
                return e
        return None

    def relations_of(self, entity_id: str) -> list[Relation]:
        return [r for r in self.sorted_relations() if entity_id in (r.s, r.o)]

    def articles_mentioning(self, entity_id: str) -> list[Article]:
        ids = sorted({m.article for m in self.mentions.get(entity_id, [])})
        ids += sorted({ev.article for r in self.relations_of(entity_id) for ev in r.evidence} - set(ids))
        return [self.articles[a] for a in ids if a in self.articles]

    def counts(self) -> dict[str, dict[str, int]]:
        """Entities per type and relations per predicate."""
        types: dict[str, int] = {}
        for e in self.entities.values():
            types[e.type] = types.get(e.type, 0) + 1
        preds: dict[str, int] = {}
        for r in self.relations.values():
            preds[r.p] = preds.get(r.p, 0) + 1
        return {"entities": types, "relations": preds}


def merge_entities(a: Entity, b: Entity) -> Entity:
    """One entity from two records of it: aliases united, first attributes kept."""
    aliases = tuple(sorted(set(a.aliases) | set(b.aliases) - {a.name}))
    attrs = dict(b.attrs)
    attrs.update(dict(a.attrs))
    # an entity only implied by the gazetteer stops being implied once a page names it
    if not ("implied" in dict(a.attrs) and "implied" in dict(b.attrs)):
        attrs.pop("implied", None)
    return Entity(a.type, a.name, aliases, tuple(sorted(attrs.items())))


def merge_evidence(a: Iterable[Evidence], b: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Evidence of both, without duplicates (the first of a span kept), in a stable order
    (source, start, end)."""
    seen = {(e.source, e.start, e.end): e for e in a}
    for e in b:
        seen.setdefault((e.source, e.start, e.end), e)
    return tuple(seen[k] for k in sorted(seen))
