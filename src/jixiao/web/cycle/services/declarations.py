"""Declarations: projects, new and edited declarations, and adjustments (调整) of approved targets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from jixiao.core.review import blocking, review_document
from jixiao.core.scoring import RulePack
from jixiao.core.scoring.assess import show_number
from jixiao.core.targets import FreeText, parse_target
from jixiao.core.workflow import Action, Role
from jixiao.web.access import Person, account_of, permit
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.carry import prior_declaration
from jixiao.web.cycle.documents import declaration_document
from jixiao.web.cycle.models import PROJECT_CODE_LENGTH, Adjustment, Declaration, DeclarationIndicator, Project
from jixiao.web.cycle.packs import pack_for_unit, record_pack
from jixiao.web.cycle.services.across import lock_unit
from jixiao.web.cycle.services.common import (
    DECLARATION_FIELDS,
    INDICATOR_FIELDS,
    IndicatorInput,
    audited_conflicts,
    indicator_rows,
    lock_unit_of,
    plain,
    snapshot,
    unit_of,
)
from jixiao.web.cycle.services.editing import Edit, save_edit
from jixiao.web.cycle.services.findings import refresh_findings
from jixiao.web.numbers import form_decimal
from jixiao.web.orgs.models import Organization


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


CODE_CHARACTERS = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def may_set_code(user: Person, project: Project) -> bool:
    """True when ``user`` may set the project's code: its unit's staff, its department's reviewers, the bureau."""
    account = account_of(user)
    if account is None:
        return False
    role = account.role_enum
    return (
        role is Role.FINANCE_REVIEWER
        or (role is Role.DEPT_REVIEWER and account.organization_id == project.department_id)
        or (role is Role.UNIT_STAFF and account.organization_id == project.unit_id)
    )


def set_project_code(ctx: Context, project: Project, code: str) -> Project:
    """Set (or clear, with "") the project's code (项目编码), unique within its department; audited before/after.

    The code is how the payment system's exports name a project (the execution import matches it first);
    it is letters, digits, ``.``, ``_`` and ``-`` as the budget systems print them, at most 40.
    """
    typed = code.strip()
    if typed and (len(typed) > PROJECT_CODE_LENGTH or not CODE_CHARACTERS.fullmatch(typed)):
        raise ValidationError(
            f"项目编码「{typed[:50]}」不符合要求：只能包含字母、数字和 . _ -，以字母或数字开头，"
            f"最多 {PROJECT_CODE_LENGTH} 个字符。"
        )
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("department").get(pk=project.pk)
        if not Project.objects.visible_to(ctx.user).filter(pk=locked.pk).exists() or not may_set_code(ctx.user, locked):
            raise PermissionDenied("只有该项目的实施单位、主管部门审核人员或财政审核人员可以设置项目编码。")
        if locked.code == typed:
            return locked
        other = Project.objects.filter(department=locked.department, code=typed).exclude(pk=locked.pk).first()
        if typed and other is not None:
            raise ValidationError(
                f"项目编码「{typed}」已用于{locked.department.name}的项目「{other.name}」，同一主管部门内项目编码不能重复。"
            )
        before = locked.code
        locked.code = typed
        locked.save(update_fields=["code"])
        record(
            ctx,
            AuditEvent.Type.UPDATE,
            obj=locked,
            organization=locked.unit,
            detail={"before": {"code": before}, "after": {"code": typed}},
        )
        return locked


def create_declaration(
    ctx: Context,
    unit: Organization,
    name: str,
    year: int,
    data: dict[str, Any],
    indicators: Sequence[IndicatorInput],
    *,
    carried_from: Declaration | None = None,
) -> Declaration:
    """A new draft declaration of the unit's project for ``year``; only the unit's own staff may create it.

    ``carried_from`` names the earlier declaration its content was copied from (:func:`carry_forward`),
    kept in the audit event.
    """
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
            detail={"after": snapshot(decl, DECLARATION_FIELDS), "indicators": len(indicators)}
            | ({"carried_from": {"declaration": carried_from.pk, "year": carried_from.year}} if carried_from else {}),
        )
        return decl


# What a carried-forward declaration takes from last year's approved one (decision 0022): the header that
# describes the project and the indicator tree with its targets and weights. Not the money (this year's
# request), the dates (this year's plan), the state, findings, source file or review history.
CARRIED_FIELDS = ("nature", "category", "money_unit", "overall_goal", "goal")


