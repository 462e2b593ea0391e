"""Campaigns and mechanisms: quoted names, lexicon names, cue-verb frames."""

from __future__ import annotations

import pytest

from ._util import extract, names

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
    # a quoted word of three characters or less is named with its head
    ("严格执行气象“31631”联动机制，强化直达基层“叫应”机制。", "Mechanism", {"31631", "叫应机制"}),
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
    # the page's form names a known mechanism (双重预防机制 is its alias)
    (
        "要完善以安全风险分级管控和隐患排查治理双重预防机制为核心的体系。",
        "Mechanism",
        {"安全风险分级管控和隐患排查治理双重预防机制"},
    ),
]


@pytest.mark.parametrize(("text", "type_", "want"), CASES, ids=[c[0][:10] for c in CASES])
def test_named(text, type_, want):
    assert names(extract(text, "长治市"), type_) == want


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


# Unquoted campaign names of county news: the head, the left edge (after the cue verb, the
# place, the scope and the time phrase), lists inside a name; exact sets of canonical names.
CAMPAIGNS = [
    (
        "临泉县应急局围绕省市二季度安全生产专项执法检查部署，持续开展有限空间作业专项执法检查。",
        {"二季度安全生产专项执法检查", "有限空间作业专项执法检查"},
    ),
    (
        "宁陕县开展危险化学品企业专项督导检查工作、道路运输市场专项整治工作、建筑施工领域等专项整治工作。",
        {"危险化学品企业专项督导检查", "道路运输市场专项整治"},
    ),
    ("县住建局组织三个督导巡查组开展燃气安全专项督导巡查，随机抽查商户。", {"燃气安全专项督导巡查"}),
    ("临泉县召开安全生产百日攻坚誓师大会，动员全县上下迅速行动。", {"安全生产百日攻坚"}),
    ("县交通运输局启动为期三个月的危险品运输百日攻坚专项治理行动。", {"危险品运输百日攻坚专项治理行动"}),
    ("县城管局联合各乡镇开展燃气安全隐患大检查、大整治行动。", {"燃气安全隐患大检查、大整治行动"}),
    ("青龙满族自治县从3月1日起在全县范围内开展2025年森林防火专项整治。", {"森林防火专项整治"}),
    # a short quoted word inside an unquoted name; the name loses its quotes
    ("县安委办牵头开展“五一”期间安全生产专项督导检查。", {"五一期间安全生产专项督导检查"}),
    # a run of quotes before one head: each quote is a campaign
    ("县公安局结合事故预防“减量控大”和“一盔一带”行动，加强路面管控。", {"减量控大", "一盔一带"}),
    # a quoted list of field terms is what the drill is about, not its name
    ("临泉县开展2025年“防汛、地震和地质灾害”应急演练。", {"防汛、地震和地质灾害应急演练"}),
    # another field's campaign with a similar name is another campaign
    ("县消防救援大队纵深推进全县消防安全治本攻坚三年行动。", {"消防安全治本攻坚三年行动"}),
    ("宁陕县深入推进工贸行业安全生产治本攻坚三年行动。", {"安全生产治本攻坚三年行动"}),
    # generic actions, back references and teams are not names
    ("县应急局联合属地乡镇开展集中整治行动，对发现的问题开展专项整治。", set()),
    ("各行业主管部门同步开展本行业领域专项督导检查。", set()),
    ("县政府组成联合督导检查组，深入企业督导检查安全生产工作。", set()),
    ("在大排查、大整治行动中，执法人员共检查商户120家。", set()),
]


@pytest.mark.parametrize(("text", "want"), CAMPAIGNS, ids=[c[0][:12] for c in CAMPAIGNS])
def test_unquoted_campaigns(text, want):
    assert names(extract(text, "临泉县"), "Campaign") == want


