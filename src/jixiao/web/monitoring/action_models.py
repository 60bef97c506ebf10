"""What must follow a monitoring form's alerts (监控结果应用): tracked actions with their steps and evidence files.

A department reviewer or the finance bureau marks, on a form under review or approved, what must
follow an alert or an indicator row (财预〔2019〕136号 第十五条至第十七条, in the project's words in
docs/domain.md): 纠偏 by the unit, 调整绩效目标 through the declaration's recorded adjustment (调整),
or 调减或收回预算 proposed to the finance bureau. Each action has an owner who does it and submits
evidence, and is closed (or reopened with a comment) by the side that raised it, which may also
cancel it (撤销) with a reason while it is not closed. Only
:mod:`jixiao.web.monitoring.services.actions` writes these.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from jixiao.web.cycle.models import Adjustment
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRow
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from jixiao.web.access import Person


class ActionQuerySet(models.QuerySet["MonitoringAction"]):
    """Actions, scoped by who is asking: those on the monitoring forms the person may see."""

    def visible_to(self, user: Person) -> ActionQuerySet:
        from jixiao.web.access import monitoring_action_scope

        return self.filter(monitoring_action_scope(user))

    def overdue(self, today: date) -> ActionQuerySet:
        """Still to be done (open or reopened) and past their due date."""
        return self.filter(state__in=MonitoringAction.PENDING, due__lt=today)


class MonitoringAction(models.Model):
    """A tracked action on a monitoring form: what must be done, by whom, by when, and how it was done."""

    class Kind(models.TextChoices):
        CORRECT = "correct", "纠偏"
        ADJUST = "adjust", "调整绩效目标"
        REDUCE = "reduce", "调减或收回预算"

    class Owner(models.TextChoices):
        UNIT = "unit", "实施单位"
        FINANCE = "finance", "财政部门"

    class State(models.TextChoices):
        OPEN = "open", "待办理"
        SUBMITTED = "submitted", "已提交待确认"
        CLOSED = "closed", "已关闭"
        REOPENED = "reopened", "已重新打开"
        CANCELLED = "cancelled", "已撤销"

    class Decision(models.TextChoices):
        NONE = "", "—"
        ACCEPTED = "accepted", "同意调减或收回"
        REJECTED = "rejected", "不同意"

    PENDING = (State.OPEN, State.REOPENED)  # what the owner still has to do
    # withdrawn with a reason by the side that raised it (a wrong alert, a project stopped): done with, as closed
    CANCELLABLE = (State.OPEN, State.SUBMITTED, State.REOPENED)

    record = models.ForeignKey(
        MonitoringRecord, verbose_name="监控表", on_delete=models.PROTECT, related_name="follow_ups"
    )
    row = models.ForeignKey(
        MonitoringRow,
        verbose_name="指标",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        null=True,
        blank=True,
    )
    # the alert as it read when the action was raised: the form's findings are refreshed on every save
    alert_code = models.CharField("预警代码", max_length=60, blank=True)
    alert_message = models.TextField("预警内容", blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    owner = models.CharField("责任方", max_length=10, choices=Owner.choices)
    task = models.TextField("整改要求")
    due = models.DateField("完成期限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    # 调减或收回预算: the proposed amount in 元 (exact to the fen) and why; 调整绩效目标: the adjustment's reason
    amount = models.DecimalField("建议调减金额（元）", max_digits=18, decimal_places=2, null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    decision = models.CharField("财政意见", max_length=10, choices=Decision.choices, blank=True, default="")
    evidence = models.TextField("办理情况", blank=True)
    adjustments = models.ManyToManyField(Adjustment, verbose_name="目标调整", blank=True, related_name="+")
    raised_in = models.ForeignKey(
        Organization, verbose_name="提出单位", on_delete=models.PROTECT, related_name="raised_actions"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "监控整改事项"
        verbose_name_plural = "监控整改事项"
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["state", "due"], name="monitoring_action_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.record.project_name}"

    @property
    def pending(self) -> bool:
        """True while the owner still has to do it (open or reopened)."""
        return self.state in self.PENDING

    def overdue_on(self, today: date) -> bool:
        """True when still to be done after its due date."""
        return self.pending and self.due < today


class ActionStep(models.Model):
    """One step of an action (提出, 提交办理情况, 关闭, 重新打开, 撤销, 调整目标, 财政意见), with its comment."""

    class Step(models.TextChoices):
        RAISE = "raise", "提出"
        ADJUST = "adjust", "调整绩效目标"
        SUBMIT = "submit", "提交办理情况"
        CLOSE = "close", "确认关闭"
        REOPEN = "reopen", "重新打开"
        CANCEL = "cancel", "撤销"

    action = models.ForeignKey(MonitoringAction, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("操作", max_length=10, choices=Step.choices)
    old_state = models.CharField("原状态", max_length=10, choices=MonitoringAction.State.choices, blank=True)
    new_state = models.CharField("新状态", max_length=10, choices=MonitoringAction.State.choices)
    comment = models.TextField("说明", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "整改事项办理记录"
        verbose_name_plural = "整改事项办理记录"
        ordering = ["at", "id"]


def _evidence_path(instance: EvidenceFile, filename: str) -> str:
    """Stored under a generated name (the uploaded name is kept in the database only)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.sha256[:2]}/{uuid.uuid4().hex}{suffix}"


class EvidenceFile(models.Model):
    """A file submitted as evidence of an action (PDF, an image or an Office document), kept private."""

    action = models.ForeignKey(MonitoringAction, on_delete=models.CASCADE, related_name="files")
    step = models.ForeignKey(ActionStep, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    stored = models.FileField("存储位置", upload_to=_evidence_path, max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
