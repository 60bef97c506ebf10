"""The monitoring alerts (财预〔2019〕136号) at their boundaries, by direction, with pack overrides; overdue forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from jixiao.core.model import Document, FundRow, Funds, Kind, Project
from jixiao.core.review import (
    REGISTRY,
    Finding,
    Severity,
    blocking,
    has_errors,
    overdue_finding,
    review_document,
)
from jixiao.core.scoring import RulePack, parse_pack
from tests.core.review.builders import D, mon_doc, monitoring, with_indicator


def _pack(*changes: tuple[str, str]) -> RulePack:
    """mof-2020 with some lines of its [monitoring] table changed."""
    text = resources.files("jixiao.core.scoring").joinpath("packs", "mof-2020.toml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    return parse_pack(text, "mof-2020")


def _review(project: Project, pack: RulePack | None = None, year: int = 2024) -> list[Finding]:
    return review_document(mon_doc(project, year=year), pack)


def _codes(project: Project, pack: RulePack | None = None, year: int = 2024) -> list[str]:
    return [f.code for f in _review(project, pack, year)]


def _money(
    executed: str | None = "60000.00",
    forecast: str | None = "98000.00",
    adjusted: str | None = "100000.00",
    rate: str | None = None,
    **changes: object,
) -> Project:
    """The clean form with other totals (no printed rate unless given, so only the alert under test speaks)."""
    row = FundRow(
        adjusted=None if adjusted is None else D(adjusted),
        executed=None if executed is None else D(executed),
        rate_pct=None if rate is None else D(rate),
        forecast=None if forecast is None else D(forecast),
    )
    return monitoring(funds=Funds(total=row), **changes)


def _one(findings: list[Finding], code: str) -> Finding:
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, [f.code for f in findings]
    return found[0]


def test_the_clean_form_raises_nothing() -> None:
    """On schedule, every forecast meets its target, every likelihood 确定能: not one finding."""
    assert review_document(mon_doc()) == []


# --- (a) execution behind the time schedule ----------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "executed", "behind"),
    [
        # months: 30 June is 6/12 = 50%, the alert line 40% (behind by more than 10 points)
        ("2024-06-30", "39999.99", True),
        ("2024-06-30", "40000.00", False),  # exactly 10 points behind: inside the margin
        ("2024-06-30", "40000.01", False),
        # 31 July is 7/12 = 58.333…%, the line 48.333…%
        ("2024-07-31", "48333.33", True),
        ("2024-07-31", "48333.34", False),
        # 30 July: July not over, still 6/12
        ("2024-07-30", "40000.00", False),
        ("2024-07-30", "39999.99", True),
        # 29 February 2024 ends February (2/12 = 16.67%); 28 February 2024 does not (1/12 = 8.33%: nothing can lag)
        ("2024-02-29", "6666.66", True),
        ("2024-02-29", "6666.67", False),
        ("2024-02-28", "0.00", False),
        # 31 December: 100%, the line 90%
        ("2024-12-31", "89999.99", True),
        ("2024-12-31", "90000.00", False),
    ],
)
def test_execution_behind_the_schedule_by_months_at_its_boundary(as_of: str, executed: str, behind: bool) -> None:
    """Just behind the margin alerts, exactly at it or inside it does not; the as-of month counts on its last day."""
    codes = _codes(_money(executed, forecast="100000.00", as_of=as_of))
    assert ("execution-behind-schedule" in codes) is behind


@pytest.mark.parametrize(
    ("as_of", "executed", "behind"),
    [
        # 2024 is a leap year: 31 July is day 213 of 366 = 58.19672…%, the line 48.19672…%
        ("2024-07-31", "48196.72", True),
        ("2024-07-31", "48196.73", False),
        # 2023: day 212 of 365 = 58.08219…%, the line 48.08219…%
        ("2023-07-31", "48082.19", True),
        ("2023-07-31", "48082.20", False),
        # 1 January counts itself: 1/365 — nothing can lag 10 points behind it
        ("2023-01-01", "0.00", False),
    ],
)
def test_execution_behind_the_schedule_by_days_in_leap_and_common_years(
    as_of: str, executed: str, behind: bool
) -> None:
    """With schedule = "days" the as-of day counts and a leap year has 366 days."""
    pack = _pack(('schedule = "months"', 'schedule = "days"'))
    year = int(as_of[:4])
    codes = _codes(_money(executed, forecast="100000.00", as_of=as_of), pack, year)
    assert ("execution-behind-schedule" in codes) is behind


def test_the_schedule_alert_says_both_numbers_and_points_at_the_executed_amount() -> None:
    """The message gives the rate, the schedule, how it was counted, the gap and the pack's margin."""
    finding = _one(_review(_money("48333.33", forecast="100000.00")), "execution-behind-schedule")
    assert finding.severity is Severity.WARNING and finding.field == "funds.total.executed"
    assert "截至2024年7月31日预算执行率 48.33%" in finding.message
    assert "序时进度 58.33%（已过 7 个整月 ÷ 12）" in finding.message
    assert "落后 10.01 个百分点" in finding.message and "允许的 10 个百分点" in finding.message
    assert (finding.expected, finding.found) == ("≥48.34%", "48.33%")


