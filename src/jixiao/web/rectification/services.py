"""Every write of 整改事项: opening one (from a finding, a proposal of the rule pack, a monitoring action or
by hand), the unit's answer with evidence, and the reviewer's accept, reopen or cancel.

Each step is one transaction: the project's unit locked, then the item; one permission decision
(:mod:`jixiao.web.rectification.access`); a step in the item's history; an audit event; and the notices
once committed (:mod:`jixiao.web.rectification.notices`). Refused, nothing is kept, files included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from jixiao.core.scoring.rectification import IndicatorScore, Proposal, proposals
from jixiao.web.access import account_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Declaration, Project, SelfEvaluation, StoredFinding
from jixiao.web.cycle.packs import pack_named
from jixiao.web.monitoring.evidence import evidence_problems, sha256_of
from jixiao.web.monitoring.models import MonitoringAction
from jixiao.web.orgs.models import Organization
from jixiao.web.rectification.access import may_answer, may_cancel, may_conclude, may_open
from jixiao.web.rectification.models import Rectification, RectificationFile, RectificationStep
from jixiao.web.rectification.notices import after_step

Source, State, Step = Rectification.Source, Rectification.State, RectificationStep.Step
MAX_TEXT = 4000  # the task, an answer or a reason: what a page's textarea allows


@dataclass(frozen=True)
class NewItem:
    """An item as a reviewer opens it: on a project and year, what to fix, by when, and what it follows.

    ``finding_id``: a stored finding of the year's declaration or self-evaluation; ``proposal``: the
    index of one of :func:`proposed` for the year's self-evaluation; ``action_id``: a monitoring action
    of the project. At most one of the three; none is an item opened by hand.
    """

    project_id: int
    year: int | None
    task: str
    due: date | None
    finding_id: int | None = None
    proposal: int | None = None
    action_id: int | None = None


def proposed(evaluation: SelfEvaluation) -> list[Proposal]:
    """What the self-evaluation's rule pack proposes to rectify: its grade, its low-scored indicators."""
    rows = evaluation.indicators.select_related("indicator")
    scores = [IndicatorScore(r.indicator.name, r.score, r.indicator.weight) for r in rows]
    grade = evaluation.grade or evaluation.summary_grade
    rules = pack_named(evaluation.rule_pack).rectification
    return proposals(rules, evaluation.project_name, grade, scores)


def default_due(evaluation: SelfEvaluation | None, today: date) -> date:
    """The due date the rule pack suggests (``[rectification] due_days`` from today)."""
    pack = pack_named(evaluation.rule_pack if evaluation is not None else "")
    return today + timedelta(days=pack.rectification.due_days)


def _text_problems(label: str, text: str) -> list[str]:
    if not text.strip():
        return [f"请填写{label}。"]
    if len(text) > MAX_TEXT:
        return [f"{label}不超过 {MAX_TEXT} 字（填了 {len(text)} 字）。"]
    return []


def _problems(new: NewItem, today: date) -> list[str]:
    """What is wrong with the item as opened, each naming its field."""
    problems = _text_problems("整改要求", new.task)
    if new.due is None:
        problems.append("请填写整改期限。")
    elif new.due < today:
        problems.append(f"整改期限 {new.due.isoformat()} 早于今天（{today.isoformat()}）。")
    if new.year is None or not 2000 <= new.year <= 2100:
        problems.append(f"年度应为 2000 到 2100 之间的年份（填的是 {new.year}）。")
    if sum(x is not None for x in (new.finding_id, new.proposal, new.action_id)) > 1:
        problems.append("一项整改事项只能针对一个审核发现、一项建议或一项监控整改事项。")
    return problems


def _year_records(project: Project, year: int) -> tuple[Declaration | None, SelfEvaluation | None]:
    decl = Declaration.objects.filter(project=project, year=year).first()
    evaluation = SelfEvaluation.objects.filter(declaration=decl).first() if decl is not None else None
    return decl, evaluation


