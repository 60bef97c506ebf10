"""The anchors of a form name the rows they say: each indicator's row, the total, the grade, the execution row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from jixiao.documents.importer import import_path
from jixiao.exporters.report import build_report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    "name",
    [
        "2023-declarations-tabbed.txt",
        "2024-self-evaluation-tabbed.txt",
        "2022-self-evaluation-pdftotext.txt",
        "2022-transfer-payment-report.md",
    ],
)
def test_each_indicator_anchor_is_the_row_printing_that_indicator(name: str) -> None:
    """``indicator:N`` is the row with the N-th indicator's name and target, wherever the layout prints it."""
    document = import_path(EXAMPLES / name).document
    report = build_report(document)
    for project, form in zip(document.projects, report.forms, strict=True):
        anchors = dict(form.anchors)
        assert len(anchors) == len(form.anchors), "an anchor names one row"
        for n, indicator in enumerate(project.indicators):
            texts = [c.text for c in form.grid.rows[anchors[f"indicator:{n}"]]]
            assert indicator.name in texts and (indicator.target or "") in texts
        heading = [c.text for c in form.grid.rows[anchors["indicators"]]]
        assert "三级指标" in heading
        if "total" in anchors:
            assert form.grid.rows[anchors["total"]][0].text == "总分"
            assert form.grid.rows[anchors["execution"]][0].text == "年度资金总额"
        if "grade" in anchors:
            assert form.grid.rows[anchors["grade"]][0].text == "评分等级"


def test_the_2024_layout_prints_cost_first_and_its_anchors_follow() -> None:
    """成本指标 are printed first in the 2024 layout; the anchors still count in the document's order."""
    read = import_path(EXAMPLES / "2024-self-evaluation-tabbed.txt").document
    # the example prints 成本 first already: put it last in the document, the layout must move it back
    project = replace(read.projects[0], indicators=read.projects[0].indicators[::-1])
    document = replace(read, projects=(project,))
    form = build_report(document).forms[0]
    anchors = dict(form.anchors)
    rows = [anchors[f"indicator:{n}"] for n in range(len(project.indicators))]
    cost = [r for n, r in enumerate(rows) if project.indicators[n].level1 == "成本指标"]
    rest = [r for n, r in enumerate(rows) if project.indicators[n].level1 != "成本指标"]
    assert cost and rest and max(cost) < min(rest)
    assert rows != sorted(rows)  # the printed order differs from the document's, and the anchors follow it


@pytest.mark.parametrize(
    "name", ["2023-declarations-tabbed.txt", "2024-self-evaluation-tabbed.txt", "2022-self-evaluation-pdftotext.txt"]
)
def test_every_row_covers_every_column_once(name: str) -> None:
    """Each row's cells, with the cells merged down from above, cover each column of the grid exactly once."""
    report = build_report(import_path(EXAMPLES / name).document)
    for form in (*report.forms, report.summary):
        below: dict[int, int] = {}  # column -> rows still covered by a cell merged down from above
        for row in form.grid.rows:
            covered = [col for col, left in below.items() if left > 0]
            for cell in row:
                covered += range(cell.col, cell.col + cell.colspan)
                for col in range(cell.col, cell.col + cell.colspan):
                    if cell.rowspan > 1:
                        below[col] = cell.rowspan
            assert sorted(covered) == list(range(form.grid.columns)), (form.title, [c.text for c in row])
            below = {col: left - 1 for col, left in below.items() if left - 1 > 0}
