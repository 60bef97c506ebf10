"""Budget execution from the payment system written into a round's monitoring forms (issue 16, item 5).

The reader (:mod:`jixiao.documents.payments`) gives the rows of the uploaded exports, the matcher
(:mod:`jixiao.core.execution`) their projects among the round's records that the reviewer answers for
(the finance bureau: every record of the round; a department's reviewer: its own units'; a unit: none).
:func:`preview` says what an import would do; :func:`apply` does it whole, in one transaction, after
planning again against the records as they are then: a plan that changed since the preview is refused.

Only forms the unit may still edit (a draft, a returned form) are written; a submitted or approved form
keeps its figure and is listed. A form filed in 万元 takes the amount in 万元 when it is exact to the
fen there (two places), else the import is refused naming the row. Each form written gets its figure,
its source (file, sheet, row), a new version, its review again, and an audit event with before and after.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jixiao.core.execution import ExecutionPlan, Match, PlanError, budgets_differ, plan, totals
from jixiao.core.execution import Project as PlanProject
from jixiao.core.workflow import Role, State
from jixiao.documents.payments import read_batch
from jixiao.web.access import Person, project_scope, role_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.services.common import changes, snapshot
from jixiao.web.monitoring.cache import bump
from jixiao.web.monitoring.models import (
    ExecutionImport,
    MonitoringFinding,
    MonitoringRecord,
    MonitoringRound,
    MonitoringRow,
)
from jixiao.web.monitoring.services.common import reviewed

WAN = Decimal(10000)
CENT = Decimal("0.01")
# the states in which the unit still edits its form, and so in which the import may set its figure
WRITABLE = (State.DRAFT.value, State.RETURNED.value)
STALE = "导入预览已过期（文件内容、项目范围或监控表状态已变化），本次未导入任何数据：请重新上传文件预览后再确认。"


def check_may_import(user: Person, round_: MonitoringRound) -> Role:
    """The importer's role: the finance bureau or a department's reviewer, in an open round; else 403."""
    role = role_of(user)
    if role not in (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER):
        raise PermissionDenied("只有财政部门或主管部门的审核人员可以导入支付系统执行数；单位请在监控表中说明执行情况。")
    if round_.status != MonitoringRound.Status.OPEN:
        raise PermissionDenied("该监控批次已结束，不能再导入执行数。")
    return role


def records_in_scope(user: Person, round_: MonitoringRound) -> QuerySet[MonitoringRecord]:
    """The round's records the importer answers for, drafts included (their figure is what is imported)."""
    return (
        MonitoringRecord.objects.filter(project_scope(user), round=round_)
        .select_related("unit", "department", "declaration__project")
        .order_by("pk")
    )


def in_yuan(value: Decimal | None, unit: str) -> Decimal | None:
    """A form's amount in 元 (a form filed in 万元 holds 万元)."""
    return None if value is None else (value * WAN if unit == "万元" else value)


@dataclass(frozen=True)
class Line:
    """One matched row as the preview shows it and the import writes it, in the form's own money unit."""

    match: Match
    record: MonitoringRecord
    amount: Decimal | None  # in the form's unit; None when a 万元 form cannot hold it exactly
    rate: Decimal | None  # 执行率 in percent, against the form's 年度预算数

    @property
    def writable(self) -> bool:
        """True when the unit still edits the form (draft or returned), so the import sets its figure."""
        return self.record.state in WRITABLE


@dataclass(frozen=True)
class Preview:
    """What an import of the files would do; ``problems`` (of the files) or ``blocking`` stop it whole."""

    problems: tuple[str, ...] = ()  # the reader's: file, sheet, row, column
    skipped: tuple[str, ...] = ()  # totals, notes and sheets without a header, left out on purpose
    plan: ExecutionPlan | None = None
    lines: tuple[Line, ...] = ()
    rows_read: int = 0
    digest: str = ""
    units: tuple[str, ...] = field(default=())  # 万元 forms whose amount is not exact to two places

    @property
    def written(self) -> list[Line]:
        """The lines the import writes."""
        return [line for line in self.lines if line.writable]

    @property
    def kept(self) -> list[Line]:
        """The lines of forms already submitted or approved: listed, not changed."""
        return [line for line in self.lines if not line.writable]

    @property
    def blocking(self) -> list[str]:
        """What stops the import as it is: the files' problems, ambiguous and duplicated rows, 万元 misfits."""
        return list(self.problems) + (self.plan.blocking if self.plan else []) + list(self.units)

    @property
    def budgets_differ(self) -> list[str]:
        """Rows whose printed budget differs from the form's (information only)."""
        return budgets_differ(self.plan) if self.plan else []

    @property
    def totals(self) -> Mapping[str, Decimal]:
        """Amounts matched, unmatched and held back, 元."""
        return totals(self.plan) if self.plan else {}


