"""A round's 序时进度 page: each project's budget execution rate against the schedule, as a chart and a table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jixiao.core.scoring import DEFAULT_PACK
from jixiao.web.access import get_for
from jixiao.web.cycle.packs import pack_named
from jixiao.web.monitoring import lists, schedule
from jixiao.web.monitoring.models import MonitoringRound
from jixiao.web.monitoring.views.alerts import departments_for, reviewer
from jixiao.web.numbers import small_int

TABLE_MAX = 500  # rows of the table; a department's filter narrows a province's round


@login_required
@require_GET
def round_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's projects, furthest behind first: the chart of the first ones, the table of them all."""
    role = reviewer(request.user)
    round_ = get_for(request.user, MonitoringRound.objects.all(), pk)
    department = small_int(request.GET.get("department"))
    records = lists.round_records(
        request.user, round_, lists.RecordFilters(department=department), timezone.localdate()
    )
    points = schedule.points(records)
    rated = [p for p in points if p.rate is not None]
    line, floor = schedule.schedule_of(DEFAULT_PACK, round_.as_of)
    rules = pack_named(DEFAULT_PACK).monitoring
    return render(
        request,
        "monitoring/schedule.html",
        {
            "round": round_,
            "department": department,
            "departments": departments_for(role),
            "chart": schedule.svg(rated[: schedule.CHART_MAX]),
            "drawn": min(len(rated), schedule.CHART_MAX),
            "points": points[:TABLE_MAX],
            "more": max(len(points) - TABLE_MAX, 0),
            "count": len(points),
            "rated": len(rated),
            "behind": sum(1 for p in rated if p.behind),
            "schedule": schedule.shown(line),
            "floor": schedule.shown(floor),
            "margin": rules.execution_margin_pct,
            "method": "按月" if rules.schedule == "months" else "按日",
            "document": rules.document,
        },
    )
