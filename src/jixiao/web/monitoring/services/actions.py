"""Acting on a monitoring form's alerts: raising an action, doing it (an adjustment, evidence), ending or cancelling it.

Every step is one transaction with one permission decision (:mod:`jixiao.web.monitoring.action_access`),
a step in the action's history and an audit event. 调整绩效目标 goes through the declaration's own
adjustment (:func:`jixiao.web.cycle.services.adjust_indicators`, with the action's reason), and the
action links what it made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from jixiao.web.access import account_of, ensure_visible
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Adjustment
from jixiao.web.cycle.services import Change, adjust_indicators
from jixiao.web.monitoring.action_access import REVIEWED_STATES, may_cancel, may_conclude, may_do, may_raise
from jixiao.web.monitoring.action_models import ActionStep, EvidenceFile, MonitoringAction
from jixiao.web.monitoring.action_notices import after_step
from jixiao.web.monitoring.cache import bump
from jixiao.web.monitoring.evidence import evidence_problems, sha256_of
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord
from jixiao.web.monitoring.services.common import lock

Kind, State, Step = MonitoringAction.Kind, MonitoringAction.State, ActionStep.Step
# who does each kind: the unit corrects; the finance bureau adjusts targets and decides on the budget
OWNERS = {Kind.CORRECT: MonitoringAction.Owner.UNIT}
WAN = Decimal(10000)  # 万元 -> 元


@dataclass(frozen=True)
class NewAction:
    """An action as the reviewer marks it: kind, what to do, due date, and what it follows.

    ``alert``: a finding of the form as stored, as :func:`alert_key` names it; ``row_id``: one of its
    indicator rows (an alert on a row names its row itself). ``amount`` (元) and ``reason``: the
    proposal of 调减或收回预算; ``reason`` also the adjustment's reason of 调整绩效目标.
    """

    kind: str
    task: str
    due: date | None
    row_id: int | None = None
    alert: str = ""
    amount: Decimal | None = None
    reason: str = ""


def alert_key(finding: MonitoringFinding) -> str:
    """A stored finding's key on the form that raises an action: its code and its row's index."""
    index = "" if finding.indicator_index is None else str(finding.indicator_index)
    return f"{finding.code}@{index}"


def _budget_in_yuan(rec: MonitoringRecord) -> Decimal | None:
    if rec.budget_total is None:
        return None
    return (rec.budget_total * WAN).quantize(Decimal("0.01")) if rec.money_unit == "万元" else rec.budget_total


def _amount_problems(new: NewAction, rec: MonitoringRecord) -> list[str]:
    amount = new.amount
    if amount is None:
        return ["调减或收回预算须填写建议金额（元）。"]
    if amount <= 0:
        return [f"建议调减金额须大于零（填的是 {amount}）。"]
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return [f"建议调减金额 {amount} 元精确到分即可（最多两位小数）。"]
    budget = _budget_in_yuan(rec)
    if budget is not None and amount > budget:
        return [f"建议调减金额 {amount} 元超过该项目的年度预算数 {budget} 元。"]
    return []


def _problems(new: NewAction, rec: MonitoringRecord, today: date) -> list[str]:
    """What is wrong with the action as marked, each naming its field."""
    problems = []
    if new.kind not in Kind.values:
        problems.append(f"整改类型「{new.kind}」不是 {'/'.join(Kind.labels)} 之一。")
    if not new.task.strip():
        problems.append("请填写整改要求：需要做什么。")
    if new.due is None:
        problems.append("请填写完成期限。")
    elif new.due < today:
        problems.append(f"完成期限 {new.due.isoformat()} 早于今天（{today.isoformat()}）。")
    if new.kind == Kind.REDUCE:
        problems += _amount_problems(new, rec)
        if not new.reason.strip():
            problems.append("调减或收回预算须说明理由。")
    if new.kind == Kind.ADJUST and not new.reason.strip():
        problems.append("调整绩效目标须说明理由（将作为目标调整的理由记录）。")
    return problems


def _follows(new: NewAction, rec: MonitoringRecord) -> tuple[int | None, str, str]:
    """The row, alert code and alert text the action follows, checked against the form as stored."""
    ordered = list(rec.rows.all())  # in the form's order, which a finding's indicator_index counts
    rows = {r.pk: r for r in ordered}
    row_id = new.row_id
    if row_id is not None and row_id not in rows:
        raise ValidationError("所选指标不是该监控表的指标。")
    if not new.alert:
        return row_id, "", ""
    found = next((f for f in rec.findings.all() if alert_key(f) == new.alert), None)
    if found is None:
        raise ValidationError("所选预警已不在该监控表上（监控表可能已修改），请刷新页面后重新选择。")
    if found.indicator_index is not None and row_id is None and found.indicator_index < len(ordered):
        row_id = ordered[found.indicator_index].pk
    return row_id, found.code, found.message


def _step(
    ctx: Context, action: MonitoringAction, step: str, old: str, comment: str, event: str, **detail: object
) -> ActionStep:
    """Keep one step in the action's history and its audit event.

    A report's text is its step's comment in the history (each report kept, the action showing the last).
    """
    shown = comment or str(detail.get("evidence", ""))
    made = ActionStep.objects.create(
        action=action, step=step, old_state=old, new_state=action.state, comment=shown, by=ctx.user
    )
    moved = {"from": _label(old), "to": _label(action.state)} if old else {"state": _label(action.state)}
    facts: dict[str, object] = {"step": ActionStep.Step(step).label} | moved | detail
    bump(action.record.round_id)  # the round's page lists its overdue actions and counts them
    if comment:
        facts["comment"] = comment
    record(ctx, event, obj=action, organization=action.record.unit, detail=facts)
    if step != Step.ADJUST:  # the people it concerns hear of it once committed (the declaration's own adjustment)
        transaction.on_commit(partial(after_step, action, step, comment))
    return made


def _label(state: str) -> str:
    return State(state).label if state else ""


def raise_action(ctx: Context, rec: MonitoringRecord, new: NewAction) -> MonitoringAction:
    """Mark what must follow on a monitoring form under review or approved, per alert or per indicator row.

    The reviewer (the form's department or the finance bureau) names the kind, what to do, the due
    date (today or later) and, for 调减或收回预算, the amount in 元 (at most the year's budget) and the
    reason. The owner follows from the kind: the unit for 纠偏, the finance bureau otherwise.
    """
    with transaction.atomic():
        locked = lock(rec)
        ensure_visible(ctx.user, locked)
        if not may_raise(ctx.user, locked):
            if locked.state not in REVIEWED_STATES:
                raise PermissionDenied("只有已提交审核或已批复的监控表可以提出整改事项。")
            raise PermissionDenied("只有该项目主管部门的审核人员或财政审核人员可以提出整改事项。")
        problems = _problems(new, locked, timezone.localdate())
        if problems:
            raise ValidationError(problems)
        row_id, code, message = _follows(new, locked)
        assert new.due is not None  # _problems refused an action without one
        account = account_of(ctx.user)
        assert account is not None and account.organization is not None  # may_raise checked the role
        action = MonitoringAction.objects.create(
            record=locked,
            row_id=row_id,
            alert_code=code,
            alert_message=message,
            kind=new.kind,
            owner=OWNERS.get(Kind(new.kind), MonitoringAction.Owner.FINANCE),
            task=new.task.strip(),
            due=new.due,
            amount=new.amount if new.kind == Kind.REDUCE else None,
            reason=new.reason.strip() if new.kind in (Kind.REDUCE, Kind.ADJUST) else "",
            raised_in=account.organization,
            raised_by=ctx.user,
        )
        detail: dict[str, object] = {"kind": action.get_kind_display(), "task": action.task, "due": str(action.due)}
        if action.amount is not None:
            detail["amount"] = str(action.amount)
        _step(ctx, action, Step.RAISE, "", "", AuditEvent.Type.CREATE, **detail)
        return action


def _locked(ctx: Context, action: MonitoringAction) -> MonitoringAction:
    """The action locked as stored, with its form, after its form's unit (the order every write in a unit takes)."""
    lock(action.record)
    locked = MonitoringAction.objects.select_for_update().select_related("record").get(pk=action.pk)
    ensure_visible(ctx.user, locked.record)
    return locked


def adjust_targets(ctx: Context, action: MonitoringAction, changes: Sequence[Change]) -> list[Adjustment]:
    """Do a 调整绩效目标 action: adjust the approved declaration's targets or weights, linked to the action.

    The adjustment is the declaration's own (its checks, its history, its audit), made with the
    action's reason; only the finance bureau makes it, while the action is open.
    """
    with transaction.atomic():
        locked = _locked(ctx, action)
        if locked.kind != Kind.ADJUST:
            raise ValidationError("只有“调整绩效目标”类整改事项可以调整绩效目标。")
        if not may_do(ctx.user, locked):
            raise PermissionDenied("只有财政审核人员可以在待办理的整改事项中调整绩效目标。")
        made = adjust_indicators(ctx, locked.record.declaration, changes, locked.reason)
        locked.adjustments.add(*made)
        said = "；".join(
            f"{a.indicator.name if a.indicator else ''}{a.field_label}：{a.old_value} → {a.new_value}" for a in made
        )
        _step(ctx, locked, Step.ADJUST, locked.state, said, AuditEvent.Type.ADJUST, adjustments=[a.pk for a in made])
        return made


def _keep_files(ctx: Context, action: MonitoringAction, step: ActionStep, files: Sequence[UploadedFile]) -> list[str]:
    """Store the evidence files of a step; the names stored, for the caller to delete if the step rolls back."""
    stored: list[str] = []
    for upload in files:
        kept = EvidenceFile(
            action=action,
            step=step,
            original_name=(upload.name or "")[:255],
            size=upload.size or 0,
            sha256=sha256_of(upload),
            uploaded_by=ctx.user,
        )
        kept.stored.save(upload.name or "evidence", upload, save=False)  # a received upload is moved (a rename)
        stored.append(kept.stored.name)
        kept.save()
    return stored


def submit_action(
    ctx: Context,
    action: MonitoringAction,
    evidence: str,
    files: Sequence[UploadedFile] = (),
    decision: str = "",
) -> MonitoringAction:
    """The owner reports what was done (text, and files as evidence): open or reopened -> submitted.

    调整绩效目标 needs its adjustment made first; 调减或收回预算 needs the finance bureau's decision
    (同意 or 不同意). Refused, nothing is kept, files included.
    """
    problems = evidence_problems(files)
    if not evidence.strip():
        problems.insert(0, "请填写办理情况：做了什么、结果如何。")
    if problems:
        raise ValidationError(problems)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(ctx, action)
            if not may_do(ctx.user, locked):
                raise PermissionDenied(_not_owner(locked))
            if locked.kind == Kind.ADJUST and not locked.adjustments.exists():
                raise ValidationError("请先在本事项中调整绩效目标，再提交办理情况。")
            if locked.kind == Kind.REDUCE:
                if decision not in (MonitoringAction.Decision.ACCEPTED, MonitoringAction.Decision.REJECTED):
                    raise ValidationError("请选择财政意见：同意调减或收回，或不同意。")
                locked.decision = decision
            old = locked.state
            locked.state = State.SUBMITTED
            locked.evidence = evidence.strip()
            locked.save()
            detail: dict[str, object] = {"evidence": locked.evidence, "files": [f.name for f in files]}
            if locked.decision:
                detail["decision"] = locked.get_decision_display()
            step = _step(ctx, locked, Step.SUBMIT, old, "", AuditEvent.Type.SUBMIT, **detail)
            stored = _keep_files(ctx, locked, step, files)
            return locked
    except BaseException:
        for name in stored:  # the rows were rolled back: their files must not stay behind
            default_storage.delete(name)
        raise


def _not_owner(action: MonitoringAction) -> str:
    if not action.pending:
        return f"该整改事项{action.get_state_display()}，不能再提交。"
    if action.owner == MonitoringAction.Owner.UNIT:
        return "只有该项目实施单位的填报人员可以提交办理情况。"
    return "只有财政审核人员可以办理该事项。"


def conclude_action(ctx: Context, action: MonitoringAction, close: bool, comment: str = "") -> MonitoringAction:
    """The raising side closes a submitted action, or reopens it with a comment saying what is missing."""
    if not close and not comment.strip():
        raise ValidationError("重新打开时请填写意见，说明还需要做什么。")
    with transaction.atomic():
        locked = _locked(ctx, action)
        if not may_conclude(ctx.user, locked):
            if locked.state != State.SUBMITTED:
                raise PermissionDenied(f"该整改事项{locked.get_state_display()}，不是待确认的状态。")
            raise PermissionDenied("只有提出该整改事项的单位的审核人员可以关闭或重新打开它。")
        old = locked.state
        locked.state = State.CLOSED if close else State.REOPENED
        locked.closed_at = timezone.now() if close else None
        locked.save()
        if close:
            _step(ctx, locked, Step.CLOSE, old, comment.strip(), AuditEvent.Type.APPROVE)
        else:
            _step(ctx, locked, Step.REOPEN, old, comment.strip(), AuditEvent.Type.RETURN)
        return locked


def cancel_action(ctx: Context, action: MonitoringAction, reason: str) -> MonitoringAction:
    """The raising side withdraws an action not yet closed (撤销), with the reason it must give.

    A cancelled action is done with: no longer the owner's to do, never overdue, no reminder. What was
    already done under it (a target adjusted, evidence submitted) stays, as the declaration's history and
    the action's steps say; the owner hears of the cancellation with its reason.
    """
    if not reason.strip():
        raise ValidationError("撤销整改事项须填写撤销理由。")
    with transaction.atomic():
        locked = _locked(ctx, action)
        if not may_cancel(ctx.user, locked):
            if locked.state not in MonitoringAction.CANCELLABLE:
                raise PermissionDenied(f"该整改事项{locked.get_state_display()}，不能撤销。")
            raise PermissionDenied("只有提出该整改事项的单位的审核人员可以撤销它。")
        old = locked.state
        locked.state = State.CANCELLED
        locked.closed_at = timezone.now()  # when it ended, closed or cancelled
        locked.save()
        _step(ctx, locked, Step.CANCEL, old, reason.strip(), AuditEvent.Type.DELETE)
        return locked
