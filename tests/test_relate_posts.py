"""kg.relate.posts: named people hold posts in the bodies named with them."""

from __future__ import annotations

import pytest

from kg.relate import posts as _module  # noqa: F401  (registers the extractor under test)

from ._util import case_ids, relate_alone

CASES = [
    (
        "副市长李明、市应急管理局局长王强出席会议。",
        "长治市",
        {("李明", "holdsPost", "长治市人民政府"), ("王强", "holdsPost", "长治市应急管理局")},
    ),
    # the staff of a section hold their post in its parent
    ("县应急局宣教科科长刘洋介绍了情况。", "临泉县", {("刘洋", "holdsPost", "临泉县应急管理局")}),
    # residents and students hold no post
    ("村民李大爷说，今年很安全。学生王小明参加比赛。", "长治市", set()),
]


@pytest.mark.parametrize(("text", "home", "want"), CASES, ids=case_ids(CASES))
def test_posts(text: str, home: str, want: set[tuple[str, str, str]]) -> None:
    assert relate_alone("posts", text, home) == want
