"""The gazetteer: current names, adcodes, parents, short forms."""

from __future__ import annotations

import pytest

from kg.nlp import gazetteer


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load()


@pytest.mark.parametrize(
    ("name", "adcode", "chain"),
    [
        ("长子县", "140428", ["长子县", "长治市", "山西省"]),
        ("潞州区", "140403", ["潞州区", "长治市", "山西省"]),  # Changzhi's 2019 districts
        ("上党区", "140404", ["上党区", "长治市", "山西省"]),
        ("屯留区", "140405", ["屯留区", "长治市", "山西省"]),
        ("潞城区", "140406", ["潞城区", "长治市", "山西省"]),
        ("河津市", "140882", ["河津市", "运城市", "山西省"]),
        ("东城区", "110101", ["东城区", "北京市"]),
        ("济源市", "419001", ["济源市", "河南省"]),  # a province-administered county-level city
    ],
)
def test_full_names_have_adcodes_and_parents(gaz, name, adcode, chain):
    (d,) = gaz.lookup(name)
    assert d.adcode == adcode
    assert [x.name for x in gaz.chain(d)] == chain


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("芮城", "芮城县"),
        ("河津", "河津市"),
        ("山西", "山西省"),
        ("内蒙古", "内蒙古自治区"),
        ("长治", "长治市"),
        ("延边", "延边朝鲜族自治州"),
    ],
)
def test_short_forms(gaz, short, full):
    assert full in [d.name for d in gaz.lookup_short(short)]


def test_old_changzhi_names_are_gone(gaz):
    for old in ("长治县", "屯留县", "潞城市"):
        assert gaz.lookup(old) == []


def test_ambiguous_names_keep_every_candidate(gaz):
    cities = {gaz.prefecture_of(d).name for d in gaz.lookup("鼓楼区")}
    assert {"南京市", "福州市", "徐州市", "开封市"} <= cities


@pytest.mark.parametrize("short", ["沁", "夏", "小店", "城区"])
def test_unsafe_short_forms_are_not_offered(gaz, short):
    assert gaz.lookup_short(short) == []


@pytest.mark.parametrize(
    ("common", "full"),
    [
        # an autonomous division by its stem and level
        ("临夏州", "临夏回族自治州"),
        ("伊犁州", "伊犁哈萨克自治州"),  # the people named without 族
        ("青龙县", "青龙满族自治县"),
        # a division named after its people
        ("东乡县", "东乡族自治县"),
        ("鄂伦春旗", "鄂伦春自治旗"),
    ],
)
def test_autonomous_divisions_go_by_their_common_names(gaz, common, full):
    assert [d.name for d in gaz.lookup(common)] == [full]


def test_no_short_form_keeps_half_of_an_autonomous_head(gaz):
    assert not [d.short for d in gaz.by_code.values() if d.short and "自治" in d.short]
