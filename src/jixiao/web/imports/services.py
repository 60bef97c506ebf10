"""Importing files in the web: keep each upload with its hash, read it, preview it, load it all or nothing.

Reading and loading run as tasks (django-tasks): inline in development and
in the demo, in a worker process (``manage.py db_worker``) in production,
so a large upload never holds a page. Each file is read in a child process
limited in time and memory (``jixiao.documents.isolated``), so no file can
take the worker or the web process down. While a job reads or loads, its
process holds the job's lock (``running.py``); a job whose process died is
ended as failed and can be retried. A refused file is not kept: when a job
cannot load because a file was refused, no file of it is. Every step is
audited.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet

from jixiao.core.errors import JixiaoError
from jixiao.core.model import Document, Kind
from jixiao.core.review import Severity, review_document
from jixiao.core.review.findings import reading_order, title_of
from jixiao.core.serialize import dumps
from jixiao.core.workflow import Role, State
from jixiao.documents import isolated
from jixiao.documents.importer import ALL_SUFFIXES
from jixiao.documents.limits import MAX_BYTES
from jixiao.documents.result import reading_record
from jixiao.web.access import Person, account_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.intake import document_problems
from jixiao.web.cycle.models import Declaration, SelfEvaluation, SourceCorrection, SourceFile
from jixiao.web.cycle.services.loading import (
    LoadError,
    LoadResult,
    find_department,
    find_unit,
    load_document,
    refresh_units,
)
from jixiao.web.imports.corrections import corrected_document, standing
from jixiao.web.imports.models import ImportCorrection, ImportFile, ImportJob
from jixiao.web.imports.running import JobLock
from jixiao.web.orgs.models import Organization, RulePackChoice

logger = logging.getLogger(__name__)
TARGET_STATES = {s.value: s.label for s in (State.DRAFT, State.DEPT_APPROVED, State.APPROVED, State.PUBLISHED)}
# A department may bring in its forms as far as its own approval; the bureau's approval stays the bureau's.
STATES_FOR = {
    Role.DEPT_REVIEWER: (State.DEPT_APPROVED.value,),
    Role.FINANCE_REVIEWER: (State.DRAFT.value, State.APPROVED.value, State.PUBLISHED.value),
}


def target_states(role: Role | None) -> dict[str, str]:
    """The states an import by ``role`` may give its records, with their labels."""
    return {s: TARGET_STATES[s] for s in STATES_FOR.get(role, ())} if role else {}


MAX_FILES = 1000


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: received to disk by the upload handler, or given as a Django File."""

    name: str
    content: File[Any]  # any file object Django can read in chunks

    @classmethod
    def of_bytes(cls, name: str, data: bytes) -> Upload:
        """An upload of ``data`` (programs and tests that hold the bytes)."""
        return cls(name, ContentFile(data, name=name))

    @property
    def size(self) -> int:
        """Its size in bytes."""
        return int(self.content.size or 0)

    def sha256(self) -> str:
        """Its SHA-256: counted while it was received, or now, in chunks."""
        known = getattr(self.content, "sha256", None)
        if known:
            return str(known)
        digest = hashlib.sha256()
        self.content.open("rb")
        for chunk in self.content.chunks():
            digest.update(chunk)
        return digest.hexdigest()


def importer_of(ctx: Context) -> Organization:
    """The organization a reviewer imports for (their department, or the bureau); others may not import."""
    account = account_of(ctx.user)
    if account is None or account.role_enum not in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER):
        raise PermissionDenied("只有主管部门审核人员和财政审核人员可以导入文件。")
    assert account.organization is not None
    return account.organization


def jobs_visible_to(user: Person) -> QuerySet[ImportJob]:
    """Import jobs a person may see: their own; a department's for its reviewers; all for the finance bureau."""
    account = account_of(user)
    if account is None:
        return ImportJob.objects.none()
    if account.role_enum is Role.FINANCE_REVIEWER:
        return ImportJob.objects.all()
    if account.role_enum is Role.DEPT_REVIEWER:
        return ImportJob.objects.filter(Q(organization=account.organization) | Q(created_by=user))
    return ImportJob.objects.none()


