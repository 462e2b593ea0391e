"""kg.relate.issues: a body issues the documents it publishes or hands out."""

from __future__ import annotations

import pytest

from kg.relate import issues as _module  # noqa: F401  (registers the extractor under test)

from ._util import case_ids, relate_alone

CASES = [
    (
        "市应急管理局印发《关于加强汛期安全防范工作的通知》。",
        "长治市",
        {("长治市应急管理局", "issues", "关于加强汛期安全防范工作的通知")},
    ),
    # handing out a letter to the public is issuing it; a handbook is no document
    (
        "县应急管理局向群众发放《致全县农户的一封信》和《防火知识手册》。",
        "黎城县",
        {("黎城县应急管理局", "issues", "致全县农户的一封信")},
    ),
    # studying a document issues nothing
    ("县应急管理局组织学习《中华人民共和国安全生产法》。", "黎城县", set()),
]


@pytest.mark.parametrize(("text", "home", "want"), CASES, ids=case_ids(CASES))
def test_issues(text: str, home: str, want: set[tuple[str, str, str]]) -> None:
    assert relate_alone("issues", text, home) == want
