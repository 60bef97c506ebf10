"""Recognised text placed on the page: into the cells of ruled tables, or into columns by alignment.

A text box belongs to the cell that holds its centre. The boxes of one cell are put in reading
order (lines top to bottom, left to right along a line) and joined the way the PDF reader joins a
wrapped cell: line breaks kept, for :func:`jixiao.documents.tabular.cell_line_text` to join.

A page without ruling lines (a form printed without borders, or whose lines did not survive the
scan) is read by alignment: text lines are cut into cells at wide gaps, and the columns are the
vertical white "rivers" that the cells of the table lines leave between them. A cell that crosses
a river (a merged cell) takes the first column it covers, as a merged cell does in the other readers.

Every cell keeps its box and the engine's confidence (the weakest of its lines).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from statistics import median

from jixiao.documents.ocr.engine import TextBox
from jixiao.documents.ocr.grid import Box, Table


@dataclass(frozen=True)
class PlacedCell:
    """The text of one cell, its box on the page (pixels) and the OCR confidence of its weakest line."""

    text: str
    box: Box
    score: float


@dataclass(frozen=True)
class PlacedRow:
    """One table row or text line: its cells by column (None where empty), its table (0: none) and row."""

    cells: tuple[PlacedCell | None, ...]
    top: float
    table: int = 0
    row: int = 0


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into text lines (by vertical overlap), each line left to right, lines top to bottom."""
    lines: list[list[TextBox]] = []
    for b in sorted(boxes, key=lambda b: _centre(b.box)[1]):
        mid = _centre(b.box)[1]
        for line in lines:
            top = min(x.box[1] for x in line)
            bottom = max(x.box[3] for x in line)
            # the same line when the centre falls in the middle half of the line's height
            if top + (bottom - top) * 0.25 <= mid <= bottom - (bottom - top) * 0.25:
                line.append(b)
                break
        else:
            lines.append([b])
    for line in lines:
        line.sort(key=lambda b: b.box[0])
    lines.sort(key=lambda line: min(b.box[1] for b in line))
    return lines


def _join_line(line: list[TextBox]) -> str:
    out = ""
    right = line[0].box[0]
    for b in line:
        text = b.text.strip()
        if not text:
            continue
        gap = b.box[0] - right
        latin = bool(out) and out[-1].isascii() and out[-1].isalnum() and text[0].isascii() and text[0].isalnum()
        # a wide gap is a space the printer put there; Chinese characters are set without any
        if out and (gap > b.height * 0.8 or latin):
            out += " "
        out += text
        right = b.box[2]
    return out


def _cell(boxes: list[TextBox], box: Box) -> PlacedCell:
    text = "\n".join(_join_line(line) for line in _lines(boxes))
    return PlacedCell(text, box, min(b.score for b in boxes))


def _cell_at(table: Table, x: float, y: float) -> tuple[int, int] | None:
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell is not None and cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
                return r, c
    return None


def _split_at_borders(table: Table, b: TextBox) -> list[tuple[tuple[int, int] | None, TextBox]]:
    """A line in the cells it lies in: whole when in one, else cut into one piece a cell.

    The detector may run the texts of two neighbouring cells into one line where they nearly touch
    the border between them (a right-aligned 得分 ``10`` and the ``无`` after it); its characters'
    own boxes say which cell each belongs to.
    """
    y = _centre(b.box)[1]
    left, right = _cell_at(table, b.box[0] + 1, y), _cell_at(table, b.box[2] - 1, y)
    if left == right or not b.pieces:
        return [(_cell_at(table, *_centre(b.box)), b)]
    groups: list[tuple[tuple[int, int] | None, list[TextBox]]] = []
    for piece in b.pieces:
        at = _cell_at(table, _centre(piece.box)[0], y)
        if groups and groups[-1][0] == at:
            groups[-1][1].append(piece)
        else:
            groups.append((at, [piece]))
    out: list[tuple[tuple[int, int] | None, TextBox]] = []
    for at, pieces in groups:
        box = (pieces[0].box[0], b.box[1], pieces[-1].box[2], b.box[3])
        text = pieces[0].text
        for before, piece in itertools.pairwise(pieces):
            # the pieces are characters of one line (a digit of "10" is one): a space only where the line had a gap
            text += (" " if piece.box[0] - before.box[2] > b.height * 0.4 else "") + piece.text
        out.append((at, TextBox(text, box, b.score)))
    return out


