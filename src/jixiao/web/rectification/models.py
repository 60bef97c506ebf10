"""整改事项: an item a reviewer opens on a project for its unit to fix, with its steps and evidence files.

An item follows a review finding of a self-evaluation or declaration (its words copied when opened:
findings are refreshed on every save), a low result the rule pack proposes (``[rectification]``), a
monitoring action, or nothing (by hand). The unit answers with text and files; the reviewer accepts
it, reopens it with a reason, or cancels it with a reason. Only
:mod:`jixiao.web.rectification.services` writes these.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from jixiao.web.cycle.models import Declaration, Project, SelfEvaluation
from jixiao.web.monitoring.models import MonitoringAction
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from jixiao.web.access import Person


class ItemQuerySet(models.QuerySet["Rectification"]):
    """Items, scoped by who is asking: those of the projects the person may see (the public: none)."""

    def visible_to(self, user: Person) -> ItemQuerySet:
        from jixiao.web.rectification.access import item_scope

        return self.filter(item_scope(user))

    def overdue(self, today: date) -> ItemQuerySet:
        """Still with the unit (open or reopened) and past their due date."""
        return self.filter(state__in=Rectification.PENDING, due__lt=today)


class Rectification(models.Model):
    """One 整改事项: owner unit, project and year, what to fix, by when, and how it stands."""

    class Source(models.TextChoices):
        FINDING = "finding", "审核发现"
        SCORE = "score", "评价得分偏低"
        MONITORING = "monitoring", "运行监控整改"
        MANUAL = "manual", "审核人员提出"

    class State(models.TextChoices):
        OPEN = "open", "待整改"
        SUBMITTED = "submitted", "已提交待验收"
        ACCEPTED = "accepted", "已验收"
        REOPENED = "reopened", "已退回重改"
        CANCELLED = "cancelled", "已撤销"

    PENDING = (State.OPEN, State.REOPENED)  # what the unit still has to do
    OPEN_STATES = (State.OPEN, State.SUBMITTED, State.REOPENED)  # not yet closed either way
    CLOSED_STATES = (State.ACCEPTED, State.CANCELLED)

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="rectifications")
    # copied from the project when opened, for scoping and the per-department counts (as Project does)
    unit = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organization, verbose_name="主管部门", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    declaration = models.ForeignKey(
        Declaration, verbose_name="绩效目标", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evaluation = models.ForeignKey(
        SelfEvaluation, verbose_name="绩效自评", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    monitoring_action = models.ForeignKey(
        MonitoringAction, verbose_name="监控整改事项", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    # what it follows as it read when opened: a finding's code and sentence, or the rule's reason
    source_code = models.CharField("来源代码", max_length=60, blank=True)
    source_text = models.TextField("问题", blank=True)
    task = models.TextField("整改要求")
    due = models.DateField("整改期限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField("整改情况", blank=True)
    reason = models.TextField("退回或撤销理由", blank=True)
    raised_in = models.ForeignKey(
        Organization, verbose_name="提出单位", on_delete=models.PROTECT, related_name="raised_rectifications"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    history = HistoricalRecords()

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["state", "due"], name="rectification_due"),
            models.Index(fields=["project", "state"], name="rectification_project"),
        ]

    def __str__(self) -> str:
        return f"{self.project.name}（{self.year}年度整改）"

    @property
    def pending(self) -> bool:
        """True while the unit still has to answer (open or reopened)."""
        return self.state in self.PENDING

    def overdue_on(self, today: date) -> bool:
        """True when still with the unit after its due date."""
        return self.pending and self.due < today


class RectificationStep(models.Model):
    """One step of an item (提出, 提交整改情况, 验收, 退回, 撤销), with its text."""

    class Step(models.TextChoices):
        OPEN = "open", "提出"
        SUBMIT = "submit", "提交整改情况"
        ACCEPT = "accept", "验收通过"
        REOPEN = "reopen", "退回重改"
        CANCEL = "cancel", "撤销"

    item = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("操作", max_length=10, choices=Step.choices)
    old_state = models.CharField("原状态", max_length=10, choices=Rectification.State.choices, blank=True)
    new_state = models.CharField("新状态", max_length=10, choices=Rectification.State.choices)
    comment = models.TextField("说明", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "整改办理记录"
        verbose_name_plural = "整改办理记录"
        ordering = ["at", "id"]


def _stored_path(instance: RectificationFile, filename: str) -> str:
    """Stored under a generated name (the uploaded name is kept in the database only)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"rectification/{instance.sha256[:2]}/{uuid.uuid4().hex}{suffix}"


class RectificationFile(models.Model):
    """A file the unit submitted as evidence of its rectification (PDF, an image or an Office document), private."""

    item = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="files")
    step = models.ForeignKey(RectificationStep, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    stored = models.FileField("存储位置", upload_to=_stored_path, max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
