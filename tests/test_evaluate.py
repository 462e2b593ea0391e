"""The scorer: per-file set matching with gold aliases, one-to-one, symmetric partnersWith."""

from __future__ import annotations

import pytest

from kg.errors import UsageError
from kg.evaluate import format_report, load_jsonl, score

GOLD = [
    {
        "file": "a.txt",
        "entities": [
            {"type": "Place", "name": "长子县", "aliases": ["长子"]},
            {"type": "Industry", "name": "危险化学品", "aliases": ["危化品"]},
            {"type": "Organization", "name": "长治市防震减灾中心", "aliases": []},
            {"type": "Organization", "name": "长治市文物局", "aliases": []},
        ],
        "relations": [
            {"s": "长子县", "p": "targets", "o": "危险化学品", "evidence": "x"},
            {"s": "长治市防震减灾中心", "p": "partnersWith", "o": "长治市文物局", "evidence": "y"},
        ],
    }
]


def _pred(entities, relations=()):
    return [{"file": "a.txt", "entities": entities, "relations": list(relations)}]


def test_names_and_aliases_match_and_each_gold_entity_counts_once():
    pred = _pred(
        [
            {"type": "Place", "name": "长子", "aliases": []},  # a gold alias matches
            {"type": "Industry", "name": "危险化学品", "aliases": []},
            {"type": "Industry", "name": "危化品", "aliases": []},  # second match of one gold entity: extra
            {"type": "Hazard", "name": "火灾", "aliases": []},  # not in gold: extra
        ]
    )
    rep = score(GOLD, pred)
    assert (rep.entities["Place"].tp, rep.entities["Industry"].tp, rep.entities["Industry"].fp) == (1, 1, 1)
    assert rep.entities["Organization"].fn == 2
    micro = rep.micro("entities")
    assert (micro.tp, micro.fp, micro.fn) == (2, 2, 2)
    assert micro.f1 == pytest.approx(0.5)


def test_relations_match_through_aliases_and_partners_in_either_order():
    pred = _pred(
        [],
        [
            {"s": "长子", "p": "targets", "o": "危化品"},
            {"s": "长治市文物局", "p": "partnersWith", "o": "长治市防震减灾中心"},
            {"s": "长子县", "p": "adopts", "o": "危险化学品"},
        ],
    )
    rep = score(GOLD, pred)
    assert rep.relations["targets"].tp == 1
    assert rep.relations["partnersWith"].tp == 1
    assert rep.relations["adopts"].fp == 1


def test_a_missing_prediction_counts_every_gold_item_as_missed():
    rep = score(GOLD, [])
    assert rep.missing_files == ["a.txt"]
    assert rep.micro("entities").fn == 4
    assert "no prediction for: a.txt" in format_report(rep)


def test_misses_are_listed(tmp_path):
    rep = score(GOLD, _pred([{"type": "Hazard", "name": "火灾", "aliases": []}]))
    text = format_report(rep, misses=True)
    assert "extra  Hazard        火灾" in text and "missed Place         长子县" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json}\n", "a.jsonl:1: not valid JSON"), ('{"no_file": 1}\n', "needs a 'file' key")],
)
def test_bad_gold_files_are_one_line_errors(tmp_path, content, message):
    p = tmp_path / "a.jsonl"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_jsonl(p)