@pytest.mark.parametrize(("executed", "behind"), [("44999.99", True), ("45000.00", False)])
def test_the_schedule_margin_is_the_packs(executed: str, behind: bool) -> None:
    """A pack allowing 5 points alerts at 45% on 30 June (schedule 50%); the default 10 would not."""
    project = _money(executed, forecast="100000.00", as_of="2024-06-30")
    pack = _pack(("execution_margin_pct = 10", "execution_margin_pct = 5"))
    assert ("execution-behind-schedule" in _codes(project, pack)) is behind
    assert "execution-behind-schedule" not in _codes(project)


def test_the_printed_rate_is_used_when_the_executed_amount_is_missing() -> None:
    """Without 截至监控日执行数 the printed 执行率 is held against the schedule, and the missing figure is named."""
    findings = _review(_money(None, forecast="100000.00", rate="40.00"))
    behind = _one(findings, "execution-behind-schedule")
    assert "预算执行率 40.00%（表中填报的执行率）" in behind.message
    assert "截至监控日执行数" in _one(findings, "monitoring-funds-missing").message


# --- the as-of date ------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [None, "2024-02-30", "2023-02-29"])
def test_a_missing_or_impossible_as_of_date_is_an_error(as_of: str | None) -> None:
    """No schedule without a real date: an error naming the field; the schedule alert stays silent."""
    findings = _review(_money("10000.00", as_of=as_of), year=2024 if as_of != "2023-02-29" else 2023)
    finding = _one(findings, "as-of-missing")
    assert finding.severity is Severity.ERROR and finding.field == "as_of"
    assert "execution-behind-schedule" not in [f.code for f in findings]
    assert has_errors(findings)


def test_an_as_of_date_outside_the_forms_year_is_an_error() -> None:
    """A 2024 form monitored at 31 July 2023 cannot be held against 2024's schedule."""
    finding = _one(_review(_money("10000.00", as_of="2023-07-31")), "as-of-outside-year")
    assert "2023年7月31日" in finding.message and "2024 年度" in finding.message


# --- (e) the full-year budget forecast, and the money's consistency --------------------------------


@pytest.mark.parametrize(
    ("forecast", "pack_margin", "short"),
    [
        ("89999.99", None, True),
        ("90000.00", None, False),  # exactly 10% short: inside the margin
        ("100000.00", None, False),
        ("80000.00", "20", False),
        ("79999.99", "20", True),
    ],
)
def test_the_budget_forecast_short_of_the_budget_at_its_boundary(
    forecast: str, pack_margin: str | None, short: bool
) -> None:
    """全年预计执行数 below the budget by more than the pack's share alerts; exactly the share does not."""
    pack = (
        _pack(("budget_forecast_shortfall_pct = 10", f"budget_forecast_shortfall_pct = {pack_margin}"))
        if pack_margin
        else None
    )
    findings = _review(_money(forecast=forecast), pack)
    assert ("budget-forecast-short" in [f.code for f in findings]) is short
    if short:
        finding = _one(findings, "budget-forecast-short")
        assert f"全年预计执行数 {Decimal(forecast):,f} 元" in finding.message and "100,000.00 元" in finding.message