def create_job(ctx: Context, uploads: Iterable[Upload]) -> ImportJob:
    """Keep every uploaded file (under a generated name, with its SHA-256) and open an import job."""
    organization = importer_of(ctx)
    files = list(uploads)
    if not files:
        raise ValidationError("请选择要导入的文件。")
    if len(files) > MAX_FILES:
        raise ValidationError(f"一次最多导入 {MAX_FILES} 个文件。")
    for upload in files:
        if upload.size > MAX_BYTES:
            raise ValidationError(f"{upload.name}：文件过大（上限 {MAX_BYTES // 1024 // 1024} MB）。")
        if not upload.name.lower().endswith(ALL_SUFFIXES):
            raise ValidationError(f"{upload.name}：不支持的文件类型，可导入：{'、'.join(ALL_SUFFIXES)}。")
    stored: list[str] = []
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                created_by=ctx.person(), organization=organization, ip=ctx.ip, total_files=len(files)
            )
            for position, upload in enumerate(files):
                digest = upload.sha256()
                # locked: a refused job letting go of the same bytes at this moment deletes it first, or waits
                source = SourceFile.objects.select_for_update().filter(sha256=digest, size=upload.size).first()
                if source is None:
                    source = SourceFile(
                        sha256=digest, original_name=upload.name[:255], size=upload.size, uploaded_by=ctx.user
                    )
                    # a received upload is moved into storage (a rename), any other file copied in chunks
                    source.stored.save(upload.name, upload.content, save=False)
                    stored.append(source.stored.name)
                    source.save()
                ImportFile.objects.create(
                    job=job, source=source, position=position, name=upload.name[:255], size=upload.size, sha256=digest
                )
            record(
                ctx,
                AuditEvent.Type.IMPORT,
                obj=job,
                organization=organization,
                detail={"step": "upload", "files": [f.name for f in files]},
            )
    except BaseException:
        for name in stored:  # the rows were rolled back: their files must not stay behind
            default_storage.delete(name)
        raise
    return job


def _department_of(name: str | None) -> Organization | None:
    return find_department(name) if name else None


def _outside(job: ImportJob, department: Organization | None) -> bool:
    """Whether a project is outside what the job's department may import (the bureau's jobs: never)."""
    return job.organization.kind == Organization.Kind.DEPARTMENT and (
        department is None or department.pk != job.organization_id
    )


def preview(job: ImportJob, document: Document, first_lines: list[int | None]) -> list[dict[str, Any]]:
    """What loading would do with each project: its unit, whether that exists, what blocks it.

    For a project outside the importing department nothing is said about what exists (its unit, a
    record of that year): a reviewer must not learn of another department's drafts by uploading names.
    """
    out = []
    transfer = document.kind is Kind.TRANSFER_SELF_EVALUATION
    for n, project in enumerate(document.projects):
        department = _department_of(project.department)
        unit_name = project.department if transfer else (project.unit or project.department)
        outside = _outside(job, department)
        unit = find_unit(department, unit_name) if department and unit_name and not outside else None
        # reviewed by the pack the department's records of that year will take (orgs.RulePackChoice)
        pack = RulePackChoice.objects.pack_for(department.pk if department else None, document.year or 0)
        findings = review_document(Document(kind=document.kind, year=document.year, projects=(project,)), pack)
        exists = bool(
            unit
            and document.year
            and Declaration.objects.filter(project__unit=unit, project__name=project.name, year=document.year).exists()
        )
        out.append(
            {
                "name": project.name,
                "kind": document.kind.value,
                "department": project.department or "",
                "unit": unit_name or "",
                "first_line": first_lines[n] if n < len(first_lines) else None,
                "outside": outside,
                "department_known": None if outside else department is not None,
                "unit_known": None if outside else unit is not None,
                "exists": None if outside else exists,
                "indicators": len(project.indicators),
                "findings": [
                    # the check's Chinese title in place of its code: the code is for machines, not people
                    {
                        "severity": f.severity.value,
                        "label": f.severity.label,
                        "title": title_of(f.code),
                        "message": f.message,
                    }
                    for f in sorted(findings, key=lambda f: reading_order(f.severity, f.code))
                ],
                "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
                "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
                "infos": sum(1 for f in findings if f.severity is Severity.INFO),
            }
        )
    return out


