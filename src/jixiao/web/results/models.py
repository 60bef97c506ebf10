"""Results decisions (结果应用决定): what the finance bureau decided on a self-evaluation's budget proposal.

The proposal itself is never stored as the truth: it is computed from the rule pack on every read
(:mod:`jixiao.web.results.proposals`). A decision keeps a copy of the proposal it answered, so a
later change of the pack, the score or the budget shows the decision as answering an older proposal
(``stale``) rather than silently carrying it over. Only :mod:`jixiao.web.results.services` writes these.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from jixiao.core.scoring.application import Proposal
from jixiao.web.cycle.models import SelfEvaluation
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from jixiao.web.access import Person


class DecisionQuerySet(models.QuerySet["ResultDecision"]):
    """Decisions, scoped by who is asking (the project scope of their self-evaluation's project)."""

    def visible_to(self, user: Person) -> DecisionQuerySet:
        from jixiao.web.access import project_scope

        return self.filter(project_scope(user))


class ResultDecision(models.Model):
    """The finance bureau's decision on one self-evaluation's proposal: accepted, or changed with a reason."""

    class Action(models.TextChoices):
        ACCEPT = "accept", "同意建议"
        CHANGE = "change", "调整"

    evaluation = models.OneToOneField(
        SelfEvaluation, verbose_name="绩效自评表", on_delete=models.PROTECT, related_name="result_decision"
    )
    # copied from the evaluation's project for scoping and listing, as MonitoringRecord does
    unit = models.ForeignKey(Organization, verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organization, verbose_name="主管部门", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    project_name = models.CharField("项目名称", max_length=200)
    action = models.CharField("决定", max_length=10, choices=Action.choices)
    amount = models.DecimalField("决定金额（元）", max_digits=18, decimal_places=2)
    reason = models.TextField("调整理由", blank=True)
    # the proposal the decision answered, as it read then
    rule_pack = models.CharField("规则包", max_length=40)
    grade = models.CharField("等级", max_length=2)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True, blank=True)
    prior_budget = models.DecimalField("上年预算（元）", max_digits=18, decimal_places=2)
    proposal_kind = models.CharField("建议类型", max_length=20)
    proposal_label = models.CharField("建议", max_length=40)
    proposed_amount = models.DecimalField("建议金额（元）", max_digits=18, decimal_places=2)
    version = models.PositiveIntegerField("版本", default=1)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="决定人", on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField("决定时间")
    history = HistoricalRecords()

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "结果应用决定"
        verbose_name_plural = "结果应用决定"
        ordering = ["-year", "project_name", "id"]
        indexes = [models.Index(fields=["year", "department"], name="result_decision_year")]

    def __str__(self) -> str:
        return f"{self.project_name}（{self.year}年度结果应用决定）"

    def answers(self, proposal: Proposal, pack: str) -> bool:
        """True when the decision answered this very proposal (same pack, result, budget and amount)."""
        return (
            self.rule_pack == pack
            and self.grade == proposal.grade
            and self.score == proposal.score
            and self.prior_budget == proposal.prior_budget
            and self.proposal_kind == proposal.kind
            and self.proposal_label == proposal.label
            and self.proposed_amount == proposal.amount
        )

    @property
    def difference(self) -> Decimal:
        """The decided amount less the prior budget."""
        return self.amount - self.prior_budget


class ResultsClosure(models.Model):
    """A year whose results are closed: its decisions can no longer be made or revised."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="关闭人", on_delete=models.PROTECT, related_name="+", null=True
    )
    closed_at = models.DateTimeField("关闭时间", auto_now_add=True)

    class Meta:
        verbose_name = "结果应用年度关闭"
        verbose_name_plural = "结果应用年度关闭"

    def __str__(self) -> str:
        return f"{self.year}年度结果应用已关闭"
