"""kg.relate (registry, RelContext, merging) and kg.relate.common (rules, mentions by sentence)."""

from __future__ import annotations

import pytest

from kg.relate import default_order, get, relate
from kg.relate.common import by_sentence, relation_conf

from ._util import rel_context


def test_every_relate_module_registers_its_extractor() -> None:
    import pkgutil

    import kg.relate

    modules = {m.name for m in pkgutil.iter_modules(kg.relate.__path__)} - {"actors", "common"}
    assert modules == set(default_order())
    with pytest.raises(KeyError, match="unknown relation extractor"):
        get("nope")


def test_by_sentence_groups_mentions_in_text_order() -> None:
    rc = rel_context("黎城县紧盯煤矿行业。市应急管理局联合市公安局开展检查。", "长治市")
    got = {k: [m.name for m in v] for k, v in by_sentence(rc, ("Organization", "Place")).items()}
    assert got == {0: ["黎城县"], 1: ["长治市应急管理局", "长治市公安局"]}


@pytest.mark.parametrize(
    ("key", "word", "hit"),
    [
        ("_partner_re", "联合", True),
        ("_partner_re", "出席", False),
        ("_issue_re", "印发", True),
        ("_host_re", "主办", True),
    ],
)
def test_relation_rules_compile_their_word_lists(key: str, word: str, hit: bool) -> None:
    assert bool(relation_conf()[key].fullmatch(word)) is hit


def test_relate_merges_evidence_and_lists_a_symmetric_pair_once() -> None:
    text = "市应急管理局与市公安局签订合作协议。市公安局与市应急管理局开展联合检查。"
    rc = rel_context(text, "长治市")
    relations, extra = relate(rc.ctx, rc.entities, rc.mentions)
    pairs = [r for r in relations if r.p == "partnersWith"]
    assert [(r.s, r.o) for r in pairs] == [("Organization:长治市公安局", "Organization:长治市应急管理局")]
    assert len(pairs[0].evidence) == 2
    assert all(text[e.start : e.end] == e.text for r in relations for e in r.evidence)
    assert extra == []  # the home is named by the page's own entities


def test_relate_runs_only_the_extractors_named() -> None:
    rc = rel_context("我市推行“一户一档”工作法，市应急管理局印发《关于做好2025年有关工作的通知》。", "长治市")
    relations, _extra = relate(rc.ctx, rc.entities, rc.mentions, order=("actions",))
    assert {(r.s, r.p, r.o) for r in relations} == {("Place:长治市", "adopts", "Mechanism:一户一档")}
    relations, _extra = relate(rc.ctx, rc.entities, rc.mentions, order=("issues",))
    assert {(r.p, r.o) for r in relations} == {("issues", "Document:关于做好2025年有关工作的通知")}
