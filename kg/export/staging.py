"""Replace a whole output folder at once: build the new one beside it, then swap the two.

``kg build -o OUT``, ``kg build --store DIR`` and ``kg views OUT`` never write into the live
folder. :func:`replace_folder` hands them a staging folder next to it (``.OUT.kg-new.<pid>.<x>``,
on the same file system), where the whole new generation is written; only when all of it is
complete (and on disk: ``syncfs``) are the two folders exchanged with one
``renameat2(RENAME_EXCHANGE)``, and the old generation is removed afterwards. So a reader of
OUT, and OUT after a ``kill -9`` at any moment, sees the folder wholly old or wholly new, never
a mixture; an error while writing (a full disk, a view that cannot be written) leaves OUT as
it was. Writing the generation beside OUT also suits output that arrives page by page.

Entries of OUT that the command does not write (the user's notes, a ``.git``) are carried
into the new generation as hard links, so nothing of theirs is lost. A folder that is not
empty and holds nothing a safety-kg command wrote is refused: swapping it whole could move
someone's files around.

Staging folders of builds that were killed are removed by the next run: each is locked
(``flock``) by its live process and named with its pid, and one whose lock is free and
whose process is gone is stale. Where ``RENAME_EXCHANGE`` is missing (not Linux, an old
kernel or a file system without it), OUT is renamed aside and the new generation renamed
in: a kill between the two renames leaves no OUT for a moment, and the next run puts the
old one back before anything else.

A single file (``kg extract -o``, a saved view, the push state) is written the same way in
small: to a temp name beside it, renamed into place (:func:`atomic_writer`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.errors import OutputError, UsageError

log = logging.getLogger(__name__)

#: errors of the file system under the folder (not of the program): a one-line message each
_WRITE_ERRNOS = {
    errno.ENOSPC: "no space left on the device; free some space or choose a folder on another disk",
    errno.EDQUOT: "disk quota exceeded; free some space or choose a folder on another disk",
    errno.EROFS: "read-only file system; choose a folder you can write to",
    errno.EACCES: "permission denied; choose a folder you can write to",
    errno.EPERM: "operation not permitted; choose a folder you can write to",
    errno.EFBIG: "file too large for this file system; choose a folder on another disk",
    errno.EIO: "input/output error of the device",
}

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_STAGE = re.compile(r"\.kg-(new|old)\.(\d+)\.[A-Za-z0-9_]+$")

#: files that mark a folder as written by ``kg build`` or ``kg views``
OUTPUT_MARKERS = ("summary.json", "graph.nq", "index.html", "overview.html")


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


def exchange(a: Path, b: Path) -> bool:
    """Swap the two paths in one atomic step; False when the system cannot (then nothing moved)."""
    libc = _libc()
    fn = getattr(libc, "renameat2", None) if libc is not None else None
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _sync(folder: Path) -> None:
    """Put everything written under ``folder`` on disk (one syncfs; else fsync file by file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        libc = _libc()
        fn = getattr(libc, "syncfs", None) if libc is not None else None
        if fn is not None and fn(fd) == 0:
            return
    finally:
        os.close(fd)
    for dirpath, _dirs, files in os.walk(folder):
        for name in [*files, "."]:
            try:
                f = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.fsync(f)
            except OSError as exc:
                if exc.errno not in (errno.EINVAL, errno.EBADF):
                    raise
            finally:
                os.close(f)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _lock(folder: Path) -> int:
    """An open descriptor of ``folder`` holding an exclusive flock (released at close or death)."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    with contextlib.suppress(OSError):  # without flock, the pid in the name still guards it
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def _unlocked(folder: Path) -> bool:
    import fcntl

    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _remove(path: Path) -> None:
    """Remove a folder tree, saying so when something stays (an immutable file, say)."""
    failed: list[str] = []

    def note(_fn: object, p: str, exc: object) -> None:
        failed.append(f"{p}: {exc[1] if isinstance(exc, tuple) else exc}")

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=note)
    else:
        shutil.rmtree(path, onerror=note)
    if failed and path.exists():
        log.warning("could not remove %s (%s)", path, failed[0])


def clean_stale(target: Path) -> list[Path]:
    """Remove the staging folders that killed runs left beside ``target``; return them.

    When ``target`` is missing but a run was killed between its two renames (systems without
    an atomic exchange), the old generation is put back first.
    """
    parent, prefix = target.parent, f".{target.name}."
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return []
    stale = []
    for p in entries:
        m = _STAGE.fullmatch(p.name[len(prefix) - 1 :]) if p.name.startswith(prefix) else None
        if m is None or not p.is_dir() or p.is_symlink():
            continue
        if _alive(int(m.group(2))) or not _unlocked(p):
            continue
        stale.append((m.group(1), p))
    if not target.exists():
        old = [p for kind, p in stale if kind == "old"]
        if old:
            os.rename(old[-1], target)
            log.warning("put back %s from %s (a build was interrupted while swapping)", target, old[-1])
            stale = [(k, p) for k, p in stale if p != old[-1]]
    for _kind, p in stale:
        _remove(p)
    return [p for _k, p in stale]


def _carry(src: Path, dst: Path) -> None:
    """Hard-link (or, across devices, copy) ``src`` to ``dst``: a file or a whole tree."""

    def link(s: str, d: str) -> None:
        try:
            os.link(s, d, follow_symlinks=False)
        except OSError:
            shutil.copy2(s, d, follow_symlinks=False)

    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir() and not src.is_symlink():
        shutil.copytree(src, dst, symlinks=True, copy_function=link)
    else:
        link(str(src), str(dst))


def _carry_foreign(target: Path, stage: Path, owned: Callable[[str], bool], folders: frozenset[str]) -> None:
    """Carry every entry of ``target`` that is not ours into ``stage`` (looking into ``folders``)."""

    def walk(rel: str) -> None:
        for entry in sorted(os.scandir(target / rel if rel else target), key=lambda e: e.name):
            r = f"{rel}/{entry.name}" if rel else entry.name
            if r in folders and entry.is_dir(follow_symlinks=False):
                walk(r)  # the folder itself is created only for what is carried into it
            elif not owned(r) and not (stage / r).exists():
                _carry(target / r, stage / r)

    walk("")


def write_file(path: Path, data: bytes, previous: Path | None = None) -> None:
    """Write ``data`` to ``path`` in a new generation; when ``previous`` (the same file in the
    old generation) holds exactly these bytes, hard-link it instead.

    An unchanged file is then neither written nor synced again, and removing the old
    generation frees no blocks for it (on a disk mounted with ``discard`` every freed file
    costs milliseconds). Files get the umask's mode, like any ``open()``.
    """
    if previous is not None:
        try:
            st = os.stat(previous, follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_size == len(data) and previous.read_bytes() == data:
                os.link(previous, path)
                return
        except OSError:
            pass  # gone, unreadable, or no hard links here: write it
    with open(path, "wb") as fh:
        fh.write(data)


def _folder_mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o777 & ~umask


def write_error(target: Path, what: str, exc: OSError, *names: str) -> OutputError | None:
    """``exc`` as a one-line :class:`OutputError` naming ``target``, when it is a file-system
    error (full, read-only, no permission) about ``target``'s folder; else None."""
    if exc.errno not in _WRITE_ERRNOS:
        return None
    where = [os.fsdecode(n) for n in (exc.filename, exc.filename2) if n is not None]
    parent = Path(target).parent
    if where and not any(Path(w).is_relative_to(parent) or w in names for w in where):
        return None  # about some other file (an input, say)
    return OutputError(f"cannot write the {what} {target}: {_WRITE_ERRNOS[exc.errno or 0]}")


@contextmanager
def atomic_writer(path: str | Path, mode: str = "w") -> Any:
    """Write to a temp file next to ``path`` and rename it into place on success.

    A crash or an exception leaves the old file (or no file) untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        err = write_error(path, "file", exc)
        if err is None:
            raise
        raise err from exc
    try:
        os.fchmod(fd, file_mode())  # mkstemp makes 0600; outputs are ordinary, shareable files
        fh = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="\n")
        with fh:
            yield fh
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and (err := write_error(path, "file", exc, tmp)) is not None:
            raise err from exc
        raise


def looks_like_output(folder: Path) -> bool:
    """Whether ``folder`` holds what ``kg build`` or ``kg views`` wrote (so it may be replaced)."""
    return any((folder / name).exists() for name in OUTPUT_MARKERS)


def file_mode() -> int:
    """The mode a plain ``open()`` would give a new file under the current umask (0644 usually)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@dataclass(frozen=True)
class Replacement:
    """A folder to replace as a whole, and what its writer owns in it.

    ``owned(rel)`` tells the entries (relative POSIX paths) that the writer writes: the
    others are carried over from the old ``target``, looking inside ``folders``. An existing
    non-empty ``target`` must satisfy ``recognise``, else :class:`UsageError` ``foreign``.
    """

    target: Path
    owned: Callable[[str], bool]
    recognise: Callable[[Path], bool]
    folders: frozenset[str] = frozenset()
    what: str = "output folder"
    foreign: str = ""

    def check(self) -> None:
        """Refuse what cannot or must not be replaced, before anything is written."""
        target, what = self.target, self.what
        if target.exists() and not target.is_dir():
            raise UsageError(f"{target} is a file, not a folder; give the {what} a folder name")
        try:
            cwd = Path.cwd().resolve()
        except OSError:
            cwd = Path("/")
        if cwd == target or target in cwd.parents:
            raise UsageError(
                f"the {what} {target} holds the current folder, and it is replaced as a whole; "
                "run from another folder"
            )
        if not target.is_dir():
            return
        if os.path.ismount(target):
            raise UsageError(
                f"the {what} {target} is a mount point and cannot be replaced as a whole; "
                "give a folder inside it"
            )
        for folder in (target, target.parent):
            if not os.access(folder, os.W_OK):
                ro = os.statvfs(folder).f_flag & os.ST_RDONLY
                problem, fix = _WRITE_ERRNOS[errno.EROFS if ro else errno.EACCES].split("; ")
                if folder != target:  # the new generation is written beside the old one
                    problem = f"{folder}, which holds it, is not writable ({problem})"
                raise OutputError(f"cannot write the {what} {target}: {problem}; {fix}")
        if any(True for _ in target.iterdir()) and not self.recognise(target):
            raise UsageError(self.foreign or f"{target} exists and was not written by safety-kg; "
                             "give an empty or new folder")  # fmt: skip

    def error(self, exc: OSError) -> OutputError | None:
        return write_error(self.target, self.what, exc)


class _Generation:
    """The staging folder of one :class:`Replacement`, from creation to swap."""

    def __init__(self, rep: Replacement) -> None:
        self.rep = rep
        self.lock = -1
        target = rep.target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            clean_stale(target)
            prefix = f".{target.name}.kg-new.{os.getpid()}."
            self.stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix))
        except OSError as exc:
            err = rep.error(exc)
            if err is None:
                raise
            raise err from exc
        try:
            self.lock = _lock(self.stage)
            os.chmod(self.stage, _folder_mode(target))
        except BaseException:
            self.close()
            raise

    def prepare(self) -> None:
        """Carry the user's files over and put the new generation on disk."""
        if self.rep.target.is_dir():
            _carry_foreign(self.rep.target, self.stage, self.rep.owned, self.rep.folders)
        _sync(self.stage)

    def swap(self) -> None:
        """Make the new generation the target; afterwards ``stage`` holds the old one (if any)."""
        target, stage = self.rep.target, self.stage
        if not target.exists():
            os.rename(stage, target)  # onto nothing (or an empty folder that appeared)
        elif not exchange(stage, target):
            prefix = f".{target.name}.kg-old.{os.getpid()}."
            aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=prefix))
            os.rename(target, aside)  # onto the empty folder just made
            os.rename(stage, target)
            self.stage = aside

    def close(self) -> None:
        """Remove the staging folder: the failed new generation, or the replaced old one."""
        try:
            if self.stage.exists():
                _remove(self.stage)
        finally:
            if self.lock >= 0:
                os.close(self.lock)
                self.lock = -1


