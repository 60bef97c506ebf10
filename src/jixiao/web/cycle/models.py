"""The yearly cycle's records: a project, its declaration per year, the self-evaluation, publications.

Money is exact to the fen (``DecimalField`` with two places), never float.
Every editable record carries a ``version`` for optimistic locking and a
``state`` of :mod:`jixiao.core.workflow`; only the services in
``services.py`` change them, each with its audit event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, TypeVar

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from jixiao.core.scoring import DEFAULT_PACK
from jixiao.core.workflow import STATE_LABELS, State
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from decimal import Decimal

    from django.db.models.expressions import Combinable

    from jixiao.web.access import Person

STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]


class DecimalOptions(TypedDict):
    """The keyword arguments of a money or score column."""

    max_digits: int
    decimal_places: int
    null: bool
    blank: bool


MONEY: DecimalOptions = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True}
SCORE: DecimalOptions = {"max_digits": 7, "decimal_places": 2, "null": True, "blank": True}
# A nullable decimal column as the type checker sees it: what it accepts, and what it reads back.
# The django-stubs plugin cannot see ``null=True`` through ``**MONEY``, so the factories below declare it.
OptionalDecimalField: TypeAlias = "models.DecimalField[Decimal | int | str | float | Combinable | None, Decimal | None]"


def money_field(label: str) -> OptionalDecimalField:
    """An amount of money exact to the fen, empty when the form leaves it blank."""
    return models.DecimalField(label, **MONEY)


def score_field(label: str) -> OptionalDecimalField:
    """A score, weight or percentage with two places, empty when the form leaves it blank."""
    return models.DecimalField(label, **SCORE)


MONEY_UNITS = [("元", "元"), ("万元", "万元")]
# Figures derived by the review on every write: not part of a record's history.
DERIVED = ["errors", "warnings", "infos"]


class ProjectQuerySet(models.QuerySet["Project"]):
    """Projects; ``visible_to`` is the one place that scopes them by who is asking."""

    def visible_to(self, user: Person) -> ProjectQuerySet:
        from jixiao.web.access import project_scope

        return self.filter(project_scope(user))


PROJECT_CODE_LENGTH = 40  # budget systems' codes run to about 30 characters (e.g. 33010024000000000001)


class Project(models.Model):
    """A budget project of a unit: one identity across the years."""

    unit = models.ForeignKey(Organization, verbose_name="实施单位", on_delete=models.PROTECT, related_name="projects")
    # Denormalised from the unit for scoping: the department that answers for it.
    department = models.ForeignKey(
        Organization, verbose_name="主管部门", on_delete=models.PROTECT, related_name="department_projects"
    )
    name = models.CharField("项目名称", max_length=200)
    # the budget system's project code (项目编码), when known: what the payment system's exports name it by
    code = models.CharField("项目编码", max_length=PROJECT_CODE_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["department__name", "unit__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="project_unique_name_in_unit"),
            # a code names one project of a department; many projects have none yet
            models.UniqueConstraint(
                fields=["department", "code"], condition=~Q(code=""), name="project_unique_code_in_department"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# a declaration or a self-evaluation: the records whose querysets scope by record_scope
_Record = TypeVar("_Record", bound="Source")


class RecordQuerySet(models.QuerySet[_Record]):
    """Declarations or self-evaluations, scoped by who is asking."""

    def visible_to(self, user: Person) -> RecordQuerySet[_Record]:
        from jixiao.web.access import record_scope

        return self.filter(record_scope(user, self.model))


def _source_path(instance: SourceFile, filename: str) -> str:
    """Stored under a generated name: the uploaded name is kept in the database only."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"sources/{instance.sha256[:2]}/{uuid.uuid4().hex}{suffix}"


