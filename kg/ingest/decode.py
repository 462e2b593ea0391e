"""Bytes → text: the encoding is found from the bytes, not the file name.

Decoding tries, in order: a byte-order mark; strict UTF-8 (never wrong when it succeeds);
GB18030 (the superset of GB2312 and GBK) when an HTML ``<meta>`` declares a Chinese charset
or the decoded text passes a sanity check (mostly common hanzi); UTF-16 without a BOM; then
charset-normalizer, whose guesses for short GBK text are often Korean or UTF-16, which is
why the sanity check comes first. Text that is mostly control or replacement characters is
a binary file.
"""

from __future__ import annotations

import codecs
import re

from kg.errors import InputError
from kg.text import rx as _rx

_FIX_BINARY = "pass .txt, .md or .html article pages"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Codecs the detector may name for Chinese text; all decoded as GB18030 (their superset).
_CHINESE_CODECS = frozenset({"gb2312", "gbk", "gb18030"})  # as codecs.lookup() names them
_META_CHARSET = rb"""(?i)<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)"""

_SAMPLE = 65536  # characters examined by the sanity checks (keeps them O(1) per file)
_IDEOGRAPH = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_CJK_PUNCT = r"[\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]"
_SPACED_HANZI = r"[\u4e00-\u9fff] (?=[\u4e00-\u9fff])"
_NON_ASCII_VISIBLE = r"[^\x00-\x7f\s]"
#: Characters that do not occur in text: C0/C1 controls (except tab, LF, FF, CR), DEL,
#: the replacement character and the private-use area.
_BAD_CHAR = r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]"
_MAX_BAD_SHARE = 0.05
#: What UTF-16 text is made of: ASCII text, CJK ideographs and punctuation, full-width forms.
_UTF16_PLAIN = (
    r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2010-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff"
    r"\uff00-\uffef\ufffd]"
)
#: Characters no text holds and XML cannot carry (C0 and C1 controls but tab, line feed and
#: carriage return; DEL; U+FFFE, U+FFFF): a few in a page (an ANSI colour code, a stray
#: control from a bad copy) read as U+FFFD, and a vertical tab or form feed as a line
#: break, one character for one, so offsets stay those of the decoded file and every
#: output (GraphML, TriG, HTML) stays well-formed.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"
#: NUL bytes in a page of text are damage (a bad copy, a truncated download): a few are
#: read as U+FFFD, one for one, so offsets stay those of the decoded file; more than this
#: share of the bytes means a binary file.
_MAX_NUL_SHARE = 0.01


