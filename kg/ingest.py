"""Ingest: files, directories or glob patterns → decoded :class:`SourceText` records.

Decoding tries, in order: a byte-order mark; strict UTF-8 (never wrong when it succeeds);
GB18030 (the superset of GB2312 and GBK) when an HTML ``<meta>`` declares a Chinese charset
or the decoded text passes a sanity check (mostly common hanzi); then charset-normalizer,
whose guesses for short GBK text are often Korean or UTF-16, which is why the sanity check
comes first. Line endings become ``"\\n"``.
HTML pages are reduced to their article text: boilerplate (scripts, menus, breadcrumbs,
sidebars, footers…) is dropped and each block (heading, paragraph, list item, caption,
table cell) becomes a paragraph, paragraphs separated by a blank line.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
import re
import stat
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from glob import glob
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.model import SourceText

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "MAX_FILE_SIZE_OPTION",
    "TEXT_SUFFIXES",
    "display_path",
    "expand_inputs",
    "format_size",
    "html_to_text",
    "max_file_size",
    "parse_size",
    "read_file_bytes",
    "read_source",
    "read_sources",
]

#: Suffixes picked up when a directory is given as input.
TEXT_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})

_FORMAT_BY_SUFFIX = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}

_FIX_PATH = "check the path (quote glob patterns so the shell does not expand them)"
_FIX_BINARY = "pass .txt, .md or .html article pages"
_FIX_EMPTY = "pass a file that holds the article text"

_GLOB_CHARS = r"[*?\[]"
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

#: Pages larger than this are refused up front (before they are read): one newspaper page
#: is tens of kilobytes, and a build holds a page's text, tokens and graph in memory
#: (about 260 MB of peak memory per MB of dense text; a 50 MB page would need 13 GB).
DEFAULT_MAX_FILE_SIZE = 10_000_000
#: The command-line option that raises it (named in the message of a refused page).
MAX_FILE_SIZE_OPTION = "--max-file-size"
_max_file_size: ContextVar[int] = ContextVar("max_file_size", default=DEFAULT_MAX_FILE_SIZE)

#: Characters a path is never printed with: C0/C1 controls (a newline or an ANSI escape
#: in a file name must not forge a message line), DEL, line and paragraph separators,
#: bidirectional and zero-width format characters, and lone surrogates (the bytes of a
#: name that is not UTF-8, e.g. GBK names from Chinese Windows archives). The backslash
#: is escaped too, so the escaped form reads back unambiguously.
_UNPRINTABLE = r"[\x00-\x1f\x7f-\x9f\\\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    """*pattern*, compiled on first use: regular expressions stay strings at module level,
    as the wide Unicode ranges take ~8 ms each to compile (no work at import time)."""
    return re.compile(pattern)


# --------------------------------------------------------------------------- names and limits


def display_path(path: str | os.PathLike[str]) -> str:
    """*path* as messages and outputs show it: printable, on one line, valid Unicode.

    A file name is bytes on Linux; one that is not UTF-8 (GBK names from Chinese Windows
    archives) arrives as lone surrogates, which no UTF-8 output can hold. Those bytes are
    shown as ``\\xd6``, control and format characters as ``\\n``, ``\\x1b``, ``\\u202e``, a
    backslash as ``\\\\``: a name cannot forge a message line or reorder the text around it.
    """

    def escape(m: re.Match[str]) -> str:
        c = m.group()
        if c in _ESCAPES:
            return _ESCAPES[c]
        o = ord(c)
        if 0xDC80 <= o <= 0xDCFF:  # an undecodable byte (surrogateescape)
            return f"\\x{o - 0xDC00:02x}"
        return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"

    return _rx(_UNPRINTABLE).sub(escape, os.fspath(path))


def parse_size(text: str) -> int:
    """Bytes of a size such as ``20MB``, ``1.5 GB``, ``500k`` or ``1000000`` (decimal units)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text, re.IGNORECASE)
    if m is None:
        raise ValueError(f"{text!r} is not a size (write e.g. 20MB, 1.5GB or 500000)")
    scale = 1000 ** " kmgt".index(m.group(2).lower() or " ")
    return int(float(m.group(1)) * scale)


