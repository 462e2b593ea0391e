"""kg.relate.hosts: bodies that host a campaign (主办, 承办) organize it."""

from __future__ import annotations

import pytest

from kg.relate import hosts as _module  # noqa: F401  (registers the extractor under test)

from ._util import case_ids, relate_alone

CASES = [
    # host and co-host both organize, and take the measure the campaign names
    (
        "“安全宣传进万家”活动由县应急管理局主办，县消防救援大队承办。",
        "黎城县",
        {
            ("黎城县应急管理局", "organizes", "安全宣传进万家"),
            ("黎城县应急管理局", "takesMeasure", "宣传教育"),
            ("黎城县消防救援大队", "organizes", "安全宣传进万家"),
            ("黎城县消防救援大队", "takesMeasure", "宣传教育"),
        },
    ),
    # holding an event within a national campaign hosts nothing of its own
    ("县应急管理局举办“安全生产月”知识竞赛。", "黎城县", set()),
    ("市应急管理局参加了省里的“安全生产月”活动。", "长治市", set()),
]


@pytest.mark.parametrize(("text", "home", "want"), CASES, ids=case_ids(CASES))
def test_hosts(text: str, home: str, want: set[tuple[str, str, str]]) -> None:
    assert relate_alone("hosts", text, home) == want