def reading_limits() -> isolated.Limits:
    """How long and how much memory reading one file may take (settings JIXIAO_IMPORT_* and JIXIAO_SCAN_*).

    A scan is given its own memory and time a page (OCR), and refused past a number of pages.
    """
    return isolated.Limits(
        seconds=settings.JIXIAO_IMPORT_SECONDS,
        memory_mb=settings.JIXIAO_IMPORT_MEMORY_MB,
        scan_memory_mb=settings.JIXIAO_SCAN_MEMORY_MB,
        scan_seconds_per_page=settings.JIXIAO_SCAN_SECONDS_PER_PAGE,
        scan_max_pages=settings.JIXIAO_SCAN_MAX_PAGES,
    )


def read_job(job_id: int) -> None:
    """Read every file of the job and prepare its preview; the job is then waiting for confirmation.

    Each file is read in a bounded child process. When a file is refused, the job ends as failed and
    none of its files is kept (nothing refused is stored); its page still lists every file and why.
    """
    with JobLock(job_id) as lock:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.state != ImportJob.State.UPLOADED:
                return  # already taken by another process, or no longer waiting
            job.state = ImportJob.State.READING
            job.done_files = 0
            job.save(update_fields=["state", "done_files"])
        _read_files(job, lock)


def _read_files(job: ImportJob, lock: JobLock) -> None:
    limits = reading_limits()
    refused = 0
    # one file at a time, none kept: a 500-file job must not hold 500 documents in memory (and no cursor
    # stays open on the table being written, which SQLite does not isolate)
    ids = list(job.files.values_list("pk", flat=True))
    for count, item_id in enumerate(ids, start=1):
        item = ImportFile.objects.select_related("source").get(pk=item_id)
        assert item.source is not None  # a waiting job keeps all its files
        name = item.name

        def tell(done: float, stage: str, name: str = name) -> None:
            lock.tell(f"{name}：{stage}")  # the page a scan is on, shown on the job page

        reading = isolated.read_file(item.source.stored.path, name, limits, tell)
        item.read_seconds, item.read_peak_mb = reading.seconds, reading.peak_mb
        logger.info(
            "import job %s: %s read in %.1f s, peak %.0f MB", job.pk, item.name, reading.seconds, reading.peak_mb
        )
        if reading.error is not None:
            item.error = str(reading.error)
        else:
            result = reading.result
            assert result is not None
            unfit = document_problems(result.document)
            if unfit:  # read, but not something the records can hold: say where, as the API does
                item.error = "\n".join(f"{item.name}：{p.path}：{p.message}" for p in unfit[:50])
            item.document = dumps(result.document)
            item.reading = reading_record(result)  # each value's source and confidence, for the check page
            item.warnings = [str(w) for w in result.warnings]
            item.projects = preview(job, result.document, [p.first_line for p in result.projects])
        refused += bool(item.error)
        seen = _seen_by(job).filter(sha256=item.sha256).order_by("created_at").first()
        item.seen_before = (
            {"year": seen.year, "project": seen.project.name, "at": seen.created_at.isoformat()} if seen else {}
        )
        item.save()
        ImportJob.objects.filter(pk=job.pk).update(done_files=count)
    if not refused:
        ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.READ)
        return
    problem = f"{refused} 个文件未能读取，已拒绝；本次上传的文件均未保存。请修正或去掉这些文件后重新上传。"
    ctx = Context(user=job.created_by, ip=job.ip)
    with transaction.atomic():
        released = release_files(job)
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED, failed_step="reading", problems=[problem]
        )
        record(
            ctx,
            AuditEvent.Type.IMPORT,
            obj=job,
            success=False,
            organization=job.organization,
            detail={"step": "read", "refused": refused, "files_deleted": released},
        )


def release_files(job: ImportJob) -> int:
    """Let go of the job's files: each one no other import or record uses is deleted, row and bytes.

    Call it inside a transaction: the bytes are deleted once the transaction commits.
    """
    deleted = 0
    for item in job.files.select_related("source").defer("document", "reading").exclude(source=None):
        source = item.source
        assert source is not None
        item.source = None
        item.save(update_fields=["source"])
        used = (
            ImportFile.objects.filter(source=source).exists()
            or Declaration.objects.filter(source_file=source).exists()
            or SelfEvaluation.objects.filter(source_file=source).exists()
        )
        if not used:
            name = source.stored.name
            source.delete()
            if name:  # a kept file always has one
                transaction.on_commit(partial(default_storage.delete, name))
            deleted += 1
    return deleted