class SourceFile(models.Model):
    """A file records were imported from, kept with its SHA-256 so a second import of it is recognised."""

    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64, db_index=True)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    stored = models.FileField("存储位置", upload_to=_source_path, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "来源文件"
        verbose_name_plural = "来源文件"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Source(models.Model):
    """Where an imported record came from: the file, its hash, and the line; and the rules it is scored by."""

    file_name = models.CharField("文件名", max_length=255, blank=True)
    sha256 = models.CharField("文件摘要", max_length=64, blank=True)
    first_line = models.PositiveIntegerField("起始行", null=True, blank=True)
    source_file = models.ForeignKey(
        SourceFile, verbose_name="来源文件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the printed text of numbers whose digits the two-place columns change (see printed.py)
    printed = models.JSONField("原表数字写法", default=dict, blank=True)
    # Review findings, counted when the record is written (lists sort and filter on them).
    errors = models.PositiveIntegerField("错误数", default=0)
    warnings = models.PositiveIntegerField("警告数", default=0)
    infos = models.PositiveIntegerField("提示数", default=0)
    # the rule pack every score, finding and grade of the record follows (orgs.RulePackChoice decides it)
    rule_pack = models.CharField("评分规则包", max_length=40, default=DEFAULT_PACK)

    class Meta:
        abstract = True


class Declaration(Source):
    """财政项目支出绩效目标申报表: one per project and budget year.

    A transfer payment (转移支付) has the same cycle: its targets come from
    the centre, and its self-evaluation is the 区域绩效目标自评表.
    """

    class Kind(models.TextChoices):
        PROJECT = "project", "项目支出"
        TRANSFER = "transfer", "转移支付"

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="declarations")
    # the project's name, copied: lists sort on (year, name) through one index instead of joining every row
    project_name = models.CharField("项目名称", max_length=200, editable=False, default="")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.PROJECT)
    central_department = models.CharField("中央主管部门", max_length=200, blank=True)
    fund_users = models.CharField("资金使用单位", max_length=500, blank=True)
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=State.DRAFT.value)
    version = models.PositiveIntegerField("版本", default=1)
    nature = models.CharField("项目性质", max_length=60, blank=True)
    category = models.CharField("项目类别", max_length=60, blank=True)
    start_date = models.DateField("计划开始日期", null=True, blank=True)
    end_date = models.DateField("计划完成日期", null=True, blank=True)
    money_unit = models.CharField("金额单位", max_length=4, choices=MONEY_UNITS, default="元")
    requested_total = money_field("年度资金申请总额")
    requested_current = money_field("其中：当年财政拨款")
    requested_carryover = money_field("上年结转资金")
    requested_other = money_field("其他资金")
    overall_goal = models.TextField("项目总目标", blank=True)
    goal = models.TextField("年度总体目标", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=DERIVED)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "绩效目标申报表"
        verbose_name_plural = "绩效目标申报表"
        ordering = ["-year", "project_name", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="declaration_one_per_year")]
        indexes = [
            # what reviewers list: everything but the units' drafts, newest year first, by name
            models.Index(F("year").desc(), "project_name", "id", name="declaration_list", condition=~Q(state="draft")),
            # the summaries' data version is the latest change (summary/cache.py)
            models.Index(fields=["updated_at"], name="declaration_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.project.name}（{self.year}年度绩效目标）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the copied project name in step with the project."""
        self.project_name = self.project.name
        super().save(*args, **kwargs)

    @property
    def state_enum(self) -> State:
        """The state as the workflow table knows it."""
        return State(self.state)


class DeclarationIndicator(models.Model):
    """One row of the indicator tree of a declaration; its target and weight freeze on approval."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField("顺序")
    level1 = models.CharField("一级指标", max_length=40)
    level2 = models.CharField("二级指标", max_length=60, blank=True)
    name = models.CharField("三级指标", max_length=300)
    target = models.CharField("年度指标值", max_length=300, blank=True)
    weight = score_field("分值")
    printed = models.JSONField("原表数字写法", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        # by the column, not the relation: ordering by "declaration" would join and sort by its own ordering
        ordering = ["declaration_id", "position"]

    def __str__(self) -> str:
        return self.name


class SelfEvaluation(Source):
    """财政项目支出绩效自评表: created from an approved declaration, never retyped."""

    declaration = models.OneToOneField(
        Declaration, verbose_name="绩效目标", on_delete=models.PROTECT, related_name="evaluation"
    )
    # the declaration's year and project name, copied for the list's index (as on Declaration)
    year = models.PositiveSmallIntegerField("年度", editable=False, default=0)
    project_name = models.CharField("项目名称", max_length=200, editable=False, default="")
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=State.DRAFT.value)
    version = models.PositiveIntegerField("版本", default=1)
    money_unit = models.CharField("金额单位", max_length=4, choices=MONEY_UNITS, default="元")
    initial_total = money_field("年初预算数")
    adjusted_total = money_field("全年预算数")
    executed_total = money_field("全年执行数")
    initial_current = money_field("当年财政拨款·年初预算数")
    adjusted_current = money_field("当年财政拨款·全年预算数")
    executed_current = money_field("当年财政拨款·全年执行数")
    initial_carryover = money_field("上年结转资金·年初预算数")
    adjusted_carryover = money_field("上年结转资金·全年预算数")
    executed_carryover = money_field("上年结转资金·全年执行数")
    initial_other = money_field("其他资金·年初预算数")
    adjusted_other = money_field("其他资金·全年预算数")
    executed_other = money_field("其他资金·全年执行数")
    # transfer payments print their money by source: central and local funds, each with its B/A
    adjusted_central = money_field("中央财政资金·全年预算数")
    executed_central = money_field("中央财政资金·全年执行数")
    rate_central = score_field("中央财政资金·执行率")
    adjusted_local = money_field("地方资金·全年预算数")
    executed_local = money_field("地方资金·全年执行数")
    rate_local = score_field("地方资金·执行率")
    rate_current = score_field("当年财政拨款·执行率")
    rate_carryover = score_field("上年结转资金·执行率")
    rate_other = score_field("其他资金·执行率")
    rate_pct = score_field("执行率（%）")
    # executed ÷ adjusted from the amounts, and the total by the rules: kept for lists and charts
    execution_rate = models.DecimalField("执行率（按金额计算）", max_digits=9, decimal_places=2, null=True, blank=True)
    suggested_total = score_field("按规则计算的总分")
    # the grade as recorded, else the grade of the recorded total by the rule pack: what summaries group by
    summary_grade = models.CharField("汇总等级", max_length=2, blank=True, db_index=True)
    execution_weight = models.DecimalField("预算执行率分值", max_digits=7, decimal_places=2, default=10)
    execution_score = score_field("预算执行率得分")
    outcome = models.TextField("实际完成情况", blank=True)
    total_score = score_field("总分")
    grade = models.CharField("评分等级", max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=[*DERIVED, "execution_rate", "suggested_total", "summary_grade"])

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "绩效自评表"
        verbose_name_plural = "绩效自评表"
        ordering = ["-year", "project_name", "id"]
        indexes = [
            models.Index(F("year").desc(), "project_name", "id", name="evaluation_list", condition=~Q(state="draft")),
            models.Index(fields=["updated_at"], name="evaluation_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.declaration.project.name}（{self.declaration.year}年度绩效自评）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the copied year and project name in step with the declaration."""
        self.year = self.declaration.year
        self.project_name = self.declaration.project_name or self.declaration.project.name
        super().save(*args, **kwargs)

    @property
    def state_enum(self) -> State:
        """The state as the workflow table knows it."""
        return State(self.state)


class EvaluationIndicator(models.Model):
    """The self-evaluation of one approved indicator: actual value, recorded score, note."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(DeclarationIndicator, on_delete=models.PROTECT, related_name="evaluations")
    actual = models.CharField("实际完成值", max_length=300, blank=True)
    score = score_field("得分")
    deviation = models.TextField("偏差原因分析及改进措施", blank=True)
    score_reason = models.TextField("得分与建议分不同的理由", blank=True)
    printed = models.JSONField("原表数字写法", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标自评"
        verbose_name_plural = "指标自评"
        ordering = ["evaluation_id", "indicator__position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator"], name="evaluation_row_once")]


class FindingColumns(models.Model):
    """What every record kind stores of a review finding: its code, severity, place and sentence."""

    code = models.CharField("代码", max_length=60, db_index=True)
    severity = models.CharField("级别", max_length=10)
    indicator_index = models.PositiveIntegerField("指标序号", null=True, blank=True)
    indicator = models.CharField("指标", max_length=300, blank=True)
    message = models.TextField("说明")

    class Meta:
        abstract = True
        ordering = ["pk"]


class StoredFinding(FindingColumns):
    """A review finding of a declaration or self-evaluation, refreshed by the services on every write."""

    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    evaluation = models.ForeignKey(
        SelfEvaluation, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    field = models.CharField("栏目", max_length=40, blank=True)
    expected = models.CharField("应为", max_length=300, blank=True)
    found = models.CharField("实为", max_length=300, blank=True)

    class Meta(FindingColumns.Meta):
        verbose_name = "审核发现"
        verbose_name_plural = "审核发现"


class FundManagementItem(models.Model):
    """One of the seven 资金管理情况 checks of a transfer-payment self-evaluation."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="fund_management")
    position = models.PositiveSmallIntegerField("顺序")
    item = models.CharField("项目", max_length=60)
    description = models.TextField("情况说明", blank=True)
    remedy = models.TextField("存在问题和改进措施", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "资金管理情况"
        verbose_name_plural = "资金管理情况"
        ordering = ["evaluation_id", "position"]


class ReviewStep(models.Model):
    """What every record kind keeps of a review step: the action, the states, the comment, who and when."""

    action = models.CharField("操作", max_length=30)
    old_state = models.CharField("原状态", max_length=20, choices=STATE_CHOICES)
    new_state = models.CharField("新状态", max_length=20, choices=STATE_CHOICES)
    comment = models.TextField("审核意见", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        """The action's Chinese name."""
        from jixiao.core.workflow import Action

        try:
            return Action(self.action).label
        except ValueError:
            return self.action


class StateChange(ReviewStep):
    """A step of a declaration's or self-evaluation's review, with the reviewer's comment (退回意见)."""

    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.CASCADE, related_name="state_changes"
    )
    evaluation = models.ForeignKey(
        SelfEvaluation, null=True, blank=True, on_delete=models.CASCADE, related_name="state_changes"
    )

    class Meta(ReviewStep.Meta):
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"


class Adjustment(models.Model):
    """A change to an approved target or weight (调整), with its reason: never silent."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="adjustments")
    indicator = models.ForeignKey(
        DeclarationIndicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="adjustments"
    )
    field = models.CharField("调整项", max_length=40)
    old_value = models.CharField("调整前", max_length=300, blank=True)
    new_value = models.CharField("调整后", max_length=300, blank=True)
    reason = models.TextField("调整理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "目标调整"
        verbose_name_plural = "目标调整"
        ordering = ["at", "id"]

    @property
    def field_label(self) -> str:
        """What was adjusted, in Chinese: 年度指标值 or 分值 (the indicator's own field names)."""
        try:
            field = DeclarationIndicator._meta.get_field(self.field)
        except FieldDoesNotExist:
            return "其他内容"
        # a reverse relation (evaluations, adjustments) has no verbose name: it is no adjustable field either
        return str(field.verbose_name) if isinstance(field, models.Field) else "其他内容"


class SourceCorrection(models.Model):
    """A value corrected before its file was loaded: the printed source and the correction, both kept.

    Written by the import's loading (``imports.services``) from the check page's corrections; shown on
    the record's page and in its history (原文 / 更正为 / 理由 / 更正人).
    """

    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.CASCADE, related_name="source_corrections"
    )
    evaluation = models.ForeignKey(
        SelfEvaluation, null=True, blank=True, on_delete=models.CASCADE, related_name="source_corrections"
    )
    path = models.CharField("字段", max_length=120)
    label = models.CharField("字段名称", max_length=200)
    source_value = models.TextField("原文", blank=True)
    value = models.TextField("更正为")
    reason = models.TextField("理由")
    file_name = models.CharField("文件名", max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField("更正时间")  # when it was corrected on the check page, not when it was loaded

    class Meta:
        verbose_name = "来源更正"
        verbose_name_plural = "来源更正"
        ordering = ["at", "id"]


class Publication(models.Model):
    """A frozen public version of a declaration or a self-evaluation (the document JSON)."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", "绩效目标"
        EVALUATION = "evaluation", "绩效自评"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="publications")
    evaluation = models.ForeignKey(
        SelfEvaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    year = models.PositiveSmallIntegerField("年度")
    department_name = models.CharField("主管部门", max_length=200)
    unit_name = models.CharField("实施单位", max_length=200)
    project_name = models.CharField("项目名称", max_length=200)
    # the document JSON as jixiao.core.serialize wrote it: exact digits, never floats
    document = models.TextField("公开文本（文档 JSON）")
    # what the portal's search reads: project name, unit, department and the goals, as published
    search_text = models.TextField("检索文本", blank=True)
    # a record published again supersedes its earlier version, whose page stays (stable URLs)
    current = models.BooleanField("最新公开版本", default=True, db_index=True)
    published_at = models.DateTimeField("公开时间", auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        verbose_name = "公开版本"
        verbose_name_plural = "公开版本"
        ordering = ["-year", "department_name", "project_name", "-published_at"]

    def __str__(self) -> str:
        return f"{self.project_name}（{self.year}年度{self.get_kind_display()}）"
