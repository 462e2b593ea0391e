"""Organizations: heads, left edges, relative prefixes, abbreviations, party bodies."""

from __future__ import annotations

import pytest

from ._util import extract, names

CASES = [
    ("市应急管理局一级调研员钱红元说，要压实责任。", "运城市", {"运城市应急管理局"}),
    (
        "会上，市交警支队、市水务局、市住建局进行表态发言。",
        "运城市",
        {"运城市公安局交通警察支队", "运城市水务局", "运城市住房和城乡建设局"},
    ),
    (
        "经过市、县残联申报和省残联最终审定。稷山县将加大力度。",
        "运城市",
        {"运城市残疾人联合会", "稷山县残疾人联合会", "山西省残疾人联合会"},
    ),
    ("娄烦县全面贯彻落实市委、市政府最新部署。", "太原市", {"中共太原市委", "太原市人民政府"}),
    ("该项目为阳曲县委、县政府重点民生工程。", "太原市", {"中共阳曲县委", "阳曲县人民政府"}),
    (
        "由市委社会工作部、团市委主办，尖草坪区委社工部协办。",
        "太原市",
        {"太原市委社会工作部", "共青团太原市委", "尖草坪区委社会工作部"},
    ),
    (
        "日前，由山西五建集团承建的阳曲县医疗集团县域慢病管理中心建设项目开工。",
        "太原市",
        {"山西五建集团", "阳曲县医疗集团"},
    ),
    (
        "3月30日，山西峰和低碳材料科技开发有限公司零碳智慧工厂内。",
        "太原市",
        {"山西峰和低碳材料科技开发有限公司"},
    ),
    ("小常煤业依托智能化中控平台，实行24小时监测预警。", "长治市", {"小常煤业"}),
    ("来自市市政管理中心的施工人员正在紧张作业。", "长治市", {"长治市市政管理中心"}),
    ("省地震局临汾中心站、市应急管理局参加活动。", "长治市", {"山西省地震局临汾中心站", "长治市应急管理局"}),
    ("长治消防开展专项行动，筑牢农村消防安全防线。", "长治市", {"长治市消防救援支队"}),
    (
        "近日，生态环境部、工业和信息化部、住房和城乡建设部联合印发目录。",
        "太原市",
        {"生态环境部", "工业和信息化部", "住房和城乡建设部"},
    ),
    ("解州关帝庙文物保护所所长傅文元说。", "运城市", {"解州关帝庙文物保护所"}),
    (
        "潞城区创新培训模式，依托区人力人才职业培训学校创办企业培训班。",
        "长治市",
        {"潞城区人力人才职业培训学校"},
    ),
    # the work-safety committee and its office by their abbreviations
    ("此次检查由市安委会统一部署，县安委办具体组织。", "长治市", {"长治市安全生产委员会"}),
    ("日前，市安委会办公室印发工作方案。", "长治市", {"长治市安全生产委员会办公室"}),
    # 县城 is a word, but here 县 is the relative prefix of 城市管理局
    ("德化县应急管理局会同县城市管理局开展专项检查。", "泉州市", {"德化县应急管理局", "德化县城市管理局"}),
]


def test_relative_forms_do_not_merge_bodies_of_two_articles():
    """区消防救援大队 is 潞州区's in one article and 屯留区's in the next."""
    text = (
        "潞州区开展消防检查\n\n近日，区消防救援大队对商超开展检查。\n\n"
        "屯留区整治电动自行车\n\n近日，区消防救援大队对老旧小区开展排查。\n"
    )
    got = names(extract(text, "长治市"), "Organization")
    assert got == {"潞州区消防救援大队", "屯留区消防救援大队"}, got


@pytest.mark.parametrize(("text", "home", "want"), CASES, ids=[c[0][:10] for c in CASES])
def test_organizations(text, home, want):
    assert names(extract(text, home), "Organization") == want


