"""The schema generated from the ontology: current, read the way the ontology says, and used.

kg/namespace.py, kg/schema.py and the generated block of ontology/shapes.ttl are written by
scripts/gen_schema.py from ontology/kg.ttl; these tests fail when one is stale, check the
generator on made-up ontologies (a new predicate, broken definitions), check the ontology
against the annotation guidelines, and check that relate, the views and the SHACL shapes
take every type and predicate from it.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF

from kg import relate
from kg.export.views.data import PREDICATE_STYLE, TYPE_STYLE, predicate_styles, type_styles
from kg.schema import ENTITY_TYPES, LABELS, PREDICATES, SIGNATURES, SYMMETRIC

from ._util import ROOT

ONTOLOGY = ROOT / "ontology" / "kg.ttl"
GUIDELINES = ROOT / "gold" / "GUIDELINES.md"
KG = "https://w3id.org/safety-kg/ontology#"
KGS = "https://w3id.org/safety-kg/shapes#"


@cache
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_schema", ROOT / "scripts" / "gen_schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# -- the generated files ---------------------------------------------------------------------------


def test_generated_files_are_current() -> None:
    for path, text in gen().outputs().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is stale: run python scripts/gen_schema.py"
        )


def test_check_mode_reports_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "schema.py"
    stale.write_text("PREDICATES = ()\n", encoding="utf-8")
    monkeypatch.setattr(gen(), "SCHEMA_PY", stale)
    monkeypatch.setattr(gen(), "ROOT", tmp_path)
    assert gen().main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "PREDICATES = ()\n"  # --check writes nothing


# -- the generator on made-up ontologies -----------------------------------------------------------

NEW_PREDICATE = """
kg:madeUpConcerns a owl:ObjectProperty ;
    rdfs:subPropertyOf kg:relatedTo ;
    rdfs:label "concerns"@en, "涉及"@zh ;
    rdfs:domain kg:Document ;
    rdfs:range [ a owl:Class ; owl:unionOf ( kg:Hazard kg:Industry ) ] .

kg:madeUpMeets a owl:ObjectProperty, owl:SymmetricProperty ;
    rdfs:subPropertyOf kg:relatedTo ;
    rdfs:label "meets"@en, "会见"@zh ;
    kg:shortLabel "见"@zh ;
    kg:displayOrder 0 ;
    rdfs:domain kg:Entity ;
    rdfs:range kg:Person .
"""


def _ontology(tmp_path: Path, extra: str, drop: str = "") -> Path:
    text = ONTOLOGY.read_text(encoding="utf-8")
    if drop:
        assert drop in text
        text = text.replace(drop, "")
    path = tmp_path / "kg.ttl"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_a_new_predicate_needs_only_the_ontology(tmp_path: Path) -> None:
    schema = gen().read_schema(_ontology(tmp_path, NEW_PREDICATE))
    names = [p.name for p in schema.predicates]
    # kg:displayOrder 0 comes first; no order comes after the ordered ones
    assert names == ["madeUpMeets", *PREDICATES, "madeUpConcerns"]
    assert schema.signatures["madeUpConcerns"] == (("Document",), ("Industry", "Hazard"))  # type order
    assert schema.signatures["madeUpMeets"] == (ENTITY_TYPES, ("Person",))  # kg:Entity: any type
    assert schema.symmetric[0] == "madeUpMeets" and set(schema.symmetric) == {"madeUpMeets", *SYMMETRIC}
    concerns = schema.predicates[-1]
    assert (concerns.zh, concerns.en, concerns.short) == ("涉及", "concerns", "涉及")
    assert schema.predicates[0].short == "见"
    # the generated module and shapes carry it
    text = gen().render_schema(schema)
    assert '"madeUpConcerns": (frozenset({"Document"}), frozenset({"Industry", "Hazard"})),' in text
    block = gen().render_shapes_block(schema)
    shapes = rdflib.Graph().parse(data=_prefixed(block), format="turtle")
    subject, obj = rdflib.URIRef(KGS + "MadeUpConcernsSubject"), rdflib.URIRef(KGS + "MadeUpConcernsObject")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert shapes.value(subject, sh.targetSubjectsOf) == rdflib.URIRef(KG + "madeUpConcerns")
    assert shapes.value(subject, sh["class"]) == rdflib.URIRef(KG + "Document")
    assert shapes.value(obj, sh.targetObjectsOf) == rdflib.URIRef(KG + "madeUpConcerns")
    # and its relations are checked for provenance
    assert "kg:madeUpConcerns" in block.split("kgs:RelationProvenance", 1)[1]


NEW_LINKS = """
kg:madeUpWarnsWith a owl:ObjectProperty ;
    rdfs:domain [ a owl:Class ; owl:unionOf ( kg:Organization kg:Place ) ] ;
    rdfs:range kg:Hazard .

kg:madeUpCites a owl:ObjectProperty ;
    rdfs:domain kg:Article ;
    rdfs:range kg:Document .
