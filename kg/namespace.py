"""Namespaces and terms of the safety-kg ontology.

GENERATED from ontology/kg.ttl by scripts/gen_schema.py: do not edit by hand; edit the
ontology and rerun the script (tests/test_schema.py fails when this file is stale).
"""

from __future__ import annotations


class Namespace:
    """An open namespace: ``PROV.wasDerivedFrom`` is the IRI string of that term.

    Not a ``str`` subclass, so term names that are also string methods (``DCTERMS.title``,
    ``DCTERMS.format``) are terms; ``str(ns)`` and f-strings give the namespace IRI.
    """

    def __init__(self, iri: str) -> None:
        self._iri = iri

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        iri = self._iri + name
        self.__dict__[name] = iri  # later look-ups are plain attribute reads
        return iri

    def __getitem__(self, name: str) -> str:
        return self._iri + name

    def __str__(self) -> str:
        return self._iri

    def __add__(self, other: str) -> str:
        return self._iri + other

    def __repr__(self) -> str:
        return f"Namespace({self._iri!r})"

    def term(self, name: str) -> str:
        """The IRI of ``name`` in this namespace (for names that are not identifiers)."""
        return self._iri + name


#: every prefix declared in ontology/kg.ttl (predeclared in SPARQL queries)
PREFIXES: dict[str, str] = {
    "kg": "https://w3id.org/safety-kg/ontology#",
    "kgv": "https://w3id.org/safety-kg/vocab/",
    "kgi": "https://w3id.org/safety-kg/id/",
    "kgg": "https://w3id.org/safety-kg/graph/",
    "ind": "https://w3id.org/safety-kg/vocab/industry/",
    "ven": "https://w3id.org/safety-kg/vocab/venue/",
    "haz": "https://w3id.org/safety-kg/vocab/hazard/",
    "mea": "https://w3id.org/safety-kg/vocab/measure/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
}

KGV = Namespace("https://w3id.org/safety-kg/vocab/")
KGI = Namespace("https://w3id.org/safety-kg/id/")
KGG = Namespace("https://w3id.org/safety-kg/graph/")
IND = Namespace("https://w3id.org/safety-kg/vocab/industry/")
VEN = Namespace("https://w3id.org/safety-kg/vocab/venue/")
HAZ = Namespace("https://w3id.org/safety-kg/vocab/hazard/")
MEA = Namespace("https://w3id.org/safety-kg/vocab/measure/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")


