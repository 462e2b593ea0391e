"""The whole pipeline on the bundled seeds: quality guard and determinism."""

from __future__ import annotations

import json

import pytest

from kg.evaluate import load_jsonl, score
from kg.output import file_record
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


def test_mentions_are_moved_to_source_offsets_whole():
    """Mention.at (the pipeline's move to source offsets) keeps every other field."""
    from dataclasses import fields, replace

    from kg.model import Mention

    values = {"start": 3, "end": 7, "attrs": (("via", "head"),)}
    m = Mention(**{f.name: values.get(f.name, f"x{f.name}") for f in fields(Mention)})
    assert m.at(10, 14) == replace(m, start=10, end=14)


def test_mention_offsets_are_source_offsets():
    """Blank lines and indents are not in the text extractors read; mentions are still
    at their offsets in the source."""
    from kg.pipeline import extract_text

    text = "长治市应急管理局开展安全生产检查。\n\n\n　　长子县应急管理局组织应急演练。"
    result = extract_text(text)
    assert {m.text for m in result.mentions} >= {"长治市应急管理局", "长子县应急管理局"}
    for m in result.mentions:
        assert text[m.start : m.end] == m.text, m
