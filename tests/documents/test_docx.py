"""The DOCX reader: paragraphs and tables in body order, merged cells as their first position, places kept."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from docx import Document

from jixiao.core.errors import SourceError
from jixiao.core.serialize import dumps
from jixiao.documents import docx
from jixiao.documents.importer import import_bytes
from tests.shared import SEEDS, gold_for, score


def _save(document: object) -> bytes:
    buffer = BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def test_merged_cells_come_back_once_at_their_first_position() -> None:
    """A cell merged across and down is read once; the positions it covers are empty; each cell knows its place."""
    word = Document()
    word.add_paragraph("财政项目支出绩效自评表")
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "项目名称"
    table.cell(0, 2).text = "测试项目"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "项目资金"
    table.cell(1, 1).text = "年度资金总额"
    table.cell(1, 2).text = "20.33"
    table.cell(2, 1).text = "其他资金"
    (part,) = docx.read(_save(word), "r.docx")
    rows = [[c.text if c else None for c in r.cells] for r in part.rows]
    assert rows[0] == ["财政项目支出绩效自评表"]
    assert rows[1] == ["项目名称", None, "测试项目"]
    assert rows[2] == ["项目资金", "年度资金总额", "20.33"]
    assert rows[3] == [None, "其他资金"]
    cell = part.rows[2].cells[2]
    assert cell is not None and cell.location.cell == "表1!C2"
    assert part.rows[0].location.path == "第1段"


@pytest.mark.shared
def test_a_word_report_with_its_form_reads_like_its_text() -> None:
    """Seed 003 (a report with the form attached) as Word paragraphs and a table reads at least 99% right."""
    seed = next(SEEDS.glob("003_*.txt"))
    lines = seed.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("转移支付(项目)名称"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("注:"))
    word = Document()
    for line in lines[:start]:
        word.add_paragraph(line)
    rows = [line.split("\t") for line in lines[start:end] if line.strip()]
    table = word.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    for line in lines[end:]:
        word.add_paragraph(line)
    result = import_bytes(_save(word), "report.docx")
    correct, counted, diffs = score(gold_for(seed), json.loads(dumps(result.document)))
    assert correct / counted >= 0.99, diffs[:10]
    assert result.layout == "docx"


def test_an_empty_word_file_is_no_form() -> None:
    """A Word file with no 项目名称 anywhere is refused as holding no project."""
    word = Document()
    word.add_paragraph("会议纪要")
    with pytest.raises(SourceError, match="没有找到任何项目"):
        import_bytes(_save(word), "memo.docx")