# A list shares its first body's place; a department named without a place is, in a
# county's article, the county's; sectors without a head are no body; a relative prefix is
# not the first character of a word (市场, 县域).
LISTS_AND_BARE_BODIES = [
    (
        "临泉县应急局联合消防大队、住建局开展燃气安全检查。",
        "阜阳市",
        {"临泉县应急管理局", "临泉县消防大队", "临泉县住房和城乡建设局"},
    ),
    ("武乡县水务局、气象局分别通报了汛期准备情况。", "长治市", {"武乡县水务局", "武乡县气象局"}),
    (
        "会上，县海洋与渔业局、县市场监管局作了表态发言。",
        "德化县",
        {"德化县海洋与渔业局", "德化县市场监督管理局"},
    ),
    ("市场监管局、城管局等部门同步开展整治。", "临泉县", {"临泉县市场监督管理局", "临泉县城管局"}),
    ("平遥县交通运输局与县公安局密切配合，开展联合检查。", "晋中市", {"平遥县交通运输局", "平遥县公安局"}),
    ("县应急局联合公安、交通等部门开展检查。", "临泉县", {"临泉县应急管理局"}),
    (
        "应急管理局、气象局、人武部负责同志参加会议。",
        "临泉县",
        {"临泉县应急管理局", "临泉县气象局", "临泉县人民武装部"},
    ),
    # 县 in a county's article is that county, unless its sentence named another one
    (
        "近日，临泉县考察组赴阜南县学习燃气安全管理经验。县应急局负责人介绍了做法。",
        "临泉县",
        {"临泉县应急管理局"},
    ),
    ("阜南县应急局联合县公安局开展检查。", "临泉县", {"阜南县应急管理局", "阜南县公安局"}),
    ("四个水利站、各交警中队负责人参加培训。", "临泉县", set()),
    # a county by its short name; a department after an unknown name is not the home's
    ("临泉应急局联合消防大队检查。", "阜阳市", {"临泉县应急管理局", "临泉县消防大队"}),
    ("红星应急办负责人参加会议。", "武乡县", set()),
    ("市场监管所所长赵明、派出所民警王刚介绍了情况。", "临泉县", set()),  # a town's, not the county's
    ("三个重点水库、水文站负责人参加会议。", "临泉县", {"临泉县水文站"}),
    # along a chain of posts; a development zone has no government of its own
    (
        "临泉经济开发区党工委书记、管委会主任、政府党组成员王大明参加调研。",
        "临泉县",
        {"临泉经济开发区党工委", "临泉经济开发区管委会", "临泉县人民政府"},
    ),
    ("参加培训的有园区企业负责人及应急管理局执法大队队员。", "临泉县", {"临泉县应急管理局执法大队"}),
    (
        "演练由县应急管理局、青山镇党委和政府承办。",
        "临泉县",
        {"临泉县应急管理局", "青山镇党委", "青山镇人民政府"},
    ),
    # an abbreviation names a whole body only after its place (县公安局交警大队 keeps its form)
    ("县公安局交警大队开展夜查，区燃安办牵头开展检查。", "临泉县", {"临泉县公安局交警大队", "临泉县燃安办"}),
    (
        "县安办牵头联合应急局、消防大队组成督导组。",
        "临泉县",
        {"临泉县安全生产委员会办公室", "临泉县应急管理局", "临泉县消防大队"},
    ),
]


@pytest.mark.parametrize(
    ("text", "home", "want"), LISTS_AND_BARE_BODIES, ids=[c[0][:10] for c in LISTS_AND_BARE_BODIES]
)
def test_lists_and_bodies_without_a_place(text, home, want):
    assert names(extract(text, home), "Organization") == want


@pytest.mark.parametrize(
    "text",
    [
        "今后也想开一家属于自己的家政公司，打造家政服务品牌。",  # a common noun before 公司
        "孩子们在游戏玩耍中学会了合作与分享。",  # 中学 inside 中学会
        "市、县级应急管理部门充分利用卫星监测。",  # 应急管理部 inside 应急管理部门
        "区委专题部署安全生产重点任务。" * 0 + "让违章作业无处遁形，问题隐患无处藏身。",  # 无处
        "长治是文物大市，共有省保文物144处、县保文物千余处。",  # counts, not names
        "探索打造开放式、集约化、共享型党群服务中心。",  # a generic facility
    ],
)
def test_not_organizations(text):
    assert names(extract(text, "长治市"), "Organization") == set()


