"""A person's role and organization: one role per person, so no one holds two administrator roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from jixiao.core.workflow import ADMIN_ROLES, Role
from jixiao.web.orgs.models import Organization

ROLE_CHOICES = [(r.value, r.label) for r in Role]
# Which kind of organization each business role works in.
ROLE_ORG_KIND = {
    Role.UNIT_STAFF: (Organization.Kind.UNIT, Organization.Kind.DEPARTMENT),
    Role.DEPT_REVIEWER: (Organization.Kind.DEPARTMENT,),
    Role.FINANCE_REVIEWER: (Organization.Kind.BUREAU,),
}


class Account(models.Model):
    """The role a user holds and where; the three administrators (三员) hold no business role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField("角色", max_length=30, choices=ROLE_CHOICES)
    organization = models.ForeignKey(
        Organization, verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    display_name = models.CharField("姓名", max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.display_name or self.user.get_username()}（{Role(self.role).label}）"

    @property
    def role_enum(self) -> Role:
        """The role as the workflow table knows it."""
        return Role(self.role)

    def clean(self) -> None:
        """A business role needs an organization of the right kind; an administrator has none."""
        role = Role(self.role)
        if role in ADMIN_ROLES:
            if self.organization_id is not None:
                raise ValidationError({"organization": "管理员角色不隶属于任何业务单位。"})
            return
        if role is Role.EXPERT:
            # an expert's workplace is kept in the expert pool (assessments.Expert), not as an organization here
            if self.organization_id is not None:
                raise ValidationError({"organization": "评审专家不隶属于业务单位，其工作单位在专家库中登记。"})
            return
        if self.organization is None:
            raise ValidationError({"organization": f"{role.label}必须指定所在单位。"})
        if self.organization.kind not in ROLE_ORG_KIND[role]:
            raise ValidationError(
                {"organization": f"{role.label}只能设在{'或'.join(k.label for k in ROLE_ORG_KIND[role])}。"}
            )


class TemporaryPassword(models.Model):
    """A password someone else set (the system administrator, adding the person or resetting it).

    While it exists the person reaches only the change-password page: 三员分立 means the administrator
    who knows it must not be able to work as the account. Changing one's own password removes it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="temporary_password"
    )
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "临时密码"
        verbose_name_plural = "临时密码"

    def __str__(self) -> str:
        return f"{self.user_id} 的临时密码"


def must_change_password(user: User | AnonymousUser | None) -> bool:
    """Whether a signed-in person still holds a password an administrator set (read with the user: no query)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    try:
        return user.temporary_password is not None
    except TemporaryPassword.DoesNotExist:
        return False
