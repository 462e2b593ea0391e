"""What is known of pages besides their text: ``--date``, a manifest (kg.ingest.manifest), and
how they combine with what the pages say (kg.pipeline.page_info), through the API and the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.ingest.manifest import PageInfo, read_manifest
from kg.model import SourceText
from kg.pipeline import extract_paths, page_info

from ._util import ROOT

#: A made-up page of a county paper: a dateline with month and day, and an article without one.
PAGE = (
    "长子县部署安全生产工作\n\n本报讯 3月30日，长子县召开安全生产工作会议，部署隐患排查整治。\n\n"
    "壶关县开展应急演练\n\n壶关县组织开展防汛应急演练，提升应急处置能力。\n"
)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "b.txt").write_text(PAGE.replace("长子县", "屯留区"), encoding="utf-8")
    return folder


def dates(ex) -> dict[str, list[tuple[str | None, str | None]]]:
    return {r.source.name: [(a.date, a.publisher) for a in r.articles] for r in ex.files}


def test_a_manifest_gives_each_page_its_date_publisher_and_home(pages: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,date,publisher,home\npages/a.txt,2025-03-31,长治日报,长治市\nb.txt,2024,,\n",
        encoding="utf-8-sig",
    )
    info = read_manifest(manifest)
    assert info == {
        "a.txt": PageInfo("2025-03-31", "长治日报", "长治市"),  # a path is read as its file name
        "b.txt": PageInfo("2024", None, None),
    }
    ex = extract_paths([str(pages)], manifest=info)
    assert dates(ex) == {
        "a.txt": [("2025-03-30", "长治日报"), ("2025-03-31", "长治日报")],
        "b.txt": [("2024-03-30", None), (None, None)],  # a year completes 3月30日; alone it dates nothing
    }
    assert {r.source.name: r.home for r in ex.files}["a.txt"] == "长治市"


def test_date_option_and_manifest_combine_by_precision_then_order(pages: Path) -> None:
    ex = extract_paths([str(pages)], date="2025-04-01", manifest={"a.txt": PageInfo(date="2024")})
    # a.txt: the manifest's 2024 is less precise than --date's full date, which wins
    assert dates(ex)["a.txt"] == [("2025-03-30", None), ("2025-04-01", None)]
    assert dates(ex)["b.txt"] == [("2025-03-30", None), ("2025-04-01", None)]
    src = SourceText("x.html", "x.html", "t", "utf-8", "html", date="2023-05-06", publisher="某某网")
    # the manifest's full date beats the page's metadata, its publisher too
    assert page_info(src, PageInfo("2025-01-02", "长治日报"), "2024") == SourceText(
        "x.html", "x.html", "t", "utf-8", "html", date="2025-01-02", publisher="长治日报"
    )
    # a year alone does not hide the page's own full date
    assert page_info(src, PageInfo("2025"), None).date == "2023-05-06"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,date\na.txt,2025\n", "has no 'file' column"),
        (
            "file,dat\na.txt,2025\n",
            "unknown column 'dat'; a manifest's columns are file, date, publisher, home",
        ),
        ("file,date\na.txt,2025-13-01\n", "line 2: '2025-13-01' is not a date with a year; write YYYY-MM-DD"),
        ("file,date\na.txt,3月30日\n", "line 2: '3月30日' is not a date with a year"),
        ("file,date\na.txt,2025\n\nb.txt,2025\na.txt,2024\n", "line 5: a.txt is listed twice"),
        ("file,date\n,2025\n", "line 2: the 'file' cell is empty"),
        (
            "file,date\na.txt,2025,长治日报\n",
            "line 2: 3 cells for 2 columns; quote a cell that holds a comma",
        ),
    ],
)
def test_a_bad_manifest_is_one_line_naming_the_file_line_and_fix(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "m.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as info:
        read_manifest(path)
    text = str(info.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


def test_a_manifest_saved_by_a_chinese_spreadsheet_program_reads(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes("file,date,publisher\r\na.txt,2025年3月31日,长治日报\r\n".encode("gb18030"))
    assert read_manifest(path) == {"a.txt": PageInfo("2025-03-31", "长治日报", None)}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_kg_build_takes_date_and_manifest(pages: Path, tmp_path: Path) -> None:
    import rdflib

    manifest = tmp_path / "m.csv"
    manifest.write_text("file,publisher\na.txt,长治日报\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run("build", str(pages), "-o", str(out), "--date", "2025-03-31", "--manifest", str(manifest), "-q")
    assert r.returncode == 0, r.stderr
    g = rdflib.Dataset(default_union=True)
    g.parse(out / "graph.nq", format="nquads")
    q = """SELECT ?id ?date ?pub WHERE { ?a a kg:Article ; dcterms:identifier ?id ; dcterms:date ?date .
           OPTIONAL { ?a dcterms:publisher ?pub } }"""
    ns = {"kg": "https://w3id.org/safety-kg/ontology#", "dcterms": "http://purl.org/dc/terms/"}
    rows = {
        (str(i), d.toPython(), d.datatype, None if p is None else (str(p), p.language))
        for i, d, p in g.query(q, initNs=ns)
    }
    import datetime as dt

    XSD_DATE = rdflib.XSD.date
    assert rows == {
        ("a.txt#0", dt.date(2025, 3, 30), XSD_DATE, ("长治日报", "zh")),
        ("a.txt#1", dt.date(2025, 3, 31), XSD_DATE, ("长治日报", "zh")),
        ("b.txt#0", dt.date(2025, 3, 30), XSD_DATE, None),
        ("b.txt#1", dt.date(2025, 3, 31), XSD_DATE, None),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--date", "2025-02-30"],
            "kg: error: --date: '2025-02-30' is not a date with a year; write YYYY-MM-DD",
        ),
        (["--manifest", "nowhere.csv"], "kg: error: nowhere.csv: no such manifest; pass a CSV file"),
    ],
)
def test_bad_date_or_manifest_options_are_one_line_errors(
    pages: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    r = run("build", str(pages), "-o", str(out), *args)
    assert r.returncode == 2
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1, r.stderr
    assert not out.exists()  # refused before anything is written
