"""kg.relate.actors: who acts in each clause (a named subject, 我市, a lead and its partners)."""

from __future__ import annotations

import pytest

from kg.relate.actors import Actors

from ._util import rel_context

TEXT = "黎城县紧盯煤矿行业。市应急管理局联合市公安局开展检查。我市推行“一户一档”。"


@pytest.fixture(scope="module")
def actors() -> Actors:
    rc = rel_context(TEXT, "长治市")
    assert isinstance(rc.actors, Actors) and rc.actors is rc.actors  # computed once
    return rc.actors


@pytest.mark.parametrize(
    ("word", "who", "lead"),
    [
        ("煤矿", ("Place:黎城县",), ()),
        (
            "检查",
            ("Organization:长治市应急管理局", "Organization:长治市公安局"),
            ("Organization:长治市应急管理局",),
        ),
        ("一户一档", ("Place:长治市",), ()),  # 我市 is the home city, not its government
    ],
)
def test_clause_actors(actors: Actors, word: str, who: tuple[str, ...], lead: tuple[str, ...]) -> None:
    clause = actors.clause_at(TEXT.index(word))
    assert clause is not None
    assert (clause.actors, clause.lead, clause.named) == (who, lead, True)
    assert clause.start <= TEXT.index(word) < clause.end


def test_clauses_follow_sentences(actors: Actors) -> None:
    sents = [actors.clause_at(TEXT.index(w)) for w in ("煤矿", "检查", "一户一档")]
    assert [c.sent for c in sents if c] == [0, 1, 2]
    assert actors.home_id() == "Place:长治市"


def test_an_unnamed_clause_carries_the_actor_of_the_sentence_before() -> None:
    text = "黎城县召开专题会议。会议要求，全面开展隐患排查。"
    clause = rel_context(text, "长治市").actors.clause_at(text.index("隐患排查"))
    assert clause is not None and clause.actors == ("Place:黎城县",)
