"""Relations in county-site articles (--home a county): 我县 and bare bodies mean the home,
governments act through their place, leaders act for the body they lead, purpose clauses
and joint work. Made-up sentences; each case compares the exact set of the predicates it
is about."""

from __future__ import annotations

import pytest

from kg.pipeline import extract_text

ACTS = ("implements", "targets", "adopts", "takesMeasure", "organizes")


def triples(text: str, home: str, preds: tuple[str, ...] = ACTS) -> set[tuple[str, str, str]]:
    r = extract_text(text, home=home)
    name = {e.id: e.name for e in r.entities}
    return {(name[x.s], x.p, name[x.o]) for x in r.relations if x.p in preds}


def test_the_home_county_and_its_parents_are_places_of_an_article_that_never_names_it():
    r = extract_text("近日，县应急管理局组织开展应急演练。", home="宁陕县")
    places = {e.name for e in r.entities if e.type == "Place"}
    assert places == {"宁陕县", "安康市", "陕西省"}
    name = {e.id: e.name for e in r.entities}
    located = {(name[x.s], name[x.o]) for x in r.relations if x.p == "locatedIn"}
    assert located == {("宁陕县", "安康市"), ("安康市", "陕西省"), ("宁陕县应急管理局", "宁陕县")}


CASES = [
    # 我县 / 全县 are the home county
    (
        "我县全面开展燃气安全隐患排查。全县上下紧盯危化品、建筑施工等重点行业领域。",
        "临泉县",
        {
            ("临泉县", "takesMeasure", "隐患排查整治"),
            ("临泉县", "targets", "城镇燃气"),
            ("临泉县", "targets", "危险化学品"),
            ("临泉县", "targets", "建筑施工"),
        },
    ),
    # a district's 我区, and 全市 on a district's site is its prefecture
    (
        "我区持续加强防汛值班值守。全市开展应急演练。",
        "洪泽区",
        {
            ("洪泽区", "takesMeasure", "值班值守"),
            ("洪泽区", "targets", "防汛"),
            ("淮安市", "takesMeasure", "应急演练"),
        },
    ),
    # on a county site 各级各部门 are the county's own; 全市 its prefecture
    (
        "各级各部门要强化值班值守。全市开展应急演练。",
        "平遥县",
        {("平遥县", "takesMeasure", "值班值守"), ("晋中市", "takesMeasure", "应急演练")},
    ),
    # governments and party committees act through their place
    (
        "县委、县政府高度重视安全生产工作，组织开展隐患排查整治，紧盯烟花爆竹等重点领域。",
        "宁陕县",
        {("宁陕县", "takesMeasure", "隐患排查整治"), ("宁陕县", "targets", "烟花爆竹")},
    ),
    (
        "镇党委、镇政府定期开展应急演练。",
        "宁陕县",
        set(),  # no town is named: 镇党委 is nobody's
    ),
    # a leader acts for the body he leads: a county head for the county, a bureau head for the bureau
    (
        "县委副书记、县长李明带队检查加油站。县应急管理局局长王刚组织开展应急演练。",
        "宁陕县",
        {
            ("宁陕县", "targets", "加油站"),
            ("宁陕县应急管理局", "takesMeasure", "应急演练"),
        },
    ),
    # a leader's demands go to the body he addresses
    (
        "副县长赵强要求县气象局加强监测预警。",
        "宁陕县",
        {("宁陕县气象局", "takesMeasure", "监测预警")},
    ),
    # a purpose clause is the work of the subject after it
    (
        "县应急管理局开展隐患排查。为切实做好汛期安全防范，县水利局组织开展防汛应急演练。",
        "宁陕县",
        {
            ("宁陕县应急管理局", "takesMeasure", "隐患排查整治"),
            ("宁陕县水利局", "targets", "防汛"),
            ("宁陕县水利局", "takesMeasure", "应急演练"),
        },
    ),
    # a purpose runs over several clauses until the subject
    (
        "为切实加强汛期安全工作，有效防范山洪灾害，县水利局组织开展应急演练。",
        "平遥县",
        {
            ("平遥县水利局", "targets", "防汛"),
            ("平遥县水利局", "targets", "山洪"),
            ("平遥县水利局", "takesMeasure", "应急演练"),
        },
    ),
    # a list closed by 等部门和单位 still names who acts
    (
        "县应急管理局联合县公安局等部门和单位，开展烟花爆竹“清源”专项行动。",
        "平遥县",
        {
            ("平遥县应急管理局", "organizes", "清源"),
            ("平遥县公安局", "implements", "清源"),  # the partner carries out the lead's campaign
            ("平遥县应急管理局", "targets", "烟花爆竹"),
            ("平遥县公安局", "targets", "烟花爆竹"),
            ("清源", "targets", "烟花爆竹"),
        },
    ),
    # what a campaign covers: the rest of its sentence, and a sentence that refers back to it
    (
        "县住建局开展“护安”专项行动，在各乡镇抽查液化气站。此次检查的重点范围是老旧小区。",
        "平遥县",
        {
            ("平遥县住房和城乡建设局", "organizes", "护安"),
            ("平遥县住房和城乡建设局", "targets", "液化气站"),
            ("平遥县住房和城乡建设局", "targets", "老旧小区"),
            ("护安", "targets", "液化气站"),
            ("护安", "targets", "老旧小区"),
        },
    ),
    # a campaign scoped to the county (推进全县…) is the county's, and the body's that carries it out
    (
        "县消防救援大队纵深推进全县“清患”行动。",
        "平遥县",
        {("平遥县", "implements", "清患"), ("平遥县消防救援大队", "implements", "清患")},
    ),
    # a duration between the verb and the campaign (启动为期三个月的…)
    (
        "县交通运输局与县公安局紧密配合，启动为期三个月的“护航”专项行动。",
        "平遥县",
        {("平遥县交通运输局", "organizes", "护航"), ("平遥县公安局", "organizes", "护航")},
    ),
    # a campaign the work only refers to is not described by what follows; campaigns of a
    # list keep to their own names
    (
        "各级各部门要结合“清患”行动，紧盯危化品、建筑施工等重点领域。",
        "平遥县",
        {
            ("平遥县", "implements", "清患"),
            ("平遥县", "targets", "危险化学品"),
            ("平遥县", "targets", "建筑施工"),
        },
    ),
    (
        "县应急管理局开展危险化学品企业专项督导检查、道路运输市场专项整治。",
        "平遥县",
        {
            ("平遥县应急管理局", "organizes", "危险化学品企业专项督导检查"),
            ("平遥县应急管理局", "organizes", "道路运输市场专项整治"),
            ("平遥县应急管理局", "targets", "危险化学品"),
            ("平遥县应急管理局", "targets", "交通运输"),
            ("平遥县应急管理局", "takesMeasure", "执法检查"),
            ("平遥县应急管理局", "takesMeasure", "隐患排查整治"),
            ("危险化学品企业专项督导检查", "targets", "危险化学品"),
            ("道路运输市场专项整治", "targets", "交通运输"),
        },
    ),
    # hosts of a drill organize it and take the measure its name names
    (
        "平遥县开展“地质灾害”应急演练。此次演练由县应急管理局主办，县自然资源局承办。",
        "平遥县",
        {
            ("平遥县", "implements", "地质灾害应急演练"),
            ("平遥县", "takesMeasure", "应急演练"),
            ("平遥县", "targets", "地质灾害"),
            ("地质灾害应急演练", "targets", "地质灾害"),
            ("平遥县应急管理局", "organizes", "地质灾害应急演练"),
            ("平遥县应急管理局", "takesMeasure", "应急演练"),
            ("平遥县自然资源局", "organizes", "地质灾害应急演练"),
            ("平遥县自然资源局", "takesMeasure", "应急演练"),
        },
    ),
    # a subject followed by a manner adverb (强力, 铁腕 …) acts; an autonomous county by its common name
    (
        "东乡县公安局强力推进道路交通“护路”专项行动。",
        "东乡族自治县",
        {
            ("东乡族自治县公安局", "implements", "护路"),
            ("东乡族自治县公安局", "targets", "道路交通"),
            ("护路", "targets", "道路交通"),
        },
    ),
    # a meeting about a campaign carries it out; the verb before a list of campaigns runs each
    (
        "我县召开“护航”专项行动誓师大会，开展燃气安全专项整治工作、道路运输专项整治工作。",
        "平遥县",
        {
            ("平遥县", "implements", "护航"),
            ("平遥县", "implements", "燃气安全专项整治"),
            ("平遥县", "implements", "道路运输专项整治"),
            ("平遥县", "targets", "城镇燃气"),
            ("平遥县", "targets", "交通运输"),
            ("平遥县", "takesMeasure", "隐患排查整治"),
            ("燃气安全专项整治", "targets", "城镇燃气"),
            ("道路运输专项整治", "targets", "交通运输"),
        },
    ),
    # a date before the subject mid-paragraph is passed over (it was skipped only at a line start)
    (
        "县水利局开展防汛检查。7月15日上午县应急管理局开展应急演练。",
        "平遥县",
        {
            ("平遥县水利局", "targets", "防汛"),
            ("平遥县水利局", "takesMeasure", "执法检查"),
            ("平遥县应急管理局", "takesMeasure", "应急演练"),
        },
    ),
    # joint work: the partner shares the joint sentence's work; later details stay with the lead
    (
        "县应急管理局联合县公安局开展烟花爆竹执法检查。县应急管理局还组织开展应急演练。检查中，严查加油站。",
        "宁陕县",
        {
            ("宁陕县应急管理局", "targets", "烟花爆竹"),
            ("宁陕县应急管理局", "takesMeasure", "执法检查"),
            ("宁陕县公安局", "targets", "烟花爆竹"),
            ("宁陕县公安局", "takesMeasure", "执法检查"),
            ("宁陕县应急管理局", "takesMeasure", "应急演练"),
            ("宁陕县应急管理局", "targets", "加油站"),
        },
    ),
]


@pytest.mark.parametrize(("text", "home", "want"), CASES, ids=[c[0][:10] for c in CASES])
def test_county_article_relations(text: str, home: str, want: set[tuple[str, str, str]]) -> None:
    assert triples(text, home) == want


@pytest.mark.parametrize(
    ("text", "org", "place"),
    [
        ("中都乡党委组织开展应急演练。", "中都乡党委", "中都乡"),
        ("平遥经济技术开发区管委会开展隐患排查。", "平遥经济技术开发区管委会", "平遥经济技术开发区"),
    ],
)
def test_a_body_is_located_in_the_town_or_zone_its_name_opens_with(text: str, org: str, place: str) -> None:
    r = extract_text(text, home="平遥县")
    name = {e.id: e.name for e in r.entities}
    located = {name[x.o] for x in r.relations if x.p == "locatedIn" and name[x.s] == org}
    assert located == {place}
