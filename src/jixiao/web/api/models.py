"""Access tokens for programs that call the API; only a SHA-256 of each token is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A named bearer token of one person: shown once at creation, revocable, never stored in clear.

    It expires ``JIXIAO_TOKEN_DAYS`` after it is made, and ends for good when its owner's password
    changes (by them or by an administrator) or their account is disabled.
    """

    class Ended(models.TextChoices):
        """Why a token was revoked."""

        OWNER = "owner", "本人撤销"
        PASSWORD = "password", "密码已变更"
        DEACTIVATED = "deactivated", "账户已停用"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("名称", max_length=60)
    # hex SHA-256 of the token: a leaked database does not leak usable tokens
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=20, choices=Ended.choices, blank=True)

    class Meta:
        verbose_name = "访问令牌"
        verbose_name_plural = "访问令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def revoked(self) -> bool:
        """True once the token has been revoked (it then authenticates nobody)."""
        return self.revoked_at is not None
