"""Page → articles: headlines, datelines, bylines, captions, continuation breaks."""

from __future__ import annotations

import pytest

from kg.model import SourceText
from kg.nlp.layout import split_page

from ._util import SEEDS


def _page(text: str):
    return split_page(SourceText("p.txt", "p.txt", text, "utf-8", "txt"))


def _body(text: str, art) -> str:
    return "".join(text[s:e] for p in art.paragraphs if p.kind != "headline" for s, e in p.pieces)


PAGE = """

长子县

抓实隐患排查守护民生安宁

长子县强化统筹，通过压实监管责任、深化隐患排查等硬招实招，全方位织密安全防护网，持续提升安全治理水

平，切实筑牢县域平安发展屏障。

本报记者 牛佳锡

消除火灾隐患 守护铁路沿线

本报讯 3月30日，尖草坪区组织沿线各乡镇开展铁路沿线防火烧荒防控巡查行动。（刘志刚）

3月24日，在屯留区张店镇中村瞭望哨，工作人员正在值守瞭望。本报记者 张国平 摄

(上接第1版)

会议以电视电话会议形式召开，各县(市、区)设分会场。

策划：王轶 编辑：桂滨 设计：高琪
"""


def test_articles_are_cut_at_headlines_datelines_captions_and_markers():
    page = _page(PAGE)
    kinds = [a.kind for a in page.articles]
    assert kinds == ["article", "article", "caption", "continuation"]
    first, second, caption, cont = page.articles
    assert first.headlines == ("长子县", "抓实隐患排查守护民生安宁")
    assert first.bylines == ("本报记者 牛佳锡",)
    assert second.headline == "消除火灾隐患 守护铁路沿线"
    assert second.bylines == ("刘志刚",)
    assert second.date == "--03-30"
    assert caption.bylines == ("本报记者 张国平",)
    assert "会议以电视电话会议形式召开" in _body(PAGE, cont)


def test_a_paragraph_broken_across_columns_is_one_paragraph():
    page = _page(PAGE)
    body = _body(PAGE, page.articles[0])
    assert "安全治理水平，切实筑牢" in body.replace("\n", "")
    (para,) = [p for p in page.articles[0].paragraphs if p.kind == "body"]
    assert len(para.pieces) == 2  # two source spans, one paragraph


@pytest.mark.parametrize(
    ("text", "kept", "cut"),
    [
        ("本报讯(记者 孙 雄)7月15日，揭牌仪式在稷山举行。", "7月15日，揭牌仪式在稷山举行。", "孙 雄"),
        ("本报讯 记者梁家秀报道:3月25日,仪式举行。", "3月25日,仪式举行。", "梁家秀"),
        (
            "强化宣教演练，提升群众应急处置能力。 本报记者 张瀚予 通讯员 董鑫",
            "强化宣教演练，提升群众应急处置能力。",
            "张瀚予",
        ),
        ("科学疏导车流客流。（于健、王质素）", "科学疏导车流客流。", "于健"),
        # a media dateline with its byline: the media and its place are the source, not content
        ("江南在线平遥消息（王小明） 为进一步加强安全生产。", "为进一步加强安全生产。", "王小明"),
        ("青山新闻网讯（记者 李华）近日，县里开展演练。", "近日，县里开展演练。", "李华"),
    ],
)
def test_bylines_are_cut_out_of_the_content(text, kept, cut):
    page = _page("标题在这里\n\n" + text + "\n")
    body = _body("标题在这里\n\n" + text + "\n", page.articles[0])
    assert body == kept
    assert any(cut in b for b in page.articles[0].bylines)


def test_credit_lines_and_columnist_bylines_are_not_content():
    text = "务必树牢理念\n\n梁涛\n\n安全生产工作，最怕思想麻痹，对隐患习以为常。\n\n编辑：桂滨 设计：高琪\n"
    page = _page(text)
    (art,) = page.articles
    assert art.bylines == ("梁涛",)
    assert _body(text, art) == "安全生产工作，最怕思想麻痹，对隐患习以为常。"


