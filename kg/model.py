"""The data model: frozen records that flow one way through the pipeline.

files ──ingest──▶ SourceText ──layout──▶ Article[] ──segment──▶ Doc
      ──extract──▶ Mention[] ──resolve──▶ Entity[] ──relate──▶ Relation[] ──▶ FileResult

Offsets are always character offsets into ``SourceText.text`` (the decoded file,
or the extracted text for HTML), so an evidence span can be cut verbatim from it; its
``text`` is that slice with the page layout's line breaks removed (kg.text.without_breaks).
Entity ids are a pure function of type + canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The entity types (in display order) and the predicates: generated from ontology/kg.ttl.
from kg.schema import ENTITY_TYPES as ENTITY_TYPES
from kg.schema import PREDICATES as PREDICATES

_new = object.__new__


def entity_id(type_: str, name: str) -> str:
    """Stable id of an entity: its type and canonical name."""
    return f"{type_}:{name}"


@dataclass(frozen=True)
class SourceText:
    """A decoded input file."""

    path: str  # as given on the command line
    name: str  # base name, used as the file key in JSONL output
    text: str
    encoding: str
    format: str  # "txt" | "md" | "html"
    #: what is known of the page besides its text: its date (ISO, maybe partial: "2025") and
    #: publisher, from the HTML metadata, a manifest or ``--date`` (kg.pipeline.page_info)
    date: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of an article.

    ``pieces`` are the source spans of its content: one span normally, several when
    the page broke the paragraph across columns, minus any byline glued to it.
    """

    pieces: tuple[tuple[int, int], ...]
    kind: str = "body"  # body | headline | heading (a section heading inside the body) | caption

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass(frozen=True)
class Article:
    """One article cut from a newspaper page."""

    id: str  # "<file name>#<index>", stable
    source: str  # file base name
    index: int
    headline: str
    start: int
    end: int
    paragraphs: tuple[Paragraph, ...]
    headlines: tuple[str, ...] = ()  # kicker, headline, sub-headlines in order
    date: str | None = None  # ISO 8601 "2026-03-30", or "--03-30" when the year is unknown
    kind: str = "article"  # article | caption | commentary | brief
    bylines: tuple[str, ...] = ()  # people credited (reporters, photographers): never entities
    publisher: str | None = None  # the paper, media centre or site (来源, dateline, metadata)


@dataclass(frozen=True)
class Mention:
    """A typed span found by one extractor."""

    article: str  # article id
    start: int
    end: int
    text: str  # surface form, as in the source (line breaks removed)
    type: str
    name: str  # canonical candidate
    extractor: str
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.attrs:
            if k == key:
                return v
        return default

    def at(self, start: int, end: int) -> Mention:
        """The same mention at other offsets (its source span); what ``dataclasses.replace``
        does, without its field-by-field introspection (a page has hundreds of mentions)."""
        return Mention.make(
            self.article, start, end, self.text, self.type, self.name, self.extractor, self.attrs
        )

    @classmethod
    def make(
        cls,
        article: str,
        start: int,
        end: int,
        text: str,
        type_: str,
        name: str,
        extractor: str,
        attrs: tuple[tuple[str, str], ...] = (),
    ) -> Mention:
        """``Mention(...)`` without the frozen dataclass's ``__init__``, which sets each field
        through ``object.__setattr__`` (three times slower; a page makes hundreds of
        mentions): the fields go into the instance dict in their order, so the object is the
        same (equality, hash, repr, pickle)."""
        m = _new(cls)
        d = m.__dict__
        d["article"] = article
        d["start"] = start
        d["end"] = end
        d["text"] = text
        d["type"] = type_
        d["name"] = name
        d["extractor"] = extractor
        d["attrs"] = attrs
        return m


@dataclass(frozen=True)
class Entity:
    """A resolved entity: canonical name, aliases, attributes (adcode, level…)."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        return entity_id(self.type, self.name)

    def attr(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.attrs:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a relation is stated: a span of a source file."""

    source: str  # file base name
    article: str  # article id
    start: int
    end: int
    text: str  # == without_breaks(source text[start:end]): the words whole, offsets verbatim

    def __reduce__(self) -> tuple[type[Evidence], tuple[str, str, int, int, str]]:
        # pickled as its fields: a slotted dataclass's own state methods walk fields() for
        # every object (half the cost of a page's result sent back from a worker)
        return (Evidence, (self.source, self.article, self.start, self.end, self.text))


@dataclass(frozen=True)
class Relation:
    """A typed edge between two entities with every piece of evidence for it."""

    s: str  # entity id
    p: str
    o: str  # entity id
    evidence: tuple[Evidence, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.s, self.p, self.o)


@dataclass(frozen=True)
class FileResult:
    """Everything extracted from one input file."""

    source: SourceText
    home: str | None
    articles: tuple[Article, ...]
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...] = ()


@dataclass
class Extraction:
    """What extracting a set of inputs gave: per-file results in the order read (merged into a
    Corpus on demand: JSONL, networkx, RDF and HTML are all views derived from them), the
    inputs that failed, and which pages were extracted now or served from the cache."""

    files: list[FileResult] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    extracted: list[str] = field(default_factory=list)  # page names extracted now
    cached: list[str] = field(default_factory=list)  # page names served from the cache
