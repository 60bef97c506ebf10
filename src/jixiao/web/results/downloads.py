"""The 结果应用情况 report as files: the page's rows as a core summary table, drawn by the exporters.

XLSX and CSV are the exporters' listing renderers (:data:`jixiao.exporters.formats.RENDERERS`);
the PDF and the Word report draw the same listing (``render_listing`` of ``exporters.pdf`` and
``exporters.docx``). The format names, suffixes and media types come from the one table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from jixiao.core.results.summary import SummaryInput, SummaryTable, build_summary
from jixiao.exporters import docx, pdf
from jixiao.exporters.formats import RENDERERS, Renderer
from jixiao.exporters.model import Listing
from jixiao.exporters.results import results_listing
from jixiao.web.results.proposals import Line

# format -> (its renderer entry for names and media type, what draws the listing); in the buttons' order
FORMATS: dict[str, tuple[Renderer, Callable[[Listing], bytes]]] = {
    "xlsx": (RENDERERS["xlsx"], RENDERERS["xlsx"].listing or (lambda _: b"")),
    "pdf": (RENDERERS["pdf"], pdf.render_listing),
    "docx": (RENDERERS["docx"], docx.render_listing),
    "csv": (RENDERERS["csv"], RENDERERS["csv"].listing or (lambda _: b"")),
}


def summary_table(lines: Sequence[Line], department: str, year: int) -> SummaryTable:
    """The page's rows as one table titled for ``department`` (a name, or 全部主管部门).

    A project without a proposal cannot be in the table (its figures would be made up); a decision
    that answered an earlier proposal counts as not decided.
    """
    items = [
        SummaryInput(
            department,
            year,
            line.proposal,
            line.decision.amount if line.decision is not None and not line.stale else None,
            line.decision.get_action_display() if line.decision is not None else "",
        )
        for line in lines
        if line.proposal is not None
    ]
    tables = build_summary(items)
    zero = Decimal(0)
    return tables[0] if tables else SummaryTable(department, year, (), zero, zero, zero, zero, 0, ())


def render(fmt: str, table: SummaryTable) -> tuple[bytes, str, str]:
    """The table in ``fmt``: its bytes, media type and suffix; KeyError for a format not offered."""
    renderer, draw = FORMATS[fmt]
    return draw(results_listing(table)), renderer.media_type, renderer.suffix or ".csv"
