"""Accounts and roles: the system administrator creates people, the security administrator grants roles.

三员分立: the system, security and audit administrators hold separate
powers, and a person holds one role only. Every change is audited in the
same transaction.
"""

from __future__ import annotations

import secrets
import string
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, Sum
from django.utils import timezone

from jixiao.core.workflow import ADMIN_ROLES, Role
from jixiao.web.access import role_of
from jixiao.web.accounts.models import Account, TemporaryPassword
from jixiao.web.api.models import ApiToken
from jixiao.web.api.services import end_tokens
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.orgs.models import Organization


def _require(ctx: Context, role: Role) -> None:
    if role_of(ctx.user) is not role:
        raise PermissionDenied(f"只有{role.label}可以执行该操作。")


def temporary_password() -> str:
    """A random first password that meets the password rules; shown once, changed at first use."""
    alphabet = string.ascii_letters + string.digits
    return "Jx-" + "".join(secrets.choice(alphabet) for _ in range(12)) + "7a"


def _check_username(model: type[User], username: str) -> None:
    """The user name rules of the login (Django's): what the form would refuse, said in Chinese."""
    if not username:
        raise ValidationError("请填写用户名。")
    field = model._meta.get_field(model.USERNAME_FIELD)
    limit = field.max_length if isinstance(field, Field) else None  # a relation has no length: never the login
    if limit and len(username) > limit:
        raise ValidationError(f"用户名最多 {limit} 个字符。")
    try:
        model.username_validator(username)
    except ValidationError:
        raise ValidationError("用户名只能包含字母、数字和 @ . + - _ 这几个符号，不能有空格。") from None


def _new_person(ctx: Context, username: str, display_name: str) -> tuple[User, str]:
    """A person with a temporary first password (inside the caller's transaction); audited as a creation."""
    username = username.strip()
    model = get_user_model()
    _check_username(model, username)
    if model.objects.filter(username=username).exists():
        raise ValidationError(f"用户名「{username}」已被使用。")
    password = temporary_password()
    user = model.objects.create_user(username=username, password=password)
    user.first_name = display_name.strip()[:150]
    user.save()
    TemporaryPassword.objects.create(user=user)
    record(ctx, AuditEvent.Type.CREATE, obj=user, detail={"username": username, "display_name": display_name})
    return user, password


def create_user(ctx: Context, username: str, display_name: str) -> tuple[User, str]:
    """A new person without a role (the security administrator grants it); returns the first password.

    The first password is temporary: the person must change it at their first sign-in.
    """
    _require(ctx, Role.SYSTEM_ADMIN)
    with transaction.atomic():
        return _new_person(ctx, username, display_name)


def create_administrator(ctx: Context, username: str, role: Role, display_name: str = "") -> tuple[User, str]:
    """One of the three administrators, made at the command line when the system is set up; returns the password.

    The operator who runs it learns the first password, so it is temporary, as the system
    administrator's are: the administrator must set their own at the first sign-in.
    """
    if role not in ADMIN_ROLES:
        raise ValidationError("这里只能添加系统管理员、安全管理员或审计管理员；业务人员由系统管理员在页面上添加。")
    with transaction.atomic():
        user, password = _new_person(ctx, username, display_name)
        Account.objects.create(user=user, role=role.value, display_name=user.first_name)
        after = {"role": role.value, "organization": None}
        record(
            ctx,
            AuditEvent.Type.ROLE_CHANGE,
            obj=user,
            detail={"before": {"role": None, "organization": None}, "after": after},
        )
        return user, password


def set_active(ctx: Context, user: User, active: bool) -> None:
    """Disable or re-enable a person's login; disabling ends their API tokens for good."""
    _require(ctx, Role.SYSTEM_ADMIN)
    if user.pk == getattr(ctx.user, "pk", None):
        raise ValidationError("不能停用自己的账户。")
    with transaction.atomic():
        user.is_active = active
        user.save()
        record(ctx, AuditEvent.Type.SETTINGS_CHANGE, obj=user, detail={"is_active": active})
        if not active:
            end_tokens(ctx, user, ApiToken.Ended.DEACTIVATED)


