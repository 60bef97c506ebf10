"""Real-looking scans: a corpus form printed in other layouts (分值 first, 符号/数值/单位 split), read back.

The form of a labelled corpus file (another issuer's self-evaluation) is printed through the PDF
exporter in a layout of its own, rasterised at 300 dpi and read by OCR; the reading is scored
with compare_gold.py against the fields the form prints. The same print with its text layer is
read too: what the scan loses against it is what OCR loses.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.model import Document, Project
from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_bytes
from jixiao.exporters import pdf
from jixiao.exporters.model import Cell, Form, Grid, Role, figure
from jixiao.exporters.report import build_report
from tests.documents.ocr import testset
from tests.shared import SHARED, score

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent

CORPUS_FILE = SHARED / "corpus" / "gold-doc" / "013.json"
_SPLIT = re.compile(r"^([≥≤><=＝]?)(\d+(?:\.\d+)?)(\D{0,4})$")


def _corpus() -> Document:
    if not CORPUS_FILE.is_file():
        pytest.skip(f"the shared corpus is not here: {CORPUS_FILE}")
    return loads(CORPUS_FILE.read_text(encoding="utf-8"), source=CORPUS_FILE.name)


def _printed_only(doc: Document) -> Document:
    """The document as this layout prints it: identity and indicators (no funds, goals or execution)."""
    p = doc.projects[0]
    kept = Project(
        name=p.name, department=p.department, unit=p.unit, indicators=p.indicators, total_score=p.total_score
    )
    return replace(doc, projects=(kept,))


def _points(value: Decimal | None) -> Cell:
    if value is None:
        return Cell(0, "", Role.FIGURE)
    return Cell(0, figure(value, 0), Role.FIGURE, number=value)


def _form(doc: Document, split: bool) -> Form:
    """分值 before the target; with ``split``, the target in 符号 | 数值 | 单位 cells, as some provinces print it."""
    p = doc.projects[0]
    if not split:
        widths = (9.0, 11.0, 18.0, 6.0, 20.0, 12.0, 6.0, 14.0)
        heads = (
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "年度指标值",
            "实际完成值",
            "得分",
            "偏差原因分析及改进措施",
        )
    else:
        widths = (9.0, 11.0, 18.0, 6.0, 5.0, 8.0, 7.0, 12.0, 6.0, 14.0)
        heads = (
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "符号",
            "数值",
            "单位",
            "实际完成值",
            "得分",
            "偏差原因分析及改进措施",
        )
    n = len(widths)

    def at(col: int, cell: Cell) -> Cell:
        return replace(cell, col=col)

    rows: list[tuple[Cell, ...]] = [
        (Cell(0, "项目名称", Role.LABEL, colspan=2), Cell(2, p.name, colspan=n - 2)),
        (
            Cell(0, "主管部门", Role.LABEL, colspan=2),
            Cell(2, p.department or "", colspan=2),
            Cell(4, "实施单位", Role.LABEL),
            Cell(5, p.unit or "", colspan=n - 5),
        ),
        tuple(Cell(k, h, Role.LABEL) for k, h in enumerate(heads)),
    ]
    for ind in p.indicators:
        m = _SPLIT.match(ind.target or "")
        op, value, unit = m.groups() if m else ("", ind.target or "", "")
        target = [Cell(4, op, Role.CODE), Cell(5, value, Role.CODE), Cell(6, unit, Role.CODE)]
        if not split:
            target = [Cell(4, ind.target or "", Role.CODE)]
        k = 4 + len(target)
        rows.append(
            (
                Cell(0, ind.level1, Role.LABEL),
                Cell(1, ind.level2 or "", Role.LABEL),
                Cell(2, ind.name),
                at(3, _points(ind.weight)),
                *target,
                Cell(k, ind.actual or "", Role.CODE),
                at(k + 1, _points(ind.score)),
                Cell(k + 2, ind.deviation or ""),
            )
        )
    return Form("项目支出绩效自评表", f"（{doc.year}年度）", "表1", Grid(widths, tuple(rows)))


def _print(doc: Document, split: bool) -> bytes:
    report = replace(build_report(doc), forms=(_form(doc, split),))
    return pdf.render(report, font="cid", summary=False)


def _score(expected: Document, data: bytes, name: str, tmp_path: Path) -> tuple[float, list[str]]:
    gold = tmp_path / "expected.json"
    gold.write_text(dumps(expected), encoding="utf-8")
    result = import_bytes(data, name)
    correct, counted, diffs = score(gold, json.loads(dumps(result.document)))
    return correct / counted, diffs


@pytest.mark.parametrize("split", [False, True], ids=["weight-first", "split-target"])
def test_the_other_layout_reads_from_its_text_layer(tmp_path: Path, split: bool) -> None:
    """The layout itself is readable: its text-layer PDF reads back at least 95% right."""
    doc = _corpus()
    accuracy, diffs = _score(_printed_only(doc), _print(doc, split), "layout.pdf", tmp_path)
    assert accuracy >= 0.95, "\n".join(diffs)


@pytest.mark.ocr
def test_a_scan_of_the_other_layout_reads_at_least_95_percent(tmp_path: Path) -> None:
    """The weight-first form scanned at 300 dpi reads back at least 95% right through OCR."""
    doc = _corpus()
    scan = testset.image_pdf(testset.pages_of(_print(doc, False), 300), 300)
    accuracy, diffs = _score(_printed_only(doc), scan, "layout-scan.pdf", tmp_path)
    assert accuracy >= 0.95, "\n".join(diffs)


@pytest.mark.ocr
def test_a_scan_of_the_split_target_layout_reads_at_least_95_percent(tmp_path: Path) -> None:
    """The form with its target in 符号 | 数值 | 单位 cells, scanned at 300 dpi, reads back at least 95% right.

    The three cells OCR finds under the heading are joined into the target as printed (≥ 200 平方米
    -> ≥200平方米), as they are from the text layer.
    """
    doc = _corpus()
    scan = testset.image_pdf(testset.pages_of(_print(doc, True), 300), 300)
    accuracy, diffs = _score(_printed_only(doc), scan, "split-scan.pdf", tmp_path)
    assert accuracy >= 0.95, "\n".join(diffs)
