"""kg.nlp.segment: sentences of bounded length, and tokens for any Python string."""

from __future__ import annotations

import pytest

from kg.export.jsonl import jsonl_lines
from kg.nlp.segment import MAX_SENTENCE, Doc
from kg.pipeline import extract_text

from ._util import unbroken

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
