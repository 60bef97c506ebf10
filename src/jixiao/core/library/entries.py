"""One library entry (指标库条目) and the library, with their JSON shape (``jixiao.library/1``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

SCHEMA = "jixiao.library/1"
DIRECTIONS = ("越大越好", "越小越好", "区间", "定性")


@dataclass(frozen=True)
class TargetRange:
    """The numeric targets set in one unit: how many, min, quartiles, max (Decimal, as printed)."""

    unit: str
    count: int
    min: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    max: Decimal


@dataclass(frozen=True)
class Entry:
    """One indicator of the library: a cluster of names that mean the same indicator.

    ``met`` / ``assessed`` count the uses whose actual value was judged against the target
    (:func:`jixiao.core.scoring.assess.assess`); ``common`` is 共性 (the 101号 framework, or used
    by enough departments), otherwise project-specific.
    """

    code: str
    key: str
    name: str
    level1: str
    level2: str
    common: bool
    uses: int
    projects: int
    departments: int
    unit: str
    direction: str
    variants: dict[str, int] = field(default_factory=dict)
    years: tuple[int, ...] = ()
    sectors: dict[str, int] = field(default_factory=dict)
    directions: dict[str, int] = field(default_factory=dict)
    targets: tuple[TargetRange, ...] = ()
    assessed: int = 0
    met: int = 0
    examples: tuple[str, ...] = ()

    @property
    def met_rate(self) -> Decimal | None:
        """The share of judged uses that met their target, to 0.1%; None when none was judged."""
        if not self.assessed:
            return None
        return (Decimal(self.met) * 100 / self.assessed).quantize(Decimal("0.1"))

    def to_json(self) -> dict[str, Any]:
        """The entry as JSON values (Decimals as strings, exact)."""
        data = asdict(self)
        data["years"] = list(self.years)
        data["examples"] = list(self.examples)
        data["targets"] = [
            {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(t).items()} for t in self.targets
        ]
        rate = self.met_rate
        data["met_rate_pct"] = None if rate is None else str(rate)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        """The entry read back from :meth:`to_json`."""
        values = {k: v for k, v in data.items() if k != "met_rate_pct"}
        values["years"] = tuple(data.get("years", ()))
        values["examples"] = tuple(data.get("examples", ()))
        values["targets"] = tuple(
            TargetRange(
                unit=t["unit"],
                count=int(t["count"]),
                **{k: Decimal(t[k]) for k in ("min", "q1", "median", "q3", "max")},
            )
            for t in data.get("targets", ())
        )
        return cls(**values)


@dataclass(frozen=True)
class Library:
    """The entries mined from a set of documents, most used first, and what they were mined from."""

    entries: tuple[Entry, ...]
    documents: int
    projects: int
    indicators: int
    framework: str

    def to_json(self) -> dict[str, Any]:
        """The library as one JSON object."""
        return {
            "schema": SCHEMA,
            "framework": self.framework,
            "documents": self.documents,
            "projects": self.projects,
            "indicators": self.indicators,
            "entries": [e.to_json() for e in self.entries],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Library:
        """The library read back from :meth:`to_json`; ``ValueError`` (in Chinese) when it is not one."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError(f'不是 jixiao 指标库文件（应有 "schema": "{SCHEMA}"，由 jixiao library build 写出）')
        try:
            entries = tuple(Entry.from_json(e) for e in data["entries"])
        except (KeyError, TypeError, ArithmeticError) as exc:
            raise ValueError(f"指标库文件的条目不完整或有误：{exc}") from None
        return cls(entries, int(data["documents"]), int(data["projects"]), int(data["indicators"]), data["framework"])