def format_size(n: int) -> str:
    """A byte count for people: ``20 MB``, ``1.5 GB``, ``900 bytes``."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def max_file_size() -> int:
    """The size above which a page is refused (:data:`DEFAULT_MAX_FILE_SIZE` unless set)."""
    return _max_file_size.get()


@contextlib.contextmanager
def file_size_limit(limit: int | None) -> Iterator[None]:
    """Within the block, pages above *limit* bytes are refused (``None``: the default).

    How the CLI's ``--max-file-size`` reaches every reader (``kg build``, ``kg eval`` …)
    without threading an argument through each layer in between."""
    token = _max_file_size.set(DEFAULT_MAX_FILE_SIZE if limit is None else limit)
    try:
        yield
    finally:
        _max_file_size.reset(token)


# --------------------------------------------------------------------------- expansion


def expand_inputs(inputs: Sequence[str]) -> list[Path]:
    """Expand files, directories and glob patterns into a sorted, de-duplicated file list.

    Directories are searched recursively for ``.txt .md .markdown .html .htm`` files,
    skipping hidden files and directories. A glob pattern (``**`` allowed) contributes
    the paths it matches that are not directories, whatever their suffix. Raises
    :class:`InputError` for a path that does not exist or a pattern that matches no file;
    folders that cannot be read on the way are left out (:func:`read_sources` reports them).
    """
    found: list[Path] = []
    for spec in inputs:
        files, _errors = _expand_one(spec, raise_=True)
        found.extend(files)
    return _unique_sorted(found)


def _expand_one(spec: str, raise_: bool = False) -> tuple[list[Path], list[InputError]]:
    """The files of one input, and the errors met on the way (a bad *spec* itself raises
    when ``raise_``, else it is the one error)."""
    shown = display_path(spec)
    errors: list[InputError] = []

    def fail(problem: str, fix: str) -> tuple[list[Path], list[InputError]]:
        err = InputError(shown, problem, fix)
        if raise_:
            raise err
        return [], [err]

    path = Path(spec)
    try:
        st = os.stat(spec)
    except FileNotFoundError:
        st = None
    except PermissionError:
        return fail("permission denied on a folder in its path", "make the folder searchable (chmod +x)")
    except OSError as exc:  # a link loop, a name too long, a file used as a folder
        return fail(f"cannot be read ({exc.strerror or exc})", _FIX_PATH)
    if st is not None and stat.S_ISDIR(st.st_mode):
        files = list(_walk(path, errors))
        if not files and not errors:
            return fail(
                "directory holds no .txt, .md or .html files",
                "point at the folder that holds the article pages",
            )
        return files, errors
    if st is not None or os.path.islink(spec):
        return [path], errors  # read_source reports what is not a readable page
    if _rx(_GLOB_CHARS).search(spec):
        files = [Path(m) for m in glob(spec, recursive=True) if not os.path.isdir(m)]
        if not files:
            return fail("pattern matched no files", _FIX_PATH)
        return files, errors
    return fail("no such file or directory", _FIX_PATH)


def _walk(root: Path, errors: list[InputError]) -> Iterator[Path]:
    """The page files under *root*; folders that cannot be read and links to folders
    (not followed: a link may lead out of the tree or round in a loop) go to *errors*."""

    def unreadable(exc: OSError) -> None:
        where = display_path(exc.filename if exc.filename is not None else root)
        if isinstance(exc, PermissionError):
            problem = "folder cannot be read (permission denied)"
        else:
            problem = f"folder cannot be read ({exc.strerror or exc})"
        errors.append(InputError(where, problem, "make it readable (chmod +rx) or leave it out"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        base = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            if os.path.islink(base / d):
                errors.append(
                    InputError(
                        display_path(base / d),
                        "is a link to a folder, which is not followed",
                        "pass the folder it points to as an input to read the pages in it",
                    )
                )
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in filenames:
            if not name.startswith(".") and Path(name).suffix.lower() in TEXT_SUFFIXES:
                yield base / name


def _unique_sorted(paths: list[Path]) -> list[Path]:
    seen: set[str] = set()
    out: list[Path] = []
    for p in sorted(paths, key=str):
        try:
            key = os.path.realpath(p)
        except OSError:  # a link loop: kept, and reported when read
            key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# --------------------------------------------------------------------------- reading


def read_sources(
    inputs: Sequence[str], max_bytes: int | None = None
) -> tuple[list[SourceText], list[InputError]]:
    """Expand *inputs* and read every file, collecting per-file errors instead of raising.

    Every path that is not read is reported: missing inputs, folders that cannot be read,
    links to folders, non-regular files, pages over *max_bytes* (default
    :func:`max_file_size`), empty or binary files.
    """
    errors: list[InputError] = []
    paths: list[Path] = []
    for spec in inputs:
        files, errs = _expand_one(spec)
        paths.extend(files)
        errors.extend(errs)
    sources: list[SourceText] = []
    for path in _unique_sorted(paths):
        try:
            sources.append(read_source(path, max_bytes=max_bytes))
        except InputError as exc:
            errors.append(exc)
    return sources, errors


def read_source(path: Path | str, max_bytes: int | None = None) -> SourceText:
    """Read and decode one file; HTML is reduced to its article text.

    Raises :class:`InputError` (naming the file and a fix) when the file cannot be read,
    is not a regular file (a FIFO, a device, a socket), is larger than *max_bytes*
    (default :func:`max_file_size`), is empty, or looks binary. The path and name in the
    result and in errors are escaped for display (:func:`display_path`).
    """
    shown = display_path(path)
    p = Path(path)
    data = _read_bytes(p, shown, max_file_size() if max_bytes is None else max_bytes)
    if not data:
        raise InputError(shown, "file is empty", _FIX_EMPTY)
    text, encoding = _decode(data, shown)
    if not text.strip():
        raise InputError(shown, "file is empty", _FIX_EMPTY)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = _FORMAT_BY_SUFFIX.get(p.suffix.lower()) or _sniff_format(text)
    if fmt == "html":
        text = html_to_text(text)
        if not text.strip():
            raise InputError(
                shown,
                "HTML page holds no article text",
                "save the page after it has loaded, or pass its text as .txt",
            )
    if _rx(_CONTROL).search(text):
        text = _rx(_CONTROL).sub(_replace_control, text)
    return SourceText(path=shown, name=display_path(p.name), text=text, encoding=encoding, format=fmt)


def _replace_control(m: re.Match[str]) -> str:
    return "\n" if m.group() in "\x0b\x0c" else "\ufffd"


def read_file_bytes(path: Path | str, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file (any other kind, or one over *max_bytes*, default
    :func:`max_file_size`, raises :class:`InputError` without being read): for the
    other files the commands read, such as a gold JSONL."""
    return _read_bytes(Path(path), display_path(path), max_file_size() if max_bytes is None else max_bytes)


