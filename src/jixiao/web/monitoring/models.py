"""Monitoring rounds and their records (项目支出绩效目标执行监控表), with their rows, review steps and findings.

A round is opened for a year, a monitoring date (截至监控日) and a due date, over chosen departments
or all of them; it holds one record per approved declaration in its scope, whose rows are the
approved indicators. A record goes through the same review states as the other records
(:mod:`jixiao.core.workflow`); only :mod:`jixiao.web.monitoring.services` writes any of these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from jixiao.core.model import LIKELIHOODS
from jixiao.core.scoring import DEFAULT_PACK
from jixiao.core.workflow import State
from jixiao.web.cycle.models import (
    DERIVED,
    MONEY_UNITS,
    STATE_CHOICES,
    Declaration,
    DeclarationIndicator,
    FindingColumns,
    ReviewStep,
    money_field,
)
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from jixiao.web.access import Person


class RoundQuerySet(models.QuerySet["MonitoringRound"]):
    """Rounds, scoped by who is asking (``access.round_scope``)."""

    def visible_to(self, user: Person) -> RoundQuerySet:
        from jixiao.web.access import round_scope

        return self.filter(round_scope(user)).distinct()


class MonitoringRound(models.Model):
    """A monitoring round (监控批次): the year, the monitoring date, the due date and the departments it covers."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    year = models.PositiveSmallIntegerField("年度")
    as_of = models.DateField("监控截止日期")
    due = models.DateField("填报截止日期")
    all_departments = models.BooleanField("全部主管部门", default=False)
    departments = models.ManyToManyField(Organization, verbose_name="主管部门", blank=True, related_name="+")
    opened_in = models.ForeignKey(
        Organization, verbose_name="发起单位", on_delete=models.PROTECT, related_name="opened_rounds"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+", null=True
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "监控批次"
        verbose_name_plural = "监控批次"
        ordering = ["-year", "-as_of", "id"]
        constraints = [
            # opening the same round twice at once still makes one: the second adds to the first
            models.UniqueConstraint(
                fields=["year", "as_of", "opened_in"], condition=Q(status="open"), name="monitoring_round_open_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年度绩效运行监控（截至{self.as_of.month}月{self.as_of.day}日）"


class MonitoringRecordQuerySet(models.QuerySet["MonitoringRecord"]):
    """Monitoring records, scoped by who is asking as the other records are (``access.record_scope``)."""

    def visible_to(self, user: Person) -> MonitoringRecordQuerySet:
        from jixiao.web.access import record_scope

        return self.filter(record_scope(user, self.model))


class MonitoringRecord(models.Model):
    """项目支出绩效目标执行监控表: one per round and approved declaration, its targets the approved ones."""

    round = models.ForeignKey(
        MonitoringRound, verbose_name="监控批次", on_delete=models.PROTECT, related_name="records"
    )
    declaration = models.ForeignKey(
        Declaration, verbose_name="绩效目标", on_delete=models.PROTECT, related_name="monitoring_records"
    )
    # the declaration's unit and department, copied for scoping (as Project.department): who sees it
    unit = models.ForeignKey(Organization, verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organization, verbose_name="主管部门", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度", editable=False, default=0)
    project_name = models.CharField("项目名称", max_length=200, editable=False, default="")
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=State.DRAFT.value)
    version = models.PositiveIntegerField("版本", default=1)
    money_unit = models.CharField("金额单位", max_length=4, choices=MONEY_UNITS, default="元")
    # money exact to the fen, empty until the unit fills it in
    budget_total = money_field("年度预算数")
    executed_to_date = money_field("截至监控日执行数")
    forecast_total = money_field("全年预计执行数")
    outcome = models.TextField("总体目标截至监控日完成情况", blank=True)
    # where 截至监控日执行数 came from when the payment system's figures were imported (services/execution.py)
    execution_import = models.ForeignKey(
        "ExecutionImport",
        verbose_name="执行数导入批次",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    execution_file = models.CharField("执行数来源文件", max_length=255, blank=True)
    execution_sheet = models.CharField("执行数来源工作表", max_length=100, blank=True)
    execution_row = models.PositiveIntegerField("执行数来源行", null=True, blank=True)
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("警告数", default=0)
    infos = models.PositiveIntegerField("提示数", default=0)
    rule_pack = models.CharField("评分规则包", max_length=40, default=DEFAULT_PACK)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=[*DERIVED, "submitted_at"])

    objects = MonitoringRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "绩效目标执行监控表"
        verbose_name_plural = "绩效目标执行监控表"
        ordering = ["round_id", "project_name", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "declaration"], name="monitoring_one_per_round")]
        indexes = [models.Index(fields=["round", "department", "state"], name="monitoring_progress")]

    def __str__(self) -> str:
        return f"{self.project_name}（{self.year}年度绩效运行监控）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the copied year and project name in step with the declaration."""
        self.year = self.declaration.year
        self.project_name = self.declaration.project_name or self.declaration.project.name
        super().save(*args, **kwargs)

    @property
    def state_enum(self) -> State:
        """The state as the workflow table knows it."""
        return State(self.state)

    @property
    def filed(self) -> bool:
        """True once submitted (whatever the review made of it since)."""
        return self.state != State.DRAFT.value


LIKELIHOOD_CHOICES = [(v, v) for v in LIKELIHOODS]


class MonitoringRow(models.Model):
    """One approved indicator's monitoring: done by the monitoring date, the year's forecast, deviation, remedy."""

    record = models.ForeignKey(MonitoringRecord, on_delete=models.CASCADE, related_name="rows")
    indicator = models.ForeignKey(DeclarationIndicator, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("顺序")
    actual = models.CharField("截至监控日完成值", max_length=300, blank=True)
    forecast = models.CharField("全年预计完成值", max_length=300, blank=True)
    cause = models.JSONField("偏差原因类型", default=list, blank=True)  # some of core.model.DEVIATION_CAUSES
    deviation = models.TextField("偏差原因分析", blank=True)
    likelihood = models.CharField("完成目标可能性", max_length=10, choices=LIKELIHOOD_CHOICES, blank=True)
    remedy = models.TextField("纠偏措施", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标监控"
        verbose_name_plural = "指标监控"
        ordering = ["record_id", "position"]
        constraints = [models.UniqueConstraint(fields=["record", "indicator"], name="monitoring_row_once")]


class MonitoringStateChange(ReviewStep):
    """A review step of a monitoring record, with the reviewer's comment (退回意见)."""

    record = models.ForeignKey(MonitoringRecord, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(ReviewStep.Meta):
        verbose_name = "监控审核记录"
        verbose_name_plural = "监控审核记录"


class MonitoringFinding(FindingColumns):
    """A review finding (an alert) of a monitoring record, refreshed on every write."""

    record = models.ForeignKey(MonitoringRecord, on_delete=models.CASCADE, related_name="findings")

    class Meta(FindingColumns.Meta):
        verbose_name = "监控审核发现"
        verbose_name_plural = "监控审核发现"


# what a round's progress counts as not yet filed
UNFILED = Q(state=State.DRAFT.value)


class ExecutionImport(models.Model):
    """One import of budget execution from the payment system into a round (执行数导入), applied whole.

    Confirmed, it waits (``queued``) for the task that applies it in the background (``applying``),
    which ends it ``done`` or ``failed`` with its reasons. While one upload waits, is applied or has been,
    the same upload cannot be confirmed again (the constraint), nor the same files (``content_sha256``).
    """

    class State(models.TextChoices):
        QUEUED = "queued", "等待导入"
        APPLYING = "applying", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "未导入"

    # what holds an upload: a second confirmation of it, or of the same files, is refused meanwhile
    HOLDING = (State.QUEUED, State.APPLYING, State.DONE)

    round = models.ForeignKey(
        MonitoringRound, verbose_name="监控批次", on_delete=models.PROTECT, related_name="execution_imports"
    )
    files = models.JSONField("文件", default=list)  # the uploaded names, as the person named them
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField("导入时间", auto_now_add=True)
    rows_read = models.PositiveIntegerField("读取行数", default=0)
    figures_applied = models.PositiveIntegerField("写入监控表数", default=0)
    digest = models.CharField("预览摘要", max_length=64)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DONE)
    token = models.CharField("上传批号", max_length=64, blank=True)  # the kept upload (execution_files)
    content_sha256 = models.CharField("文件内容摘要", max_length=64, blank=True)
    accept_unmatched = models.BooleanField("不导入未对应的行", default=False)
    problems = models.JSONField("未导入原因", default=list, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "执行数导入"
        verbose_name_plural = "执行数导入"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "token"],
                condition=models.Q(state__in=["queued", "applying", "done"]) & ~models.Q(token=""),
                name="execution_import_once_per_upload",
            )
        ]

    @property
    def busy(self) -> bool:
        """True while it waits for its task or is being applied."""
        return self.state in (self.State.QUEUED, self.State.APPLYING)

    def __str__(self) -> str:
        return f"执行数导入（{'、'.join(self.files)}）"


class RoundVersion(models.Model):
    """A round's data version: raised in the transaction of every write to its forms, findings or actions.

    The round's page keeps its lists and counts under this number (:mod:`jixiao.web.monitoring.cache`);
    a row of its own, not a field of the round, so that saving a round read earlier never lowers it.
    """

    round = models.OneToOneField(
        MonitoringRound, on_delete=models.CASCADE, primary_key=True, related_name="data_version"
    )
    number = models.PositiveBigIntegerField("数据版本", default=1)

    class Meta:
        verbose_name = "监控批次数据版本"
        verbose_name_plural = "监控批次数据版本"

    def __str__(self) -> str:
        return f"{self.round_id}: {self.number}"


# the actions that follow a form's alerts live in their own module; imported here so that Django finds them
from jixiao.web.monitoring.action_models import ActionStep, EvidenceFile, MonitoringAction  # noqa: E402

__all__ = [
    "LIKELIHOOD_CHOICES",
    "UNFILED",
    "ActionStep",
    "EvidenceFile",
    "ExecutionImport",
    "MonitoringAction",
    "MonitoringFinding",
    "MonitoringRecord",
    "MonitoringRound",
    "MonitoringRow",
    "MonitoringStateChange",
    "RoundVersion",
]
