"""The organization tree is kept by the system administrator, every change audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jixiao.core.workflow import Role
from jixiao.web.access import role_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.orgs.models import Organization

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
