"""kg.extract.resolve: mentions → one entity per (type, canonical name), aliases, parents."""

from __future__ import annotations

import pytest

from kg.extract.resolve import norm_key, resolve

from ._util import context


def entities(text: str, home: str | None) -> dict[tuple[str, str], tuple[str, ...]]:
    ents, _mentions = resolve(context(text, home))
    return {(e.type, e.name): e.aliases for e in ents}


@pytest.mark.parametrize(
    ("text", "home", "want"),
    [
        # a relative form, its abbreviation and the full form are one body
        (
            "市应急管理局（市应急局）开展培训。长治市应急管理局表示。",
            "长治市",
            {
                ("Place", "长治市"),
                ("Place", "山西省"),
                ("Organization", "长治市应急管理局"),
                ("Measure", "教育培训"),
            },
        ),
        # a quoted name and the same name with its head
        (
            "该县严格执行“31631”联动机制，落实31631联动机制。",
            "长治市",
            {("Place", "长治市"), ("Place", "山西省"), ("Mechanism", "31631")},
        ),
        # a campaign and a longer form ending with it
        (
            "深入推进安全生产治本攻坚三年行动。治本攻坚三年行动成效明显。",
            "长治市",
            {("Place", "长治市"), ("Place", "山西省"), ("Campaign", "安全生产治本攻坚三年行动")},
        ),
        # a county brings its prefecture and province; the town stays
        (
            "黎城县西井镇开展排查。",
            None,
            {("Place", "黎城县"), ("Place", "西井镇"), ("Place", "长治市"), ("Place", "山西省")},
        ),
        # a section whose parent does not act alone is the parent
        (
            "县应急局宣教科科长刘洋介绍了情况。",
            "临泉县",
            {
                ("Place", "临泉县"),
                ("Place", "阜阳市"),
                ("Place", "安徽省"),
                ("Organization", "临泉县应急管理局"),
                ("Person", "刘洋"),
            },
        ),
        # a term inside an organization's name is no term (消防 in 消防救援支队)
        (
            "市消防救援支队深入屯留区开展宣传。",
            "长治市",
            {
                ("Place", "长治市"),
                ("Place", "山西省"),
                ("Place", "屯留区"),
                ("Organization", "长治市消防救援支队"),
                ("Measure", "宣传教育"),
            },
        ),
    ],
    ids=["abbreviation", "head", "longer-campaign", "parents", "section", "term-in-name"],
)
def test_resolve(text: str, home: str | None, want: set[tuple[str, str]]) -> None:
    assert set(entities(text, home)) == want


def test_merged_forms_are_aliases() -> None:
    got = entities("市应急管理局（市应急局）开展培训。长治市应急管理局表示。", "长治市")
    assert {"市应急管理局", "市应急局"} <= set(got[("Organization", "长治市应急管理局")])
    got = entities("该县严格执行“31631”联动机制，落实31631联动机制。", "长治市")
    assert got[("Mechanism", "31631")] == ("31631联动机制",)
    got = entities("县应急局宣教科科长刘洋介绍了情况。", "临泉县")
    assert "县应急局宣教科" in got[("Organization", "临泉县应急管理局")]


def test_mentions_point_at_their_entity() -> None:
    ents, mentions = resolve(context("市应急管理局（市应急局）开展培训。", "长治市"))
    keys = {(e.type, e.name) for e in ents}
    assert mentions and all((m.type, m.name) in keys for m in mentions)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("“31631”", "31631"),
        ("党政同责，一岗双责", "党政同责,一岗双责"),
        ("（试行）", "(试行)"),
        ("一户 一档", "一户一档"),
    ],
)
def test_norm_key_ignores_quotes_spaces_and_width(a: str, b: str) -> None:
    assert norm_key(a) == norm_key(b)
    assert norm_key("31631") != norm_key("31632")
