"""The monitoring form: saving it (all or nothing, figures checked) and its review steps through the workflow table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jixiao.core.model import DEVIATION_CAUSES, LIKELIHOODS
from jixiao.core.review import blocking, review_document
from jixiao.core.workflow import Action, State, transition
from jixiao.web.access import permit
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.packs import pack_named
from jixiao.web.cycle.services.common import ConflictError, changes, plain, snapshot
from jixiao.web.cycle.services.workflow import REVIEW_EVENTS
from jixiao.web.cycle.shapes import MONITORING
from jixiao.web.monitoring.cache import bump
from jixiao.web.monitoring.documents import monitoring_document
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRow, MonitoringStateChange
from jixiao.web.monitoring.notices import after_step
from jixiao.web.monitoring.services.common import (
    RECORD_FIELDS,
    ROW_FIELDS,
    MonitoringRowInput,
    audited_conflicts,
    lock,
    money_problems,
    record_rows,
    refresh_findings,
    row_values,
)
from jixiao.web.monitoring.services.execution import imported_kept

# a monitoring form is reviewed as the other records are, never published
_EVENTS = {action: event for action, event in REVIEW_EVENTS.items() if action is not Action.PUBLISH}
REVIEW_STEPS = frozenset(_EVENTS)
ROWS = "monitoring_rows"  # the key of the rows in an edit's audit detail


def _row_problems(rows: Sequence[MonitoringRowInput], names: dict[int, str]) -> list[str]:
    problems = []
    for n, row in enumerate(rows, start=1):
        where = f"第{n}行「{names.get(row.indicator_id, '')}」"
        unknown = [c for c in row.cause if c not in DEVIATION_CAUSES]
        if unknown:
            problems.append(f"{where}偏差原因类型「{unknown[0]}」不是 {'/'.join(DEVIATION_CAUSES)} 之一。")
        if row.likelihood and row.likelihood not in LIKELIHOODS:
            problems.append(f"{where}完成目标可能性「{row.likelihood}」不是 {'/'.join(LIKELIHOODS)} 之一。")
    return problems


LABELS = {f.name: f.label for f in MONITORING.rows}


def _check_row(row: MonitoringRow, n: int) -> None:
    """A row's widths as its columns hold them (the API posts no form): refused with the row named."""
    try:
        row.full_clean(exclude=["record", "indicator", "position"])
    except ValidationError as exc:
        where = f"第{n}行「{row.indicator.name}」"
        raise ValidationError(
            [f"{where}{LABELS.get(k, k)}：{m}" for k, ms in exc.message_dict.items() for m in ms]
        ) from None


@audited_conflicts
def update_record(
    ctx: Context, rec: MonitoringRecord, expected_version: int, data: dict[str, Any], rows: Sequence[MonitoringRowInput]
) -> MonitoringRecord:
    """Save the unit's monitoring form (a draft or a returned one): all of it or, refused, none of it.

    Money must be zero or more and exact to the fen, and the year's forecast at least what is paid;
    each row must be one of the record's approved indicators, its cause types and likelihood the
    form's. A stale version raises :class:`ConflictError`. An untouched row is not saved again.
    """
    with transaction.atomic():
        locked = lock(rec)
        permit(ctx.user, locked, Action.EDIT)
        if locked.execution_import_id is not None:  # the payment system's figure: the unit only explains it
            data = imported_kept(locked, data)
        # the rows under their own key: the audit's sentences name their cells by MonitoringRow's labels
        before = snapshot(locked, RECORD_FIELDS) | {ROWS: record_rows(locked)}
        submitted = {k: plain(data.get(k)) for k in RECORD_FIELDS if k in data} | {
            ROWS: [{"indicator": r.indicator_id} | row_values(r) for r in rows]
        }
        if locked.version != expected_version:
            raise ConflictError(locked, submitted, before)  # type: ignore[arg-type]
        existing = {r.indicator_id: r for r in locked.rows.select_related("indicator")}
        if any(r.indicator_id not in existing for r in rows):
            raise ValidationError("监控表只能填写已批复的绩效指标。")  # rows are never added here
        problems = money_problems(data.get("budget_total"), data.get("executed_to_date"), data.get("forecast_total"))
        problems += _row_problems(rows, {k: r.indicator.name for k, r in existing.items()})
        if problems:
            raise ValidationError(problems)
        for key in RECORD_FIELDS:
            if key in data:
                setattr(locked, key, data[key])
        locked.full_clean(exclude=["round", "declaration", "unit", "department"])
        locked.version += 1
        locked.save()
        for n, row in enumerate(rows, start=1):
            target = existing[row.indicator_id]
            typed = row_values(row)
            changed = [f for f in ROW_FIELDS if row_values(target)[f] != typed[f]]
            for f in changed:
                setattr(target, f, typed[f])
            if changed:  # an untouched row keeps its history as it is
                _check_row(target, n)
                target.save()
        refresh_findings(locked, list(existing.values()))
        after = snapshot(locked, RECORD_FIELDS) | {ROWS: record_rows(locked)}
        record(ctx, AuditEvent.Type.UPDATE, obj=locked, organization=locked.unit, detail=changes(before, after, ROWS))
        return locked


