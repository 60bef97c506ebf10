"""PDF in (with a text layer): ruled tables cell by cell, the text around them line by line.

pdfplumber finds each table from its ruling lines, so a merged cell comes back whole, its text
in its top-left position and the positions it covers empty, the way the text readers see merged
cells. Text outside the tables (titles, year lines, page numbers, notes) becomes one-cell rows,
interleaved with the table rows by their height on the page. Each cell keeps its page and its
place in its table (``表1!C4``: table 1 of the page, column C, row 4).

Every stream pdfplumber decodes goes through the bounded decoders of
:mod:`jixiao.documents.pdfstreams` (a decompression bomb is refused whatever its filters), and
reading stops at :data:`~jixiao.documents.safety.MAX_PAGES` pages, at :data:`MAX_CHARS`
characters on one page, or when the deadline passes.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from jixiao.core.errors import Location, SourceError
from jixiao.documents import pdferrors, pdfstreams, safety
from jixiao.documents.cells import Part, RawCell, RawRow

MAX_CHARS = 200_000  # characters on one page; a real form page has a few thousand
_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3, "join_tolerance": 3}


def _column(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, rem = divmod(k - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _page_rows(page: Any, n: int, name: str) -> list[RawRow]:
    """One page as rows: table rows and free text lines in reading order (top to bottom)."""
    placed: list[tuple[float, int, RawRow]] = []
    tables = page.find_tables(_LINES)
    boxes = [t.bbox for t in tables]
    for t_no, table in enumerate(tables, start=1):
        texts = table.extract(x_tolerance=1.5, y_tolerance=2)
        for r_no, (row, values) in enumerate(zip(table.rows, texts, strict=False), start=1):
            cells: list[RawCell | None] = []
            for k, value in enumerate(values):
                where = Location(file=name, page=n, cell=f"表{t_no}!{_column(k)}{r_no}")
                cells.append(RawCell(value, where) if value and value.strip() else None)
            while cells and cells[-1] is None:
                cells.pop()
            placed.append((row.bbox[1], len(placed), RawRow(tuple(cells), Location(file=name, page=n))))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    for line in outside.extract_text_lines(return_chars=False):
        text = line["text"].strip()
        if text:
            where = Location(file=name, page=n)
            placed.append((line["top"], len(placed), RawRow((RawCell(text, where),), where)))
    placed.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in placed]


def read(data: bytes, name: str, deadline: safety.Deadline | None = None) -> list[Part]:
    """Every page of a PDF as a :class:`Part`; refuses bombs, huge and text-less files."""
    import pdfplumber

    clock = deadline or safety.Deadline(name)
    parts: list[Part] = []
    chars = 0
    with pdfstreams.bounded(name, clock) as budget:
        try:
            with pdfplumber.open(BytesIO(data)) as pdf:
                count = len(pdf.pages)
                if count > safety.MAX_PAGES:
                    raise SourceError(f"PDF 页数过多（{count} 页，上限 {safety.MAX_PAGES} 页）", Location(file=name))
                for n, page in enumerate(pdf.pages, start=1):
                    clock.check(Location(file=name, page=n))
                    if len(page.chars) > MAX_CHARS:
                        raise SourceError(
                            f"PDF 第 {n} 页的字符过多（超过 {MAX_CHARS} 个），不像绩效表，已拒绝",
                            Location(file=name, page=n),
                        )
                    chars += len(page.chars)
                    parts.append(Part(f"第{n}页", tuple(_page_rows(page, n, name))))
                    page.close()  # release the page's parsed objects before the next one
        except (SourceError, MemoryError):  # a memory limit is the caller's to report
            raise
        except Exception as exc:  # pdfminer raises many types for a broken file
            if budget.refusal is not None:  # a decoder's refusal, which pdfplumber wraps in its own exception
                raise budget.refusal from None
            if any(isinstance(arg, MemoryError) for arg in exc.args):
                raise MemoryError from None
            raise SourceError(pdferrors.describe(exc), Location(file=name)) from None
    if chars == 0:
        raise SourceError(
            "PDF 没有文字层（可能是扫描件），无法读取：请提供带文字的 PDF，或先做文字识别", Location(file=name)
        )
    return parts
