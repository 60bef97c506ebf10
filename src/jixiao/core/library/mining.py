"""Mining the indicator library from documents: every indicator row of every project, clustered by name.

Feed documents to a :class:`Miner` one at a time (memory grows with the number of distinct
indicators and projects, not with the documents), then :meth:`Miner.library`. Each row's target is
read by :func:`jixiao.core.targets.parse_target` for its unit, direction and number; where the row
has an actual value (self-evaluations, transfer forms, monitoring), the scoring's own judgement
(:func:`jixiao.core.scoring.assess.assess`) says whether the target was met.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.library.entries import Entry, Library, TargetRange
from jixiao.core.library.names import NameRules, cluster_key, default_rules
from jixiao.core.library.tables import CommonIndicator, framework, sectors_of
from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.core.scoring.assess import assess, read_value
from jixiao.core.targets import Compound, Operator, Qualitative, Quantity

EXAMPLES = 20  # project names kept per entry to show where it is used; the count is kept in full
_REVERSE = (Operator.LE, Operator.LT)
_RANGE_LABELS = frozenset({"下限", "上限"})


def direction_of(target: str | None) -> tuple[str | None, list[Quantity]]:
    """The direction a target states (越大越好 / 越小越好 / 区间 / 定性) and its numeric parts; None if unreadable."""
    value = read_value(target)
    if isinstance(value, Quantity):
        return ("越小越好" if value.operator in _REVERSE else "越大越好"), [value]
    if isinstance(value, Compound):
        parts = [p.quantity for p in value.parts]
        if {p.label for p in value.parts} == _RANGE_LABELS:
            return "区间", parts
        return ("越小越好" if parts[0].operator in _REVERSE else "越大越好"), parts
    if isinstance(value, Qualitative):
        return "定性", []
    return None, []


def quartiles(numbers: list[Decimal]) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
    """(min, q1, median, q3, max) by linear interpolation between ranks, exact in Decimal."""
    s = sorted(numbers)

    def at(p: Decimal) -> Decimal:
        pos = (len(s) - 1) * p
        lo = int(pos)
        frac = pos - lo
        if lo + 1 >= len(s) or not frac or s[lo + 1] == s[lo]:
            return s[lo]
        return s[lo] + (s[lo + 1] - s[lo]) * frac

    return s[0], at(Decimal("0.25")), at(Decimal("0.5")), at(Decimal("0.75")), s[-1]


@dataclass
class _Cluster:
    """What is gathered for one cluster key while documents are read."""

    variants: Counter[str] = field(default_factory=Counter)
    classes: Counter[tuple[str, str]] = field(default_factory=Counter)
    projects: set[str] = field(default_factory=set)
    departments: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    sectors: Counter[str] = field(default_factory=Counter)
    units: Counter[str] = field(default_factory=Counter)
    directions: Counter[str] = field(default_factory=Counter)
    numbers: dict[str, list[Decimal]] = field(default_factory=dict)
    uses: int = 0
    assessed: int = 0
    met: int = 0


class Miner:
    """Collects the indicators of documents into clusters; :meth:`library` makes the entries."""

    def __init__(self, rules: NameRules | None = None, aliases: Mapping[str, str] | None = None) -> None:
        """``aliases`` maps a cluster key to another (a curated merge): its rows are gathered under that key."""
        self.rules = rules or default_rules()
        self.aliases = dict(aliases or {})
        self.clusters: dict[str, _Cluster] = {}
        self.documents = 0
        self.projects: set[tuple[str, int | None]] = set()
        self.indicators = 0

    def add(self, document: Document) -> None:
        """Gather every indicator row of every project of ``document``."""
        self.documents += 1
        judged = document.kind is not Kind.TARGET_DECLARATION
        for project in document.projects:
            self.projects.add((project.name, document.year))
            tags = sectors_of(project.name, project.department, project.unit, project.central_department)
            for indicator in project.indicators:
                self._add_row(indicator, project, document.year, tags, judged)

    def _add_row(self, row: Indicator, project: Project, year: int | None, tags: tuple[str, ...], judged: bool) -> None:
        key = cluster_key(row.name, self.rules)
        if not key:
            return
        key = self.aliases.get(key, key)
        self.indicators += 1
        c = self.clusters.get(key)
        if c is None:
            c = self.clusters[key] = _Cluster()
        c.uses += 1
        c.variants[row.name.strip()] += 1
        c.classes[(row.level1 or "", row.level2 or "")] += 1
        c.projects.add(project.name)
        if project.department or project.unit:
            c.departments.add(project.department or project.unit or "")
        if year is not None:
            c.years.add(year)
        c.sectors.update(tags)
        direction, parts = direction_of(row.target)
        if direction:
            c.directions[direction] += 1
        for q in parts:
            unit = q.unit or ""
            c.units[unit] += 1
            c.numbers.setdefault(unit, []).append(q.number)
        if judged and row.actual and row.target:
            a = assess(row.target, row.actual)
            if a.scorable and a.met is not None:
                c.assessed += 1
                c.met += int(a.met)

    def library(self) -> Library:
        """The library of everything gathered, plus the framework's common indicators none used; most used first."""
        fw = framework()
        seeds = {cluster_key(c.name, self.rules): c for c in fw.common}
        entries = [self._entry(key, c, seeds.get(key), fw.common_from_departments) for key, c in self.clusters.items()]
        for key, seed in seeds.items():
            if key not in self.clusters:
                entries.append(self._entry(key, _Cluster(), seed, fw.common_from_departments))
        entries.sort(key=lambda e: (-e.uses, e.code))
        return Library(tuple(entries), self.documents, len(self.projects), self.indicators, fw.source)

    @staticmethod
    def _entry(key: str, c: _Cluster, seed: CommonIndicator | None, common_from: int) -> Entry:
        level1, level2 = next(((a, b) for (a, b), _ in c.classes.most_common() if a or b), ("", ""))
        name = c.variants.most_common(1)[0][0] if c.variants else key
        unit = c.units.most_common(1)[0][0] if c.units else ""
        direction = c.directions.most_common(1)[0][0] if c.directions else ""
        if seed is not None:
            level1, level2, name = seed.level1, seed.level2, seed.name
            unit, direction = unit or seed.unit, direction or seed.direction
        targets = tuple(
            TargetRange(u, len(nums), *quartiles(nums))
            for u, nums in sorted(c.numbers.items(), key=lambda kv: -len(kv[1]))
        )
        return Entry(
            code=seed.code if seed else "ZB-" + hashlib.sha1(key.encode()).hexdigest()[:8].upper(),
            key=key,
            name=name,
            level1=level1,
            level2=level2,
            common=seed is not None or len(c.departments) >= common_from,
            uses=c.uses,
            projects=len(c.projects),
            departments=len(c.departments),
            unit=unit,
            direction=direction,
            variants=dict(c.variants.most_common()),
            years=tuple(sorted(c.years)),
            sectors=dict(c.sectors.most_common()),
            directions=dict(c.directions.most_common()),
            targets=targets,
            assessed=c.assessed,
            met=c.met,
            examples=tuple(sorted(c.projects)[:EXAMPLES]),
        )


def build_library(documents: list[Document], rules: NameRules | None = None) -> Library:
    """The library mined from ``documents`` (see :class:`Miner` to feed them one at a time)."""
    miner = Miner(rules)
    for document in documents:
        miner.add(document)
    return miner.library()