def decode(data: bytes, shown: str) -> tuple[str, str]:
    """Decode *data*; return ``(text, normalised codec name)``."""
    for bom, name in _BOMS:
        if data.startswith(bom):  # these codecs read and strip the BOM themselves
            return _checked(data.decode(name, errors="replace"), shown), name
    nuls = data.count(b"\x00")
    if nuls:
        # UTF-16 without a BOM: ASCII (digits, Latin letters, line ends) gives a NUL byte
        # per character
        utf16 = _decode_utf16(data)
        if utf16 is not None:
            return _checked(utf16[0], shown), utf16[1]
        if nuls > max(1, _MAX_NUL_SHARE * len(data)):
            raise InputError(shown, "looks like a binary file, not text", _FIX_BINARY)
    try:
        return _checked(data.decode("utf-8"), shown), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a damaged byte or two (a cut-off last character, one bad byte)
    u8 = data.decode("utf-8", errors="replace")
    if u8.count("\ufffd") <= max(1, len(u8) // 1000):
        return _checked(u8, shown), "utf-8"

    # A GBK/GB18030 page: the codec's own strictness plus a plausibility check settle it
    # (and cost far less than the detector, ~50 ms per MB).
    gb = _decode_gb18030(data)
    if gb is not None and (_declared_charset(data) in _CHINESE_CODECS or _looks_chinese(gb)):
        return _checked(gb, shown), "gb18030"
    utf16 = _decode_utf16(data)  # Chinese UTF-16 without a BOM has no NUL byte at all
    if utf16 is not None:
        return _checked(utf16[0], shown), utf16[1]

    from charset_normalizer import from_bytes  # heavy: imported on the first such file

    best = from_bytes(data).best()
    guess = _codec_name(best.encoding) if best is not None else None
    if best is None or guess is None:
        raise InputError(shown, "looks like a binary file, not text", _FIX_BINARY)
    if guess in _CHINESE_CODECS and gb is not None:
        return _checked(gb, shown), "gb18030"  # GB18030 is the superset: never mojibake
    return _checked(str(best), shown), guess


def _decode_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark, little- or big-endian, or None.

    The bytes must decode strictly (no unpaired surrogate) into what a page is made of:
    ASCII text, common hanzi and CJK punctuation. Other bytes read as UTF-16 give rare
    hanzi, Hangul, private-use or control characters, and fail."""
    if len(data) < 4:
        return None
    body = data if len(data) % 2 == 0 else data[:-1]  # a cut-off last byte
    best: tuple[float, str, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        sample = text[:_SAMPLE]
        plain = len(_rx(_UTF16_PLAIN).findall(sample))
        score = plain / len(sample)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is None or best[0] < 0.95:
        return None
    score, text, codec = best
    hanzi = "".join(_rx(_IDEOGRAPH).findall(text[:_SAMPLE]))
    if hanzi and hanzi.encode("gb2312", errors="replace").count(b"?") > 0.2 * len(hanzi):
        return None  # mostly rare hanzi: not Chinese text
    return text.replace("\x00", "\ufffd"), "utf-16"


def _codec_name(name: str) -> str | None:
    """Python's canonical codec name (``"utf-8"``, ``"gb18030"``, ``"big5"``…)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` declares in the first 4 KB, if any."""
    m = re.search(_META_CHARSET, data[:4096])
    return _codec_name(m.group(1).decode("ascii", "replace")) if m else None


def _decode_gb18030(data: bytes) -> str | None:
    """GB18030 text, tolerating a few damaged bytes (e.g. a cut-off last character)."""
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    text = data.decode("gb18030", errors="replace")
    bad = text.count("\ufffd")
    return text if bad <= max(2, len(text) // 1000) else None


def _looks_chinese(text: str) -> bool:
    """Whether *text* reads as Chinese: its non-ASCII characters are mostly common hanzi.

    Guards against reading another codec's bytes as GB18030, which rarely fails outright:
    Big5 or Shift_JIS bytes give rare hanzi outside GB2312, EUC-JP gives kana, EUC-KR
    gives common hanzi but with a space every few characters (Korean spaces its words:
    over 0.25 spaces per syllable, against under 0.01 in the seed pages).
    """
    sample = text[:_SAMPLE]
    visible = len(_rx(_NON_ASCII_VISIBLE).findall(sample))
    hanzi = "".join(_rx(_IDEOGRAPH).findall(sample))
    if not hanzi:
        return False
    cjk_share = (len(hanzi) + len(_rx(_CJK_PUNCT).findall(sample))) / visible
    uncommon = hanzi.encode("gb2312", errors="replace").count(b"?")
    spaced = len(_rx(_SPACED_HANZI).findall(sample))
    spaced_ok = len(hanzi) < 20 or spaced <= 0.15 * len(hanzi)  # a headline may have one
    return cjk_share >= 0.8 and uncommon <= 0.2 * len(hanzi) and spaced_ok


def _checked(text: str, shown: str) -> str:
    """Reject decoded text that is mostly control or replacement characters (binary)."""
    if text.startswith("\ufeff"):  # a BOM kept by codecs that do not strip it (GB18030)
        text = text[1:]
    sample = text[:_SAMPLE]
    if sample and len(_rx(_BAD_CHAR).findall(sample)) > _MAX_BAD_SHARE * len(sample):
        raise InputError(shown, "looks like a binary file, not text", _FIX_BINARY)
    # a stray NUL is damage, not text: U+FFFD takes its place (as HTML parsers do), one
    # character for one, so every offset stays that of the decoded file
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def without_controls(text: str) -> str:
    """*text* with the control characters no text holds read as U+FFFD (a vertical tab or
    form feed as a line break), one character for one."""
    if _rx(_CONTROL).search(text):
        text = _rx(_CONTROL).sub(_replace_control, text)
    return text


def _replace_control(m: re.Match[str]) -> str:
    return "\n" if m.group() in "\x0b\x0c" else "\ufffd"
