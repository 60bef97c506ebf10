"""The organization tree: a finance bureau, its departments (主管部门) and their units (实施单位)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


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

    def save(self, *args: object, **kwargs: object) -> None:
        """Keep ``department`` in step with the tree."""
        if self.kind == self.Kind.UNIT and self.parent is not None:
            self.department = self.parent if self.parent.kind == self.Kind.DEPARTMENT else self.parent.department
        else:
            self.department = None
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def department_or_self(self) -> Organization | None:
        """The department responsible for this node: itself for a department, its department for a unit."""
        return self if self.kind == self.Kind.DEPARTMENT else self.department
