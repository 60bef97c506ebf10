"""Pages of a scan in, a document out: each page recognised in turn, then the one text pipeline.

Each page is recognised (:mod:`scan`) and released before the next is rendered. Its placed rows
become the raw cells every other reader hands over (:mod:`jixiao.documents.cells`): a table cell
keeps its page and its place in its table (``表1!C4``), a line outside the tables its page and
line (``表外第2行``). :func:`jixiao.documents.tabular.read_parts` then reads them exactly as it
reads a PDF's text layer, so the vocabulary, grammar and arithmetic are the same. Finally every
value gets its box and confidence (:class:`~jixiao.documents.result.Recognised`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from jixiao.core.errors import Location, SourceError
from jixiao.documents import safety
from jixiao.documents.cells import Part, RawCell, RawRow
from jixiao.documents.ocr import labels
from jixiao.documents.ocr.engine import Engine, default_engine
from jixiao.documents.ocr.layout import PlacedCell
from jixiao.documents.ocr.pages import PageImage
from jixiao.documents.result import ImportResult, Recognised, ScannedPage

Progress = Callable[[int, int], None]  # (pages done, pages in all)
SECONDS_PER_PAGE = 120.0  # a dense page takes about 10 s on one core; a page past this is stuck


def _column(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, rem = divmod(k - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _points(cell: PlacedCell, scale: float) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = cell.box
    return (round(x0 * scale, 1), round(top * scale, 1), round(x1 * scale, 1), round(bottom * scale, 1))


def _page_part(
    page: PageImage, name: str, engine: Engine, boxes: dict[Location, Recognised], frames: list[ScannedPage]
) -> Part:
    import numpy as np

    from jixiao.documents.ocr.scan import read_page

    reading = read_page(np.asarray(page.image), page.dpi, engine)
    scale = reading.points_per_pixel
    width, height = round(reading.size[0] * scale, 1), round(reading.size[1] * scale, 1)
    frames.append(ScannedPage(page.number, width, height, reading.turned, round(reading.skew, 3)))
    rows: list[RawRow] = []
    free = 0
    for placed in reading.rows:
        cells: list[RawCell | None] = []
        if placed.table:
            row_at = Location(file=name, page=page.number, cell=f"表{placed.table}!A{placed.row}")
        else:
            free += 1
            row_at = Location(file=name, page=page.number, path=f"表外第{free}行")
        for k, cell in enumerate(placed.cells):
            if cell is None or not cell.text.strip():
                cells.append(None)
                continue
            where = row_at if not placed.table else replace(row_at, cell=f"表{placed.table}!{_column(k)}{placed.row}")
            cells.append(RawCell(labels.snap(cell.text), where))
            boxes[where] = Recognised(page.number, _points(cell, reading.points_per_pixel), round(cell.score, 3))
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(RawRow(tuple(cells), row_at))
    return Part(f"第{page.number}页", tuple(rows))


def _no_form(name: str, parts: list[Part], error: SourceError) -> SourceError:
    """The reader's refusal, placed on the scan's pages and saying what was recognised."""
    texts = [c.text for p in parts for r in p.rows for c in r.filled]
    if not texts:
        return SourceError("扫描件中没有识别出任何文字（空白页，或图片中没有印刷文字）", Location(file=name, page=1))
    shown = "、".join(f"「{t[:20]}」" for t in texts[:3])
    return SourceError(
        f"识别出 {len(texts)} 处文字（如 {shown}），但{error.message}",
        Location(file=name, page=1 if len(parts) == 1 else None),
    )


def read_pages(
    pages: Iterable[PageImage], name: str, progress: Progress | None = None, engine: Engine | None = None
) -> ImportResult:
    """Recognise every page and read the forms on them; each value keeps its page, box and confidence."""
    from jixiao.documents import tabular
    from jixiao.documents.ocr.confidence import reader_confidence

    ocr = engine
    boxes: dict[Location, Recognised] = {}
    parts: list[Part] = []
    frames: list[ScannedPage] = []
    clock: safety.Deadline | None = None
    for page in pages:
        if clock is None:  # the time allowed grows with the pages: OCR is slow, but not unbounded
            clock = safety.Deadline(name, SECONDS_PER_PAGE * page.total)
        clock.check(Location(file=name, page=page.number))
        if ocr is None:  # loaded once the first page is known to be a page (a bomb is refused before)
            ocr = default_engine(name)
        parts.append(_page_part(page, name, ocr, boxes, frames))
        page.image = None  # release the pixels before the next page is rendered
        if progress is not None:
            progress(page.number, page.total)
    if not parts:
        raise SourceError("扫描件中没有任何页面", Location(file=name))
    try:
        result = tabular.read_parts(parts, name, "scan")
    except SourceError as exc:
        raise _no_form(name, parts, exc) from None
    doubts = reader_confidence(result.document, result)
    recognised = {
        path: replace(boxes[where], reader=doubts.get(path, 1.0))
        for path, where in result.locations.items()
        if where in boxes
    }
    return replace(result, recognised=recognised, pages=tuple(frames))
