"""Every write of the yearly cycle: one transaction each, with its audit event.

Views and the importer call these functions and nothing else writes. Each
locks the row it changes (``select_for_update``; SQLite serialises writers
with IMMEDIATE transactions), refuses a stale edit with
:class:`ConflictError` instead of overwriting it, moves states only as
:mod:`jixiao.core.workflow` allows, and records who, when, from where,
what, before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from jixiao.core.model import Document, Kind
from jixiao.core.review import Finding, blocking, review_document
from jixiao.core.scoring import RulePack
from jixiao.core.scoring.assess import show_number
from jixiao.core.serialize import dumps
from jixiao.core.targets import FreeText, parse_target
from jixiao.core.workflow import REVIEW_ACTIONS, Action, Role, State, is_frozen, transition
from jixiao.web.access import account_of, require, role_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.across import ACROSS, lock_unit, refresh_across
from jixiao.web.cycle.documents import declaration_document, evaluation_document, evaluation_project
from jixiao.web.cycle.models import (
    Adjustment,
    Declaration,
    DeclarationIndicator,
    EvaluationIndicator,
    Project,
    Publication,
    SelfEvaluation,
    StateChange,
    StoredFinding,
)
from jixiao.web.cycle.packs import pack_for_unit, record_pack
from jixiao.web.numbers import form_decimal
from jixiao.web.orgs.models import Organization

DECLARATION_FIELDS = (
    "nature",
    "category",
    "start_date",
    "end_date",
    "money_unit",
    "requested_total",
    "requested_current",
    "requested_carryover",
    "requested_other",
    "overall_goal",
    "goal",
)
EVALUATION_FIELDS = (
    "money_unit",
    "initial_total",
    "adjusted_total",
    "executed_total",
    "initial_current",
    "adjusted_current",
    "executed_current",
    "initial_carryover",
    "adjusted_carryover",
    "executed_carryover",
    "initial_other",
    "adjusted_other",
    "executed_other",
    "rate_pct",
    "execution_weight",
    "execution_score",
    "outcome",
    "total_score",
    "grade",
)
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "weight")
EVALUATION_ROW_FIELDS = ("actual", "score", "deviation", "score_reason")
_EVENTS = {
    Action.SUBMIT: AuditEvent.Type.SUBMIT,
    Action.RETURN: AuditEvent.Type.RETURN,
    Action.DEPT_APPROVE: AuditEvent.Type.APPROVE,
    Action.FINANCE_APPROVE: AuditEvent.Type.APPROVE,
    Action.PUBLISH: AuditEvent.Type.PUBLISH,
}

Record = Declaration | SelfEvaluation
# the actions act() takes: the review steps (editing and adjusting have their own services)
REVIEW_STEPS = REVIEW_ACTIONS  # the actions with an event of their own in _EVENTS


class ConflictError(Exception):
    """A save that did not start from the current version: both versions travel with it."""

    def __init__(self, record: Record, submitted: dict[str, Any], current: dict[str, Any]) -> None:
        super().__init__(f"记录已被他人修改（当前版本 {record.version}）")
        self.record = record
        self.submitted = submitted
        self.current = current


@dataclass(frozen=True)
class IndicatorInput:
    """One indicator row as the declaration form posts it."""

    level1: str
    level2: str
    name: str
    target: str
    weight: Decimal | None


@dataclass(frozen=True)
class EvaluationRowInput:
    """One self-evaluation row as the form posts it, by the approved indicator's id."""

    indicator_id: int
    actual: str
    score: Decimal | None
    deviation: str
    score_reason: str


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def snapshot(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-safe values (for audit detail and conflict pages)."""
    return {f: _plain(getattr(obj, f)) for f in fields}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {"before": {k: before.get(k) for k in keys}, "after": {k: after[k] for k in keys}}


def _fitting(value: Decimal | None, model: type[models.Model], field: str) -> Decimal | None:
    """``value`` when its column can hold it, else None."""
    if value is None:
        return None
    column = model._meta.get_field(field)
    return value if value.adjusted() < column.max_digits - column.decimal_places else None  # type: ignore[union-attr, operator]


def refresh_findings(record_: Record, *, across: bool = True) -> list[Finding]:
    """Review the record again (by its rule pack) and store its findings, counts and computed figures.

    Called by every write in the same transaction, so lists, summary tables
    and charts read stored values instead of reviewing thousands of records
    per page. The cross-document findings of the record's unit are refreshed
    too (:mod:`jixiao.web.cycle.across`), unless ``across`` is False: a load
    of many records refreshes them once at its end. Returns the record's own
    findings, for a caller that decides on them.
    """
    from jixiao.core.scoring import grade_for, score_project
    from jixiao.core.scoring.formulas import quantize

    pack = record_pack(record_)
    if isinstance(record_, Declaration):
        document = declaration_document(record_)
        owner = {"declaration": record_}
    else:
        document = evaluation_document(record_)
        owner = {"evaluation": record_}
    findings = review_document(document, pack)
    # this record's own findings; the cross-document ones are the unit's refresh's (kept, and counted below)
    StoredFinding.objects.filter(**owner).exclude(code__in=ACROSS).delete()
    StoredFinding.objects.bulk_create(
        StoredFinding(
            **owner,
            code=f.code,
            severity=f.severity.value,
            indicator_index=f.indicator_index,
            indicator=(f.indicator or "")[:300],
            field=f.field or "",
            message=f.message,
            expected=(f.expected or "")[:300],
            found=(f.found or "")[:300],
        )
        for f in findings
    )
    severities = [f.severity.value for f in findings]
    severities += StoredFinding.objects.filter(**owner, code__in=ACROSS).values_list("severity", flat=True)
    counts = {s: severities.count(s) for s in ("error", "warning", "info")}
    values: dict[str, Any] = {"errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]}
    if isinstance(record_, SelfEvaluation):
        executed, adjusted = record_.executed_total, record_.adjusted_total
        rate = quantize(executed / adjusted * 100, Decimal("0.01")) if executed is not None and adjusted else None
        # a figure too large for its column is an absurd form, not a reason to fail the write: keep it empty
        values["execution_rate"] = _fitting(rate, SelfEvaluation, "execution_rate")
        values["suggested_total"] = _fitting(
            score_project(document.projects[0], pack).total_suggested, SelfEvaluation, "suggested_total"
        )
        total = record_.total_score
        values["summary_grade"] = record_.grade or (grade_for(total, pack) if total is not None else "")
    # a plain update: these are derived figures, not a change of the record that history must keep
    type(record_).objects.filter(pk=record_.pk).update(**values)
    for key, value in values.items():
        setattr(record_, key, value)
    if across:
        # the refresh recounts this record too when its cross-document findings changed
        decl = record_ if isinstance(record_, Declaration) else record_.declaration
        recounted = refresh_across(decl.project.unit_id, decl.project_id)
        key = ("declaration" if isinstance(record_, Declaration) else "evaluation", record_.pk)
        for name, value in recounted.get(key, {}).items():
            setattr(record_, name, value)
    return findings


def _lock_unit_of(record_: Record) -> None:
    """Lock the record's unit before the record itself.

    A write refreshes the cross-document findings of every record of its unit (their counts are on the
    records' rows), so every write in a unit takes the unit's lock first, then its record's: two writes
    in one unit then wait for each other instead of each holding a record the other must update.
    """
    path = "projects__declarations" if isinstance(record_, Declaration) else "projects__declarations__evaluation"
    list(Organization.objects.select_for_update(of=("self",)).filter(**{path: record_.pk}).only("pk"))


def _ensure_visible(ctx: Context, record: Record) -> None:
    if not type(record).objects.visible_to(ctx.user).filter(pk=record.pk).exists():
        raise PermissionDenied("您无权处理该记录。")


def _unit_of(record: Record) -> Organization:
    decl = record if isinstance(record, Declaration) else record.declaration
    return decl.project.unit


# -- projects and declarations --------------------------------------------------------------------


def ensure_project(ctx: Context, unit: Organization, name: str) -> Project:
    """The unit's project of this name, created (and audited) when new."""
    with transaction.atomic():
        project = Project.objects.filter(unit=unit, name=name).first()
        if project is not None:
            return project
        department = unit.department_or_self
        if department is None:
            raise ValidationError("项目必须属于某个主管部门下的单位。")
        project = Project.objects.create(unit=unit, department=department, name=name)
        record(ctx, AuditEvent.Type.CREATE, obj=project, organization=unit, detail={"name": name})
        return project


def create_declaration(
    ctx: Context, unit: Organization, name: str, year: int, data: dict[str, Any], indicators: Sequence[IndicatorInput]
) -> Declaration:
    """A new draft declaration of the unit's project for ``year``; only the unit's own staff may create it."""
    account = account_of(ctx.user)
    if account is None or account.role_enum is not Role.UNIT_STAFF or account.organization_id != unit.pk:
        raise PermissionDenied("只有本单位的填报人员可以新建绩效目标申报表。")
    with transaction.atomic():
        lock_unit(unit.pk)
        project = ensure_project(ctx, unit, name)
        if Declaration.objects.filter(project=project, year=year).exists():
            raise ValidationError(f"「{name}」已有{year}年度的绩效目标申报表，请打开它继续填写。")
        decl = Declaration(
            project=project,
            year=year,
            rule_pack=pack_for_unit(unit, year),
            **{k: data.get(k) for k in DECLARATION_FIELDS if k in data},
        )
        decl.full_clean(exclude=["project"])
        decl.save()
        _replace_indicators(decl, indicators)
        refresh_findings(decl)
        record(
            ctx,
            AuditEvent.Type.CREATE,
            obj=decl,
            organization=unit,
            detail={"after": snapshot(decl, DECLARATION_FIELDS), "indicators": len(indicators)},
        )
        return decl


def _replace_indicators(decl: Declaration, indicators: Sequence[IndicatorInput]) -> None:
    # delete() and create() one by one so that history keeps every row
    for old in decl.indicators.all():
        old.delete()
    for position, row in enumerate(indicators, start=1):
        DeclarationIndicator.objects.create(
            declaration=decl,
            position=position,
            level1=row.level1.strip(),
            level2=row.level2.strip(),
            name=row.name.strip(),
            target=row.target.strip(),
            weight=row.weight,
        )


def _indicator_rows(decl: Declaration) -> list[dict[str, Any]]:
    return [snapshot(i, INDICATOR_FIELDS) for i in decl.indicators.all()]


def _audited_conflicts(update: Any) -> Any:
    """Record a refused stale save in its own transaction: the refused change itself rolled back."""
    import functools

    @functools.wraps(update)
    def wrapper(ctx: Context, record_: Record, *args: Any, **kwargs: Any) -> Any:
        try:
            return update(ctx, record_, *args, **kwargs)
        except ConflictError as conflict:
            with transaction.atomic():
                record(
                    ctx,
                    AuditEvent.Type.CONFLICT,
                    obj=conflict.record,
                    success=False,
                    organization=_unit_of(conflict.record),
                    detail={"expected_version": args[0] if args else None, "current_version": conflict.record.version},
                )
            raise

    return wrapper


@_audited_conflicts
def update_declaration(
    ctx: Context,
    decl: Declaration,
    expected_version: int,
    data: dict[str, Any],
    indicators: Sequence[IndicatorInput],
) -> Declaration:
    """Save an edit of a draft or returned declaration; a stale version raises :class:`ConflictError`."""
    _ensure_visible(ctx, decl)
    with transaction.atomic():
        _lock_unit_of(decl)
        locked = Declaration.objects.select_for_update().get(pk=decl.pk)
        require(ctx.user, locked, Action.EDIT)
        before = snapshot(locked, DECLARATION_FIELDS) | {"indicators": _indicator_rows(locked)}
        submitted = {k: _plain(data.get(k)) for k in DECLARATION_FIELDS if k in data} | {
            "indicators": [{f: _plain(getattr(r, f)) for f in INDICATOR_FIELDS} for r in indicators]
        }
        if locked.version != expected_version:
            raise ConflictError(locked, submitted, before)
        for key in DECLARATION_FIELDS:
            if key in data:
                setattr(locked, key, data[key])
        locked.full_clean(exclude=["project"])
        locked.version += 1
        locked.save()
        _replace_indicators(locked, indicators)
        refresh_findings(locked)
        after = snapshot(locked, DECLARATION_FIELDS) | {"indicators": _indicator_rows(locked)}
        record(ctx, AuditEvent.Type.UPDATE, obj=locked, organization=_unit_of(locked), detail=_changes(before, after))
        return locked


@dataclass(frozen=True)
class Change:
    """One value of an adjustment (调整): an approved indicator's new target or weight, as typed."""

    indicator_id: int
    field: str
    value: str


def check_weight(value: Decimal | None, pack: RulePack) -> None:
    """Refuse a weight no form could print: not above 0, or beyond the pack's points for all indicators."""
    if value is None:
        return
    if not Decimal(0) < value <= pack.indicator_weight:
        raise ValidationError(
            f"分值 {show_number(value)} 超出范围：应大于 0、"
            f"不超过全部指标的分值 {show_number(pack.indicator_weight)} 分（规则包 {pack.name}）。"
        )


def _adjusted_value(field: str, text: str, pack: RulePack) -> object:
    """The value an adjustment writes, read and checked as the declaration form reads it."""
    typed = text.strip()
    if field == "weight":
        weight = form_decimal(typed, 7, 2)
        if weight is None:
            raise ValidationError(f"分值「{typed[:20]}」不是可以保存的数字（如 30 或 12.5，最多两位小数）。")
        check_weight(weight, pack)
        return weight
    if field == "target":
        if not typed:
            raise ValidationError("调整后的年度指标值不能为空。")
        if len(typed) > DeclarationIndicator._meta.get_field("target").max_length:  # type: ignore[operator]
            raise ValidationError("调整后的年度指标值过长。")
        value = parse_target(typed)
        # the approved target is what the self-evaluation is scored against: it must be readable
        if isinstance(value, FreeText):
            raise ValidationError(
                f"调整后的指标值无法识别：{value.reason}。请按指标值写法填写，如 ≥4(次)、=100%、建立健全。"
            )
        return typed
    raise ValidationError("只能调整指标值或分值。")


def adjust_indicators(ctx: Context, decl: Declaration, changes: Sequence[Change], reason: str) -> list[Adjustment]:
    """Change approved targets or weights (调整) together with one reason: all of them, or none.

    Each value is checked as the declaration form checks it, and the tree after the change must keep
    the rule pack's split (indicator weights summing to its 90 points): moving points from one row to
    another is one adjustment of both rows. The old values stay on record.
    """
    if not reason.strip():
        raise ValidationError("调整必须说明理由。")
    if not changes:
        raise ValidationError("没有填写调整后的值。")
    _ensure_visible(ctx, decl)
    with transaction.atomic():
        _lock_unit_of(decl)
        locked = Declaration.objects.select_for_update().get(pk=decl.pk)
        require(ctx.user, locked, Action.ADJUST)
        pack = record_pack(locked)
        rows = list(locked.indicators.all())
        by_id = {r.pk: r for r in rows}
        planned = []
        for change in changes:
            row = by_id.get(change.indicator_id)
            if row is None:
                raise ValidationError("该申报表中没有这个指标。")
            value = _adjusted_value(change.field, change.value, pack)
            old = getattr(row, change.field)
            if old != value:
                planned.append((row, change.field, old, value))
                setattr(row, change.field, value)
        if not planned:
            raise ValidationError("调整后的值与原值相同，没有需要记录的调整。")
        # the tree as it would be after the change, judged before anything is written
        blocked = blocking(review_document(declaration_document(locked, rows), pack))
        if blocked:
            raise ValidationError([f"调整后{f.message}" for f in blocked])
        for row, _, _, _ in planned:
            row.save()
        locked.version += 1
        locked.save()
        refresh_findings(locked)
        adjustments = []
        for row, field, old, value in planned:
            adjustments.append(
                Adjustment.objects.create(
                    declaration=locked,
                    indicator=row,
                    field=field,
                    old_value=str(old or ""),
                    new_value=str(value),
                    reason=reason.strip(),
                    by=ctx.user,
                )
            )
            record(
                ctx,
                AuditEvent.Type.ADJUST,
                obj=locked,
                organization=_unit_of(locked),
                detail={
                    "indicator": row.name,
                    "field": field,
                    "before": str(old or ""),
                    "after": str(value),
                    "reason": reason,
                },
            )
        return adjustments


def adjust_indicator(
    ctx: Context, decl: Declaration, indicator: DeclarationIndicator, field: str, new_value: str, reason: str
) -> Adjustment:
    """Change one approved target or weight (调整) with its reason (see :func:`adjust_indicators`)."""
    (adjustment,) = adjust_indicators(ctx, decl, [Change(indicator.pk, field, new_value)], reason)
    return adjustment


# -- self-evaluations -----------------------------------------------------------------------------


def create_evaluation(ctx: Context, decl: Declaration) -> SelfEvaluation:
    """The self-evaluation of an approved declaration, with its indicators copied, never retyped."""
    _ensure_visible(ctx, decl)
    account = account_of(ctx.user)
    if account is None or account.role_enum is not Role.UNIT_STAFF:
        raise PermissionDenied("只有单位填报人员可以开始绩效自评。")
    with transaction.atomic():
        _lock_unit_of(decl)
        locked = Declaration.objects.select_for_update().get(pk=decl.pk)
        if not is_frozen(locked.state):
            raise ValidationError("绩效目标经财政批复后才能开始自评。")
        if SelfEvaluation.objects.filter(declaration=locked).exists():
            return locked.evaluation
        ev = SelfEvaluation.objects.create(
            declaration=locked, money_unit=locked.money_unit, rule_pack=pack_for_unit(_unit_of(locked), locked.year)
        )
        for indicator in locked.indicators.all():
            EvaluationIndicator.objects.create(evaluation=ev, indicator=indicator)
        refresh_findings(ev)
        record(ctx, AuditEvent.Type.CREATE, obj=ev, organization=_unit_of(ev), detail={"from_declaration": locked.pk})
        return ev


def _evaluation_rows(ev: SelfEvaluation) -> list[dict[str, Any]]:
    return [{"indicator": r.indicator_id} | snapshot(r, EVALUATION_ROW_FIELDS) for r in ev.indicators.all()]


@_audited_conflicts
def update_evaluation(
    ctx: Context,
    ev: SelfEvaluation,
    expected_version: int,
    data: dict[str, Any],
    rows: Sequence[EvaluationRowInput],
) -> SelfEvaluation:
    """Save an edit of a draft or returned self-evaluation; a stale version raises :class:`ConflictError`."""
    _ensure_visible(ctx, ev)
    with transaction.atomic():
        _lock_unit_of(ev)
        locked = SelfEvaluation.objects.select_for_update().get(pk=ev.pk)
        require(ctx.user, locked, Action.EDIT)
        before = snapshot(locked, EVALUATION_FIELDS) | {"rows": _evaluation_rows(locked)}
        submitted = {k: _plain(data.get(k)) for k in EVALUATION_FIELDS if k in data} | {
            "rows": [
                {"indicator": r.indicator_id} | {f: _plain(getattr(r, f)) for f in EVALUATION_ROW_FIELDS} for r in rows
            ]
        }
        if locked.version != expected_version:
            raise ConflictError(locked, submitted, before)
        for key in EVALUATION_FIELDS:
            if key in data:
                setattr(locked, key, data[key])
        locked.full_clean(exclude=["declaration"])
        locked.version += 1
        locked.save()
        existing = {r.indicator_id: r for r in locked.indicators.all()}
        for row in rows:
            target = existing.get(row.indicator_id)
            if target is None:
                raise ValidationError("自评表只能填写已批复的指标。")  # rows are never added here
            for f in EVALUATION_ROW_FIELDS:
                setattr(target, f, getattr(row, f))
            target.save()
        refresh_findings(locked)
        after = snapshot(locked, EVALUATION_FIELDS) | {"rows": _evaluation_rows(locked)}
        record(ctx, AuditEvent.Type.UPDATE, obj=locked, organization=_unit_of(locked), detail=_changes(before, after))
        return locked


def evaluation_problems(ev: SelfEvaluation) -> list[str]:
    """What must be fixed before a self-evaluation can be submitted, in words a filer understands."""
    reasons = [r.score_reason for r in ev.indicators.select_related("indicator").order_by("indicator__position")]
    return project_problems(evaluation_project(ev), reasons, record_pack(ev), ev.declaration.year)


def project_problems(project: Any, reasons: Sequence[str], pack: RulePack, year: int | None = None) -> list[str]:
    """The submission blockers of a self-evaluation given as a core project and its score reasons.

    Shared by the save check and the live preview, so the page says before
    submission exactly what the submission will refuse: what is missing, and
    every figure that cannot be (weights off the pack's split, a total above
    its maximum, a score beyond its weight).
    """
    from jixiao.core.scoring import score_project

    problems: list[str] = []
    scores = score_project(project, pack)
    for n, (indicator, score) in enumerate(zip(project.indicators, scores.indicators, strict=True), start=1):
        where = f"第{n}行「{indicator.name}」"
        if not indicator.actual:
            problems.append(f"{where}：请填写实际完成值。")
        if indicator.score is None:
            problems.append(f"{where}：请填写得分。")
            continue
        if indicator.weight is not None and not Decimal(0) <= indicator.score <= indicator.weight:
            problems.append(f"{where}：得分 {indicator.score} 应在 0 到分值 {indicator.weight} 之间。")
        reason = reasons[n - 1] if n - 1 < len(reasons) else ""
        if score.differs and not reason.strip():
            problems.append(f"{where}：填报得分 {indicator.score} 与建议得分 {score.suggested} 不同，请说明理由。")
        short = indicator.weight is not None and indicator.score < indicator.weight
        if short and not (indicator.deviation or "").strip():
            problems.append(f"{where}：得分低于分值，请填写偏差原因分析及改进措施。")
    total = project.funds.total
    if total is None or total.executed is None or total.adjusted is None:
        problems.append("请填写全年预算数和全年执行数。")
    if not (project.outcome or "").strip():
        problems.append("请填写实际完成情况。")
    document = Document(kind=Kind.SELF_EVALUATION, year=year, projects=(project,))
    # a score beyond its weight is said above, row by row; the other impossible figures come from the review
    problems += [f.message for f in blocking(review_document(document, pack)) if f.field != "score"]
    return problems


def declaration_problems(decl: Declaration) -> list[str]:
    """What must be fixed before a declaration can be submitted: what is missing, and weights that cannot be."""
    problems = []
    if not decl.goal.strip():
        problems.append("请填写年度总体目标。")
    if decl.requested_total is None:
        problems.append("请填写年度资金申请总额。")
    indicators = list(decl.indicators.all())
    if not indicators:
        problems.append("请至少填写一个绩效指标。")
    for n, i in enumerate(indicators, start=1):
        if not i.target:
            problems.append(f"第{n}行「{i.name}」：请填写年度指标值。")
        # the weights are fixed when the targets are approved: the self-evaluation is scored on them
        if i.weight is None and decl.kind == Declaration.Kind.PROJECT:
            problems.append(f"第{n}行「{i.name}」：请填写分值。")
    return problems + figure_problems(decl, indicators)


def figure_problems(record_: Record, rows: Sequence[Any] | None = None) -> list[str]:
    """Every figure of the record that cannot be, by its rule pack: what keeps it from any further step.

    A weight beyond its range, indicator weights off the pack's split, a score beyond its weight, a
    total above the pack's maximum (``jixiao.core.review.blocking``).
    """
    pack = record_pack(record_)
    if isinstance(record_, Declaration):
        document = declaration_document(record_, rows)
    else:
        document = evaluation_document(record_, rows)
    return [f.message for f in blocking(review_document(document, pack))]


# -- review states ---------------------------------------------------------------------------------


def act(ctx: Context, record_: Record, action: Action, comment: str = "") -> Record:
    """Move a record by ``action`` (submit, return, approve, publish) as the workflow table allows.

    The row is locked and its state read again inside the transaction, so
    parallel clicks give exactly one transition and one audit event.
    """
    if action not in REVIEW_STEPS:
        # editing, adjusting and deleting are workflow actions too, but they have their own services
        raise ValidationError(f"「{action.label}」不是审核操作。")
    if action is Action.RETURN and not comment.strip():
        raise ValidationError("退回时请填写退回意见，说明需要修改的地方。")
    _ensure_visible(ctx, record_)
    model = type(record_)
    with transaction.atomic():
        _lock_unit_of(record_)
        locked = model.objects.select_for_update().get(pk=record_.pk)
        role = require(ctx.user, locked, action)
        step = transition(action, role, State(locked.state))
        assert step is not None  # require() checked it
        if action is Action.SUBMIT:
            problems = declaration_problems(locked) if isinstance(locked, Declaration) else evaluation_problems(locked)
        elif action is not Action.RETURN:
            # approval and publication check the figures again: a record stored by an older version, or
            # imported, must not carry an impossible total through (a return is always possible)
            problems = figure_problems(locked)
        else:
            problems = []
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
            _publish(ctx, locked)
        # a draft is compared with nothing: its first submission makes it a record others are compared with
        decl = locked if isinstance(locked, Declaration) else locked.declaration
        refresh_across(decl.project.unit_id, decl.project_id)
        record(
            ctx,
            _EVENTS[action],
            obj=locked,
            organization=_unit_of(locked),
            detail={"from": old, "to": step.target.value, "comment": comment.strip(), "role": role.value},
        )
        return locked


def _publish(ctx: Context, rec: Record) -> Publication:
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
    _ensure_visible(ctx, record_)
    model = type(record_)
    with transaction.atomic():
        _lock_unit_of(record_)  # the unit first, as every write in a unit (see _lock_unit_of)
        locked = model.objects.select_for_update().get(pk=record_.pk)
        require(ctx.user, locked, Action.DELETE)
        if locked.version != expected_version:
            raise ValidationError(
                f"该草稿在您确认删除前已被修改（您看到的是第 {expected_version} 版，当前是第 {locked.version} 版），"
                "未删除。请查看后再决定是否删除。"
            )
        unit = _unit_of(locked)
        if isinstance(locked, Declaration):
            fields, rows = DECLARATION_FIELDS, {"indicators": _indicator_rows(locked)}
            project, name = locked.project, locked.project.name
        else:
            fields, rows = EVALUATION_FIELDS, {"rows": _evaluation_rows(locked)}
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


def role_may(user: object, record_: Record, action: Action) -> bool:
    """True when ``user`` may take ``action`` on ``record_`` now (for showing buttons)."""
    role = role_of(user)
    return role is not None and transition(action, role, State(record_.state)) is not None
