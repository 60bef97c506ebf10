"""The shapes of the monitoring API (``/api/v1/monitoring/``): rounds, records, saves, review actions, alerts.

Money and rates are JSON numbers with the digits stored (``100000.00``), as
everywhere in the API (:mod:`jixiao.web.api.rendering`); a save's money is
read exactly too (:mod:`jixiao.web.api.parsing`): 18 digits, two places,
never below zero, as the form's columns.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, WithJsonSchema

from jixiao.core.model import DEVIATION_CAUSES, LIKELIHOODS
from jixiao.core.review import Finding
from jixiao.core.workflow import State
from jixiao.web.api.schemas import MAX_ID, OptionalNumber

# a money column of the form: 18 digits, exact to the fen, zero or more (cycle.models.MONEY)
Money = Annotated[
    Decimal | None,
    Field(ge=0, max_digits=18, decimal_places=2),
    WithJsonSchema(
        {"anyOf": [{"type": "number", "minimum": 0, "exclusiveMaximum": 10**16, "multipleOf": 0.01}, {"type": "null"}]}
    ),
]
Cause = Literal[DEVIATION_CAUSES]  # type: ignore[valid-type]  # the form's five cause types
Likelihood = Literal[(*LIKELIHOODS, "")]  # type: ignore[valid-type]  # one of the three, or none yet
Number = Annotated[Decimal, WithJsonSchema({"type": "number"})]  # written with its digits (rendering.py)
TEXT = r"^[^\x00]*$"  # no NUL: PostgreSQL cannot store one (the pages refuse it too)


class MonitoringAction(StrEnum):
    """A review step of a monitoring form; ``approve`` is the caller's own approval (department or finance)."""

    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    DEPT_APPROVE = "dept_approve"
    FINANCE_APPROVE = "finance_approve"


class ProgressLine(Schema):
    """One department's progress in a round (the last line, ``合计``, adds them up)."""

    department: str
    total: int
    filed: int = Field(description="已提交（含之后的审核状态）")
    unfiled: int = Field(description="未提交（草稿），审核人员看不到草稿本身，只计数")
    late: int = Field(description="截止日后才提交，或截止日已过仍未提交")
    approved: int
    alerts: int = Field(description="审核发现的错误和警告条数")


class RoundOut(Schema):
    """A monitoring round: year, monitoring date, due date, scope, state."""

    id: int
    title: str
    year: int
    as_of: date = Field(description="监控截止日期（截至监控日）")
    due: date = Field(description="填报截止日期")
    status: Literal["open", "closed"]
    status_label: str
    all_departments: bool
    departments: list[int] = Field(description="监控范围内的主管部门编号（all_departments 为真时为空）")
    opened_in: str = Field(description="发起单位")


class RoundList(Schema):
    """The rounds the caller may see, newest first."""

    count: int
    items: list[RoundOut]


class ScheduleOut(Schema):
    """The round's 序时进度 under the default rule pack (each record may follow its own pack)."""

    schedule_pct: Number = Field(description="序时进度（%），两位小数")
    alert_pct: Number = Field(description="低于此执行率预警：序时进度 − 规则包 execution_margin_pct")
    method: Literal["months", "days"]


class RoundDetail(RoundOut):
    """A round with its progress by department within the caller's scope, and its schedule."""

    progress: list[ProgressLine]
    schedule: ScheduleOut


class RecordItem(Schema):
    """A monitoring record in a round's list: who, state, money (in the form's unit), counts."""

    id: int
    round_id: int
    declaration_id: int
    project: str
    unit_id: int
    unit: str
    department_id: int
    department: str
    state: State
    state_label: str
    version: int
    submitted_at: datetime | None
    late: bool
    money_unit: str
    budget_total: OptionalNumber
    executed_to_date: OptionalNumber
    forecast_total: OptionalNumber
    execution_rate: OptionalNumber = Field(description="截至监控日执行数 ÷ 年度预算数 × 100，两位小数")
    errors: int
    warnings: int
    infos: int


class RecordPage(Schema):
    """A page of a round's records: ``count`` matches the filters, ``items`` from ``offset``."""

    count: int
    limit: int
    offset: int
    items: list[RecordItem]


class RowOut(Schema):
    """One approved indicator (read-only) with its monitoring as filled in."""

    index: int = Field(description="指标序号（从 0 起），与审核发现的 indicator_index 相同")
    indicator_id: int
    level1: str
    level2: str
    name: str
    target: str = Field(description="年度指标值（批复）")
    actual: str
    forecast: str
    cause: list[str]
    deviation: str
    likelihood: str
    remedy: str


class StepOut(Schema):
    """A review step: action, states, comment, who and when."""

    action: str
    action_label: str
    old_state: State
    new_state: State
    comment: str
    by: str
    at: datetime


class RecordDetail(RecordItem):
    """A monitoring record: header, rows, findings (the alerts among them) and the history of its review."""

    as_of: date
    due: date
    goal: str = Field(description="年度总体目标（批复）")
    outcome: str = Field(description="总体目标截至监控日完成情况")
    rows: list[RowOut]
    findings: list[Finding]
    history: list[StepOut]


class RowIn(Schema):
    """One row to save, named by its approved indicator's id; a field left out is saved empty."""

    indicator_id: int = Field(ge=1, le=MAX_ID)
    actual: str = Field(default="", max_length=300, pattern=TEXT)
    forecast: str = Field(default="", max_length=300, pattern=TEXT)
    cause: list[Cause] = Field(default_factory=list, max_length=len(DEVIATION_CAUSES))
    deviation: str = Field(default="", max_length=2000, pattern=TEXT)
    likelihood: Likelihood = ""
    remedy: str = Field(default="", max_length=2000, pattern=TEXT)


class RecordIn(Schema):
    """A save of the monitoring form: the version read, and the fields to change (those left out are kept)."""

    version: int = Field(ge=1, le=MAX_ID, description="读取时的版本；不同则拒绝（409）")
    money_unit: Literal["元", "万元"] | None = None
    budget_total: Money = None
    executed_to_date: Money = None
    forecast_total: Money = None
    outcome: str | None = Field(default=None, max_length=20000, pattern=TEXT)
    rows: list[RowIn] = Field(default_factory=list, max_length=300, description="要保存的行；未列出的行不变")


class MonitoringActionOut(Schema):
    """The record after a save or a review step."""

    id: int
    kind: Literal["monitoring"]
    state: State
    state_label: str
    version: int
    errors: int
    warnings: int
    infos: int


class AlertOut(Schema):
    """An alert: a review finding of a monitoring record, with where to see it."""

    record_id: int
    round_id: int
    project: str
    unit: str
    department_id: int
    department: str
    code: str
    title: str
    severity: Literal["error", "warning", "info"]
    severity_label: str
    indicator_index: int | None
    indicator: str
    message: str
    url: str = Field(description="页面上该监控表（有指标时为该指标行）的地址")


class AlertPage(Schema):
    """A page of alerts: ``count`` matches the filters, ``items`` from ``offset``."""

    count: int
    limit: int
    offset: int
    items: list[AlertOut]
