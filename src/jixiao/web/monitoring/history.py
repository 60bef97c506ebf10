"""An approved declaration's monitoring as the year-end self-evaluation uses it (issue 16, item 7).

The self-evaluation starts each indicator's 实际完成值 from the last approved monitoring form's
全年预计完成值 (the unit then corrects it to what was achieved), and its page shows, per indicator,
every round's as-of date, value so far, forecast, likelihood and alerts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from jixiao.core.review.findings import REGISTRY
from jixiao.core.workflow import Action, State
from jixiao.web.access import Person
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord, MonitoringStateChange

ALERTING = ("error", "warning")  # the findings shown as a round's alerts beside an indicator
# the monitoring checks' own codes (decision 0013): a target's wording, say, is the declaration's matter
ALERT_CODES = tuple(c.code for c in REGISTRY.values() if c.scope == "monitoring")


@dataclass(frozen=True)
class Basis:
    """The approved monitoring form a self-evaluation starts from, and its forecasts by approved indicator."""

    record: MonitoringRecord
    forecasts: dict[int, str]


def last_approved(decl: Declaration, before: datetime | None = None) -> Basis | None:
    """The last approved monitoring form of ``decl`` (by as-of date), with its non-empty forecasts.

    ``before``: only a form approved by then (what a self-evaluation created then started from).
    """
    records = MonitoringRecord.objects.filter(declaration=decl, state=State.APPROVED.value)
    if before is not None:
        approved = MonitoringStateChange.objects.filter(
            action=Action.FINANCE_APPROVE.value, new_state=State.APPROVED.value, at__lte=before
        )
        records = records.filter(pk__in=approved.values("record"))
    rec = records.select_related("round").order_by("-round__as_of", "-pk").first()
    if rec is None:
        return None
    forecasts = {r.indicator_id: r.forecast.strip() for r in rec.rows.all() if r.forecast.strip()}
    return Basis(rec, forecasts)


@dataclass(frozen=True)
class RoundLine:
    """One round's monitoring of one indicator."""

    record: MonitoringRecord
    as_of: date
    actual: str
    forecast: str
    likelihood: str
    alerts: list[str] = field(default_factory=list)


def indicator_history(user: Person, decl: Declaration) -> dict[int, list[RoundLine]]:
    """Per approved indicator (its id), each round's line, earliest first, from the forms ``user`` may see."""
    records = list(
        MonitoringRecord.objects.visible_to(user)
        .filter(declaration=decl)
        .select_related("round")
        .prefetch_related("rows")
        .order_by("round__as_of", "pk")
    )
    alerts: dict[tuple[int, int], list[str]] = defaultdict(list)
    found = MonitoringFinding.objects.filter(
        record__in=records, severity__in=ALERTING, code__in=ALERT_CODES, indicator_index__isnull=False
    )
    for f in found:
        alerts[(f.record_id, f.indicator_index or 0)].append(f.message)
    by_indicator: dict[int, list[RoundLine]] = defaultdict(list)
    for rec in records:
        for n, row in enumerate(rec.rows.all()):  # in the form's order, which a finding's index counts
            by_indicator[row.indicator_id].append(
                RoundLine(rec, rec.round.as_of, row.actual, row.forecast, row.likelihood, alerts.get((rec.pk, n), []))
            )
    return dict(by_indicator)


def evaluation_monitoring(user: Person, ev: SelfEvaluation) -> dict[str, object]:
    """What a self-evaluation's page shows of monitoring: each indicator's history, and the form it started from."""
    decl = ev.declaration
    history = indicator_history(user, decl)
    if not history:
        return {}
    indicators = list(decl.indicators.all())
    return {
        "monitoring_history": [(i, history.get(i.pk, [])) for i in indicators],
        "monitoring_basis": last_approved(decl, ev.created_at),
    }
