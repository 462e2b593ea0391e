"""Vocabulary terms: aliases, contextual labels, measure patterns."""

from __future__ import annotations

import pytest

from ._util import extract, names

CASES = [
    (
        "紧盯煤矿、危化品、城镇燃气、建筑施工等关键行业。",
        "Industry",
        {"煤矿", "危险化学品", "城镇燃气", "建筑施工"},
        set(),
    ),
    ("加强燃气、人员密集场所动火作业等全链条安全监管。", "Industry", {"城镇燃气", "动火作业"}, set()),
    # a kind of accident is named by the kind; a name that is more than the kind keeps 事故
    ("严防边坡坍塌事故，开展透水事故应急演练。", "Hazard", {"坍塌", "透水"}, {"坍塌事故", "透水事故"}),
    ("防范渔船翻沉等水上交通事故。", "Hazard", {"翻沉", "水上交通事故"}, {"水上交通"}),
    ("为减少路面施工作业对市民出行产生影响。", "Industry", set(), {"建筑施工"}),
    ("面对丰富的旅游资源，推动文旅出圈出彩。", "Industry", set(), {"旅游"}),
    ("覆盖校园、社区、企业等重点场所，检验应急预案。", "Venue", {"学校", "社区", "企业"}, set()),
    ("对企业发展的严重阻碍，深入社区、乡村一线做群众的解忧人。", "Venue", set(), {"企业", "社区"}),
    (
        "对河道水库、低洼路段、地质灾害点开展拉网式排查。",
        "Venue",
        {"河道", "水库堤防", "低洼地带", "地质灾害隐患点"},
        set(),
    ),
    ("严防泄漏、爆炸风险，压降道路交通事故风险。", "Hazard", {"泄漏", "爆炸", "道路交通事故"}, set()),
    ("坚决守住森林火灾零火情底线。", "Hazard", {"森林火灾"}, {"火灾"}),
    ("压紧压实党政领导、部门监管、企业主体三方责任。", "Measure", {"责任落实"}, set()),
    (
        "细化应急预案，足额储备物资，建强救援队伍。",
        "Measure",
        {"应急预案", "应急物资储备", "应急救援队伍建设"},
        set(),
    ),
    ("重点时段森林消防队24小时备勤。", "Measure", {"值班值守"}, set()),
    ("老师讲授的家政课程特别实用，此次培训为期11天。", "Measure", set(), {"教育培训"}),
    ("常态化开展岗前培训，筑牢安全防线。", "Measure", {"教育培训"}, set()),
]


@pytest.mark.parametrize(("text", "type_", "want", "not_want"), CASES, ids=[c[0][:10] for c in CASES])
def test_terms(text, type_, want, not_want):
    assert not (not_want & want)
    got = names(extract(text, "长治市"), type_)
    assert got == want, (want - got, got - want)


def test_aliases_are_reported_with_the_canonical_name():
    ents = {e.name: e for e in extract("紧盯危化品领域。", "长治市").entities}
    assert "危化品" in ents["危险化学品"].aliases


def test_terms_inside_organization_names_do_not_count():
    got = names(extract("市消防救援支队深入屯留区开展宣传。", "长治市"), "Industry")
    assert "消防" not in got


# --------------------------------------------------------------------------------------------
# Exact sets: every Industry / Venue / Hazard / Measure the extractor gives for a made-up
# sentence in the style of county news, as (type, canonical name).
# --------------------------------------------------------------------------------------------
TERM_TYPES = ("Industry", "Venue", "Hazard", "Measure")

