"""kg.relate.partners: bodies that work jointly (联合, 会同, 与…签订) are partners, once per pair."""

from __future__ import annotations

import pytest

from kg.relate import partners as _module  # noqa: F401  (registers the extractor under test)

from ._util import case_ids, relate_alone

CASES = [
    # with a lead: lead-partner pairs only
    (
        "市应急管理局联合市公安局、市交通运输局开展联合执法。",
        "长治市",
        {
            ("长治市应急管理局", "partnersWith", "长治市交通运输局"),
            ("长治市应急管理局", "partnersWith", "长治市公安局"),
        },
    ),
    (
        "市应急管理局与市公安局签订合作协议。",
        "长治市",
        {("长治市应急管理局", "partnersWith", "长治市公安局")},
    ),
    # publishing together makes no partners; bare sector names are no bodies
    ("市应急管理局、市公安局联合印发《通知》。", "长治市", set()),
    ("县应急管理局联合公安、交通等部门开展检查。", "黎城县", set()),
]


@pytest.mark.parametrize(("text", "home", "want"), CASES, ids=case_ids(CASES))
def test_partners(text: str, home: str, want: set[tuple[str, str, str]]) -> None:
    assert relate_alone("partners", text, home) == want
