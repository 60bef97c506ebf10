"""A form of the exporters' report as an HTML table: the same cells, spans and printed figures as the files.

One drawing of the official layouts for the web: the public portal and the workspace's record pages
both call :func:`official_table`, so a record is shown as it prints and as it will be published. The
workspace adds columns of its own beside the form (:class:`NoteColumn`: a reviewer's findings, suggested
scores, the approved weights), filled per anchored row (:attr:`Form.anchors`); they never print.

The table is written here rather than by the template engine: a form of a hundred indicators has about
a thousand cells, and a template loop costs a tenth of a millisecond per cell (see ``cycle/html.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from jixiao.exporters.model import Cell, Form, Role

_CSS = {Role.LABEL: "label", Role.TEXT: "text", Role.FIGURE: "num", Role.CODE: "code"}


@dataclass(frozen=True)
class NoteColumn:
    """A column the workspace adds beside a form: its heading, width (percent of the page) and cells.

    ``cells`` maps an anchor of the form (``indicator:3``, ``total``…) to the cell's content; the
    heading sits on the indicator table's heading row. Every other row gets an empty cell.
    """

    heading: str
    width: int
    cells: Mapping[str, SafeString | str] = field(default_factory=dict)
    css: str = "note"


def _width(share: float) -> str:
    """A width as one of the stylesheet's classes ``w1``…``w60`` (the policy forbids style attributes)."""
    return f"w{min(60, max(1, round(share)))}"


def _cell(cell: Cell) -> SafeString:
    tag = "th" if cell.role is Role.LABEL else "td"
    css = _CSS[cell.role] + (" vertical" if cell.vertical else "")
    spans = ""
    if cell.colspan > 1:
        spans += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        spans += f' rowspan="{cell.rowspan}"'
    return format_html('<{} class="{}"{}>{}</{}>', tag, css, mark_safe(spans), linebreaksbr(cell.text), tag)


def _notes(columns: Sequence[NoteColumn], anchor: str | None) -> SafeString:
    """The added cells of one row: the headings on the indicator heading row, else each column's content."""
    if anchor == "indicators":
        return format_html_join("", '<th class="{} noprint">{}</th>', ((c.css, c.heading) for c in columns))
    return format_html_join(
        "", '<td class="{} noprint">{}</td>', ((c.css, c.cells.get(anchor, "") if anchor else "") for c in columns)
    )


def official_table(form: Form, columns: Sequence[NoteColumn] = ()) -> SafeString:
    """The form's table, with ``columns`` added on the right (shown on screen, never printed)."""
    added = sum(c.width for c in columns)
    total = sum(form.grid.widths) or 1.0
    # the form keeps its proportions in what the added columns leave of the page
    widths = [_width((100 - added) * w / total) for w in form.grid.widths]
    cols = format_html_join("", '<col class="{}">', ((w,) for w in widths))
    cols += format_html_join("", '<col class="{} noprint">', ((_width(c.width),) for c in columns))
    named = form.rows_named()
    body = mark_safe(
        "\n".join(
            format_html(
                "<tr>{}{}</tr>",
                mark_safe("".join(_cell(c) for c in row)),
                _notes(columns, named.get(n)) if columns else "",
            )
            for n, row in enumerate(form.grid.rows)
        )
    )
    return format_html(
        '<table class="sheet official{}" id="official-form"><colgroup>{}</colgroup><tbody>\n{}\n</tbody></table>',
        " annotated" if columns else "",
        cols,
        body,
    )