def test_markdown_headings_and_page_year():
    text = "2025年3月30日 星期日\n\n## 我市开展专项行动\n\n本报讯 3月29日，全市开展安全检查。\n"
    page = _page(text)
    assert page.year == 2025
    art = page.articles[-1]
    assert art.headline == "我市开展专项行动"
    assert art.date == "2025-03-29"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_page_splits_into_articles_with_verbatim_offsets(path):
    text = path.read_text(encoding="utf-8")
    page = split_page(SourceText(str(path), path.name, text, "utf-8", "txt"))
    assert len(page.articles) >= 5
    for a in page.articles:
        assert a.id == f"{path.name}#{a.index}"
        for p in a.paragraphs:
            for s, e in p.pieces:
                assert 0 <= s < e <= len(text)
                assert "\n" not in text[s:e]


def test_a_single_megabyte_line_is_one_article():
    text = "长子县紧盯煤矿、危化品等重点行业开展隐患排查整治，" * 40000
    page = _page(text)
    assert len(page.articles) == 1


# -- dates and publishers ------------------------------------------------------------------------

#: A made-up page under its date line: two paper articles (a dateline with 3月30日, none), a
#: wire report, a web article with a metadata line, a report from a county media centre, and
#: a notice whose first line is prose that opens with 时间： (content, not metadata; its
#: 3月30日 is the article's date as a dateline's is).
DATED_PAGE = """2025年3月31日 星期一

长子县部署安全生产工作

本报讯 3月30日，长子县召开安全生产工作会议。

壶关县开展应急演练

壶关县组织开展防汛应急演练，提升应急处置能力。

新华社北京3月28日电 应急管理部部署春季安全生产工作。

屯留区排查燃气隐患

发布时间：2025-03-27 09:30 来源：屯留区应急管理局 浏览次数：215

屯留区对城镇燃气开展隐患排查。

潞州区防范森林火灾

青山融媒讯（记者 李华）3月25日，潞州区开展森林防火检查。

黎城县安全宣传

时间：3月30日上午，地点：县广场，内容是安全宣传。

（来源：黎城县人民政府）
"""


@pytest.mark.parametrize(
    ("given", "publisher", "want"),
    [
        # the page prints its own date: its year completes 3月30日, and an article without a
        # date of its own gets the page's
        (None, None, ["2025-03-30", "2025-03-31", "2025-03-28", "2025-03-27", "2025-03-25", "2025-03-30"]),
        # what the caller knows (a manifest, --date) is merged: a year alone does not beat the
        # page's full date line
        ("2025", None, ["2025-03-30", "2025-03-31", "2025-03-28", "2025-03-27", "2025-03-25", "2025-03-30"]),
        (
            "2025-04-01",
            "长治日报",
            ["2025-03-30", "2025-04-01", "2025-03-28", "2025-03-27", "2025-03-25", "2025-03-30"],
        ),
    ],
)
def test_articles_get_full_dates_and_publishers(
    given: str | None, publisher: str | None, want: list[str]
) -> None:
    src = SourceText("p.txt", "p.txt", DATED_PAGE, "utf-8", "txt", date=given, publisher=publisher)
    page = split_page(src)
    arts = [a for a in page.articles if a.kind != "fragment"]
    assert [a.headline or a.id for a in arts][:2] == ["长子县部署安全生产工作", "壶关县开展应急演练"]
    assert [a.date for a in arts] == want
    assert [a.publisher for a in arts] == [
        publisher,  # 本报讯: the paper's, which only the caller knows
        publisher,
        "新华社",  # the wire service of the dateline
        "屯留区应急管理局",  # 来源 of the metadata line
        "青山融媒",  # the medium a dateline names
        "黎城县人民政府",  # (来源：…) after the body
    ]
    # the metadata and source lines are not content; the prose that opens with 时间： is
    tuned = arts[3]
    assert "浏览次数" not in _body(DATED_PAGE, tuned) and "屯留区对城镇燃气" in _body(DATED_PAGE, tuned)
    assert "地点：县广场" in _body(DATED_PAGE, arts[5]) and "来源" not in _body(DATED_PAGE, arts[5])


def test_without_a_year_anywhere_dates_stay_month_and_day() -> None:
    page = _page("长子县召开会议\n\n本报讯 3月30日，长子县召开安全生产工作会议。\n")
    assert [a.date for a in page.articles] == ["--03-30"]
    assert page.date is None
