"""Self-evaluations: started from an approved declaration (its indicators copied, never retyped), and edited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jixiao.core.workflow import Role, is_frozen
from jixiao.web.access import account_of, ensure_visible
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Declaration, EvaluationIndicator, SelfEvaluation
from jixiao.web.cycle.packs import pack_for_unit
from jixiao.web.cycle.services.common import (
    EVALUATION_FIELDS,
    EVALUATION_ROW_FIELDS,
    EvaluationRowInput,
    audited_conflicts,
    evaluation_rows,
    lock_unit_of,
    plain,
    unit_of,
)
from jixiao.web.cycle.services.editing import Edit, save_edit
from jixiao.web.cycle.services.findings import refresh_findings


def create_evaluation(ctx: Context, decl: Declaration) -> SelfEvaluation:
    """The self-evaluation of an approved declaration, with its indicators copied, never retyped."""
    ensure_visible(ctx.user, decl)
    account = account_of(ctx.user)
    if account is None or account.role_enum is not Role.UNIT_STAFF:
        raise PermissionDenied("只有单位填报人员可以开始绩效自评。")
    with transaction.atomic():
        lock_unit_of(decl)
        locked = Declaration.objects.select_for_update().get(pk=decl.pk)
        if not is_frozen(locked.state):
            raise ValidationError("绩效目标经财政批复后才能开始自评。")
        if SelfEvaluation.objects.filter(declaration=locked).exists():
            return locked.evaluation
        ev = SelfEvaluation.objects.create(
            declaration=locked, money_unit=locked.money_unit, rule_pack=pack_for_unit(unit_of(locked), locked.year)
        )
        # each 实际完成值 starts from the last approved monitoring form's 全年预计完成值, if there is one
        from jixiao.web.monitoring.history import last_approved  # monitoring builds on the cycle, not the reverse

        basis = last_approved(locked)
        forecasts = basis.forecasts if basis is not None else {}
        for indicator in locked.indicators.all():
            EvaluationIndicator.objects.create(
                evaluation=ev, indicator=indicator, actual=forecasts.get(indicator.pk, "")
            )
        refresh_findings(ev)
        detail = {"from_declaration": locked.pk} | ({"from_monitoring": basis.record.pk} if basis else {})
        record(ctx, AuditEvent.Type.CREATE, obj=ev, organization=unit_of(ev), detail=detail)
        return ev


@audited_conflicts
def update_evaluation(
    ctx: Context,
    ev: SelfEvaluation,
    expected_version: int,
    data: dict[str, Any],
    rows: Sequence[EvaluationRowInput],
) -> SelfEvaluation:
    """Save an edit of a draft or returned self-evaluation; a stale version raises :class:`ConflictError`."""

    def write(locked: SelfEvaluation) -> None:
        existing = {r.indicator_id: r for r in locked.indicators.all()}
        for row in rows:
            target = existing.get(row.indicator_id)
            if target is None:
                raise ValidationError("自评表只能填写已批复的指标。")  # rows are never added here
            changed = [f for f in EVALUATION_ROW_FIELDS if getattr(target, f) != getattr(row, f)]
            for f in changed:
                setattr(target, f, getattr(row, f))
            if changed:  # an untouched row keeps its history as it is
                target.save()

    posted = [{"indicator": r.indicator_id} | {f: plain(getattr(r, f)) for f in EVALUATION_ROW_FIELDS} for r in rows]
    edit = Edit[SelfEvaluation](EVALUATION_FIELDS, "rows", evaluation_rows, posted, write, parent="declaration")
    return save_edit(ctx, SelfEvaluation, ev, expected_version, data, edit)
