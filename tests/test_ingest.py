"""Tests of kg.ingest: expansion of inputs, decoding, HTML article extraction."""

from __future__ import annotations

import codecs
import html
import os
import random
import re
import signal
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import read_source, read_sources
from kg.ingest.files import display_path, expand_inputs, file_size_limit, format_size, parse_size
from kg.ingest.html import html_to_text

from ._util import unbroken

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_text(stem: str) -> str:
    (path,) = SEEDS.glob(f"{stem}*.txt")
    return path.read_text(encoding="utf-8")


def seed_paragraphs(stem: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", seed_text(stem)) if p.strip()]


def _h(text: str) -> str:
    """HTML-escape text and spell the Chinese quotes as named entities."""
    return html.escape(text, quote=False).replace("“", "&ldquo;").replace("”", "&rdquo;")


def _cjk_break(text: str) -> str:
    """Break a paragraph across source lines between two hanzi, as HTML editors do."""
    for i in range(len(text) // 2, len(text) - 1):
        if re.match(r"[\u4e00-\u9fff]{2}", text[i - 1 : i + 1]):
            return _h(text[:i]) + "\n            " + _h(text[i:])
    return _h(text)


# --------------------------------------------------------------------------- test pages
# Each builder returns (html, paragraphs that must survive, strings that must not).


def news_site_page() -> tuple[str, list[str], list[str]]:
    """(a) A news-site article page: nav menu, breadcrumb, sidebar, scripts, share bar,
    comments and a copyright footer around an article of several <p>."""
    paras = seed_paragraphs("003")[:19]
    kicker, headline, subtitle, byline, body = paras[0], paras[1], paras[2], paras[3], paras[4:]
    ps = []
    for i, p in enumerate(body):
        if i == 0:
            ps.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;<strong>{_h(p[:6])}</strong>{_h(p[6:])}</p>")
        elif i == 1:
            ps.append(f"<p>　　{_cjk_break(p)}</p>")
        elif i == 2:
            ps.append(
                f'<p><span style="font-size:16px">{_h(p[:10])}</span>'
                f'<a href="/tag/1.html">{_h(p[10:14])}</a>{_h(p[14:])}</p>'
            )
        else:
            ps.append(f"<p>{_h(p)}</p>")
    body_html = "\n".join(ps)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{_h(headline)}_运城新闻网</title>
<style>.nav li {{ float: left; }} body {{ font-family: "微软雅黑"; }}</style>
<script>var pageTitle = "欢迎访问运城新闻网"; var _hmt = _hmt || [];</script>
</head>
<body>
<div class="header">
  <div class="logo"><a href="/"><img src="/img/logo.png" alt="运城新闻网"></a></div>
  <ul class="nav clearfix">
    <li><a href="/">网站首页</a></li><li><a href="/sz/">时政要闻</a></li>
    <li><a href="/bd/">本地新闻</a></li><li><a href="/sp/">视频直播</a></li>
  </ul>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt;
  <a href="/bd/">本地新闻</a> &gt; 正文</div>
<div class="wrap">
  <div class="main-left">
    <div class="article">
      <h3 class="kicker">{_h(kicker)}</h3>
      <h1>{_h(headline)}</h1>
      <h2 class="subtitle">{_h(subtitle)}</h2>
      <div class="info">来源：运城日报　2025-07-20 08:30</div>
      <div class="content" id="zoom">
<p>{_h(byline)}</p>
{body_html}
      </div>
      <div class="share-bar">分享到：<a href="#">微信</a> <a href="#">微博</a>
        <a href="#">QQ空间</a></div>
      <div id="comments"><h4>网友评论</h4><p>已有0条评论，快来抢沙发吧</p></div>
    </div>
  </div>
  <div class="sidebar">
    <h3>热点排行</h3>
    <ul>
      <li><a href="/a/1.html">河东池盐博物馆暑期开放时间调整</a></li>
      <li><a href="/a/2.html">市区新增三条夜间公交线路</a></li>
      <li><a href="/a/3.html">中心城区完成雨污管网改造</a></li>
    </ul>
  </div>
</div>
<script>document.write('<span>今日推荐阅读</span>'); console.log("统计代码加载完成");</script>
<div class="footer">
  <p>版权所有 © 2025 运城日报社 未经授权禁止转载</p>
  <p>晋ICP备05004321号 违法和不良信息举报电话：0359-1234567</p>
</div>
</body>
</html>
"""
    junk = [
        "网站首页",
        "时政要闻",
        "视频直播",
        "当前位置",
        "热点排行",
        "暑期开放时间调整",
        "夜间公交线路",
        "欢迎访问",
        "今日推荐阅读",
        "统计代码",
        "分享到",
        "网友评论",
        "抢沙发",
        "版权所有",
        "ICP",
        "举报电话",
        "float",
        "_hmt",
    ]
    return page, [kicker, headline, subtitle, byline, *body], junk


_EPAPER_KICKERS = ("潞州区", "上党区", "长子县", "屯留区", "潞城区", "壶关县")


def epaper_page() -> tuple[str, list[str], list[str]]:
    """(b) A newspaper e-paper page: several articles (kicker, <h2> headline, <p> body),
    photo captions in <figcaption>, the edition's page index and title index."""
    paras = seed_paragraphs("004")
    captions = [paras[0], *paras[-4:]]
    blocks = paras[1:-4]
    parts: list[str] = [f'<figure><img src="p1.jpg"><figcaption>{_h(captions[0])}</figcaption></figure>']
    titles: list[str] = []
    i = 0
    while i < len(blocks):
        if blocks[i] in _EPAPER_KICKERS:
            titles.append(blocks[i + 1])
            parts.append(f'<div class="article">\n<h3>{_h(blocks[i])}</h3>\n<h2>{_h(blocks[i + 1])}</h2>')
            i += 2
            while i < len(blocks) and blocks[i] not in _EPAPER_KICKERS:
                parts.append(f"<p>{_h(blocks[i])}</p>")
                i += 1
            parts.append("</div>")
    for n, cap in enumerate(captions[1:], start=2):
        parts.append(f'<figure><img src="p{n}.jpg"><figcaption>{_h(cap)}</figcaption></figure>')
    title_items = "\n".join(f'<li><a href="#a{n}">{_h(t)}</a></li>' for n, t in enumerate(titles))
    page = f"""<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>上党晚报数字报-第03版：安全生产</title>
<script type="text/javascript">function showPage(n) {{ alert("正在加载版面" + n); }}</script>
</head>
<body>
<div id="topNav"><a href="/">数字报首页</a> | <a href="/list">往期回顾</a> |
  <a href="/s">报纸检索</a></div>
<table class="layout" width="100%"><tr>
<td class="left">
  <div class="page-index">
    <h4>版面导航</h4>
    <ul>
      <li><a href="1.htm">第01版：要闻</a></li><li><a href="2.htm">第02版：综合</a></li>
      <li><a href="3.htm">第03版：安全生产</a></li><li><a href="4.htm">第04版：副刊</a></li>
    </ul>
  </div>
</td>
<td class="center">
{chr(10).join(parts)}
</td>
<td class="right">
  <div class="title-list"><h4>本版标题导航</h4><ul>
{title_items}
  </ul></div>
</td>
</tr></table>
<div class="pagination"><a href="2.htm">上一版</a> <a href="4.htm">下一版</a></div>
<div class="copyright">上党晚报社版权所有 未经书面授权不得复制或建立镜像</div>
</body></html>
"""
    junk = [
        "数字报首页",
        "往期回顾",
        "版面导航",
        "第01版",
        "本版标题导航",
        "正在加载",
        "上一版",
        "下一版",
        "版权所有",
        "镜像",
    ]
    return page, paras, junk


def gbk_page(meta: str = '<meta charset="gbk">') -> tuple[str, list[str], list[str]]:
    """(c) A GBK-encoded page (the caller encodes it) declaring its charset."""
    paras = seed_paragraphs("000")[:11]
    body = "\n".join(f"<p>{_h(p)}</p>" for p in paras[2:])
    page = f"""<html><head>{meta}<title>{_h(paras[3])}</title></head>
<body>
<div id="navbar"><a href="/">首页</a> <a href="/pl/">评论频道</a> <a href="/ty/">太原要闻</a></div>
<div id="article">
<h1>{_h(paras[0])}</h1>
<h2>{_h(paras[1])}</h2>
{body}
</div>
<div id="footer">Copyright 太原日报社 版权所有</div>
</body></html>
"""
    return page, paras, ["评论频道", "太原要闻", "版权所有", "Copyright"]


HTML_PAGES: dict[str, tuple[Callable[[], tuple[str, list[str], list[str]]], str]] = {
    "news-site": (news_site_page, "utf-8"),
    "e-paper": (epaper_page, "utf-8"),
    "gbk": (gbk_page, "gbk"),
}


# --------------------------------------------------------------------------- decoding


def _utf16_be_bom(t: str) -> bytes:
    return codecs.BOM_UTF16_BE + t.encode("utf-16-be")


def _gb18030_bom(t: str) -> bytes:
    return "\ufeff".encode("gb18030") + t.encode("gb18030")


ENCODINGS: list[tuple[str, Callable[[str], bytes], str]] = [
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("gb18030", lambda t: t.encode("gb18030"), "gb18030"),
    ("gb18030-bom", _gb18030_bom, "gb18030"),
    ("gbk", lambda t: t.encode("gbk"), "gb18030"),
    ("utf-16", lambda t: t.encode("utf-16"), "utf-16"),
    ("utf-16-be-bom", _utf16_be_bom, "utf-16"),
]


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
@pytest.mark.parametrize(("label", "encode", "expected"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_decodes_seed_in_every_encoding(
    tmp_path: Path, seed: Path, label: str, encode: Callable[[str], bytes], expected: str
) -> None:
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / f"{label}.txt"
    path.write_bytes(encode(text))
    src = read_source(path)
    assert src.text == text
    assert src.encoding == expected
    assert (src.path, src.name, src.format) == (str(path), path.name, "txt")


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
def test_short_gbk_snippet_is_not_mojibake(tmp_path: Path, seed: Path) -> None:
    # The first sentence of the first long paragraph, alone in a file.
    first = next(p for p in seed_paragraphs(seed.stem) if len(p) > 20)
    snippet = first[: first.find("。") + 1 or 30]
    path = tmp_path / "short.txt"
    path.write_bytes(snippet.encode("gbk"))
    src = read_source(path)
    assert (src.text, src.encoding) == (snippet, "gb18030")


# Short GBK lines, for which charset-normalizer alone often guesses cp949, big5, utf_16_be.
SHORT_HEADLINES = [
    "聚焦三大目标 狠抓八项工作",
    "排查电气隐患 强化源头管控",
    "关注县区两会",
    "并州论坛",
    "梁涛",
    "在牛驼寨革命烈士",
    "3月30日，山西",
    "全市「春风行动」",
    "本报记者 付 炎",  # spaced like Korean, but too short to judge by spacing
    # Spaced like Korean: judged by the detector, which names a Chinese codec.
    "策划：王轶 编辑：桂滨 任家兵 图片：田雨 牛子儒 通讯员 设计：高琪",
]


@pytest.mark.parametrize("headline", SHORT_HEADLINES)
def test_short_gbk_headline_is_not_mojibake(tmp_path: Path, headline: str) -> None:
    path = tmp_path / "headline.txt"
    path.write_bytes(headline.encode("gbk"))
    src = read_source(path)
    assert (src.text, src.encoding) == (headline, "gb18030")


def test_gbk_file_cut_inside_a_character_still_decodes(tmp_path: Path) -> None:
    text = seed_paragraphs("003")[4]
    path = tmp_path / "cut.txt"
    path.write_bytes(text.encode("gbk")[:-1])  # the closing 。 loses its second byte
    src = read_source(path)
    assert src.encoding == "gb18030"
    assert src.text == text[:-1] + "\ufffd"


OTHER_CJK = [
    (
        "big5",
        "臺灣地區勞動部今日召開職業安全衛生會議，要求各工廠加強防範工安事故，並確實執行安全檢查。"
        "各縣市政府應於本月底前完成轄區內高風險場所的全面稽查。",
    ),
    (
        "euc-kr",
        "대한민국 정부는 산업 현장의 안전관리 강화를 위해 합동 점검을 시작했다. "
        "모든 사업장을 대상으로 사고 예방 조치를 확인한다.",
    ),
    (
        "shift_jis",
        "労働安全衛生法に基づき、工場の安全点検を実施しました。事故を防ぐため、すべての作業員が参加します。",
    ),
]


@pytest.mark.parametrize(("codec", "text"), OTHER_CJK, ids=[c for c, _ in OTHER_CJK])
def test_other_cjk_codecs_are_not_forced_into_gb18030(tmp_path: Path, codec: str, text: str) -> None:
    path = tmp_path / "other.txt"
    path.write_bytes(text.encode(codec))
    src = read_source(path)
    assert src.text == text
    assert src.encoding != "gb18030"


@pytest.mark.parametrize(("label", "newline"), [("crlf", "\r\n"), ("cr", "\r")])
@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_line_endings_become_lf(tmp_path: Path, label: str, newline: str, codec: str) -> None:
    text = seed_text("003")
    path = tmp_path / f"{label}.txt"
    path.write_bytes(text.replace("\n", newline).encode(codec))
    src = read_source(path)
    assert src.text == text
    assert "\r" not in src.text


def test_full_width_and_ascii_punctuation_are_kept(tmp_path: Path) -> None:
    text = "健全“区—镇街—村(社区)—企业”四级联动监管机制，压紧压实三方责任（试行）; done."
    path = tmp_path / "punct.txt"
    path.write_text(text, encoding="utf-8")
    assert read_source(path).text == text


# --------------------------------------------------------------------------- bad files

_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000010000000100806000000")


def _random_bytes(with_nul: bool) -> bytes:
    data = random.Random(7).randbytes(4096)
    return data if with_nul else data.replace(b"\x00", b"\x01")


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.txt", b"", "file is empty"),
    ("blank.txt", b"  \n\t\r\n  \n", "file is empty"),
    ("fullwidth-blank.txt", "\u3000\u3000\n".encode(), "file is empty"),
    ("bom-only.txt", codecs.BOM_UTF8, "file is empty"),
    ("random.txt", _random_bytes(with_nul=True), "looks like a binary file"),
    ("random-no-nul.txt", _random_bytes(with_nul=False), "looks like a binary file"),
    ("image.png", _PNG + bytes(range(256)), "looks like a binary file"),
    ("renamed-png.txt", _PNG, "looks like a binary file"),
    ("controls.txt", bytes(range(1, 32)) * 64, "looks like a binary file"),  # valid UTF-8
    ("mostly-nul.txt", "安全生产".encode() * 50 + b"\x00" * 30 + b"x" * 100, "looks like a binary"),
    (
        "empty.html",
        b"<html><head><script>var a = 1;</script></head><body></body></html>",
        "holds no article text",
    ),
]


@pytest.mark.parametrize(("name", "data", "problem"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_raises_input_error_naming_it(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert info.value.path == str(path)
    assert str(info.value).startswith(f"{path}: ")
    assert problem in info.value.problem
    assert info.value.fix


def test_directory_and_missing_file_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_source(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.txt")


def test_unreadable_file_raises_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("安全生产", encoding="utf-8")

    real_open = os.open

    def deny(file: object, *args: object, **kwargs: object) -> int:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(InputError, match="permission denied") as info:
        read_source(path)
    assert "chmod" in info.value.fix


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("suffix", [".md", ".markdown"])
def test_markdown_is_kept_as_is(tmp_path: Path, suffix: str) -> None:
    text = seed_text("001")  # has "#" and "##" headings
    path = tmp_path / f"page{suffix}"
    path.write_text(text, encoding="utf-8")
    src = read_source(path)
    assert (src.text, src.format) == (text, "md")


FORMATS = [
    ("page.php", "<!DOCTYPE html>\n<html><body><p>安全生产月</p></body></html>", "html"),
    ("page", "  <html><body><div>安全生产月</div></body></html>", "html"),
    ("saved.asp", "<meta charset=utf-8>\n<div class=c>安全生产月</div>", "html"),
    ("notes.dat", "安全生产月活动启动，<b>不是</b>网页。", "txt"),
    ("UPPER.TXT", "安全生产月", "txt"),
    ("UPPER.HTM", "<p>安全生产月</p>", "html"),
]


@pytest.mark.parametrize(("name", "content", "fmt"), FORMATS, ids=[f[0] for f in FORMATS])
def test_format_by_suffix_or_sniffed(tmp_path: Path, name: str, content: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    src = read_source(path)
    assert src.format == fmt
    if fmt == "html":
        assert src.text == "安全生产月"


def test_large_single_line_file(tmp_path: Path) -> None:
    line = "安全生产月活动在全市启动，各单位开展隐患排查。" * 80_000  # ~5.8 MB of UTF-8
    path = tmp_path / "big.txt"
    path.write_text(line, encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    src = read_source(path)
    assert (len(src.text), src.encoding) == (len(line), "utf-8")
    assert src.text == line


def test_large_single_line_gbk_file(tmp_path: Path) -> None:
    line = "安全生产月活动在全市启动，各单位开展隐患排查。" * 120_000  # ~5.8 MB of GBK
    path = tmp_path / "big-gbk.txt"
    path.write_bytes(line.encode("gbk"))
    src = read_source(path)
    assert (src.text == line, src.encoding) == (True, "gb18030")


# --------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("page", list(HTML_PAGES))
def test_html_page_keeps_article_and_drops_boilerplate(tmp_path: Path, page: str) -> None:
    build, codec = HTML_PAGES[page]
    markup, expected, junk = build()
    path = tmp_path / f"{page}.html"
    path.write_bytes(markup.encode(codec))
    src = read_source(path)
    assert src.format == "html"
    paragraphs = src.text.split("\n\n")
    missing = [p for p in expected if p not in paragraphs]
    assert not missing
    assert [j for j in junk if j in src.text] == []
    assert "&" not in src.text and "<" not in src.text
    # Paragraphs come out in page order.
    positions = [paragraphs.index(p) for p in dict.fromkeys(expected)]
    assert positions == sorted(positions)


def test_news_page_entities_and_inline_markup(tmp_path: Path) -> None:
    markup, expected, _ = news_site_page()
    assert "&ldquo;" in markup
    path = tmp_path / "a.html"
    path.write_text(markup, encoding="utf-8")
    text = read_source(path).text
    quoted = re.findall(r"“[^“”]+”", "\n".join(expected))
    assert quoted and all(q in text for q in quoted)
    assert "  " not in text and "\xa0" not in text


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="gbk">',
        '<meta charset="GB2312">',
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "",
    ],
)
def test_gbk_page_with_any_declaration(tmp_path: Path, meta: str) -> None:
    markup, expected, _ = gbk_page(meta)
    path = tmp_path / "gbk.htm"
    path.write_bytes(markup.encode("gbk"))
    src = read_source(path)
    assert src.encoding == "gb18030"
    assert all(p in src.text.split("\n\n") for p in expected)


HTML_SNIPPETS = [
    ("<p><span>安全</span>\n   <span>生产</span>责任制</p>", "安全生产责任制"),
    ("<p>应急管理局<a href='#'>局长</a>\n  <b>张三</b></p>", "应急管理局局长张三"),
    ("<p>Safety <b>first</b>\n  campaign</p>", "Safety first campaign"),
    ("<p>本报记者 付 炎</p>", "本报记者 付 炎"),
    ("<p>GB&nbsp;6441 标准</p>", "GB 6441 标准"),
    ("<div>第一行。<br>第二行。<br><br>第二段。</div>", "第一行。\n第二行。\n\n第二段。"),
    (
        "<div>　　第一段。<br>　　第二段，<br>续行。<br>&nbsp;&nbsp;第三段。</div>",
        "第一段。\n\n第二段，\n续行。\n\n第三段。",
    ),
    ("<div>导语<p>正文</p>尾注</div>", "导语\n\n正文\n\n尾注"),
    ("<ul><li>排查隐患</li><li>整改落实</li></ul>", "排查隐患\n\n整改落实"),
    (
        "<table><tr><th>单位</th><th>隐患数</th></tr><tr><td>甲公司</td><td>3</td></tr></table>",
        "单位\n\n隐患数\n\n甲公司\n\n3",
    ),
    (
        "<figure><img src=a.jpg alt=图片><figcaption>消防演练现场</figcaption></figure>",
        "消防演练现场",
    ),
    ("<h1>标题</h1><h6>小标题</h6><p>正文</p>", "标题\n\n小标题\n\n正文"),
    (
        "<p>正文</p><noscript>请启用脚本</noscript><template><p>模板</p></template>"
        "<iframe src=x></iframe><svg><text>矢量图</text></svg>",
        "正文",
    ),
    ("<form id=form1><div class=content><p>甲。</p><p>乙。</p></div></form>", "甲。\n\n乙。"),
    ("<div class='page with-sidebar'><p>甲。</p><p>乙。</p></div>", "甲。\n\n乙。"),
    (
        "<article><header><h1>标题</h1></header><p>第一段。</p><p>第二段。</p></article>",
        "标题\n\n第一段。\n\n第二段。",
    ),
    (
        "<header><div>网站标志 设为首页</div></header><p>正文一。</p><p>正文二。</p>"
        "<footer><div>关于我们</div></footer><form><label>搜索</label><input></form>",
        "正文一。\n\n正文二。",
    ),
    ("<p>正文</p><div hidden>隐藏</div><span aria-hidden=TRUE>图标</span>", "正文"),
    # Prose whose names are links (CMS keyword links) is not a link list.
    (
        "<div><p>今年以来，全市开展隐患排查整治，取得明显成效，事故总量持续下降。</p></div>"
        "<div><p>据<a href=#>市应急管理局</a>消息，<a href=#>消防救援支队</a>开展演练。</p></div>",
        "今年以来，全市开展隐患排查整治，取得明显成效，事故总量持续下降。\n\n"
        "据市应急管理局消息，消防救援支队开展演练。",
    ),
    # A long script must not make its (boilerplate) container look like the article.
    (
        "<div class=sidebar><h3>热点排行</h3><div><script>var hot = ['"
        + "新闻标题，" * 200
        + "'];</script></div></div><p>正文一。</p><p>正文二。</p>",
        "正文一。\n\n正文二。",
    ),
    (
        "<p>正文</p><div role=navigation>导航</div><div class=adsbygoogle>广告</div>"
        "<div id=commentList>评论</div><div class=bdshare>分享</div>",
        "正文",
    ),
    ("<p>“隐患就是事故”&mdash;&mdash;理念&hellip;&amp;&lt;&gt;</p>", "“隐患就是事故”——理念…&<>"),
]


@pytest.mark.parametrize(("markup", "text"), HTML_SNIPPETS)
def test_html_blocks_and_inline_text(tmp_path: Path, markup: str, text: str) -> None:
    path = tmp_path / "snippet.html"
    path.write_text(f"<html><body>{markup}</body></html>", encoding="utf-8")
    assert read_source(path).text == text


# --------------------------------------------------------------------------- expansion


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    files = {
        "a.txt": "甲",
        "b.md": "# 乙",
        "c.html": "<p>丙</p>",
        "d.htm": "<p>丁</p>",
        "e.markdown": "戊",
        "notes.json": "{}",
        "README": "no suffix",
        ".hidden.txt": "隐藏",
        ".git/config.txt": "隐藏",
        "sub/f.TXT": "己",
        "sub/deeper/g.txt": "庚",
        "sub/.cache/h.txt": "隐藏",
        "sub/data/table.json": "{}",
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def _rel(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def test_expand_directory_recursively_skipping_hidden(corpus: Path) -> None:
    assert _rel(expand_inputs([str(corpus)]), corpus) == [
        "a.txt",
        "b.md",
        "c.html",
        "d.htm",
        "e.markdown",
        "sub/deeper/g.txt",
        "sub/f.TXT",
    ]


GLOBS = [
    ("*.txt", ["a.txt"]),
    ("**/*.txt", ["a.txt", "sub/deeper/g.txt"]),
    ("*.htm*", ["c.html", "d.htm"]),
    ("sub/*", ["sub/f.TXT"]),
    ("READ?E", ["README"]),
]


@pytest.mark.parametrize(("pattern", "expected"), GLOBS, ids=[g[0] for g in GLOBS])
def test_expand_glob(corpus: Path, pattern: str, expected: list[str]) -> None:
    assert _rel(expand_inputs([f"{corpus}/{pattern}"]), corpus) == expected


def test_expand_sorts_and_removes_duplicates(corpus: Path) -> None:
    inputs = [f"{corpus}/sub/deeper/g.txt", str(corpus), f"{corpus}/*.txt", f"{corpus}/a.txt"]
    paths = expand_inputs(inputs)
    assert _rel(paths, corpus) == _rel(expand_inputs([str(corpus)]), corpus)
    assert paths == sorted(paths, key=str)


def test_expand_literal_file_with_any_suffix(corpus: Path) -> None:
    assert _rel(expand_inputs([f"{corpus}/notes.json"]), corpus) == ["notes.json"]


BAD_INPUTS = [
    ("missing.txt", "no such file or directory"),
    ("missing-dir/", "no such file or directory"),
    ("*.doc", "pattern matched no files"),
    ("**/*.pdf", "pattern matched no files"),
    ("sub/data", "directory holds no .txt, .md or .html files"),
]


@pytest.mark.parametrize(("spec", "problem"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_expand_bad_input(corpus: Path, spec: str, problem: str) -> None:
    full = f"{corpus}/{spec}"
    with pytest.raises(InputError) as info:
        expand_inputs([str(corpus), full])
    assert (info.value.path, info.value.problem) == (full, problem)
    assert info.value.fix


def test_read_sources_collects_errors_and_keeps_good_files(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    text = seed_text("002")
    (folder / "good.txt").write_text(text, encoding="utf-8")
    (folder / "good-gbk.txt").write_bytes(text.encode("gbk"))
    (folder / "photo.txt").write_bytes(_PNG)
    missing = str(tmp_path / "nope.txt")
    sources, errors = read_sources([str(folder), missing])
    assert [(s.name, s.encoding) for s in sources] == [
        ("good-gbk.txt", "gb18030"),
        ("good.txt", "utf-8"),
    ]
    assert all(s.text == text for s in sources)
    assert sorted((e.path, e.problem) for e in errors) == sorted(
        [
            (str(folder / "photo.txt"), "looks like a binary file, not text"),
            (missing, "no such file or directory"),
        ]
    )


# --------------------------------------------------------------------------- issue 10


@pytest.mark.parametrize("seed", SEED_FILES[:2], ids=lambda p: p.stem[:3])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(tmp_path: Path, seed: Path, codec: str) -> None:
    """The README promises UTF-16; without a BOM it was called binary (its ASCII has NULs)."""
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode(codec))
    src = read_source(path)
    assert (src.text, src.encoding) == (text, "utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_a_bom_and_without_nul_bytes_is_read(tmp_path: Path, codec: str) -> None:
    text = "长子县应急管理局开展危险化学品企业安全检查，扎实推进“春夏九防·敲门行动”。" * 3
    text = "".join(c for c in text if b"\x00" not in c.encode(codec))  # 开 is U+5F00 …
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode(codec))
    assert b"\x00" not in path.read_bytes()
    assert read_source(path).text == text


@pytest.mark.parametrize("where", [0, 61, -1])
def test_a_nul_byte_does_not_reject_the_page(tmp_path: Path, where: int) -> None:
    """One NUL (a damaged copy) becomes U+FFFD, one character for one: every offset is
    still that of the decoded file, so evidence stays a verbatim slice at its offsets."""
    from kg.pipeline import extract_source

    text = seed_text("004")
    k = where % len(text)
    path = tmp_path / "page.txt"
    path.write_bytes(text[:k].encode() + b"\x00" + text[k:].encode())
    src = read_source(path)
    assert src.text == text[:k] + "\ufffd" + text[k:]
    result = extract_source(src)
    assert len(result.relations) > 10
    for rel in result.relations:
        for ev in rel.evidence:
            assert unbroken(src.text[ev.start : ev.end]) == ev.text
    for m in result.mentions:
        assert src.text[m.start : m.end].replace("\n", "") == m.text.replace("\n", "")


DISPLAY = [
    ("page.txt", "page.txt"),
    ("中文名.txt", "中文名.txt"),
    ("a page (1).txt", "a page (1).txt"),
    (os.fsdecode("中文名.txt".encode("gbk")), "\\xd6\\xd0\\xce\\xc4\\xc3\\xfb.txt"),
    ("forged\nkg: error: x.txt", "forged\\nkg: error: x.txt"),
    ("\x1b[31mred.txt", "\\x1b[31mred.txt"),
    ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
    ("tab\there", "tab\\there"),
    ("back\\slash", "back\\\\slash"),
    ("\u2028line", "\\u2028line"),
]


@pytest.mark.parametrize(("raw", "shown"), DISPLAY, ids=[d[1] for d in DISPLAY])
def test_names_are_shown_escaped_on_one_line(raw: str, shown: str) -> None:
    assert display_path(raw) == shown
    assert shown.isprintable() and shown.encode("utf-8")


def test_a_file_with_a_gbk_name_is_read_and_named_safely(tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), "中文名.txt".encode("gbk"))
    with open(raw, "wb") as fh:
        fh.write(seed_text("004").encode())
    (src,), errors = read_sources([str(tmp_path)])
    assert not errors
    assert src.name == "\\xd6\\xd0\\xce\\xc4\\xc3\\xfb.txt"
    assert src.path.endswith(src.name) and src.path.encode("utf-8")


SIZES = [
    ("20MB", 20_000_000),
    ("1.5 GB", 1_500_000_000),
    ("500k", 500_000),
    ("1000", 1000),
    ("3mb", 3_000_000),
]


@pytest.mark.parametrize(("text", "n"), SIZES)
def test_sizes_parse_and_print(text: str, n: int) -> None:
    assert parse_size(text) == n
    assert parse_size(format_size(n)) == n


def test_a_page_over_the_size_limit_is_refused_naming_the_limit_and_the_option(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("安全生产。" * 1000, encoding="utf-8")  # 15 kB
    with pytest.raises(InputError) as info:
        read_source(path, max_bytes=10_000)
    assert "15 kB" in info.value.problem and "10 kB limit" in info.value.problem
    assert "--max-file-size" in info.value.fix
    with file_size_limit(10_000), pytest.raises(InputError, match="limit"):
        read_source(path)
    assert read_source(path, max_bytes=20_000).text.startswith("安全生产")


@pytest.fixture
def alarm() -> object:
    """Fail instead of hanging: reading a FIFO blocks forever."""

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("read_source blocked")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _sock(path: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()


SPECIAL = [
    ("fifo.txt", lambda p: os.mkfifo(p), "is a FIFO (named pipe), not a regular file"),
    ("zero.txt", lambda p: os.symlink("/dev/zero", p), "is a character device (through a symbolic link)"),
    ("sock.txt", _sock, "is a socket, not a regular file"),
    ("broken.txt", lambda p: os.symlink("nowhere.txt", p), "is a broken symbolic link"),
]


@pytest.mark.parametrize(("name", "make", "problem"), SPECIAL, ids=[s[0] for s in SPECIAL])
def test_files_that_are_not_regular_files_are_refused_without_reading(
    tmp_path: Path, alarm: object, name: str, make: Callable[[Path], None], problem: str
) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert problem in info.value.problem
    sources, errors = read_sources([str(tmp_path)])
    assert not sources and [e.problem for e in errors] == [info.value.problem]


def test_a_linked_folder_is_reported_not_skipped_silently(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text(seed_text("004"), encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "b.txt").write_text(seed_text("003"), encoding="utf-8")
    os.symlink(tmp_path / "other", tmp_path / "pages" / "linked")
    sources, errors = read_sources([str(tmp_path / "pages")])
    assert [s.name for s in sources] == ["a.txt"]
    assert [(e.path, e.problem) for e in errors] == [
        (str(tmp_path / "pages" / "linked"), "is a link to a folder, which is not followed")
    ]


@pytest.mark.parametrize("tag", ["div", "section", "ul"])
def test_html_nested_200000_deep_reads_as_the_flat_page(tag: str) -> None:
    """The parser is quadratic in the nesting depth of block elements (205 s at 200,000):
    what lies deeper than a real page does is flattened first, text kept."""
    body = "<p>长子县紧盯煤矿、危化品等重点行业。</p><p>扎实推进“春夏九防·敲门行动”。</p>"
    deep = f"<html><body>{f'<{tag}>' * 200_000}{body}{f'</{tag}>' * 200_000}</body></html>"
    assert html_to_text(deep) == html_to_text(f"<html><body>{body}</body></html>")


def test_shallow_html_is_parsed_unchanged() -> None:
    from kg.ingest.html import _flatten_deep

    page = "<div>" * 300 + "<p>安全</p>" + "</div>" * 300 + "<script>'<div>'.repeat(9999)</script>"
    assert _flatten_deep(page) == page


def test_control_characters_read_as_replacement_characters(tmp_path: Path) -> None:
    """No text holds C0/C1 controls and XML cannot carry them (GraphML was invalid): each
    reads as U+FFFD, a vertical tab or form feed as a line break, one for one."""
    text = seed_text("004")
    damaged = text[:50] + "\x1b[31m" + text[50:90] + "\x07\x0c\x85" + text[90:]
    path = tmp_path / "page.txt"
    path.write_text(damaged, encoding="utf-8")
    src = read_source(path)
    assert src.text == text[:50] + "\ufffd[31m" + text[50:90] + "\ufffd\n\ufffd" + text[90:]


# -- what an HTML page says about itself: its date and publisher ---------------------------------

_BODY = "<body><h1>长子县开展隐患排查</h1><p>长子县紧盯煤矿、危化品等重点行业开展隐患排查整治。</p></body>"


@pytest.mark.parametrize(
    ("head", "date", "publisher"),
    [
        # Open Graph / schema.org
        (
            '<meta property="article:published_time" content="2025-03-30T08:15:00+08:00">'
            '<meta property="og:site_name" content="长治新闻网">',
            "2025-03-30T08:15:00+08:00",
            "长治新闻网",
        ),
        # the Chinese government-site standard: PubDate, ContentSource (来源) beats SiteName
        (
            '<meta name="SiteName" content="长子县人民政府"><meta name="PubDate" content="2024-11-15 10:20">'
            '<meta name="ContentSource" content="长子县应急管理局">',
            "2024-11-15 10:20",
            "长子县应急管理局",
        ),
        # a date name that holds no date is passed over; a publisher that is a URL is no name
        (
            '<meta name="date" content="今天"><meta name="pubdate" content="2025/6/6">'
            '<meta property="article:publisher" content="https://www.facebook.com/x">',
            "2025/6/6",
            None,
        ),
        ("", None, None),
    ],
    ids=["open-graph", "gov-site", "junk", "none"],
)
def test_html_metadata_gives_the_page_date_and_publisher(
    tmp_path: Path, head: str, date: str | None, publisher: str | None
) -> None:
    path = tmp_path / "page.html"
    path.write_text(f"<!DOCTYPE html><html><head>{head}</head>{_BODY}</html>", encoding="utf-8")
    src = read_source(path)
    assert (src.date, src.publisher) == (date, publisher)
    assert "隐患排查整治" in src.text and "长治新闻网" not in src.text


def test_an_html_articles_date_and_publisher_come_from_its_metadata(tmp_path: Path) -> None:
    from kg.pipeline import extract_paths

    head = '<meta name="PubDate" content="2025-03-31"><meta name="ContentSource" content="长子县应急管理局">'
    body = "<body><h1>长子县开展隐患排查</h1><p>3月30日，长子县紧盯煤矿开展隐患排查整治。</p></body>"
    (tmp_path / "page.html").write_text(f"<html><head>{head}</head>{body}</html>", encoding="utf-8")
    (art,) = extract_paths([str(tmp_path)]).files[0].articles
    assert (art.date, art.publisher) == ("2025-03-30", "长子县应急管理局")  # 3月30日 of the page's year
