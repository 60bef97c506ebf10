"""The ex-ante rules (事前绩效评估): the [exante] table, an expert's sheet, the total, the conclusion, the gate."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest

from jixiao.core.scoring import PackError, load_pack, parse_pack
from jixiao.core.scoring.exante import (
    Conclusion,
    SheetError,
    conclude,
    expert_total,
    is_new,
    national_default,
    needs_assessment,
    panel_total,
    to_yuan,
)

RULES = national_default()
_ONE_DIMENSION = '[[exante.dimensions]]\nkey = "a"\nname = "甲"\nweight = {weight}\n' + (
    'questions = [{{ key = "a.1", text = "x", weight = 90 }}]\n'
)


def _text() -> str:
    return resources.files("jixiao.core.scoring").joinpath("packs/mof-2020.toml").read_text(encoding="utf-8")


def _full_marks() -> dict[str, object]:
    return {q.key: q.weight for q in RULES.questions}


def test_the_default_has_the_five_dimensions_weighted_to_100_with_their_official_text() -> None:
    """The five dimensions of 中发〔2018〕34号 in order, each the sum of its points, 100 in all."""
    assert [d.name for d in RULES.dimensions] == [
        "立项必要性",
        "投入经济性",
        "绩效目标合理性",
        "实施方案可行性",
        "筹资合规性",
    ]
    assert [d.weight for d in RULES.dimensions] == [25, 20, 20, 20, 15]
    assert RULES.total_weight == 100
    assert all(sum(q.weight for q in d.questions) == d.weight for d in RULES.dimensions)
    assert "中发〔2018〕34号" in RULES.document and "国发〔2021〕5号" in RULES.document
    assert {key for key, _, _ in RULES.bases} == {"exante.dimensions", "exante.conclusion", "exante.gate"}


@pytest.mark.parametrize("name", ["mof-2020", "mof-2021-core"])
def test_every_shipped_pack_carries_the_national_default(name: str) -> None:
    """A pack without an [exante] table gets the default, and lists its bases for docs/rules.md."""
    pack = load_pack(name)
    assert pack.exante == RULES
    assert any(b.key == "exante.gate" for b in pack.bases)


def test_a_province_overrides_thresholds_and_replaces_the_dimensions() -> None:
    """A provincial pack writes only what differs; dimensions, when written, replace the whole sheet."""
    extra = """
[exante]
support_min = 85
gate_amount_yuan = 10000000
new_natures = ["新增"]

[[exante.dimensions]]
key = "a"
name = "立项必要性"
weight = 50
questions = [{ key = "a.1", text = "依据", weight = 50 }]

