"""The indicator editor's share check: the weights as typed against the record's rule pack.

The editor posts its rows while they are typed; the page draws the same
status when it is opened. The findings come from
:func:`jixiao.core.review.shares.check_shares`, the check that blocks
submission, so the page says before 保存并提交 exactly what it will refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.core.model import Indicator, Project
from jixiao.core.review import Finding, Severity
from jixiao.core.review.context import Reporter, level1_class
from jixiao.core.review.shares import check_shares
from jixiao.core.scoring import RulePack
from jixiao.core.scoring.assess import show_number
from jixiao.web.numbers import form_decimal, small_int

__all__ = ["ShareStatus", "posted_rows", "share_status"]

MAX_ROWS = 1000  # the formset's own limit
_CLASS_NAMES = {"cost": "成本指标", "output": "产出指标", "effect": "效益指标", "satisfaction": "满意度指标"}


@dataclass(frozen=True)
class Row:
    """One editor row as far as the shares go: its level 1, its name and its weight (None when not a number)."""

    level1: str
    name: str
    weight: Decimal | None
    typed: str


@dataclass(frozen=True)
class ShareStatus:
    """The sum against the pack's indicator points, each level-1 class against its default, what blocks."""

    pack: RulePack
    total: Decimal
    level1: tuple[tuple[str, Decimal, Decimal], ...]
    missing: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def blocking(self) -> bool:
        """True when 保存并提交 would be refused for the weights: a row without one, or an error finding."""
        return bool(self.missing) or any(f.severity is Severity.ERROR for f in self.findings)

    def summary(self) -> str:
        """One line: ``指标分值合计 100 分，应为 90 分`` or ``…90 分，符合``."""
        pack = self.pack
        verdict = "符合" if self.total == pack.indicator_weight else f"应为 {show_number(pack.indicator_weight)} 分"
        return (
            f"指标分值合计 {show_number(self.total)} 分，{verdict}（总分 {show_number(pack.total_weight)} 分中"
            f"预算执行率占 {show_number(pack.execution_weight)} 分；规则包 {pack.name}）"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON the editor's script draws."""
        return {
            "sum": show_number(self.total),
            "expected": show_number(self.pack.indicator_weight),
            "summary": self.summary(),
            "level1": [
                {"name": name, "sum": show_number(found), "expected": show_number(points)}
                for name, found, points in self.level1
            ],
            "missing": list(self.missing),
            "missing_label": Severity.ERROR.label,  # a missing share blocks submission: an error
            "findings": [
                {"severity": f.severity.value, "label": f.severity.label, "message": f.message} for f in self.findings
            ],
            "blocking": self.blocking,
        }


def posted_rows(post: Mapping[str, str], prefix: str = "ind") -> list[Row]:
    """The editor's rows as posted, without deleted and wholly empty ones; weights read as the form reads them."""
    count = small_int(post.get(f"{prefix}-TOTAL_FORMS"), 0, MAX_ROWS) or 0
    rows = []
    for n in range(count):
        key = f"{prefix}-{n}-"
        if post.get(key + "DELETE"):
            continue
        name, typed = (post.get(key + "name") or "").strip(), (post.get(key + "weight") or "").strip()
        if not name and not typed:
            continue
        rows.append(Row((post.get(key + "level1") or "")[:40], name[:300], form_decimal(typed, 7, 2), typed))
    return rows


def share_status(rows: list[Row], pack: RulePack) -> ShareStatus:
    """The share status of the rows under ``pack``."""
    missing = tuple(
        f"第{n}行「{r.name or '（未命名）'}」" + (f"的分值「{r.typed[:20]}」不是数字" if r.typed else "未填写分值")
        for n, r in enumerate(rows, start=1)
        if r.weight is None
    )
    indicators = tuple(Indicator(r.level1, None, r.name or "（未命名）", None, weight=r.weight) for r in rows)
    reporter = Reporter(pack)
    check_shares(reporter, Project(name="—", indicators=indicators), scored=False)
    sums: dict[str, Decimal] = {}
    for r in rows:
        cls = level1_class(r.level1)
        if cls is not None and r.weight is not None:
            sums[cls] = sums.get(cls, Decimal(0)) + r.weight
    split = pack.level1_split(with_cost="cost" in sums)
    level1 = tuple(
        (_CLASS_NAMES.get(cls, name), sums.get(cls, Decimal(0)), points)
        for name, points in split
        if (cls := level1_class(name) or name)
    )
    total = sum((r.weight for r in rows if r.weight is not None), Decimal(0))
    return ShareStatus(pack, total, level1, missing, tuple(reporter.findings))