def test_the_money_contradicting_itself_is_an_error() -> None:
    """A rate that does not fit the amounts, more spent than budgeted, a forecast below what is spent: errors."""
    wrong_rate = _review(_money(rate="61.00"))
    assert _one(wrong_rate, "monitoring-rate-mismatch").severity is Severity.ERROR
    assert "execution-rate-mismatch" not in [f.code for f in wrong_rate]
    assert _codes(_money(rate="60.00")) == []
    over = _one(_review(_money("100000.01", forecast="100000.01")), "monitoring-executed-over-budget")
    assert over.severity is Severity.ERROR and "100,000.01 元 大于年度预算数 100,000.00 元" in over.message
    below = _one(_review(_money("60000.00", forecast="59999.99")), "budget-forecast-below-executed")
    assert below.severity is Severity.ERROR and below.field == "funds.total.forecast"


@pytest.mark.parametrize(
    ("executed", "forecast", "adjusted", "field"),
    [
        ("-0.01", "98000.00", "100000.00", "funds.total.executed"),
        ("60000.00", "-1.00", "100000.00", "funds.total.forecast"),
        ("0.00", "0.00", "-100000.00", "funds.total.adjusted"),
    ],
)
def test_a_negative_amount_is_an_error_that_blocks_the_form(
    executed: str, forecast: str, adjusted: str, field: str
) -> None:
    """No amount on the form can be negative: an error among the blocking ones; no alert is computed from it."""
    findings = _review(_money(executed, forecast, adjusted))
    finding = _one(findings, "monitoring-negative-amount")
    assert finding.field == field and "不能为负数" in finding.message
    assert [f.code for f in blocking(findings)] == ["monitoring-negative-amount"]
    assert not {"execution-behind-schedule", "budget-forecast-short"} & {f.code for f in findings}


def test_spending_against_a_zero_budget_is_over_the_budget() -> None:
    """A budget of 0 with money spent is more than budgeted, not a rate to compute."""
    findings = _review(_money("100.00", "100.00", "0.00"))
    assert [f.code for f in blocking(findings)] == ["monitoring-executed-over-budget"]


# --- (b) the forecast against the target, by the target's direction --------------------------------


@pytest.mark.parametrize(
    ("target", "forecast", "misses"),
    [
        ("≥2次", "2次", False),
        ("≥2次", "1.99次", True),
        ("2次", "1次", True),  # a bare number reads as ≥
        (">2次", "2次", True),
        (">2次", "2.01次", False),
        ("≤500元", "500元", False),
        ("≤500元", "500.01元", True),
        ("<500元", "500元", True),
        ("<500元", "499.99元", False),
        ("=100%", "100%", False),
        ("=100%", "99.9%", True),
        ("=100%", "100.1%", True),  # "=" differs either way (the pack's equal_forecast = "differs")
        ("80%-90%", "85%", False),  # a range: both ends
        ("80%-90%", "79%", True),
        ("80%-90%", "91%", True),
        ("医疗机构≥40%病种≥70%", "医疗机构45%病种72%", False),
        ("医疗机构≥40%病种≥70%", "医疗机构45%病种69%", True),
        ("≥90%", "部分达成", True),  # a tier below 达成 misses any target
        ("≥90%", "不能完成", True),  # the pack's unmet words
        ("建立健全", "建立健全", False),
        ("建立健全", "未完成", True),
        ("建立健全", "部分达成指标并具有一定效果", True),
        ("建立健全", "达成指标", False),
        ("2024年10月底前", "2024年10月31日", False),  # a dated forecast against a deadline
        ("2024年10月底前", "2024年11月15日", True),
    ],
)
def test_a_forecast_misses_its_target_by_the_targets_own_direction(target: str, forecast: str, misses: bool) -> None:
    """≥ below, > not above, ≤ above, < not below, = different, ranges and compounds part by part, phrases by words."""
    project = with_indicator(monitoring(), 0, target=target, forecast=forecast, likelihood="有可能", remedy="加快进度")
    findings = _review(project)
    assert ("forecast-misses-target" in [f.code for f in findings]) is misses
    if misses:
        finding = _one(findings, "forecast-misses-target")
        assert (finding.indicator, finding.field, finding.expected, finding.found) == (
            "业务培训次数",
            "forecast",
            target,
            forecast,
        )


