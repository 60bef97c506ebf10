"""Demo results decisions of the latest year: one accepted, one changed with a reason, the rest pending."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.models import User

from jixiao.web.audit.services import Context
from jixiao.web.results import proposals, services


def demo_decisions(finance: User) -> int:
    """Decide two of the latest year's undecided, unblocked proposals as ``finance``; returns how many were decided.

    The first is accepted; the second is changed to its proposal less a tenth (whole 元, never above the
    prior budget, so it is a possible figure under every band) with a reason; the rest stay pending.
    """
    years = proposals.years(finance)
    if not years:
        return 0
    ctx = Context.system(finance)
    open_lines = [
        line
        for line in proposals.lines_of(proposals.decidable(finance, years[0]))
        if line.status == "pending" and line.proposal is not None
    ]
    decided = 0
    for n, line in enumerate(open_lines[:2]):
        p = line.proposal
        assert p is not None  # filtered above
        if n == 0:
            services.decide(ctx, line.evaluation, "accept")
        else:
            amount = (p.amount * Decimal("0.9")).quantize(Decimal(1), rounding=ROUND_DOWN)
            services.decide(
                ctx, line.evaluation, "change", amount, "演示：结合下年度财力安排，在建议基础上再压减一成。"
            )
        decided += 1
    return decided