def retry_reading(ctx: Context, job: ImportJob) -> ImportJob:
    """Read an interrupted job's files again (they are kept); the uploader asks for it."""
    organization = importer_of(ctx)
    if not job.can_reread:
        raise ValidationError("该导入任务现在不能重新读取。")
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.state != ImportJob.State.FAILED or locked.failed_step != "reading":
            raise ValidationError("该导入任务现在不能重新读取。")
        locked.state = ImportJob.State.UPLOADED
        locked.failed_step = ""
        locked.problems = []
        locked.done_files = 0
        locked.save(update_fields=["state", "failed_step", "problems", "done_files"])
        ImportFile.objects.filter(job=locked).update(
            error="", document="", reading={}, warnings=[], projects=[], seen_before={}
        )
        record(ctx, AuditEvent.Type.IMPORT, obj=locked, organization=organization, detail={"step": "retry"})
    return locked


def _seen_by(job: ImportJob) -> QuerySet[Declaration]:
    """The records a job may be told a file was imported as before: a department's own, or all for the bureau."""
    if job.organization.kind == Organization.Kind.DEPARTMENT:
        return Declaration.objects.filter(project__department=job.organization)
    return Declaration.objects.all()


def problems_of(job: ImportJob, role: Role, department_id: int | None, create_units: bool | None = None) -> list[str]:
    """Everything that stops the job from loading, each with its file and project; empty when it can load.

    ``create_units`` says whether unregistered organizations will be created (the job's choice by default);
    the preview asks with True to list only what the checkbox cannot solve.
    """
    create = job.create_units if create_units is None else create_units
    problems = []
    for item in job.files.defer("document", "reading").iterator(chunk_size=100):
        name = item.name
        if item.error:
            problems.append(item.error)
            continue
        if item.seen_before:
            seen = item.seen_before
            when, what = seen["at"][:10], f"{seen['year']}年度「{seen['project']}」等"
            problems.append(f"{name}：该文件已于 {when} 导入过（{what}），不再重复导入。")
        for p in item.projects:
            where = (
                f"{name}（第{p['first_line']}行起）「{p['name']}」" if p.get("first_line") else f"{name}「{p['name']}」"
            )
            department = _department_of(p["department"])
            if role is Role.DEPT_REVIEWER and (department is None or department.pk != department_id):
                problems.append(
                    f"{where}：主管部门为「{p['department'] or '未注明'}」，不属于本部门，不能由本部门导入。"
                )
                continue
            if role is Role.DEPT_REVIEWER and p.get("kind") != Kind.TARGET_DECLARATION.value:
                problems.append(f"{where}：导入自评表会同时批复其绩效目标，须由财政审核人员导入。")
                continue
            if p["exists"]:
                problems.append(f"{where}：「{p['unit']}」已有该项目本年度的记录。")
            if not p["department_known"] and not (create and role is Role.FINANCE_REVIEWER):
                problems.append(f"{where}：组织机构中没有主管部门「{p['department'] or '未注明'}」。")
            elif not p["unit_known"] and not create:
                problems.append(
                    f"{where}：组织机构中没有单位「{p['unit']}」，请勾选“同时新建未登记的单位”或先建立该单位。"
                )
    return problems


def new_organizations(job: ImportJob) -> dict[str, list[str]]:
    """The departments and units the job would create when the reviewer allows it."""
    departments: set[str] = set()
    units: set[str] = set()
    for item in job.files.only("projects").iterator(chunk_size=100):
        for p in item.projects:
            if p.get("outside"):
                continue  # not the department's to create, nor to learn whether it exists
            if not p["department_known"] and p["department"]:
                departments.add(p["department"])
            if not p["unit_known"] and p["unit"] and p["unit"] != p["department"]:
                units.add(p["unit"])
    return {"departments": sorted(departments), "units": sorted(units)}