def test_the_forecast_message_gives_both_values_and_the_gap() -> None:
    """The Chinese sentence names the indicator, the target, the forecast and how far apart they are."""
    project = with_indicator(monitoring(), 1, forecast="85%", likelihood="有可能", remedy="加强考前辅导")
    finding = _one(_review(project), "forecast-misses-target")
    assert (
        finding.message == "指标“培训考核合格率”预计不能完成：指标值 ≥90%，全年预计完成值 85%，低于指标值 5 个百分点。"
    )


def test_the_pack_may_count_an_equal_target_as_missed_only_below() -> None:
    """equal_forecast = "below": =100% forecast at 100.1% is fine, at 99.9% still missed."""
    pack = _pack(('equal_forecast = "differs"', 'equal_forecast = "below"'))
    above = with_indicator(monitoring(), 2, forecast="100.1%")
    below = with_indicator(monitoring(), 2, forecast="99.9%", likelihood="有可能", remedy="加快进度")
    assert "forecast-misses-target" not in _codes(above, pack)
    assert "forecast-misses-target" in _codes(above)
    assert "forecast-misses-target" in _codes(below, pack)


@pytest.mark.parametrize(("likelihood", "misses"), [("完全不可能", True), ("有可能", False), ("确定能", False)])
def test_a_qualitative_target_misses_by_its_likelihood(likelihood: str, misses: bool) -> None:
    """A phrase forecast that says nothing of failure misses only when the likelihood is one of unmet_likelihoods."""
    project = with_indicator(
        monitoring(), 0, target="建立健全", forecast="正在建立", likelihood=likelihood, remedy="加快制度建设"
    )
    codes = _codes(project)
    assert ("forecast-misses-target" in codes) is misses
    assert "likelihood-contradicts-forecast" not in codes


def test_the_pack_decides_which_likelihoods_mean_a_qualitative_miss() -> None:
    """unmet_likelihoods = ["有可能", "完全不可能"]: a qualitative target 有可能 to be met counts as missed."""
    pack = _pack(('unmet_likelihoods = ["完全不可能"]', 'unmet_likelihoods = ["有可能", "完全不可能"]'))
    project = with_indicator(
        monitoring(), 0, target="建立健全", forecast="正在建立", likelihood="有可能", remedy="加快制度建设"
    )
    finding = _one(_review(project, pack), "forecast-misses-target")
    assert finding.message == "指标“业务培训次数”预计不能完成：指标值“建立健全”，完成目标可能性为“有可能”。"
    assert "forecast-misses-target" not in _codes(project)


def test_the_packs_unmet_words_decide_what_a_phrase_forecast_says() -> None:
    """With unmet_words = ["延期"], 延期完成 misses; with the default words it does not."""
    pack = _pack(('equal_forecast = "differs"', 'equal_forecast = "differs"\nunmet_words = ["延期"]'))
    project = with_indicator(
        monitoring(), 0, target="建立健全", forecast="延期完成", likelihood="有可能", remedy="加快"
    )
    assert "forecast-misses-target" in _codes(project, pack)
    assert "forecast-misses-target" not in _codes(project)


