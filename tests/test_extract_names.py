"""Campaigns and mechanisms: quoted names, lexicon names, cue-verb frames."""

from __future__ import annotations

import pytest

from ._util import extract, names, names_or_aliases

CASES = [
    ("扎实推进“春夏九防·敲门行动”，紧盯重点领域。", "Campaign", {"春夏九防·敲门行动"}),
    ("开展“消防安全护春耕”专项行动。", "Campaign", {"消防安全护春耕"}),
    ("各部门要牢固树立“管行业必须管安全”的意识。", "Mechanism", {"管行业必须管安全"}),
    # a quote that does not stand alone: it runs on into a term, or ends with +
    ("晋江市开展“三合一”场所消防安全专项整治。", "Campaign", {"三合一场所消防安全专项整治"}),
    ("建湖县实施“杂技+”文旅融合工程。", "Campaign", {"杂技+文旅融合工程"}),
    ("组织开展“反诈宣传进万家”“巾帼普法乡村行”等活动。", "Campaign", {"反诈宣传进万家", "巾帼普法乡村行"}),
    ("就“促进民营经济发展壮大和‘万企兴万村’行动”来我市开展专题调研。", "Campaign", {"万企兴万村"}),
    (
        "国网太原供电公司检修中心组织专业人员，开展春季电气火灾隐患排查行动。",
        "Campaign",
        {"春季电气火灾隐患排查行动"},
    ),
    ("为进一步深化治本攻坚三年行动，强化专项整治。", "Campaign", {"治本攻坚三年行动"}),
    ("严格执行气象“31631”联动机制，强化直达基层“叫应”机制。", "Mechanism", {"31631", "叫应"}),
    (
        "严格落实“党政同责、一岗双责、齐抓共管、失职追责”和“三管三必须”要求。",
        "Mechanism",
        {"党政同责、一岗双责、齐抓共管、失职追责", "三管三必须"},
    ),
    (
        "全面落实企业“一报告双报备一公示双承诺”制度，坚持“执法+服务”。",
        "Mechanism",
        {"一报告双报备一公示双承诺", "执法+服务"},
    ),
    (
        "以“时时放心不下”的责任感，真正做到“无事不扰、有求必应”。",
        "Mechanism",
        {"时时放心不下", "无事不扰、有求必应"},
    ),
    ("严格落实恶劣天气停工避险制度，执行24小时值班值守。", "Mechanism", {"恶劣天气停工避险制度"}),
    ("要完善以安全风险分级管控和隐患排查治理双重预防机制为核心的体系。", "Mechanism", {"双重预防机制"}),
]


@pytest.mark.parametrize(("text", "type_", "want"), CASES, ids=[c[0][:10] for c in CASES])
def test_named(text, type_, want):
    got = names_or_aliases(extract(text, "长治市"), type_)
    assert want <= got, want - got


@pytest.mark.parametrize(
    "text",
    [
        "在“十四五”规划收官之年，从捍卫“两个确立”、做到“两个维护”的政治高度出发。",
        "任何时候都不能在隐患面前当“瞎子”、做“聋子”。",
        "“这次培训真的是太及时了，老师讲授的课程特别实用。”学员王芳说。",
        "推广“山西地震预警”小程序，让“流量”变“留量”。",
        "围绕“吃、住、行、游、购、娱”各要素，弘扬“奉献、友爱、互助、进步”的志愿精神。",
    ],
)
def test_not_names(text):
    r = extract(text, "长治市")
    assert names(r, "Campaign") == set() and names(r, "Mechanism") == set()


def test_a_quoted_name_and_its_headed_form_are_one_entity():
    r = extract("严格执行气象“31631”联动机制。屯留区落实“31631”联动机制。", "长治市")
    mechs = [e for e in r.entities if e.type == "Mechanism"]
    assert len(mechs) == 1 and "31631联动机制" in {*mechs[0].aliases, mechs[0].name}
