"""One stream of cells from any extraction of a form, each cell knowing where it was printed.

Tables come out of PDFs, Word files, web pages and OCR in many shapes: pipe
rows (``a | b | ||||``), tab-separated rows, space-separated rows, one cell
per line or per paragraph, and run-together text whose separators are gone.
Whatever the shape, the reader sees the same thing: the cells in reading
order, each with its printed text, its matching form, its line and column,
and whether it opened or closed its source line (a hint of a table row in
row layouts, nothing more). Three repairs are made here, because they belong
to the extraction and not to the form:

* a label broken over cells or paragraphs (``数量`` / ``指标``, ``年度`` /
  ``指标值``) is joined, since the vocabulary says what the whole is;
* a bracket opened in one space-separated piece and closed in a later one is
  one cell (``数量( ≥**个 )``);
* run-together text is cut at every label of the vocabulary; what lies between
  two labels stays one cell, marked ``fused`` for the table reader to split by
  the grammar of values (:mod:`~jixiao.documents.reading.fused`).

Page-chunk markers of document-sharing previews (``1、`` … ``2、`` at the start
of each preview page, inserted wherever the page broke) are taken out first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from jixiao.documents.markup import clean_line, is_rule
from jixiao.documents.reading.lexicon import label_of, labels_of, segment_pattern
from jixiao.documents.reading.normal import Folded, fold, has_pinyin_hints
from jixiao.documents.text import SourceLine


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed cell: its text as printed, its matching form, and where it was printed."""

    text: str
    norm: str
    line: int
    column: int  # 1-based character column of its first character in its line
    first: bool = True  # the first cell of its source line
    last: bool = True  # the last cell of its source line
    fused: bool = False  # cut out of run-together text by the vocabulary
    end_line: int = 0  # the line of its last character, for a cell joined over lines
    # set when the cell is a reading of fused print rather than a printed cell: how it was read
    reading: str = ""
    # the first piece of an indicator row cut out of run-together text by the grammar of its figures
    row_start: bool = False
    # a later piece of a fused run cut by the grammar of values: it goes on the row of the piece before
    cont: bool = False

    @property
    def lines(self) -> range:
        """The source lines this cell was printed on."""
        return range(self.line, max(self.line, self.end_line) + 1)


@dataclass(frozen=True)
class Stream:
    """The cells of a text in reading order, and what the text looked like."""

    cells: tuple[Cell, ...]
    pinyin_mode: bool
    run_together: bool  # some text had its separators lost and was cut by the vocabulary
    # lines of the source that printed something, for the report of what was not placed
    printed_lines: frozenset[int]


_SPLIT_DELIMITED = re.compile(r"[|\t]")
_SPLIT_SPACES = re.compile(r"\s+")
_CHUNK = re.compile(r"^\s*(\d{1,2})、")
_HEADING_TAILS = ("说明", "备注")
_CUTTING_KINDS = frozenset({"field", "other", "fund_row", "fund_block", "total"})
_PROSE_MARKS = ("，", ",", "。", "；", ";")
_MIN_RUN = 8  # characters before a cell is looked at as possibly run-together
_MAX_LABEL_PIECES = 4
_MAX_PIECE = 8


def _chunks(lines: Sequence[SourceLine]) -> list[SourceLine]:
    """Lines with a preview's page-chunk markers (``1、`` ``2、`` … in order) taken out and rejoined.

    A preview page ends wherever the page broke, mid-word, so the text of a
    chunk continues the previous chunk's last line without a separator.
    """
    marked = [i for i, ln in enumerate(lines) if _CHUNK.match(ln.text) and len(ln.text) > 80]
    numbers = [int(_CHUNK.match(lines[i].text).group(1)) for i in marked]  # type: ignore[union-attr]
    if len(marked) < 2 or numbers != list(range(numbers[0], numbers[0] + len(numbers))) or numbers[0] > 2:
        return list(lines)
    out: list[SourceLine] = []
    for i, ln in enumerate(lines):
        if i in marked:
            text = _CHUNK.sub("", ln.text, count=1)
            if i != marked[0] and out and out[-1].text.strip():
                prev = out.pop()
                # the joined line keeps the earlier number: its cells start there
                out.append(SourceLine(prev.number, prev.text.rstrip() + text))
                continue
            out.append(SourceLine(ln.number, text))
        else:
            out.append(ln)
    return out


