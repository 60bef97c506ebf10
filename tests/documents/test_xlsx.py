"""The XLSX reader: cells as Excel shows them, merged cells as their top-left text, every value with sheet and cell."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from jixiao.core.serialize import dumps
from jixiao.documents import xlsx
from jixiao.documents.importer import import_bytes
from tests.shared import SEEDS, gold_for, score


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (445000, "#,##0.00", "445,000.00"),
        (0.8499, "0.00%", "84.99%"),
        (0.427, "0.0%", "42.7%"),
        (10, "General", "10"),
        (0.1 + 0.2, "General", "0.3"),
        (2.5, "0", "3"),
        (20.33, "0.00", "20.33"),
        (1234.5, '#,##0.00"元"', "1,234.50"),
        (datetime(2023, 1, 1), "yyyy-mm-dd", "2023-01-01"),
        ("≥1.00(次)", "@", "≥1.00(次)"),
        (True, "General", "TRUE"),
        (None, "General", ""),
    ],
)
def test_cells_read_as_excel_shows_them(value: object, fmt: str, shown: str) -> None:
    """Numbers take their number format (grouping, decimals, percent); dates are ISO dates; text stays text."""
    assert xlsx.display(value, fmt) == shown


def _book(rows_by_sheet: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in rows_by_sheet.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for line in ws.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a typed 指标值 such as =100% is text, as Excel keeps '=100%
        for ref in (merges or {}).get(title, []):
            ws.merge_cells(ref)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_merged_cells_keep_their_text_in_the_top_left_cell() -> None:
    """A merged label is one cell of text followed by empty positions, each value with its sheet and cell."""
    data = _book(
        {"表": [["项目名称", None, "宣传资料服务费"], ["主管部门", None, "上海市宝山区医疗保障局"]]}, {"表": ["A1:B1"]}
    )
    (part,) = xlsx.read(data, "f.xlsx")
    first = part.rows[0]
    assert [c.text if c else None for c in first.cells] == ["项目名称", None, "宣传资料服务费"]
    assert first.cells[2] is not None and first.cells[2].location.sheet == "表"
    assert first.cells[2].location.cell == "C1"


def _seed_workbook(stem: str) -> bytes:
    """A seed's tab-separated text laid into a workbook, a cell per tab column (as a finance office keeps it)."""
    seed = next(p for p in SEEDS.glob(f"{stem}_*.txt"))
    rows: list[list[object]] = []
    for line in seed.read_text(encoding="utf-8").split("\n"):
        cells: list[object] = [c if c.strip() else None for c in line.split("\t")]
        rows.append(cells)
    return _book({"自评表": rows})


@pytest.mark.shared
def test_a_workbook_in_the_official_layout_reads_like_its_text() -> None:
    """Seed 002 laid out cell by cell in a workbook reads as well as its text extraction does."""
    seed = next(p for p in SEEDS.glob("002_*.txt"))
    result = import_bytes(_seed_workbook("002"), "002.xlsx")
    correct, counted, diffs = score(gold_for(seed), json.loads(dumps(result.document)))
    assert correct / counted >= 0.99, diffs[:10]
    assert result.layout == "xlsx"


@pytest.mark.shared
def test_sheets_that_hold_no_form_are_passed_over_with_a_note() -> None:
    """A 汇总表 or cover sheet with no 项目名称 is not read as a project; a note names it."""
    data = _seed_workbook("004")
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(data))
    cover = wb.create_sheet("封面", 0)
    cover.append(["上海市医疗保障局2024年度项目支出绩效自评汇总"])
    cover.append(["序号", "项目", "总分"])
    cover.append([1, "信息化运维项目", 94.98])
    buffer = BytesIO()
    wb.save(buffer)
    result = import_bytes(buffer.getvalue(), "book.xlsx")
    assert len(result.document.projects) == 2
    notes = [w for w in result.warnings if w.level == "note"]
    assert any(w.location.sheet == "封面" for w in notes)


