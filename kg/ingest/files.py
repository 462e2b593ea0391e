"""What is read and what is reported: inputs (files, folders, glob patterns) → page files and
their bytes.

A folder is searched recursively for ``.txt .md .markdown .html .htm`` files (hidden entries
and links to folders are skipped, and reported); a file that is not regular (a FIFO, a
device, a socket) or is over the size limit is refused before it is read. Names are shown
escaped (:func:`display_path`), so a file name cannot forge a message line.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from glob import glob
from pathlib import Path

from kg.errors import InputError
from kg.text import rx as _rx

#: Suffixes picked up when a directory is given as input.
TEXT_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})

_FIX_PATH = "check the path (quote glob patterns so the shell does not expand them)"
_GLOB_CHARS = r"[*?\[]"

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


def find_files(inputs: Sequence[str]) -> tuple[list[Path], list[InputError]]:
    """The files of *inputs*, sorted and de-duplicated, and the errors met on the way
    (missing inputs, folders that cannot be read, links to folders)."""
    errors: list[InputError] = []
    paths: list[Path] = []
    for spec in inputs:
        files, errs = _expand_one(spec)
        paths.extend(files)
        errors.extend(errs)
    return _unique_sorted(paths), errors


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