EXACT = [
    # GB 6441 accident categories; 防X is guarded against; 透水/触电/放炮 only in context
    (
        "临泉县应急管理局组织矿山企业开展防透水、防冒顶片帮专项检查。",
        {("Industry", "矿山"), ("Hazard", "透水"), ("Hazard", "冒顶片帮"), ("Measure", "执法检查")},
    ),
    ("新建的文化广场采用透水混凝土铺装，雨后地面不积水。", set()),
    ("他说话时像触电般缩回了手。", set()),
    ("春节期间孩子们在院子里放炮仗。", set()),
    ("宁陕县提醒群众谨防触电、溺水等意外。", {("Hazard", "触电"), ("Hazard", "溺水")}),
    (
        "严防火药爆炸、锅炉爆炸和容器爆炸事故。",
        {("Hazard", "火药爆炸"), ("Hazard", "锅炉爆炸"), ("Hazard", "容器爆炸")},
    ),
    # a list closed by 等 reaches its head (…等重大灾害风险); 水害 is named by its own form
    (
        "矿山安全监察部门紧盯瓦斯、水害、顶板等重大灾害风险。",
        {("Industry", "矿山"), ("Hazard", "瓦斯"), ("Hazard", "水害"), ("Hazard", "顶板")},
    ),
    # disaster types of the national plans and GB/T 28921
    ("沿海乡镇全力防御风暴潮、海浪灾害。", {("Hazard", "风暴潮"), ("Hazard", "海浪")}),
    (
        "海洋部门发布风雹、霜冻和地裂缝风险提示。",
        {("Hazard", "风雹"), ("Hazard", "霜冻"), ("Hazard", "地裂缝")},
    ),
    (
        "受冷空气影响，青龙满族自治县将迎来降雪天气，县应急局提醒做好防范应对。",
        {("Hazard", "降雪")},
    ),
    # 高温季节 is a season: the verb governs the season, not the heat
    ("为切实加强高温季节安全生产工作，县安委办召开会议。", set()),
    ("入夏以来，全县各地迎来高温季节，瓜果销售火热。", set()),
    # kinds of waterborne accident; 搁浅 of a plan is not one
    (
        "严防船舶碰撞、搁浅等水上交通事故。",
        {("Hazard", "船舶碰撞"), ("Hazard", "搁浅"), ("Hazard", "水上交通事故")},
    ),
    ("项目建设计划因资金问题搁浅。", set()),
    # 事故 guarded against in general is a work-safety accident
    ("坚决杜绝各类事故发生。", {("Hazard", "生产安全事故")}),
    # e-bikes (guidelines): an Industry when the work is about e-bikes themselves ...
    (
        "临泉县开展电动自行车停放充电专项整治，查处违规充电行为。",
        {("Industry", "电动自行车"), ("Measure", "执法检查")},
    ),
    (
        "临泉县住建局联合县消防救援大队开展电动车集中整治。",
        {("Industry", "电动自行车"), ("Measure", "隐患排查整治")},
    ),
    (
        "全县已建成电动自行车集中充电桩1200个。",
        {("Industry", "电动自行车"), ("Measure", "充电设施建设")},
    ),
    (
        "近年来电瓶车火灾多发，县消防大队提醒居民不要将电瓶车推入楼道充电。",
        {("Industry", "电动自行车"), ("Hazard", "火灾")},
    ),
    # ... not when it is one vehicle class in a traffic list
    ("交警查处电动车、摩托车、小汽车闯红灯行为。", set()),
    ("交警部门严查电动自行车、摩托车不戴头盔等交通违法行为。", set()),
    # the 工贸 sub-sectors and GB/T 4754 classes (造纸, 印染, 酿酒, 粮食仓储; 铁合金 is 冶金)
    (
        "结合辖区内造纸、印染、酿酒、粮食仓储等行业特点开展执法检查。",
        {
            ("Industry", "造纸"),
            ("Industry", "印染"),
            ("Industry", "酿酒"),
            ("Industry", "粮食仓储"),
            ("Measure", "执法检查"),
        },
    ),
    (
        "对辖区铁合金、电石等高耗能企业开展特殊作业专项检查。",
        {("Industry", "金属冶炼"), ("Industry", "电石"), ("Measure", "执法检查")},
    ),
    # the umbrella 特殊作业 closing a list of operations is not one more target
    (
        "县应急局重点检查动火、受限空间等特殊作业管理情况。",
        {("Industry", "动火作业"), ("Industry", "有限空间作业"), ("Measure", "执法检查")},
    ),
    (
        "对全县危大工程和装饰装修工程开展安全检查。",
        {("Industry", "危大工程"), ("Industry", "装饰装修工程"), ("Measure", "执法检查")},
    ),
    # road transport is 交通运输; dangerous-goods transport is also the hazardous-chemicals field
    (
        "县交通运输局加强道路运输和危化品运输车辆监管。",
        {("Industry", "交通运输"), ("Industry", "危险化学品")},
    ),
    ("紧盯“两客一危”车辆和重点路段。", {("Industry", "两客一危")}),
    # LPG and cylinders are objects of a gas check, not fields
    ("城区燃气用户液化石油气钢瓶摆放不规范。", set()),
    # the members of the “九小场所” with their 小 are that kind of place
    (
        "县消防救援大队重点检查小旅馆、小餐饮、小网吧等场所的消防安全。",
        {("Venue", "九小场所"), ("Industry", "消防"), ("Measure", "执法检查")},
    ),
    # crowded places of 消防法 Art. 73; 图书馆 of a reading event is no target
    (
        "对辖区博物馆、图书馆等人员密集场所开展消防安全检查。",
        {
            ("Venue", "博物馆"),
            ("Venue", "图书馆"),
            ("Venue", "人员密集场所"),
            ("Industry", "消防"),
            ("Measure", "执法检查"),
        },
    ),
    ("县图书馆举办读书分享活动。", set()),
    (
        "县消防大队对辖区福利院和养老院开展消防检查。",
        {("Venue", "福利院"), ("Venue", "养老机构"), ("Measure", "执法检查")},
    ),
    # forest-fire prevention areas and religious sites (named by their own form)
    (
        "宁陕县在重点林区、森林公园和寺庙等重点部位设立防火检查站。",
        {("Venue", "林区"), ("Venue", "森林公园"), ("Venue", "寺庙")},
    ),
    # dangerous road sections of the highway life-protection works, in a list closed by 等路段
    (
        "县交通运输局对急弯陡坡、临水临崖等路段开展隐患排查。",
        {("Venue", "急弯陡坡"), ("Venue", "临水临崖"), ("Measure", "隐患排查整治")},
    ),
    (
        "对全县烟花爆竹零售点和烟花爆竹储存仓库开展安全检查。",
        {("Venue", "烟花爆竹零售点"), ("Venue", "烟花爆竹储存仓库"), ("Measure", "执法检查")},
    ),
    ("对露天矿山高陡边坡和排土场开展专项整治。", {("Venue", "高陡边坡"), ("Venue", "排土场")}),
    ("县水利局对辖区水利工程开展汛前检查。", {("Venue", "水利工程"), ("Measure", "执法检查")}),
    # venues of fire and leisure safety, named by their own form
    (
        "入夏以来，县消防大队对辖区农家乐、游泳馆和水上乐园开展消防安全检查。",
        {
            ("Venue", "农家乐"),
            ("Venue", "游泳馆"),
            ("Venue", "水上乐园"),
            ("Industry", "消防"),
            ("Measure", "执法检查"),
        },
    ),
    # a term named by its own form drops the quotes of the text
    (
        "对辖区“三合一”场所开展消防安全检查。",
        {("Venue", "三合一场所"), ("Industry", "消防"), ("Measure", "执法检查")},
    ),
    # 仓库 is a term only in context
    ("新建的仓库已于上月投入使用。", set()),
    # 企业/仓库 right after a term are that term's enterprises and stores, not Venues
    (
        "县应急局对辖区涉氨制冷企业和危化品仓库开展专项检查。",
        {("Industry", "涉氨制冷"), ("Industry", "危险化学品"), ("Measure", "执法检查")},
    ),
    ("县应急局深入企业开展安全检查。", {("Venue", "企业"), ("Measure", "执法检查")}),
    # the guidelines' settled terms keep their canonical names, whatever the text's form
    ("执法人员发现部分餐馆使用过期钢瓶。", {("Venue", "餐饮场所")}),
    (
        "对辖区餐饮企业、餐饮商户开展燃气安全检查。",
        {("Venue", "餐饮场所"), ("Industry", "城镇燃气"), ("Measure", "执法检查")},
    ),
    (
        "县住建局开展农村自建房安全隐患排查整治。",
        {("Venue", "自建房"), ("Measure", "隐患排查整治")},
    ),
    (
        "受台风影响，全县出现大风、暴雨天气。",
        {("Hazard", "台风"), ("Hazard", "大风"), ("Hazard", "强降雨")},
    ),
    # measures of safety work; the quoted 四不两直 is a slogan, not a measure label
    ("县应急管理局采取“四不两直”方式对企业开展暗查暗访。", {("Measure", "暗查暗访")}),
    (
        "县安委办组织专家组对辖区危化企业开展安全生产诊断。",
        {("Industry", "危险化学品"), ("Measure", "专家指导服务")},
    ),
    (
        "县城管局新建电动自行车充电桩300个，完善小区充电设施。",
        {("Industry", "电动自行车"), ("Measure", "充电设施建设")},
    ),
    (
        "临泉县强化野外火源管控，严防森林火灾。",
        {("Measure", "野外火源管控"), ("Hazard", "森林火灾")},
    ),
    # sanctions are enforcement; 约谈 only in a sentence about safety
    (
        "县应急局约谈安全隐患整改不力的企业负责人。",
        {("Measure", "执法检查"), ("Measure", "隐患排查整治")},
    ),
    ("县委书记约谈了三位乡镇党委书记，听取党建工作汇报。", set()),
    ("对重大事故隐患一律挂牌督办，对失信企业实施联合惩戒。", {("Measure", "执法检查")}),
    # an enterprise's safety responsibility, not a party-discipline one
    ("督促企业落实安全生产主体责任。", {("Measure", "责任落实")}),
    ("各乡镇要扛牢全面从严治党主体责任。", set()),
    ("水库管理单位要制定度汛方案。", {("Measure", "应急预案"), ("Venue", "水库堤防")}),
    ("推进企业安全生产标准化建设。", {("Measure", "标准化建设")}),
    ("推进村党支部标准化建设。", set()),
    (
        "宁陕县消防救援大队为辖区老旧小区配备了微型消防站。",
        {("Venue", "老旧小区"), ("Measure", "应急救援队伍建设")},
    ),
]


def _terms(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract(text, "临泉县").entities if e.type in TERM_TYPES}


@pytest.mark.parametrize(("text", "want"), EXACT, ids=[c[0][:12] for c in EXACT])
def test_terms_exact(text, want):
    assert _terms(text) == want


def test_the_terms_extractor_alone() -> None:
    """kg.extract.terms on its own: vocabulary labels and measure patterns, by canonical name."""
    from kg.extract import terms

    from ._util import context

    text = "紧盯危化品、城镇燃气等行业，深入老旧小区排查火灾隐患，组织应急演练。"
    ms = terms.extract_terms(context(text, "长治市", before="terms"))
    assert {(m.type, m.name) for m in ms} == {
        ("Industry", "危险化学品"),
        ("Industry", "城镇燃气"),
        ("Venue", "老旧小区"),
        ("Hazard", "火灾"),
        ("Measure", "隐患排查整治"),
        ("Measure", "应急演练"),
    }
    assert {m.text for m in ms if m.name == "危险化学品"} == {"危化品"}  # the alias as written
