"""kg.nlp.segment: sentences of bounded length, tokens for any Python string, and the two tokenizers."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from kg.errors import UsageError
from kg.export.jsonl import jsonl_lines
from kg.nlp import segment
from kg.nlp.segment import MAX_SENTENCE, Doc, Segmenter
from kg.pipeline import extract_text

from ._util import ROOT, SEEDS, unbroken

#: A made-up clause with places, bodies, terms and a campaign, and no full stop.
CLAUSE = "长子县应急管理局联合县消防救援大队对危险化学品企业和加油站开展隐患排查扎实推进“春夏九防·敲门行动”"


def _doc(text: str) -> Doc:
    r = extract_text(text)  # builds the resources
    from kg.nlp.layout import split_page
    from kg.nlp.resources import resources

    page = split_page(r.source)
    return Doc(r.source, page, resources().segmenter)


@pytest.mark.parametrize(
    ("sep", "pieces"),
    [("，", 400), ("", 400), ("、", 50), (" ", 300)],
    ids=["commas", "no-break-at-all", "list", "spaces"],
)
def test_a_page_without_full_stops_has_sentences_of_bounded_length(sep: str, pieces: int) -> None:
    text = sep.join([CLAUSE] * pieces)
    doc = _doc(text)
    assert all(s.end - s.start <= MAX_SENTENCE for s in doc.sentences)
    # the sentences tile the text: nothing lost, nothing doubled
    assert [(a.end, b.start) for a, b in zip(doc.sentences, doc.sentences[1:], strict=False)] == [
        (a.end, a.end) for a in doc.sentences[:-1]
    ]
    assert (doc.sentences[0].start, doc.sentences[-1].end) == (0, len(doc.text))
    if sep:  # cut where a clause ends, not inside a name
        assert all(doc.text[s.end - 1] == sep or s.end == len(doc.text) for s in doc.sentences)


def test_evidence_and_output_grow_linearly_without_full_stops() -> None:
    """A page with no full stop was one sentence: every relation's evidence was the whole
    page (a 1 MB page gave 424 MB of JSONL and 4.9 GB in kg build)."""
    sizes = []
    for n in (50, 200):
        r = extract_text("，".join([CLAUSE] * n))
        assert r.relations
        assert all(len(ev.text) <= MAX_SENTENCE for rel in r.relations for ev in rel.evidence)
        sizes.append(sum(map(len, jsonl_lines([r]))))
    assert sizes[1] < 6 * sizes[0]  # 4x the text: about 4x the output, not 16x


def test_real_sentences_are_not_cut() -> None:
    sentence = "，".join([CLAUSE] * 4) + "。"  # 240 characters: long, but a sentence
    doc = _doc(sentence + CLAUSE + "。")
    assert [doc.text[s.start : s.end] for s in doc.sentences] == [sentence, CLAUSE + "。"]


@pytest.mark.parametrize(
    "text", ["\udcff", "长子县\udcff应急管理局开展\ud800危险化学品检查。", "\ud83d\ude92"]
)
def test_lone_surrogates_do_not_crash_the_tokenizer(text: str) -> None:
    """Only the Python API can pass them (kg.pipeline.extract_text('\\udcff') crashed)."""
    r = extract_text(text)
    for rel in r.relations:
        for ev in rel.evidence:
            assert unbroken(text[ev.start : ev.end]) == ev.text


#: A made-up page: a county article whose second paragraph the page broke across two columns
#: in the middle of a word (建筑施 | 工), with the indentation of the next column.
BROKEN_PAGE = (
    "长子县守牢安全底线\n\n"
    "长子县坚持人民至上、生命至上，紧盯危险化学品、建筑施\n\n\u3000\u3000工等重点行业开展隐患排查整治，"
    "扎实推进“春夏九防·敲门行动”。\n"
)


def test_evidence_keeps_words_whole_and_offsets_point_into_the_file() -> None:
    r = extract_text(BROKEN_PAGE, home="长治市")
    evs = [ev for rel in r.relations for ev in rel.evidence if ev.start < BROKEN_PAGE.index("工等") < ev.end]
    assert evs, r.relations
    for ev in evs:
        raw = BROKEN_PAGE[ev.start : ev.end]
        assert "建筑施\n\n\u3000\u3000工" in raw  # the slice is the file's, layout included
        assert "建筑施工" in ev.text and "\n" not in ev.text and "\u3000" not in ev.text
        assert ev.text == unbroken(raw)
    targets = {rel.o for rel in r.relations if rel.p == "targets"}
    assert "Industry:建筑施工" in targets  # the word the break cut is whole for the extractor too


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("建筑施\n\n工", "建筑施工"),
        ("确保隐患  \n\n\u3000\u3000动态清零。", "确保隐患动态清零。"),
        ("一行之内 的空格留下", "一行之内 的空格留下"),
        ("", ""),
    ],
)
def test_without_breaks(raw: str, want: str) -> None:
    from kg.text import without_breaks

    assert without_breaks(raw) == want


# -- the tokenizers: rjieba and its fallback jieba give the same tokens; KG_SEGMENTER chooses

USER_WORDS = [("春夏九防·敲门行动", 2000, "nz"), ("屯留区应急管理局", 2000, "nt")]


@pytest.fixture(scope="module")
def both() -> tuple[Segmenter, Segmenter]:
    return Segmenter(USER_WORDS, "rjieba"), Segmenter(USER_WORDS, "jieba")


@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_jieba_gives_rjiebas_tokens_on_every_seed_page(both, path) -> None:
    rj, jb = both
    text = path.read_text(encoding="utf-8")
    a, b = rj.tag(text), jb.tag(text)
    assert [w for w, _ in a] == [w for w, _ in b]
    assert "".join(w for w, _ in b) == text
    agree = sum(x == y for (_, x), (_, y) in zip(a, b, strict=True)) / len(a)
    assert agree > 0.98  # tags of a few unknown words differ (each library's own HMM scheme)


def test_user_words_stay_whole_with_either(both) -> None:
    for seg in both:
        words = [w for w, _ in seg.tag("屯留区应急管理局扎实推进春夏九防·敲门行动")]
        assert "屯留区应急管理局" in words
        assert seg.has_word("屯留区应急管理局") and not seg.has_word("屯留区应急管")


def test_kg_segmenter_chooses_and_a_wrong_name_is_a_usage_error(monkeypatch) -> None:
    monkeypatch.setenv("KG_SEGMENTER", "jieba")
    assert segment.backend() == "jieba" and Segmenter().name == "jieba"
    monkeypatch.setenv("KG_SEGMENTER", "hanlp")
    with pytest.raises(UsageError, match="KG_SEGMENTER"):
        segment.backend()


def test_jieba_is_the_fallback_where_rjieba_is_missing(monkeypatch) -> None:
    monkeypatch.delenv("KG_SEGMENTER", raising=False)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "rjieba" else real(name, *a)
    )
    assert segment.backend() == "jieba"


def test_rjieba_is_used_without_building_its_default_tokenizer() -> None:
    # rjieba's package __init__ builds a tokenizer at import (0.2 s a process); ours is built
    # from its extension module alone, and a later `import rjieba` reuses that module
    code = (
        "import sys\n"
        "from kg.nlp.segment import Segmenter\n"
        "seg = Segmenter([('县应急管理局', 2000, 'nt')], 'rjieba')\n"
        "print('rjieba' in sys.modules)\n"
        "import rjieba\n"
        "ref = rjieba.Jieba()\n"
        "ref.add_word('县应急管理局', 2000, 'nt')\n"
        f"text = {CLAUSE!r}\n"
        "print(type(seg._jieba) is rjieba.Jieba, seg.tag(text) == ref.tag(text))\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["False", "True", "True"]