def _line(m: Match, rec: MonitoringRecord) -> tuple[Line, str | None]:
    """The row in the form's unit, and the problem when a 万元 form cannot hold it exactly."""
    amount: Decimal | None = m.row.amount
    problem = None
    if rec.money_unit == "万元":
        wan = m.row.amount / WAN
        amount = wan.quantize(CENT) if wan == wan.quantize(CENT) else None
        if amount is None:
            problem = (
                f"{m.row.where}：项目 {rec.project_name} 的监控表以万元填报，执行数 {m.row.amount} 元"
                f"折合 {wan.normalize():f} 万元，超过两位小数，不能按万元准确写入；"
                f"请单位将该监控表的金额单位改为元并保存后，重新导入"
            )
    rate = None
    if amount is not None and rec.budget_total and rec.budget_total > 0:
        rate = (amount / rec.budget_total * 100).quantize(CENT)
    return Line(m, rec, amount, rate), problem


def _digest(plan_: ExecutionPlan, lines: Sequence[Line]) -> str:
    """The plan's digest with the state, money unit and last import of every matched form: a change is a new plan.

    The last import among them makes a preview applied once stale: a second click, or a second tab
    confirming the same preview while the first ran, is refused rather than applied twice.
    """
    h = hashlib.sha256(plan_.digest.encode())
    for line in sorted(lines, key=lambda x: x.record.pk):
        rec = line.record
        h.update(f"|{rec.pk}:{rec.state}:{rec.money_unit}:{rec.execution_import_id}".encode())
    return h.hexdigest()


def preview(user: Person, round_: MonitoringRound, files: Sequence[tuple[str, bytes]]) -> Preview:
    """What importing ``files`` into ``round_`` would do for ``user``; nothing is written."""
    check_may_import(user, round_)
    return _preview(records_in_scope(user, round_), round_, files)


def _preview(
    records: QuerySet[MonitoringRecord], round_: MonitoringRound, files: Sequence[tuple[str, bytes]]
) -> Preview:
    batch = read_batch(files)
    skipped = tuple(s for f in batch.files for s in f.skipped)
    if not batch.ok:
        return Preview(problems=tuple(str(p) for p in batch.problems), skipped=skipped)
    rows = [r for f in batch.files for r in f.rows]
    by_id = {rec.pk: rec for rec in records}
    projects = [
        PlanProject(
            id=rec.pk,
            code=rec.declaration.project.code or None,  # by its code first, else department, unit and name
            department=rec.department.name,
            unit=rec.unit.name,
            name=rec.project_name,
            budget=in_yuan(rec.budget_total, rec.money_unit),
        )
        for rec in by_id.values()
    ]
    planned = plan(rows, projects, round_.as_of)
    made = [_line(m, by_id[int(m.project.id)]) for m in planned.matched]
    lines = tuple(line for line, _ in made)
    units = tuple(p for line, p in made if p is not None and line.writable)
    return Preview(
        skipped=skipped,
        plan=planned,
        lines=lines,
        rows_read=len(rows),
        digest=_digest(planned, lines),
        units=units,
    )


def apply(
    ctx: Context,
    round_: MonitoringRound,
    files: Sequence[tuple[str, bytes]],
    digest: str,
    *,
    accept_unmatched: bool = False,
    into: ExecutionImport | None = None,
    tell: Callable[[str], None] | None = None,
) -> ExecutionImport:
    """Write every matched figure into the editable forms, or nothing: :class:`ValidationError` says why.

    The files are read and matched again against the records as they are now, locked; a plan whose
    digest differs from the preview's (``digest``) is refused, as are ambiguous or duplicated rows,
    unmatched rows not accepted, and amounts a 万元 form cannot hold. Audited per form and once for the import.
    ``into``: the import confirmed beforehand (the background task's), ended ``done`` here, else one is made;
    ``tell``: told how far it has come (the task writes it where the import's page reads it).
    """
    check_may_import(ctx.user, round_)
    say = tell or (lambda step: None)
    with transaction.atomic():
        scope = records_in_scope(ctx.user, round_)
        say("锁定本批次的监控表")
        list(scope.select_for_update().values_list("pk", flat=True))  # one import at a time on these forms
        say("读取文件并对应项目")
        now = _preview(scope, round_, files)
        if now.digest != digest:
            raise ValidationError(STALE)
        if now.blocking:
            raise ValidationError(["执行数未导入：", *now.blocking])
        assert now.plan is not None  # a preview without problems has its plan
        try:
            now.plan.figures(accept_unmatched=accept_unmatched, expected_digest=now.plan.digest)
        except PlanError as exc:
            raise ValidationError(["执行数未导入：", *exc.reasons]) from None
        done = into or ExecutionImport(round=round_, uploaded_by=ctx.user, digest=digest)
        done.files = [name for name, _ in files]
        done.rows_read, done.figures_applied = now.rows_read, len(now.written)
        done.state, done.problems, done.finished_at = ExecutionImport.State.DONE, [], timezone.now()
        done.save()
        full = _with_rows([line.record.pk for line in now.written])
        found: list[MonitoringFinding] = []
        for n, line in enumerate(now.written, start=1):
            if n % 500 == 1:  # a province writes 20,000 forms: a step every 500 is news without cost
                say(f"写入监控表 {n}/{len(now.written)}")
            found += _write(ctx, done, line, full[line.record.pk])
        say("保存审核结果")
        # each form's review again, kept in two statements rather than two per form (a province has 20,000)
        MonitoringFinding.objects.filter(record_id__in=list(full)).delete()
        MonitoringFinding.objects.bulk_create(found, batch_size=2000)
        bump(round_.pk)  # the round's page counts the alerts the figures raised
        record(
            ctx,
            AuditEvent.Type.IMPORT,
            obj=done,
            organization=round_.opened_in,
            detail={
                "files": done.files,
                "rows": now.rows_read,
                "applied": done.figures_applied,
                "kept": [line.record.pk for line in now.kept],
                "unmatched": [r.where for r in now.plan.unmatched],
            },
        )
        return done