def test_a_forecast_that_cannot_be_compared_says_why() -> None:
    """Another unit, or words against a number: information, never a guess either way."""
    unit = _one(_review(with_indicator(monitoring(), 0, forecast="2场")), "forecast-not-comparable")
    assert unit.severity is Severity.INFO and "单位“场”与指标值的单位“次”不同" in unit.message
    words = _one(_review(with_indicator(monitoring(), 0, forecast="按计划推进")), "forecast-not-comparable")
    assert "不是可比较的数值" in words.message


def test_the_likelihood_must_agree_with_the_forecast() -> None:
    """确定能 with a forecast that misses, 完全不可能 with one that meets: a warning on the likelihood."""
    certain = with_indicator(monitoring(), 0, forecast="1次", cause=("经费保障",))
    finding = _one(_review(certain), "likelihood-contradicts-forecast")
    assert finding.field == "likelihood" and finding.found == "确定能"
    hopeless = with_indicator(monitoring(), 0, likelihood="完全不可能", remedy="调整绩效目标", cause=("其他",))
    assert "likelihood-contradicts-forecast" in _codes(hopeless)


# --- (d) a value so far already beyond a ≤ target ------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "beyond"),
    [
        ("≤500元", "500元", False),
        ("≤500元", "500.01元", True),
        ("<500元", "500元", True),
        ("<500元", "499.99元", False),
        ("≥2次", "5次", False),  # a floor has no ceiling to pass
        ("80%-90%", "91%", True),  # the range's upper end
        ("80%-90%", "70%", False),
        ("≤500元", "0.05万元", False),  # another unit: not compared
    ],
)
def test_a_value_so_far_beyond_a_ceiling_alerts(target: str, actual: str, beyond: bool) -> None:
    """截至监控日完成值 above a ≤ target (at or above a < one) is already a miss in the making."""
    project = with_indicator(monitoring(), 3, target=target, actual=actual, forecast=None, likelihood="确定能")
    findings = _review(project)
    assert ("actual-beyond-ceiling" in [f.code for f in findings]) is beyond
    if beyond and target == "≤500元":
        finding = _one(findings, "actual-beyond-ceiling")
        assert finding.message.startswith(
            "指标“人均培训成本”的指标值为 ≤500元，截至监控日完成值已是 500.01元，超出 0.01元"
        )


# --- (c) 纠偏措施 and the causes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "remedy", "missing"),
    [
        ("确定能", None, False),
        ("有可能", None, True),
        ("有可能", "  ", True),
        ("有可能", "—", True),  # a placeholder is no remedy
        ("有可能", "增加培训场次", False),
        ("完全不可能", None, True),
        ("完全不可能", "申请调整绩效目标", False),
    ],
)
def test_a_likelihood_that_asks_for_a_remedy(likelihood: str, remedy: str | None, missing: bool) -> None:
    """有可能 and 完全不可能 need a 纠偏措施 (the pack's remedy_likelihoods); 确定能 does not."""
    project = with_indicator(monitoring(), 4, likelihood=likelihood, remedy=remedy, cause=("人员保障",))
    findings = _review(project)
    assert ("remedy-missing" in [f.code for f in findings]) is missing
    if missing:
        finding = _one(findings, "remedy-missing")
        assert finding.message == f"指标“参训人员考核通过人数”的完成目标可能性为“{likelihood}”，没有填写纠偏措施。"


def test_the_pack_decides_which_likelihoods_need_a_remedy() -> None:
    """remedy_likelihoods = ["完全不可能"]: 有可能 without a remedy passes."""
    pack = _pack(('remedy_likelihoods = ["有可能", "完全不可能"]', 'remedy_likelihoods = ["完全不可能"]'))
    project = with_indicator(monitoring(), 4, likelihood="有可能", cause=("人员保障",))
    assert "remedy-missing" not in _codes(project, pack)
    assert "remedy-missing" in _codes(project)