_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def _read_bytes(p: Path, shown: str, limit: int) -> bytes:
    """The bytes of a regular file of at most *limit* bytes.

    The file is looked at before it is read (a FIFO would block forever, /dev/zero never
    ends, a 50 MB page would not fit a build in memory), then opened without blocking and
    looked at again, so what is read is what was checked."""
    try:
        st = os.stat(p)
        _check_regular(st, p, shown, limit)
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(exc, p, shown) from None
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            _check_regular(st, p, shown, limit)
            chunks = [fh.read(st.st_size + 1)]
            n = len(chunks[0])
            while n <= limit and n > st.st_size:  # it grew while being read
                chunk = fh.read(min(1 << 20, limit + 1 - n))
                if not chunk:
                    break
                chunks.append(chunk)
                n += len(chunk)
        except OSError as exc:
            raise _os_error(exc, p, shown) from None
    if n > limit:
        raise _too_large(shown, n, limit)
    return b"".join(chunks) if len(chunks) > 1 else chunks[0]


def _check_regular(st: os.stat_result, p: Path, shown: str, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise InputError(
            shown,
            "is a directory, not a file",
            "pass the directory as an input to read the article pages in it",
        )
    if not stat.S_ISREG(st.st_mode):
        via = " (through a symbolic link)" if p.is_symlink() else ""
        raise InputError(
            shown, f"is {_kind(st.st_mode)}{via}, not a regular file", "pass the saved article page itself"
        )
    if st.st_size > limit:
        raise _too_large(shown, st.st_size, limit)


def _too_large(shown: str, size: int, limit: int) -> InputError:
    return InputError(
        shown,
        f"is {format_size(size)}, over the {format_size(limit)} limit for one page",
        f"split it into pages, or raise the limit with {MAX_FILE_SIZE_OPTION} "
        f"(e.g. {MAX_FILE_SIZE_OPTION} {format_size(size * 2).replace(' ', '')})",
    )


def _os_error(exc: OSError, p: Path, shown: str) -> InputError:
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(p):
            return InputError(shown, "is a broken symbolic link", "point the link at the page, or remove it")
        return InputError(shown, "no such file or directory", _FIX_PATH)
    if isinstance(exc, IsADirectoryError):
        return InputError(
            shown,
            "is a directory, not a file",
            "pass the directory as an input to read the article pages in it",
        )
    if isinstance(exc, PermissionError):
        return InputError(shown, "permission denied", "make the file readable (chmod +r) or copy it")
    return InputError(shown, f"cannot be read ({exc.strerror or exc})", "check the file and the disk")


def _sniff_format(text: str) -> str:
    head = text[:2048].lstrip("\ufeff \t\n").lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(?:p|div)[\s>]", head):
        return "html"
    return "txt"


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes, shown: str) -> tuple[str, str]:
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


