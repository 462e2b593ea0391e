"""The controlled vocabularies (Industry, Venue, Hazard, Measure) from SKOS Turtle.

``ontology/vocab/*.ttl`` is the single source: the matcher, jieba's user dictionary
and the RDF graph all read it. Parsing Turtle needs rdflib (slow to import), so the
compiled form is cached as JSON keyed by the files' content hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import DataError
from kg.paths import cache_dir, ontology_dir

KG = "https://w3id.org/safety-kg/ontology#"
KGV = "https://w3id.org/safety-kg/vocab/"

#: concept scheme → entity type
SCHEMES = {
    KGV + "industry": "Industry",
    KGV + "venue": "Venue",
    KGV + "hazard": "Hazard",
    KGV + "measure": "Measure",
}

# label modes, strongest first
PREF, ALT, HIDDEN, CONTEXT = "pref", "alt", "hidden", "context"

_CACHE_VERSION = "2"


@dataclass(frozen=True)
class Term:
    """A concept of one of the vocabularies."""

    iri: str
    type: str
    name: str  # prefLabel@zh: the canonical name
    name_en: str
    labels: tuple[tuple[str, str], ...]  # (label, mode)
    patterns: tuple[str, ...]
    broader: tuple[str, ...]
    #: skos:notation codes as (value, datatype IRI): GB/T 4754 codes of industries
    notations: tuple[tuple[str, str], ...] = ()
    #: skos:note@zh: where the concept comes from (the law, standard or plan that names it)
    notes: tuple[str, ...] = ()


class Vocabulary:
    """All terms, indexed by IRI and by label."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms: dict[str, Term] = {t.iri: t for t in terms}
        self.by_name: dict[tuple[str, str], Term] = {(t.type, t.name): t for t in terms}
        by_label: dict[str, list[tuple[Term, str]]] = {}
        for t in terms:
            modes: dict[str, str] = {}
            for label, mode in t.labels:
                # a label listed as contextual is contextual even if it is also pref/alt
                if mode == CONTEXT or label not in modes:
                    modes[label] = mode
            for label, mode in modes.items():
                by_label.setdefault(label, []).append((t, mode))
        self.by_label = by_label

    def __len__(self) -> int:
        return len(self.terms)

    def of_type(self, type_: str) -> list[Term]:
        return [t for t in self.terms.values() if t.type == type_]

    def aliases(self, term: Term) -> list[str]:
        """Labels shown as aliases (alt labels), for output."""
        return [lab for lab, mode in term.labels if mode == ALT]

    def compiled_patterns(self) -> list[tuple[re.Pattern[str], Term]]:
        out = []
        for t in self.terms.values():
            for p in t.patterns:
                try:
                    out.append((re.compile(p), t))
                except re.error as exc:
                    raise DataError(f"vocabulary pattern {p!r} of {t.iri} does not compile: {exc}") from exc
        return out


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ttl") if p.is_file())


def _digest(files: list[Path]) -> str:
    h = hashlib.sha256(_CACHE_VERSION.encode())
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:20]


def _parse(files: list[Path]) -> list[Term]:
    import rdflib
    from rdflib.namespace import SKOS

    g = rdflib.Graph()
    for p in files:
        try:
            g.parse(p, format="turtle")
        except Exception as exc:  # rdflib raises many kinds
            raise DataError(f"{p}: not valid Turtle ({exc}); fix the vocabulary file") from exc
    ctx = rdflib.URIRef(KG + "contextLabel")
    pat = rdflib.URIRef(KG + "matchPattern")
    terms: list[Term] = []
    # concepts are IRIs (a blank node cannot be a term's identity)
    concepts = {c for c in g.subjects(rdflib.RDF.type, SKOS.Concept) if isinstance(c, rdflib.URIRef)}
    for concept in sorted(concepts):
        scheme = g.value(concept, SKOS.inScheme)
        type_ = SCHEMES.get(str(scheme)) if scheme is not None else None
        if type_ is None:
            continue

        def zh(pred: rdflib.URIRef, c: rdflib.URIRef = concept) -> list[str]:
            return sorted(
                str(o).strip()
                for o in g.objects(c, pred)
                if isinstance(o, rdflib.Literal) and (o.language or "").startswith("zh")
            )

        prefs = zh(SKOS.prefLabel)
        if len(prefs) != 1:
            raise DataError(f"{concept}: needs exactly one skos:prefLabel@zh, has {prefs}")
        en = [str(o) for o in g.objects(concept, SKOS.prefLabel) if getattr(o, "language", None) == "en"]
        labels = [(prefs[0], PREF)]
        labels += [(x, ALT) for x in zh(SKOS.altLabel)]
        labels += [(x, HIDDEN) for x in zh(SKOS.hiddenLabel)]
        labels += [(x, CONTEXT) for x in zh(ctx)]
        terms.append(
            Term(
                iri=str(concept),
                type=type_,
                name=prefs[0],
                name_en=en[0] if en else "",
                labels=tuple(labels),
                patterns=tuple(sorted(str(o) for o in g.objects(concept, pat))),
                broader=tuple(sorted(str(o) for o in g.objects(concept, SKOS.broader))),
                notations=tuple(
                    sorted(
                        (str(o), str(o.datatype or ""))
                        for o in g.objects(concept, SKOS.notation)
                        if isinstance(o, rdflib.Literal)
                    )
                ),
                notes=tuple(zh(SKOS.note)),
            )
        )
    return terms


def _write_atomic(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@cache
def load(folder: str | None = None) -> Vocabulary:
    """Load the vocabularies (from the JSON cache when the Turtle is unchanged)."""
    vdir = Path(folder) if folder else ontology_dir() / "vocab"
    files = _files(vdir)
    if not files:
        raise DataError(f"{vdir}: no vocabulary files (*.ttl); reinstall safety-kg")
    digest = _digest(files)
    cpath = cache_dir() / f"vocab-{digest}.json"
    terms: list[Term] | None = None
    if cpath.is_file():
        try:
            raw = json.loads(cpath.read_text(encoding="utf-8"))
            terms = [
                Term(
                    r["iri"],
                    r["type"],
                    r["name"],
                    r["name_en"],
                    tuple((a, b) for a, b in r["labels"]),
                    tuple(r["patterns"]),
                    tuple(r["broader"]),
                    tuple((a, b) for a, b in r["notations"]),
                    tuple(r["notes"]),
                )
                for r in raw
            ]
        except (OSError, ValueError, KeyError, TypeError):
            terms = None  # a broken cache is rebuilt
    if terms is None:
        terms = _parse(files)
        payload = [
            {
                "iri": t.iri,
                "type": t.type,
                "name": t.name,
                "name_en": t.name_en,
                "labels": [list(x) for x in t.labels],
                "patterns": list(t.patterns),
                "broader": list(t.broader),
                "notations": [list(x) for x in t.notations],
                "notes": list(t.notes),
            }
            for t in terms
        ]
        with contextlib.suppress(OSError):  # a read-only home still works, just slower
            _write_atomic(cpath, json.dumps(payload, ensure_ascii=False))
    return Vocabulary(terms)