def test_a_deviation_needs_its_cause() -> None:
    """A miss or a doubtful likelihood without a cause type or analysis is a warning; either one answers it."""
    doubtful = with_indicator(monitoring(), 4, likelihood="有可能", remedy="增加培训场次")
    assert "monitoring-cause-missing" in _codes(doubtful)
    assert "monitoring-cause-missing" not in _codes(with_indicator(doubtful, 4, cause=("经费保障",)))
    assert "monitoring-cause-missing" not in _codes(with_indicator(doubtful, 4, deviation="下半年集中开班"))


def test_options_outside_the_form_are_errors_and_missing_ones_warnings() -> None:
    """A cause type or likelihood the form does not offer is an error; an empty likelihood or forecast a warning."""
    odd = with_indicator(monitoring(), 0, cause=("资金",), likelihood="大概能")
    findings = _review(odd)
    assert _one(findings, "unknown-deviation-cause").found == "资金"
    assert _one(findings, "unknown-likelihood").found == "大概能"
    assert has_errors(findings)
    empty = with_indicator(monitoring(), 0, likelihood=None, forecast=" ")
    assert {"likelihood-missing", "forecast-missing"} <= set(_codes(empty))
    assert not has_errors(_review(empty))


# --- what runs on a monitoring form --------------------------------------------------------------


def test_a_monitoring_form_gets_the_target_checks_and_the_alerts_never_the_scoring() -> None:
    """Every finding on a faulty monitoring form is a target or monitoring check; nothing is scored."""
    project = with_indicator(
        _money("10000.00", forecast="50000.00", outcome=None), 0, target="逐步提高", forecast="1次"
    )
    findings = _review(project)
    scopes = {REGISTRY[f.code].scope for f in findings}
    assert scopes == {"targets", "monitoring"}
    missing = [f.message for f in findings if f.code == "required-field-missing"]
    assert missing == ["项目“业务培训专项经费”没有填写总体目标截至监控日完成情况。"]


def test_the_shipped_2021_pack_raises_the_same_alerts() -> None:
    """mof-2021-core carries the same [monitoring] thresholds."""
    project = _money("39999.99", forecast="100000.00", as_of="2024-06-30")
    document = Document(Kind.MONITORING, 2024, (project,))
    assert [f.code for f in review_document(document, "mof-2021-core")] == ["execution-behind-schedule"]


# --- (f) due dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "submitted", "code", "days"),
    [
        ("2024-08-15", "2024-08-15", None, None, None),  # the due day itself is in time
        ("2024-08-15", "2024-08-16", None, "monitoring-not-submitted", 1),
        ("2024-08-15", "2024-09-15", None, "monitoring-not-submitted", 31),
        ("2024-08-15", "2024-09-15", "2024-08-15", None, None),
        ("2024-08-15", "2024-09-15", "2024-08-10", None, None),
        ("2024-08-15", "2024-09-15", "2024-08-20", "monitoring-submitted-late", 5),
        ("2024-02-28", "2024-03-01", None, "monitoring-not-submitted", 2),  # 29 February 2024 counts
        ("2023-02-28", "2023-03-01", None, "monitoring-not-submitted", 1),
        ("2023-12-31", "2024-01-01", None, "monitoring-not-submitted", 1),
    ],
)
def test_overdue_finding_judges_the_due_date(
    due: str, today: str, submitted: str | None, code: str | None, days: int | None
) -> None:
    """Not submitted after the due day, or submitted after it: a finding with the days late; otherwise None."""
    finding = overdue_finding(
        "业务培训专项经费",
        "某区职业技能培训中心",
        date.fromisoformat(due),
        date.fromisoformat(today),
        None if submitted is None else date.fromisoformat(submitted),
        year=2024,
    )
    if code is None:
        assert finding is None
        return
    assert finding is not None
    assert (finding.code, finding.project, finding.unit, finding.field) == (
        code,
        "业务培训专项经费",
        "某区职业技能培训中心",
        "submitted",
    )
    assert finding.severity is REGISTRY[code].severity and finding.year == 2024
    assert f"逾期 {days} 天" in finding.message and finding.expected == due and finding.found == submitted
    assert finding.to_dict()["code"] == code