"""


def test_a_derived_link_between_entities_gets_the_shapes_of_its_ends(tmp_path: Path) -> None:
    # an object property outside kg:relatedTo between entity types (as kg:targetsWithMeasure):
    # shapes for its subjects and objects, no predicate; one from an article (as
    # kg:mentionsType): none
    schema = gen().read_schema(_ontology(tmp_path, NEW_LINKS))
    assert schema.links == {
        "madeUpWarnsWith": (("Place", "Organization"), ("Hazard",)),
        "targetsWithMeasure": (("Place", "Organization"), ("Industry", "Venue", "Hazard")),
    }
    assert [p.name for p in schema.predicates] == list(PREDICATES)
    block = gen().render_shapes_block(schema)
    shapes = rdflib.Graph().parse(data=_prefixed(block), format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    obj = rdflib.URIRef(KGS + "MadeUpWarnsWithObject")
    assert shapes.value(obj, sh.targetObjectsOf) == rdflib.URIRef(KG + "madeUpWarnsWith")
    assert shapes.value(obj, sh["class"]) == rdflib.URIRef(KG + "Hazard")
    assert "madeUpCites" not in block
    assert "kg:madeUpWarnsWith" not in block.split("kgs:StatementPredicate", 1)[1]  # not a predicate
    types = Collection(shapes, shapes.value(rdflib.URIRef(KGS + "MentionsTypeObject"), sh["in"]))
    assert [str(t)[len(KG) :] for t in types] == list(ENTITY_TYPES)


def _prefixed(block: str) -> str:
    text = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    return "".join(line + "\n" for line in text.splitlines() if line.startswith("@prefix")) + block


@pytest.mark.parametrize(
    ("extra", "drop", "message"),
    [
        (
            "kg:madeUpWarnsOf a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ;\n"
            '    rdfs:label "warns of"@en, "预警"@zh ; rdfs:range kg:Hazard .\n',
            "",
            r"kg:madeUpWarnsOf has no rdfs:domain; give the types of its subjects",
        ),
        (
            "kg:madeUpQuotes a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ;\n"
            '    rdfs:label "quotes"@en, "引用"@zh ; rdfs:domain kg:Person ; rdfs:range kg:Article .\n',
            "",
            r"the rdfs:range of kg:madeUpQuotes names kg:Article is no entity type",
        ),
        (
            "kg:madeUpQuotes a owl:ObjectProperty ; rdfs:subPropertyOf kg:relatedTo ;\n"
            '    rdfs:label "quotes"@en ; rdfs:domain kg:Person ; rdfs:range kg:Document .\n',
            "",
            r"kg:madeUpQuotes has no rdfs:label@zh; give it exactly one",
        ),
        ("", ', "建立/采用"@zh', r"kg:adopts has no rdfs:label@zh"),
        ('kg:Place rdfs:label "地方"@zh .\n', "", r"kg:Place has 2 rdfs:label@zh"),
        ("kg:issues kg:displayOrder 2 .\n", "", r"kg:issues needs at most one integer kg:displayOrder"),
        ("kg:issues kg:displayOrder ; .\n", "", r"not valid Turtle \(at line \d+ .*\); fix the file"),
    ],
)
def test_a_broken_definition_is_named(tmp_path: Path, extra: str, drop: str, message: str) -> None:
    path = _ontology(tmp_path, extra, drop)
    with pytest.raises(gen().SchemaError, match=re.escape(str(path)) + ": .*" + message):
        gen().read_schema(path)


# -- the ontology agrees with the annotation guidelines --------------------------------------------


def _guideline_table(heading: str) -> list[list[str]]:
    """The rows of the first table under ``## heading`` (header and rule left out)."""
    lines = GUIDELINES.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in lines[start + 2 : end]]


def _guideline_signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Predicate -> (subject types, object types) of the guidelines' table ("A / B → C, D → C")."""
    out = {}
    for predicate, ends, _example in _guideline_table("Relations"):
        dom: set[str] = set()
        rng: set[str] = set()
        for alternative in ends.split(", "):
            left, right = alternative.split("→")
            dom.update(t.strip() for t in left.split("/"))
            rng.update(t.strip() for t in right.split("/"))
        out[predicate] = (frozenset(dom), frozenset(rng))
    return out


def test_the_guidelines_table_is_read() -> None:
    table = _guideline_signatures()
    assert len(table) == 9
    assert table["locatedIn"] == ({"Place", "Organization"}, {"Place"})


@pytest.mark.parametrize(("predicate", "signature"), sorted(_guideline_signatures().items()))
def test_predicates_have_the_guideline_domains_and_ranges(
    predicate: str, signature: tuple[frozenset[str], frozenset[str]]
) -> None:
    assert SIGNATURES[predicate] == signature