def confirm(ctx: Context, job: ImportJob, target_state: str, create_units: bool) -> ImportJob:
    """Record the choices and start loading (all files in one transaction, or nothing)."""
    organization = importer_of(ctx)
    if not job.can_confirm:
        raise ValidationError("该导入任务现在不能确认。")
    account = account_of(ctx.user)
    if target_state not in target_states(account.role_enum if account else None):
        raise ValidationError("请选择您可以设定的导入后状态。")
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not locked.can_confirm:  # confirmed twice at once: the second waits here and finds it taken
            raise ValidationError("该导入任务现在不能确认。")
        locked.target_state = target_state
        locked.create_units = create_units
        locked.state = ImportJob.State.CONFIRMED  # LOADING once a process takes it (and holds its lock)
        locked.failed_step = ""
        locked.problems = []
        locked.save()
        record(
            ctx,
            AuditEvent.Type.IMPORT,
            obj=locked,
            organization=organization,
            detail={"step": "confirm", "state": target_state, "create_units": create_units},
        )
    return locked


def load_job(job_id: int, user_id: int) -> None:
    """Load every project of every file of the job in one transaction, or nothing, with every problem listed."""
    with JobLock(job_id):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.state != ImportJob.State.CONFIRMED:
                return  # already taken by another process, or no longer waiting
            job.state = ImportJob.State.LOADING
            job.save(update_fields=["state"])
        _load(job, user_id)


def _load(job: ImportJob, user_id: int) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    ctx = Context(user=user, ip=job.ip)
    account = account_of(user)
    role = account.role_enum if account else None
    problems = problems_of(job, role, account.organization_id if account else None) if role else ["无权导入。"]
    if problems:
        _fail(ctx, job, problems)
        return
    bureau = Organization.objects.filter(kind=Organization.Kind.BUREAU).first()
    if bureau is None:
        _fail(ctx, job, ["组织机构中还没有财政部门。"])
        return
    state = State(job.target_state)
    created = {"declarations": 0, "evaluations": 0, "organizations": 0, "corrections": 0}
    units: set[int] = set()  # the cross-document review of the units loaded into, once at the end
    try:
        with transaction.atomic():
            # no progress is written inside the transaction: nobody else could see it before the commit
            for item in job.files.select_related("source").defer("reading").iterator(chunk_size=20):
                corrections = standing(item)
                # the reading with the reviewers' corrections; the printed values stay in the corrections
                document = corrected_document(item, corrections)
                result = load_document(
                    ctx,
                    document,
                    bureau=bureau,
                    source=(item.name, item.sha256),
                    source_file=item.source,
                    first_lines=[p.get("first_line") for p in item.projects],
                    state_for=lambda n, p: state,
                    create_orgs=job.create_units,
                    units=units,
                )
                created["declarations"] += len(result.declarations)
                created["evaluations"] += len(result.evaluations)
                created["organizations"] += len(result.organizations)
                created["corrections"] += _keep_corrections(item, corrections, result)
            refresh_units(units)
            ImportJob.objects.filter(pk=job.pk).update(
                state=ImportJob.State.DONE, result=created, problems=[], done_files=job.total_files
            )
            record(
                ctx, AuditEvent.Type.IMPORT, obj=job, organization=job.organization, detail={"step": "load", **created}
            )
    except (LoadError, JixiaoError) as exc:
        _fail(ctx, job, [str(exc)])
    except DatabaseError as exc:  # the transaction is rolled back; the job must not stay "loading"
        logger.exception("import job %s failed in the database", job.pk)
        _fail(ctx, job, [f"写入数据库时出错，没有写入任何记录：{exc}"])


def _keep_corrections(item: ImportFile, corrections: list[ImportCorrection], loaded: LoadResult) -> int:
    """Keep each correction with the records its project was loaded as: the printed value and the correction."""
    for c in corrections:
        n = int(c.path.split("]", 1)[0].removeprefix("projects["))
        # a self-evaluation's project is loaded as its approved targets and the evaluation itself: both show it
        evaluation = loaded.evaluations[n] if n < len(loaded.evaluations) else None
        SourceCorrection.objects.create(
            declaration=loaded.declarations[n],
            evaluation=evaluation,
            path=c.path,
            label=c.label,
            source_value=c.source_value,
            value=c.value,
            reason=c.reason,
            file_name=item.name[:255],
            by=c.created_by,
            at=c.created_at,
        )
    return len(corrections)


def _fail(ctx: Context, job: ImportJob, problems: list[str]) -> None:
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED, failed_step="loading", problems=problems
        )
        record(
            ctx,
            AuditEvent.Type.IMPORT,
            obj=job,
            success=False,
            organization=job.organization,
            detail={"step": "load", "problems": problems[:50]},
        )