def reset_password(ctx: Context, user: User) -> str:
    """A new temporary password for a person who lost theirs; returns it (shown once).

    The person must change it at their next sign-in; their open sessions end (the password they
    belong to is gone) and so do their API tokens.
    """
    _require(ctx, Role.SYSTEM_ADMIN)
    if user.pk == getattr(ctx.user, "pk", None):
        # one's own password is changed on the password page, which asks for the current one
        raise ValidationError("不能在这里重置自己的密码，请在“修改密码”页面修改。")
    with transaction.atomic():
        password = temporary_password()
        user.set_password(password)
        user.save()
        TemporaryPassword.objects.update_or_create(user=user)
        ended = end_tokens(ctx, user, ApiToken.Ended.PASSWORD)
        record(
            ctx,
            AuditEvent.Type.PASSWORD_CHANGE,
            obj=user,
            detail={"by": "administrator", "temporary": True, "api_access_ended": ended},
        )
        return password


def change_own_password(ctx: Context, new_password: str) -> None:
    """The signed-in person sets their own password (already validated); a temporary one is gone with it.

    Their API tokens end: whoever took the old password must not keep a way in.
    """
    user = ctx.user
    if user is None:
        raise PermissionDenied("请先登录。")
    with transaction.atomic():
        was_temporary, _ = TemporaryPassword.objects.filter(user=user).delete()
        user.set_password(new_password)
        user.save()
        ended = end_tokens(ctx, user, ApiToken.Ended.PASSWORD)
        record(
            ctx,
            AuditEvent.Type.PASSWORD_CHANGE,
            obj=user,
            detail={
                "by": "self",
                "temporary": False,
                "replaced_temporary": bool(was_temporary),
                "api_access_ended": ended,
            },
        )


def grant_role(ctx: Context, user: User, role: Role, organization: Organization | None) -> Account:
    """Give a person their one role (and where); a security administrator never changes their own."""
    _require(ctx, Role.SECURITY_ADMIN)
    if user.pk == getattr(ctx.user, "pk", None):
        raise ValidationError("安全管理员不能修改自己的角色。")
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(user=user).first()
        before = (account.role, account.organization_id) if account else (None, None)
        if account is None:
            account = Account(user=user)
        account.role = role.value
        account.organization = None if role in ADMIN_ROLES or role is Role.EXPERT else organization
        account.display_name = account.display_name or user.first_name
        account.full_clean()
        account.save()
        record(
            ctx,
            AuditEvent.Type.ROLE_CHANGE,
            obj=user,
            organization=account.organization,
            detail={
                "before": {"role": before[0], "organization": before[1]},
                "after": {"role": role.value, "organization": account.organization_id},
            },
        )
        return account


def locked_usernames() -> set[str]:
    """The people locked out now (at one address or more): what the security administrator may unlock."""
    since = timezone.now() - (get_cool_off() or timedelta(0))
    # failures add up per account and address, or per account alone when that is how accounts lock
    key = ("username",) if settings.AXES_LOCKOUT_PARAMETERS == ["username"] else ("username", "ip_address")
    locks = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values(*key)
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {lock["username"] for lock in locks if lock["username"]}


def unlock(ctx: Context, user: User) -> list[str]:
    """Lift every login lockout of a person, at whatever address, before its 15 minutes are over.

    Returns the addresses the person was locked or failing at (empty when there was nothing to lift).
    """
    _require(ctx, Role.SECURITY_ADMIN)
    username = user.get_username()
    with transaction.atomic():
        attempts = AccessAttempt.objects.filter(username=username)
        addresses = sorted({ip for ip in attempts.values_list("ip_address", flat=True) if ip})
        failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        axes_reset(username=username)
        record(
            ctx,
            AuditEvent.Type.SETTINGS_CHANGE,
            obj=user,
            detail={"unlocked": True, "addresses": addresses, "failures": failures},
        )
        return addresses
