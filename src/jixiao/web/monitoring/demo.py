"""The demo's monitoring round: a year of approved targets monitored at 31 July, its forms in every state.

``jixiao demo`` calls :func:`demo_round` after loading its documents. The finance bureau opens the
round over every department, for the year in which the demo unit has the most approved targets. The
demo unit's forms then go round the states (submitted behind the time schedule with a 有可能 row and
no remedy, so the alerts show; returned with a comment; approved by the bureau; approved by the
department; saved as a draft; not filed); the other units, without a demo login, leave theirs
unfiled, late once the due date has passed. Every step goes through the monitoring services as a
person's would, audited.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User

from jixiao.core.workflow import FROZEN_VALUES, Action
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Declaration
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound

CENT = Decimal("0.01")
_OPERATORS = "≥≤=<>＞＜"


def _filled(
    rec: MonitoringRecord, share: str, behind: bool
) -> tuple[dict[str, object], list[services.MonitoringRowInput]]:
    """The form as the unit would fill it: ``share`` of the budget paid; ``behind`` a row that may miss."""
    budget = rec.declaration.requested_total or Decimal("100000.00")
    paid = (budget * Decimal(share)).quantize(CENT, rounding=ROUND_HALF_UP)
    forecast = (budget * Decimal("0.85" if behind else "0.98")).quantize(CENT, rounding=ROUND_HALF_UP)
    data: dict[str, object] = {
        "money_unit": rec.declaration.money_unit,
        "budget_total": budget,
        "executed_to_date": paid,
        "forecast_total": forecast,
        "outcome": "项目按计划推进，主要产出已完成过半。" if not behind else "资金拨付滞后，部分工作推迟到下半年。",
    }
    rows = []
    ordered = list(rec.rows.select_related("indicator").order_by("position"))
    for n, row in enumerate(ordered):
        target = row.indicator.target.lstrip(_OPERATORS) or row.indicator.target
        if behind and n == len(ordered) - 1:
            # a row that may miss, its cause given and no remedy yet: the alerts say what is missing
            rows.append(
                services.MonitoringRowInput(
                    row.indicator_id, "进度过半", target, ("经费保障",), "上半年资金拨付滞后。", "有可能", ""
                )
            )
        else:
            rows.append(services.MonitoringRowInput(row.indicator_id, "进度过半", target, (), "", "确定能", ""))
    return data, rows


def demo_round(people: dict[str, User]) -> MonitoringRound | None:
    """Open the demo's round and take the demo unit's forms through every state; None with no approved year."""
    organization = people["unit"].account.organization
    # the year in which the demo unit has the most approved targets (the latest of equals): the most to show
    years = Counter(
        Declaration.objects.filter(state__in=FROZEN_VALUES, project__unit=organization).values_list("year", flat=True)
    )
    if not years:
        return None
    year = max(years, key=lambda y: (years[y], y))
    finance, dept, unit = (Context.system(people[n]) for n in ("finance", "dept", "unit"))
    round_ = services.open_round(finance, year, date(year, 7, 31), date(year, 8, 31)).round
    mine = list(MonitoringRecord.objects.filter(round=round_, unit=organization).order_by("project_name", "pk"))

    def save(rec: MonitoringRecord, share: str = "0.62", behind: bool = False) -> MonitoringRecord:
        data, rows = _filled(rec, share, behind)
        return services.update_record(unit, rec, rec.version, data, rows)

    def submit(rec: MonitoringRecord, behind: bool = False) -> MonitoringRecord:
        return services.act(unit, save(rec, "0.30" if behind else "0.62", behind), Action.SUBMIT)

    # the other units of the round have no demo login: their forms stay unfiled, late after the due date
    plans: list[Callable[[MonitoringRecord], object]] = [
        lambda rec: submit(rec, behind=True),  # behind the time schedule: alerts for the department
        lambda rec: services.act(dept, submit(rec), Action.RETURN, "截至监控日执行数与国库支付数据不一致，请核对。"),
        lambda rec: services.act(finance, services.act(dept, submit(rec), Action.DEPT_APPROVE), Action.FINANCE_APPROVE),
        lambda rec: services.act(dept, submit(rec), Action.DEPT_APPROVE),
        lambda rec: save(rec),  # saved as a draft
        lambda rec: None,  # not filed
    ]
    for n, rec in enumerate(mine):
        plans[n % len(plans)](rec)
    from jixiao.web.monitoring.action_demo import demo_actions

    demo_actions(people, round_)  # what the department ordered: one action open, one closed
    return round_