def _pieces(text: str) -> list[tuple[str, int]]:
    """The cells of one cleaned line with their character offsets, empty cells dropped."""
    delimited = "|" in text or "\t" in text
    splitter = _SPLIT_DELIMITED if delimited else _SPLIT_SPACES
    out: list[tuple[str, int]] = []
    pos = 0
    for part in splitter.split(text):
        start = text.find(part, pos) if part else pos
        pos = start + len(part)
        if part.strip():
            offset = start + len(part) - len(part.lstrip())
            out.append((part.strip(), offset))
    if not delimited:
        out = _balance_brackets(out, text)
    return out


def _balance_brackets(pieces: list[tuple[str, int]], text: str) -> list[tuple[str, int]]:
    """Join space-separated pieces while a bracket opened in the first is not yet closed."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(pieces):
        piece, offset = pieces[i]
        j = i
        depth = _depth(piece)
        while depth > 0 and j + 1 < len(pieces) and j - i < 4:
            j += 1
            depth += _depth(pieces[j][0])
        if j > i and depth <= 0:
            end = pieces[j][1] + len(pieces[j][0])
            out.append((text[offset:end], offset))
            i = j + 1
            continue
        out.append((piece, offset))
        i += 1
    return out


def _depth(text: str) -> int:
    return text.count("(") + text.count("（") - text.count(")") - text.count("）")


def _is_run_together(f: Folded) -> bool:
    """True when a cell holds labels fused to other text (``项目名称渔业成品油价格改革补贴``)."""
    if len(f.norm) < _MIN_RUN:
        return False
    found = _label_matches(f.norm)
    if not found:
        return False
    if len(found) >= 2:
        return True
    m = found[0]
    # one label: it must run straight into a value, and never sit in a sentence, where it is a word
    if any(p in f.norm for p in _PROSE_MARKS) or labels_of(f.norm) or len(f.norm) - m.end() < 2:
        return False
    if m.start() == 0 or m.group(0).endswith(":"):
        return True
    # inside a text only a long label of a form's own fields cuts it (…自评表单位名称X), never a
    # table heading or level word that a phrase may hold (未达指标值酌情扣分)
    found_label = labels_of(m.group(0))
    return len(m.group(0)) >= 4 and any(lb.kind in _CUTTING_KINDS for lb in found_label)


_TITLE_END = re.compile(r"(?:申报|汇总|设定|自评|目标)?表")


def _label_matches(norm: str) -> list[re.Match[str]]:
    """The labels in a text, except words of a form's title (…绩效目标表 is a title) and words in brackets
    (结余率(计算方法为:结余数/预算数) explains a name)."""
    out = []
    for m in segment_pattern().finditer(norm):
        if _TITLE_END.match(norm, m.end()):
            continue
        if norm.count("(", 0, m.start()) > norm.count(")", 0, m.start()):
            continue
        out.append(m)
    return out


def _segment(f: Folded) -> list[tuple[int, int]]:
    """Matching-form spans of the labels and of the text between them."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _label_matches(f.norm):
        if m.start() > pos:
            spans.extend(_heading_tail(f.norm, pos, m.start(), spans))
        spans.append(m.span())
        pos = m.end()
    if pos < len(f.norm):
        spans.extend(_heading_tail(f.norm, pos, len(f.norm), spans))
    return spans


