"""Copy forward (结转): a continuing project's last approved year, read for its next declaration.

A project's next declaration may start from its latest earlier declaration that is approved or
published (:func:`prior_declaration`); the editor then shows last year's target, actual value and
whether it was met beside each indicator, with last year's grade and score on top
(:func:`prior_panel`); and the review compares this year's targets with them through
:class:`jixiao.core.review.PriorYear`, plain data built here (:func:`prior_year`) so core never reads
a record. What is copied and what is not: docs/decisions/0022-copy-forward.md.

Last year's actual values come from its self-evaluation once submitted: a draft is still being
filled in, and the cross-document review ignores drafts for the same reason (``services.across``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from jixiao.core.model import Indicator
from jixiao.core.review import PriorYear
from jixiao.core.review.across import match_indicators
from jixiao.core.scoring import load_pack
from jixiao.core.scoring.assess import assess
from jixiao.core.workflow import FROZEN_VALUES, State
from jixiao.web.cycle.documents import declaration_project
from jixiao.web.cycle.models import Declaration, DeclarationIndicator, EvaluationIndicator, SelfEvaluation

__all__ = ["PriorPanel", "PriorRow", "prior_declaration", "prior_panel", "prior_year"]


def prior_declaration(project_id: int, year: int) -> Declaration | None:
    """The project's latest declaration before ``year`` that is approved or published, if any."""
    return (
        Declaration.objects.filter(project_id=project_id, year__lt=year, state__in=FROZEN_VALUES)
        .select_related("project__unit", "project__department")
        .order_by("-year")
        .first()
    )


def _evaluation(prior: Declaration) -> SelfEvaluation | None:
    """Last year's self-evaluation once it left draft: the one whose actual values count."""
    return SelfEvaluation.objects.filter(declaration=prior).exclude(state=State.DRAFT.value).first()


@dataclass(frozen=True)
class _Last:
    """Last year's record as read once: the declaration, its rows, the self-evaluation and its actual values."""

    declaration: Declaration
    rows: list[DeclarationIndicator]
    evaluation: SelfEvaluation | None
    actuals: dict[int, str]


def _read(decl: Declaration) -> _Last | None:
    prior = prior_declaration(decl.project_id, decl.year)
    if prior is None:
        return None
    rows = list(prior.indicators.all())
    evaluation = _evaluation(prior)
    actuals: dict[int, str] = {}
    if evaluation is not None:
        actuals = dict(
            EvaluationIndicator.objects.filter(evaluation=evaluation)
            .exclude(actual="")
            .values_list("indicator_id", "actual")
        )
    return _Last(prior, rows, evaluation, actuals)


def _grade(ev: SelfEvaluation | None) -> tuple[str | None, Decimal | None]:
    """Last year's grade and score: as recorded, else as the rule pack computed them."""
    if ev is None:
        return None, None
    score = ev.total_score if ev.total_score is not None else ev.suggested_total
    return (ev.grade or ev.summary_grade or None), score


def prior_year(decl: Declaration) -> PriorYear | None:
    """The declaration's project's last approved year as core's plain data, or None for a first year."""
    last = _read(decl)
    if last is None:
        return None
    base = declaration_project(last.declaration, last.rows)
    indicators = tuple(
        replace(i, actual=last.actuals.get(r.pk)) for i, r in zip(base.indicators, last.rows, strict=True)
    )
    grade, score = _grade(last.evaluation)
    kind = "自评表" if last.evaluation is not None else "申报表"
    return PriorYear(
        year=last.declaration.year,
        source=f"{last.declaration.year}年度{kind}",
        project=replace(base, indicators=indicators),
        evaluated=last.evaluation is not None,
        grade=grade,
        score=score,
    )


@dataclass(frozen=True)
class PriorRow:
    """Last year's line beside one indicator: its target, actual value and whether it was met."""

    target: str
    actual: str
    met: bool | None

    @property
    def met_label(self) -> str:
        """已完成, 未完成, or 无法判断 (no actual value, or one the rules cannot compare)."""
        if not self.actual:
            return "未自评"
        if self.met is None:
            return "无法判断"
        return "已完成" if self.met else "未完成"


@dataclass(frozen=True)
class PriorPanel:
    """What the editor shows of last year: the year, grade and score, and a line per matching indicator."""

    year: int
    declaration_pk: int
    evaluation_pk: int | None
    grade: str | None
    score: Decimal | None
    rows: list[PriorRow | None]  # one per indicator of this year, in the editor's order


def prior_panel(decl: Declaration, names: Sequence[tuple[str, str, str]]) -> PriorPanel | None:
    """Last year beside this year's rows, given as (level1, level2, name); None for a project's first year.

    Rows pair with last year's indicators as the review pairs them (by name, tolerant of small changes).
    """
    last = _read(decl)
    if last is None:
        return None
    pack = load_pack(last.declaration.rule_pack)
    similarity = pack.phrase_similarity if pack.same_phrase_is_met else None
    before = [Indicator(r.level1, r.level2 or None, r.name, r.target) for r in last.rows]
    now = [Indicator(level1, level2 or None, name) for level1, level2, name in names]
    pairs, _, _ = match_indicators(before, now)
    rows: list[PriorRow | None] = [None] * len(now)
    for ia, ib in pairs:
        row = last.rows[ia]
        actual = last.actuals.get(row.pk, "")
        met = assess(row.target, actual, pack.reverse_completion, similarity).met if actual else None
        rows[ib] = PriorRow(row.target, actual, met)
    grade, score = _grade(last.evaluation)
    return PriorPanel(
        year=last.declaration.year,
        declaration_pk=last.declaration.pk,
        evaluation_pk=last.evaluation.pk if last.evaluation is not None else None,
        grade=grade,
        score=score,
        rows=rows,
    )
