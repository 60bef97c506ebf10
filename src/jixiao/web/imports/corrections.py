"""Corrections before loading: a reviewer fixes what the reader misread, with who, when and why.

The reading itself (``ImportFile.document``) is never changed: a correction is a row of its own
(:class:`ImportCorrection`), applied whenever the file's document is needed (the check page, the
preview, loading), and withdrawable until the job is loaded. Every correction and withdrawal goes
through this module, which checks the person may import for that unit, checks the value as the
record forms would, refuses a page that is out of date (``ImportJob.revision``), and audits it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jixiao.core.model import Document
from jixiao.core.scoring import RulePack
from jixiao.core.scoring.packs import load_pack
from jixiao.core.serialize import loads
from jixiao.core.workflow import Role
from jixiao.web.access import Person, account_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.services.loading import find_department
from jixiao.web.imports import fields
from jixiao.web.imports.models import ImportCorrection, ImportFile, ImportJob
from jixiao.web.orgs.models import Organization, RulePackChoice

MAX_VALUE = 10000  # the longest free text a record holds (intake.MAX_TEXT); a reason likewise
MAX_REASON = 2000


class StaleRevision(Exception):
    """A correction posted from a page older than the job's last correction: shown again, not applied."""


@dataclass(frozen=True)
class Correction:
    """What a reviewer posts: the value's path (or an unplaced line put into a row), the text and why."""

    path: str
    value: str
    reason: str
    revision: int
    unplaced_line: int | None = None


def pack_of(job: ImportJob, document: Document, project: int) -> RulePack:
    """The rule pack the project's records will take (its department's, for the document's year)."""
    name = document.projects[project].department
    department = find_department(name) if name else None
    pack = RulePackChoice.objects.pack_for(department.pk if department else None, document.year or 0)
    return load_pack(pack)


def may_correct(user: Person, job: ImportJob) -> bool:
    """Whether ``user`` may correct the job's files: a reviewer who may import for the job's organization."""
    account = account_of(user)
    if account is None or (job.state not in (ImportJob.State.READ,) and not job.can_confirm):
        return False
    if account.role_enum is Role.FINANCE_REVIEWER:
        return True
    return account.role_enum is Role.DEPT_REVIEWER and account.organization_id == job.organization_id


def standing(item: ImportFile) -> list[ImportCorrection]:
    """The corrections of a file that apply, oldest first."""
    return list(item.corrections.filter(withdrawn_at__isnull=True).select_related("created_by__account"))


def corrected_document(item: ImportFile, corrections: list[ImportCorrection] | None = None) -> Document:
    """The file's document as read, with its standing corrections applied (checked when they were made)."""
    document = loads(item.document, source=item.name)
    for c in standing(item) if corrections is None else corrections:
        f = fields.field_at(document, c.path)
        if f is None:  # a path no longer in the document cannot happen: the reading is never changed
            raise ValidationError(f"{item.name}：更正的字段 {c.path} 不在读取结果中。")
        document = fields.apply(document, f, fields.convert(f, c.value))
    return document


def _check(ctx: Context, item: ImportFile) -> tuple[ImportJob, Organization]:
    job = item.job
    account = account_of(ctx.user)
    if account is None or account.role_enum not in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER):
        raise PermissionDenied("只有主管部门审核人员和财政审核人员可以更正导入的文件。")
    if not may_correct(ctx.user, job):
        raise PermissionDenied("只有可以为该单位导入的人员，才能更正这个导入任务的文件。")
    assert account.organization is not None
    return job, account.organization


def _locked(job: ImportJob, revision: int) -> ImportJob:
    locked: ImportJob = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not locked.can_confirm:
        raise ValidationError("该导入任务已确认或已导入，不能再更正。")
    if locked.revision != revision:
        raise StaleRevision(
            f"该导入任务在您打开本页之后已被更正过（版本 {revision} → {locked.revision}），请查看最新内容后重新提交。"
        )
    return locked