def _heading_tail(norm: str, a: int, b: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A short heading word (说明, 备注) that a run-together table heading ends with, cut off its text.

    Such words are too common to cut text at anywhere; right after another heading they are headings.
    """
    if spans and labels_of(norm[spans[-1][0] : spans[-1][1]]):
        for word in _HEADING_TAILS:
            if (
                norm.startswith(word, a)
                and b - a > len(word)
                and label_of(norm[spans[-1][0] : spans[-1][1]], "table_column")
            ):
                return [(a, a + len(word)), (a + len(word), b)]
    return [(a, b)]


# Markdown bold opens at a line's start or after a space or punctuation; a template's ≥**个 does not
_BOLD = re.compile(r"(?:(?<=^)|(?<=[\s:：,，。|]))\*\*([^*\n]+?)\*\*")
_KEEP_STARS = "\ue000\ue000"


def _clean(text: str) -> str:
    """Markup off (tags, LaTeX, Markdown bold); a template's lone ``**`` (≥**个) stays as printed."""
    text = _BOLD.sub(r"\1", text).replace("**", _KEEP_STARS)
    return clean_line(text).replace(_KEEP_STARS, "**")


def _cells_of_line(line: SourceLine, pinyin_mode: bool) -> tuple[list[Cell], bool]:
    text = _clean(line.text)
    if not text.strip() or is_rule(text):
        return [], False
    raw_pieces = _pieces(text)
    cells: list[Cell] = []
    fused_any = False
    for n, (piece, offset) in enumerate(raw_pieces):
        f = fold(piece, pinyin_mode)
        if not f.norm:
            continue
        first, last = n == 0, n == len(raw_pieces) - 1
        if _is_run_together(f):
            fused_any = True
            spans = _segment(f)
            for k, (a, b) in enumerate(spans):
                printed = f.printed_span(a, b).strip()
                sub = fold(printed, pinyin_mode)
                if not sub.norm:
                    continue
                column = offset + f.offsets[a] + 1
                cells.append(
                    Cell(
                        printed,
                        sub.norm,
                        line.number,
                        column,
                        first and k == 0,
                        last and k == len(spans) - 1,
                        fused=True,
                        end_line=line.number,
                    )
                )
            continue
        cells.append(Cell(piece, f.norm, line.number, offset + 1, first, last, end_line=line.number))
    return cells, fused_any


def _join_labels(cells: list[Cell]) -> list[Cell]:
    """Labels broken over cells (``数量`` / ``指标``, ``年度`` / ``指标值``) joined into one cell."""
    out: list[Cell] = []
    i = 0
    while i < len(cells):
        best: int | None = None
        text = cells[i].norm
        if len(text) <= _MAX_PIECE:
            for j in range(i + 1, min(i + _MAX_LABEL_PIECES, len(cells))):
                nxt = cells[j]
                if len(nxt.norm) > _MAX_PIECE or not _adjacent(cells[j - 1], nxt):
                    break
                text += nxt.norm
                if _label_join_fits(cells[i : j + 1], text):
                    best = j
        if best is None:
            out.append(cells[i])
            i += 1
            continue
        group = cells[i : best + 1]
        out.append(
            replace(
                group[0],
                text="".join(c.text for c in group),
                norm="".join(c.norm for c in group),
                last=group[-1].last,
                end_line=group[-1].end_line,
            )
        )
        i = best + 1
    return out


def _adjacent(a: Cell, b: Cell) -> bool:
    """Two cells that can be pieces of one label: on one line, or each alone on its line."""
    if a.line == b.line:
        return True
    return a.last and b.first and b.last


def _label_join_fits(group: list[Cell], text: str) -> bool:
    whole = labels_of(text)
    if not whole:
        return False
    alone = [labels_of(c.norm) for c in group]
    if any(not found for found in alone):
        return True
    # every piece is a label of its own (社会效益 + 指标): join only into a longer form of the first label,
    # never two headings that happen to make a third (执行率 + 得分)
    return any(w.kind == a.kind and w.key == a.key for w in whole for a in alone[0])


_PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d{1,4}\s*[-—–]\s*$")


def make_stream(lines: Sequence[SourceLine]) -> Stream:
    """The cell stream of a text source."""
    text = "\n".join(ln.text for ln in lines)
    pinyin_mode = has_pinyin_hints(text)
    cells: list[Cell] = []
    fused_any = False
    printed: set[int] = set()
    for line in _chunks(lines):
        if _PAGE_NUMBER.match(line.text):
            continue  # a page's number printed under it (- 2 -): no cell of the form
        found, fused = _cells_of_line(line, pinyin_mode)
        if found:
            printed.add(line.number)
        cells.extend(found)
        fused_any = fused_any or fused
    return Stream(tuple(_join_labels(cells)), pinyin_mode, fused_any, frozenset(printed))
