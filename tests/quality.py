"""The quality guards' measurement: F1 per entity type and predicate on one gold set."""

from __future__ import annotations

from pathlib import Path

from kg.evaluate import Counts, load_jsonl, score
from kg.export.jsonl import file_record
from kg.pipeline import extract_paths

ROOT = Path(__file__).resolve().parent.parent
REALDEV = ROOT.parent / "shared" / "realdev"

#: (name, gold file, inputs)
SETS: tuple[tuple[str, Path, Path], ...] = (
    ("seeds", ROOT / "gold" / "seeds.jsonl", ROOT / "seeds"),
    ("dev", ROOT / "devset" / "gold.jsonl", ROOT / "devset"),
    ("realdev", REALDEV / "gold.jsonl", REALDEV / "articles"),
)


def measure(gold_path: Path, inputs: Path) -> dict[str, dict[str, float]]:
    """F1 (3 decimals) per entity type and per predicate, and micro, each file with its gold home."""
    gold = load_jsonl(gold_path)
    homes = {g["file"]: g["home"] for g in gold if g.get("home")}
    result = extract_paths([str(inputs)], homes=homes)
    rep = score(gold, [file_record(r) for r in result.files])

    def table(rows: dict[str, Counts], kind: str) -> dict[str, float]:
        out = {k: round(c.f1, 3) for k, c in sorted(rows.items())}
        out["micro"] = round(rep.micro(kind).f1, 3)
        return out

    return {"entities": table(rep.entities, "entities"), "relations": table(rep.relations, "relations")}
