"""Every write of an ex-ante assessment and of the expert pool, each deciding permission once and audited.

The assessment moves 准备中 -> (draw) 专家评分中 -> (the last sheet in) 评分完成 -> (conclusion) 已出具结论.
The organiser (the finance bureau, or the project's department) creates it, keeps its evidence and cost
section, draws the panel and concludes; each expert submits their own sheet. Every function locks the
assessment's row, so two clicks give one change and one audit event.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from jixiao.core.experts import Candidate, DrawError, draw
from jixiao.core.scoring.exante import Conclusion, SheetError, conclude, expert_total, panel_total
from jixiao.core.workflow import FROZEN_VALUES, Role
from jixiao.web.access import get_for, role_of
from jixiao.web.assessments.models import Assessment, AssessmentFile, CostLine, Expert, PanelDraw, PanelSeat
from jixiao.web.assessments.scope import manages_pool, require_organiser
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Declaration
from jixiao.web.cycle.packs import pack_named
from jixiao.web.monitoring.evidence import evidence_problems, sha256_of

__all__ = [
    "CostInput",
    "ExpertInput",
    "add_files",
    "conclude_assessment",
    "create_assessment",
    "draw_panel",
    "record_adjustments",
    "save_expert",
    "submit_scores",
    "update_assessment",
]

MAX_PANEL = 15  # a panel larger than this is a typo, not a panel
State = Assessment.State


@dataclass(frozen=True)
class CostInput:
    """A cost line as the organiser types it (amounts in yuan)."""

    output: str
    unit: str
    quantity: Decimal
    cost: Decimal | None
    benchmark_unit_cost: Decimal | None = None
    benchmark_source: str = ""


@dataclass(frozen=True)
class ExpertInput:
    """An expert of the pool as the finance bureau types them."""

    name: str
    fields: str
    affiliation: str
    title: str = ""
    department_id: int | None = None
    conflict_ids: tuple[int, ...] = ()
    conflict_note: str = ""
    active: bool = True


def _locked(ctx: Context, assessment: Assessment) -> Assessment:
    """The assessment's row, locked and read again, when the acting person may see it."""
    get_for(ctx.user, Assessment.objects.all(), assessment.pk)  # 404 outside their scope, as the pages say
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _audit(ctx: Context, event: str, assessment: Assessment, step: str, **detail: object) -> None:
    record(ctx, event, obj=assessment, organization=assessment.unit, detail={"step": step, **detail})


def _in_state(assessment: Assessment, *states: str) -> None:
    if assessment.state not in states:
        names = "、".join(str(State(s).label) for s in states)
        raise ValidationError(f"该评估处于「{assessment.get_state_display()}」状态，只有「{names}」时可以这样做。")


def create_assessment(ctx: Context, declaration: Declaration, summary: str = "", panel_size: int = 3) -> Assessment:
    """A new assessment of a declaration the organiser may see and that is not yet approved."""
    decl = get_for(ctx.user, Declaration.objects.select_related("project"), declaration.pk)
    require_organiser(ctx.user, department_id=decl.project.department_id)
    if decl.state in FROZEN_VALUES:
        raise ValidationError("该申报表已批复，事前绩效评估应在批复之前进行。")
    if not 1 <= panel_size <= MAX_PANEL:
        raise ValidationError(f"专家人数应在 1 到 {MAX_PANEL} 人之间。")
    with transaction.atomic():
        assessment = Assessment.objects.create(
            declaration=decl,
            unit_id=decl.project.unit_id,
            department_id=decl.project.department_id,
            project_name=decl.project.name,
            year=decl.year,
            rule_pack=decl.rule_pack,
            organiser=ctx.person(),
            summary=summary.strip(),
            panel_size=panel_size,
        )
        _audit(ctx, AuditEvent.Type.CREATE, assessment, "create", declaration=decl.pk, panel_size=panel_size)
        return assessment


