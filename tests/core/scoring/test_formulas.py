"""Every rule-pack formula at its boundaries: exactly met, just below, zero target, tier and band edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest

from jixiao.core.model import Indicator
from jixiao.core.scoring import grade_for, load_pack, score_indicator
from jixiao.core.scoring.formulas import (
    execution_share,
    indicator_share,
    rate_interval,
    rate_matches,
    reverse_completion,
    round_score,
    round_to,
)

D = Decimal
MOF = load_pack("mof-2020")
CORE = load_pack("mof-2021-core")


def suggested(
    target: str, actual: str, weight: str = "10", pack: str = "mof-2020", level1: str = "产出指标"
) -> Decimal:
    """The suggested score of one indicator."""
    score = score_indicator(Indicator(level1, None, "指标", target, actual, D(weight)), 0, load_pack(pack))
    assert score.suggested is not None, score.reason
    return score.suggested


# --- mof-2020: positive, equal, reverse, zero target ----------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥300(人次)", "300(人次)", "10.00"),  # exactly met
        ("≥300(人次)", "299.99(人次)", "10.00"),  # 9.99966… rounds half up to the full weight
        ("≥300(人次)", "299.7(人次)", "9.99"),  # just below
        ("≥300(人次)", "56(人次)", "1.87"),  # 10 × 56 ÷ 300 = 1.8666…
        ("≥300(人次)", "0(人次)", "0.00"),
        ("≥300(人次)", "450(人次)", "10.00"),  # over-achievement is not deducted
        (">95%", "95%", "10.00"),  # the ratio formula: 95 ÷ 95
        ("=100%", "90%", "9.00"),  # "=" below target: proportional
        ("=100%", "120%", "10.00"),  # "=" above target: met
        ("100", "100", "10.00"),  # a bare number is a positive target
    ],
)
def test_positive_and_equal_targets(target: str, actual: str, expected: str) -> None:
    """Met gives the full weight, below target weight × actual ÷ target, ROUND_HALF_UP to two places."""
    assert suggested(target, actual) == D(expected)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≤15(工作日)", "15(工作日)", "10.00"),  # exactly met
        ("≤15(工作日)", "10(工作日)", "10.00"),  # better than the ceiling
        ("≤15(工作日)", "16(工作日)", "9.38"),  # 10 × 15 ÷ 16 = 9.375
        ("≤15(工作日)", "30(工作日)", "5.00"),
        ("<5%", "10%", "5.00"),
    ],
)
def test_reverse_targets_score_target_over_actual(target: str, actual: str, expected: str) -> None:
    """Reverse (≤, <): met gives full weight, otherwise weight × target ÷ actual."""
    assert suggested(target, actual) == D(expected)


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [("15", "15", "1"), ("20", "15", "0.6666666666666666666666666667"), ("30", "15", "0"), ("40", "15", "0")],
)
def test_linear_to_zero_at_double_alternative(actual: str, target: str, expected: str) -> None:
    """The documented alternative falls linearly from 1 at the target to 0 at twice the target, never below."""
    assert reverse_completion(D(actual), D(target), "linear-to-zero-at-double") == D(expected)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("=0(起)", "0(起)", "10.00"),
        ("=0(起)", "1(起)", "0.00"),  # nothing in between
        ("≥0.00(%)", "0.00(%)", "10.00"),
        ("≤0(次)", "0(次)", "10.00"),
        ("≤0(次)", "2(次)", "0.00"),
        ("≤0.00(%)", "-6.20(%)", "10.00"),  # a reduction meets a ceiling of zero growth
    ],
)
def test_zero_target_is_met_or_not(target: str, actual: str, expected: str) -> None:
    """A zero target has no ratio: full weight or nothing."""
    assert suggested(target, actual) == D(expected)


# --- qualitative tiers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "low", "high"),
    [
        ("达成指标", "8.00", "10.00"),
        ("部分达成指标并具有一定效果", "6.00", "8.00"),
        ("未达成指标且效果较差", "0.00", "6.00"),
    ],
)
def test_tier_bands_and_suggested_top(actual: str, low: str, high: str) -> None:
    """Tiers score within 80–100%, 60–80%, 0–60% of the weight; the suggestion is the top of the band."""
    score = score_indicator(Indicator("产出指标", None, "指标", "及时", actual, D("10")), 0, MOF)
    assert score.band == (D(low), D(high)) and score.suggested == D(high)


@pytest.mark.parametrize(
    ("recorded", "differs"),
    [("8", False), ("6", False), ("7", False), ("8.01", False), ("5.99", False), ("8.02", True), ("5.98", True)],
)
def test_tier_edges_at_60_and_80_percent_are_accepted(recorded: str, differs: bool) -> None:
    """A recorded score on the closed band's edges (60% and 80%) is the same; beyond the 0.01 tolerance it differs."""
    ind = Indicator("产出指标", None, "指标", "及时", "部分达成指标并具有一定效果", D("10"), D(recorded))
    assert score_indicator(ind, 0, MOF).differs is differs


