"""What every view needs from the Corpus, computed once: adjacency, degrees, articles, file names.

``Corpus.relations_of`` and ``articles_mentioning`` scan every relation per call;
the views ask for every entity, so this index makes one pass instead (linear in
the corpus, not quadratic). Everything here is ordered deterministically.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path

from kg.corpus import Corpus
from kg.model import ENTITY_TYPES, PREDICATES, Article, Entity, Evidence, Relation
from kg.schema import LABELS

log = logging.getLogger(__name__)

#: Colour, vis-network shape and legend glyph (for that shape) of the entity types, and the
#: edge colour of the predicates: presentation only. The types and predicates themselves,
#: their order and their Chinese names come from the ontology (kg.schema); a type or a
#: predicate these tables do not name is drawn in the next spare colour (a type as a dot).
_TYPE_LOOK: dict[str, tuple[str, str, str]] = {
    "Place": ("#1f77b4", "dot", "●"),
    "Organization": ("#ff7f0e", "square", "■"),
    "Industry": ("#d62728", "diamond", "◆"),
    "Venue": ("#8c564b", "triangle", "▲"),
    "Hazard": ("#e377c2", "triangleDown", "▼"),
    "Campaign": ("#2ca02c", "star", "★"),
    "Mechanism": ("#9467bd", "hexagon", "⬢"),
    "Measure": ("#17becf", "dot", "●"),
    "Document": ("#7f7f7f", "square", "■"),
    "Person": ("#bcbd22", "triangle", "▲"),
}
_PREDICATE_COLOUR: dict[str, str] = {
    "locatedIn": "#a8a8a8",
    "implements": "#2ca02c",
    "targets": "#d62728",
    "adopts": "#9467bd",
    "takesMeasure": "#17becf",
    "issues": "#7f7f7f",
    "organizes": "#ff7f0e",
    "partnersWith": "#8c564b",
    "holdsPost": "#bcbd22",
}
#: the light tones of matplotlib's tab20, after the ten tones above
_SPARE_COLOURS = ("#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d")


def _short(name: str) -> str:
    return LABELS[name].short if name in LABELS else name


def type_styles(types: Sequence[str]) -> dict[str, tuple[str, str, str, str]]:
    """Per type: short Chinese label (kg:shortLabel), colour, vis-network shape, legend glyph."""
    spare = cycle(_SPARE_COLOURS)
    return {t: (_short(t), *(_TYPE_LOOK.get(t) or (next(spare), "dot", "●"))) for t in types}


def predicate_styles(predicates: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Per predicate: short Chinese label (kg:shortLabel) and edge colour."""
    spare = cycle(_SPARE_COLOURS)
    return {p: (_short(p), _PREDICATE_COLOUR.get(p) or next(spare)) for p in predicates}


#: Per type of the model: Chinese label, colour, vis-network shape, legend glyph for that shape.
TYPE_STYLE: dict[str, tuple[str, str, str, str]] = type_styles(ENTITY_TYPES)

#: Per predicate of the model: Chinese label and edge colour.
PREDICATE_STYLE: dict[str, tuple[str, str]] = predicate_styles(PREDICATES)


def article_filename(article_id: str) -> str:
    """Stable, URL-safe path of an article's page: ``article/<16 hex digits of its id's hash>.html``
    (page names may hold any character; the id ``<page>#<n>`` is the identity)."""
    digest = hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:16]
    return f"article/{digest}.html"


def span_anchor(start: int, end: int, kind: str = "ev") -> str:
    """The id of a span in its article's page: ``ev-<start>-<end>`` for evidence, ``m-…`` for a
    mention (offsets into the page file, as in the RDF's IRIs ``kgi:evidence/<page>/<start>-<end>``)."""
    return f"{kind}-{start}-{end}"


def entity_filename(entity_id: str) -> str:
    """Stable, filesystem- and URL-safe file name of an entity's focused view.

    ASCII only (type and a hash of the id), so names with 《》, “”, ·, / or 200
    characters are safe on every filesystem, in zip files and in URLs; the same id
    always gives the same name.
    """
    type_ = entity_id.partition(":")[0]
    digest = hashlib.sha256(entity_id.encode("utf-8")).hexdigest()[:16]
    slug = "".join(ch for ch in type_.lower() if ch.isascii() and ch.isalnum()) or "entity"
    return f"{slug}-{digest}.html"


#: Administrative levels of places (kg:level), the largest first; zones fit anywhere.
_LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2, "town": 3, "village": 4}