# --------------------------------------------------------------------------- HTML

#: Elements dropped with everything in them.
_DROP_TAGS = frozenset(
    {
        "head", "script", "style", "noscript", "template", "nav", "aside", "iframe", "frame",
        "frameset", "svg", "math", "object", "embed", "canvas", "video", "audio", "map",
        "select", "button", "input", "textarea", "dialog", "title", "link", "meta",
    }
)  # fmt: skip
#: Elements dropped unless they hold the article (a page-wide ``<form>`` is common).
_SOFT_DROP_TAGS = frozenset({"header", "footer", "form"})
#: Lists, tables and containers dropped when (nearly) all their text is links.
_LINK_BLOCK_TAGS = frozenset({"ul", "ol", "dl", "table", "td", "div", "section"})
#: class/id words that clearly mark boilerplate: navigation, menus, breadcrumbs, ads,
#: comments, share bars, copyright, sidebars, footers (some in pinyin: daohang 导航,
#: weizhi 当前位置, banquan 版权). Whole words of the attribute (split on - _ space and
#: camelCase), or anywhere for the long unambiguous ones.
_BOILERPLATE_WORD = (
    r"(?i)(?:^|[\s_-])(?:nav|navi|menu|menus|submenu|crumb|crumbs|ad|ads|adv|advert|comment|"
    r"comments|share|sharing|social|foot|footer|copyright|banquan|daohang|weizhi|sidebar|"
    r"topbar|toolbar|pagination|related)(?=$|[\s_\d-])"
    r"|breadcrumb|copyright|navbar|navigation|sidebar|advertis|adsbygoogle|sharebar|share-bar"
    r"|bdshare"
)
_CAMEL = r"(?<=[a-z])(?=[A-Z])"
_BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hgroup", "hr", "html", "legend", "li", "main", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_INDENT = r"[ \t\n]*[\u3000\xa0]{2}"
_SENTENCE_PUNCT = r"[，。；！？、,.;!?]"
_BR = "\x00"  # stands for <br> inside a block (HTML parsing never yields a NUL)
_HTML_SPACE = r"[ \t\n\r\f\xa0]+"
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014\u2018\u2019\u201c\u201d\u2026"
_CJK_LINE_BREAK = rf"(?<=[{_CJK}])[ \t\f\xa0]*\n[ \t\n\f\xa0]*(?=[{_CJK}])"


#: Deepest element nesting kept. Real pages nest a few dozen deep; the HTML tree builder
#: looks down the stack of open elements at each block start tag (is a <p> open?), so
#: 200,000 nested <div> cost minutes. Elements past this depth are dropped (their text
#: stays, in the element above them).
_MAX_DEPTH = 512
_TAG = r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:\s[^>]*)?>|<!--.*?-->"
#: Elements that hold no others, or that the parser closes by itself when the next one
#: opens (a run of <p> or <li> without end tags is flat, not deep).
_FLAT_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt",
        "rp", "rtc", "tbody", "thead", "tfoot", "colgroup", "caption", "html", "head", "body",
    }
)  # fmt: skip
_RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"})