def _follows(new: NewItem, project: Project, decl: Declaration | None, ev: SelfEvaluation | None) -> dict[str, object]:
    """The source fields of the item, checked against what the project holds for that year."""
    if new.finding_id is not None:
        found = StoredFinding.objects.filter(pk=new.finding_id).first()
        ours = found is not None and (
            (decl is not None and found.declaration_id == decl.pk) or (ev is not None and found.evaluation_id == ev.pk)
        )
        if found is None or not ours:
            raise ValidationError(
                "所选审核发现已不在该项目当年的申报表或自评表上（可能已修改），请刷新页面后重新选择。"
            )
        # the sentence usually names its indicator itself; say which one only when it does not
        where = f"指标“{found.indicator}”：" if found.indicator and found.indicator not in found.message else ""
        return {"source": Source.FINDING, "source_code": found.code[:60], "source_text": where + found.message}
    if new.proposal is not None:
        listed = proposed(ev) if ev is not None else []
        if not 0 <= new.proposal < len(listed):
            raise ValidationError("所选整改建议已不在该项目当年的自评表上（可能已修改），请刷新页面后重新选择。")
        chosen = listed[new.proposal]
        return {"source": Source.SCORE, "source_code": chosen.follows[:60], "source_text": chosen.reason}
    if new.action_id is not None:
        action = MonitoringAction.objects.filter(pk=new.action_id, record__declaration__project=project).first()
        if action is None:
            raise ValidationError("所选监控整改事项不属于该项目。")
        said = action.alert_message or action.task
        return {
            "source": Source.MONITORING,
            "source_code": action.alert_code,
            "source_text": f"{action.get_kind_display()}：{said}",
            "monitoring_action": action,
        }
    return {"source": Source.MANUAL}


def _lock_unit(unit_id: int) -> None:
    """Lock the unit's row: every write in a unit takes it first, so two steps never cross."""
    list(Organization.objects.select_for_update().filter(pk=unit_id).only("pk"))


def _step(
    ctx: Context, item: Rectification, step: str, old: str, comment: str, event: str, **detail: object
) -> RectificationStep:
    """Keep one step in the item's history, its audit event, and its notices once committed."""
    made = RectificationStep.objects.create(
        item=item, step=step, old_state=old, new_state=item.state, comment=comment, by=ctx.user
    )
    moved = {"from": State(old).label, "to": State(item.state).label} if old else {"state": State(item.state).label}
    facts: dict[str, object] = {"step": Step(step).label} | moved | detail
    if comment:
        facts["comment"] = comment
    record(ctx, event, obj=item, organization=item.unit, detail=facts)
    transaction.on_commit(partial(after_step, item, step, comment))
    return made


def open_item(ctx: Context, new: NewItem) -> Rectification:
    """Open an item on a project for its unit: a reviewer of its department or the finance bureau.

    The year's declaration and self-evaluation (when they exist) are linked; a finding, a proposal or a
    monitoring action it follows is checked to be the project's, and its words copied.
    """
    today = timezone.localdate()
    problems = _problems(new, today)
    if problems:
        raise ValidationError(problems)
    assert new.due is not None and new.year is not None  # _problems refused an item without them
    with transaction.atomic():
        project = Project.objects.visible_to(ctx.user).filter(pk=new.project_id).first()
        if project is None:
            raise PermissionDenied("您无权处理该项目。")
        _lock_unit(project.unit_id)
        if not may_open(ctx.user, project):
            raise PermissionDenied("只有该项目主管部门的审核人员或财政审核人员可以提出整改事项。")
        decl, ev = _year_records(project, new.year)
        follows = _follows(new, project, decl, ev)
        account = account_of(ctx.user)
        assert account is not None and account.organization is not None  # may_open checked the role
        item = Rectification.objects.create(
            project=project,
            unit_id=project.unit_id,
            department_id=project.department_id,
            year=new.year,
            declaration=decl,
            evaluation=ev,
            task=new.task.strip(),
            due=new.due,
            raised_in=account.organization,
            raised_by=ctx.user,
            **follows,
        )
        detail = {"source": item.get_source_display(), "task": item.task, "due": str(item.due), "year": item.year}
        _step(ctx, item, Step.OPEN, "", "", AuditEvent.Type.CREATE, **detail)
        return item


def _locked(ctx: Context, item: Rectification) -> Rectification:
    """The item locked as stored, after its unit, and within what ``ctx.user`` may see (else 403)."""
    _lock_unit(item.unit_id)
    locked = Rectification.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None or not Rectification.objects.visible_to(ctx.user).filter(pk=item.pk).exists():
        raise PermissionDenied("您无权处理该整改事项。")
    return locked


