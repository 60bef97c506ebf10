"""An import: files uploaded together, read and previewed, then loaded in one transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.web.cycle.models import SourceFile
from jixiao.web.orgs.models import Organization


class ImportJob(models.Model):
    """One upload of one or many files, from reading to loading."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", "已上传"
        READING = "reading", "读取中"
        READ = "read", "待确认"
        LOADING = "loading", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "未导入"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # whose import it is: the department of a department reviewer, the bureau for the finance bureau
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.UPLOADED)
    total_files = models.PositiveIntegerField(default=0)
    done_files = models.PositiveIntegerField(default=0)
    target_state = models.CharField("导入后的状态", max_length=20, default="approved")
    create_units = models.BooleanField("同时新建未登记的单位", default=False)
    problems = models.JSONField("问题", default=list, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"导入任务 {self.pk}（{self.get_state_display()}）"

    @property
    def progress_pct(self) -> int:
        """How far reading or loading has come, in percent."""
        return int(100 * self.done_files / self.total_files) if self.total_files else 0


class ImportFile(models.Model):
    """One file of an import: what was read from it, and whether it was seen before."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    source = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="imports")
    position = models.PositiveIntegerField()
    # the document JSON as jixiao.core.serialize wrote it (exact digits)
    document = models.TextField(blank=True)
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    projects = models.JSONField(default=list, blank=True)
    seen_before = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["job", "position"]