def update_assessment(
    ctx: Context, assessment: Assessment, version: int, summary: str, cost_notes: str, costs: Sequence[CostInput]
) -> Assessment:
    """Save the assessment's content and its cost section while it is being prepared or scored."""
    problems = _cost_problems(costs)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = _locked(ctx, assessment)
        require_organiser(ctx.user, locked)
        _in_state(locked, State.DRAFT, State.SCORING)
        if locked.version != version:
            raise ValidationError(
                f"该评估在您保存前已被修改（您看到的是第 {version} 版，当前是第 {locked.version} 版），请刷新后再改。"
            )
        before = {"summary": locked.summary, "cost_notes": locked.cost_notes, "costs": _cost_rows(locked)}
        locked.summary, locked.cost_notes = summary.strip(), cost_notes.strip()
        locked.version += 1
        locked.save()
        locked.costs.all().delete()
        CostLine.objects.bulk_create(
            CostLine(
                assessment=locked,
                position=i,
                output=c.output.strip(),
                unit=c.unit.strip(),
                quantity=c.quantity,
                cost=c.cost,
                benchmark_unit_cost=c.benchmark_unit_cost,
                benchmark_source=c.benchmark_source.strip(),
            )
            for i, c in enumerate(costs, 1)
        )
        after = {"summary": locked.summary, "cost_notes": locked.cost_notes, "costs": _cost_rows(locked)}
        _audit(ctx, AuditEvent.Type.UPDATE, locked, "content", before=before, after=after)
        return locked


def _cost_rows(assessment: Assessment) -> list[list[str]]:
    return [
        [c.output, c.unit, str(c.quantity), str(c.cost), str(c.benchmark_unit_cost), c.benchmark_source]
        for c in assessment.costs.all()
    ]


def _cost_problems(costs: Sequence[CostInput]) -> list[str]:
    """Every impossible figure of the cost section, naming its row."""
    problems = []
    for i, c in enumerate(costs, 1):
        place = f"第 {i} 行（{c.output or '未填产出'}）"
        if not c.output.strip() or not c.unit.strip():
            problems.append(f"{place}：请填写主要产出和计量单位。")
        if c.quantity <= 0:
            problems.append(f"{place}：数量应大于 0。")
        for label, value in (("测算成本", c.cost), ("参考单位成本", c.benchmark_unit_cost)):
            if value is not None and (value < 0 or value != value.quantize(Decimal("0.01"))):
                problems.append(f"{place}：{label}应为不小于 0 的金额，精确到分。")
    return problems


def add_files(ctx: Context, assessment: Assessment, files: Sequence[UploadedFile]) -> list[AssessmentFile]:
    """Keep evidence files of the assessment (checked as the monitoring actions' are); all or none."""
    problems = evidence_problems(files)
    if not files:
        problems.append("请选择要上传的佐证材料。")
    if problems:
        raise ValidationError(problems)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(ctx, assessment)
            require_organiser(ctx.user, locked)
            _in_state(locked, State.DRAFT, State.SCORING)
            kept = []
            for upload in files:
                row = AssessmentFile(
                    assessment=locked,
                    original_name=(upload.name or "")[:255],
                    size=upload.size or 0,
                    sha256=sha256_of(upload),
                    uploaded_by=ctx.person(),
                )
                row.stored.save(upload.name or "evidence", upload, save=False)
                stored.append(row.stored.name)
                row.save()
                kept.append(row)
            _audit(ctx, AuditEvent.Type.UPDATE, locked, "files", files=[f.original_name for f in kept])
            return kept
    except BaseException:
        for name in stored:  # the rows were rolled back: their files must not stay behind
            default_storage.delete(name)
        raise


def candidates_of(experts: Sequence[Expert]) -> list[Candidate]:
    """The pool as the draw sees it."""
    return [
        Candidate(
            key=e.pk,
            department_id=e.department_id,
            conflicts=frozenset(c.pk for c in e.conflicts.all()),
            fields=e.field_list,
            active=e.active,
        )
        for e in experts
    ]


