"""Small, clean documents for the review tests: each check's test changes one thing in them.

The baselines pass every check; a test replaces one field to trigger exactly
the check it is about.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from jixiao.core.model import Document, Execution, FundRow, Funds, Indicator, Kind, Project

D = Decimal


def ind(
    name: str,
    target: str | None,
    actual: str | None = None,
    weight: str | None = None,
    score: str | None = None,
    level1: str = "产出指标",
    level2: str | None = "数量指标",
    deviation: str | None = None,
) -> Indicator:
    """An indicator with its numbers given as strings (read as Decimal)."""
    return Indicator(
        level1,
        level2,
        name,
        target,
        actual,
        None if weight is None else D(weight),
        None if score is None else D(score),
        deviation,
    )


EVAL_INDICATORS = (
    ind("业务培训次数", "≥2次", "2次", "20", "20"),
    ind("培训考核合格率", "≥90%", "95%", "20", "20", level2="质量指标"),
    ind("培训完成及时率", "=100%", "100%", "10", "10", level2="时效指标"),
    ind("参训人员考核通过人数", "≥50人", "55人", "30", "30", level1="效益指标", level2="社会效益指标"),
    ind("参训人员满意度", "≥90%", "95%", "10", "10", level1="满意度指标", level2="服务对象满意度指标"),
)

DECL_INDICATORS = tuple(replace(i, actual=None, weight=None, score=None) for i in EVAL_INDICATORS)


def evaluation(**changes: object) -> Project:
    """A clean self-evaluation form: every figure adds up, every score follows the rule."""
    project = Project(
        name="业务培训专项经费",
        department="某区人力资源和社会保障局",
        unit="某区职业技能培训中心",
        money_unit="元",
        funds=Funds(
            total=FundRow(D("100000.00"), D("100000.00"), D("95000.00"), rate_pct=D("95.00")),
            current_appropriation=FundRow(D("100000.00"), D("100000.00"), D("95000.00")),
            carryover=FundRow(D("0"), D("0"), D("0")),
            other=FundRow(D("0"), D("0"), D("0")),
        ),
        execution=Execution(D("10"), D("95.00"), D("9.50")),
        goal="全年组织业务培训 2 次，参训人员考核合格率达到 90% 以上。",
        outcome="全年组织业务培训 2 次，培训 55 人，考核合格率 95%，结余资金 5,000 元因集中采购降价形成。",
        indicators=EVAL_INDICATORS,
        total_score=D("99.50"),
        grade="优",
    )
    return replace(project, **changes)  # type: ignore[arg-type]


def declaration(**changes: object) -> Project:
    """A clean target declaration form of the same project."""
    project = Project(
        name="业务培训专项经费",
        department="某区人力资源和社会保障局",
        unit="某区职业技能培训中心",
        money_unit="元",
        funds=Funds(
            total=FundRow(requested=D("100000.00")),
            current_appropriation=FundRow(requested=D("100000.00")),
            carryover=FundRow(requested=D("0")),
            other=FundRow(requested=D("0")),
        ),
        goal="全年组织业务培训 2 次，参训人员考核合格率达到 90% 以上。",
        indicators=DECL_INDICATORS,
    )
    return replace(project, **changes)  # type: ignore[arg-type]


def eval_doc(*projects: Project, year: int = 2024) -> Document:
    """A self-evaluation document (the clean form when no project is given)."""
    return Document(Kind.SELF_EVALUATION, year, projects or (evaluation(),))


def decl_doc(*projects: Project, year: int = 2024) -> Document:
    """A declaration document (the clean form when no project is given)."""
    return Document(Kind.TARGET_DECLARATION, year, projects or (declaration(),))


def with_indicator(project: Project, index: int, **changes: object) -> Project:
    """The project with one indicator changed (``weight`` and ``score`` may be given as strings)."""
    for key in ("weight", "score"):
        if isinstance(changes.get(key), str):
            changes[key] = D(str(changes[key]))
    inds = list(project.indicators)
    inds[index] = replace(inds[index], **changes)  # type: ignore[arg-type]
    return replace(project, indicators=tuple(inds))


def mon(
    name: str,
    target: str,
    actual: str | None,
    forecast: str | None,
    likelihood: str | None = "确定能",
    level1: str = "产出指标",
    level2: str | None = "数量指标",
) -> Indicator:
    """A monitoring row: target, value so far (截至监控日完成值), full-year forecast and likelihood."""
    return Indicator(level1, level2, name, target, actual, forecast=forecast, likelihood=likelihood)


MON_INDICATORS = (
    mon("业务培训次数", "≥2次", "1次", "2次"),
    mon("培训考核合格率", "≥90%", "92%", "95%", level2="质量指标"),
    mon("培训完成及时率", "=100%", "100%", "100%", level2="时效指标"),
    mon("人均培训成本", "≤500元", "320元", "480元", level1="成本指标", level2="经济成本指标"),
    mon("参训人员考核通过人数", "≥50人", "30人", "55人", level1="效益指标", level2="社会效益指标"),
    mon("参训人员满意度", "≥90%", "93%", "95%", level1="满意度指标", level2="服务对象满意度指标"),
)


def monitoring(**changes: object) -> Project:
    """A clean monitoring form at 31 July 2024: on schedule, every forecast meets its target."""
    project = Project(
        name="业务培训专项经费",
        department="某区人力资源和社会保障局",
        unit="某区职业技能培训中心",
        money_unit="元",
        funds=Funds(
            total=FundRow(adjusted=D("100000.00"), executed=D("60000.00"), rate_pct=D("60.00"), forecast=D("98000.00"))
        ),
        goal="全年组织业务培训 2 次，参训人员考核合格率达到 90% 以上。",
        outcome="截至7月底已组织业务培训 1 次，培训 30 人，考核合格率 92%。",
        indicators=MON_INDICATORS,
        as_of="2024-07-31",
    )
    return replace(project, **changes)  # type: ignore[arg-type]


def mon_doc(*projects: Project, year: int = 2024) -> Document:
    """A monitoring document (the clean form when no project is given)."""
    return Document(Kind.MONITORING, year, projects or (monitoring(),))
