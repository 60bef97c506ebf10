"""The review states: submit, return, approve and publish (``act``), publication, and deleting a draft."""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from jixiao.core.serialize import dumps
from jixiao.core.workflow import REVIEW_ACTIONS, Action, State, transition
from jixiao.web.access import permit
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.documents import declaration_document, evaluation_document
from jixiao.web.cycle.models import Declaration, Publication, SelfEvaluation, StateChange
from jixiao.web.cycle.services.across import refresh_across
from jixiao.web.cycle.services.common import (
    DECLARATION_FIELDS,
    EVALUATION_FIELDS,
    ConflictError,
    Record,
    audited_conflicts,
    evaluation_rows,
    indicator_rows,
    lock_unit_of,
    snapshot,
    unit_of,
)
from jixiao.web.cycle.services.findings import declaration_problems, evaluation_problems, figure_problems
from jixiao.web.cycle.services.gates import approval_refusals
from jixiao.web.notices.services.notices import after_review_step

REVIEW_EVENTS = {  # the audit event of each review step (a monitoring form takes all but 公开)
    Action.SUBMIT: AuditEvent.Type.SUBMIT,
    Action.RETURN: AuditEvent.Type.RETURN,
    Action.DEPT_APPROVE: AuditEvent.Type.APPROVE,
    Action.FINANCE_APPROVE: AuditEvent.Type.APPROVE,
    Action.PUBLISH: AuditEvent.Type.PUBLISH,
}
# the actions act() takes: the review steps (editing and adjusting have their own services)
REVIEW_STEPS = REVIEW_ACTIONS  # the actions with an event of their own in REVIEW_EVENTS


@audited_conflicts
def act(
    ctx: Context, record_: Record, action: Action, comment: str = "", *, expected_version: int | None = None
) -> Record:
    """Move a record by ``action`` (submit, return, approve, publish) as the workflow table allows.

    The row is locked and its state read again inside the transaction, so
    parallel clicks give exactly one transition and one audit event. With ``expected_version`` (the
    version the caller saw: the API's clients send it) a record changed since raises
    :class:`ConflictError`, after the permission decision: a refusal outranks a stale version.
    """
    if action not in REVIEW_STEPS:
        # editing, adjusting and deleting are workflow actions too, but they have their own services
        raise ValidationError(f"「{action.label}」不是审核操作。")
    model = type(record_)
    with transaction.atomic():
        lock_unit_of(record_)
        locked = model.objects.select_for_update().get(pk=record_.pk)
        role = permit(ctx.user, locked, action)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(locked, {"action": action.value}, {"state": locked.state, "version": locked.version})
        if action is Action.RETURN and not comment.strip():
            raise ValidationError("退回时请填写退回意见，说明需要修改的地方。")
        step = transition(action, role, State(locked.state))
        assert step is not None  # permit() checked it
        if action is Action.SUBMIT:
            problems = declaration_problems(locked) if isinstance(locked, Declaration) else evaluation_problems(locked)
        elif action is not Action.RETURN:
            # approval and publication check the figures again: a record stored by an older version, or
            # imported, must not carry an impossible total through (a return is always possible)
            problems = figure_problems(locked)
        else:
            problems = []
        if action is Action.FINANCE_APPROVE and isinstance(locked, Declaration):
            # conditions other apps hold (an ex-ante assessment for a new project above the pack's amount)
            problems = [*problems, *approval_refusals(locked)]
        if problems:
            raise ValidationError(problems)
        old = locked.state
        locked.state = step.target.value
        locked.version += 1
        locked.save()
        StateChange.objects.create(
            declaration=locked if isinstance(locked, Declaration) else None,
            evaluation=locked if isinstance(locked, SelfEvaluation) else None,
            action=action.value,
            old_state=old,
            new_state=step.target.value,
            comment=comment.strip(),
            by=ctx.user,
        )
        if action is Action.PUBLISH:
            publish(ctx, locked)
        # a draft is compared with nothing: its first submission makes it a record others are compared with
        decl = locked if isinstance(locked, Declaration) else locked.declaration
        refresh_across(decl.project.unit_id, decl.project_id)
        record(
            ctx,
            REVIEW_EVENTS[action],
            obj=locked,
            organization=unit_of(locked),
            detail={"from": old, "to": step.target.value, "comment": comment.strip(), "role": role.value},
        )
        # the people it concerns hear of it once it is committed; their notices and mail never undo it
        transaction.on_commit(
            functools.partial(after_review_step, locked, action, comment.strip(), role=role), robust=True
        )
        return locked