def candidate_rows(candidates: Sequence[Candidate]) -> list[dict[str, object]]:
    """The candidates as stored with the draw (and read back by :func:`redraw`)."""
    return [
        {
            "key": c.key,
            "department_id": c.department_id,
            "conflicts": sorted(c.conflicts),
            "fields": list(c.fields),
            "active": c.active,
        }
        for c in candidates
    ]


def redraw(panel_draw: PanelDraw) -> tuple[int, ...]:
    """The panel the recorded draw gives again from its stored candidates and seed (to check a draw afterwards)."""
    assessment = panel_draw.assessment
    candidates = [
        Candidate(
            key=int(row["key"]),
            department_id=row["department_id"],
            conflicts=frozenset(row["conflicts"]),
            fields=tuple(row["fields"]),
            active=bool(row["active"]),
        )
        for row in panel_draw.candidates
    ]
    again = draw(
        candidates,
        department_id=assessment.department_id,
        unit_id=assessment.unit_id,
        count=panel_draw.count,
        seed=panel_draw.seed,
        field=panel_draw.field,
    )
    return again.chosen


def draw_panel(ctx: Context, assessment: Assessment, field: str = "", seed: str | None = None) -> PanelDraw:
    """Draw the panel from the pool with its exclusions, record the draw with its seed, and seat the experts.

    The seed is random unless given (a test, or a draw repeated in front of witnesses); the draw is made
    once: the assessment then waits for the experts' sheets.
    """
    with transaction.atomic():
        locked = _locked(ctx, assessment)
        require_organiser(ctx.user, locked)
        _in_state(locked, State.DRAFT)
        pool = list(Expert.objects.filter(user__isnull=False).prefetch_related("conflicts"))
        candidates = candidates_of(pool)
        used_seed = seed or secrets.token_hex(16)
        try:
            made = draw(
                candidates,
                department_id=locked.department_id,
                unit_id=locked.unit_id,
                count=locked.panel_size,
                seed=used_seed,
                field=field,
            )
        except DrawError as err:
            raise ValidationError(str(err)) from None
        names = {e.pk: e.name for e in pool}
        panel_draw = PanelDraw.objects.create(
            assessment=locked,
            seed=used_seed,
            count=locked.panel_size,
            field=field.strip(),
            candidates=candidate_rows(candidates),
            excluded=[{"key": key, "name": names[key], "reason": why} for key, why in made.excluded],
            chosen=list(made.chosen),
            by=ctx.person(),
        )
        PanelSeat.objects.bulk_create(
            PanelSeat(assessment=locked, expert_id=key, position=i) for i, key in enumerate(made.chosen, 1)
        )
        locked.state = State.SCORING
        locked.version += 1
        locked.save()
        _audit(
            ctx,
            AuditEvent.Type.CREATE,
            locked,
            "draw",
            seed=used_seed,
            field=field.strip(),
            chosen=[names[k] for k in made.chosen],
            excluded=panel_draw.excluded,
        )
        return panel_draw


def submit_scores(ctx: Context, assessment: Assessment, scores: dict[str, str], comment: str) -> PanelSeat:
    """An expert's own sheet: every point scored within its marks and a comment; once submitted it is final.

    When the last sheet is in, the assessment's total is computed and it waits for the conclusion.
    """
    if role_of(ctx.user) is not Role.EXPERT:
        raise PermissionDenied("只有被抽中的评审专家可以评分。")
    with transaction.atomic():
        locked = _locked(ctx, assessment)
        seat = PanelSeat.objects.select_for_update().filter(assessment=locked, expert__user=ctx.user).first()
        if seat is None:
            raise PermissionDenied("您不是该评估的评审专家。")
        if seat.submitted_at is not None:  # said first: after the last sheet the state has moved on too
            raise ValidationError("您已提交过评分，提交后不能修改。")
        _in_state(locked, State.SCORING)
        if not comment.strip():
            raise ValidationError("请填写专家意见。")
        rules = pack_named(locked.rule_pack).exante
        try:
            total = expert_total(rules, scores)
        except SheetError as err:
            raise ValidationError(str(err)) from None
        seat.scores = {q.key: str(Decimal(scores[q.key].strip())) for q in rules.questions}
        seat.comment, seat.total, seat.submitted_at = comment.strip(), total, timezone.now()
        seat.save()
        _audit(ctx, AuditEvent.Type.SUBMIT, locked, "score", seat=seat.position, total=str(total))
        if not locked.seats.filter(submitted_at__isnull=True).exists():
            locked.total = panel_total([s.total for s in locked.seats.all() if s.total is not None])
            locked.state = State.SCORED
            locked.version += 1
            locked.save()
            _audit(ctx, AuditEvent.Type.UPDATE, locked, "scored", total=str(locked.total))
        return seat


