"""The 结果应用情况 summary: per department and year, each project's grade, proposal and decision, with totals.

:func:`build_summary` is pure: the caller (the web, the demo) gives one
:class:`SummaryInput` per project — its :class:`~jixiao.core.scoring.application.Proposal`
and the decided amount if any — and gets data an exporter can write as a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.scoring.application import Proposal, national_default

__all__ = ["COLUMNS", "SummaryInput", "SummaryRow", "SummaryTable", "build_summary"]

# The table's columns, in Chinese, in the order of SummaryRow.cells().
COLUMNS = ("项目", "等级", "得分", "上年预算（元）", "建议", "建议金额（元）", "决定", "决定金额（元）", "增减（元）")


@dataclass(frozen=True)
class SummaryInput:
    """One project of the summary: where it belongs, its proposal, and the decision taken (None: undecided)."""

    department: str
    year: int
    proposal: Proposal
    decided_amount: Decimal | None = None
    decision_label: str = ""


@dataclass(frozen=True)
class SummaryRow:
    """One printed row; ``difference`` is the decided amount less the prior budget (None while undecided)."""

    project: str
    grade: str
    score: Decimal | None
    prior_budget: Decimal
    proposal: str
    proposed_amount: Decimal
    decision: str
    decided_amount: Decimal | None
    difference: Decimal | None

    def cells(self) -> tuple[str, ...]:
        """The row as printed text, one cell per :data:`COLUMNS` entry; money to the fen."""

        def money(v: Decimal | None) -> str:
            return "" if v is None else f"{v:,.2f}"

        return (
            self.project,
            self.grade,
            "" if self.score is None else str(self.score),
            money(self.prior_budget),
            self.proposal,
            money(self.proposed_amount),
            self.decision,
            money(self.decided_amount),
            money(self.difference),
        )


@dataclass(frozen=True)
class SummaryTable:
    """One department's year: its rows in project order, the totals, and how many per grade."""

    department: str
    year: int
    rows: tuple[SummaryRow, ...]
    prior_total: Decimal
    proposed_total: Decimal
    decided_total: Decimal
    difference_total: Decimal
    undecided: int
    grades: tuple[tuple[str, int], ...]

    @property
    def title(self) -> str:
        """The table's Chinese title."""
        return f"{self.department} {self.year} 年度结果应用情况"


def _row(item: SummaryInput) -> SummaryRow:
    p = item.proposal
    decided = item.decided_amount
    return SummaryRow(
        project=p.project,
        grade=p.grade,
        score=p.score,
        prior_budget=p.prior_budget,
        proposal=p.label,
        proposed_amount=p.amount,
        decision=(item.decision_label or "已决定") if decided is not None else "未决定",
        decided_amount=decided,
        difference=None if decided is None else decided - p.prior_budget,
    )


def build_summary(items: Iterable[SummaryInput], grade_order: Sequence[str] = ()) -> list[SummaryTable]:
    """One table per (department, year), sorted by department then year; rows sorted by project name.

    The grade counts follow ``grade_order`` (by default the national rule's bands, 优 良 中 差), any
    other grade after them.

    Totals add exact Decimals; the decided total and the difference count decided projects only,
    and ``undecided`` says how many are left out of them.
    """
    order = list(grade_order) or [b.grade for b in national_default().bands]
    groups: dict[tuple[str, int], list[SummaryInput]] = {}
    for item in items:
        groups.setdefault((item.department, item.year), []).append(item)
    tables = []
    for (department, year), group in sorted(groups.items()):
        rows = tuple(_row(i) for i in sorted(group, key=lambda i: i.proposal.project))
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.grade] = counts.get(r.grade, 0) + 1
        decided = [r for r in rows if r.decided_amount is not None]
        tables.append(
            SummaryTable(
                department=department,
                year=year,
                rows=rows,
                prior_total=sum((r.prior_budget for r in rows), Decimal(0)),
                proposed_total=sum((r.proposed_amount for r in rows), Decimal(0)),
                decided_total=sum((r.decided_amount or Decimal(0) for r in decided), Decimal(0)),
                difference_total=sum((r.difference or Decimal(0) for r in decided), Decimal(0)),
                undecided=len(rows) - len(decided),
                grades=tuple(sorted(counts.items(), key=lambda c: order.index(c[0]) if c[0] in order else len(order))),
            )
        )
    return tables
