"""DOCX renderer: the written 绩效自评报告 (or 申报说明) with its forms attached as Word tables.

Dumb by design: the paragraphs come from the report's :class:`~jixiao.exporters.model.Narrative`
and the tables from its forms. The tables are written as WordprocessingML directly, because a
merged cell in Word is a cell with ``gridSpan`` (across) or ``vMerge`` (down), and writing those
is simpler and faster than merging python-docx cells one pair at a time.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jixiao.exporters.model import Cell, Form, Listing, ListingValue, Report, Role, clean, figure

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
TABLE_SIZE = 9  # points
TEXT_WIDTH_MM = 170  # A4 less 20 mm margins
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TWIPS_PER_MM = 1440 / 25.4


def _run_props(size: float, font: str = BODY_FONT, bold: bool = False) -> str:
    b = "<w:b/>" if bold else ""
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
    return f'<w:rPr>{fonts}{b}<w:sz w:val="{int(size * 2)}"/></w:rPr>'


def _paragraph_xml(lines: list[str], align: str, size: float = TABLE_SIZE) -> str:
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return (
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="{align}"/>'
        f"</w:pPr><w:r>{_run_props(size)}{runs}</w:r></w:p>"
    )


def _cell_lines(cell: Cell) -> list[str]:
    if cell.vertical:
        return [ch for ch in cell.text if not ch.isspace()] or [""]
    return cell.text.split("\n")


def _align(cell: Cell) -> str:
    if cell.role is Role.FIGURE:
        return "right"
    if cell.role is Role.TEXT and not cell.vertical:
        return "left"
    return "center"


def table_xml(form: Form) -> str:
    """The form's grid as a ``<w:tbl>``: fixed column widths, ruled, merged cells as spans."""
    grid = form.grid
    total = sum(grid.widths)
    twips = [round(w / total * TEXT_WIDTH_MM * _TWIPS_PER_MM) for w in grid.widths]
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{t}"/>' for t in twips),
        "</w:tblGrid>",
    ]
    # (row, col) -> the cell above whose vertical span covers it: Word needs a continuation cell
    # (vMerge without a value) there, with the same width, or the table's grid falls apart
    below: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(grid.rows):
        by_col = {c.col: c for c in row}
        # a row never breaks across pages, so a cell's text is never cut in two
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        col = 0
        while col < grid.columns:
            cell = by_col.get(col)
            if cell is None and (r, col) in below:
                above = below[(r, col)]
                width = sum(twips[col : col + above.colspan])
                span = f'<w:gridSpan w:val="{above.colspan}"/>' if above.colspan > 1 else ""
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}<w:vMerge/>'
                    f'<w:vAlign w:val="center"/></w:tcPr><w:p/></w:tc>'
                )
                col += above.colspan
                continue
            if cell is None:
                parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips[col]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
                col += 1
                continue
            width = sum(twips[col : col + cell.colspan])
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            merge = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
            for k in range(1, cell.rowspan):
                below[(r + k, col)] = cell
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/></w:tcPr>'
                f"{_paragraph_xml(_cell_lines(cell), _align(cell))}</w:tc>"
            )
            col += cell.colspan
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _styles(document: Any) -> None:
    """Chinese fonts for the body and headings; headings black, not the template's blue."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for name, font, size in (
        ("Normal", BODY_FONT, 12),
        ("Heading 1", HEADING_FONT, 15),
        ("Heading 2", HEADING_FONT, 13),
        ("Heading 3", HEADING_FONT, 12),
    ):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _centred(document: Any, text: str, size: float, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _attach(document: Any, form: Form, last: bool) -> None:
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml
    from docx.shared import Pt

    _centred(document, form.title, 16, bold=True)
    if form.subtitle:
        _centred(document, form.subtitle, 11)
    anchor = document.add_paragraph()
    anchor._p.addprevious(parse_xml(table_xml(form)))
    for note in form.notes:
        para = document.add_paragraph()
        run = para.add_run(note)
        run.font.size = Pt(TABLE_SIZE)
    if not last:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def render(report: Report) -> bytes:
    """The report as a Word document: title, the narrative, then the forms as an attachment."""
    from docx import Document as WordDocument
    from docx.enum.text import WD_BREAK
    from docx.shared import Mm, Pt

    document = WordDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(25)
    _styles(document)
    document.core_properties.title = report.narrative.title
    document.core_properties.author = "jixiao"
    _centred(document, report.narrative.title, 18, bold=True)
    for block in report.narrative.blocks:
        if block.level:
            document.add_heading(block.text, level=block.level)
        else:
            para = document.add_paragraph(block.text)
            para.paragraph_format.first_line_indent = Pt(24)
    # the forms follow as an attachment on their own pages, as the transfer report attaches its form
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph(report.narrative.attachment)
    for n, form in enumerate(report.forms, start=1):
        _attach(document, form, last=n == len(report.forms))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write(report: Report, path: Path) -> None:
    """Write the Word document to ``path``."""
    path.write_bytes(render(report))


def _listing_text(value: ListingValue, kind: str) -> str:
    """A listing cell as printed: money and figures with thousands separators, exact to what they carry."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return figure(value, 2 if kind == "money" else 0, grouping=True)
    return clean(str(value))


def _listing_row(
    values: tuple[str, ...], aligns: list[str], twips: list[int], bold: bool = False, header: bool = False
) -> str:
    cells = []
    for text, align, width in zip(values, aligns, twips, strict=True):
        run = f'<w:r>{_run_props(TABLE_SIZE, bold=bold)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        para = f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="{align}"/></w:pPr>{run}</w:p>'
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{para}</w:tc>')
    # the heading row repeats on every page
    props = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def render_listing(listing: Listing) -> bytes:
    """A listing as a landscape Word document: the title, then one ruled table (headings, rows, totals)."""
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.shared import Mm

    document = WordDocument()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(15)
    _styles(document)
    document.core_properties.title = listing.title
    document.core_properties.author = "jixiao"
    _centred(document, listing.title, 16, bold=True)
    total = sum(c.width for c in listing.columns)
    twips = [round(c.width / total * 267 * _TWIPS_PER_MM) for c in listing.columns]
    aligns = ["left" if c.kind == "text" else "right" for c in listing.columns]
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    rows = [
        _listing_row(tuple(c.label for c in listing.columns), ["center"] * len(twips), twips, bold=True, header=True)
    ]
    rows += [
        _listing_row(tuple(_listing_text(v, c.kind) for v, c in zip(r, listing.columns, strict=True)), aligns, twips)
        for r in listing.rows
    ]
    totals = tuple(_listing_text(v, c.kind) for v, c in zip(listing.totals, listing.columns, strict=True))
    rows.append(_listing_row(totals, aligns, twips, bold=True))
    xml = (
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    anchor = document.add_paragraph()
    anchor._p.addprevious(parse_xml(xml))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
