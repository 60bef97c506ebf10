"""Every registered check: one document set that triggers it and one that does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from jixiao.core.department import ProjectMoney, rollup
from jixiao.core.library import TargetRange, cluster_key
from jixiao.core.model import Document, FundRow, Funds
from jixiao.core.review import CHECKS, REGISTRY, Finding, overdue_finding, review_document, review_documents
from tests.core.review.builders import (
    D,
    decl_doc,
    declaration,
    eval_doc,
    evaluation,
    ind,
    mon_doc,
    monitoring,
    with_indicator,
)
from tests.exporters.helpers import department_document

Docs = list[tuple[str, Document]]
# A case is a document set to review, or (for a check the web runs on its own dates) the findings it gives.
Case = Docs | list[Finding]


def single(doc: Document) -> Callable[[], Docs]:
    """A case of one document."""
    return lambda: [("form.json", doc)]


def pair(earlier: Document, later: Document) -> Callable[[], Docs]:
    """A case of two documents, the earlier first."""
    return lambda: [("earlier.json", earlier), ("later.json", later)]


def due(on: str, today: str, submitted: str | None = None) -> Callable[[], list[Finding]]:
    """A case of a monitoring form's due date, judged as the web judges it."""
    day = date.fromisoformat

    def run() -> list[Finding]:
        found = overdue_finding("业务培训专项经费", None, day(on), day(today), submitted and day(submitted))
        return [found] if found else []

    return run


def beside_library(target: str) -> Callable[[], list[Finding]]:
    """A case of a declared target beside the indicator library's range (given as the web gives it, plain data)."""
    span = TargetRange("次", 8, D("2"), D("4"), D("6"), D("10"), D("40"))

    def run() -> list[Finding]:
        doc = decl_doc(declaration(indicators=(ind("业务培训次数", target),)))
        return review_document(doc, library={cluster_key("业务培训次数"): (span,)})

    return run


def money(executed: str | None, forecast: str | None, adjusted: str = "100000.00", rate: str | None = None) -> Funds:
    """A monitoring form's total row."""
    row = FundRow(adjusted=D(adjusted), executed=executed and D(executed), forecast=forecast and D(forecast))
    return Funds(total=replace(row, rate_pct=rate and D(rate)))


E = evaluation()
P = declaration()
SHORT = with_indicator(E, 0, actual="1次", score="10", deviation="受场地限制只举办 1 次。")
# a declaration whose weights are set, as the web's editor sets them: 产出 50, 效益 30, 满意度 10 = 90
WP = declaration(indicators=tuple(replace(i, actual=None, score=None) for i in E.indicators))
OVER = with_indicator(E, 0, actual="3次", deviation="需求旺盛，增开一次。")
M = monitoring()
# an indicator whose forecast misses: 有可能, with a cause and a remedy, so only the check under test speaks
MISS = with_indicator(M, 0, forecast="1次", likelihood="有可能", cause=("经费保障",), remedy="下半年增开")


# code -> (triggers, does not trigger); the second is a near miss wherever one exists.
def dept_doc(level1: str | None = None, **split: FundRow) -> Document:
    """The exporters' department form, with one split row's initial budget or every level-1 label changed."""
    doc = department_document()
    p = doc.projects[0]
    rows = {k: replace(getattr(p.department_funds, k), initial=v.initial) for k, v in split.items()}
    p = replace(p, department_funds=replace(p.department_funds, **rows))  # type: ignore[arg-type]
    if level1 is not None:
        p = replace(p, indicators=tuple(replace(i, level1=level1) for i in p.indicators))
    return replace(doc, projects=(p,))