@contextmanager
def replacing(*reps: Replacement) -> Iterator[list[Path]]:
    """Yield one empty staging folder per :class:`Replacement`; on success, swap each in.

    Every new generation is complete and on disk before the first swap, and the swaps follow
    each other directly (the old generations are removed after all of them), so the moment
    when one folder is new and another still old is as short as two renames. File-system
    errors (full disk, read-only, permissions) become :class:`OutputError` naming the target;
    an exception leaves every target untouched and no staging folder behind.
    """
    reps = tuple(replace(r, target=Path(os.path.realpath(r.target))) for r in reps)
    for i, a in enumerate(reps):
        for b in reps[i + 1 :]:
            if a.target == b.target or a.target in b.target.parents or b.target in a.target.parents:
                raise UsageError(
                    f"the {a.what} {a.target} and the {b.what} {b.target} must be separate folders, "
                    "neither inside the other"
                )
    for r in reps:
        r.check()
    gens: list[_Generation] = []
    try:
        try:
            for r in reps:
                gens.append(_Generation(r))
            yield [g.stage for g in gens]
            for g in gens:
                g.prepare()
            for g in gens:
                g.swap()
            for parent in sorted({g.rep.target.parent for g in gens}):
                _fsync_dir(parent)  # the renames on disk (after all swaps: they follow directly)
        except OSError as exc:
            err = next((e for e in (r.error(exc) for r in reps) if e is not None), None)
            if err is not None:
                raise err from exc
            raise
    finally:
        for g in gens:
            g.close()


@contextmanager
def replace_folder(
    target: str | Path,
    *,
    owned: Callable[[str], bool],
    recognise: Callable[[Path], bool],
    folders: frozenset[str] = frozenset(),
    what: str = "output folder",
    foreign: str = "",
) -> Iterator[Path]:
    """:func:`replacing` for one folder: yield its staging folder."""
    rep = Replacement(Path(target), owned, recognise, folders, what, foreign)
    with replacing(rep) as (stage,):
        yield stage