def test_formula_tolerance_is_one_hundredth() -> None:
    """A recorded score within 0.01 of the suggestion is the same, beyond it differs."""
    base = Indicator("产出指标", None, "指标", "≥300(人次)", "56(人次)", D("4"))
    assert score_indicator(base, 0, MOF).suggested == D("0.75")
    from dataclasses import replace

    assert not score_indicator(replace(base, score=D("0.76")), 0, MOF).differs
    assert score_indicator(replace(base, score=D("0.77")), 0, MOF).differs
    assert score_indicator(replace(base, score=D("1.00")), 0, MOF).differs


# --- mof-2021-core: the 60% pass mark and the bands -------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("100", "10.00"),  # exactly met
        ("99", "9.75"),  # (0.99 − 0.6) ÷ 0.4 × 10
        ("80", "5.00"),
        ("61", "0.25"),
        ("60", "0.00"),  # exactly at the pass mark: nothing yet
        ("59.99", "0.00"),  # just below
        ("0", "0.00"),
    ],
)
def test_pass_mark_scoring(actual: str, expected: str) -> None:
    """101号: below 60% scores 0, above (completion − 60%) ÷ 40% × weight, capped at the weight."""
    assert suggested("≥100(次)", f"{actual}(次)", pack="mof-2021-core") == D(expected)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("1", "1"), ("1.2", "1"), ("0.9999", "0.7"), ("0.8", "0.7"), ("0.7999", "0.5"), ("0.6", "0.5"), ("0.5999", "0")],
)
def test_execution_bands(rate: str, expected: str) -> None:
    """101号 execution in bands: 100% full, 80% 70%, 60% 50%, below 60% nothing (an assumption, see the pack)."""
    assert execution_share(D(rate), CORE) == D(expected)


@pytest.mark.parametrize(("actual", "expected"), [("90", "10.00"), ("89", "8.00"), ("81", "8.00"), ("80", "6.00"),
                                                  ("72", "6.00"), ("71.9", "0.00")])  # fmt: skip
def test_satisfaction_bands(actual: str, expected: str) -> None:
    """101号 satisfaction in bands of completion (actual ÷ target): 100%, 90%, 80%, below."""
    got = suggested("≥90%", f"{actual}%", pack="mof-2021-core", level1="满意度指标")
    assert got == D(expected)


def test_proportional_execution_is_capped_at_the_weight() -> None:
    """mof-2020: execution earns executed ÷ adjusted of the weight, never more than the weight, never below 0."""
    assert execution_share(D("1.3"), MOF) == 1 and execution_share(D("0.5"), MOF) == D("0.5")
    assert execution_share(D("-0.1"), MOF) == 0
    assert indicator_share(D("1.5"), MOF) == 1


# --- rounding, grades, displayed rates --------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("0.125", "0.13"), ("2.675", "2.68"), ("9.405", "9.41"),
                                                 ("9.40499", "9.40"), ("0.005", "0.01")])  # fmt: skip
def test_rounding_is_half_up_on_the_exact_value(value: str, expected: str) -> None:
    """ROUND_HALF_UP to two places on the exact decimal (no binary float ever rounds 2.675 down)."""
    assert round_score(D(value), MOF) == D(expected)


@pytest.mark.parametrize(("total", "grade"), [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"),
                                              ("79.99", "中"), ("60", "中"), ("59.99", "差"), ("0", "差")])  # fmt: skip
def test_grade_bands_have_inclusive_lower_bounds(total: str, grade: str) -> None:
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below; the lower bounds are inclusive."""
    assert grade_for(D(total), MOF) == grade


@pytest.mark.parametrize(
    ("executed", "adjusted", "printed", "ok"),
    [
        ("94075", "183200.00", "51.36", True),  # rounded up (2022 template)
        ("94075", "183200.00", "51.35", True),  # half up and truncated
        ("94075", "183200.00", "51.37", False),
        ("78.30", "299.92", "26.10", True),  # truncated (2024 template)
        ("78.30", "299.92", "26.11", True),
        ("78.30", "299.92", "26.12", False),
        ("16.30", "20.33", "80.17", True),  # 万元 amounts: the printed precision allows it
        ("456.96", "10789.00", "4.2", True),  # one decimal printed
        ("456.96", "10789.00", "4.3", True),  # rounding up 4.235 at one decimal
        ("456.96", "10789.00", "4.4", False),
    ],
)
def test_printed_rate_within_display_rounding(executed: str, adjusted: str, printed: str, ok: bool) -> None:
    """A printed 执行率 matches when half-up, up or truncation of a rate the amounts allow gives it."""
    low, high = rate_interval(D(executed), D(adjusted))
    assert rate_matches(D(printed), low, high, MOF.rate_rounding) is ok


@pytest.mark.parametrize("value", ["1.5E+40", "-7E+29", "98614.19867193421", "0E-30"])
def test_absurd_figures_round_instead_of_raising(value: str) -> None:
    """A figure with more digits than the decimal context holds (found by the API's schema test) still rounds."""
    with localcontext() as context:
        context.prec = 100
        expected = D(value).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert round_to(D(value), 2, "ROUND_HALF_UP") == expected


def test_a_rate_far_out_of_range_is_judged_not_crashed() -> None:
    """Executed 1E+30 of a budget of 0.01: the printed rate is compared, and simply does not match."""
    low, high = Decimal("1E+32"), Decimal("1E+32")
    assert rate_matches(Decimal("15415.14"), low, high, ("ROUND_HALF_UP",)) is False
