"""Deadlines of the cycle's stages and the notices a person receives.

A deadline is a due date for one year and one stage (申报, 监控, 自评), set
by the finance bureau for every department or for one, or by a department
for all its units or for one of them (never later than the bureau's): see
:mod:`jixiao.web.notices.deadlines` for which date a record follows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from jixiao.web.orgs.models import Organization


class Stage(models.TextChoices):
    """The stages of the year that have a due date."""

    DECLARATION = "declaration", "申报"
    MONITORING = "monitoring", "监控"
    SELF_EVALUATION = "self_evaluation", "自评"


class Deadline(models.Model):
    """The due date of a stage of ``year``, for everyone or for one department or unit.

    ``level`` says who set it: the finance bureau (``department`` empty for all departments) or a
    department (``department`` its own; ``unit`` empty for all its units, else one of them).
    """

    class Level(models.TextChoices):
        BUREAU = "bureau", "财政部门"
        DEPARTMENT = "department", "主管部门"

    year = models.PositiveSmallIntegerField("年度")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    level = models.CharField("设定层级", max_length=20, choices=Level.choices)
    department = models.ForeignKey(
        Organization, verbose_name="主管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Organization, verbose_name="实施单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField("截止日期")
    note = models.CharField("说明", max_length=500, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设定人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField("设定时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "截止日期"
        verbose_name_plural = "截止日期"
        ordering = ["-year", "stage", "level", "department__name", "unit__name"]
        constraints = [
            # one date per scope; three partial constraints because NULLs are distinct in a plain one
            models.UniqueConstraint(
                fields=["year", "stage", "level"],
                condition=Q(department__isnull=True, unit__isnull=True),
                name="deadline_once_for_all",
            ),
            models.UniqueConstraint(
                fields=["year", "stage", "level", "department"],
                condition=Q(department__isnull=False, unit__isnull=True),
                name="deadline_once_per_department",
            ),
            models.UniqueConstraint(
                fields=["year", "stage", "level", "unit"],
                condition=Q(unit__isnull=False),
                name="deadline_once_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度{self.get_stage_display()}截止日期 {self.due:%Y-%m-%d}（{self.scope_name}）"

    @property
    def scope_name(self) -> str:
        """Whom the date binds, as a sentence part: 全部主管部门, a department's name, or a unit's."""
        if self.unit is not None:
            return self.unit.name
        if self.department is not None:
            return f"{self.department.name}（全部所属单位）"
        return "全部主管部门"


class Notice(models.Model):
    """A message to one person: what happened, where to look; read or not."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "新任务"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已审核通过"
        OVERDUE = "overdue", "已逾期"
        ALERT = "alert", "预警"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    text = models.TextField("内容")
    link = models.CharField("链接", max_length=300, blank=True)
    created = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    # a reminder's identity (record and day): the same reminder is never given twice
    key = models.CharField("去重键", max_length=120, blank=True)
    emailed = models.BooleanField("已发邮件", default=False)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created", "-id"]
        indexes = [
            # the header's count of unread notices, on every page
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notice_unread"),
            models.Index(fields=["recipient", "-created"], name="notice_inbox"),
            # a reminder run looks the day's reminders up by key
            models.Index(fields=["key"], condition=~Q(key=""), name="notice_key"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notice_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.text[:60]
