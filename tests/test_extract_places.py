"""Places: divisions by full and short name, towns, villages and zones by suffix."""

from __future__ import annotations

import pytest

from ._util import extract, names

CASES = [
    # (text, home, every place of the file (parents and the home's included), tempting wrong ones)
    (
        "芮城、万荣、平陆、垣曲立足安全培训。",
        "运城市",
        {"芮城县", "万荣县", "平陆县", "垣曲县", "运城市", "山西省"},
        set(),
    ),
    ("长子县紧盯煤矿行业。", None, {"长子县", "长治市", "山西省"}, set()),
    ("随着沁源县灵空山镇生活污水处理项目建成。", None, {"沁源县", "灵空山镇", "长治市", "山西省"}, set()),
    (
        "3月24日，在屯留区张店镇中村瞭望哨，工作人员正在值守。",
        None,
        {"屯留区", "张店镇", "中村", "长治市", "山西省"},
        set(),
    ),
    (
        "完成县城污水厂扩建及郭道、王和等6个建制镇污水处理项目建设。",
        "长治市",
        {"郭道镇", "王和镇", "长治市", "山西省"},
        {"及郭道镇"},
    ),
    (
        "娄烦县娄家庄区域党群服务中心服务周边娄家庄村、文源社区和康宁社区。",
        None,
        {"娄家庄村", "文源社区", "康宁社区", "娄烦县", "太原市", "山西省"},
        set(),
    ),
    (
        "临猗、运城经济技术开发区立足管理。",
        "运城市",
        {"临猗县", "运城经济技术开发区", "运城市", "山西省"},
        set(),
    ),
    (
        "山西转型综改示范区潇河新兴产业园区文源学校项目建设现场。",
        "太原市",
        {"山西转型综改示范区", "潇河新兴产业园区", "太原市", "山西省"},
        {"转型综改示范区"},
    ),
    (
        "推动乡村振兴，筑牢农村消防安全防线，作为国家级生态示范区。",
        "长治市",
        {"长治市", "山西省"},  # the home and its province
        {"筑牢农村", "国家级生态示范区"},
    ),
    ("全县181个行政村中，64个村接入镇级管网。", "长治市", {"长治市", "山西省"}, {"行政村", "个村"}),
    ("近期，湖南安全事故敲响警钟。", "长治市", {"湖南省", "长治市", "山西省"}, set()),
    (
        "在主城区太行东街与长邯路交叉口处，中心城区部分路段积水。",
        "长治市",
        {"长治市", "山西省"},
        {"城区", "中心城区"},
    ),
]


@pytest.mark.parametrize(("text", "home", "want", "not_want"), CASES, ids=[c[0][:10] for c in CASES])
def test_places(text, home, want, not_want):
    assert not (not_want & want)
    got = names(extract(text, home), "Place")
    assert got == want, (want - got, got - want)


def test_a_short_form_outside_the_home_prefecture_needs_context():
    # 长治 is the home; 阳城 (a county of Jincheng) standing alone inside a town name is not it
    got = names(extract("芮城县阳城镇开设暑期课堂。", "运城市"), "Place")
    assert "阳城县" not in got and "阳城镇" in got


def test_home_is_inferred_from_the_counties_a_page_names():
    text = "潞州区、上党区、长子县、屯留区、潞城区、壶关县持续开展安全生产大检查。"
    assert extract(text).home == "长治市"


def _located(text: str, home: str) -> tuple[set[str], set[tuple[str, str]]]:
    r = extract(text, home=home)
    name = {e.id: e.name for e in r.entities}
    places = {e.name for e in r.entities if e.type == "Place"}
    links = {(name[x.s], name[x.o]) for x in r.relations if x.p == "locatedIn" and x.s.startswith("Place")}
    return places, links


TOWNS = [
    # the township gazetteer gives the towns of the home county their exact names
    (
        "中都乡、岳壁乡组织应急演练。",
        "平遥县",
        {"中都乡", "岳壁乡", "平遥县", "晋中市", "山西省"},
        {("中都乡", "平遥县"), ("岳壁乡", "平遥县"), ("平遥县", "晋中市"), ("晋中市", "山西省")},
    ),
    # a town whose stem is another city's short form: once the page names the town, the stem is it
    (
        "万荣县通化镇开展燃气安全检查。通化组织专班入户排查。",
        "万荣县",
        {"通化镇", "万荣县", "运城市", "山西省"},
        {("通化镇", "万荣县"), ("万荣县", "运城市"), ("运城市", "山西省")},
    ),
    # a town's stem glued to a village: the town and the village in it
    (
        "工作组来到段村东关村查看防汛准备。",
        "平遥县",
        {"段村镇", "东关村", "平遥县", "晋中市", "山西省"},
        {("东关村", "段村镇"), ("段村镇", "平遥县"), ("平遥县", "晋中市"), ("晋中市", "山西省")},
    ),
    # the city of that name elsewhere is still the city when no such town is named
    (
        "通化市开展消防检查。",
        "长治市",
        {"通化市", "吉林省", "长治市", "山西省"},
        {("通化市", "吉林省"), ("长治市", "山西省")},
    ),
]


@pytest.mark.parametrize(("text", "home", "places", "links"), TOWNS, ids=[t[0][:8] for t in TOWNS])
def test_towns_of_the_page_counties_come_from_the_township_gazetteer(text, home, places, links):
    assert _located(text, home) == (places, links)


# -- the places extractor alone (kg.extract.places), before resolution -------------------------

ALONE = [
    # a county, a town and a village by suffix, a development zone by its name
    (
        "黎城县西井镇东庄村与潞城区相邻。",
        {"黎城县", "西井镇", "东庄村", "潞城区"},
    ),
    # a short form (黎城) is the county; the home itself is no mention when the text does not name it
    ("黎城、平顺两地开展联合检查。", {"黎城县", "平顺县"}),
    # a made-up county name and a generic 村 are no places
    ("青石县的行政村都通了公路。", set()),
]


@pytest.mark.parametrize(("text", "want"), ALONE, ids=[c[0][:10] for c in ALONE])
def test_the_places_extractor_alone(text: str, want: set[str]) -> None:
    from kg.extract import places

    from ._util import context

    ms = places.extract_places(context(text, "长治市", before="places"))
    assert {m.type for m in ms} <= {"Place"}
    assert {m.name for m in ms} == want
    assert all(text[m.start : m.end] == m.text for m in ms)