def _keep_files(ctx: Context, item: Rectification, step: RectificationStep, files: Sequence[UploadedFile]) -> list[str]:
    """Store the evidence files of a step; the names stored, for the caller to delete if the step rolls back."""
    stored: list[str] = []
    for upload in files:
        kept = RectificationFile(
            item=item,
            step=step,
            original_name=(upload.name or "")[:255],
            size=upload.size or 0,
            sha256=sha256_of(upload),
            uploaded_by=ctx.user,
        )
        kept.stored.save(upload.name or "evidence", upload, save=False)
        stored.append(kept.stored.name)
        kept.save()
    return stored


def submit_item(ctx: Context, item: Rectification, answer: str, files: Sequence[UploadedFile] = ()) -> Rectification:
    """The unit answers what it fixed, with evidence files: open or reopened -> submitted.

    Files as the monitoring actions' evidence (``monitoring.evidence``: types by name and first bytes,
    20 MB each, 10 at a time). Refused, nothing is kept, files included.
    """
    problems = _text_problems("整改情况", answer) + evidence_problems(files)
    if problems:
        raise ValidationError(problems)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(ctx, item)
            if not may_answer(ctx.user, locked):
                if not locked.pending:
                    raise PermissionDenied(f"该整改事项{locked.get_state_display()}，不能再提交。")
                raise PermissionDenied("只有责任单位的填报人员可以提交整改情况。")
            old = locked.state
            locked.state = State.SUBMITTED
            locked.answer = answer.strip()
            locked.save()
            detail = {"answer": locked.answer, "files": [f.name for f in files]}
            step = _step(ctx, locked, Step.SUBMIT, old, locked.answer, AuditEvent.Type.SUBMIT, **detail)
            stored = _keep_files(ctx, locked, step, files)
            return locked
    except BaseException:
        for name in stored:  # the rows were rolled back: their files must not stay behind
            default_storage.delete(name)
        raise


def accept_item(ctx: Context, item: Rectification, comment: str = "") -> Rectification:
    """The reviewer accepts a submitted answer: the item is closed (已验收)."""
    if len(comment) > MAX_TEXT:
        raise ValidationError(f"验收意见不超过 {MAX_TEXT} 字。")
    with transaction.atomic():
        locked = _locked(ctx, item)
        if not may_conclude(ctx.user, locked):
            raise PermissionDenied(_not_concluding(locked))
        old = locked.state
        locked.state = State.ACCEPTED
        locked.closed_at = timezone.now()
        locked.save()
        _step(ctx, locked, Step.ACCEPT, old, comment.strip(), AuditEvent.Type.APPROVE)
        return locked


def reopen_item(ctx: Context, item: Rectification, reason: str) -> Rectification:
    """The reviewer sends a submitted answer back with what is missing: the unit answers again."""
    problems = _text_problems("退回理由", reason)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = _locked(ctx, item)
        if not may_conclude(ctx.user, locked):
            raise PermissionDenied(_not_concluding(locked))
        old = locked.state
        locked.state = State.REOPENED
        locked.reason = reason.strip()
        locked.save()
        _step(ctx, locked, Step.REOPEN, old, locked.reason, AuditEvent.Type.RETURN)
        return locked


def cancel_item(ctx: Context, item: Rectification, reason: str) -> Rectification:
    """The reviewer withdraws an item not yet closed, saying why (opened by mistake, overtaken by events)."""
    problems = _text_problems("撤销理由", reason)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = _locked(ctx, item)
        if not may_cancel(ctx.user, locked):
            if locked.state not in Rectification.OPEN_STATES:
                raise PermissionDenied(f"该整改事项{locked.get_state_display()}，不能撤销。")
            raise PermissionDenied("只有提出该整改事项的单位的审核人员或财政审核人员可以撤销它。")
        old = locked.state
        locked.state = State.CANCELLED
        locked.reason = reason.strip()
        locked.closed_at = timezone.now()
        locked.save()
        _step(ctx, locked, Step.CANCEL, old, locked.reason, AuditEvent.Type.DELETE)
        return locked


def _not_concluding(item: Rectification) -> str:
    if item.state != State.SUBMITTED:
        return f"该整改事项{item.get_state_display()}，不是待验收的状态。"
    return "只有提出该整改事项的单位的审核人员或财政审核人员可以验收或退回。"