def correct(ctx: Context, item: ImportFile, posted: Correction) -> ImportCorrection:
    """Record a correction of one value of ``item`` (replacing an earlier one of the same value)."""
    job, organization = _check(ctx, item)
    reason = posted.reason.strip()
    if not reason:
        raise ValidationError("请填写更正理由。")
    if len(reason) > MAX_REASON or len(posted.value) > MAX_VALUE:
        raise ValidationError("更正内容或理由过长。")
    corrections = standing(item)
    document = corrected_document(item, corrections)
    f = fields.field_at(document, posted.path)
    if f is None:
        raise ValidationError(f"{item.name}：没有可以更正的字段「{posted.path[:60]}」。")
    preview = item.projects[f.project] if f.project < len(item.projects) else {}
    if preview.get("outside"):
        raise PermissionDenied("该项目不属于本部门，不能由本部门更正。")
    where = f"{item.name}：{f.label(document)}"
    try:
        changed = fields.corrected(document, f, posted.value, pack_of(job, document, f.project))
    except ValidationError as exc:
        raise ValidationError(f"{where}：{' '.join(exc.messages)}") from None
    printed = fields.value_at(loads(item.document, source=item.name), f)
    with transaction.atomic():
        locked = _locked(job, posted.revision)
        now = timezone.now()
        earlier = [c for c in corrections if c.path == f.path]
        ImportCorrection.objects.filter(pk__in=[c.pk for c in earlier]).update(withdrawn_at=now, withdrawn_by=ctx.user)
        made = ImportCorrection.objects.create(
            job=locked,
            file=item,
            path=f.path,
            label=f.label(document)[:200],
            source_value=printed,
            value=fields.value_at(changed, f),
            reason=reason,
            unplaced_line=posted.unplaced_line,
            created_by=ctx.person(),
        )
        _bump(locked, item, changed)
        record(
            ctx,
            AuditEvent.Type.IMPORT,
            obj=locked,
            organization=organization,
            detail={
                "step": "correct",
                "file": item.name,
                "path": f.path,
                "source": printed[:300],
                "value": made.value[:300],
                "reason": reason[:300],
                "replaces": [c.pk for c in earlier],
                "unplaced_line": posted.unplaced_line,
            },
        )
    return made


def withdraw(ctx: Context, correction: ImportCorrection, revision: int) -> None:
    """Withdraw a standing correction: the value is again as it was read."""
    item = correction.file
    job, organization = _check(ctx, item)
    if correction.job_id != job.pk:
        raise PermissionDenied("该更正不属于这个导入任务。")
    with transaction.atomic():
        locked = _locked(job, revision)
        updated = ImportCorrection.objects.filter(pk=correction.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=ctx.user
        )
        if not updated:
            raise ValidationError("该更正已撤回。")
        _bump(locked, item, corrected_document(item))
        record(
            ctx,
            AuditEvent.Type.IMPORT,
            obj=locked,
            organization=organization,
            detail={"step": "withdraw", "file": item.name, "path": correction.path, "correction": correction.pk},
        )


def _bump(job: ImportJob, item: ImportFile, document: Document) -> None:
    """A new revision, and the file's preview redone on the corrected document (a name may have changed)."""
    from jixiao.web.imports.services import preview

    job.revision += 1
    job.save(update_fields=["revision"])
    item.projects = preview(job, document, [p.get("first_line") for p in item.projects])
    item.save(update_fields=["projects"])


def posted_correction(post: Mapping[str, str], item: ImportFile) -> Correction:
    """The correction a check page's form posts: a value's path, or an unplaced line put into a row and column.

    An unplaced line is named by its place in the file's list (``reading.unplaced``); its text is the
    value unless another is typed (the line may hold more than the cell, or be misread itself).
    """
    try:
        revision = int(post.get("revision", ""))
    except ValueError:
        raise ValidationError("页面缺少版本信息，请刷新后重试。") from None
    if "unplaced" not in post:
        return Correction(post.get("path", ""), post.get("value", ""), post.get("reason", ""), revision)
    lines = (item.reading or {}).get("unplaced", [])
    chosen = post.get("unplaced", "")
    if not chosen.isdigit() or not 1 <= int(chosen) <= len(lines):
        raise ValidationError("请选择一条未能归位的内容。")
    line = lines[int(chosen) - 1]
    try:
        project, row = (int(x) for x in post.get("row", "").split(":"))
    except ValueError:
        raise ValidationError("请选择要放入的指标行。") from None
    column = post.get("column", "")
    if column not in fields.ROW_COLUMNS:
        raise ValidationError("请选择要放入的栏目。")
    return Correction(
        f"projects[{project}].indicators[{row}].{column}",
        post.get("value", "").strip() or str(line.get("text", "")),
        post.get("reason", ""),
        revision,
        line.get("line"),
    )
