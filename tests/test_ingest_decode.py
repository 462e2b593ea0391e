"""kg.ingest.decode: bytes → text, the encoding found from the bytes (made-up sentences)."""

from __future__ import annotations

import codecs

import pytest

from kg.errors import InputError
from kg.ingest.decode import decode, without_controls

TEXT = "长治市应急管理局开展安全生产检查，排查隐患十二处。\n"


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),  # with its BOM
        (("Safety 2025\n" + TEXT).encode("utf-16-le"), "utf-16"),  # no BOM: the NULs of ASCII tell
    ],
    ids=["utf-8", "bom", "gbk", "utf-16", "utf-16-le"],
)
def test_decode_finds_the_encoding_from_the_bytes(data: bytes, codec: str) -> None:
    text, name = decode(data, "page.txt")
    assert TEXT in text and name == codec


def test_a_declared_chinese_charset_settles_a_short_gbk_page() -> None:
    html = '<meta charset="gb2312"><p>应急演练</p>'.encode("gbk")
    assert decode(html, "page.html") == ('<meta charset="gb2312"><p>应急演练</p>', "gb18030")


def test_a_binary_file_is_an_input_error_naming_it() -> None:
    with pytest.raises(InputError, match=r"page\.txt.*binary"):
        decode(bytes(range(256)) * 64, "page.txt")


def test_a_stray_nul_reads_as_one_replacement_character() -> None:
    data = TEXT.encode("utf-8").replace("，".encode(), b"\x00")
    text, _ = decode(data, "page.txt")
    assert len(text) == len(TEXT) and text.count("\ufffd") == 1


def test_without_controls_keeps_offsets() -> None:
    raw = "第一段\x1b[31m\x0b第二段\r\n"
    out = without_controls(raw)
    assert len(out) == len(raw)
    assert "\x1b" not in out and "\x0b" not in out and out.endswith("第二段\r\n")
