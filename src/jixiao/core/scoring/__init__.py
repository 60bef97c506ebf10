"""Scoring a self-evaluation by the official rules, with an explanation for every score.

Public API::

    available_packs() -> list[str]                       # "mof-2020", "mof-2021-core"
    pack_for_year(pack, year) -> RulePack                # the pack, or PackError: its years do not cover year
    choose_pack(year) -> RulePack                        # no pack named: the default, or one covering year
    load_pack(name=None) -> RulePack                     # None: the default pack, mof-2020
    parse_pack(text, name) -> RulePack                   # a pack file the caller has read
    score_document(document, pack=None, project_packs=None) -> DocumentScore
    score_project(project, pack=None) -> ProjectScore
    score_indicator(indicator, index, pack) -> IndicatorScore
    score_execution(project, pack) -> ExecutionScore | None
    assess(target, actual, method, similarity) -> Assessment   # target vs actual, cached
    schedule_pct(as_of, method) -> Decimal               # 序时进度 in percent (pack.monitoring.schedule)
    schedule_terms(as_of, method) -> (elapsed, whole)    # the same as a fraction: (7, 12) for 31 July by months

The rules are data (``packs/*.toml``): weights, the formula per direction,
tier bands, grade bands, rounding, thresholds and tolerated display
roundings, each with the official text it follows. ``pack`` arguments take
a :class:`RulePack`, a pack name or ``None`` (the default). A project may
name its own pack through ``project_packs`` (project name -> pack name).

A value the target grammar cannot read is *not scorable*, with the reason;
nothing is guessed. Money and scores are :class:`~decimal.Decimal`, rounded
ROUND_HALF_UP to two places from the raw amounts.
"""

from __future__ import annotations

from jixiao.core.scoring.assess import Assessment, assess, read_value
from jixiao.core.scoring.engine import (
    DocumentScore,
    ExecutionScore,
    IndicatorScore,
    ProjectScore,
    describe_rounding,
    resolve_pack,
    score_document,
    score_execution,
    score_indicator,
    score_project,
)
from jixiao.core.scoring.formulas import grade_for
from jixiao.core.scoring.monitoring import MonitoringRules, national_default, schedule_pct, schedule_terms
from jixiao.core.scoring.packs import (
    DEFAULT_PACK,
    Basis,
    GradeBand,
    PackError,
    RulePack,
    ShareBand,
    Source,
    available_packs,
    choose_pack,
    load_pack,
    pack_for_year,
    parse_pack,
)

__all__ = [
    "DEFAULT_PACK",
    "Assessment",
    "Basis",
    "DocumentScore",
    "ExecutionScore",
    "GradeBand",
    "IndicatorScore",
    "MonitoringRules",
    "PackError",
    "ProjectScore",
    "RulePack",
    "ShareBand",
    "Source",
    "assess",
    "available_packs",
    "choose_pack",
    "describe_rounding",
    "grade_for",
    "load_pack",
    "national_default",
    "pack_for_year",
    "parse_pack",
    "read_value",
    "resolve_pack",
    "schedule_pct",
    "schedule_terms",
    "score_document",
    "score_execution",
    "score_indicator",
    "score_project",
]
