"""序时进度: each project's budget execution rate against the time schedule, as data and as a server-drawn SVG.

The schedule is the rule pack's (``[monitoring]`` of the record's pack, over
the national default of 财预〔2019〕136号): :func:`jixiao.core.scoring.schedule_pct`
at the round's monitoring date, by months or by days, and the alert line
below it by the pack's ``execution_margin_pct``. The chart is an ``<svg>``
written here, with no script and no inline style (the site's CSP), and the
page prints the same rows as a table beside it, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from jixiao.core.scoring import schedule_pct
from jixiao.web.cycle.packs import pack_named
from jixiao.web.monitoring.documents import execution_rate
from jixiao.web.monitoring.models import MonitoringRecord

CENT = Decimal("0.01")
CHART_MAX = 60  # bars drawn: the projects furthest behind; the table lists every one


@dataclass(frozen=True)
class Point:
    """One project of the chart: its rate (None before the unit fills the money in) against its schedule."""

    record_id: int
    project: str
    unit: str
    department: str
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    schedule: Decimal  # 序时进度 in percent, exact (7/12 → 58.333…)
    floor: Decimal  # the alert line: schedule − the pack's margin, exact

    @property
    def schedule_shown(self) -> Decimal:
        """序时进度 as printed, to two places."""
        return shown(self.schedule)

    @property
    def floor_shown(self) -> Decimal:
        """The alert line as printed, to two places."""
        return shown(self.floor)

    @property
    def gap(self) -> Decimal | None:
        """Percentage points behind the schedule as printed (negative: ahead); None without a rate."""
        return None if self.rate is None else shown(self.schedule - self.rate)

    @property
    def behind(self) -> bool:
        """True when the rate is below the alert line: the pack's execution-behind-schedule alert."""
        return self.rate is not None and self.rate < self.floor


@cache
def schedule_of(pack: str, as_of: date) -> tuple[Decimal, Decimal]:
    """(序时进度, alert line) in percent, exact, by the pack's ``[monitoring]`` at a monitoring date.

    The alert line is the schedule less the pack's ``execution_margin_pct``: a rate below it is behind
    (the review's execution-behind-schedule alert). Exact, so that a rate just at the line is judged
    as the review judges it; :func:`shown` prints it.
    """
    rules = pack_named(pack).monitoring
    exact = schedule_pct(as_of, rules.schedule)
    return exact, exact - rules.execution_margin_pct


def shown(pct: Decimal) -> Decimal:
    """A percentage as printed: two places, half up (58.33 for 7/12)."""
    return pct.quantize(CENT, rounding=ROUND_HALF_UP)


def points(records: Iterable[MonitoringRecord]) -> list[Point]:
    """The chart's projects (records read with their round, unit and department), furthest behind first.

    A project without a rate comes last: it has nothing to draw yet.
    """
    out = []
    for rec in records:
        schedule, floor = schedule_of(rec.rule_pack, rec.round.as_of)
        out.append(
            Point(
                rec.pk,
                rec.project_name,
                rec.unit.name,
                rec.department.name,
                rec.budget_total,
                rec.executed_to_date,
                execution_rate(rec.executed_to_date, rec.budget_total),
                schedule,
                floor,
            )
        )
    out.sort(key=lambda p: (p.rate is None, p.rate - p.schedule if p.rate is not None else 0, p.project, p.record_id))
    return out


# the drawing's geometry, in SVG units
LEFT, RIGHT, TOP, BAR, GAP, BOTTOM = 230, 30, 34, 14, 6, 34
WIDTH = 760


def _x(pct: Decimal, top: Decimal) -> Decimal:
    """The x of a percentage on the axis from 0 to ``top``."""
    clipped = min(max(pct, Decimal(0)), top)
    return (Decimal(LEFT) + clipped * (WIDTH - LEFT - RIGHT) / top).quantize(Decimal("0.1"))


def _short(name: str, length: int = 16) -> str:
    return name if len(name) <= length else name[: length - 1] + "…"


def svg(drawn: list[Point]) -> SafeString:
    """The bars of ``drawn`` (those with a rate) against their schedule and alert lines, as inline SVG.

    The axis runs to 100% or to the highest rate (at most 150%: a rate beyond is drawn to the edge).
    One schedule for all draws two lines across; projects under different packs each get their marks.
    """
    bars = [p for p in drawn if p.rate is not None]
    if not bars:
        return mark_safe("")
    top = min(max([Decimal(100), *(p.rate for p in bars if p.rate is not None)]), Decimal(150))
    height = TOP + len(bars) * (BAR + GAP) + BOTTOM
    bottom = TOP + len(bars) * (BAR + GAP)
    parts = [
        format_html(
            '<svg class="schedule-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="schedule-title">',
            WIDTH,
            height,
        ),
        '<title id="schedule-title">各项目截至监控日预算执行率与序时进度对照图，数据见旁边的表格</title>',
    ]
    for tick in range(0, int(top) + 1, 25):
        x = _x(Decimal(tick), top)
        parts.append(format_html('<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>', x, TOP - 4, x, bottom))
        parts.append(format_html('<text class="tick" x="{}" y="{}">{}%</text>', x, bottom + 14, tick))
    for n, p in enumerate(bars):
        y = TOP + n * (BAR + GAP)
        assert p.rate is not None
        parts.append(
            format_html('<text class="name" x="{}" y="{}">{}</text>', LEFT - 6, y + BAR - 3, _short(p.project))
        )
        parts.append(
            format_html(
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}（{}）：执行率 {}%，序时进度 {}%</title></rect>",
                "bar behind" if p.behind else "bar",
                LEFT,
                y,
                _x(p.rate, top) - LEFT,
                BAR,
                p.project,
                p.unit,
                p.rate,
                p.schedule_shown,
            )
        )
    schedules = {(p.schedule_shown, p.floor_shown) for p in bars}
    if len(schedules) == 1:
        schedule, floor = schedules.pop()
        for cls, pct, label in (("schedule", schedule, "序时进度"), ("floor", floor, "预警线")):
            x = _x(pct, top)
            parts.append(format_html('<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>', cls, x, TOP - 8, x, bottom))
            y_label = TOP - 12 if cls == "schedule" else bottom + 28
            parts.append(format_html('<text class="{}-label" x="{}" y="{}">{} {}%</text>', cls, x, y_label, label, pct))
    else:  # projects under packs that count the schedule differently: each its own marks
        for n, p in enumerate(bars):
            y = TOP + n * (BAR + GAP)
            for cls, pct in (("schedule", p.schedule_shown), ("floor", p.floor_shown)):
                x = _x(pct, top)
                parts.append(
                    format_html('<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>', cls, x, y - 2, x, y + BAR + 2)
                )
    parts.append("</svg>")
    # every part is format_html's (its values escaped) or a literal written above
    return mark_safe("".join(parts))