def test_a_short_name_merges_into_the_full_name_on_the_page():
    text = "山西兴能发电有限责任公司数字化碳资产管理平台入选。兴能电厂主动接洽国内科研院校。"
    orgs = [e for e in extract(text, "太原市").entities if e.type == "Organization"]
    assert [(e.name, "兴能电厂" in e.aliases) for e in orgs] == [("山西兴能发电有限责任公司", True)]


# Sections, fire units, credits, enterprises by their trade (矿业), abbreviations whose
# full form differs from province to province (防汛办) kept as written.
SECTIONS_AND_FORMS = [
    # a section whose parent does not act on its own is its parent
    ("县应急局宣教科科长刘洋介绍了防汛准备情况。", "临泉县", {"临泉县应急管理局"}),
    # …and a body of its own when the parent acts too
    (
        "省应急管理厅工矿处处长张华，省应急管理厅副厅长李明参加检查。",
        "临泉县",
        {"安徽省应急管理厅", "安徽省应急管理厅工矿处"},
    ),
    # a county's fire and rescue bureau is its fire and rescue brigade
    ("县消防救援局开展检查。县消防救援大队还组织了演练。", "临泉县", {"临泉县消防救援大队"}),
    ("县消防救援局开展夜查。", "临泉县", {"临泉县消防救援局"}),
    # a credit or a source line names no body of the article
    (
        "近日，县应急管理局开展检查，共排查企业50家。(临泉县消防救援大队)\n来源：临泉县人民政府\n",
        "临泉县",
        {"临泉县应急管理局"},
    ),
    ("检查组深入鑫源矿业尾矿库、永兴矿业选矿厂检查。", "临泉县", {"鑫源矿业", "永兴矿业"}),
    ("县防汛办全体工作人员参加会议。", "临泉县", {"临泉县防汛办"}),
    # 省内 is "in the province", 组成 a verb
    ("同时，邀请省内化工专家组成专家组，对重点企业开展检查。", "乐山市", set()),
]


@pytest.mark.parametrize(
    ("text", "home", "want"), SECTIONS_AND_FORMS, ids=[c[0][:10] for c in SECTIONS_AND_FORMS]
)
def test_sections_and_written_forms(text, home, want):
    assert names(extract(text, home), "Organization") == want


def test_a_section_is_an_alias_of_its_parent():
    orgs = [
        e
        for e in extract("县应急局宣教科科长刘洋介绍了情况。", "临泉县").entities
        if e.type == "Organization"
    ]
    assert [(e.name, "临泉县应急局宣教科" in e.aliases) for e in orgs] == [("临泉县应急管理局", True)]


def test_party_committees_and_governments_list_their_other_forms():
    got = {
        e.name: set(e.aliases)
        for e in extract("县委、县政府高度重视，县政协参加。", "临泉县").entities
        if e.type == "Organization"
    }
    assert got == {
        "中共临泉县委": {"临泉县委", "中共临泉县委员会", "县委"},
        "临泉县人民政府": {"临泉县政府", "县政府"},
        "临泉县政协": {"政协临泉县委员会", "县政协"},
    }


def test_the_orgs_extractor_alone() -> None:
    """kg.extract.orgs on its own: a relative prefix resolved, a full name, an enterprise."""
    from kg.extract import orgs

    from ._util import context

    text = "市应急管理局会同黎城县消防救援大队、山西潞安化工有限公司开展检查。"
    ms = orgs.extract_orgs(context(text, "长治市", before="orgs"))
    assert {(m.type, m.name) for m in ms} == {
        ("Organization", "长治市应急管理局"),
        ("Organization", "黎城县消防救援大队"),
        ("Organization", "山西潞安化工有限公司"),
    }
    assert {m.text for m in ms if m.name == "长治市应急管理局"} == {"市应急管理局"}
