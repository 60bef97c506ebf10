"""Reading a target against its actual value: met, completion, tier, or not scorable with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.scoring import assess, read_value
from jixiao.core.targets import Tier

D = Decimal


def test_values_are_parsed_once() -> None:
    """The grammar's reading is cached: the same cell text gives the very same object."""
    assert read_value("≥1.00(次)") is read_value("≥1.00(次)")


@pytest.mark.parametrize(
    ("target", "actual", "rule", "completion"),
    [
        ("≥300.00(人次)", "56.00(人次)", "positive", "0.1866666666666666666666666667"),
        (">=1次", "1", "positive", "1"),  # a bare actual takes the target's unit
        ("=100%", "90.00(%)", "equal", "0.9"),
        ("≤15(工作日)", "15.00(个工作日)", "reverse", "1"),  # 个工作日 and 工作日 are one unit
        ("=0(起)", "0(起)", "zero-target", "1"),
        ("=12期月报和1期年报", "12期月报和1期年报", "compound", "1"),
        ("医疗机构≥40% 病种≥70%", "医疗机构45% 病种56%", "compound", "0.8"),
        ("80%-90%", "95%", "compound", "0.9473684210526315789473684211"),  # a range: above the ceiling
    ],
)
def test_quantities(target: str, actual: str, rule: str, completion: str) -> None:
    """Quantities compare by direction; compounds by their weakest part; ranges by both ends."""
    a = assess(target, actual)
    assert a.scorable and a.rule == rule and a.completion == D(completion)


def test_over_achievement_and_equal_exceeded_are_measured() -> None:
    """Exceeding a positive target records by how much; an "=" target exceeded is marked."""
    a = assess("=1场", "2场")
    assert a.met and a.equal_exceeded and a.exceeded_by == 1
    exceeded = assess("≥150.00(张)", "197.00(张)").exceeded_by
    assert exceeded is not None and exceeded.quantize(D("0.0001")) == D("0.3133")


def test_an_actual_with_a_sign_is_read_at_its_number_and_marked() -> None:
    """``>=85%`` as an actual is scored at 85 and flagged as not a measured value."""
    a = assess(">=85%", ">=85%")
    assert a.met and a.actual_is_inequality


@pytest.mark.parametrize(
    ("target", "actual", "tier"),
    [
        ("合理", "达成指标", Tier.MET),
        ("=100.00(%)", "部分达成指标并具有一定效果", Tier.PARTIAL),
        ("及时", "未达成指标且效果较差", Tier.UNMET),
        ("建立健全", "建立健全", Tier.MET),  # the same phrase: met
        ("建立健全", "建立建全", Tier.MET),  # a one-character typo: still the same phrase
        ("提升", "稳步提升", Tier.MET),  # containing the target phrase
    ],
)
def test_qualitative_tiers_and_phrases(target: str, actual: str, tier: Tier) -> None:
    """The evaluator's tier decides; an actual phrase that says the target phrase counts as met."""
    a = assess(target, actual)
    assert a.scorable and a.tier is tier


@pytest.mark.parametrize(
    ("target", "actual", "reason"),
    [
        ("≥2次", None, "未填写实际完成值"),
        ("≥2次", "—", "未填写实际完成值"),
        ("≥2次", "2场", "单位"),
        ("≥2次", "完成", "不是可比较的数值"),
        ("明显提升", "有所提升", "表述不同"),
        ("2篇《关于…的报告》", "2篇", "指标值无法识别"),
        ("医疗机构≥40% 病种≥70%", "45%", "分项"),
        ("定性 优良中低差", "良好", "评分等级"),
    ],
)
def test_not_scorable_with_a_reason(target: str, actual: str | None, reason: str) -> None:
    """What cannot be compared is never guessed: not scorable, with the reason in Chinese."""
    a = assess(target, actual)
    assert not a.scorable and a.reason is not None and reason in a.reason


def test_phrases_need_the_pack_to_accept_them() -> None:
    """Without a similarity threshold (pack: same_phrase_is_met = false) a phrase is not scorable."""
    assert not assess("建立健全", "建立健全", "target/actual", None).scorable
