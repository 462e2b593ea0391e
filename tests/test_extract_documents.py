"""Documents in 《》 and who issues them: made-up sentences in the style of county news."""

from __future__ import annotations

import pytest

from ._util import extract, names

DOCUMENTS = [
    # notices and letters to the public, and an inspection's written instruments
    ("检查组当场下达《责令限期整改指令书》，明确整改时限。", {"责令限期整改指令书"}),
    ("执法人员向商户送达《临泉县燃气安全隐患整改通知书》。", {"临泉县燃气安全隐患整改通知书"}),
    ("县消防救援大队发放《“九小场所”消防安全告知书》500余份。", {"“九小场所”消防安全告知书"}),
    ("县应急局向企业发放《有限空间作业安全提示单》。", {"有限空间作业安全提示单"}),
    ("镇政府印发《致全镇农户的一封信》，提醒群众严防森林火灾。", {"致全镇农户的一封信"}),
    ("景区入口张贴《游客森林防火须知》。", {"游客森林防火须知"}),
    ("县住建局制定《建筑施工安全风险管控清单》。", {"建筑施工安全风险管控清单"}),
    (
        "企业严格执行《危险化学品储罐区作业安全规程》和《粉尘防爆安全规范》。",
        {"危险化学品储罐区作业安全规程", "粉尘防爆安全规范"},
    ),
    ("县应急局编制《小微企业安全生产检查指引》。", {"小微企业安全生产检查指引"}),
    # publicity material, songs and pledge forms are not documents
    ("志愿者发放《家庭防火知识手册》和《安全生产承诺书》。", set()),
    ("学生们齐声朗读《安全在我心中》，合唱《义勇军进行曲》。", set()),
    ("村干部向村民发放《防汛避险明白纸》。", set()),
]


@pytest.mark.parametrize(("text", "want"), DOCUMENTS, ids=[c[0][:12] for c in DOCUMENTS])
def test_documents(text, want):
    assert names(extract(text, "临泉县"), "Document") == want


def issued(text: str, home: str = "临泉县") -> set[tuple[str, str]]:
    r = extract(text, home)
    name = {e.id: e.name for e in r.entities}
    return {(name[x.s], name[x.o]) for x in r.relations if x.p == "issues"}


ISSUES = [
    # the body named before a publishing or hand-out verb
    (
        "县应急管理局印发《临泉县2025年安全生产工作要点》。",
        {("临泉县应急管理局", "临泉县2025年安全生产工作要点")},
    ),
    (
        "宁陕县应急管理局向企业发放《有限空间作业安全提示单》200余份。",
        {("宁陕县应急管理局", "有限空间作业安全提示单")},
        "宁陕县",
    ),
    # no body in the sentence: the organization acting in the clause hands it out
    (
        "临泉县应急管理局深入企业开展执法检查。对发现的问题，执法人员当场下达《责令限期整改指令书》。",
        {("临泉县应急管理局", "责令限期整改指令书")},
    ),
    (
        "临泉县消防救援大队走进沿街商铺开展宣传，同时发放了《消防安全告知书》。",
        {("临泉县消防救援大队", "消防安全告知书")},
    ),
    # a place is no issuer: the county acts, its government is not named
    ("临泉县高度重视防汛工作，印发《致全县群众的一封信》。", set()),
    # handing out copies of a law does not issue it
    ("临泉县消防救援大队发放《中华人民共和国消防法》宣传单。", set()),
    # the title names its issuer
    (
        "县住建局按照《临泉县住房和城乡建设局关于加强建筑工地安全管理的通知》要求，开展检查。",
        {("临泉县住房和城乡建设局", "临泉县住房和城乡建设局关于加强建筑工地安全管理的通知")},
    ),
    # following a document is not issuing it
    ("临泉县应急管理局按照《安徽省安全生产条例》开展执法。", set()),
]


@pytest.mark.parametrize("case", ISSUES, ids=[c[0][:12] for c in ISSUES])
def test_issues(case):
    text, want, *home = case
    assert issued(text, *home) == want


def relations(text: str, home: str = "临泉县") -> set[tuple[str, str, str]]:
    r = extract(text, home)
    name = {e.id: e.name for e in r.entities}
    return {(name[x.s], x.p, name[x.o]) for x in r.relations if x.p in ("implements", "organizes", "issues")}


PLANS = [
    # following a plan carries out the campaign it sets up
    (
        "临泉县应急管理局按照《临泉县2025年燃气安全专项整治实施方案》要求，开展执法检查。",
        {"燃气安全专项整治"},
        {("临泉县应急管理局", "implements", "燃气安全专项整治")},
    ),
    # issuing it runs the campaign
    (
        "县安委会办公室印发《临泉县危险化学品安全专项整治三年行动实施方案》。",
        {"危险化学品安全专项整治三年行动"},
        {
            ("临泉县安全生产委员会办公室", "issues", "临泉县危险化学品安全专项整治三年行动实施方案"),
            ("临泉县安全生产委员会办公室", "organizes", "危险化学品安全专项整治三年行动"),
        },
    ),
    # a plan only named, or a plan of no campaign, sets up nothing
    ("临泉县应急管理局组织学习了《临泉县燃气安全专项整治实施方案》。", set(), set()),
    (
        "县应急管理局按照《临泉县安全生产应急预案》开展演练。",
        set(),
        set(),
    ),
]


@pytest.mark.parametrize(("text", "campaigns", "rels"), PLANS, ids=[c[0][:12] for c in PLANS])
def test_a_plan_names_its_campaign(text, campaigns, rels):
    assert names(extract(text, "临泉县"), "Campaign") == campaigns
    assert relations(text) == rels


def test_the_documents_extractor_alone() -> None:
    """kg.extract.documents on its own: a notice in 《》 is a document, a song is not."""
    from kg.extract import documents

    from ._util import context

    text = "县应急管理局印发《关于加强汛期安全防范工作的通知》，并学唱《义勇军进行曲》。"
    ms = documents.extract_documents(context(text, "长治市", before="documents"))
    assert {(m.type, m.name) for m in ms} == {("Document", "关于加强汛期安全防范工作的通知")}
