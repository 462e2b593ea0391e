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


# -- a build that runs copies what it would render the same from the last OUT ------------------

#: a made-up paragraph added to a page (no rule or lexicon entry refers to it)
EDIT = "\n\n县应急管理局联合县消防救援大队开展安全生产大检查，排查隐患12处。\n"


@pytest.fixture
def four(tmp_path: Path) -> Path:
    """Two seeds and each again with its paragraphs reversed: four pages of real text."""
    d = tmp_path / "four"
    d.mkdir()
    for p in sorted(SEED_DIR.glob("*.txt"))[:2]:
        text = p.read_text(encoding="utf-8")
        (d / p.name).write_text(text, encoding="utf-8")
        (d / f"r{p.name}").write_text("\n\n".join(reversed(text.split("\n\n"))), encoding="utf-8")
    return d


def _edit(page: Path) -> None:
    page.write_text(page.read_text(encoding="utf-8") + EDIT, encoding="utf-8")


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_edited_page_is_rendered_and_the_others_copied(four: Path, tmp_path: Path, jobs: int) -> None:
    """One page edited: the other pages' graphs and article pages are copied from the last
    OUT, and OUT is byte for byte what a build without the cache writes."""
    cache, out = ResultCache(tmp_path / "cache"), tmp_path / "out"
    first = build([str(four)], out=out, cache=cache, skip_unchanged=True, jobs=jobs, formats="all")
    assert first.reused == []
    edited = sorted(four.glob("*.txt"))[1]
    _edit(edited)
    again = build([str(four)], out=out, cache=cache, skip_unchanged=True, jobs=jobs, formats="all")
    assert again.extracted == [edited.name]
    assert sorted(again.reused) == sorted(p.name for p in four.glob("*.txt") if p != edited)
    assert tree(out) == fresh(four, tmp_path / "fresh", formats="all")


@pytest.mark.parametrize("damage", ["graph.nq", "graph.jsonld", "article page"])
def test_bytes_of_the_last_out_that_are_not_what_it_wrote_are_rendered_again(
    four: Path, tmp_path: Path, damage: str
) -> None:
    """A page whose bytes in the last OUT differ from the record's digest (a file edited by
    hand, a disk error) is rendered again, not copied: the output is still a fresh build's."""
    cache, out = ResultCache(tmp_path / "cache"), tmp_path / "out"
    build([str(four)], out=out, cache=cache, skip_unchanged=True, formats="all")
    pages = _recorded(tmp_path / "cache")
    hurt = sorted(four.glob("*.txt"))[2].name
    if damage == "article page":
        victim = out / pages[hurt][3][0]
        victim.write_bytes(victim.read_bytes().replace(b"</body>", b"<p>edited</p></body>"))
    else:  # one letter of the page's graph changed in place (the file keeps its size)
        f = out / damage
        data = bytearray(f.read_bytes())
        off, length = pages[hurt][2][damage.removeprefix("graph.")]
        at = next(i for i in range(off + length // 2, off + length) if chr(data[i]).isalpha())
        data[at] = ord("x") if data[at] != ord("x") else ord("y")
        f.write_bytes(bytes(data))
    edited = sorted(four.glob("*.txt"))[0]
    _edit(edited)
    again = build([str(four)], out=out, cache=cache, skip_unchanged=True, formats="all")
    assert sorted(again.reused) == sorted(
        p.name for p in four.glob("*.txt") if p.name not in (edited.name, hurt)
    )
    assert tree(out) == fresh(four, tmp_path / "fresh", formats="all")


def _recorded(cache: Path) -> dict[str, list]:
    """The pages of the build record in the cache folder (there is one)."""
    import json

    (rec,) = (cache / "builds").glob("*.json")
    pages: dict[str, list] = json.loads(rec.read_text(encoding="utf-8"))["outputs"]["pages"]
    return pages


@pytest.mark.parametrize("change", ["formats", "code", "no views", "OUT removed"])
def test_nothing_is_copied_when_the_output_code_or_options_change(
    four: Path, tmp_path: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, out = ResultCache(tmp_path / "cache"), tmp_path / "out"
    build([str(four)], out=out, cache=cache, skip_unchanged=True)
    options: dict[str, object] = {}
    if change == "formats":
        options = {"formats": "nq,ttl"}
    elif change == "no views":
        options = {"views": False}
    elif change == "OUT removed":
        shutil.rmtree(out)
    else:  # another version of the package: its pages may be rendered otherwise
        real = uptodate._code_fingerprint()
        monkeypatch.setattr(uptodate, "_code_fingerprint", lambda: real[::-1])
    _edit(sorted(four.glob("*.txt"))[0])
    again = build([str(four)], out=out, cache=cache, skip_unchanged=True, **options)  # type: ignore[arg-type]
    assert again.reused == [] and len(again.cached) == 3
    assert tree(out) == fresh(four, tmp_path / "fresh", **options)


def test_kg_build_says_how_many_pages_it_copied(four: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    args = ["build", str(four), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "4 page(s) extracted, 0 from the cache, " in first.stderr and "written as" not in first.stderr
    _edit(sorted(four.glob("*.txt"))[3])
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "1 page(s) extracted, 3 from the cache (3 written as the last build wrote them), " in again.stderr


@pytest.mark.parametrize("forged", ["a path out of OUT", "a range past the file's end"])
def test_a_record_that_points_elsewhere_is_not_followed(four: Path, tmp_path: Path, forged: str) -> None:
    """The record is data in the cache folder: a page whose record names a file outside OUT's
    article pages, or bytes past the end of a file, is rendered, and nothing is read there."""
    import json

    cache, out = ResultCache(tmp_path / "cache"), tmp_path / "out"
    build([str(four)], out=out, cache=cache, skip_unchanged=True)
    secret = tmp_path / "secret.html"
    secret.write_text("<p>not OUT's</p>", encoding="utf-8")
    (rec,) = (tmp_path / "cache" / "builds").glob("*.json")
    data = json.loads(rec.read_text(encoding="utf-8"))
    name = sorted(data["outputs"]["pages"])[1]
    entry = data["outputs"]["pages"][name]
    if forged == "a path out of OUT":  # with the digest of what is there: only the path is wrong
        from kg.export.build import output_digest

        off, length = entry[2]["nq"]
        chunk = (out / "graph.nq").read_bytes()[off : off + length]
        entry[3] = ["article/../../secret.html"]
        entry[4] = output_digest({"nq": chunk}, {entry[3][0]: secret.read_bytes()})
    else:
        entry[2]["nq"][1] = 1 << 40
    rec.write_text(json.dumps(data), encoding="utf-8")
    edited = sorted(four.glob("*.txt"))[0]
    _edit(edited)
    again = build([str(four)], out=out, cache=cache, skip_unchanged=True)
    assert sorted(again.reused) == sorted(
        p.name for p in four.glob("*.txt") if p.name not in (edited.name, name)
    )
    assert tree(out) == fresh(four, tmp_path / "fresh")
    assert not any("secret" in rel for rel in tree(out))
