"""kg.relate.located: places in their parents (text and gazetteer), bodies in their places."""

from __future__ import annotations

import pytest

from kg.relate import located as _module  # noqa: F401  (registers the extractor under test)

from ._util import case_ids, relate_alone

CASES = [
    (
        "黎城县西井镇东庄村开展排查。",
        "长治市",
        {
            ("东庄村", "locatedIn", "西井镇"),
            ("西井镇", "locatedIn", "黎城县"),
            ("黎城县", "locatedIn", "长治市"),
            ("长治市", "locatedIn", "山西省"),
        },
    ),
    # a body is in the place its name opens with
    (
        "平顺县应急管理局开展检查。",
        "长治市",
        {
            ("平顺县应急管理局", "locatedIn", "平顺县"),
            ("平顺县", "locatedIn", "长治市"),
            ("长治市", "locatedIn", "山西省"),
        },
    ),
    # a district of a province-level municipality is in the municipality, which has no parent
    ("朝阳区开展消防检查。", "北京市", {("朝阳区", "locatedIn", "北京市")}),
]


@pytest.mark.parametrize(("text", "home", "want"), CASES, ids=case_ids(CASES))
def test_located(text: str, home: str, want: set[tuple[str, str, str]]) -> None:
    assert relate_alone("located", text, home) == want
