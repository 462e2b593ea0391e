"""kg.segment: sentences of bounded length, and tokens for any Python string."""

from __future__ import annotations

import pytest

from kg.output import jsonl_lines
from kg.pipeline import extract_text
from kg.segment import MAX_SENTENCE, Doc

#: A made-up clause with places, bodies, terms and a campaign, and no full stop.
CLAUSE = "长子县应急管理局联合县消防救援大队对危险化学品企业和加油站开展隐患排查扎实推进“春夏九防·敲门行动”"


def _doc(text: str) -> Doc:
    r = extract_text(text)  # builds the resources
    from kg.layout import split_page
    from kg.pipeline import resources

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
            assert text[ev.start : ev.end] == ev.text
