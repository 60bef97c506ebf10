"""A form of the exporters' report as an HTML table: the same cells, spans and printed figures as the files."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.exporters.report import Cell, Form, Role


@dataclass(frozen=True)
class HtmlCell:
    """One cell as the template draws it."""

    text: str
    header: bool
    css: str
    colspan: int
    rowspan: int


@dataclass(frozen=True)
class HtmlGrid:
    """Column widths (as CSS classes ``w1``…``w60``, whole percents: the CSP forbids style attributes) and rows."""

    widths: tuple[str, ...]
    rows: tuple[tuple[HtmlCell, ...], ...]


_CSS = {Role.LABEL: "label", Role.TEXT: "text", Role.FIGURE: "num", Role.CODE: "code"}


def _cell(cell: Cell) -> HtmlCell:
    css = _CSS[cell.role] + (" vertical" if cell.vertical else "")
    return HtmlCell(cell.text, cell.role is Role.LABEL, css, cell.colspan, cell.rowspan)


def html_grid(form: Form) -> HtmlGrid:
    """The form's grid for a template: widths as percentages of the whole, cells in row order."""
    total = sum(form.grid.widths) or 1.0
    widths = tuple(f"w{min(60, max(1, round(100 * w / total)))}" for w in form.grid.widths)
    return HtmlGrid(widths, tuple(tuple(_cell(c) for c in row) for row in form.grid.rows))