[[exante.dimensions]]
key = "b"
name = "投入经济性"
weight = 50
questions = [{ key = "b.1", text = "成本", weight = 30 }, { key = "b.2", text = "规模", weight = 20 }]
"""
    rules = parse_pack(_text() + extra, "mof-2020").exante
    assert rules.support_min == 85 and rules.adjust_min == 60
    assert rules.gate_amount_yuan == 10000000 and rules.new_natures == ("新增",)
    assert [q.key for q in rules.questions] == ["a.1", "b.1", "b.2"]


@pytest.mark.parametrize(
    ("extra", "where", "says"),
    [
        ("[exante]\nsupport_min = 50\n", "exante.adjust_min", "小于 support_min"),
        ("[exante]\nsupport_min = 101\n", "exante.support_min", "不超过 100"),
        ("[exante]\nadjust_min = 0\n", "exante.adjust_min", "大于 0"),
        ("[exante]\ngate_amount_yuan = -1\n", "exante.gate_amount_yuan", "大于 0"),
        ("[exante]\nnew_natures = []\n", "exante.new_natures", "列表"),
        ("[exante]\nsupport = 80\n", "exante.support", "已知的键"),
        (
            _ONE_DIMENSION.format(weight=100),
            "exante.dimensions[0].questions",
            "合计等于该维度的分值 100",
        ),
        (
            _ONE_DIMENSION.format(weight=90),
            "exante.dimensions",
            "合计 100",
        ),
    ],
)
def test_a_bad_exante_value_is_refused_naming_the_key(extra: str, where: str, says: str) -> None:
    """A bad threshold or sheet is a PackError naming the key; never a silent default."""
    with pytest.raises(PackError) as caught:
        parse_pack(_text() + "\n" + extra, "mof-2020")
    assert f"规则包 mof-2020 的 {where} 应为" in str(caught.value) and says in str(caught.value)


def test_an_expert_sheet_adds_up_at_full_marks_and_at_zero() -> None:
    assert expert_total(RULES, _full_marks()) == 100
    assert expert_total(RULES, {q.key: "0" for q in RULES.questions}) == 0
    scores = {q.key: str(q.weight - Decimal("0.5")) for q in RULES.questions}
    assert expert_total(RULES, scores) == 100 - Decimal("0.5") * len(RULES.questions)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("10.01", "应在 0 到 10 分之间"),
        ("-0.01", "应在 0 到 10 分之间"),
        ("1.005", "最多两位小数"),
        ("十", "不是数字"),
        ("NaN", "应在 0 到 10 分之间"),
        ("", "未打分"),
    ],
)
def test_a_bad_score_is_refused_naming_the_dimension_and_point(value: str, says: str) -> None:
    scores = _full_marks() | {"necessity.basis": value}
    with pytest.raises(SheetError) as caught:
        expert_total(RULES, scores)
    assert "「立项必要性」的“政策依据是否充分" in str(caught.value) and says in str(caught.value)


def test_a_sheet_with_an_unknown_point_or_a_missing_one_is_refused() -> None:
    with pytest.raises(SheetError, match="没有评估要点 other"):
        expert_total(RULES, _full_marks() | {"other": "1"})
    missing = _full_marks()
    del missing["funding.shares"]
    with pytest.raises(SheetError, match=r"「筹资合规性」.*未打分"):
        expert_total(RULES, missing)


def test_the_panel_total_is_the_mean_rounded_half_up_to_the_hundredth() -> None:
    assert panel_total([Decimal("80"), Decimal("79.99"), Decimal("80")]) == Decimal("80.00")  # 79.9966…
    assert panel_total([Decimal("79.99"), Decimal("79.99"), Decimal("80")]) == Decimal("79.99")  # 79.9933…
    assert panel_total([Decimal("60.005")]) == Decimal("60.01")
    with pytest.raises(SheetError, match="还没有专家提交评分"):
        panel_total([])


@pytest.mark.parametrize(
    ("total", "conclusion"),
    [
        ("100", Conclusion.SUPPORT),
        ("80", Conclusion.SUPPORT),
        ("79.99", Conclusion.ADJUST),
        ("60", Conclusion.ADJUST),
        ("59.99", Conclusion.REJECT),
        ("0", Conclusion.REJECT),
    ],
)
def test_the_conclusion_at_every_boundary(total: str, conclusion: Conclusion) -> None:
    assert conclude(RULES, Decimal(total)) is conclusion


def test_an_impossible_total_has_no_conclusion() -> None:
    for total in ("100.01", "-0.01"):
        with pytest.raises(SheetError, match="不在 0 到 100 分之间"):
            conclude(RULES, Decimal(total))
    assert [c.label for c in Conclusion] == ["予以支持", "调整完善后予以支持", "不予支持"]


@pytest.mark.parametrize(
    ("nature", "amount", "unit", "needed"),
    [
        ("新增项目", "5000000", "元", True),
        ("新增项目", "4999999.99", "元", False),
        ("新增项目", "500", "万元", True),
        ("新增项目", "499.99", "万元", False),
        ("延续项目", "90000000", "元", False),
        ("经常性项目", "500", "万元", False),
        ("", "500", "万元", False),
        (None, "500", "万元", False),
        ("新设政策", "6000000", "元", True),
        ("新增项目", None, "元", False),
    ],
)
def test_the_gate_asks_new_and_at_or_above_the_amount(
    nature: str | None, amount: str | None, unit: str, needed: bool
) -> None:
    value = Decimal(amount) if amount is not None else None
    assert needs_assessment(RULES, nature, value, unit) is needed


def test_amounts_in_wan_are_counted_in_yuan_and_unknown_units_are_not_guessed() -> None:
    assert to_yuan(Decimal("1.23"), "万元") == Decimal("12300.00")
    assert to_yuan(Decimal("1.23"), "千元") is None
    assert is_new(RULES, "新出台政策") and not is_new(RULES, "延续")
