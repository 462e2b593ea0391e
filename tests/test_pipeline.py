"""kg.pipeline: the one extraction loop (pages → FileResults), on the seeds and made-up pages.

Quality is guarded per type and predicate in test_quality.py (pins on the seeds, the dev set
and realdev); this module tests the orchestration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.export.jsonl import file_record, jsonl_line
from kg.model import FileResult, SourceText
from kg.pipeline import check_home, extract_paths, extract_source, extract_text, iter_pages

from ._util import ROOT


def test_seed_homes(seed_results: list[FileResult]) -> None:
    homes = {r.source.name[:3]: r.home for r in seed_results}
    assert homes == {"000": "太原市", "001": "长治市", "002": "太原市", "003": "运城市", "004": "长治市"}


def test_output_is_deterministic(seed_results: list[FileResult]) -> None:
    records = [file_record(r) for r in seed_results]
    again = [
        file_record(r)
        for r in sorted(extract_paths([str(ROOT / "seeds")]).files, key=lambda r: r.source.name)
    ]
    assert json.dumps(records, ensure_ascii=False) == json.dumps(again, ensure_ascii=False)


def test_mentions_are_moved_to_source_offsets_whole():
    """Mention.at (the pipeline's move to source offsets) keeps every other field."""
    from dataclasses import fields, replace

    from kg.model import Mention

    values = {"start": 3, "end": 7, "attrs": (("via", "head"),)}
    m = Mention(**{f.name: values.get(f.name, f"x{f.name}") for f in fields(Mention)})
    assert m.at(10, 14) == replace(m, start=10, end=14)


def test_mention_offsets_are_source_offsets():
    """Blank lines and indents are not in the text extractors read; mentions are still
    at their offsets in the source."""
    from kg.pipeline import extract_text

    text = "长治市应急管理局开展安全生产检查。\n\n\n　　长子县应急管理局组织应急演练。"
    result = extract_text(text)
    assert {m.text for m in result.mentions} >= {"长治市应急管理局", "长子县应急管理局"}
    for m in result.mentions:
        assert text[m.start : m.end] == m.text, m


def test_extract_source_runs_only_the_extractors_in_its_order() -> None:
    text = "市应急管理局会同黎城县开展应急演练。\n"
    src = SourceText(path="p.txt", name="p.txt", text=text, encoding="utf-8", format="txt")
    full = extract_source(src, home="长治市")
    only = extract_source(src, home="长治市", order=("places",))
    assert {e.type for e in only.entities} == {"Place"}
    assert {e.name for e in only.entities} == {e.name for e in full.entities if e.type == "Place"}
    assert {e.type for e in full.entities} == {"Place", "Organization", "Measure"}
    # mentions come back in source offsets
    assert all(text[m.start : m.end] == m.text for m in full.mentions)


def test_extract_text_refuses_a_home_that_names_no_division() -> None:
    with pytest.raises(UsageError, match="青石县"):
        extract_text("开展检查。", home="青石县")
    with pytest.raises(UsageError):
        check_home("青石县")
    check_home("黎城县")


def test_extract_paths_reports_unreadable_inputs_and_applies_homes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("县应急管理局开展应急演练。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("县应急管理局开展应急演练。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    seen: list[tuple[int, int, str, bool]] = []
    ex = extract_paths(
        [str(tmp_path), str(tmp_path / "missing.txt")],
        home="黎城县",
        homes={"b.txt": "平顺县"},
        progress=lambda *a: seen.append(a),
    )
    assert sorted(r.source.name for r in ex.files) == ["a.txt", "b.txt"]
    assert sorted(Path(p).name for p, _msg in ex.errors) == ["empty.txt", "missing.txt"]
    orgs = {r.source.name: {e.name for e in r.entities if e.type == "Organization"} for r in ex.files}
    assert orgs == {"a.txt": {"黎城县应急管理局"}, "b.txt": {"平顺县应急管理局"}}
    # pages are read lazily, as the workers take them: progress counts every file found,
    # the unreadable one included, and ends at its total
    assert [(i, n) for i, n, _name, _hit in seen] == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_without_results_only_the_page_work_comes_back(tmp_path: Path, jobs: int) -> None:
    # kg extract's path: each page's JSON line is made where the page was extracted and the
    # result is not sent back; the lines are those of the results, errors still reported
    (tmp_path / "a.txt").write_text("县应急管理局开展应急演练。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("市消防救援支队检查商场。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    kept = {p.name: p for p in iter_pages([str(tmp_path)], home="黎城县", jobs=jobs, page_work=jsonl_line)}
    lean = {
        p.name: p
        for p in iter_pages([str(tmp_path)], home="黎城县", jobs=jobs, page_work=jsonl_line, results=False)
    }
    assert [p.result for p in lean.values()] == [None, None, None]
    assert {n for n, p in lean.items() if p.error} == {"empty.txt"}
    assert {n: p.extra for n, p in lean.items() if not p.error} == {
        n: json.dumps(file_record(p.result), ensure_ascii=False) + "\n"
        for n, p in kept.items()
        if p.result is not None
    }
    assert [json.loads(lean[n].extra)["file"] for n in ("a.txt", "b.txt")] == ["a.txt", "b.txt"]


def test_two_inputs_of_one_name_are_refused_before_extraction(tmp_path: Path) -> None:
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "p.txt").write_text("开展检查。\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"two input files are named p\.txt"):
        extract_paths([str(tmp_path)], unique_names=True)
