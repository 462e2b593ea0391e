"""Write tests/quality_pins.json: today's F1 per entity type and predicate on the seeds, the
dev set and realdev (../shared/realdev beside the checkout), each file with its gold home.

tests/test_quality.py fails when a figure drops below its pin by more than the tolerance and
warns when one rises above it (raise the pins then: run this script and commit the file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.quality import SETS, measure  # noqa: E402

PINS = ROOT / "tests" / "quality_pins.json"


def main() -> None:
    pins = {}
    for name, gold, inputs in SETS:
        if not gold.is_file():
            print(f"skipped {name}: {gold} not found", file=sys.stderr)
            continue
        pins[name] = measure(gold, inputs)
    PINS.write_text(json.dumps(pins, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    for name, figures in pins.items():
        ents, rels = figures["entities"]["micro"], figures["relations"]["micro"]
        print(f"{name}: entities {ents:.3f}  relations {rels:.3f}")


if __name__ == "__main__":
    main()