def table_rows(table: Table, boxes: list[TextBox], number: int) -> tuple[list[PlacedRow], list[TextBox]]:
    """The rows of a ruled table filled with the boxes whose centre falls in a cell; the others returned."""
    found: dict[tuple[int, int], list[TextBox]] = {}
    left: list[TextBox] = []
    for b in boxes:
        for hit, part in _split_at_borders(table, b):
            if hit is None:
                left.append(part)
            else:
                found.setdefault(hit, []).append(part)
    rows: list[PlacedRow] = []
    for r, row in enumerate(table.rows):
        cells: list[PlacedCell | None] = []
        for c, cell in enumerate(row):
            inside = found.get((r, c))
            cells.append(_cell(inside, cell) if inside and cell is not None else None)
        top = min(cell[1] for cell in row if cell is not None)
        rows.append(PlacedRow(tuple(cells), top, number, r + 1))
    return rows, left


def text_lines(boxes: list[TextBox]) -> list[PlacedRow]:
    """Text outside any table: one row per line, the whole line as one cell."""
    rows: list[PlacedRow] = []
    for line in _lines(boxes):
        box = (
            min(b.box[0] for b in line),
            min(b.box[1] for b in line),
            max(b.box[2] for b in line),
            max(b.box[3] for b in line),
        )
        rows.append(PlacedRow((PlacedCell(_join_line(line), box, min(b.score for b in line)),), box[1]))
    return rows


def _split(line: list[TextBox]) -> list[list[TextBox]]:
    """A line cut into cells where the gap between two boxes is about a character or wider.

    Chinese is set without spaces and a Latin space is a third of a character: a gap of a whole
    character is the white between two cells.
    """
    height = median(b.height for b in line)
    cells = [[line[0]]]
    for b in line[1:]:
        if b.box[0] - cells[-1][-1].box[2] > 0.9 * height:
            cells.append([b])
        else:
            cells[-1].append(b)
    return cells


def _explode(b: TextBox) -> list[TextBox]:
    """A detected line cut where its characters leave a character's width of white (two cells' texts)."""
    if not b.pieces:
        return [b]
    groups: list[list[TextBox]] = [[b.pieces[0]]]
    for before, piece in itertools.pairwise(b.pieces):
        if piece.box[0] - before.box[2] > 0.9 * b.height:
            groups.append([piece])
        else:
            groups[-1].append(piece)
    if len(groups) == 1:
        return [b]
    out: list[TextBox] = []
    for pieces in groups:
        text = pieces[0].text
        for before, piece in itertools.pairwise(pieces):
            text += (" " if piece.box[0] - before.box[2] > b.height * 0.4 else "") + piece.text
        out.append(TextBox(text, (pieces[0].box[0], b.box[1], pieces[-1].box[2], b.box[3]), b.score))
    return out


def aligned_rows(boxes: list[TextBox], page_width: float) -> list[PlacedRow]:
    """A page without ruling lines: columns from the white rivers between the cells of its table lines."""
    # without borders the detector runs neighbouring cells together: cut them apart first
    boxes = [part for b in boxes for part in _explode(b)]
    lines = [_split(line) for line in _lines(boxes)]
    # the table's own lines (three cells or more) make the rivers; a paragraph across fills a few,
    # so a river is where almost no table line has ink, not where none has
    table_lines = [cells for cells in lines if len(cells) > 2]
    if not table_lines:
        return text_lines(boxes)
    covered = [0] * (int(page_width) + 2)
    for cells in table_lines:
        for c in cells:
            for x in range(max(0, int(min(b.box[0] for b in c))), min(len(covered), int(max(b.box[2] for b in c)) + 1)):
                covered[x] += 1
    crowded = [n > max(1, len(table_lines) // 8) for n in covered]
    # a column starts where ink starts after a white river
    starts = [x for x in range(1, len(crowded)) if crowded[x] and not crowded[x - 1]]
    if crowded[0]:
        starts.insert(0, 0)
    if not starts:
        return text_lines(boxes)
    rows: list[PlacedRow] = []
    for cells in lines:
        top = min(b.box[1] for c in cells for b in c)
        if len(cells) == 1:
            rows.extend(text_lines(cells[0]))
            continue
        placed: list[PlacedCell | None] = [None] * len(starts)
        for c in cells:
            x0 = min(b.box[0] for b in c)
            k = max(i for i, s in enumerate(starts) if s <= x0 + 1) if any(s <= x0 + 1 for s in starts) else 0
            box = (x0, min(b.box[1] for b in c), max(b.box[2] for b in c), max(b.box[3] for b in c))
            cell = PlacedCell(_join_line(c), box, min(b.score for b in c))
            old = placed[k]
            placed[k] = (
                cell if old is None else PlacedCell(old.text + " " + cell.text, old.box, min(old.score, cell.score))
            )
        while placed and placed[-1] is None:
            placed.pop()
        rows.append(PlacedRow(tuple(placed), top))
    return rows
