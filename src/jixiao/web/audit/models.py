"""The audit log: one append-only table; the database itself refuses UPDATE, DELETE and TRUNCATE on it.

Each event is also sealed into a hash chain (:mod:`jixiao.web.audit.chain`):
``seq``, ``prev_digest`` and ``digest`` are written once, right after the
event, and are the only columns the database lets change, and only from empty.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did what, when, from where, to which object, with what result."""

    class Type(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "账户锁定"
        LOGOUT = "logout", "退出"
        DENIED = "denied", "拒绝访问"
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        SUBMIT = "submit", "提交"
        RETURN = "return", "退回"
        APPROVE = "approve", "审核通过"
        PUBLISH = "publish", "公开"
        ADJUST = "adjust", "调整"
        CONFLICT = "conflict", "编辑冲突"
        IMPORT = "import", "导入"
        EXPORT = "export", "导出"
        ROLE_CHANGE = "role_change", "角色变更"
        PASSWORD_CHANGE = "password_change", "密码变更"
        SETTINGS_CHANGE = "settings_change", "设置变更"

    at = models.DateTimeField("时间（UTC）", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    event = models.CharField("事件", max_length=30, choices=Type.choices, db_index=True)
    success = models.BooleanField("成功", default=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request_id = models.CharField("请求编号", max_length=40, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    # The hash chain: empty until the event is sealed (at once on SQLite, just after the commit on PostgreSQL).
    seq = models.BigIntegerField("链序号", null=True, blank=True, editable=False)
    prev_digest = models.CharField("前一条摘要", max_length=64, null=True, blank=True, editable=False)
    digest = models.CharField("摘要（SHA-256）", max_length=64, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # the address throttle counts an address's recent failures before every sign-in and token call
            models.Index(fields=["ip", "at"], name="audit_ip_at_idx"),
            # the sealer finds the few events not yet chained without reading the whole log
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"),
        ]
        constraints = [
            # partial, so that SQLite adds it as an index rather than rebuilding the table (and its triggers)
            models.UniqueConstraint(fields=["seq"], condition=models.Q(seq__isnull=False), name="audit_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_event_display()}"
