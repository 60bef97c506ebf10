"""The review a write stores with its record: findings, counts and computed figures; what blocks a step."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import models

from jixiao.core.model import Document, Kind
from jixiao.core.review import Finding, LibraryRanges, blocking, review_document
from jixiao.core.scoring import RulePack
from jixiao.web.cycle.documents import declaration_document, evaluation_document, evaluation_project
from jixiao.web.cycle.models import Declaration, SelfEvaluation, StoredFinding
from jixiao.web.cycle.packs import record_pack
from jixiao.web.cycle.services.across import ACROSS, refresh_across
from jixiao.web.cycle.services.common import Record
from jixiao.web.library.queries import ranges_for


def _fitting(value: Decimal | None, model: type[models.Model], field: str) -> Decimal | None:
    """``value`` when its column can hold it, else None."""
    if value is None:
        return None
    column = model._meta.get_field(field)
    # only ever asked about the records' decimal columns (execution_rate, suggested_total)
    assert isinstance(column, models.DecimalField)
    return value if value.adjusted() < column.max_digits - column.decimal_places else None


def refresh_findings(record_: Record, *, across: bool = True) -> list[Finding]:
    """Review the record again (by its rule pack) and store its findings, counts and computed figures.

    Called by every write in the same transaction, so lists, summary tables
    and charts read stored values instead of reviewing thousands of records
    per page. The cross-document findings of the record's unit are refreshed
    too (:mod:`jixiao.web.cycle.services.across`), unless ``across`` is False: a load
    of many records refreshes them once at its end. Returns the record's own
    findings, for a caller that decides on them.
    """
    from jixiao.core.scoring import grade_for, score_project
    from jixiao.core.scoring.formulas import quantize

    pack = record_pack(record_)
    owner: dict[str, Declaration | SelfEvaluation]
    library: LibraryRanges = {}
    if isinstance(record_, Declaration):
        document = declaration_document(record_)
        owner = {"declaration": record_}
        # targets are set here: compare them with what similar projects set (the stored 指标库)
        library = ranges_for(document)
    else:
        document = evaluation_document(record_)
        owner = {"evaluation": record_}
    findings = review_document(document, pack, library=library)
    # this record's own findings; the cross-document ones are the unit's refresh's (kept, and counted below)
    StoredFinding.objects.filter(**owner).exclude(code__in=ACROSS).delete()
    StoredFinding.objects.bulk_create(
        StoredFinding(
            **owner,
            code=f.code,
            severity=f.severity.value,
            indicator_index=f.indicator_index,
            indicator=(f.indicator or "")[:300],
            field=f.field or "",
            message=f.message,
            expected=(f.expected or "")[:300],
            found=(f.found or "")[:300],
        )
        for f in findings
    )
    severities = [f.severity.value for f in findings]
    severities += StoredFinding.objects.filter(**owner, code__in=ACROSS).values_list("severity", flat=True)
    counts = {s: severities.count(s) for s in ("error", "warning", "info")}
    values: dict[str, Any] = {"errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]}
    if isinstance(record_, SelfEvaluation):
        executed, adjusted = record_.executed_total, record_.adjusted_total
        rate = quantize(executed / adjusted * 100, Decimal("0.01")) if executed is not None and adjusted else None
        # a figure too large for its column is an absurd form, not a reason to fail the write: keep it empty
        values["execution_rate"] = _fitting(rate, SelfEvaluation, "execution_rate")
        values["suggested_total"] = _fitting(
            score_project(document.projects[0], pack).total_suggested, SelfEvaluation, "suggested_total"
        )
        total = record_.total_score
        values["summary_grade"] = record_.grade or (grade_for(total, pack) if total is not None else "")
    # a plain update: these are derived figures, not a change of the record that history must keep
    type(record_).objects.filter(pk=record_.pk).update(**values)
    for key, value in values.items():
        setattr(record_, key, value)
    if across:
        # the refresh recounts this record too when its cross-document findings changed
        decl = record_ if isinstance(record_, Declaration) else record_.declaration
        recounted = refresh_across(decl.project.unit_id, decl.project_id)
        record_key = ("declaration" if isinstance(record_, Declaration) else "evaluation", record_.pk)
        for name, value in recounted.get(record_key, {}).items():
            setattr(record_, name, value)
    return findings


def repack(record_: Record, pack: str) -> None:
    """Score the record by another rule pack from now on (the finance bureau's choice) and review it again.

    Through ``save()``: the record's history keeps the change of rules. The caller holds the transaction.
    """
    record_.rule_pack = pack
    record_.save()
    refresh_findings(record_)


def evaluation_problems(ev: SelfEvaluation) -> list[str]:
    """What must be fixed before a self-evaluation can be submitted, in words a filer understands."""
    reasons = [r.score_reason for r in ev.indicators.select_related("indicator").order_by("indicator__position")]
    return project_problems(evaluation_project(ev), reasons, record_pack(ev), ev.declaration.year)


def project_problems(project: Any, reasons: Sequence[str], pack: RulePack, year: int | None = None) -> list[str]:
    """The submission blockers of a self-evaluation given as a core project and its score reasons.

    Shared by the save check and the live preview, so the page says before
    submission exactly what the submission will refuse: what is missing, and
    every figure that cannot be (weights off the pack's split, a total above
    its maximum, a score beyond its weight).
    """
    from jixiao.core.scoring import score_project

    problems: list[str] = []
    scores = score_project(project, pack)
    for n, (indicator, score) in enumerate(zip(project.indicators, scores.indicators, strict=True), start=1):
        where = f"第{n}行「{indicator.name}」"
        if not indicator.actual:
            problems.append(f"{where}：请填写实际完成值。")
        if indicator.score is None:
            problems.append(f"{where}：请填写得分。")
            continue
        if indicator.weight is not None and not Decimal(0) <= indicator.score <= indicator.weight:
            problems.append(f"{where}：得分 {indicator.score} 应在 0 到分值 {indicator.weight} 之间。")
        reason = reasons[n - 1] if n - 1 < len(reasons) else ""
        if score.differs and not reason.strip():
            problems.append(f"{where}：填报得分 {indicator.score} 与建议得分 {score.suggested} 不同，请说明理由。")
        short = indicator.weight is not None and indicator.score < indicator.weight
        if short and not (indicator.deviation or "").strip():
            problems.append(f"{where}：得分低于分值，请填写偏差原因分析及改进措施。")
    total = project.funds.total
    if total is None or total.executed is None or total.adjusted is None:
        problems.append("请填写全年预算数和全年执行数。")
    if not (project.outcome or "").strip():
        problems.append("请填写实际完成情况。")
    document = Document(kind=Kind.SELF_EVALUATION, year=year, projects=(project,))
    # a score beyond its weight is said above, row by row; the other impossible figures come from the review
    problems += [f.message for f in blocking(review_document(document, pack)) if f.field != "score"]
    return problems


def declaration_problems(decl: Declaration) -> list[str]:
    """What must be fixed before a declaration can be submitted: what is missing, and weights that cannot be."""
    problems = []
    if not decl.goal.strip():
        problems.append("请填写年度总体目标。")
    if decl.requested_total is None:
        problems.append("请填写年度资金申请总额。")
    indicators = list(decl.indicators.all())
    if not indicators:
        problems.append("请至少填写一个绩效指标。")
    for n, i in enumerate(indicators, start=1):
        if not i.target:
            problems.append(f"第{n}行「{i.name}」：请填写年度指标值。")
        # the weights are fixed when the targets are approved: the self-evaluation is scored on them
        if i.weight is None and decl.kind == Declaration.Kind.PROJECT:
            problems.append(f"第{n}行「{i.name}」：请填写分值。")
    return problems + figure_problems(decl, indicators)


def figure_problems(record_: Record, rows: Sequence[Any] | None = None) -> list[str]:
    """Every figure of the record that cannot be, by its rule pack: what keeps it from any further step.

    A weight beyond its range, indicator weights off the pack's split, a score beyond its weight, a
    total above the pack's maximum (``jixiao.core.review.blocking``).
    """
    pack = record_pack(record_)
    if isinstance(record_, Declaration):
        document = declaration_document(record_, rows)
    else:
        document = evaluation_document(record_, rows)
    return [f.message for f in blocking(review_document(document, pack))]
