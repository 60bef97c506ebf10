"""Matching payment-system rows to the projects of a round: code, then names; ambiguity, duplicates, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.core.execution import (
    ExecutionRow,
    PlanError,
    Project,
    budgets_differ,
    normalise,
    normalise_code,
    plan,
    totals,
)

PROJECTS = [
    Project(1, "2024-JY-001", "教育局", "第一中学", "校舍维修项目", Decimal("1000000.00")),
    Project(2, None, "教育局", "第一中学", "教师培训（暑期）", Decimal("200000.00")),
    Project(3, None, "卫健委", "人民医院", "设备购置", Decimal("500000.00")),
    Project(4, None, "教育局", "第二中学", "设备购置", Decimal("300000.00")),
    # the same unit and name under two departments: only the department tells them apart
    Project(5, None, "农业农村局", "农技站", "技术推广", Decimal("80000.00")),
    Project(6, None, "科技局", "农技站", "技术推广", Decimal("90000.00")),
]


def _row(n: int, amount: str, **kw: str) -> ExecutionRow:
    return ExecutionRow(file="支付.csv", row=n, amount=Decimal(amount), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "left, right",
    [
        ("校舍维修项目", "校舍维修"),
        ("教师培训(暑期)", "教师培训（暑期）"),
        (" 教师 培训　【暑期】", "教师培训[暑期]"),
        ("ＡＢＣ设备", "abc设备"),
    ],
)
def test_project_names_compare_after_normalising(left: str, right: str) -> None:
    """NFKC, spaces, bracket kinds, case and a trailing 项目 do not keep a row from its project."""
    assert normalise(left, project_name=True) == normalise(right, project_name=True)


def test_a_name_that_is_only_xiangmu_keeps_it_and_codes_ignore_width_and_case() -> None:
    """项目 alone is not emptied; a code in full-width letters and with spaces is the same code."""
    assert normalise("项目", project_name=True) == "项目"
    assert normalise_code(" ２０２４-jy-001 ") == "2024-JY-001"


def test_rows_match_by_code_then_department_unit_name_then_unit_name() -> None:
    """Each step in turn; the department may be missing or named otherwise when unit + name is unique."""
    rows = [
        _row(2, "150000.00", code="2024-jy-001", name="名称写错了也无妨"),
        _row(3, "80000.00", department="教育局", unit="第一中学", name="教师培训(暑期)项目"),
        _row(4, "120000.00", unit="人民医院", name="设备购置"),
        _row(5, "1000.00", department="卫生健康委员会", unit="人民医院", name="设备购置"),
    ]
    result = plan(rows[:3], PROJECTS)
    assert [(m.row.row, m.project.id, m.via) for m in result.matched] == [
        (2, 1, "code"),
        (3, 2, "department"),
        (4, 3, "unit"),
    ]
    assert result.unmatched == result.ambiguous == result.duplicated == ()
    assert [p.id for p in result.missing] == [4, 5, 6]
    assert [(m.project.id, m.via) for m in plan(rows[3:], PROJECTS).matched] == [(3, "unit")]


def test_a_code_outside_the_scope_falls_back_to_the_names() -> None:
    """A code no project in scope carries does not hide a row whose names match one."""
    result = plan([_row(2, "1.00", code="X-999", department="教育局", unit="第二中学", name="设备购置")], PROJECTS)
    assert [(m.project.id, m.via) for m in result.matched] == [(4, "department")]


def test_unmatched_rows_are_listed_and_stop_the_import_until_accepted() -> None:
    """A row of no project in scope is shown; applying refuses until the reviewer accepts leaving it out."""
    rows = [_row(2, "100.00", code="2024-JY-001"), _row(3, "5.00", unit="第九中学", name="食堂改造")]
    result = plan(rows, PROJECTS)
    assert [r.row for r in result.unmatched] == [3]
    with pytest.raises(PlanError) as refused:
        result.figures()
    assert refused.value.reasons == ("支付.csv 第3行：未找到对应项目（第九中学 / 食堂改造）",)
    figures = result.figures(accept_unmatched=True)
    assert {k: v.amount for k, v in figures.items()} == {1: Decimal("100.00")}
    assert figures[1].source == "支付.csv 第2行"


def test_a_row_that_fits_several_projects_is_ambiguous_and_never_guessed() -> None:
    """Unit + name under two departments: without the department the row names both candidates."""
    result = plan([_row(7, "100.00", unit="农技站", name="技术推广")], PROJECTS)
    assert result.matched == ()
    [ambiguous] = result.ambiguous
    assert [p.id for p in ambiguous.candidates] == [5, 6]
    assert "支付.csv 第7行：按单位+项目名称可对应 2 个项目" in ambiguous.message
    assert "农业农村局" in ambiguous.message and "科技局" in ambiguous.message
    # with its department the same row is certain
    certain = plan([_row(7, "100.00", department="科技局", unit="农技站", name="技术推广")], PROJECTS)
    assert [m.project.id for m in certain.matched] == [6]


def test_two_projects_with_the_same_names_and_no_code_are_ambiguous_at_the_department_step() -> None:
    """Identical department, unit and name: the row cannot choose, and says it needs the code."""
    twins = [*PROJECTS, Project(7, None, "教育局", "第二中学", "设备购置项目", None)]
    result = plan([_row(3, "1.00", department="教育局", unit="第二中学", name="设备购置")], twins)
    assert [(a.via, [p.id for p in a.candidates]) for a in result.ambiguous] == [("department", [4, 7])]
    assert "请在文件中填写项目编码" in result.ambiguous[0].message


def test_two_rows_for_one_project_are_both_reported_and_nothing_is_summed() -> None:
    """Duplicates name both places and amounts; neither amount is applied, and the plan refuses to apply."""
    rows = [
        _row(4, "100.00", code="2024-JY-001"),
        _row(9, "250.00", department="教育局", unit="第一中学", name="校舍维修"),
        _row(10, "7.00", unit="人民医院", name="设备购置"),
    ]
    result = plan(rows, PROJECTS)
    [dup] = result.duplicated
    assert dup.project.id == 1 and [r.row for r in dup.rows] == [4, 9]
    assert "支付.csv 第4行（100.00 元）" in dup.message and "支付.csv 第9行（250.00 元）" in dup.message
    assert [m.project.id for m in result.matched] == [3]
    assert 1 not in [p.id for p in result.missing]
    with pytest.raises(PlanError) as refused:
        result.figures(accept_unmatched=True)
    assert len(refused.value.reasons) == 1 and "出现 2 次" in refused.value.reasons[0]
    assert totals(result) == {"matched": Decimal("7.00"), "unmatched": Decimal(0), "held": Decimal("350.00")}


def test_more_paid_than_the_budget_is_a_warning_with_both_numbers() -> None:
    """Above the budget warns (both figures, and the excess); exactly the budget does not; neither blocks."""
    rows = [_row(2, "1000000.01", code="2024-JY-001"), _row(3, "500000.00", unit="人民医院", name="设备购置")]
    result = plan(rows, PROJECTS)
    [over] = result.over_budget
    assert (over.amount, over.budget) == (Decimal("1000000.01"), Decimal("1000000.00"))
    assert "已支付 1000000.01 元，超过年度预算数 1000000.00 元（超出 0.01 元）" in over.message
    assert set(result.figures()) == {1, 3}


def test_a_budget_printed_in_the_file_that_differs_is_shown() -> None:
    """The export's 年度预算数 against the project's: information for the preview, with both numbers."""
    rows = [ExecutionRow("支付.csv", 2, Decimal("1.00"), code="2024-JY-001", budget=Decimal("900000.00"))]
    assert budgets_differ(plan(rows, PROJECTS)) == [
        "支付.csv 第2行：文件中的年度预算数 900000.00 元与项目的年度预算数 1000000.00 元不一致"
    ]


def test_applying_gives_every_figure_or_none_and_checks_the_preview_is_current() -> None:
    """A clean plan gives each project its amount and date; a stale preview digest is refused."""
    rows = [
        ExecutionRow("支付.xlsx", 5, Decimal("10.00"), code="2024-JY-001", as_of=date(2024, 7, 31), sheet="明细"),
        ExecutionRow("支付.xlsx", 6, Decimal("20.00"), unit="第二中学", name="设备购置", sheet="明细"),
    ]
    result = plan(rows, PROJECTS)
    figures = result.figures(expected_digest=result.digest)
    assert {k: (v.amount, v.as_of) for k, v in figures.items()} == {
        1: (Decimal("10.00"), date(2024, 7, 31)),
        4: (Decimal("20.00"), None),
    }
    assert figures[1].source == "支付.xlsx 工作表「明细」 第5行"
    changed = plan(
        [rows[0], ExecutionRow("支付.xlsx", 6, Decimal("21.00"), unit="第二中学", name="设备购置")], PROJECTS
    )
    assert changed.digest != result.digest
    with pytest.raises(PlanError, match="导入预览已过期"):
        changed.figures(expected_digest=result.digest)


def test_every_reason_not_to_apply_is_listed_at_once() -> None:
    """Ambiguous, duplicated and unmatched rows are all in the one refusal."""
    rows = [
        _row(2, "1.00", unit="农技站", name="技术推广"),
        _row(3, "1.00", code="2024-JY-001"),
        _row(4, "1.00", code="2024-JY-001"),
        _row(5, "1.00", unit="无此单位", name="无此项目"),
    ]
    with pytest.raises(PlanError) as refused:
        plan(rows, PROJECTS).figures()
    assert len(refused.value.reasons) == 3
    assert str(refused.value).startswith("执行数未导入：")


def test_a_row_of_another_date_and_a_department_named_otherwise_are_noted() -> None:
    """Neither blocks; both are said, with the row, before the reviewer applies."""
    rows = [
        ExecutionRow("支付.csv", 2, Decimal("1.00"), code="2024-JY-001", as_of=date(2024, 6, 30)),
        ExecutionRow("支付.csv", 3, Decimal("1.00"), code="2024-jy-001 ", as_of=None),
        ExecutionRow("支付.csv", 4, Decimal("1.00"), department="卫生健康委员会", unit="人民医院", name="设备购置"),
        ExecutionRow("支付.csv", 5, Decimal("1.00"), unit="第二中学", name="设备购置", as_of=date(2024, 7, 31)),
    ]
    result = plan([rows[0], rows[2], rows[3]], PROJECTS, as_of=date(2024, 7, 31))
    assert result.notes == (
        "支付.csv 第2行：截止日期为 2024-06-30，与本轮监控的截至日期 2024-07-31 不同，请确认导出的日期",
        "支付.csv 第4行：主管部门写作「卫生健康委员会」，按单位和项目名称对应到「卫健委」的项目 设备购置，请确认",
    )
    assert set(result.figures()) == {1, 3, 4}
    assert plan([rows[1]], PROJECTS, as_of=date(2024, 7, 31)).notes == ()


def test_without_a_project_budget_the_exports_own_budget_is_held_against_the_amount() -> None:
    """A project with no 年度预算数 yet: the file's budget column still catches an impossible figure."""
    scope = [Project(9, "P9", "教育局", "一中", "甲", None)]
    row = ExecutionRow("支付.csv", 2, Decimal("101.00"), code="P9", budget=Decimal("100.00"))
    [over] = plan([row], scope).over_budget
    assert (over.amount, over.budget) == (Decimal("101.00"), Decimal("100.00"))
    assert plan([ExecutionRow("支付.csv", 2, Decimal("101.00"), code="P9")], scope).over_budget == ()