def rolled(typed: D, executed: D, rate: D | None = None) -> Callable[[], list[Finding]]:
    """The roll-up of one project record spending ``executed`` against a typed 项目支出 of ``typed`` (and a rate)."""

    def run() -> list[Finding]:
        p = department_document().projects[0]
        project = replace(p.department_funds.project, executed=typed, rate_pct=rate)  # type: ignore[union-attr]
        p = replace(p, department_funds=replace(p.department_funds, project=project))  # type: ignore[arg-type]
        record = ProjectMoney("造林工程", "万元", D("2985.50"), D("2985.50"), executed)
        return list(rollup(p, [record]).findings)

    return run


CASES: dict[str, tuple[Callable[[], Case], Callable[[], Case]]] = {
    # --- targets -------------------------------------------------------------------------------
    "no-indicators": (single(decl_doc(declaration(indicators=()))), single(decl_doc())),
    "required-field-missing": (single(decl_doc(declaration(goal=None))), single(decl_doc())),
    "missing-level1": (
        single(decl_doc(declaration(indicators=P.indicators[:3]))),
        single(decl_doc(declaration(indicators=P.indicators[:4]))),
    ),
    "missing-output-quantity": (
        single(decl_doc(with_indicator(P, 0, level2="质量指标"))),
        single(decl_doc(with_indicator(P, 2, level2="数量指标"))),
    ),
    "missing-output-quality": (
        single(decl_doc(with_indicator(P, 1, level2="时效指标"))),
        single(decl_doc(with_indicator(P, 2, level2="质量指标"))),
    ),
    "target-missing": (single(decl_doc(with_indicator(P, 0, target="—"))), single(decl_doc())),
    "target-unparsable": (
        single(decl_doc(with_indicator(P, 0, target="2篇《关于培训情况的报告》"))),
        single(decl_doc(with_indicator(P, 0, target="=2(篇)"))),
    ),
    "target-trivial": (
        single(decl_doc(with_indicator(P, 1, target="≥0.00(%)"))),
        single(decl_doc(with_indicator(P, 1, target="≥0.5(%)"))),
    ),
    "target-vague": (
        single(decl_doc(with_indicator(P, 3, target="有所提升"))),
        single(decl_doc(with_indicator(P, 3, target="不增加"))),
    ),
    "rate-target-over-100": (
        single(decl_doc(with_indicator(P, 1, target="≥105%"))),
        single(decl_doc(with_indicator(P, 1, name="培训经费增长率", target="≥105%"))),
    ),
    "unit-mismatch": (
        single(decl_doc(with_indicator(P, 1, name="培训投诉率", target="≤5次"))),
        single(decl_doc(with_indicator(P, 1, name="培训通知更新频率", target="≥5次"))),
    ),
    "cost-not-reverse": (
        single(decl_doc(with_indicator(P, 0, level1="成本指标", level2="经济成本指标", target="≥300元"))),
        single(decl_doc(with_indicator(P, 0, level1="成本指标", level2="经济成本指标", target="=300元/人"))),
    ),
    "duplicate-indicator": (
        single(decl_doc(replace(P, indicators=(*P.indicators, P.indicators[0])))),
        single(decl_doc(replace(P, indicators=(*P.indicators, replace(P.indicators[0], name="专题培训次数"))))),
    ),
    "weight-out-of-range": (
        single(decl_doc(with_indicator(WP, 0, weight="500"))),
        single(decl_doc(with_indicator(with_indicator(WP, 0, weight="90"), 1, weight="0.00001"))),
    ),
    "indicator-share-mismatch": (
        single(decl_doc(with_indicator(WP, 0, weight="30"))),
        single(decl_doc(WP)),
    ),
    "level1-share-differs": (
        single(decl_doc(with_indicator(with_indicator(WP, 0, weight="25"), 3, weight="25"))),
        single(decl_doc(WP)),
    ),
    "funds-do-not-add-up": (
        single(decl_doc(replace(P, funds=replace(P.funds, other=FundRow(requested=D("10")))))),
        single(
            decl_doc(
                replace(
                    P,
                    funds=Funds(
                        total=FundRow(requested=D("1.01")),
                        current_appropriation=FundRow(requested=D("0.50")),
                        other=FundRow(requested=D("0.50")),
                    ),
                )
            )
        ),
    ),
    # --- self-evaluations ----------------------------------------------------------------------
    "execution-rate-mismatch": (
        single(eval_doc(evaluation(funds=replace(E.funds, total=replace(E.funds.total, rate_pct=D("95.10")))))),
        single(eval_doc(evaluation(funds=replace(E.funds, total=replace(E.funds.total, rate_pct=D("95.0")))))),
    ),
    "execution-score-mismatch": (
        single(eval_doc(evaluation(execution=replace(E.execution, score=D("9.4")), total_score=D("99.40")))),
        single(eval_doc(evaluation(execution=replace(E.execution, score=D("9.5"))))),
    ),
    "execution-over-100": (
        single(
            eval_doc(
                evaluation(
                    funds=Funds(total=FundRow(D("100"), D("100"), D("110"), rate_pct=D("110.00"))),
                    execution=replace(E.execution, rate_pct=D("110.00"), score=D("10")),
                    total_score=D("100.00"),
                )
            )
        ),
        single(eval_doc()),
    ),
    "score-out-of-range": (
        single(eval_doc(with_indicator(evaluation(total_score=D("104.50")), 0, score="25"))),
        single(eval_doc()),
    ),
    "weights-do-not-add-up": (single(eval_doc(with_indicator(E, 0, weight="25"))), single(eval_doc())),
    "total-over-maximum": (
        single(eval_doc(evaluation(total_score=D("109.09")))),
        single(eval_doc(evaluation(total_score=D("100.00")))),
    ),
    "total-mismatch": (single(eval_doc(evaluation(total_score=D("95.00")))), single(eval_doc())),
    "total-rounding": (
        single(eval_doc(evaluation(total_score=D("99.51")))),
        single(eval_doc(evaluation(total_score=D("99.5")))),
    ),
    "grade-mismatch": (single(eval_doc(evaluation(grade="良"))), single(eval_doc())),
    "score-differs-from-formula": (
        single(eval_doc(with_indicator(SHORT, 0, score="20"))),
        single(eval_doc(with_indicator(SHORT, 0, score="10.01"))),
    ),
    "deviation-missing": (single(eval_doc(with_indicator(SHORT, 0, deviation=None))), single(eval_doc(SHORT))),
    "actual-missing": (single(eval_doc(with_indicator(E, 0, actual="/"))), single(eval_doc())),
    "actual-unit-mismatch": (
        single(eval_doc(with_indicator(E, 0, actual="2场"))),
        single(eval_doc(with_indicator(E, 0, actual="2"))),
    ),
    "actual-copies-target": (
        single(eval_doc(with_indicator(E, 1, actual="≥90%"))),
        single(eval_doc(with_indicator(E, 1, actual="=90%"))),
    ),
    "actual-not-a-value": (
        single(eval_doc(with_indicator(E, 1, actual=">92%"))),
        single(eval_doc(with_indicator(E, 1, actual="92%"))),
    ),
    "outcome-copies-goal": (
        single(eval_doc(evaluation(outcome="已完成。" + (E.goal or "")))),
        single(eval_doc()),
    ),
    "full-marks-low-execution": (
        single(
            eval_doc(
                evaluation(
                    funds=Funds(total=FundRow(D("100"), D("100"), D("50"), rate_pct=D("50.00"))),
                    execution=replace(E.execution, rate_pct=D("50.00"), score=D("5.00")),
                    total_score=D("95.00"),
                )
            )
        ),
        single(
            eval_doc(
                with_indicator(
                    evaluation(
                        funds=Funds(total=FundRow(D("100"), D("100"), D("50"), rate_pct=D("50.00"))),
                        execution=replace(E.execution, rate_pct=D("50.00"), score=D("5.00")),
                        outcome="培训费结余 50%，原因是线上培训。",
                        total_score=D("85.00"),
                    ),
                    0,
                    actual="1次",
                    score="10",
                    deviation="只举办 1 次。",
                )
            )
        ),
    ),
    "low-execution-unexplained": (
        single(
            eval_doc(
                evaluation(
                    funds=Funds(total=FundRow(D("100"), D("100"), D("70"), rate_pct=D("70.00"))),
                    execution=replace(E.execution, rate_pct=D("70.00"), score=D("7.00")),
                    outcome="全年组织业务培训 2 次，培训 55 人。",
                    total_score=D("97.00"),
                )
            )
        ),
        single(
            eval_doc(
                evaluation(
                    funds=Funds(total=FundRow(D("100"), D("100"), D("70"), rate_pct=D("70.00"))),
                    execution=replace(E.execution, rate_pct=D("70.00"), score=D("7.00")),
                    outcome="全年组织业务培训 2 次；执行率 70%，因第四季度培训顺延至次年。",
                    total_score=D("97.00"),
                )
            )
        ),
    ),
    "over-achieved": (single(eval_doc(OVER)), single(eval_doc(with_indicator(OVER, 0, actual="2次")))),
    "equal-target-exceeded": (
        single(eval_doc(with_indicator(E, 0, target="=10次", actual="11次"))),
        single(eval_doc(with_indicator(E, 0, target="≥10次", actual="11次"))),
    ),
    # --- across documents: same-year approval ---------------------------------------------------
    "indicator-added": (
        pair(
            decl_doc(),
            eval_doc(replace(E, indicators=(*E.indicators, ind("培训教材印发数量", "≥100册", "120册", "0", "0")))),
        ),
        pair(decl_doc(), eval_doc()),
    ),
    "indicator-dropped": (
        pair(decl_doc(), eval_doc(evaluation(indicators=E.indicators[:4], total_score=D("89.50")))),
        pair(decl_doc(), eval_doc()),
    ),
    "target-changed": (
        pair(decl_doc(with_indicator(P, 0, target="≥3次")), eval_doc()),
        pair(decl_doc(with_indicator(P, 0, target="≥2.00(次)")), eval_doc()),
    ),
    # --- across documents: year over year ------------------------------------------------------
    "yoy-indicator-added": (
        pair(decl_doc(declaration(indicators=P.indicators[:4]), year=2023), decl_doc()),
        pair(decl_doc(year=2023), decl_doc()),
    ),
    "yoy-indicator-dropped": (
        pair(decl_doc(year=2023), decl_doc(declaration(indicators=P.indicators[:4]))),
        pair(decl_doc(year=2023), decl_doc()),
    ),
    "yoy-target-raised": (
        pair(decl_doc(year=2023), decl_doc(with_indicator(P, 0, target="≥3次"))),
        pair(decl_doc(year=2023), decl_doc(with_indicator(P, 0, target="≥1次"))),
    ),
    "yoy-target-lowered": (
        pair(decl_doc(year=2023), decl_doc(with_indicator(P, 0, target="≥1次"))),
        pair(decl_doc(year=2023), decl_doc(with_indicator(P, 0, target="≥3次"))),
    ),
    "yoy-target-changed": (
        pair(decl_doc(year=2023), decl_doc(with_indicator(P, 0, target="≥2场"))),
        pair(decl_doc(year=2023), decl_doc(with_indicator(P, 0, target="≥2.00(次)"))),
    ),
    "target-lowered-after-shortfall": (
        pair(eval_doc(SHORT, year=2023), decl_doc(with_indicator(P, 0, target="≥1次"))),
        pair(eval_doc(year=2023), decl_doc(with_indicator(P, 0, target="≥1次"))),
    ),
    "target-unchanged-after-shortfall": (
        pair(eval_doc(SHORT, year=2023), decl_doc()),
        pair(eval_doc(SHORT, year=2023), decl_doc(with_indicator(P, 0, target="≥1次"))),
    ),
    "target-below-prior-actual": (
        pair(eval_doc(OVER, year=2023), decl_doc(with_indicator(P, 0, target="≥2.5次"))),
        pair(eval_doc(OVER, year=2023), decl_doc(with_indicator(P, 0, target="≥3次"))),
    ),
    "target-unchanged-after-over-achievement": (
        pair(eval_doc(OVER, year=2023), decl_doc()),
        pair(eval_doc(OVER, year=2023), decl_doc(with_indicator(P, 0, target="≥3次"))),
    ),
    "yoy-targets-unchanged": (
        pair(decl_doc(year=2023), decl_doc()),
        pair(decl_doc(year=2023), decl_doc(with_indicator(P, 0, target="≥3次"))),
    ),
    # --- monitoring forms ---------------------------------------------------------------------
    "as-of-missing": (single(mon_doc(monitoring(as_of="2024-06-31"))), single(mon_doc(monitoring(as_of="2024-06-30")))),
    "as-of-outside-year": (
        single(mon_doc(monitoring(as_of="2023-12-31"))),
        single(mon_doc(monitoring(as_of="2024-01-01"))),
    ),
    "monitoring-funds-missing": (
        single(mon_doc(monitoring(funds=money("60000.00", None)))),
        single(mon_doc(monitoring(funds=money("60000.00", "98000.00")))),
    ),
    "monitoring-negative-amount": (
        single(mon_doc(monitoring(funds=money("-0.01", "98000.00")))),
        single(mon_doc(monitoring(funds=money("0.00", "98000.00")))),
    ),
    "monitoring-rate-mismatch": (
        single(mon_doc(monitoring(funds=money("60000.00", "98000.00", rate="60.10")))),
        single(mon_doc(monitoring(funds=money("60000.00", "98000.00", rate="60.00")))),
    ),
    "monitoring-executed-over-budget": (
        single(mon_doc(monitoring(funds=money("100000.01", "100000.01")))),
        single(mon_doc(monitoring(funds=money("100000.00", "100000.00")))),
    ),
    "budget-forecast-below-executed": (
        single(mon_doc(monitoring(funds=money("95000.00", "94999.99")))),
        single(mon_doc(monitoring(funds=money("95000.00", "95000.00")))),
    ),
    "execution-behind-schedule": (
        single(mon_doc(monitoring(funds=money("48333.33", "98000.00")))),
        single(mon_doc(monitoring(funds=money("48333.34", "98000.00")))),
    ),
    "budget-forecast-short": (
        single(mon_doc(monitoring(funds=money("60000.00", "89999.99")))),
        single(mon_doc(monitoring(funds=money("60000.00", "90000.00")))),
    ),
    "progress-missing": (
        single(mon_doc(with_indicator(M, 0, actual="—"))),
        single(mon_doc(with_indicator(M, 0, actual="0次"))),
    ),
    "forecast-missing": (single(mon_doc(with_indicator(M, 0, forecast=None))), single(mon_doc())),
    "forecast-misses-target": (single(mon_doc(MISS)), single(mon_doc(with_indicator(MISS, 0, forecast="2次")))),
    "forecast-not-comparable": (
        single(mon_doc(with_indicator(M, 0, forecast="2场"))),
        single(mon_doc(with_indicator(M, 0, forecast="2(次)"))),
    ),
    "actual-beyond-ceiling": (
        single(mon_doc(with_indicator(M, 3, actual="500.01元"))),
        single(mon_doc(with_indicator(M, 3, actual="500元"))),
    ),
    "likelihood-missing": (single(mon_doc(with_indicator(M, 0, likelihood=None))), single(mon_doc())),
    "unknown-likelihood": (single(mon_doc(with_indicator(M, 0, likelihood="大概能"))), single(mon_doc())),
    "likelihood-contradicts-forecast": (
        single(mon_doc(with_indicator(MISS, 0, likelihood="确定能"))),
        single(mon_doc(MISS)),
    ),
    "remedy-missing": (single(mon_doc(with_indicator(MISS, 0, remedy=None))), single(mon_doc(MISS))),
    "unknown-deviation-cause": (
        single(mon_doc(with_indicator(MISS, 0, cause=("资金",)))),
        single(mon_doc(with_indicator(MISS, 0, cause=("其他",)))),
    ),
    "monitoring-cause-missing": (
        single(mon_doc(with_indicator(MISS, 0, cause=None))),
        single(mon_doc(with_indicator(MISS, 0, cause=None, deviation="场地改造推迟"))),
    ),
    "target-far-from-library": (beside_library("≥100.01次"), beside_library("≥100次")),
    "monitoring-not-submitted": (due("2024-08-15", "2024-08-16"), due("2024-08-15", "2024-08-15")),
    "monitoring-submitted-late": (
        due("2024-08-15", "2024-08-20", "2024-08-16"),
        due("2024-08-15", "2024-08-20", "2024-08-15"),
    ),
    # department-wide forms (tests/core/test_department.py tests each with its numbers)
    "department-sources-do-not-add-up": (
        single(dept_doc(general_budget=FundRow(initial=D("3793.66")))),
        single(dept_doc()),
    ),
    "department-natures-do-not-add-up": (single(dept_doc(basic=FundRow(initial=D("1700.00")))), single(dept_doc())),
    "department-class-unknown": (single(dept_doc(level1="履职效能")), single(dept_doc())),
    "department-class-missing": (single(dept_doc(level1="产出指标")), single(dept_doc())),
    "department-rollup-differs": (rolled(D("2124.16"), D("2000.00")), rolled(D("2124.16"), D("2124.16"))),
    "department-rollup-rate-differs": (rolled(D("2124.16"), D("2124.16"), D("75")), rolled(D("2124.16"), D("2124.16"))),
}