# Mechanisms written without a known cue or head; exact sets of canonical names.
MECHANISMS = [
    ("临泉县全面落实森林和草原防火行政首长负责制。", {"行政首长负责制"}),
    ("会议要求，严格落实以行政首长负责制为核心的各项防汛责任制。", {"行政首长负责制"}),
    ("宁陕县实行林长制和路长制，推行包容审慎监管执法。", {"林长制", "路长制", "包容审慎监管"}),
    ("县市场监管局加强燃气行业安全监管，提升监管效能。", set()),
    (
        "县消防救援大队建立健全约谈培训、联合检查、隐患曝光、移交查办等机制。",
        {"约谈培训机制", "联合检查机制", "隐患曝光机制", "移交查办机制"},
    ),
    # a listed 制度 that only makes a measure routine is that measure
    ("县应急管理局建立健全隐患排查治理、风险分级管控等制度。", {"风险分级管控制度"}),
    ("县应急局严格落实“首违不罚”清单，对轻微违法行为予以教育。", {"首违不罚"}),
    ("县应急局与县消防救援大队“应消联动”，合力开展督导。", {"应消联动"}),
    ("检查组采取“一看、二问、三查”的方式逐项检查。", {"一看、二问、三查"}),
    ("县应急局建立健全“排查—交办—整改—销号”工作链条。", {"排查—交办—整改—销号"}),
    ("各乡镇牢牢树立“群众过节 干部过关”意识。", {"群众过节 干部过关"}),
    ("今年安全生产月的主题是“查找身边隐患、守护平安家园”。", {"查找身边隐患、守护平安家园"}),
    ("县森林消防队开展扑火演练，确保“打早、打小、打了”。", {"打早、打小、打了"}),
    ("要落实好山塘防汛“三个责任人”，抓好汛期值守。", {"三个责任人"}),
    ("县交通运输局严格执行危化品运输车辆夜间禁行制度。", {"危化品运输车辆夜间禁行制度"}),
    ("县交警大队建立危化品运输企业“黑名单”制度。", {"黑名单制度"}),
    ("县住建局联合县应急管理局等单位启动燃气安全应急响应机制。", {"燃气安全应急响应机制"}),
    # a field abbreviation of a known mechanism: the page's form names it (双重预防机制 is its alias)
    ("镇政府组织开展危化企业双预控现场观摩。", {"双预控"}),
    # not mechanisms: quoted adverbs of manner, a tourism theme, routine rules and duties
    ("执法人员开展“拉网式”“地毯式”排查，采用“线上线下”相结合的方式宣传。", set()),
    ("旅游节以“清凉宁陕·避暑胜地”为主题。", set()),
    ("各单位严格执行24小时值班值守制度，督促企业落实粉尘防爆安全管理制度。", set()),
    ("要以“时时刻刻”的状态守护群众安全，形成“找岗—荐岗—上岗”全链条服务。", set()),
    ("维修人员分片上门，确保“小问题马上解决、大问题当天处置”。", set()),
]


@pytest.mark.parametrize(("text", "want"), MECHANISMS, ids=[c[0][:12] for c in MECHANISMS])
def test_mechanisms_by_form(text, want):
    assert names(extract(text, "临泉县"), "Mechanism") == want


def test_an_abbreviation_of_a_known_mechanism_keeps_its_full_name_as_alias():
    mechs = [
        e
        for e in extract("镇政府组织开展危化企业双预控现场观摩。", "临泉县").entities
        if e.type == "Mechanism"
    ]
    assert [(e.name, e.aliases) for e in mechs] == [("双预控", ("双重预防机制",))]


@pytest.mark.parametrize(
    ("module", "text", "want"),
    [
        # kg.extract.quoted: a quoted method is a mechanism, a quoted action with a head a campaign
        (
            "quoted",
            "该县推行“一户一档”工作法，开展“清风护林”专项行动。",
            {("Mechanism", "一户一档"), ("Campaign", "清风护林")},
        ),
        # …and a quoted manner of checking is neither
        ("quoted", "开展“地毯式”排查。", set()),
        # kg.extract.named: unquoted names by their heads
        (
            "named",
            "黎城县实行林长制，开展燃气安全专项整治。",
            {("Mechanism", "林长制"), ("Campaign", "燃气安全专项整治")},
        ),
    ],
    ids=["quoted", "manner", "named"],
)
def test_the_quoted_and_named_extractors_alone(module: str, text: str, want: set[tuple[str, str]]) -> None:
    from kg.extract import named, quoted

    from ._util import context

    fn = {"quoted": quoted.extract_quoted, "named": named.extract_named}[module]
    ms = fn(context(text, "长治市", before=module))
    assert {(m.type, m.name) for m in ms} == want
