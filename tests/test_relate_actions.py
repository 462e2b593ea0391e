"""kg.relate.actions: what an actor does: implements, adopts, targets, takesMeasure (made-up sentences)."""

from __future__ import annotations

import pytest

from kg.relate import actions as _module  # noqa: F401  (registers the extractor under test)

from ._util import case_ids, relate_alone

CASES = [
    # a place runs a campaign and targets the venues it focuses on
    (
        "黎城县扎实推进“安全护航”专项行动，聚焦加油站、商超等场所。",
        "长治市",
        {
            ("黎城县", "implements", "安全护航"),
            ("黎城县", "targets", "加油站"),
            ("黎城县", "targets", "商超"),
        },
    ),
    # a body adopts a mechanism and takes a measure
    (
        "黎城县应急管理局严格落实“三管三必须”，加强监测预警。",
        "长治市",
        {("黎城县应急管理局", "adopts", "三管三必须"), ("黎城县应急管理局", "takesMeasure", "监测预警")},
    ),
    # what did not happen is still guarded against; 全县 is the county
    (
        "黎城县未发生森林火灾，全县开展隐患排查。",
        "长治市",
        {("黎城县", "targets", "森林火灾"), ("黎城县", "takesMeasure", "隐患排查整治")},
    ),
    # a ban with no actor and a negated measure state nothing
    ("严禁在林区吸烟。该县未开展应急演练。", "黎城县", set()),
]


@pytest.mark.parametrize(("text", "home", "want"), CASES, ids=case_ids(CASES))
def test_actions(text: str, home: str, want: set[tuple[str, str, str]]) -> None:
    assert relate_alone("actions", text, home) == want
