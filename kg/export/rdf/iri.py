"""IRIs of the dataset: a pure function of the data (no blank nodes), so output is stable.

``kgi:<type>/<percent-encoded canonical name>`` for entities (the SKOS concept IRI for
vocabulary terms), ``kgi:page/<file>``, ``kgi:article/<file>%23<index>``,
``kgi:evidence/<file>/<start>-<end>``, ``kgi:statement/<hash of subject, predicate, object>``;
the named graphs ``kgg:vocab``, ``kgg:entities``, ``kgg:relations`` and ``kgg:page/<file>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from kg.corpus import Corpus
from kg.model import ENTITY_TYPES, PREDICATES, Entity
from kg.namespace import KG, KGG, KGI, KGV

if TYPE_CHECKING:
    from kg.nlp.vocab import Vocabulary

#: entity types whose values are SKOS concepts, with their concept scheme
TERM_SCHEMES: dict[str, str] = {
    "Industry": KGV.industry,
    "Venue": KGV.venue,
    "Hazard": KGV.hazard,
    "Measure": KGV.measure,
}
CLASS_OF: dict[str, str] = {t: KG.NS + t for t in ENTITY_TYPES}
TYPE_OF_CLASS: dict[str, str] = {v: k for k, v in CLASS_OF.items()}
PREDICATE_IRI: dict[str, str] = {p: KG.NS + p for p in PREDICATES}
PREDICATE_OF_IRI: dict[str, str] = {v: k for k, v in PREDICATE_IRI.items()}

GRAPH_VOCAB = KGG.vocab
GRAPH_ENTITIES = KGG.entities
GRAPH_RELATIONS = KGG.relations
PAGE_GRAPH_PREFIX = KGG.term("page/")


@lru_cache(maxsize=65536)
def _enc(text: str) -> str:
    """Percent-encode every character but the unreserved ASCII ones (RFC 3986): bijective."""
    return quote(text, safe="")


def minted_iri(type_: str, name: str) -> str:
    """The IRI of an entity from its type and canonical name: ``kgi:place/%E9%95%BF…``."""
    return f"{KGI}{type_.lower()}/{_enc(name)}"


def entity_iri(e: Entity, vocab: Vocabulary | None = None) -> str:
    """The SKOS concept IRI for a term named by its concept's preferred label, else the minted IRI.

    A pure function of type and canonical name (given the vocabulary): a term the extractor
    names by another label (事故多发路段 for the concept 危险路段) gets a minted IRI linked to
    its concept with ``skos:exactMatch``, so one node never carries two canonical names.
    """
    if e.type in TERM_SCHEMES:
        term = vocabulary(vocab).by_name.get((e.type, e.name))
        if term is not None:
            return term.iri
    return minted_iri(e.type, e.name)


def vocabulary(vocab: Vocabulary | None) -> Vocabulary:
    """``vocab``, or the vocabularies loaded once (kg.nlp.vocab.load)."""
    if vocab is not None:
        return vocab
    from kg.nlp import vocab as vocab_mod

    return vocab_mod.load()


def page_iri(name: str) -> str:
    return f"{KGI}page/{_enc(name)}"


def page_graph(name: str) -> str:
    """The named graph that holds one page's part of the dataset."""
    return PAGE_GRAPH_PREFIX + _enc(name)


def page_of_graph(graph: str) -> str | None:
    """The page (file) name of a page graph IRI, None for the other graphs."""
    if graph.startswith(PAGE_GRAPH_PREFIX):
        return unquote(graph[len(PAGE_GRAPH_PREFIX) :])
    return None


def article_iri(article_id: str) -> str:
    return f"{KGI}article/{_enc(article_id)}"


def evidence_iri(source: str, start: int, end: int) -> str:
    return f"{KGI}evidence/{_enc(source)}/{start}-{end}"


def mention_iri(source: str, start: int, end: int) -> str:
    return f"{KGI}mention/{_enc(source)}/{start}-{end}"


def statement_iri(s: str, p: str, o: str) -> str:
    """IRI of the reified statement of one triple (a hash: the triple is the identity)."""
    digest = hashlib.sha256(f"{s}\n{p}\n{o}".encode()).hexdigest()[:24]
    return f"{KGI}statement/{digest}"


def entity_iris(corpus: Corpus, vocab: Vocabulary | None = None) -> dict[str, str]:
    """Entity id -> IRI for every entity of the corpus."""
    vocab = vocabulary(vocab)
    return {eid: entity_iri(e, vocab) for eid, e in corpus.entities.items()}


def iri_of_id(eid: str, iris: Mapping[str, str]) -> str:
    iri = iris.get(eid)
    if iri is not None:
        return iri
    type_, _, name = eid.partition(":")
    return minted_iri(type_, name)
