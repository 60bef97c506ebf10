"""Writes of the API app, each in one transaction with its audit event: tokens, and documents loaded as records.

A token is shown once, when it is made; the database keeps only its
SHA-256, so a copy of the database authenticates no one. A document posted
to the API is read and checked whole before anything is written, then
loaded through :func:`jixiao.web.cycle.services.loading.load_document` — the same
loader as the command line — and refused as a whole if any of its projects
falls outside what the caller may import.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from jixiao.core.model import Document, Kind
from jixiao.core.workflow import BUSINESS_ROLES, Role
from jixiao.web.access import account_of
from jixiao.web.accounts import throttle
from jixiao.web.accounts.models import must_change_password
from jixiao.web.api.models import ApiToken
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.intake import read_document
from jixiao.web.cycle.models import Declaration
from jixiao.web.cycle.services.loading import load_document
from jixiao.web.orgs.models import Organization

TOKEN_PREFIX = "jx_"
MAX_ACTIVE_TOKENS = 10
# last use is bookkeeping: one write a minute per token is enough to tell a live token from a dead one
LAST_USED_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(ctx: Context, name: str) -> tuple[ApiToken, str]:
    """A new token of the acting person; returns the record and the token itself, which is never shown again."""
    account = account_of(ctx.user)
    # no person, no account: the same refusal (ctx.user is tested again only so the checker knows it is set)
    if ctx.user is None or account is None or account.role_enum not in BUSINESS_ROLES:
        raise PermissionDenied("管理员账户不能通过接口访问业务数据，无需访问令牌。")
    name = name.strip()
    if not name:
        raise ValidationError("请为令牌起一个名称，说明哪个程序使用它。")
    column = ApiToken._meta.get_field("name")
    assert isinstance(column, models.CharField) and column.max_length is not None  # a text column, with its length
    if len(name) > column.max_length:
        raise ValidationError("令牌名称最多 60 个字。")
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(
            user=ctx.user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        if len(active) >= MAX_ACTIVE_TOKENS:
            raise ValidationError(f"每人最多保留 {MAX_ACTIVE_TOKENS} 个有效令牌，请先撤销不再使用的令牌。")
        plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=settings.JIXIAO_TOKEN_DAYS)
        token = ApiToken.objects.create(user=ctx.user, name=name, token_hash=hash_token(plain), expires_at=expires)
        record(
            ctx,
            AuditEvent.Type.CREATE,
            obj=token,
            organization=account.organization,
            detail={"name": name, "expires_at": expires.isoformat()},
        )
        return token, plain


def revoke_token(ctx: Context, token_id: int) -> ApiToken:
    """Revoke one of the acting person's tokens (revoking twice changes nothing); another's is not found."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=ctx.user).first()
        if token is None:
            raise ApiToken.DoesNotExist("没有找到该令牌。")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_reason = ApiToken.Ended.OWNER
            token.save(update_fields=["revoked_at", "revoked_reason"])
            account = account_of(ctx.user)
            record(
                ctx,
                AuditEvent.Type.UPDATE,
                obj=token,
                organization=account.organization if account else None,
                detail={"name": token.name, "revoked": True},
            )
        return token


def end_tokens(ctx: Context, user: User, reason: ApiToken.Ended) -> int:
    """Revoke every active token of ``user`` (their password changed, their account was disabled); audited.

    Call it inside the transaction of that change. Returns how many tokens ended.
    """
    now = timezone.now()
    account = account_of(user)
    ended = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in ended:
        token.revoked_at, token.revoked_reason = now, reason
        token.save(update_fields=["revoked_at", "revoked_reason"])
        record(
            ctx,
            AuditEvent.Type.UPDATE,
            obj=token,
            organization=account.organization if account else None,
            detail={"name": token.name, "revoked": True, "reason": reason.value, "owner": user.get_username()},
        )
    return len(ended)


@dataclass(frozen=True)
class TokenCheck:
    """Whom a presented token authenticates, or why it does not (and whose it was, when it is known)."""

    user: User | None
    refusal: str = ""  # malformed | unknown | revoked | expired | inactive | password_change_required
    token: ApiToken | None = None