SOURCE_FIELDS = ("executed_to_date", "execution_file", "execution_sheet", "execution_row")


def _source_values(rec: MonitoringRecord) -> dict[str, Any]:
    """The figure and where it came from, as plain values (the import by its number)."""
    return snapshot(rec, SOURCE_FIELDS) | {"execution_import": rec.execution_import_id}


def _with_rows(pks: Sequence[int]) -> dict[int, MonitoringRecord]:
    """The forms with what their review reads (declaration, project, rows and indicators), in a few queries.

    Reviewing each form again after its figure is written would otherwise read these one form at a time.
    """
    rows = Prefetch("rows", queryset=MonitoringRow.objects.select_related("indicator"))
    found = MonitoringRecord.objects.filter(pk__in=pks).select_related(
        "round", "unit", "declaration__project__unit", "declaration__project__department"
    )
    return {rec.pk: rec for rec in found.prefetch_related(rows)}


def _write(ctx: Context, done: ExecutionImport, line: Line, rec: MonitoringRecord) -> list[MonitoringFinding]:
    """One form's figure and source, a new version and its audit event with before and after; its new findings.

    The form is reviewed again before it is saved, so that its counts of errors and warnings go with it;
    the findings are returned to be stored with the others.
    """
    before = _source_values(rec)
    rec.executed_to_date = line.amount
    rec.execution_import = done
    rec.execution_file = line.match.row.file[:255]
    rec.execution_sheet = (line.match.row.sheet or "")[:100]
    rec.execution_row = line.match.row.row
    rec.version += 1
    found = reviewed(rec, list(rec.rows.all()))  # the prefetched rows: no query per form; sets the counts
    rec.save()
    # the audit's sentence names each by the form's own words (截至监控日执行数, 执行数来源文件, …)
    record(ctx, AuditEvent.Type.UPDATE, obj=rec, organization=rec.unit, detail=changes(before, _source_values(rec)))
    return found


def imported_kept(rec: MonitoringRecord, data: Mapping[str, Any]) -> dict[str, Any]:
    """A unit's posted form with the imported 截至监控日执行数 kept as imported; a changed money unit refused.

    The figure is the payment system's (``rec.execution_import``): whatever the post says of it, the save
    keeps it. Its money unit cannot change under it either, as the same number would then mean another sum.
    """
    unit = data.get("money_unit")
    if unit is not None and unit != rec.money_unit:
        raise ValidationError(
            f"截至监控日执行数来自支付数据（{_where(rec)}），按{rec.money_unit}写入：金额单位不能改为{unit}；"
            "如需改用其他单位，请联系导入执行数的审核人员。"
        )
    return {**data, "executed_to_date": rec.executed_to_date}


def source_of(rec: MonitoringRecord) -> str:
    """Where a form's 截至监控日执行数 came from, as the form says it: ``执行数.xlsx 工作表「支付」 第5行``."""
    return _where(rec)


def _where(rec: MonitoringRecord) -> str:
    if rec.execution_import_id is None or rec.execution_row is None:
        return ""
    sheet = f" 工作表「{rec.execution_sheet}」" if rec.execution_sheet else ""
    return f"{rec.execution_file}{sheet} 第{rec.execution_row}行"


__all__ = ["STALE", "WRITABLE", "Line", "Preview", "apply", "check_may_import", "imported_kept", "preview", "source_of"]
