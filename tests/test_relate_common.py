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
        ("partner_re", "联合", True),
        ("partner_re", "出席", False),
        ("issue_re", "印发", True),
        ("host_re", "主办", True),
    ],
)
def test_relation_rules_compile_their_word_lists(key: str, word: str, hit: bool) -> None:
    assert bool(getattr(relation_conf(), key).fullmatch(word)) is hit


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


_CITY_BUREAU = "Organization:长治市应急管理局"
_CITY_POLICE = "Organization:长治市公安局"


@pytest.mark.parametrize(
    ("user_rules", "text", "added"),
    [
        # a partnering verb (partner_verbs): the two bodies before it partner
        (
            'partner_verbs = ["结对"]\n',
            "市应急管理局与市公安局结对开展检查。",
            {(_CITY_POLICE, "partnersWith", _CITY_BUREAU)},
        ),
        # an agent verb after 由 (agent_verbs): the bodies after 由 act in their clause and
        # the next one
        (
            'agent_verbs = ["具体承担"]\n',
            "此次行动由市应急管理局和市公安局具体承担，重点检查燃气管道。",
            {
                (body, p, o)
                for body in (_CITY_BUREAU, _CITY_POLICE)
                for p, o in (("takesMeasure", "Measure:执法检查"), ("targets", "Industry:城镇燃气"))
            },
        ),
    ],
)
def test_an_analysts_relation_rules_reach_the_relation_extractors(tmp_path, user_rules, text, added) -> None:
    """A relations.toml in a user rules folder (--rules) is layered over the bundled one for
    the relation extractors too, and only while its rule set is active."""
    from kg.pipeline import extract_text

    d = tmp_path / "myrules"
    d.mkdir()
    (d / "relations.toml").write_text(user_rules, encoding="utf-8")

    def triples(rules_dir: str | None) -> set[tuple[str, str, str]]:
        return {(r.s, r.p, r.o) for r in extract_text(text, home="长治市", rules_dir=rules_dir).relations}

    bundled = triples(None)
    assert not added & bundled
    assert triples(str(d)) == bundled | added
    assert triples(None) == bundled  # nothing leaks into the bundled rule set