def codes(case: Case) -> list[str]:
    """The codes found in a case (one document alone, or several with the cross-document checks)."""
    if case and isinstance(case[0], Finding):
        return [f.code for f in case if isinstance(f, Finding)]
    docs = [d for d in case if isinstance(d, tuple)]
    if len(docs) == 1:
        return [f.code for f in review_document(docs[0][1], source=docs[0][0])]
    return [f.code for f in review_documents(docs)]


def test_every_registered_check_has_a_case() -> None:
    """The table covers the registry exactly: a new check cannot ship without its two tests."""
    assert set(CASES) == set(REGISTRY)


@pytest.mark.parametrize("code", [c.code for c in CHECKS])
def test_check_triggers(code: str) -> None:
    """The triggering case produces the check's finding."""
    found = codes(CASES[code][0]())
    assert code in found, found


@pytest.mark.parametrize("code", [c.code for c in CHECKS])
def test_check_does_not_trigger(code: str) -> None:
    """The near-miss case does not produce the check's finding."""
    found = codes(CASES[code][1]())
    assert code not in found, found


def test_clean_forms_have_no_findings() -> None:
    """The clean declaration, self-evaluation and their same-year pair raise nothing at all."""
    assert review_document(decl_doc()) == []
    assert review_document(eval_doc()) == []
    assert review_documents([("d", decl_doc()), ("e", eval_doc())]) == []
    assert review_document(mon_doc()) == []


def test_absurd_amounts_are_reviewed_not_crashed() -> None:
    """1E+15 executed of a 0.01 budget (the API's schema test posted such a form): findings, never an exception."""
    absurd = FundRow(D("0.01"), D("0.01"), D("1E+15"), rate_pct=D("15415.14"))
    project = evaluation(funds=Funds(total=absurd, current_appropriation=absurd))
    found = codes(single(eval_doc(project))())
    assert "execution-rate-mismatch" in found and "execution-over-100" in found
