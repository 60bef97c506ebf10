"""The organization tree: a finance bureau, its departments (主管部门) and their units (实施单位)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from jixiao.core.scoring import DEFAULT_PACK, PackError, load_pack


class Organization(models.Model):
    """A node of the tree. A department may run projects itself, as its own unit."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", "财政部门"
        DEPARTMENT = "department", "主管部门"
        UNIT = "unit", "实施单位"

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Denormalised for scoping: a unit's department; null for departments and the bureau.
    department = models.ForeignKey(
        "self", verbose_name="主管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("单位编码", max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent")]

    def __str__(self) -> str:
        return self.name

    def save(
        self,
        *,
        force_insert: bool | tuple[models.base.ModelBase, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Keep ``department`` in step with the tree."""
        if self.kind == self.Kind.UNIT and self.parent is not None:
            self.department = self.parent if self.parent.kind == self.Kind.DEPARTMENT else self.parent.department
        else:
            self.department = None
        super().save(force_insert=force_insert, force_update=force_update, using=using, update_fields=update_fields)

    @property
    def department_or_self(self) -> Organization | None:
        """The department responsible for this node: itself for a department, its department for a unit."""
        return self if self.kind == self.Kind.DEPARTMENT else self.department


class RulePackChoiceQuerySet(models.QuerySet["RulePackChoice"]):
    """The rule-pack settings; :meth:`pack_for` is the one place that decides a record's pack."""

    def pack_for(self, department_id: int | None, year: int) -> str:
        """The pack a department's records of ``year`` are scored by: its latest setting from that year or
        earlier, when that pack covers the year (``RulePack.applies_to``); else the default pack."""
        choice = (
            self.filter(department_id=department_id, from_year__lte=year).order_by("-from_year").first()
            if department_id is not None
            else None
        )
        if choice is not None:
            try:
                if load_pack(choice.pack).applies_to(year):
                    return choice.pack
            except PackError:  # a pack no longer shipped: the default, as for a department without a setting
                pass
        return DEFAULT_PACK


class RulePackChoice(models.Model):
    """From ``from_year`` on (until the department's next setting) its records are scored by ``pack``.

    Chosen by the finance bureau through :func:`jixiao.web.orgs.services.choose_pack`, every change
    audited; see docs/decisions/0006-rule-pack-per-department.md.
    """

    department = models.ForeignKey(
        Organization, verbose_name="主管部门", on_delete=models.PROTECT, related_name="rule_packs"
    )
    from_year = models.PositiveSmallIntegerField("起始年度")
    pack = models.CharField("评分规则包", max_length=40)
    reason = models.TextField("理由", blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设定人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField("设定时间", auto_now=True)
    history = HistoricalRecords()

    objects = RulePackChoiceQuerySet.as_manager()

    class Meta:
        verbose_name = "评分规则包设定"
        verbose_name_plural = "评分规则包设定"
        ordering = ["department__name", "from_year"]
        constraints = [
            models.UniqueConstraint(fields=["department", "from_year"], name="rule_pack_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.department.name}：{self.from_year}年度起 {self.pack}"
