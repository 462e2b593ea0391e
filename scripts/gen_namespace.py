#!/usr/bin/env python
"""Generate kg/namespace.py from ontology/kg.ttl, so no IRI string is typed by hand in code.

The ontology's ``@prefix`` declarations become namespace objects (``PROV.wasDerivedFrom``)
and ``PREFIXES`` (predeclared in ``kg query``); every term the ontology defines in the ``kg:``
namespace becomes an attribute of the closed class ``KG`` (a typo is an AttributeError, and
a term removed from the ontology breaks the code that uses it at once).

Usage: ``python scripts/gen_namespace.py`` (rewrites kg/namespace.py) or ``--check``
(exit 1 when the file is stale). tests/test_rdf.py runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
TARGET = ROOT / "kg" / "namespace.py"
KG_NS = "https://w3id.org/safety-kg/ontology#"

_PREFIX = re.compile(r"^@prefix\s+([A-Za-z][\w-]*):\s*<([^>]*)>\s*\.\s*$", re.M)


def _prefixes(text: str) -> list[tuple[str, str]]:
    """The ``@prefix`` declarations of the Turtle file, in file order."""
    return [(m.group(1), m.group(2)) for m in _PREFIX.finditer(text)]


def _terms(path: Path) -> list[tuple[str, str, str]]:
    """(local name, kind, English label) of every term the ontology defines in kg:."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    g = rdflib.Graph(bind_namespaces="none")
    g.parse(path, format="turtle")
    kinds = {
        OWL.Class: "class",
        OWL.ObjectProperty: "object property",
        OWL.DatatypeProperty: "datatype property",
        OWL.AnnotationProperty: "annotation property",
        RDFS.Datatype: "datatype",
    }
    out: dict[str, tuple[str, str, str]] = {}
    for kind_iri, kind in kinds.items():
        for s in g.subjects(RDF.type, kind_iri):
            iri = str(s)
            if not iri.startswith(KG_NS):
                continue
            name = iri[len(KG_NS) :]
            labels = sorted(str(o) for o in g.objects(s, RDFS.label) if getattr(o, "language", None) == "en")
            out.setdefault(name, (name, kind, labels[0] if labels else ""))
    return sorted(out.values(), key=lambda t: (t[0].lower(), t[0]))


def render(ontology: Path = ONTOLOGY) -> str:
    """The text of kg/namespace.py for ``ontology``."""
    text = ontology.read_text(encoding="utf-8")
    prefixes = _prefixes(text)
    terms = _terms(ontology)
    lines = [
        '"""Namespaces and terms of the safety-kg ontology.',
        "",
        "GENERATED from ontology/kg.ttl by scripts/gen_namespace.py: do not edit by hand; edit the",
        "ontology and rerun the script (tests/test_rdf.py fails when this file is stale).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "",
        "class Namespace:",
        '    """An open namespace: ``PROV.wasDerivedFrom`` is the IRI string of that term.',
        "",
        "    Not a ``str`` subclass, so term names that are also string methods (``DCTERMS.title``,",
        "    ``DCTERMS.format``) are terms; ``str(ns)`` and f-strings give the namespace IRI.",
        '    """',
        "",
        "    def __init__(self, iri: str) -> None:",
        "        self._iri = iri",
        "",
        "    def __getattr__(self, name: str) -> str:",
        '        if name.startswith("__"):',
        "            raise AttributeError(name)",
        "        iri = self._iri + name",
        "        self.__dict__[name] = iri  # later look-ups are plain attribute reads",
        "        return iri",
        "",
        "    def __getitem__(self, name: str) -> str:",
        "        return self._iri + name",
        "",
        "    def __str__(self) -> str:",
        "        return self._iri",
        "",
        "    def __add__(self, other: str) -> str:",
        "        return self._iri + other",
        "",
        "    def __repr__(self) -> str:",
        '        return f"Namespace({self._iri!r})"',
        "",
        "    def term(self, name: str) -> str:",
        '        """The IRI of ``name`` in this namespace (for names that are not identifiers)."""',
        "        return self._iri + name",
        "",
        "",
        "#: every prefix declared in ontology/kg.ttl (predeclared in SPARQL queries)",
        "PREFIXES: dict[str, str] = {",
    ]
    lines += [f'    "{p}": "{iri}",' for p, iri in prefixes]
    lines += ["}", ""]
    for p, iri in prefixes:
        if iri == KG_NS:
            continue  # the closed class KG below
        lines.append(f'{p.upper().replace("-", "_")} = Namespace("{iri}")')
    lines += [
        "",
        "",
        "class KG:",
        '    """The terms of the ontology (closed: a name it does not define is an AttributeError)."""',
        "",
        f'    NS = "{KG_NS}"',
    ]
    for name, kind, label in terms:
        comment = f"  # {kind}: {label}" if label else f"  # {kind}"
        line = f'    {name} = "{KG_NS}{name}"'
        if len(line + comment) > 110:
            comment = f"  # {kind}"
        lines.append(line + comment)
    classes = [n for n, k, _ in terms if k == "class"]
    objprops = [n for n, k, _ in terms if k == "object property"]
    dataprops = [n for n, k, _ in terms if k == "datatype property"]
    lines += ["", ""]
    for const, names in (
        ("CLASSES", classes),
        ("OBJECT_PROPERTIES", objprops),
        ("DATATYPE_PROPERTIES", dataprops),
    ):
        lines.append(f"{const}: tuple[str, ...] = (")
        lines += [f'    "{n}",' for n in names]
        lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when kg/namespace.py is stale")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale: run python scripts/gen_namespace.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