def submission_problems(rec: MonitoringRecord) -> list[str]:
    """What must be filled in before the form may be submitted, each naming its place."""
    problems = []
    for name, label in (
        ("budget_total", "年度预算数"),
        ("executed_to_date", "截至监控日执行数"),
        ("forecast_total", "全年预计执行数"),
    ):
        if getattr(rec, name) is None:
            problems.append(f"请填写{label}。")
    if not rec.outcome.strip():
        problems.append("请填写年度总体目标的截至监控日完成情况。")
    for n, row in enumerate(rec.rows.select_related("indicator"), start=1):
        missing = [
            label
            for label, value in (
                ("截至监控日完成值", row.actual),
                ("全年预计完成值", row.forecast),
                ("完成目标可能性", row.likelihood),
            )
            if not value.strip()
        ]
        if missing:
            problems.append(f"第{n}行「{row.indicator.name}」请填写{'、'.join(missing)}。")
    problems += money_problems(rec.budget_total, rec.executed_to_date, rec.forecast_total)
    # what the review finds impossible (a figure or answer the form cannot hold) stops it as it stops a score
    found = review_document(monitoring_document(rec), pack_named(rec.rule_pack))
    problems += [f.message for f in blocking(found) if f.message not in problems]
    return problems


@audited_conflicts
def act(
    ctx: Context, rec: MonitoringRecord, action: Action, comment: str = "", *, expected_version: int | None = None
) -> MonitoringRecord:
    """Submit, return (with a comment), or approve a monitoring form, as the workflow table allows.

    The row is locked and its state read again, so parallel clicks give one transition and one audit
    event; a stale ``expected_version`` raises :class:`ConflictError` after the permission decision.
    """
    if action not in REVIEW_STEPS:
        raise ValidationError(f"「{action.label}」不是监控表的审核操作。")
    with transaction.atomic():
        locked = lock(rec)
        role = permit(ctx.user, locked, action)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(locked, {"action": action.value}, {"state": locked.state, "version": locked.version})  # type: ignore[arg-type]
        if action is Action.RETURN and not comment.strip():
            raise ValidationError("退回时请填写退回意见，说明需要修改的地方。")
        step = transition(action, role, State(locked.state))
        assert step is not None  # permit() checked it
        if action is Action.SUBMIT:
            problems = submission_problems(locked)
            if problems:
                raise ValidationError(problems)
            if locked.submitted_at is None:
                locked.submitted_at = timezone.now()
        old = locked.state
        locked.state = step.target.value
        locked.version += 1
        locked.save()
        MonitoringStateChange.objects.create(
            record=locked,
            action=action.value,
            old_state=old,
            new_state=step.target.value,
            comment=comment.strip(),
            by=ctx.user,
        )
        bump(locked.round_id)  # the round's page shows the new state
        record(
            ctx,
            _EVENTS[action],
            obj=locked,
            organization=locked.unit,
            detail={"from": old, "to": step.target.value, "comment": comment.strip(), "role": role.value},
        )
        after_step(locked, action, comment.strip(), role)
        return locked
