"""Cells after a heading assigned to rows and columns by the column model, whatever the line breaks did."""

from __future__ import annotations

from jixiao.documents.reading.cellstream import make_stream
from jixiao.documents.reading.columns import heading_at
from jixiao.documents.reading.forms import _row_layout
from jixiao.documents.reading.grid import read_grid
from jixiao.documents.text import split_lines


def _rows(text: str) -> tuple[list[dict[str, str]], list[str]]:
    cells = make_stream(split_lines(text)).cells
    model = heading_at(cells, 0)
    assert model is not None
    body = cells[model.end :]
    grid = read_grid(body, model, _row_layout(body))
    rows = [
        {model.columns[k].role: "+".join(c.norm for c in cs) for k, cs in sorted(row.cells.items())}
        for row in grid.rows
    ]
    return rows, [c.norm for c in grid.unplaced]


HEAD = "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"


def test_rows_shifted_by_merged_cells_read_under_their_columns() -> None:
    """A row without its level-1 cell (merged above) still reads name, values, 分值 and 得分 in place."""
    first = "产出指标 | 数量指标 | 收容所 | ≥200平方米 | 204平方米 | 10 | 10 |\n"
    rows, _ = _rows(HEAD + first + "质量指标 | 验收率 | 100% | 100% | 15 | 15 |")
    assert rows[1] == {
        "level2": "质量指标",
        "name": "验收率",
        "target": "100%",
        "actual": "100%",
        "weight": "15",
        "score": "15",
    }


def test_one_cell_per_paragraph_is_cut_into_rows_by_the_model() -> None:
    """With no row breaks at all, cells group into rows: a name, its two values, 分值 and 得分."""
    text = "\n\n".join(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    text += "\n\n" + "\n\n".join(["产出指标", "数量指标", "造林面积", "1.2万亩", "1.2万亩", "10", "10"])
    text += "\n\n" + "\n\n".join(["病虫害防治面积", "3.45万亩", "3.45万亩", "7", "7"])
    rows, unplaced = _rows(text)
    assert [r["name"] for r in rows] == ["造林面积", "病虫害防治面积"]
    assert rows[1]["weight"] == "7" and unplaced == []


def test_a_row_cut_short_fills_its_leading_columns() -> None:
    """A satisfaction row cut after two figures reads them as 实际完成值 and 分值, not 分值 and 得分."""
    rows, _ = _rows(HEAD + "满意度指标 | 服务对象满意度指标 | 满意度 | ≥95% | 95 | 10 |")
    assert (rows[0]["actual"], rows[0]["weight"]) == ("95", "10") and "score" not in rows[0]


def test_filler_rows_fit_no_column() -> None:
    """Template filler (……) is passed over, not read as an indicator."""
    rows, unplaced = _rows(HEAD + "产出指标 | 数量指标 | 造林面积 | 1万亩 | 1万亩 | 10 | 10 |\n…… | | |")
    assert len(rows) == 1 and unplaced == ["......"]  # NFKC folds …… to six dots
