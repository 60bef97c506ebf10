"""The organization tree is kept by the system administrator, every change audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jixiao.core.scoring import PackError, available_packs, load_pack, pack_for_year
from jixiao.core.workflow import Role, State, is_frozen
from jixiao.web.access import role_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.orgs.models import Organization, RulePackChoice

# Which kind of node may sit under which.
PARENT_KIND = {
    Organization.Kind.DEPARTMENT: Organization.Kind.BUREAU,
    Organization.Kind.UNIT: Organization.Kind.DEPARTMENT,
}


def create_organization(ctx: Context, name: str, kind: str, parent: Organization | None) -> Organization:
    """Add a department under the bureau or a unit under a department."""
    if role_of(ctx.user) is not Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以维护组织机构。")
    name = name.strip()
    if not name:
        raise ValidationError("请填写单位名称。")
    kind_enum = Organization.Kind(kind)
    if kind_enum is Organization.Kind.BUREAU:
        if Organization.objects.filter(kind=kind_enum).exists():
            raise ValidationError("财政部门只有一个。")
        parent = None
    elif parent is None or parent.kind != PARENT_KIND[kind_enum]:
        raise ValidationError(f"{kind_enum.label}必须设在{PARENT_KIND[kind_enum].label}之下。")
    with transaction.atomic():
        if Organization.objects.filter(parent=parent, name=name).exists():
            raise ValidationError(f"「{name}」已经存在。")
        org = Organization.objects.create(name=name, kind=kind_enum, parent=parent)
        record(ctx, AuditEvent.Type.CREATE, obj=org, organization=org, detail={"name": name, "kind": kind})
        return org


# Records the finance bureau has not yet approved follow a new choice; approved ones keep the rules they were
# approved under (docs/decisions/0006-rule-pack-per-department.md).
UNAPPROVED = tuple(s.value for s in State if not is_frozen(s))
YEARS = (2000, 2100)  # the window of the forms' years


def choose_pack(ctx: Context, department: Organization, from_year: int, pack: str, reason: str) -> RulePackChoice:
    """From ``from_year`` on, score ``department``'s records by ``pack`` (the finance bureau's decision, audited).

    The pack must be shipped and cover ``from_year`` (``RulePack.applies_to``). The department's records of
    those years that are not yet approved move to the pack and are reviewed again at once.
    """
    from jixiao.web.cycle.models import Declaration, SelfEvaluation
    from jixiao.web.cycle.services import repack

    if role_of(ctx.user) is not Role.FINANCE_REVIEWER:
        raise PermissionDenied("评分规则包由财政部门设定。")
    if department.kind != Organization.Kind.DEPARTMENT:
        raise ValidationError("评分规则包按主管部门设定。")
    if not YEARS[0] <= from_year <= YEARS[1]:
        raise ValidationError(f"起始年度应在 {YEARS[0]} 到 {YEARS[1]} 之间。")
    if pack not in available_packs():
        raise ValidationError(f"没有名为 {pack} 的评分规则包（可用：{'、'.join(available_packs())}）。")
    try:
        pack_for_year(load_pack(pack), from_year)  # a pack scores only the years its official text governs
    except PackError as exc:
        raise ValidationError(exc.message) from exc
    with transaction.atomic():
        choice = RulePackChoice.objects.select_for_update().filter(department=department, from_year=from_year).first()
        before = choice.pack if choice else RulePackChoice.objects.pack_for(department.pk, from_year)
        if choice is None:
            choice = RulePackChoice(department=department, from_year=from_year)
        choice.pack, choice.reason, choice.set_by = pack, reason.strip()[:2000], ctx.user
        choice.save()
        later = (
            RulePackChoice.objects.filter(department=department, from_year__gt=from_year)
            .order_by("from_year")
            .values_list("from_year", flat=True)
            .first()
        )
        moved = 0
        for model, year_field in ((Declaration, "year"), (SelfEvaluation, "declaration__year")):
            records = model.objects.filter(
                **{"project__department" if model is Declaration else "declaration__project__department": department},
                **{f"{year_field}__gte": from_year},
                **({f"{year_field}__lt": later} if later else {}),
                state__in=UNAPPROVED,
            ).exclude(rule_pack=pack)
            for rec in records:
                repack(rec, RulePackChoice.objects.pack_for(department.pk, rec.year))
                moved += 1
        record(
            ctx,
            AuditEvent.Type.SETTINGS_CHANGE,
            obj=choice,
            organization=department,
            detail={
                "setting": "rule_pack",
                "department": department.name,
                "from_year": from_year,
                "until_year": later - 1 if later else None,
                "pack": pack,
                "before": before,
                "reason": choice.reason,
                "records_moved": moved,
            },
        )
        return choice