def _flatten_deep(html: str, limit: int = _MAX_DEPTH) -> str:
    """*html* with the start and end tags of elements nested deeper than *limit* removed.

    One pass over the tags with a stack of open elements (an end tag closes up to its
    element, as the parser would), so the cost is linear. A page no deeper than *limit*
    comes back unchanged."""
    if html.count("<") <= limit:
        return html
    tag_rx = _rx(_TAG)
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    open_count: dict[str, int] = {}
    kept_depth = 0
    cuts: list[tuple[int, int]] = []
    lower: str | None = None
    pos = 0
    while True:
        m = tag_rx.search(html, pos)
        if m is None:
            break
        pos = m.end()
        name = (m.group(2) or "").lower()
        if not name or name in _FLAT_TAGS or m.group(0).endswith("/>"):
            continue
        if not m.group(1):  # a start tag
            if name in _RAW_TEXT_TAGS:  # its content is text, not tags
                lower = lower if lower is not None else html.lower()
                end = lower.find(f"</{name}", pos)
                pos = len(html) if end < 0 else end
                continue
            keep = kept_depth < limit
            if keep:
                kept_depth += 1
            else:
                cuts.append(m.span())
            stack.append((name, keep))
            open_count[name] = open_count.get(name, 0) + 1
            continue
        if not open_count.get(name):
            continue  # a stray end tag: left to the parser
        while stack:
            top, keep = stack.pop()
            open_count[top] -= 1
            if keep:
                kept_depth -= 1
            if top == name:
                if not keep:
                    cuts.append(m.span())
                break
    if not cuts:
        return html
    cuts.sort()
    out: list[str] = []
    last = 0
    for a, b in cuts:
        out.append(html[last:a])
        last = b
    out.append(html[last:])
    return "".join(out)


def html_to_text(html: str) -> str:
    """Article text of an HTML page: one paragraph per block, separated by blank lines.

    Linear work: tags nested deeper than any real page are dropped first (the parser is
    quadratic in the depth), CSS queries (in C) flag hidden and boilerplate-named elements, one
    pass measures text and link text per element and finds the article (the element
    holding the most text), a second pass walks the tree, skips boilerplate and cuts
    the text into blocks.
    """
    from selectolax.lexbor import LexborHTMLParser  # compiled, but only HTML needs it

    tree = LexborHTMLParser(_flatten_deep(html))
    root = tree.body or tree.root
    if root is None:
        return ""
    hidden = {n.mem_id for n in root.css("[hidden], [aria-hidden=true i]")}
    named = {n.mem_id for n in root.css("[class], [id], [role]") if _named_boilerplate(n)}
    stats, keep = _measure(root, hidden)
    return "\n\n".join(_blocks(root, hidden, named, stats, keep))


def _named_boilerplate(node: LexborNode) -> bool:
    """Whether an element's role, class or id marks it as boilerplate."""
    attrs = node.attributes
    if (attrs.get("role") or "").lower() in _BOILERPLATE_ROLES:
        return True
    words = _rx(_CAMEL).sub(" ", f"{attrs.get('class') or ''} {attrs.get('id') or ''}")
    return _rx(_BOILERPLATE_WORD).search(words) is not None


def _children(node: LexborNode) -> Iterator[LexborNode]:
    """Children of *node*, last first (for a stack-based, document-order walk)."""
    child = node.last_child
    while child is not None:
        yield child
        child = child.prev


_Stats = dict[int, tuple[int, int, int]]


