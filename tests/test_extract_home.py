"""kg.extract.home: the place a page's 我市, 全市 and 市… mean."""

from __future__ import annotations

import pytest

from kg.extract.home import infer_home, resolve_home

from ._util import context


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the prefecture most named places belong to
        ("潞州区、上党区、长子县开展安全检查。", "长治市"),
        # the paper's own name weighs more than one county of another city
        ("运城日报讯 芮城县开展消防演练，平陆县参加。", "运城市"),
        # a county paper: 我县 and one county named far more than any other
        ("我县召开会议。黎城县应急管理局、黎城县消防救援大队、黎城县林业局参加。", "黎城县"),
        # nothing to vote with
        ("今天天气很好，大家出门散步。", None),
        # one county-level place alone is too little to call the page's home
        ("平遥县游人如织。", None),
    ],
    ids=["prefecture", "paper", "county-paper", "none", "one-vote"],
)
def test_infer_home(text: str, want: str | None) -> None:
    home = infer_home(context(text))
    assert (home.name if home else None) == want


def test_an_override_wins_over_the_text() -> None:
    ctx = context("潞州区、上党区、长子县开展安全检查。")
    home = resolve_home(ctx, "运城市")
    assert home is not None and (home.name, home.level) == ("运城市", "prefecture")
    inferred = resolve_home(ctx, None)
    assert inferred is not None and inferred.name == "长治市"
