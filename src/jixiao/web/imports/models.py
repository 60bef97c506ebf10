"""An import: files uploaded together, read and previewed, then loaded in one transaction.

A job waits (``uploaded``, ``confirmed``) until a process takes it; while it is ``reading`` or
``loading`` that process holds the job's lock (``running.py``), so a job in those states whose lock
nobody holds was interrupted, and is ended as failed, to be retried.
"""

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
        CONFIRMED = "confirmed", "已确认，等待导入"
        LOADING = "loading", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "未导入"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # whose import it is: the department of a department reviewer, the bureau for the finance bureau
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.UPLOADED)
    # where a failed job stopped: "reading" (read again, if its files are kept) or "loading" (confirm again)
    failed_step = models.CharField(
        "未完成的步骤", max_length=12, blank=True, choices=[("reading", "读取"), ("loading", "导入")]
    )
    total_files = models.PositiveIntegerField(default=0)
    done_files = models.PositiveIntegerField(default=0)
    target_state = models.CharField("导入后的状态", max_length=20, default="approved")
    create_units = models.BooleanField("同时新建未登记的单位", default=False)
    problems = models.JSONField("问题", default=list, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    # counts the corrections made and withdrawn: a correction posted from an older page is refused
    revision = models.PositiveIntegerField("更正版本", default=0)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"导入任务 {self.pk}（{self.get_state_display()}）"

    @property
    def can_reread(self) -> bool:
        """Interrupted while reading, with every file still kept: it can be read again."""
        return (
            self.state == self.State.FAILED
            and self.failed_step == "reading"
            and not self.files.filter(source__isnull=True).exists()
        )

    @property
    def can_confirm(self) -> bool:
        """Read and waiting, or failed while loading (nothing was written): it can be confirmed (again)."""
        return self.state == self.State.READ or (self.state == self.State.FAILED and self.failed_step == "loading")

    @property
    def progress_pct(self) -> int:
        """How far reading or loading has come, in percent."""
        return int(100 * self.done_files / self.total_files) if self.total_files else 0


class ImportFile(models.Model):
    """One file of an import: what was read from it, and whether it was seen before.

    Its name, size and hash are kept here too: a refused file's bytes (its ``source``) are not kept.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    source = models.ForeignKey(SourceFile, null=True, on_delete=models.SET_NULL, related_name="imports")
    name = models.CharField("原文件名", max_length=255, default="")
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64, default="")
    position = models.PositiveIntegerField()
    # what reading it cost in its child process (operators look here for the heavy files)
    read_seconds = models.FloatField("读取用时（秒）", null=True, blank=True)
    read_peak_mb = models.FloatField("读取内存峰值（MB）", null=True, blank=True)
    # the document JSON as jixiao.core.serialize wrote it (exact digits): the reading, never corrected
    document = models.TextField(blank=True)
    # the importer's reading record (documents.result.reading_record): each value's source and confidence,
    # the lines not placed, and for a scan each value's page and box
    reading = models.JSONField("读取记录", default=dict, blank=True)
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    projects = models.JSONField(default=list, blank=True)
    seen_before = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["job", "position"]


class ImportCorrection(models.Model):
    """A value of a file corrected on its check page before loading: what was printed, what it becomes, why.

    A correction stands until it is withdrawn (or replaced by a later correction of the same value);
    loading applies the standing ones, and each becomes a :class:`~jixiao.web.cycle.models.SourceCorrection`
    of the record it lands in.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="corrections")
    file = models.ForeignKey(ImportFile, on_delete=models.CASCADE, related_name="corrections")
    path = models.CharField("字段", max_length=120)  # the JSON path, projects[0].indicators[2].target
    label = models.CharField("字段名称", max_length=200)
    source_value = models.TextField("原文", blank=True)  # as the reader read it ("" when not printed)
    value = models.TextField("更正为")
    reason = models.TextField("理由")
    # the unplaced line the value was taken from, when a line the reader could not place was put in its row
    unplaced_line = models.PositiveIntegerField("未归位的行", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "导入前更正"
        verbose_name_plural = "导入前更正"
        ordering = ["created_at", "pk"]

    @property
    def standing(self) -> bool:
        """True while the correction applies (not withdrawn or replaced)."""
        return self.withdrawn_at is None