def _measure(root: LexborNode, hidden: set[int]) -> tuple[_Stats, set[int]]:
    """Per element ``(text chars, linked chars, links)``, and the ids of the article path.

    The article is the element to which the most text is credited, text being credited
    to the grandparent of each text node (the container of the paragraphs), with a bonus
    per comma or full stop (prose has them, menus do not); the path is it and its
    ancestors. A boilerplate-looking element on it (a ``<form>`` wrapping an
    ASP.NET page, ``<div class="main with-sidebar">``) holds the article and stays.
    """
    punct = _rx(_SENTENCE_PUNCT)
    stats: _Stats = {}
    credit: dict[int, int] = {}
    credited: dict[int, LexborNode] = {}
    open_nodes: list[LexborNode] = []
    open_acc: list[list[int]] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            open_nodes.pop()
            chars, linked, links = open_acc.pop()
            if node.tag == "a":
                linked, links = chars, links + 1
            stats[node.mem_id] = (chars, linked, links)
            if open_acc:
                parent = open_acc[-1]
                parent[0] += chars
                parent[1] += linked
                parent[2] += links
            continue
        if node.is_text_node:
            text = (node.text_content or "").strip()
            if text and open_nodes:
                open_acc[-1][0] += len(text)
                target = open_nodes[-2] if len(open_nodes) > 1 else open_nodes[-1]
                key = target.mem_id
                score = len(text) + 10 * len(punct.findall(text))
                credit[key] = credit.get(key, 0) + score
                credited[key] = target
            continue
        tag = node.tag
        if tag is None or tag[0] == "-" or tag in _DROP_TAGS or node.mem_id in hidden:
            continue
        open_nodes.append(node)
        open_acc.append([0, 0, 0])
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    keep: set[int] = set()
    if credit:
        best: LexborNode | None = credited[max(credit, key=credit.__getitem__)]
        while best is not None:
            keep.add(best.mem_id)
            best = best.parent
    return stats, keep


def _blocks(root: LexborNode, hidden: set[int], named: set[int], stats: _Stats, keep: set[int]) -> list[str]:
    """Walk the tree (iteratively, skipping boilerplate) and cut its text into blocks at
    block-element edges."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            blocks.extend(_paragraphs("".join(buf)))
            buf.clear()

    # (node, inside <article>/<main>); None marks the end of a block element
    stack: list[tuple[LexborNode, bool] | None] = [(root, False)]
    while stack:
        item = stack.pop()
        if item is None:
            flush()
            continue
        node, in_article = item
        if node.is_text_node:
            buf.append((node.text_content or "").replace(_BR, ""))
            continue
        tag = node.tag
        if tag == "br":
            buf.append(_BR)
            continue
        if tag is None or tag[0] == "-" or tag in _DROP_TAGS:
            continue
        key = node.mem_id
        if key in hidden:
            continue
        if key not in keep and _boilerplate(tag, key, named, stats, in_article):
            continue
        if tag in _BLOCK_TAGS:
            flush()
            stack.append(None)
        inside = in_article or tag in ("article", "main")
        stack.extend((child, inside) for child in _children(node))
    flush()
    return blocks


def _boilerplate(tag: str, key: int, named: set[int], stats: _Stats, in_article: bool) -> bool:
    """Whether an element off the article path is boilerplate: a page header, footer or
    form, an element named so (class, id, role), or a block of links (a menu, a
    related-news list, a page index)."""
    if tag in _SOFT_DROP_TAGS:
        return not (tag == "header" and in_article)
    if tag in ("main", "article"):
        return False
    if key in named:
        return True
    if tag in _LINK_BLOCK_TAGS:
        chars, linked, links = stats.get(key, (0, 0, 0))
        return links >= 3 and linked >= 0.8 * chars
    return False


def _paragraphs(raw: str) -> list[str]:
    """Collapse HTML white space in a block and split it at ``<br>``: one starts a line,
    two start a paragraph, and so does one before an indented line (``　　`` or
    ``&nbsp;&nbsp;``, the way many Chinese CMS pages mark paragraphs)."""
    indent = _rx(_INDENT)
    out: list[str] = []
    lines: list[str] = []
    for piece in raw.split(_BR):
        line = _collapse(piece).strip()
        if lines and (not line or indent.match(piece)):
            out.append("\n".join(lines))
            lines = []
        if line:
            lines.append(line)
    if lines:
        out.append("\n".join(lines))
    return out


def _collapse(text: str) -> str:
    """HTML white space: a line break between two CJK characters vanishes (as in CSS
    text rules), any other run of white space becomes one space."""
    if "\n" in text:
        text = _rx(_CJK_LINE_BREAK).sub("", text)
    return _rx(_HTML_SPACE).sub(" ", text)