def conclude_assessment(ctx: Context, assessment: Assessment, opinion: str) -> Assessment:
    """The conclusion the rule pack gives the panel's total, with the organiser's opinion (评估意见)."""
    if not opinion.strip():
        raise ValidationError("请填写评估意见。")
    with transaction.atomic():
        locked = _locked(ctx, assessment)
        require_organiser(ctx.user, locked)
        _in_state(locked, State.SCORED)
        assert locked.total is not None  # set with 评分完成
        conclusion = conclude(pack_named(locked.rule_pack).exante, locked.total)
        locked.conclusion, locked.opinion = conclusion.value, opinion.strip()
        locked.state, locked.concluded_at = State.CONCLUDED, timezone.now()
        locked.version += 1
        locked.save()
        _audit(ctx, AuditEvent.Type.APPROVE, locked, "conclude", total=str(locked.total), conclusion=conclusion.label)
        return locked


def record_adjustments(ctx: Context, assessment: Assessment, adjustments: str) -> Assessment:
    """What was adjusted after 调整完善后予以支持: only then does the assessment support the declaration."""
    if not adjustments.strip():
        raise ValidationError("请填写调整完善的内容。")
    with transaction.atomic():
        locked = _locked(ctx, assessment)
        require_organiser(ctx.user, locked)
        _in_state(locked, State.CONCLUDED)
        if locked.conclusion_enum is not Conclusion.ADJUST:
            raise ValidationError("只有结论为“调整完善后予以支持”的评估需要记录调整完善内容。")
        before = locked.adjustments
        locked.adjustments, locked.adjustments_at = adjustments.strip(), timezone.now()
        locked.version += 1
        locked.save()
        _audit(
            ctx,
            AuditEvent.Type.ADJUST,
            locked,
            "adjustments",
            before={"adjustments": before},
            after={"adjustments": locked.adjustments},
        )
        return locked


def save_expert(ctx: Context, data: ExpertInput, expert: Expert | None = None, user_id: int | None = None) -> Expert:
    """Add an expert to the pool or change one (the finance bureau keeps the pool); audited with before and after."""
    if not manages_pool(ctx.user):
        raise PermissionDenied("只有财政审核人员可以维护专家库。")
    problems = [f"请填写{label}。" for label, v in (("姓名", data.name), ("专业领域", data.fields)) if not v.strip()]
    if not data.affiliation.strip():
        problems.append("请填写工作单位。")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        row = Expert.objects.select_for_update().get(pk=expert.pk) if expert is not None else Expert()
        before = _expert_row(row) if expert is not None else None
        row.name, row.fields, row.affiliation = data.name.strip(), data.fields.strip(), data.affiliation.strip()
        row.title, row.department_id = data.title.strip(), data.department_id
        row.conflict_note, row.active = data.conflict_note.strip(), data.active
        if user_id is not None:
            row.user_id = user_id
        row.save()
        row.conflicts.set(data.conflict_ids)
        record(
            ctx,
            AuditEvent.Type.UPDATE if expert is not None else AuditEvent.Type.CREATE,
            obj=row,
            detail={"step": "expert", "before": before, "after": _expert_row(row)},
        )
        return row


def _expert_row(e: Expert) -> dict[str, object]:
    return {
        "name": e.name,
        "fields": e.fields,
        "affiliation": e.affiliation,
        "department": e.department_id,
        "conflicts": sorted(e.conflicts.values_list("pk", flat=True)) if e.pk else [],
        "active": e.active,
    }
