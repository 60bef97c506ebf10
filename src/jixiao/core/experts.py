"""Drawing experts for an ex-ante assessment (专家库随机抽取): exclusions first, then a seeded, reproducible draw.

An expert is excluded when they work in the department whose project is
assessed (同部门回避), or when they declared a conflict with the project's
unit or department (利益冲突申报); an organiser may also ask for a field of
expertise. The rest are sorted by their key and sampled with
``random.Random(seed)``: the same candidates and the same seed give the same
panel on any machine, so a recorded draw can be checked afterwards by
drawing again (:func:`draw`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.core.errors import JixiaoError

__all__ = ["Candidate", "Draw", "DrawError", "draw"]

SAME_DEPARTMENT = "与被评估项目属同一部门"
CONFLICT = "申报了与被评估项目单位的利益冲突"
OTHER_FIELD = "专业领域不符"
INACTIVE = "已停用"


class DrawError(JixiaoError):
    """A draw that cannot be made (too few experts left after the exclusions)."""


@dataclass(frozen=True)
class Candidate:
    """An expert of the pool as the draw sees them."""

    key: int
    department_id: int | None  # the government department the expert works in, if any
    conflicts: frozenset[int]  # organizations the expert declared a conflict with
    fields: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class Draw:
    """A draw's outcome: who was chosen, in draw order, and who was left out and why."""

    seed: str
    chosen: tuple[int, ...]
    eligible: tuple[int, ...]
    excluded: tuple[tuple[int, str], ...]


def _exclusion(c: Candidate, department_id: int, parties: frozenset[int], field: str) -> str | None:
    """Why ``c`` may not sit on this panel, or None."""
    if not c.active:
        return INACTIVE
    if c.department_id is not None and c.department_id == department_id:
        return SAME_DEPARTMENT
    if c.conflicts & parties:
        return CONFLICT
    if field and not any(field in f or f in field for f in c.fields):
        return OTHER_FIELD
    return None


def draw(
    candidates: Sequence[Candidate], *, department_id: int, unit_id: int, count: int, seed: str, field: str = ""
) -> Draw:
    """Choose ``count`` experts for a project of ``unit_id`` in ``department_id``, reproducibly from ``seed``.

    Raises :class:`DrawError` in Chinese when fewer than ``count`` experts are left after the exclusions.
    """
    if count < 1:
        raise DrawError("抽取人数至少为 1 人。")
    parties = frozenset({department_id, unit_id})
    excluded: list[tuple[int, str]] = []
    eligible: list[int] = []
    # sorted by key: the draw must not depend on the order the database returned the rows in
    for c in sorted(candidates, key=lambda c: c.key):
        reason = _exclusion(c, department_id, parties, field.strip())
        if reason is None:
            eligible.append(c.key)
        else:
            excluded.append((c.key, reason))
    if len(eligible) < count:
        raise DrawError(
            f"回避后专家库中只有 {len(eligible)} 名专家可供抽取，少于需要的 {count} 名；"
            f"已回避 {len(excluded)} 名。请补充专家或减少抽取人数。"
        )
    chosen = random.Random(seed).sample(eligible, count)
    return Draw(seed=seed, chosen=tuple(chosen), eligible=tuple(eligible), excluded=tuple(excluded))