#: Types whose entities are concepts of the SKOS vocabularies (skos:broader applies).
TERM_TYPES = ("Industry", "Venue", "Hazard", "Measure")


def type_rank(type_: str) -> int:
    return ENTITY_TYPES.index(type_) if type_ in ENTITY_TYPES else len(ENTITY_TYPES)


def predicate_rank(p: str) -> int:
    return PREDICATES.index(p) if p in PREDICATES else len(PREDICATES)


#: relations as subject above which an entity's are also kept by object (ViewIndex.out_to)
_HUB = 64


@dataclass
class ViewIndex:
    """The corpus with the lookups the views need."""

    corpus: Corpus
    entities: list[Entity] = field(default_factory=list)  # display order: type, name
    relations: list[Relation] = field(default_factory=list)  # sorted by key
    by_entity: dict[str, list[Relation]] = field(default_factory=dict)  # as subject or object
    outgoing: dict[str, list[Relation]] = field(default_factory=dict)  # as subject
    degree: dict[str, int] = field(default_factory=dict)  # distinct neighbours
    article_ids: dict[str, list[str]] = field(default_factory=dict)  # entity → articles, sorted
    pages: dict[str, str] = field(default_factory=dict)  # entity id → "entity/<file>.html"
    place_by_adcode: dict[str, str] = field(default_factory=dict)  # adcode → Place id
    order: dict[str, int] = field(default_factory=dict)  # entity id → display position
    #: the first and last full article dates (network.date_range, computed on first use)
    date_bounds: tuple[str, str] | None = None
    #: entity id → the sorted full dates of its articles (dates_of, filled on first use)
    entity_dates: dict[str, list[str]] = field(default_factory=dict)
    #: Place id → the places and organizations located in it, directly or not (locatedIn*),
    #: itself excluded, in display order: a city's counties, their towns and their bodies
    within: dict[str, list[str]] = field(default_factory=dict)
    #: Place or Organization id → the prefecture-level cities it lies in (itself for a city)
    cities_of: dict[str, list[str]] = field(default_factory=dict)
    #: term id (Industry, Venue, Hazard, Measure) → the corpus's terms under it (skos:broader*)
    narrower: dict[str, list[str]] = field(default_factory=dict)
    #: term id → the corpus's terms it lies under (skos:broader*), nearest first
    broader: dict[str, list[str]] = field(default_factory=dict)
    #: article id → its page "article/<file>.html", for the articles whose text the corpus holds
    article_pages: dict[str, str] = field(default_factory=dict)
    #: article id → the evidence spans in it, each with the relations it states (by span)
    evidence_in: dict[str, list[tuple[Evidence, list[Relation]]]] = field(default_factory=dict)
    #: article id → the mentions in it: (start, end, entity id), by span
    mentions_in: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)

    #: a build folder whose article pages link when the corpus holds no page texts (kg.load)
    folder: Path | None = None
    #: article id → its full date, for the articles that have one (date_of, filled on first use)
    full_dates: dict[str, str] | None = None
    #: entity id → its place in by_degree's order (filled on first use)
    degree_rank: dict[str, int] | None = None
    #: predicate → entity id → its relations by that predicate as subject (``out_by``) and as
    #: object (``in_by``), sorted: what a focused view reads of a hub's neighbours
    out_by: dict[str, dict[str, list[Relation]]] = field(default_factory=dict)
    in_by: dict[str, dict[str, list[Relation]]] = field(default_factory=dict)
    #: entity id with many relations as subject → object id → those relations: what
    #: relations_among looks up instead of scanning a hub's relations (filled by prepare)
    out_to: dict[str, dict[str, list[Relation]]] = field(default_factory=dict)
    #: relation key → the sorted full dates of its sentences' articles (relation_dates)
    rel_dates: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    #: the last relations_among answer: (its entities, the relations) — a view asks twice
    _among: tuple[frozenset[str], list[Relation]] | None = field(default=None, repr=False)
    #: actor id → its measures by article (measures_by_article, filled on first use)
    _taken: dict[str, dict[str, list[tuple[str, tuple[str, int, int], Evidence]]]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def build(cls, corpus: Corpus, folder: Path | None = None) -> ViewIndex:
        ix = cls(corpus, folder=folder)
        ix._entities()
        skipped = (len(corpus.entities) - len(ix.entities), len(corpus.relations) - len(ix.relations))
        if any(skipped):
            log.warning("views: left out %d entities and %d relations outside the model", *skipped)
        neighbours: dict[str, set[str]] = {e.id: set() for e in ix.entities}
        for e in ix.entities:
            ix.by_entity[e.id] = []
            ix.outgoing[e.id] = []
        for r in ix.relations:
            ix.out_by.setdefault(r.p, {}).setdefault(r.s, []).append(r)
            ix.in_by.setdefault(r.p, {}).setdefault(r.o, []).append(r)
            ix.outgoing[r.s].append(r)
            ix.by_entity[r.s].append(r)
            if r.o != r.s:
                ix.by_entity[r.o].append(r)
            neighbours[r.s].add(r.o)
            neighbours[r.o].add(r.s)
        for eid, ns in neighbours.items():
            ns.discard(eid)
            ix.degree[eid] = len(ns)
        for e in ix.entities:
            arts = {m.article for m in corpus.mentions.get(e.id, [])}
            for r in ix.by_entity[e.id]:
                arts.update(ev.article for ev in r.evidence)
            ix.article_ids[e.id] = sorted(a for a in arts if a in corpus.articles)
        for e in ix.entities:
            code = e.attr("adcode") if e.type == "Place" else None
            if code and code not in ix.place_by_adcode:
                ix.place_by_adcode[code] = e.id
        ix._place_hierarchy()
        ix._term_hierarchy()
        ix._articles()
        return ix

    @classmethod
    def of_page(cls, corpus: Corpus) -> ViewIndex:
        """The index of one page's corpus with only what its article pages read (kg build renders
        them where the page was extracted). An article page shows its page's text, articles,
        mentions and evidence, and links entities by name and file name, which follow from
        their ids; so it is the same from the page's result as from the whole corpus."""
        ix = cls(corpus)
        ix._entities()
        ix._articles()
        return ix

    def _entities(self) -> None:
        """The entities in display order, the relations among them, their pages' file names."""
        corpus = self.corpus
        # only the model's types and predicates have a colour, a shape and a place in the
        # legend; anything else (and a relation whose end is not an entity) is left out
        self.entities = sorted(
            (e for e in corpus.entities.values() if e.type in TYPE_STYLE),
            key=lambda e: (ENTITY_TYPES.index(e.type), e.name),
        )
        self.order = {e.id: i for i, e in enumerate(self.entities)}
        known = set(self.order)
        self.relations = [
            r for r in corpus.sorted_relations() if r.s in known and r.o in known and r.p in PREDICATE_STYLE
        ]
        names: dict[str, str] = {}
        for e in self.entities:
            fname = entity_filename(e.id)
            if fname in names:  # 64 bits of sha256: never in practice, but never silently
                raise ValueError(f"file name collision: {names[fname]!r} and {e.id!r}")
            names[fname] = e.id
            self.pages[e.id] = f"entity/{fname}"

    def _articles(self) -> None:
        """The article pages to write (articles whose page text is known) and what each shows."""
        c = self.corpus
        for aid, a in sorted(c.articles.items()):
            rel = article_filename(aid)
            if a.source in c.texts or (self.folder is not None and (self.folder / rel).is_file()):
                self.article_pages[aid] = rel
        # what an article page shows, for the pages rendered from this corpus (those read back
        # from a build folder, or written by kg build as its pages came in, need nothing)
        shown = {aid for aid in self.article_pages if c.articles[aid].source in c.texts}
        spans: dict[str, dict[tuple[int, int], tuple[Evidence, list[Relation]]]] = {}
        for r in self.relations:
            for ev in r.evidence:
                if ev.article in shown:
                    at = spans.setdefault(ev.article, {})
                    at.setdefault((ev.start, ev.end), (ev, []))[1].append(r)
        for aid, at in spans.items():
            self.evidence_in[aid] = [at[k] for k in sorted(at)]
        known = set(self.order)
        for eid, refs in c.mentions.items():
            if eid not in known:
                continue
            for m in refs:
                if m.article in shown:
                    self.mentions_in.setdefault(m.article, []).append((m.start, m.end, eid))
        for aid, ms in self.mentions_in.items():
            self.mentions_in[aid] = sorted(set(ms), key=lambda m: (m[0], m[1], self.order[m[2]]))

    def prepare(self) -> None:
        """Make the lookups the focused views read, before processes are forked to write them.

        A forked process shares this one's memory until it writes to a page of it, and reading
        a Python object writes its reference count: a view that scanned a hub's neighbours'
        relations, sorted them by their entities' names or looked every article up for its
        date would copy most of the index. With these it reads only what it shows: the dates
        of the dated articles (shared strings), each entity's rank by degree (ints made
        together), each entity's relations per predicate, the dates of each entity's articles."""
        self.by_degree([])
        for e in self.entities:
            self.dates_of(e.id)
        for eid, rels in self.outgoing.items():
            if len(rels) > _HUB:
                to: dict[str, list[Relation]] = {}
                for r in rels:
                    to.setdefault(r.o, []).append(r)
                self.out_to[eid] = to
        for r in self.relations:
            self.relation_dates(r)

    def measures_by_article(self, eid: str) -> dict[str, list[tuple[str, tuple[str, int, int], Evidence]]]:
        """The measures ``eid`` takes, by the articles that state them: article id → (measure
        id, the span's key (source, start, end), evidence span) (kept: an actor targets many
        terms, each of which lists the measures it takes in the same articles)."""
        found = self._taken.get(eid)
        if found is None:
            found = self._taken[eid] = {}
            for r in self.out_by.get("takesMeasure", {}).get(eid, ()):
                for ev in r.evidence:
                    found.setdefault(ev.article, []).append((r.o, (ev.source, ev.start, ev.end), ev))
        return found

    def relation_dates(self, r: Relation) -> list[str]:
        """The sorted full dates of the articles that state ``r`` (kept: a relation is drawn in
        the views of both its ends and of their neighbours)."""
        found = self.rel_dates.get(r.key)
        if found is None:
            dates = {d for ev in r.evidence if (d := self.date_of(ev.article))}
            found = self.rel_dates[r.key] = sorted(dates)
        return found

    def evidence_href(self, ev: Evidence, root: str = "") -> str | None:
        """The link to an evidence span in its article's page (None when no page is written)."""
        page = self.article_pages.get(ev.article)
        return f"{root}{page}#{span_anchor(ev.start, ev.end)}" if page else None

    def dates_of(self, eid: str) -> list[str]:
        """The sorted full dates of the entity's articles (kept: a hub is in many views)."""
        found = self.entity_dates.get(eid)
        if found is None:
            arts = self.article_ids.get(eid, [])
            found = self.entity_dates[eid] = sorted({d for a in arts if (d := self.date_of(a))})
        return found

    def date_of(self, aid: str) -> str:
        """An article's date when it is a full date (YYYY-MM-DD), else "" (from a table of the
        dated articles, made once: the articles themselves are not read again)."""
        if self.full_dates is None:
            same: dict[str, str] = {}  # one string object per date
            self.full_dates = {
                a.id: same.setdefault(d, d)
                for a in self.corpus.articles.values()
                if (d := a.date) and len(d) == 10 and not d.startswith("-")
            }
        return self.full_dates.get(aid, "")

    def _place_hierarchy(self) -> None:
        """``within`` and ``cities_of`` from the locatedIn relations (county → city → province).

        The gazetteer supplies each division's parent as a locatedIn relation, the text puts
        towns, villages and bodies in their places. A division is never inside one of a lower
        or the same level (a contradicting sentence), and any other cycle is cut.
        """
        up: dict[str, list[str]] = {}
        down: dict[str, list[str]] = {}
        for r in self.relations:
            if r.p != "locatedIn" or not r.o.startswith("Place:") or r.s == r.o:
                continue
            inner = _LEVEL_RANK.get(self.entity(r.s).attr("level") or "")
            outer = _LEVEL_RANK.get(self.entity(r.o).attr("level") or "")
            if inner is not None and outer is not None and outer >= inner:
                continue
            up.setdefault(r.s, []).append(r.o)
            down.setdefault(r.o, []).append(r.s)
        for e in self.entities:
            if e.type != "Place":
                continue
            seen = {e.id}
            todo = list(down.get(e.id, ()))
            while todo:
                x = todo.pop()
                if x not in seen:
                    seen.add(x)
                    todo.extend(down.get(x, ()))
            seen.discard(e.id)
            if seen:
                self.within[e.id] = sorted(seen, key=self.order.__getitem__)
        for e in self.entities:
            if e.type not in ("Place", "Organization"):
                continue
            seen = {e.id}
            todo = [e.id]
            cities: set[str] = set()
            while todo:
                x = todo.pop()
                if self.entity(x).attr("level") == "prefecture":
                    cities.add(x)
                    continue  # a city's own parents are above every city
                for y in up.get(x, ()):
                    if y not in seen:
                        seen.add(y)
                        todo.append(y)
            if cities:
                self.cities_of[e.id] = sorted(cities, key=self.order.__getitem__)

    def _term_hierarchy(self) -> None:
        """``narrower`` and ``broader`` among the corpus's terms, from the SKOS vocabularies.

        A term is its vocabulary concept (its ``iri`` attribute when named otherwise);
        terms outside the vocabulary have no hierarchy.
        """
        terms = [e for e in self.entities if e.type in TERM_TYPES]
        if not terms:
            return
        from kg.nlp import vocab as vocab_mod

        voc = vocab_mod.load()
        concept: dict[str, str] = {}
        for e in terms:
            t = voc.by_name.get((e.type, e.name))
            iri = t.iri if t is not None else e.attr("iri")
            if iri and iri in voc.terms:
                concept[e.id] = iri
        by_concept: dict[str, list[str]] = {}
        for eid, iri in concept.items():
            by_concept.setdefault(iri, []).append(eid)
        for eid, iri in concept.items():
            # breadth first up the concept hierarchy: the nearest broader terms first
            seen = {iri}
            level = [iri]
            ups: list[str] = []
            while level:
                nxt = sorted({b for c in level for b in voc.terms[c].broader if b in voc.terms} - seen)
                seen.update(nxt)
                ups += [x for c in nxt for x in sorted(by_concept.get(c, ()), key=self.order.__getitem__)]
                level = nxt
            ups = [x for x in ups if x != eid]
            if ups:
                self.broader[eid] = ups
                for b in ups:
                    self.narrower.setdefault(b, []).append(eid)
        for b, ns in self.narrower.items():
            self.narrower[b] = sorted(set(ns), key=self.order.__getitem__)

    def entity(self, eid: str) -> Entity:
        return self.corpus.entities[eid]

    def article(self, aid: str) -> Article | None:
        return self.corpus.articles.get(aid)

    def by_degree(self, ids: list[str] | None = None) -> list[str]:
        """Entity ids, most connected first (ties: type order, then name)."""
        if self.degree_rank is None:
            ranked = sorted(
                (e.id for e in self.entities),
                key=lambda i: (-self.degree.get(i, 0), type_rank(i.partition(":")[0]), self.entity(i).name),
            )
            self.degree_rank = {eid: k for k, eid in enumerate(ranked)}
        pool = [e.id for e in self.entities] if ids is None else ids
        return sorted(pool, key=self.degree_rank.__getitem__)

    def relations_among(self, ids: set[str]) -> list[Relation]:
        """Relations with both ends in ``ids``, sorted (through the adjacency, not a full scan:
        a hub's relations are looked up by object, not read through)."""
        key = frozenset(ids)
        if self._among is not None and self._among[0] == key:
            return list(self._among[1])
        out: list[Relation] = []
        for eid in ids:
            to = self.out_to.get(eid)
            if to is not None and len(ids) < len(self.outgoing[eid]):
                for o in ids:
                    out += to.get(o, ())
            else:
                out += [r for r in self.outgoing.get(eid, ()) if r.o in ids]
        out.sort(key=lambda r: r.key)
        self._among = (key, out)
        return list(out)

    def rolled_up(self, eid: str, predicate: str) -> list[tuple[str, list[Relation]]]:
        """What a place and everything within it (``within``) does by ``predicate``.

        Per object, the relations that state it (their subjects in display order); the
        objects most widely shared first, then in display order.
        """
        found: dict[str, list[Relation]] = {}
        out = self.out_by.get(predicate, {})
        for actor in (eid, *self.within.get(eid, ())):
            for r in out.get(actor, ()):
                found.setdefault(r.o, []).append(r)
        return sorted(found.items(), key=lambda kv: (-len(kv[1]), self.order[kv[0]]))

    def under(self, eid: str, predicate: str) -> list[tuple[str, list[Relation]]]:
        """Who relates by ``predicate`` to a term or to any term under it (``narrower``).

        Per subject, the relations (their objects in display order); the subjects with the
        most terms first, then in display order.
        """
        found: dict[str, list[Relation]] = {}
        into = self.in_by.get(predicate, {})
        for term in (eid, *self.narrower.get(eid, ())):
            for r in into.get(term, ()):
                found.setdefault(r.s, []).append(r)
        for rels in found.values():
            rels.sort(key=lambda r: self.order[r.o])
        return sorted(found.items(), key=lambda kv: (-len(kv[1]), self.order[kv[0]]))