def check_token(token: str) -> TokenCheck:
    """Check a presented token: its person when it is valid now, else the reason it is refused."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100 or not token.isascii():
        return TokenCheck(None, "malformed")
    found = (
        ApiToken.objects.select_related("user", "user__temporary_password").filter(token_hash=hash_token(token)).first()
    )
    if found is None:
        return TokenCheck(None, "unknown")
    now = timezone.now()
    refusal = (
        "revoked"
        if found.revoked_at is not None
        else "expired"
        if found.expires_at <= now
        else "inactive"
        if not found.user.is_active
        else "password_change_required"
        if must_change_password(found.user)
        else ""
    )
    if refusal:
        return TokenCheck(None, refusal, found)
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return TokenCheck(found.user, token=found)


def user_for_token(token: str) -> User | None:
    """The active person a token belongs to, or None for an unknown, revoked, expired or malformed token."""
    return check_token(token).user


def token_refused(request: HttpRequest, check: TokenCheck) -> None:
    """Audit a refused token (never the token itself) and count it towards the address throttle."""
    owner = check.token.user if check.token is not None else None
    account = account_of(owner) if owner is not None else None
    record(
        Context.of(request),
        AuditEvent.Type.LOGIN_FAILED,
        obj=check.token,
        success=False,
        username=owner.get_username() if owner is not None else "",
        organization=account.organization if account else None,
        detail={"via": "api", "reason": check.refusal, "path": request.path[:200]},
    )
    throttle.after_failure(request)


# -- documents ------------------------------------------------------------------------------------


class DuplicateDocument(Exception):
    """The same file (same SHA-256) was imported before; importing it again would duplicate its records."""


@dataclass(frozen=True)
class Imported:
    """What an import created, by id."""

    declarations: list[int]
    evaluations: list[int]
    organizations: list[int]
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the result."""
        return {
            "declarations": self.declarations,
            "evaluations": self.evaluations,
            "organizations": self.organizations,
            "sha256": self.sha256,
        }


def import_document(ctx: Context, body: bytes, *, source: str = "", create_units: bool = False) -> Imported:
    """Load a posted document JSON as draft records, all or nothing, audited as an import.

    The finance bureau may import for any department and, with
    ``create_units``, create the departments and units the document names;
    a department reviewer imports declarations for their own department's
    units only. Self-evaluations are finance-bureau work: loading one also
    loads its declaration as approved, which only the bureau may decide.
    """
    account = account_of(ctx.user)
    role = account.role_enum if account is not None else None
    if role not in (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER):
        raise PermissionDenied("只有财政审核人员和主管部门审核人员可以导入文档。")
    if create_units and role is not Role.FINANCE_REVIEWER:
        raise PermissionDenied("只有财政审核人员可以在导入时新建部门和单位。")
    document = read_document(body)
    if role is Role.DEPT_REVIEWER and document.kind is not Kind.TARGET_DECLARATION:
        raise PermissionDenied("导入自评表会同时建立已批复的绩效目标，只有财政审核人员可以导入自评表。")
    assert account is not None  # the role check above needs an account
    if role is Role.DEPT_REVIEWER:
        # before anything is looked up: whether another department's unit, project or draft exists must not
        # change the answer (a 422 「已有…记录」 against a 403 told a draft apart from a name that does not exist)
        _own_department_only(document, account.organization)
    digest = hashlib.sha256(body).hexdigest()
    if Declaration.objects.filter(sha256=digest).exists():
        raise DuplicateDocument("同一文件（SHA-256 相同）已经导入过，未重复导入。")
    bureau = _bureau(account.organization)
    try:
        with transaction.atomic():
            result = load_document(ctx, document, bureau=bureau, source=(source, digest), create_orgs=create_units)
            if role is Role.DEPT_REVIEWER:
                for decl in result.declarations:
                    if decl.project.department_id != account.organization_id:
                        raise PermissionDenied(
                            f"「{decl.project.unit.name}」不属于本部门，主管部门只能导入本部门所属单位的项目。"
                        )
            for org in result.organizations:
                record(
                    ctx,
                    AuditEvent.Type.CREATE,
                    obj=org,
                    organization=org,
                    detail={"name": org.name, "kind": org.kind, "by": "import"},
                )
    except DataError as exc:
        # intake checks what the columns hold; this is the last line, so that a database refusal is a 422
        raise ValidationError("数据库拒绝了该文档中的数值或文字，请检查长度和位数。") from exc
    except IntegrityError as exc:
        # another import of the same projects committed first
        raise DuplicateDocument("文档中的项目已由另一次导入同时建立，未重复导入。") from exc
    return Imported(
        declarations=[d.pk for d in result.declarations],
        evaluations=[e.pk for e in result.evaluations],
        organizations=[o.pk for o in result.organizations],
        sha256=digest,
    )


def _own_department_only(document: Document, department: Organization | None) -> None:
    """Refuse, by the names in the document alone, any project a department reviewer may not import."""
    own = department.name if department is not None else None
    for project in document.projects:
        if project.department != own:
            named = project.department or "未注明"
            raise PermissionDenied(f"文档中的主管部门「{named}」不属于本部门，主管部门只能导入本部门所属单位的项目。")


def _bureau(organization: Organization | None) -> Organization:
    node = organization
    while node is not None and node.kind != Organization.Kind.BUREAU:
        node = node.parent
    if node is not None:
        return node
    bureau = Organization.objects.filter(kind=Organization.Kind.BUREAU).order_by("pk").first()
    if bureau is None:
        raise ValidationError("组织机构中还没有财政部门，无法导入。")
    return bureau
