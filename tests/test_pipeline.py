"""The whole pipeline on the bundled seeds: quality guard and determinism."""

from __future__ import annotations

import json

import pytest

from kg.evaluate import load_jsonl, score
from kg.export.jsonl import file_record
from kg.pipeline import extract_paths

from ._util import GOLD, ROOT


@pytest.fixture(scope="module")
def records():
    result = extract_paths([str(ROOT / "seeds")])
    assert not result.errors
    return [file_record(r) for r in result.files]


def test_seed_homes(records):
    homes = {r["file"][:3]: r["home"] for r in records}
    assert homes == {"000": "太原市", "001": "长治市", "002": "太原市", "003": "运城市", "004": "长治市"}


def test_entity_quality_on_the_seed_gold(records):
    """A regression guard: entity micro F1 ≥ 0.90 and no type below 0.75 on the seeds."""
    rep = score(load_jsonl(GOLD), records)
    assert rep.micro("entities").f1 >= 0.90
    worst = {t: c.f1 for t, c in rep.entities.items() if c.f1 < 0.75}
    assert not worst, worst


def test_output_is_deterministic(records):
    again = [file_record(r) for r in extract_paths([str(ROOT / "seeds")]).files]
    assert json.dumps(records, ensure_ascii=False) == json.dumps(again, ensure_ascii=False)
