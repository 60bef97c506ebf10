"""The ex-ante assessment's records: experts, assessments, their panels, draws, cost lines and evidence files.

Money is exact to the fen and scores to the hundredth (``DecimalField``).
Only :mod:`jixiao.web.assessments.services` writes these rows, each write
with its audit event; the querysets' ``visible_to`` is the one place that
scopes them (:mod:`jixiao.web.assessments.scope`).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from jixiao.core.scoring import DEFAULT_PACK
from jixiao.core.scoring.exante import Conclusion
from jixiao.web.cycle.models import Declaration, money_field, score_field
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from jixiao.web.access import Person


class ExpertQuerySet(models.QuerySet["Expert"]):
    """The pool; only the finance bureau and the departments' reviewers see it."""

    def visible_to(self, user: Person) -> ExpertQuerySet:
        from jixiao.web.assessments.scope import pool_scope

        return self.filter(pool_scope(user))


class Expert(models.Model):
    """An expert of the pool (专家库): fields of expertise, workplace, declared conflicts, and their login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert",
    )
    name = models.CharField("姓名", max_length=60)
    fields = models.CharField("专业领域", max_length=200, help_text="多个领域用顿号分隔，如：教育、财务")
    affiliation = models.CharField("工作单位", max_length=200)
    title = models.CharField("职称", max_length=60, blank=True)
    # the government department the expert works in, if one: a project of that department is never theirs to score
    department = models.ForeignKey(
        Organization,
        verbose_name="所在部门（同部门回避）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conflicts = models.ManyToManyField(Organization, verbose_name="申报的利益冲突单位", blank=True, related_name="+")
    conflict_note = models.CharField("利益冲突说明", max_length=500, blank=True)
    active = models.BooleanField("在库", default=True)
    history = HistoricalRecords(m2m_fields=[conflicts])

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = "评审专家"
        verbose_name_plural = "专家库"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.affiliation}）"

    @property
    def field_list(self) -> tuple[str, ...]:
        """The fields of expertise, one by one."""
        return tuple(f.strip() for f in self.fields.replace(",", "、").replace("，", "、").split("、") if f.strip())


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    """Assessments, scoped by who is asking (an expert: only those assigned to them)."""

    def visible_to(self, user: Person) -> AssessmentQuerySet:
        from jixiao.web.assessments.scope import assessment_scope

        return self.filter(assessment_scope(user))


class Assessment(models.Model):
    """事前绩效评估: one assessment of a declaration not yet approved, from its panel's draw to its conclusion."""

    class State(models.TextChoices):
        DRAFT = "draft", "准备中"
        SCORING = "scoring", "专家评分中"
        SCORED = "scored", "评分完成"
        CONCLUDED = "concluded", "已出具结论"

    declaration = models.ForeignKey(
        Declaration, verbose_name="绩效目标申报表", on_delete=models.PROTECT, related_name="assessments"
    )
    # copied from the declaration's project for scoping and lists (as the monitoring form does)
    unit = models.ForeignKey(Organization, verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organization, verbose_name="主管部门", on_delete=models.PROTECT, related_name="+")
    project_name = models.CharField("项目名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    rule_pack = models.CharField("评分规则包", max_length=40, default=DEFAULT_PACK)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组织人", on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField("评估内容", blank=True)
    cost_notes = models.TextField("成本效益分析说明", blank=True)
    panel_size = models.PositiveSmallIntegerField("专家人数", default=3)
    total = score_field("评估总分")
    conclusion = models.CharField(
        "评估结论", max_length=10, blank=True, choices=[(c.value, c.label) for c in Conclusion]
    )
    opinion = models.TextField("评估意见", blank=True)
    adjustments = models.TextField("调整完善内容", blank=True)
    adjustments_at = models.DateTimeField("调整完善记录时间", null=True, blank=True)
    concluded_at = models.DateTimeField("结论时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "事前绩效评估"
        verbose_name_plural = "事前绩效评估"
        ordering = ["-year", "project_name", "-id"]

    def __str__(self) -> str:
        return f"{self.project_name}（{self.year}年度）事前绩效评估"

    @property
    def conclusion_enum(self) -> Conclusion | None:
        """The conclusion, once there is one."""
        return Conclusion(self.conclusion) if self.conclusion else None

    @property
    def supports(self) -> bool:
        """Whether the assessment lets the declaration be approved: 予以支持, or 调整完善后予以支持 with adjustments."""
        c = self.conclusion_enum
        return self.state == self.State.CONCLUDED and (
            c is Conclusion.SUPPORT or (c is Conclusion.ADJUST and bool(self.adjustments.strip()))
        )


class PanelDraw(models.Model):
    """A draw of the panel as it was made: the seed, the candidates as they stood, who was left out and chosen."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="draws")
    seed = models.CharField("随机种子", max_length=64)
    count = models.PositiveSmallIntegerField("抽取人数")
    field = models.CharField("专业领域要求", max_length=60, blank=True)
    # each candidate as the draw saw it: {key, department_id, conflicts, fields, active}
    candidates = models.JSONField("候选专家")
    excluded = models.JSONField("回避专家")
    chosen = models.JSONField("抽中专家")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "专家抽取记录"
        verbose_name_plural = "专家抽取记录"
        ordering = ["at", "id"]


class PanelSeat(models.Model):
    """One expert on an assessment's panel, with their scoring sheet once they submit it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="seats")
    position = models.PositiveSmallIntegerField("抽取顺序")
    scores = models.JSONField("各要点得分", default=dict, blank=True)
    comment = models.TextField("专家意见", blank=True)
    total = score_field("专家评分")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "评审专家席位"
        verbose_name_plural = "评审专家席位"
        ordering = ["assessment_id", "position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "expert"], name="seat_unique_expert")]


class CostLine(models.Model):
    """One main output's cost (成本效益分析): its quantity, what it costs, and a benchmark the assessor cites."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="costs")
    position = models.PositiveSmallIntegerField("顺序")
    output = models.CharField("主要产出", max_length=300)
    unit = models.CharField("计量单位", max_length=20)
    quantity = models.DecimalField("数量", max_digits=18, decimal_places=2)
    cost = money_field("测算成本（元）")
    benchmark_unit_cost = money_field("参考单位成本（元）")
    benchmark_source = models.CharField("参考标准来源", max_length=300, blank=True)

    class Meta:
        verbose_name = "主要产出成本"
        verbose_name_plural = "主要产出成本"
        ordering = ["assessment_id", "position"]


def _file_path(instance: AssessmentFile, filename: str) -> str:
    """Stored under a generated name (the uploaded name is kept in the database only)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.sha256[:2]}/{uuid.uuid4().hex}{suffix}"


class AssessmentFile(models.Model):
    """An evidence file of an assessment (立项依据, 实施方案, 测算明细 …), kept private."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    stored = models.FileField("存储位置", upload_to=_file_path, max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "评估佐证材料"
        verbose_name_plural = "评估佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
