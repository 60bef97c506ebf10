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


@pytest.mark.parametrize(
    ("target", "actual", "met"),
    [
        ("2026年10月底前", "9月25日上线", True),  # the case: the actual names no year, the target's applies
        ("2026年10月底前", "2026年11月5日上线", False),
        ("10月底前", "2026年10月31日", True),  # a limit includes the day it names
        ("年底前", "12月20日完成", True),
        ("2026年6月30日前", "2026-06-30", True),  # an ISO date, as a spreadsheet writes it
        ("6月30日前完成", "7月1日上线", False),
        ("2026年10月底前", "2027年1月", False),  # a whole month, all of it after the deadline
        ("2026年12月", "已于2026年12月8日完成验收", True),  # a date target is a deadline for the whole month
    ],
)
def test_deadlines_are_met_or_missed_by_the_dates(target: str, actual: str, met: bool) -> None:
    """A 时限 target against an actual that names a date: met (completion 1) or missed (0), with both dates said."""
    a = assess(target, actual)
    assert a.scorable and a.rule == "deadline" and a.met is met
    assert a.completion == (1 if met else 0)
    assert target in a.detail and ("按时完成" if met else "晚于期限") in a.detail


@pytest.mark.parametrize(
    ("target", "actual", "reason"),
    [
        ("9月15日前", "9月完成", "只写到月份"),  # September: before or after the 15th?
        ("10月前", "9月25日", "该月1日前还是月底前"),  # 10月前 is read neither way
        ("2026年10月底前", "按时完成", "没有写明完成日期"),
        ("2026年10月底前", "2026年11月底前", "期限"),  # an actual that is itself a limit later than the target
    ],
)
def test_dates_that_cannot_decide_are_not_guessed(target: str, actual: str, reason: str) -> None:
    """A date too coarse, an ambiguous 月前, or no date at all: not scorable, with the reason."""
    a = assess(target, actual)
    assert not a.scorable and a.reason is not None and reason in a.reason
