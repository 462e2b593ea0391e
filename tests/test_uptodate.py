"""A build with nothing changed leaves OUT as it is; any change to the inputs, the options,
the code or OUT itself builds again, and gives what a build without the cache gives."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from kg.export import uptodate
from kg.export.build import build
from kg.pipeline.cache import ResultCache

from .conftest import SEED_DIR


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    d = tmp_path / "pages"
    d.mkdir()
    for p in sorted(SEED_DIR.glob("*.txt"))[:2]:
        shutil.copy(p, d / p.name)
    (d / "empty.txt").write_bytes(b"")  # unreadable: reported by every run
    return d


def fresh(pages: Path, where: Path, **options: object) -> dict[str, str]:
    build([str(pages)], out=where, **options)  # type: ignore[arg-type]
    return tree(where)


def test_a_rerun_with_nothing_changed_writes_nothing(pages: Path, tmp_path: Path) -> None:
    cache, out = ResultCache(tmp_path / "cache"), tmp_path / "out"
    first = build([str(pages)], out=out, cache=cache, skip_unchanged=True)
    assert not first.unchanged and len(first.extracted) == 2
    before, inode = tree(out), out.stat().st_ino
    again = build([str(pages)], out=out, cache=cache, skip_unchanged=True)
    assert again.unchanged
    assert out.stat().st_ino == inode and tree(out) == before
    assert again.summary == first.summary
    assert (
        [Path(p).name for p, _m in again.errors] == ["empty.txt"] == [Path(p).name for p, _m in first.errors]
    )
    assert sorted(again.cached) == sorted(first.extracted)


@pytest.mark.parametrize(
    "change", ["page edited", "page added", "option", "entity page removed", "OUT replaced"]
)
def test_any_change_builds_again(pages: Path, tmp_path: Path, change: str) -> None:
    cache, out = ResultCache(tmp_path / "cache"), tmp_path / "out"
    build([str(pages)], out=out, cache=cache, skip_unchanged=True)
    options: dict[str, object] = {}
    if change == "page edited":
        p = sorted(pages.glob("0*.txt"))[0]
        p.write_text(p.read_text(encoding="utf-8") + "\n应急管理局开展安全生产检查。\n", encoding="utf-8")
    elif change == "page added":
        shutil.copy(sorted(SEED_DIR.glob("*.txt"))[2], pages)
    elif change == "option":
        options = {"formats": "nq,ttl"}
    elif change == "entity page removed":
        next((out / "entity").glob("*.html")).unlink()
    else:  # another build, without the cache, into OUT
        build([str(pages)], out=out, formats="nq,trig")
    again = build([str(pages)], out=out, cache=cache, skip_unchanged=True, **options)  # type: ignore[arg-type]
    assert not again.unchanged
    assert tree(out) == fresh(pages, tmp_path / "fresh", **options)
    assert build([str(pages)], out=out, cache=cache, skip_unchanged=True, **options).unchanged  # type: ignore[arg-type]


def test_the_key_changes_with_any_file_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.paths

    pkg = tmp_path / "kg"
    shutil.copytree(kg.paths.package_dir(), pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(kg.paths, "package_dir", lambda: pkg)
    options = {"views": True}
    try:
        uptodate._code_fingerprint.cache_clear()
        before = uptodate.build_key([str(SEED_DIR)], options)
        assert uptodate.build_key([str(SEED_DIR)], options) == before
        assert uptodate.build_key([str(SEED_DIR)], {"views": False}) != before
        with (pkg / "export" / "views" / "page.py").open("a", encoding="utf-8") as fh:
            fh.write("\n# edited\n")
        uptodate._code_fingerprint.cache_clear()
        assert uptodate.build_key([str(SEED_DIR)], options) != before
    finally:
        uptodate._code_fingerprint.cache_clear()