def test_entity_types_are_the_guideline_types_first() -> None:
    """The ten types of the guidelines, in their order (the ontology may add more after them)."""
    types = [row[0] for row in _guideline_table("Entity types")]
    assert list(ENTITY_TYPES[: len(types)]) == types


def test_labels_are_the_ontology_labels() -> None:
    g = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    for name in (*ENTITY_TYPES, *PREDICATES):
        labels = {(o.language, str(o)) for o in g.objects(rdflib.URIRef(KG + name), rdflib.RDFS.label)}
        assert {("zh", LABELS[name].zh), ("en", LABELS[name].en)} == labels
    symmetric = {str(s).removeprefix(KG) for s in g.subjects(RDF.type, OWL.SymmetricProperty)}
    assert symmetric == SYMMETRIC == {"partnersWith"}


# -- the code takes its types and predicates from the schema ---------------------------------------


def test_relate_runs_every_registered_extractor() -> None:
    """A relate module registers its extractors by being in the package: no list to edit."""
    registered = {
        name
        for path in (ROOT / "kg" / "relate").glob("*.py")
        for name in re.findall(r'^@register\("(\w+)"\)', path.read_text(encoding="utf-8"), re.M)
    }
    assert len(registered) >= 6
    assert set(relate.default_order()) == registered
    assert relate.SIGNATURES is SIGNATURES


def test_views_style_every_type_and_predicate() -> None:
    assert list(TYPE_STYLE) == list(ENTITY_TYPES)
    assert list(PREDICATE_STYLE) == list(PREDICATES)
    assert {t: s[0] for t, s in TYPE_STYLE.items()} == {t: LABELS[t].short for t in ENTITY_TYPES}
    assert {p: s[0] for p, s in PREDICATE_STYLE.items()} == {p: LABELS[p].short for p in PREDICATES}
    assert TYPE_STYLE["Industry"][0] == "行业领域" and PREDICATE_STYLE["targets"][0] == "针对"


def test_views_draw_a_predicate_they_do_not_know_in_a_colour_of_its_own() -> None:
    styles = predicate_styles([*PREDICATES, "madeUpConcerns", "madeUpMeets"])
    colours = [colour for _label, colour in styles.values()]
    assert len(set(colours)) == len(colours)
    assert styles["madeUpConcerns"][0] == "madeUpConcerns"  # no label in the schema: its name
    types = type_styles([*ENTITY_TYPES, "MadeUpVehicle"])
    assert types["MadeUpVehicle"][2:] == ("dot", "●")
    assert types["MadeUpVehicle"][1] not in {s[1] for t, s in types.items() if t != "MadeUpVehicle"}


# -- the SHACL shapes check every type and predicate -----------------------------------------------


@cache
def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")


def test_entity_shape_targets_every_entity_type() -> None:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targets = {
        str(c).removeprefix(KG) for c in _shapes().objects(rdflib.URIRef(KGS + "Entity"), sh.targetClass)
    }
    assert targets == set(ENTITY_TYPES)


@pytest.fixture(scope="module")
def violations() -> set[tuple[str, str]]:
    """One relation per predicate whose subject and object both have a type outside its
    signature, and one whose ends fit: (focus node, source shape) of every violation."""
    import pyshacl

    g = rdflib.Graph()
    for p in PREDICATES:
        dom, rng = SIGNATURES[p]
        for kind, s_type, o_type in (
            (
                "bad",
                next(t for t in ENTITY_TYPES if t not in dom),
                next(t for t in ENTITY_TYPES if t not in rng),
            ),
            ("good", sorted(dom)[0], sorted(rng)[0]),
        ):
            s, o = rdflib.URIRef(f"urn:{kind}:{p}:s"), rdflib.URIRef(f"urn:{kind}:{p}:o")
            g.add((s, RDF.type, rdflib.URIRef(KG + s_type)))
            g.add((o, RDF.type, rdflib.URIRef(KG + o_type)))
            g.add((s, rdflib.URIRef(KG + p), o))
    conforms, report, _text = pyshacl.validate(g, shacl_graph=_shapes(), inference="none", advanced=True)
    assert not conforms
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return {
        (str(report.value(r, sh.focusNode)), str(report.value(r, sh.sourceShape)))
        for r in report.subjects(RDF.type, sh.ValidationResult)
    }


@pytest.mark.parametrize("predicate", PREDICATES)
def test_shapes_check_each_predicates_signature(violations: set[tuple[str, str]], predicate: str) -> None:
    cap = predicate[0].upper() + predicate[1:]
    assert (f"urn:bad:{predicate}:s", f"{KGS}{cap}Subject") in violations
    assert (f"urn:bad:{predicate}:o", f"{KGS}{cap}Object") in violations
    signature_shapes = {
        f"{KGS}{p[0].upper()}{p[1:]}{end}" for p in PREDICATES for end in ("Subject", "Object")
    }
    assert not {
        v for v in violations if v[0].startswith(f"urn:good:{predicate}:") and v[1] in signature_shapes
    }