@pytest.mark.shared
def test_a_stray_cell_is_a_warning_with_its_sheet_and_cell() -> None:
    """A cell the reader cannot place is reported at its sheet and cell, not at a line number."""
    data = _seed_workbook("004")
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(data))
    ws = wb["自评表"]
    ws.insert_rows(12)
    ws["C12"] = "这一格不属于表格的任何一栏"
    buffer = BytesIO()
    wb.save(buffer)
    result = import_bytes(buffer.getvalue(), "stray.xlsx")
    (warning,) = [w for w in result.problems if "这一格" in w.text]
    assert warning.location.sheet == "自评表" and warning.location.cell == "C12"
    assert "工作表 自评表" in str(warning) and "单元格 C12" in str(warning)


def test_money_read_from_a_workbook_is_decimal() -> None:
    """Amounts come back as Decimal with the digits Excel shows, never a float."""
    data = _book(
        {
            "表": [
                ["财政项目支出绩效自评表"],
                ["项目名称", None, "测试"],
                ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)", "得分"],
                [None, "年度资金总额", 0.1 + 0.2, 20.33, 16.3, 10, 80.17, 8.02],
                [
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    "偏差原因分析及改进措施",
                ],
                ["产出指标", "数量指标", "覆盖面", "=100%", "90%", 10, 8],
                ["总分", None, None, None, None, 100, 94.02],
            ]
        }
    )
    project = import_bytes(data, "money.xlsx").document.projects[0]
    assert project.funds.total is not None
    assert project.funds.total.initial == Decimal("0.3") and project.funds.total.adjusted == Decimal("20.33")
    assert project.total_score == Decimal("94.02")


def test_a_target_and_actual_split_over_sign_value_unit_cells_read_as_printed() -> None:
    """A workbook printing 年度指标值 and 实际完成值 each over merged 符号 | 数值 | 计量单位 cells.

    The three cells join into one value as printed (≥ 200 平方米 -> ≥200平方米); an empty 符号 or
    单位 cell adds nothing, and 分值, 得分 and the deviation stay in their own columns.
    """
    head = ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", None, None, "实际完成值", None, None, "得分"]
    data = _book(
        {
            "表": [
                ["项目支出绩效自评表"],
                ["项目名称", None, "野生动物收容所建设"],
                ["主管部门", None, "某县林业局"],
                [*head, "偏差原因分析及改进措施"],
                [None, None, None, None, "符号", "数值", "计量单位", "符号", "数值", "计量单位"],
                ["产出指标", "数量指标", "收容所面积", 10, "≥", 200, "平方米", None, 204.46, "平方米", 10, "无"],
                [None, "时效指标", "项目完工时限", 10, None, "2023年12月", None, None, "2023年11月", None, 10],
                ["效益指标", "社会效益指标", "提供务工岗位", 20, "≥", 5, "个", "=", 4, "个", 16, "季节性用工"],
            ]
        },
        {"表": ["A2:B2", "C2:L2", "A3:B3", "C3:L3", "E4:G4", "H4:J4", *(f"{c}4:{c}5" for c in "ABCDKL")]},
    )
    result = import_bytes(data, "split.xlsx")
    read = [
        (i.name, i.target, i.actual, i.weight, i.score, i.deviation) for i in result.document.projects[0].indicators
    ]
    assert read == [
        ("收容所面积", "≥200平方米", "204.46平方米", Decimal("10"), Decimal("10"), "无"),
        ("项目完工时限", "2023年12月", "2023年11月", Decimal("10"), Decimal("10"), None),
        ("提供务工岗位", "≥5个", "=4个", Decimal("20"), Decimal("16"), "季节性用工"),
    ]
    assert not [w for w in result.warnings if w.level != "note"]
    assert result.locations["projects[0].indicators[0].target"].cell == "F6"  # found by its 数值 cell
