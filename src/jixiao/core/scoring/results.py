"""The results of scoring: per indicator, the execution row, per project and per document.

Frozen records with a ``to_dict()`` for JSON output; numbers are written
as strings of their decimal digits so no float ever appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.core.model import Kind
from jixiao.core.scoring.assess import Assessment
from jixiao.core.targets import Tier

__all__ = ["DocumentScore", "ExecutionScore", "IndicatorScore", "ProjectScore"]


# Strings, not JSON numbers: a consumer's float parser would turn 9.41 into 9.4100000000000001.
def _s(value: Decimal | None) -> str | None:
    """A Decimal for JSON: its printed digits as a string, so no float ever appears."""
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """The suggested score of one indicator beside its recorded one, with the reasoning.

    ``band`` is the closed range of scores the rule accepts (a qualitative
    tier's band; for a formula score, just the suggested score). ``differs``
    is True when the recorded score lies outside ``band`` by more than the
    pack's tolerance.
    """

    index: int
    name: str
    weight: Decimal | None
    recorded: Decimal | None
    suggested: Decimal | None
    scorable: bool
    reason: str | None
    rule: str
    explanation: str
    tier: Tier | None
    completion: Decimal | None
    band: tuple[Decimal, Decimal] | None
    differs: bool
    assessment: Assessment

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this score (numbers as strings)."""
        return {
            "index": self.index,
            "name": self.name,
            "weight": _s(self.weight),
            "recorded": _s(self.recorded),
            "suggested": _s(self.suggested),
            "scorable": self.scorable,
            "reason": self.reason,
            "rule": self.rule,
            "explanation": self.explanation,
            "tier": self.tier.value if self.tier else None,
            "completion": _s(self.completion),
            "band": None if self.band is None else [str(self.band[0]), str(self.band[1])],
            "differs": self.differs,
        }


@dataclass(frozen=True, slots=True)
class ExecutionScore:
    """The budget execution score (预算执行率得分) recomputed from the amounts.

    ``rate`` is executed ÷ adjusted from the printed amounts; ``rate_range``
    the interval the amounts allow at their printed precision; ``accepted``
    the closed range of execution scores that interval gives.
    ``rate_consistent`` says whether the printed 执行率 is one of the
    pack's display roundings of a rate in that interval (None when no rate
    or no amounts are printed).
    """

    weight: Decimal
    recorded: Decimal | None
    printed_rate_pct: Decimal | None
    executed: Decimal | None
    adjusted: Decimal | None
    rate: Decimal | None
    rate_range: tuple[Decimal, Decimal] | None
    rate_consistent: bool | None
    suggested: Decimal | None
    accepted: tuple[Decimal, Decimal] | None
    scorable: bool
    reason: str | None
    rule: str
    explanation: str
    arithmetic: str = ""

    @property
    def differs(self) -> bool:
        """True when the recorded score lies outside the accepted range (pack tolerance applied)."""
        return (
            self.recorded is not None
            and self.accepted is not None
            and not self.accepted[0] <= self.recorded <= self.accepted[1]
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this score (numbers as strings)."""
        return {
            "weight": _s(self.weight),
            "recorded": _s(self.recorded),
            "printed_rate_pct": _s(self.printed_rate_pct),
            "rate": _s(self.rate),
            "rate_consistent": self.rate_consistent,
            "suggested": _s(self.suggested),
            "scorable": self.scorable,
            "reason": self.reason,
            "rule": self.rule,
            "explanation": self.explanation,
            "differs": self.differs,
        }


@dataclass(frozen=True, slots=True)
class ProjectScore:
    """One project's scores: indicators, execution, totals and grades, recorded and suggested.

    ``total_recorded`` is the recorded execution score plus the recorded
    indicator scores (what the printed 总分 should equal);
    ``total_suggested`` uses the suggested scores, and the recorded score
    where an indicator is not scorable (``unscored`` counts those).
    """

    name: str
    unit: str | None
    pack: str
    indicators: tuple[IndicatorScore, ...]
    execution: ExecutionScore | None
    total_printed: Decimal | None
    total_recorded: Decimal | None
    total_suggested: Decimal | None
    unscored: int
    grade_printed: str | None
    grade_recorded: str | None
    grade_suggested: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this project's scores."""
        return {
            "name": self.name,
            "unit": self.unit,
            "pack": self.pack,
            "execution": None if self.execution is None else self.execution.to_dict(),
            "indicators": [i.to_dict() for i in self.indicators],
            "total_printed": _s(self.total_printed),
            "total_recorded": _s(self.total_recorded),
            "total_suggested": _s(self.total_suggested),
            "unscored": self.unscored,
            "grade_printed": self.grade_printed,
            "grade_recorded": self.grade_recorded,
            "grade_suggested": self.grade_suggested,
        }


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """The scores of every project of a document."""

    kind: Kind
    year: int | None
    pack: str
    projects: tuple[ProjectScore, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the document's scores."""
        return {
            "kind": self.kind.value,
            "year": self.year,
            "pack": self.pack,
            "projects": [p.to_dict() for p in self.projects],
        }
