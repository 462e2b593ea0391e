"""Score extraction against gold JSONL: precision, recall and F1 per type and predicate.

Scoring follows the guidelines: per input file, as sets. A predicted entity
matches a gold entity of the same type when its name is the gold name or one of
the gold aliases; a relation matches when its predicate is equal and both ends
match that way (a symmetric predicate, partnersWith, in either order). Matching is
one-to-one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import UsageError
from kg.model import ENTITY_TYPES, PREDICATES
from kg.schema import SYMMETRIC


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Report:
    entities: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    relations: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    misses: list[dict[str, Any]] = field(default_factory=list)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)

    def micro(self, kind: str) -> Counts:
        total = Counts()
        for c in (self.entities if kind == "entities" else self.relations).values():
            total.add(c)
        return total


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL file; a bad line is an error naming the file and line."""
    from kg.errors import InputError
    from kg.ingest.files import display_path, read_file_bytes

    out = []
    shown = display_path(path)
    try:
        # a FIFO, a device or a folder is refused before it is read; no size limit
        data = read_file_bytes(path, max_bytes=2**62)
    except InputError as exc:
        if exc.problem.startswith("no such file"):
            raise UsageError(f"{shown}: no such file; give the gold JSONL with --gold") from None
        raise UsageError(str(exc)) from None
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{shown}: not UTF-8 (byte {exc.start}); a JSONL file is UTF-8, write it again as UTF-8"
        ) from None
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{shown}:{i}: not valid JSON ({exc.msg}); fix or regenerate the file") from None
        if not isinstance(rec, dict) or "file" not in rec:
            raise UsageError(f"{shown}:{i}: a record needs a 'file' key; is this a gold/extract JSONL?")
        out.append(rec)
    return out


def _names(ent: dict[str, Any]) -> set[str]:
    return {ent["name"], *(ent.get("aliases") or [])}


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Report:
    """Compare predictions with gold, file by file."""
    rep = Report()
    pred_by_file = {r["file"]: r for r in pred}
    for g in gold:
        p = pred_by_file.get(g["file"])
        if p is None:
            rep.missing_files.append(g["file"])
            p = {"entities": [], "relations": []}
        rep.files += 1
        _score_entities(g, p, rep)
        _score_relations(g, p, rep)
    return rep


def _score_entities(g: dict[str, Any], p: dict[str, Any], rep: Report) -> None:
    gold_ents = g.get("entities", [])
    used: set[int] = set()
    by_type: dict[str, list[tuple[int, set[str]]]] = defaultdict(list)
    for i, e in enumerate(gold_ents):
        by_type[e["type"]].append((i, _names(e)))
    seen_pred: set[tuple[str, str]] = set()
    for e in p.get("entities", []):
        key = (e["type"], e["name"])
        if key in seen_pred:
            continue
        seen_pred.add(key)
        c = rep.entities[e["type"]]
        hit = next(
            (i for i, names in by_type.get(e["type"], []) if i not in used and e["name"] in names), None
        )
        if hit is None:
            c.fp += 1
            rep.misses.append({"file": g["file"], "kind": "extra", "type": e["type"], "name": e["name"]})
        else:
            used.add(hit)
            c.tp += 1
    for i, e in enumerate(gold_ents):
        if i not in used:
            rep.entities[e["type"]].fn += 1
            rep.misses.append({"file": g["file"], "kind": "missed", "type": e["type"], "name": e["name"]})


def _score_relations(g: dict[str, Any], p: dict[str, Any], rep: Report) -> None:
    alias: dict[str, set[str]] = defaultdict(set)
    for e in g.get("entities", []):
        names = _names(e)
        for n in names:
            alias[n] |= names
    gold_rels = g.get("relations", [])
    used: set[int] = set()
    seen: set[tuple[str, str, str]] = set()

    def names_of(x: str) -> set[str]:
        return alias.get(x) or {x}

    for r in p.get("relations", []):
        key = (r["s"], r["p"], r["o"])
        if key in seen:
            continue
        seen.add(key)
        c = rep.relations[r["p"]]
        hit = None
        for i, gr in enumerate(gold_rels):
            if i in used or gr["p"] != r["p"]:
                continue
            gs, go = names_of(gr["s"]), names_of(gr["o"])
            if (r["s"] in gs and r["o"] in go) or (r["p"] in SYMMETRIC and r["s"] in go and r["o"] in gs):
                hit = i
                break
        if hit is None:
            c.fp += 1
            rep.misses.append(
                {
                    "file": g["file"],
                    "kind": "extra",
                    "type": r["p"],
                    "name": f"{r['s']} → {r['o']}",
                    "evidence": r.get("evidence", ""),
                }
            )
        else:
            used.add(hit)
            c.tp += 1
    for i, gr in enumerate(gold_rels):
        if i not in used:
            rep.relations[gr["p"]].fn += 1
            rep.misses.append(
                {
                    "file": g["file"],
                    "kind": "missed",
                    "type": gr["p"],
                    "name": f"{gr['s']} → {gr['o']}",
                    "evidence": gr.get("evidence", ""),
                }
            )


def format_report(rep: Report, misses: bool = False) -> str:
    """A plain-text table (what ``kg eval`` prints)."""
    lines = []

    def row(k: str, c: Counts) -> str:
        return (
            f"{k:<14} {c.tp + c.fn:>5} {c.tp + c.fp:>5} {c.tp:>5} "
            f"{c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}"
        )

    def table(title: str, rows: dict[str, Counts], order: tuple[str, ...]) -> None:
        lines.append(f"{title:<14} {'gold':>5} {'pred':>5} {'tp':>5} {'P':>6} {'R':>6} {'F1':>6}")
        keys = [k for k in order if k in rows] + sorted(k for k in rows if k not in order)
        total = Counts()
        for k in keys:
            total.add(rows[k])
            lines.append(row(k, rows[k]))
        lines.append(row("micro", total))

    lines.append(f"files scored: {rep.files}")
    if rep.missing_files:
        lines.append(f"no prediction for: {', '.join(rep.missing_files)}")
    table("entity type", rep.entities, ENTITY_TYPES)
    if any(c.tp + c.fn + c.fp for c in rep.relations.values()):
        lines.append("")
        table("predicate", rep.relations, PREDICATES)
    if misses:
        lines.append("")
        for m in sorted(rep.misses, key=lambda m: (m["file"], m["kind"], m["type"], m["name"])):
            ev = f"  «{m['evidence']}»" if m.get("evidence") else ""
            lines.append(f"{m['file']}  {m['kind']:<6} {m['type']:<13} {m['name']}{ev}")
    return "\n".join(lines)
