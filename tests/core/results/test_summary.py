"""The 结果应用情况 summary: grouped per department and year, exact totals, undecided projects counted apart."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.results.summary import COLUMNS, SummaryInput, build_summary
from jixiao.core.scoring import load_pack
from jixiao.core.scoring.application import Decision, Outcome, check_decision, propose


def _item(dept: str, year: int, name: str, score: str, prior: str, decision: Decision | None) -> SummaryInput:
    p = propose(Outcome(name, Decimal(score)), load_pack(), prior_budget=Decimal(prior))
    amount = None if decision is None else check_decision(p, decision)
    label = "" if decision is None else {"accept": "同意建议", "change": "调整"}[decision.action]
    return SummaryInput(dept, year, p, amount, label)


def test_tables_per_department_and_year_with_exact_totals() -> None:
    """Two departments and two years make three tables; totals add to the fen; differences are decided − prior."""
    items = [
        _item("市教育局", 2025, "乙 校舍维修", "58", "200000.01", Decision("accept")),
        _item("市教育局", 2025, "甲 营养餐", "92.5", "1000000.00", Decision("change", Decimal("1100000.00"), "扩面")),
        _item("市教育局", 2025, "丙 教师培训", "75", "333333.33", None),
        _item("市教育局", 2026, "甲 营养餐", "81", "1100000.00", Decision("accept")),
        _item("市卫健委", 2025, "丁 疫苗", "60", "0.05", Decision("accept")),
    ]
    tables = build_summary(items)
    assert [(t.department, t.year, len(t.rows)) for t in tables] == [
        ("市卫健委", 2025, 1),
        ("市教育局", 2025, 3),
        ("市教育局", 2026, 1),
    ]
    edu = tables[1]
    assert edu.title == "市教育局 2025 年度结果应用情况"
    assert [r.project for r in edu.rows] == ["丙 教师培训", "乙 校舍维修", "甲 营养餐"]
    assert edu.prior_total == Decimal("1533333.34")
    # 333333.33 × 0.9 = 299999.997 -> 300000.00; 200000.01 × 0.5 = 100000.005 -> 100000.01
    assert edu.proposed_total == Decimal("300000.00") + Decimal("100000.01") + Decimal("1000000.00")
    assert edu.decided_total == Decimal("1200000.01")
    assert edu.difference_total == Decimal("100000.00") + Decimal("-100000.00")
    assert edu.undecided == 1
    assert edu.grades == (("优", 1), ("中", 1), ("差", 1))
    assert len(COLUMNS) == len(edu.rows[0].cells())
    assert edu.rows[0].cells() == (
        "丙 教师培训",
        "中",
        "75",
        "333,333.33",
        "压减 10%",
        "300,000.00",
        "未决定",
        "",
        "",
    )
    assert edu.rows[2].cells()[6:] == ("调整", "1,100,000.00", "100,000.00")
    assert tables[0].rows[0].cells()[5:] == ("0.05", "同意建议", "0.05", "0.00")


def test_no_projects_no_tables() -> None:
    """An empty year has no table rather than a table of zeros."""
    assert build_summary([]) == []


def test_grade_counts_follow_the_given_order() -> None:
    """A province's own grades are counted in its order; a grade it does not list comes last."""
    items = [_item("局", 2025, n, s, "100.00", None) for n, s in (("a", "95"), ("b", "50"), ("c", "70"))]
    assert build_summary(items, grade_order=("差", "优"))[0].grades == (("差", 1), ("优", 1), ("中", 1))
