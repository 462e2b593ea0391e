"""Quality guards: F1 per entity type and predicate on the seeds, the dev set and realdev,
pinned in tests/quality_pins.json. A drop beyond the tolerance fails; a gain beyond it warns
(raise the pins: `python scripts/pin_quality.py`, then commit the file)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from .quality import SETS, measure

PINS = json.loads((Path(__file__).parent / "quality_pins.json").read_text(encoding="utf-8"))
#: how far a figure may move before the guard speaks (extraction is deterministic: any
#: change of this size is a change of the rules, not noise)
TOLERANCE = 0.01


@pytest.mark.parametrize(("name", "gold", "inputs"), SETS, ids=[s[0] for s in SETS])
def test_quality_holds_its_pins(name: str, gold: Path, inputs: Path) -> None:
    if not gold.is_file():
        pytest.skip(f"{gold} not found (realdev lives beside the checkout, in ../shared)")
    got = measure(gold, inputs)
    pins = PINS[name]
    drops, gains = [], []
    for kind in ("entities", "relations"):
        for key, pin in pins[kind].items():
            value = got[kind].get(key, 0.0)
            if value < pin - TOLERANCE:
                drops.append(f"{kind} {key}: {value:.3f} < pin {pin:.3f}")
            elif value > pin + TOLERANCE:
                gains.append(f"{kind} {key}: {value:.3f} > pin {pin:.3f}")
        for key in got[kind].keys() - pins[kind].keys():
            gains.append(f"{kind} {key}: {got[kind][key]:.3f}, not pinned")
    if gains:
        warnings.warn(
            f"{name}: quality rose, raise the pins (scripts/pin_quality.py): {'; '.join(gains)}", stacklevel=1
        )
    assert not drops, f"{name}: quality dropped: " + "; ".join(drops)
