"""Persons, and documents in 《》."""

from __future__ import annotations

import pytest

from ._util import extract, names

PERSONS = [
    ("副市长张锐等参加。副市长孙鹏程深入新绛县调研。", {"张锐", "孙鹏程"}),
    ("省工商联主席、省总商会会长景普秋就此开展调研。", {"景普秋"}),
    ("革命烈士左权写给妻子刘志兰的绝笔信，王福烈士写给母亲的家书。", {"左权", "刘志兰", "王福"}),
    ("以习近平同志为核心的党中央。", {"习近平"}),
    ("“家政服务市场潜力很大。”学员贾泽泓说。", {"贾泽泓"}),
    ("韦韬走进中药材标本馆。韦韬听取了中心党委工作汇报。", {"韦韬"}),
    # front-line roles, and adverbs right after the name
    ("护林员王小明每天上山巡护，村里的果农李建平笑着说今年没出事。", {"王小明", "李建平"}),
    ("镇平县玉雕大师仵建国带来的作品。", {"仵建国"}),
]


@pytest.mark.parametrize(("text", "want"), PERSONS, ids=[c[0][:8] for c in PERSONS])
def test_persons(text, want):
    assert names(extract(text, "运城市"), "Person") == want


# County articles: chains of posts, names listed after one post or role, named residents;
# words after a post that are no names (a verb, a function word before a noun).
COUNTY_PERSONS = [
    ("县委常委、副县长王建军，副县长李明、张华出席会议。", {"王建军", "李明", "张华"}),
    (
        "在脱贫监测户郭大发、孙小黑、贠春莲家中，县长赵国庆详细询问了取暖情况。",
        {"郭大发", "孙小黑", "贠春莲", "赵国庆"},
    ),
    ("村民张小兵、学员李华参加演练。", {"张小兵", "李华"}),
    ("县委常委、人武部长王振东出席会议。", {"王振东"}),
    ("县消防救援大队工作人员都会仔细检查。副县长强调，要压实责任。", set()),
    ("各乡镇负责人和企业有关人员参加培训。", set()),
    ("附近居民王先生说，李大叔家的电动车已经搬走。", set()),
]


@pytest.mark.parametrize(("text", "want"), COUNTY_PERSONS, ids=[c[0][:8] for c in COUNTY_PERSONS])
def test_persons_in_county_articles(text, want):
    assert names(extract(text, "临泉县"), "Person") == want


@pytest.mark.parametrize(
    "text",
    [
        "附近居民李先生表示，平整一下路面挺好。李师傅沉思片刻后说。",  # anonymous forms
        "抓安全就是抓发展，保安全就是保民生。各行业主管部门同步开展排查。",  # role words inside words
        "随后，参与人员向烈士敬献花篮，建立从高中层到岗位员工全覆盖的责任制。",
    ],
)
def test_not_persons(text):
    assert names(extract(text, "运城市"), "Person") == set()


def test_bylines_are_never_persons():
    text = "排查电气隐患\n\n本报讯 3月30日，国网太原供电公司检修中心开展排查。（于健、王质素）\n"
    assert names(extract(text, "太原市"), "Person") == set()


def test_a_mayor_implies_the_city_government():
    got = names(extract("副市长张锐等参加。", "运城市"), "Organization")
    assert "运城市人民政府" in got


DOCS = [
    (
        "市政府发布一号文件《关于做好2025年安全生产工作的通知》(以下简称《通知》)。《通知》指出，要压实责任。",
        {"关于做好2025年安全生产工作的通知"},
        1,
    ),
    ("联合印发了《国家重点推广的低碳技术目录(第五批)》。", {"国家重点推广的低碳技术目录(第五批)"}, 1),
    ("8时30分，嘹亮的《义勇军进行曲》响彻陵园，诵读《追寻·跨越时空的家书》。", set(), 0),
    ("为落实《关于做好安全生产工作的通知，市应急管理局开展检查。", set(), 0),  # an unclosed 《
]


@pytest.mark.parametrize(("text", "want", "n"), DOCS, ids=[c[0][:8] for c in DOCS])
def test_documents(text, want, n):
    docs = [e for e in extract(text, "长治市").entities if e.type == "Document"]
    assert {e.name for e in docs} == want and len(docs) == n


def test_the_persons_extractor_alone() -> None:
    """kg.extract.persons on its own: names after posts, the body a 副市长 implies, no byline."""
    from kg.extract import persons

    from ._util import context

    text = "副市长李明、县应急管理局局长王强出席会议。\n\n本报记者 张三\n"
    ms = persons.extract_persons(context(text, "长治市", before="persons"))
    assert {(m.type, m.name) for m in ms} == {
        ("Person", "李明"),
        ("Person", "王强"),
        ("Organization", "长治市人民政府"),
    }