def carry_forward(ctx: Context, unit: Organization, name: str, year: int) -> Declaration:
    """A new draft declaration for ``year`` started from the project's last approved one (从上年结转).

    The unit's own project of this name must have an approved or published declaration of an earlier
    year; the copy is written by :func:`create_declaration` (the same checks, lock and audit event).
    """
    project = Project.objects.filter(unit=unit, name=name).first()
    prior = prior_declaration(project.pk, year) if project is not None else None
    if prior is None:
        raise ValidationError(f"「{name}」没有{year}年度以前已批复的绩效目标申报表，无法从上年结转。")
    if prior.kind != Declaration.Kind.PROJECT:
        raise ValidationError("转移支付的绩效目标由上级下达，不从上年结转。")
    data = {k: getattr(prior, k) for k in CARRIED_FIELDS}
    rows = [IndicatorInput(i.level1, i.level2, i.name, i.target, i.weight) for i in prior.indicators.all()]
    return create_declaration(ctx, unit, name, year, data, rows, carried_from=prior)


def _replace_indicators(decl: Declaration, indicators: Sequence[IndicatorInput]) -> None:
    """Make the declaration's rows these, changing only what changed (history then holds the edit, not a copy).

    A row typed as it was stored keeps its row (found by its levels and name, else by its place), so
    saving an unchanged form writes nothing and an edit of one cell writes that row alone; rows added
    are created, rows taken away deleted.
    """
    wanted = [
        {
            "level1": row.level1.strip(),
            "level2": row.level2.strip(),
            "name": row.name.strip(),
            "target": row.target.strip(),
            "weight": row.weight,
        }
        for row in indicators
    ]
    old = list(decl.indicators.all())
    kept = _pair_rows(old, wanted)
    keeping = {r.pk for r in kept.values()}
    for row in old:
        if row.pk not in keeping:
            row.delete()
    for position, values in enumerate(wanted, start=1):
        existing = kept.get(position - 1)
        if existing is None:
            DeclarationIndicator.objects.create(declaration=decl, position=position, **values)
            continue
        changed: dict[str, object] = {k: v for k, v in values.items() if getattr(existing, k) != v}
        if existing.position != position:
            changed["position"] = position
        if changed:
            for key, value in changed.items():
                setattr(existing, key, value)
            existing.save()


def _pair_rows(
    old: Sequence[DeclarationIndicator], wanted: Sequence[dict[str, Any]]
) -> dict[int, DeclarationIndicator]:
    """Which stored row each wanted row (by index) keeps: the same levels and name first, then the same place."""
    free = list(old)
    kept: dict[int, DeclarationIndicator] = {}
    for n, values in enumerate(wanted):
        same = next(
            (r for r in free if (r.level1, r.level2, r.name) == (values["level1"], values["level2"], values["name"])),
            None,
        )
        if same is not None:
            kept[n] = same
            free.remove(same)
    # a renamed row keeps the stored row at its place, if that row was not kept by name
    by_position = {r.position: r for r in free}
    for n in range(len(wanted)):
        if n not in kept and (n + 1) in by_position:
            kept[n] = by_position.pop(n + 1)
    return kept


@audited_conflicts
def update_declaration(
    ctx: Context,
    decl: Declaration,
    expected_version: int,
    data: dict[str, Any],
    indicators: Sequence[IndicatorInput],
) -> Declaration:
    """Save an edit of a draft or returned declaration; a stale version raises :class:`ConflictError`."""
    edit = Edit[Declaration](
        fields=DECLARATION_FIELDS,
        rows_key="indicators",
        read_rows=indicator_rows,
        posted_rows=[{f: plain(getattr(r, f)) for f in INDICATOR_FIELDS} for r in indicators],
        write_rows=lambda locked: _replace_indicators(locked, indicators),
        parent="project",
    )
    return save_edit(ctx, Declaration, decl, expected_version, data, edit)


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
        column = DeclarationIndicator._meta.get_field("target")
        assert isinstance(column, models.CharField) and column.max_length is not None  # a text column, with its length
        if len(typed) > column.max_length:
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
    with transaction.atomic():
        lock_unit_of(decl)
        locked = Declaration.objects.select_for_update().get(pk=decl.pk)
        permit(ctx.user, locked, Action.ADJUST)
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
                organization=unit_of(locked),
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
