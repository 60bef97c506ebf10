"""DOCX in: the document body in order, paragraphs as one-cell rows and tables cell by cell.

A Word table stores a merged cell as one ``<w:tc>`` with ``gridSpan`` (across) and cells marked
``vMerge="continue"`` below it (down). Each row is laid out on the table's column grid: a merged
cell's text in its first position, the positions it covers empty, the way the text readers see
merged cells. Each cell keeps its place (``表2!C4``: table 2 of the document, column C, row 4);
a paragraph keeps its number.

The archive is checked by :mod:`jixiao.documents.safety` before python-docx opens it (python-docx
parses with lxml and does not resolve entities; the DTD check refuses them before that).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from jixiao.core.errors import Location, SourceError
from jixiao.documents import safety
from jixiao.documents.cells import Part, RawCell, RawRow

MAX_BLOCKS = 200_000  # paragraphs and table rows together


def _column(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, rem = divmod(k - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _table_rows(table: Any, t_no: int, name: str) -> list[RawRow]:
    from docx.table import _Cell

    rows: list[RawRow] = []
    for r_no, row in enumerate(table.rows, start=1):
        cells: list[RawCell | None] = [None] * row.grid_cols_before
        for tc in row._tr.tc_lst:
            span = max(1, tc.grid_span)
            if tc.vMerge == "continue":
                cells.extend([None] * span)  # covered by the merged cell above, whose text is there
                continue
            text = _Cell(tc, table).text
            where = Location(file=name, cell=f"表{t_no}!{_column(len(cells))}{r_no}")
            cells.append(RawCell(text, where) if text.strip() else None)
            cells.extend([None] * (span - 1))
            if len(cells) > safety.MAX_COLUMNS:
                break
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(RawRow(tuple(cells), Location(file=name, cell=f"表{t_no}!A{r_no}")))
    return rows


def read(data: bytes, name: str, deadline: safety.Deadline | None = None) -> list[Part]:
    """The body of a Word document as one :class:`Part`; refuses hostile or broken files."""
    safety.check_zip(data, name, ".docx")
    from docx import Document as WordDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    clock = deadline or safety.Deadline(name)
    try:
        document = WordDocument(BytesIO(data))
    except MemoryError:
        raise
    except Exception as exc:  # python-docx raises many types for a broken file
        raise SourceError(f"无法打开 Word 文件：{type(exc).__name__}: {exc}"[:300], Location(file=name)) from None
    rows: list[RawRow] = []
    tables = paragraphs = 0
    try:
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                paragraphs += 1
                text = Paragraph(child, document).text
                where = Location(file=name, path=f"第{paragraphs}段")
                rows.append(RawRow((RawCell(text, where),) if text.strip() else (), where))
            elif tag == "tbl":
                tables += 1
                rows.extend(_table_rows(Table(child, document), tables, name))
                rows.append(RawRow((), Location(file=name)))  # a table ends like a page break
            if len(rows) > MAX_BLOCKS:
                raise SourceError(f"Word 文件段落和表格行过多（超过 {MAX_BLOCKS} 个），已拒绝", Location(file=name))
            if len(rows) % 1000 == 0:
                clock.check(Location(file=name))
    except (SourceError, MemoryError):  # a memory limit is the caller's to report
        raise
    except Exception as exc:  # a malformed body inside a valid archive
        raise SourceError(
            f"Word 文件内容有误，无法读取：{type(exc).__name__}: {exc}"[:300], Location(file=name)
        ) from None
    return [Part("正文", tuple(rows))]