def publish(ctx: Context, rec: Record) -> Publication:
    """The record's current publication (公开): its document as published, the earlier one kept as not current.

    Called by :func:`act` on 公开 and by the loader for a record imported as published, inside their
    transactions.
    """
    if isinstance(rec, Declaration):
        decl, ev, kind, doc = rec, None, Publication.Kind.DECLARATION, declaration_document(rec)
    else:
        decl, ev, kind, doc = rec.declaration, rec, Publication.Kind.EVALUATION, evaluation_document(rec)
    Publication.objects.filter(kind=kind, declaration=decl, current=True).update(current=False)
    project = doc.projects[0]
    searched = (project.name, project.unit, project.department, project.overall_goal, project.goal, project.outcome)
    return Publication.objects.create(
        kind=kind,
        search_text="\n".join(text for text in searched if text),
        declaration=decl,
        evaluation=ev,
        year=decl.year,
        department_name=decl.project.department.name,
        unit_name=decl.project.unit.name,
        project_name=decl.project.name,
        document=dumps(doc),
        by=ctx.user,
    )


# -- deleting a draft -----------------------------------------------------------------------------


def _deleted(obj: models.Model, user: Any) -> None:
    """Delete ``obj`` one row at a time so that its history (and each cascaded row's) says who deleted it."""
    obj._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history's post_delete
    obj.delete()


def delete_draft(ctx: Context, record_: Record, expected_version: int) -> bool:
    """Delete a draft declaration or self-evaluation of the user's unit, with its rows; True if its project went too.

    Only a draft may go: it was never submitted, so no review, adjustment or
    publication refers to it. A record changed since the person confirmed
    (another version) is kept. The audit event, written first in the same
    transaction, holds what was deleted; django-simple-history keeps the
    record and each of its rows as they were. A declaration's project goes
    with it when no other year's declaration names it.
    """
    model = type(record_)
    with transaction.atomic():
        lock_unit_of(record_)  # the unit first, as every write in a unit
        locked = model.objects.select_for_update().get(pk=record_.pk)
        permit(ctx.user, locked, Action.DELETE)
        if locked.version != expected_version:
            raise ValidationError(
                f"该草稿在您确认删除前已被修改（您看到的是第 {expected_version} 版，当前是第 {locked.version} 版），"
                "未删除。请查看后再决定是否删除。"
            )
        unit = unit_of(locked)
        if isinstance(locked, Declaration):
            fields, rows = DECLARATION_FIELDS, {"indicators": indicator_rows(locked)}
            project, name = locked.project, locked.project.name
        else:
            fields, rows = EVALUATION_FIELDS, {"rows": evaluation_rows(locked)}
            project, name = None, locked.declaration.project.name
        record(
            ctx,
            AuditEvent.Type.DELETE,
            obj=locked,
            organization=unit,
            detail={
                "name": name,
                "year": locked.year,
                "state": locked.state,
                "version": locked.version,
                "before": snapshot(locked, fields) | rows,
            },
        )
        try:
            _deleted(locked, ctx.user)
        except models.ProtectedError:
            raise ValidationError("该草稿已被其他记录引用，不能删除。") from None
        if project is None or project.declarations.exists():
            return False
        record(ctx, AuditEvent.Type.DELETE, obj=project, organization=unit, detail={"name": project.name})
        _deleted(project, ctx.user)
        return True