class KG:
    """The terms of the ontology (closed: a name it does not define is an AttributeError)."""

    NS = "https://w3id.org/safety-kg/ontology#"
    adcode = "https://w3id.org/safety-kg/ontology#adcode"  # datatype property: administrative division code
    adopts = "https://w3id.org/safety-kg/ontology#adopts"  # object property: adopts
    Article = "https://w3id.org/safety-kg/ontology#Article"  # class: Article
    byline = "https://w3id.org/safety-kg/ontology#byline"  # datatype property: byline
    Campaign = "https://w3id.org/safety-kg/ontology#Campaign"  # class: Campaign
    chars = "https://w3id.org/safety-kg/ontology#chars"  # datatype property: characters
    displayOrder = "https://w3id.org/safety-kg/ontology#displayOrder"  # annotation property: display order
    Document = "https://w3id.org/safety-kg/ontology#Document"  # class: Document
    encoding = "https://w3id.org/safety-kg/ontology#encoding"  # datatype property: encoding
    end = "https://w3id.org/safety-kg/ontology#end"  # datatype property: end offset
    Entity = "https://w3id.org/safety-kg/ontology#Entity"  # class: Entity
    Evidence = "https://w3id.org/safety-kg/ontology#Evidence"  # class: Evidence
    GBT4754 = "https://w3id.org/safety-kg/ontology#GBT4754"  # datatype: GB/T 4754-2017 industry code
    Hazard = "https://w3id.org/safety-kg/ontology#Hazard"  # class: Hazard
    holdsPost = "https://w3id.org/safety-kg/ontology#holdsPost"  # object property: holds post in
    home = "https://w3id.org/safety-kg/ontology#home"  # object property: home place
    implements = "https://w3id.org/safety-kg/ontology#implements"  # object property: implements
    implied = "https://w3id.org/safety-kg/ontology#implied"  # datatype property: implied
    index = "https://w3id.org/safety-kg/ontology#index"  # datatype property: index
    Industry = "https://w3id.org/safety-kg/ontology#Industry"  # class: Industry
    issues = "https://w3id.org/safety-kg/ontology#issues"  # object property: issues
    kind = "https://w3id.org/safety-kg/ontology#kind"  # datatype property: kind
    level = "https://w3id.org/safety-kg/ontology#level"  # datatype property: level
    locatedIn = "https://w3id.org/safety-kg/ontology#locatedIn"  # object property: located in
    Measure = "https://w3id.org/safety-kg/ontology#Measure"  # class: Measure
    Mechanism = "https://w3id.org/safety-kg/ontology#Mechanism"  # class: Mechanism
    Mention = "https://w3id.org/safety-kg/ontology#Mention"  # class: Mention
    mentionedIn = "https://w3id.org/safety-kg/ontology#mentionedIn"  # object property: mentioned in
    mentionOf = "https://w3id.org/safety-kg/ontology#mentionOf"  # object property: mention of
    mentionsType = "https://w3id.org/safety-kg/ontology#mentionsType"  # object property
    Organization = "https://w3id.org/safety-kg/ontology#Organization"  # class: Organization
    organizes = "https://w3id.org/safety-kg/ontology#organizes"  # object property: organizes
    Page = "https://w3id.org/safety-kg/ontology#Page"  # class: Page
    parent = "https://w3id.org/safety-kg/ontology#parent"  # datatype property: parent division
    partnersWith = "https://w3id.org/safety-kg/ontology#partnersWith"  # object property: partners with
    Person = "https://w3id.org/safety-kg/ontology#Person"  # class: Person
    Place = "https://w3id.org/safety-kg/ontology#Place"  # class: Place
    post = "https://w3id.org/safety-kg/ontology#post"  # datatype property: post
    relatedTo = "https://w3id.org/safety-kg/ontology#relatedTo"  # object property: related to
    sha256 = "https://w3id.org/safety-kg/ontology#sha256"  # datatype property: SHA-256
    shortLabel = "https://w3id.org/safety-kg/ontology#shortLabel"  # annotation property: short label
    start = "https://w3id.org/safety-kg/ontology#start"  # datatype property: start offset
    takesMeasure = "https://w3id.org/safety-kg/ontology#takesMeasure"  # object property: takes measure
    targets = "https://w3id.org/safety-kg/ontology#targets"  # object property: targets
    targetsWithMeasure = "https://w3id.org/safety-kg/ontology#targetsWithMeasure"  # object property
    text = "https://w3id.org/safety-kg/ontology#text"  # datatype property: text
    Venue = "https://w3id.org/safety-kg/ontology#Venue"  # class: Venue


CLASSES: tuple[str, ...] = (
    "Article",
    "Campaign",
    "Document",
    "Entity",
    "Evidence",
    "Hazard",
    "Industry",
    "Measure",
    "Mechanism",
    "Mention",
    "Organization",
    "Page",
    "Person",
    "Place",
    "Venue",
)
OBJECT_PROPERTIES: tuple[str, ...] = (
    "adopts",
    "holdsPost",
    "home",
    "implements",
    "issues",
    "locatedIn",
    "mentionedIn",
    "mentionOf",
    "mentionsType",
    "organizes",
    "partnersWith",
    "relatedTo",
    "takesMeasure",
    "targets",
    "targetsWithMeasure",
)
DATATYPE_PROPERTIES: tuple[str, ...] = (
    "adcode",
    "byline",
    "chars",
    "encoding",
    "end",
    "implied",
    "index",
    "kind",
    "level",
    "parent",
    "post",
    "sha256",
    "start",
    "text",
)
