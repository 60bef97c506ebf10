"""A target far from what similar projects set: the indicator library's ranges against one project's targets.

The library lives outside the core (the web stores it; ``jixiao library build`` writes it), so its
ranges arrive as plain data: :data:`LibraryRanges` maps a cluster key
(:func:`jixiao.core.library.cluster_key`) to the entry's target ranges by unit. How far is far is
the rule pack's ``[library]`` table (财预〔2021〕101号: values from history and comparable projects).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from jixiao.core.library.entries import TargetRange
from jixiao.core.library.mining import direction_of
from jixiao.core.library.names import cluster_key
from jixiao.core.model import Project
from jixiao.core.review.context import Reporter

__all__ = ["LibraryRanges", "check_library", "far_from"]

# cluster key -> the entry's target ranges, one per unit
LibraryRanges = Mapping[str, Sequence[TargetRange]]


def far_from(number: Decimal, span: TargetRange, ratio: Decimal) -> str | None:
    """ "高于" or "低于" when ``number`` is beyond ``ratio`` × Q3 or below Q1 ÷ ``ratio``; None when ordinary."""
    if span.q3 > 0 and number > span.q3 * ratio:
        return "高于"
    # a first quartile of zero or less has no "tenth of it" to fall below
    if span.q1 > 0 and number < span.q1 / ratio:
        return "低于"
    return None


def _plain(number: Decimal) -> str:
    """A number as people write it: no exponent, no trailing zeros after the point."""
    return format(number.normalize(), "f")


def check_library(r: Reporter, project: Project, ranges: LibraryRanges) -> None:
    """A ``target-far-from-library`` finding per numeric target far outside its library entry's range, same unit."""
    rules = r.pack.library
    for index, ind in enumerate(project.indicators):
        spans = ranges.get(cluster_key(ind.name)) if ind.name else None
        if not spans:
            continue
        _, parts = direction_of(ind.target)
        for q in parts:
            unit = q.unit or ""
            span = next((s for s in spans if s.unit == unit), None)
            if span is None or span.count < rules.min_targets:
                continue
            side = far_from(q.number, span, rules.far_ratio)
            if side is None:
                continue
            above = side == "高于"
            ratio = _plain(rules.far_ratio)
            bound, times = (span.q3, f"{ratio} 倍") if above else (span.q1, f"{ratio} 分之一")
            shown, low, high = unit or "（无单位）", _plain(span.q1), _plain(span.q3)
            spread = f"{_plain(span.min)}–{_plain(span.max)}{unit}"
            how = f"{'超过第三' if above else '不到第一'}四分位数 {_plain(bound)}{unit} 的{times}"
            r.add(
                "target-far-from-library",
                project,
                f"指标值 {_plain(q.number)}{unit} {side}指标库中同类项目常见范围：{span.count} 个以{shown}为单位的"
                f"指标值在 {spread} 之间，中间一半在 {low}–{high}{unit}；{how}。请核实取值依据。",
                indicator=ind,
                index=index,
                field="target",
                expected=f"{low}–{high}{unit}",
                found=f"{_plain(q.number)}{unit}",
            )
            break  # one finding per indicator: a range's two ends are one target
