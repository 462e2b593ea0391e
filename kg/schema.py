"""The schema of the knowledge graph: entity types, predicates, their signatures and labels.

GENERATED from ontology/kg.ttl by scripts/gen_schema.py: do not edit by hand; edit the
ontology and rerun the script (tests/test_schema.py fails when this file is stale). Plain
constants, so importing the schema parses nothing.
"""

from __future__ import annotations

from typing import NamedTuple


class Labels(NamedTuple):
    """Names of an entity type or a predicate: rdfs:label@zh, rdfs:label@en, and the short
    Chinese name the views show (kg:shortLabel@zh, else rdfs:label@zh)."""

    zh: str
    en: str
    short: str


#: The entity types (the subclasses of kg:Entity), in display order (kg:displayOrder).
ENTITY_TYPES: tuple[str, ...] = (
    "Place",
    "Organization",
    "Industry",
    "Venue",
    "Hazard",
    "Campaign",
    "Mechanism",
    "Measure",
    "Document",
    "Person",
)

#: The predicates (the subproperties of kg:relatedTo), in display order (kg:displayOrder).
PREDICATES: tuple[str, ...] = (
    "locatedIn",
    "implements",
    "targets",
    "adopts",
    "takesMeasure",
    "issues",
    "organizes",
    "partnersWith",
    "holdsPost",
)

#: Subject types and object types of each predicate (rdfs:domain, rdfs:range).
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "locatedIn": (frozenset({"Place", "Organization"}), frozenset({"Place"})),
    "implements": (frozenset({"Place", "Organization"}), frozenset({"Campaign"})),
    "targets": (frozenset({"Place", "Organization", "Campaign"}), frozenset({"Industry", "Venue", "Hazard"})),
    "adopts": (frozenset({"Place", "Organization"}), frozenset({"Mechanism"})),
    "takesMeasure": (frozenset({"Place", "Organization"}), frozenset({"Measure"})),
    "issues": (frozenset({"Organization"}), frozenset({"Document"})),
    "organizes": (frozenset({"Organization"}), frozenset({"Campaign"})),
    "partnersWith": (frozenset({"Organization"}), frozenset({"Organization"})),
    "holdsPost": (frozenset({"Person"}), frozenset({"Organization"})),
}

#: Predicates stated once per pair, in either order (owl:SymmetricProperty).
SYMMETRIC: frozenset[str] = frozenset({"partnersWith"})

#: Labels of every entity type and predicate.
LABELS: dict[str, Labels] = {
    "Place": Labels("地点", "Place", "地点"),
    "Organization": Labels("机构", "Organization", "机构"),
    "Industry": Labels("重点行业领域", "Industry", "行业领域"),
    "Venue": Labels("重点场所", "Venue", "场所"),
    "Hazard": Labels("灾害事故", "Hazard", "灾害事故"),
    "Campaign": Labels("专项行动", "Campaign", "行动"),
    "Mechanism": Labels("工作机制", "Mechanism", "机制"),
    "Measure": Labels("安全措施", "Measure", "措施"),
    "Document": Labels("文件", "Document", "文件"),
    "Person": Labels("人物", "Person", "人物"),
    "locatedIn": Labels("位于", "located in", "位于"),
    "implements": Labels("实施", "implements", "实施"),
    "targets": Labels("聚焦", "targets", "针对"),
    "adopts": Labels("建立/采用", "adopts", "采用"),
    "takesMeasure": Labels("采取措施", "takes measure", "采取"),
    "issues": Labels("印发", "issues", "印发"),
    "organizes": Labels("组织", "organizes", "组织"),
    "partnersWith": Labels("联合", "partners with", "合作"),
    "holdsPost": Labels("任职于", "holds post in", "任职"),
}
