"""Reading payment-system exports: CSV in any Chinese encoding, XLSX with titles and merged headers, 万元, bad rows."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.core.errors import SourceError
from jixiao.core.execution import PlanError, Project, plan
from jixiao.documents import safety
from jixiao.documents.payments import columns as payment_columns
from jixiao.documents.payments import parse_amount, read_batch, read_bytes, read_folder

CSV = """2024年项目支出预算执行情况表
数据来源：国库集中支付系统
项目编码,主管部门,预算单位,项目名称,全年预算数,截至7月31日执行数,截止日期
2024-JY-001,教育局,第一中学,校舍维修项目,"1,000,000.00","412,345.67",2024-07-31
,教育局,第一中学,教师培训（暑期）,200000,80000.5,2024年7月31日
合计,,,,"1,200,000.00","492,346.17",
注：本表由支付系统导出
"""


def _tabbed(body: str) -> str:
    """The same table as a tab-separated export (Excel's 文本文件(制表符分隔))."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(csv.reader(io.StringIO(body)))
    return out.getvalue()


def _book(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(title, []):
            ws.merge_cells(ref)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "encoded",
    [
        CSV.encode("utf-8"),
        codecs.BOM_UTF8 + CSV.encode("utf-8"),
        CSV.encode("gbk"),
        _tabbed(CSV).encode("gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030-tabs"],
)
def test_a_csv_export_reads_the_same_in_every_encoding(encoded: bytes) -> None:
    """Title and source lines above the header are passed over; totals and notes below are skipped, not read."""
    read = read_bytes(encoded, "执行.csv")
    assert read.problems == ()
    assert [(r.row, r.code, r.unit, r.name, r.amount, r.budget, r.as_of) for r in read.rows] == [
        (4, "2024-JY-001", "第一中学", "校舍维修项目", Decimal("412345.67"), Decimal("1000000.00"), date(2024, 7, 31)),
        (5, None, "第一中学", "教师培训（暑期）", Decimal("80000.50"), Decimal("200000.00"), date(2024, 7, 31)),
    ]
    assert [r.department for r in read.rows] == ["教育局", "教育局"]
    assert read.skipped == (
        "执行.csv 第6行：合计（合计或说明行，未导入）",
        "执行.csv 第7行：注：本表由支付系统导出（合计或说明行，未导入）",
    )


def test_the_encoding_found_is_reported() -> None:
    """GBK is read as GB18030 (its superset), a BOM as utf-8-sig."""
    assert read_bytes(CSV.encode("gbk"), "a.csv").encoding == "gb18030"
    assert read_bytes(codecs.BOM_UTF8 + CSV.encode(), "a.csv").encoding == "utf-8-sig"


@pytest.mark.parametrize(
    "cell, value",
    [
        ("1,234.56", Decimal("1234.56")),
        ("１２３４.５", Decimal("1234.5")),
        ("（1234.56）", Decimal("-1234.56")),
        ("(1,234.56)", Decimal("-1234.56")),
        ("-0.01", Decimal("-0.01")),
        ("88元", Decimal(88)),
        (Decimal("12.5"), Decimal("12.5")),
        ("", None),
        ("—", None),
    ],
)
def test_amounts_are_read_exactly(cell: str | Decimal, value: Decimal | None) -> None:
    """Thousands separators, full-width digits, bracketed negatives and a trailing 元 are understood."""
    assert parse_amount(cell) == (value, None)


@pytest.mark.parametrize("cell", ["abc", "1,23.4", "1.2.3", "12万", "1e5", "¥100"])
def test_what_is_not_an_amount_says_so(cell: str) -> None:
    """A misplaced separator, a word or a currency sign is not guessed at."""
    value, error = parse_amount(cell)
    assert value is None and error is not None and cell in error


def test_every_malformed_row_is_reported_with_its_row_and_column_and_the_rest_still_read() -> None:
    """No amount, not a number, three decimals, negatives, no project: each named; good rows are kept."""
    body = "\n".join(
        [
            "项目编码,单位,项目名称,已支付金额（元）,截止日期",
            "A1,一中,甲,100.00,2024-07-31",
            "A2,一中,乙,,2024-07-31",
            "A3,一中,丙,十万,2024-07-31",
            "A4,一中,丁,100.123,2024-07-31",
            "A5,一中,戊,（500.00）,2024-07-31",
            ",,己,5.00,2024-07-31",
            "A7,一中,庚,-1,2024-13-01",
            "A8,一中,辛,7,",
            "A9,一中,壬,10000000000000000,",
            "A10,一中,癸,9999999999999999.99,",
        ]
    )
    read = read_bytes(body.encode("gbk"), "执行数.csv")
    assert [(r.code, r.amount) for r in read.rows] == [
        ("A1", Decimal("100.00")),
        ("A8", Decimal("7.00")),
        ("A10", Decimal("9999999999999999.99")),
    ]
    assert [str(p) for p in read.problems] == [
        "执行数.csv 第3行 第4列「已支付金额（元）」：缺少执行数，请填写截至统计日的金额（元）",
        "执行数.csv 第4行 第4列「已支付金额（元）」：执行数不是数字（“十万”），请填写金额，如 1234.56",
        "执行数.csv 第5行 第4列「已支付金额（元）」：执行数 100.123 元 的小数位过多：金额须精确到分（元最多 2 位小数）",
        "执行数.csv 第6行 第4列「已支付金额（元）」：执行数为负数（-500.00 元），金额不能为负，请核对后填写",
        "执行数.csv 第7行：无法识别项目：缺少项目编码，也缺少单位和项目名称（至少需要项目编码，或单位 + 项目名称）",
        "执行数.csv 第8行 第4列「已支付金额（元）」：执行数为负数（-1 元），金额不能为负，请核对后填写",
        "执行数.csv 第8行 第5列「截止日期」：截止日期不是有效日期（“2024-13-01”），请写成 2024-07-31 或 2024年7月31日",
        "执行数.csv 第10行 第4列「已支付金额（元）」："
        "执行数 10000000000000000 元 超出可记录的范围（折合元后最多 16 位整数），请核对单位和金额",
    ]
    with pytest.raises(SourceError) as refused:
        read_batch([("执行数.csv", body.encode("gbk"))]).require()
    assert "有 8 处问题，全部未导入" in refused.value.message


def test_an_xlsx_with_a_title_a_unit_line_in_wanyuan_and_a_second_sheet_of_notes() -> None:
    """单位：万元 above the header turns every money column into 元, exact to the fen; a notes sheet is passed over."""
    data = _book(
        {
            "说明": [["本文件由国库集中支付系统导出"], ["请勿修改表头"]],
            "执行明细": [
                ["2024年1-7月预算执行情况"],
                [None, None, None, None, "单位：万元"],
                ["项目代码", "部门", "实施单位", "项目名称", "年度预算数", "累计支付"],
                ["2024-JY-001", "教育局", "第一中学", "校舍维修项目", 100, 41.234567],
                [20240002, "教育局", "第一中学", "教师培训", 20.5, 8.0000001],
                ["合计", None, None, None, 120.5, 49.23],
            ],
        }
    )
    read = read_bytes(data, "执行.xlsx")
    assert [(r.sheet, r.row, r.code, r.amount, r.budget) for r in read.rows] == [
        ("执行明细", 4, "2024-JY-001", Decimal("412345.67"), Decimal("1000000.00")),
    ]
    assert [str(p) for p in read.problems] == [
        "执行.xlsx 工作表「执行明细」 第5行 F列「累计支付」："
        "执行数 8.0000001 万元 的小数位过多：金额须精确到分（万元最多 6 位小数）"
    ]
    assert "执行.xlsx 工作表「说明」：未找到执行数表头，未读取" in read.skipped


def test_a_header_that_says_wanyuan_on_one_column_converts_that_column_only() -> None:
    """（万元） in the amount's header and （元） in the budget's: each column in its own unit."""
    data = _book({"Sheet1": [["项目编码", "年度预算数（元）", "执行数（万元）"], ["P1", 1000000, 12.5]]})
    [row] = read_bytes(data, "a.xlsx").rows
    assert (row.amount, row.budget) == (Decimal("125000.00"), Decimal("1000000.00"))


def test_number_cells_keep_their_decimals_and_dates_their_day() -> None:
    """A float cell is read as the decimal Excel shows; 1234.567 in 元 is refused, naming the cell's column."""
    data = _book(
        {
            "支付": [
                ["单位", "项目名称", "已支付金额", "截止日期"],
                ["一中", "甲", 0.1 + 0.2, datetime(2024, 7, 31)],
                ["一中", "乙", 1234.567, datetime(2024, 7, 31)],
            ]
        }
    )
    read = read_bytes(data, "b.xlsx")
    assert [(r.amount, r.as_of) for r in read.rows] == [(Decimal("0.30"), date(2024, 7, 31))]
    assert [(p.sheet, p.row, p.column) for p in read.problems] == [("支付", 3, "C列「已支付金额」")]


def test_merged_header_cells_over_two_rows_are_understood() -> None:
    """项目信息 / 执行情况 merged over their columns, 项目编码 merged down: the lower row names the columns."""
    data = _book(
        {
            "Sheet1": [
                ["预算执行情况表"],
                ["项目编码", "项目信息", None, "执行情况", None],
                [None, "预算单位", "项目名称", "全年预算数", "截至6月30日支付数"],
                ["P1", "一中", "甲", 100, 40],
                ["P2", "二中", "乙", 100, 60.5],
            ]
        },
        merges={"Sheet1": ["A2:A3", "B2:C2", "D2:E2"]},
    )
    read = read_bytes(data, "merged.xlsx")
    assert read.problems == ()
    assert [(r.row, r.code, r.unit, r.name, r.amount) for r in read.rows] == [
        (4, "P1", "一中", "甲", Decimal("40.00")),
        (5, "P2", "二中", "乙", Decimal("60.50")),
    ]


def test_a_file_without_a_recognisable_header_says_what_it_looked_for() -> None:
    """No amount column among the first rows: one problem naming the file and the columns expected."""
    [problem] = read_bytes("序号,名称,金额\n1,甲,100\n".encode(), "x.csv").problems
    assert problem.file == "x.csv" and "未找到表头" in problem.message and "已支付金额" in problem.message


def test_two_columns_for_the_same_field_are_refused_rather_than_chosen() -> None:
    """执行数 and 累计支付 both in one header: the reader does not pick one silently."""
    [problem] = read_bytes("项目编码,执行数,累计支付\nP1,1,2\n".encode(), "y.csv").problems
    assert problem.row == 1 and "「执行数」与「累计支付」" in problem.message


def test_a_folder_with_one_bad_file_imports_nothing_and_names_the_file(tmp_path: Path) -> None:
    """Good CSV and XLSX beside a broken .xlsx, an old .xls and a bad row: all named, nothing returned."""
    (tmp_path / "1-教育局.csv").write_bytes(CSV.encode("gbk"))
    (tmp_path / "2-卫健委.xlsx").write_bytes(_book({"S": [["项目编码", "执行数"], ["W1", 5]]}))
    (tmp_path / "3-损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "4-旧版.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    (tmp_path / "5-坏行.csv").write_text("项目编码,执行数\nZ1,abc\n", encoding="utf-8")
    (tmp_path / ".~lock.1-教育局.csv#").write_text("editor lock file")
    batch = read_folder(tmp_path)
    assert [f.name for f in batch.files] == ["1-教育局.csv", "2-卫健委.xlsx", "3-损坏.xlsx", "4-旧版.xls", "5-坏行.csv"]
    assert [p.file for p in batch.problems] == ["3-损坏.xlsx", "4-旧版.xls", "5-坏行.csv"]
    assert "另存为 .xlsx" in batch.problems[1].message
    assert not batch.ok
    with pytest.raises(SourceError) as refused:
        batch.require()
    assert "3 处问题，全部未导入" in refused.value.message
    for name in ("3-损坏.xlsx", "4-旧版.xls", "5-坏行.csv 第2行 第2列「执行数」"):
        assert name in refused.value.message
    # the bad files taken out, the rest is read whole
    for name in ("3-损坏.xlsx", "4-旧版.xls", "5-坏行.csv"):
        (tmp_path / name).unlink()
    assert [r.code for r in read_folder(tmp_path).require()] == ["2024-JY-001", None, "W1"]


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """The upload limit of every form applies to an export too."""
    big = tmp_path / "big.csv"
    big.write_bytes(b"a" * (safety.MAX_BYTES + 1))
    [problem] = read_folder(tmp_path).problems
    assert problem.file == "big.csv" and "文件过大" in problem.message


def test_an_xlsx_that_is_a_zip_bomb_is_refused_by_the_shared_checks() -> None:
    """The archive checks of every upload run first: a DTD in a part is refused before openpyxl opens it."""
    data = _book({"S": [["项目编码", "执行数"], ["W1", 5]]})
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/workbook.xml":
                body = b'<!DOCTYPE x [<!ENTITY a "b">]>' + body
            dst.writestr(info, body)
    [problem] = read_bytes(out.getvalue(), "bomb.xlsx").problems
    assert "DTD" in problem.message


def test_read_then_matched_end_to_end() -> None:
    """A GBK export matched to a round's projects: by code, and by unit + name despite 项目 and brackets."""
    projects = [
        Project(11, "2024-JY-001", "教育局", "第一中学", "校舍维修", Decimal("1000000.00")),
        Project(12, None, "教育局", "第一中学", "教师培训(暑期)项目", Decimal("50000.00")),
        Project(13, None, "教育局", "第二中学", "食堂改造", None),
    ]
    result = plan(read_batch([("执行.csv", CSV.encode("gbk"))]).require(), projects)
    assert [(m.project.id, m.via) for m in result.matched] == [(11, "code"), (12, "department")]
    assert [p.id for p in result.missing] == [13]
    [over] = result.over_budget
    assert (over.amount, over.budget) == (Decimal("80000.50"), Decimal("50000.00"))
    assert over.row.where == "执行.csv 第5行"


def test_the_documented_column_names_are_the_ones_the_reader_knows() -> None:
    """docs/execution-import.md lists every header text of payments/columns.py, and no other."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "execution-import.md").read_text(encoding="utf-8")
    table = doc.split("## Which columns are recognised", 1)[1].split("\n## ", 1)[0]
    listed = {
        cell.strip() for line in table.splitlines() if line.startswith("| ") for cell in line.split("|")[2].split(",")
    }
    known = {name for names in payment_columns.NAMES.values() for name in names}
    assert {n.casefold() for n in listed if not n.startswith("and ")} - {"header texts", "---"} == known


def test_a_header_problem_in_one_sheet_is_reported_even_when_another_sheet_reads() -> None:
    """Two amount columns in one sheet's header is that sheet's problem, not a sheet passed over."""
    data = _book(
        {
            "一月": [["项目编码", "执行数"], ["P1", 5]],
            "二月": [["项目编码", "执行数", "累计支付"], ["P1", 5, 6]],
        }
    )
    read = read_bytes(data, "two.xlsx")
    assert [r.code for r in read.rows] == ["P1"]
    assert [(p.sheet, p.row) for p in read.problems] == [("二月", 1)]


def test_a_workbook_without_a_header_anywhere_and_a_header_without_rows_are_refused() -> None:
    """Nothing to import is never a silent success."""
    [none] = read_bytes(_book({"A": [["说明"]], "B": [["序号", "金额"], [1, 2]]}), "none.xlsx").problems
    assert none.sheet is None and none.message.startswith("所有工作表的前 20 行中未找到表头")
    [empty] = read_bytes("项目编码,执行数\n合计,0\n".encode(), "empty.csv").problems
    assert "没有任何项目数据行" in empty.message


def test_a_csv_broken_by_an_unclosed_quote_names_the_file_and_line() -> None:
    """A quote never closed runs the rest of the file into one field beyond the csv limit: refused, not hung."""
    body = '项目编码,执行数\nP1,"5\n' + "x" * (200 * 1024) + "\n"
    [problem] = read_bytes(body.encode(), "quote.csv").problems
    assert problem.file == "quote.csv" and problem.row == 2 and "CSV 格式有误" in problem.message


def test_subtotal_rows_inside_the_table_are_skipped_and_listed() -> None:
    """A department's 小计 written in the name column, after a sequence number, is not a project."""
    body = "序号,主管部门,单位,项目名称,预算执行数\n1,教育局,一中,甲,10\n,教育局 小计,,,10\n2,卫健委,医院,乙,5\n"
    read = read_bytes(body.encode(), "sub.csv")
    assert [r.name for r in read.rows] == ["甲", "乙"]
    assert read.skipped == ("sub.csv 第3行：教育局小计（合计或说明行，未导入）",)
    assert read.problems == ()


def test_previewing_and_applying_the_same_file_agree_and_an_edited_file_does_not() -> None:
    """The web previews an upload, then applies it from the kept file: same bytes, same digest; a change refuses."""
    projects = [Project(1, "2024-JY-001", "教育局", "第一中学", "校舍维修", None)]
    preview = plan(read_bytes(CSV.encode("gbk"), "执行.csv").rows, projects)
    again = plan(read_bytes(CSV.encode("gbk"), "执行.csv").rows, projects)
    figures = again.figures(accept_unmatched=True, expected_digest=preview.digest)
    assert figures[1].amount == Decimal("412345.67")
    edited = plan(read_bytes(CSV.replace("412,345.67", "412,345.76").encode("gbk"), "执行.csv").rows, projects)
    with pytest.raises(PlanError, match="导入预览已过期"):
        edited.figures(accept_unmatched=True, expected_digest=preview.digest)


def test_an_amount_column_headed_with_another_day_than_the_rounds_is_noted_once() -> None:
    """截至7月31日执行数 in a round as of 30 June: one note for the file; none in a round as of 31 July."""
    projects = [Project(1, "2024-JY-001", "教育局", "第一中学", "校舍维修", None)]
    rows = read_bytes(CSV.encode("gbk"), "执行.csv").rows
    assert rows[0].column == "截至7月31日执行数"
    june = plan(rows, projects, as_of=date(2024, 6, 30))
    assert [n for n in june.notes if "金额列" in n] == [
        "执行.csv：金额列「截至7月31日执行数」与本轮监控的截至日期 2024-06-30 不同，请确认导出的日期"
    ]
    assert plan(rows, projects, as_of=date(2024, 7, 31)).notes == ()
