"""The 结果应用情况 table as the exporters' neutral :class:`~jixiao.exporters.model.Listing`.

:func:`results_listing` turns one department's year (a
:class:`~jixiao.core.results.summary.SummaryTable`) into a listing, which the
renderers that draw listings (:data:`jixiao.exporters.formats.RENDERERS`: XLSX
and CSV) write with amounts as exact decimals to the fen. Project names come
from filers; the renderers make every text safe.
"""

from __future__ import annotations

from jixiao.core.results.summary import SummaryRow, SummaryTable
from jixiao.exporters.model import Listing, ListingColumn, ListingValue

__all__ = ["COLUMNS", "results_listing"]

# heading, kind (as the listing renderers format it), width in characters
COLUMNS = (
    ListingColumn("项目", "text", 36),
    ListingColumn("等级", "text", 6),
    ListingColumn("得分", "figure", 8),
    ListingColumn("上年预算（元）", "money", 16),
    ListingColumn("建议", "text", 14),
    ListingColumn("建议金额（元）", "money", 16),
    ListingColumn("决定", "text", 10),
    ListingColumn("决定金额（元）", "money", 16),
    ListingColumn("增减（元）", "money", 16),
)


def _row(r: SummaryRow) -> tuple[ListingValue, ...]:
    return (
        r.project,
        r.grade,
        r.score,
        r.prior_budget,
        r.proposal,
        r.proposed_amount,
        r.decision,
        r.decided_amount,
        r.difference,
    )


def results_listing(table: SummaryTable) -> Listing:
    """One department's year as a listing: a row per project and a totals line (decided projects only)."""
    grades = "，".join(f"{g} {n} 个" for g, n in table.grades)
    undecided = f"，{table.undecided} 个未决定" if table.undecided else ""
    totals: tuple[ListingValue, ...] = (
        f"合计（{len(table.rows)} 个项目：{grades}{undecided}）",
        None,
        None,
        table.prior_total,
        None,
        table.proposed_total,
        None,
        table.decided_total,
        table.difference_total,
    )
    return Listing(
        title=table.title,
        sheet="结果应用情况",
        columns=COLUMNS,
        rows=tuple(_row(r) for r in table.rows),
        totals=totals,
    )
