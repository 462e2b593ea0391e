"""Fuzzing (issue 10): the library API and ``kg extract`` on generated input never crash,
and every relation's evidence and every mention is a verbatim slice of the text at its
offsets.

Hypothesis drives it, derandomized (the same cases on every run, so CI is reproducible)
with no example database and no deadline. Cases per run: 4,000 + 3,000 + 3,000 strings
through :func:`kg.pipeline.extract_text` (any Unicode including lone surrogates; CJK and
punctuation; mixes of the real vocabularies, gazetteer, organization heads, campaign names,
cue verbs and quotes) and 1,000 folders of 1-4 files through ``kg extract`` (in-process
through click's runner: random bytes, text in every encoding the README names, HTML,
names with non-UTF-8 bytes, newlines and ANSI codes): 11,000 in all.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.export.jsonl import file_record
from kg.model import FileResult
from kg.nlp.resources import resources
from kg.pipeline import extract_text

from ._generate import PUNCT, QUOTES, words
from ._util import unbroken

_FAST = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

CJK_PUNCT = "，。、；：！？“”‘’《》（）【】—…·「」『』\n 　,.;:!?\"'()"


def _pool() -> list[str]:
    pools = words()
    out: list[str] = []
    for key in ("term", "named", "body", "head", "verb", "opener", "post", "glue", "doc_type", "name_head"):
        out.extend(pools[key])
    # the gazetteer is large: every province and prefecture, and a slice of the rest
    out.extend(pools["place"][::7])
    out.extend(pools["short"][::7])
    return sorted(set(out))


_POOL = _pool()
_PIECES = st.one_of(
    st.sampled_from(_POOL),
    st.sampled_from(_POOL),
    st.sampled_from(PUNCT),
    st.sampled_from([q for pair in QUOTES for q in pair]),
    st.sampled_from(["由", "联合", "的", "和", "、", "在", "开展", "组织", "“", "”", "《", "》"]),
)
VOCAB_MIX = st.lists(_PIECES, max_size=30).map("".join)
ANY_UNICODE = st.text(st.characters(exclude_categories=()), max_size=80)  # surrogates included
CJK_TEXT = st.text(
    st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), st.sampled_from(CJK_PUNCT)),
    max_size=150,
)


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    resources()  # built once, before the first timed example


def check(text: str, result: FileResult) -> None:
    """Evidence and mentions are verbatim slices of ``text`` at their offsets."""
    assert result.source.text == text
    for rel in result.relations:
        assert rel.evidence
        for ev in rel.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
            assert unbroken(text[ev.start : ev.end]) == ev.text
    for m in result.mentions:
        assert 0 <= m.start < m.end <= len(text)
        # a mention's text is its surface form with the page's line breaks taken out
        assert text[m.start : m.end].replace("\n", "") == m.text.replace("\n", "")
    # the record serialises (surrogates only come through the API, as escapes)
    json.dumps(file_record(result), ensure_ascii=True)


@settings(_FAST, max_examples=4000)
@given(VOCAB_MIX)
def test_vocabulary_mixes(text: str) -> None:
    check(text, extract_text(text))


@settings(_FAST, max_examples=3000)
@given(CJK_TEXT)
def test_cjk_and_punctuation(text: str) -> None:
    check(text, extract_text(text))


@settings(_FAST, max_examples=3000)
@given(ANY_UNICODE)
def test_any_unicode(text: str) -> None:
    check(text, extract_text(text))


# --------------------------------------------------------------------------- kg extract

_TEXT = st.one_of(VOCAB_MIX, CJK_TEXT, ANY_UNICODE.map(lambda t: t.encode("utf-8", "replace").decode()))
_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-32")


@st.composite
def _content(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["text", "text", "html", "bytes", "damaged"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    text = draw(_TEXT)
    if kind == "html":
        wrap = draw(st.sampled_from(["", "<div>" * 600, "<nav>首页</nav>"]))
        text = f"<html><body>{wrap}<p>{text}</p></body></html>"
    data = text.encode(draw(st.sampled_from(_ENCODINGS)), errors="replace")
    if kind == "damaged" and data:
        k = draw(st.integers(0, len(data)))
        data = data[:k] + draw(st.sampled_from([b"\x00", b"\xff", b"\x00\x00", codecs.BOM_UTF8])) + data[k:]
    return data


_NAME = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), min_size=1, max_size=12),
    st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b).map(os.fsdecode),
)
_FILES = st.dictionaries(
    _NAME.map(lambda n: n + ".txt").filter(lambda n: not n.startswith(".")),
    _content(),
    min_size=1,
    max_size=4,
)


def _extract_folder(files: dict[str, bytes], jobs: str) -> None:
    """kg extract never crashes: every file is a JSON line or a one-line message, stdout
    is valid UTF-8 JSON, exit code 0 or 1."""
    folder = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
    try:
        names = set()
        for name, data in files.items():
            raw = os.fsencode(name)
            if raw.lower() in names:  # one file per name on any file system
                continue
            names.add(raw.lower())
            with open(os.path.join(os.fsencode(folder), raw), "wb") as fh:
                fh.write(data)
        result = CliRunner().invoke(main, ["extract", str(folder), "--jobs", jobs])
        stderr = result.stderr_bytes.decode("utf-8")
        assert result.exception is None or isinstance(result.exception, SystemExit), stderr
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        assert result.exit_code in (0, 1), stderr
        lines = result.stdout_bytes.decode("utf-8").splitlines()
        for line in lines:
            json.loads(line)
        messages = [ln for ln in stderr.splitlines() if ln]
        assert all(ln.startswith("kg: skipped ") for ln in messages), messages
        assert len(lines) + len(messages) == len(names)
        assert result.exit_code == (1 if messages else 0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(_FAST, max_examples=1000)
@given(_FILES)
def test_kg_extract_on_generated_folders(files: dict[str, bytes]) -> None:
    """In one process: the same code a worker runs (``_task``), without a pool started per
    example (which took four fifths of this test's time)."""
    _extract_folder(files, "1")


@settings(_FAST, max_examples=60)
@given(_FILES)
def test_kg_extract_on_generated_folders_in_two_processes(files: dict[str, bytes]) -> None:
    """Through a pool of 2 processes: results and messages cross the process boundary."""
    _extract_folder(files, "2")
