"""The stored indicator library (指标库): entries, the cluster keys each gathers, their uses, and the curation history.

An entry's *mined* fields (statistics, and name/class/unit/direction/common until a person sets
them) are rewritten by every refresh; the fields a person set are listed in ``curated`` and kept
(decision 0023). ``LibraryKey`` maps every cluster key to its entry, so a merge survives re-mining:
the merged key's rows are gathered under the surviving entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from jixiao.core.workflow import BUSINESS_ROLES
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from jixiao.web.access import Person

# The fields a curator may set; once set, a refresh keeps them (see ``curated``).
CURATED_FIELDS = (
    "name",
    "level1",
    "level2",
    "unit",
    "direction",
    "value_description",
    "scoring_method",
    "sectors",
    "valid_from",
    "valid_to",
    "owner",
    "common",
    "retired",
)


class LibraryEntryQuerySet(models.QuerySet["LibraryEntry"]):
    """Entries; every business role may read the library (aggregates only), administrators see nothing."""

    def visible_to(self, user: Person) -> LibraryEntryQuerySet:
        from jixiao.web.access import role_of

        if role_of(user) in BUSINESS_ROLES:
            return self
        return self.none()

    def current(self) -> LibraryEntryQuerySet:
        """Entries in use: not merged into another, not retired."""
        return self.filter(merged_into__isnull=True, retired=False)


class LibraryEntry(models.Model):
    """One indicator of the library (指标库条目)."""

    class Direction(models.TextChoices):
        UP = "越大越好", "越大越好"
        DOWN = "越小越好", "越小越好"
        RANGE = "区间", "区间"
        QUALITATIVE = "定性", "定性"
        UNKNOWN = "", "未定"

    code = models.CharField("编码", max_length=20, unique=True)
    key = models.CharField("归并键", max_length=300, unique=True)
    name = models.CharField("指标名称", max_length=300)
    level1 = models.CharField("一级指标", max_length=60, blank=True, db_index=True)
    level2 = models.CharField("二级指标", max_length=60, blank=True, db_index=True)
    unit = models.CharField("计量单位", max_length=40, blank=True)
    direction = models.CharField("指标方向", max_length=10, choices=Direction.choices, blank=True)
    value_description = models.TextField("指标值说明", blank=True)
    scoring_method = models.TextField("评分方法", blank=True)
    sectors = models.JSONField("行业领域", default=list, blank=True)
    valid_from = models.PositiveSmallIntegerField("有效起始年度", null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField("有效截止年度", null=True, blank=True)
    # null: the finance bureau's; else the department that owns a department's own indicator
    owner = models.ForeignKey(
        Organization, verbose_name="归属", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    common = models.BooleanField("共性指标", default=False, db_index=True)
    retired = models.BooleanField("已停用", default=False, db_index=True)
    merged_into = models.ForeignKey(
        "self", verbose_name="并入", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    curated = models.JSONField("人工设定的栏目", default=list, blank=True)
    # mined: rewritten by every refresh
    uses = models.PositiveIntegerField("使用次数", default=0, db_index=True)
    projects = models.PositiveIntegerField("项目数", default=0)
    departments = models.PositiveIntegerField("部门数", default=0)
    years = models.JSONField("年度", default=list, blank=True)
    variants = models.JSONField("名称写法", default=dict, blank=True)
    directions = models.JSONField("方向分布", default=dict, blank=True)
    targets = models.JSONField("指标值分布（按单位）", default=list, blank=True)
    achieved = models.JSONField("实际完成值分布（按单位）", default=list, blank=True)
    assessed = models.PositiveIntegerField("已评判次数", default=0)
    met = models.PositiveIntegerField("达成次数", default=0)
    mined_sectors = models.JSONField("行业领域（挖掘）", default=dict, blank=True)
    search_text = models.TextField("检索文字", blank=True, editable=False)
    refreshed_at = models.DateTimeField("更新时间", null=True, blank=True)

    objects = LibraryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "指标库条目"
        verbose_name_plural = "指标库条目"
        ordering = ["-uses", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def met_rate(self) -> str | None:
        """The share of judged uses that met their target, in percent to 0.1, as text; None if none judged."""
        from decimal import Decimal

        if not self.assessed:
            return None
        return str((Decimal(self.met) * 100 / self.assessed).quantize(Decimal("0.1")))

    @property
    def owner_label(self) -> str:
        """Who owns it: the finance bureau, or the department."""
        return self.owner.name if self.owner is not None else "财政部门"


class LibraryKey(models.Model):
    """A cluster key and the entry its rows are gathered under (its own, or the one it was merged into)."""

    key = models.CharField("归并键", max_length=300, unique=True)
    entry = models.ForeignKey(LibraryEntry, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        verbose_name = "指标库归并键"
        verbose_name_plural = "指标库归并键"

    def __str__(self) -> str:
        return self.key


class LibraryUse(models.Model):
    """One indicator row of one record that an entry gathers: where the entry was used, and its numbers."""

    entry = models.ForeignKey(LibraryEntry, on_delete=models.CASCADE, related_name="used")
    declaration = models.ForeignKey("cycle.Declaration", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("三级指标", max_length=300)
    target = models.CharField("指标值", max_length=300, blank=True)
    actual = models.CharField("实际完成值", max_length=300, blank=True)
    met = models.BooleanField("达成", null=True)

    class Meta:
        verbose_name = "指标库使用记录"
        verbose_name_plural = "指标库使用记录"
        indexes = [models.Index(fields=["entry", "declaration"])]

    def __str__(self) -> str:
        return self.name


class LibraryChange(models.Model):
    """One curation step on an entry (rename, merge, retire, promote, edit), kept as its history."""

    class Action(models.TextChoices):
        EDIT = "edit", "修改"
        RENAME = "rename", "改名"
        MERGE = "merge", "合并"
        RETIRE = "retire", "停用"
        RESTORE = "restore", "恢复使用"
        PROMOTE = "promote", "设为共性指标"
        DEMOTE = "demote", "改为个性指标"

    entry = models.ForeignKey(LibraryEntry, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    changes = models.JSONField("改动", default=dict, blank=True)
    reason = models.TextField("理由", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "指标库修订记录"
        verbose_name_plural = "指标库修订记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.entry.code} {self.get_action_display()}"


class LibraryRefresh(models.Model):
    """One refresh of the library from the records: when, by whom, how much, and whether it finished."""

    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    documents = models.PositiveIntegerField("文档数", default=0)
    indicators = models.PositiveIntegerField("指标行数", default=0)
    entries = models.PositiveIntegerField("条目数", default=0)
    message = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "指标库更新"
        verbose_name_plural = "指标库更新"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
