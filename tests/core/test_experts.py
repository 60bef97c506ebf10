"""Drawing experts (专家库随机抽取): exclusions honoured, the draw reproducible from its seed."""

from __future__ import annotations

import pytest

from jixiao.core.experts import CONFLICT, INACTIVE, OTHER_FIELD, SAME_DEPARTMENT, Candidate, DrawError, draw

DEPT, UNIT, OTHER = 10, 11, 20


def _pool() -> list[Candidate]:
    pool = [Candidate(k, None, frozenset(), ("财务", "教育")) for k in range(1, 9)]
    pool.append(Candidate(9, DEPT, frozenset(), ("财务",)))  # works in the project's department
    pool.append(Candidate(10, OTHER, frozenset({UNIT}), ("财务",)))  # declared a conflict with the unit
    pool.append(Candidate(11, None, frozenset({DEPT}), ("财务",)))  # declared a conflict with the department
    pool.append(Candidate(12, None, frozenset(), ("财务",), active=False))
    pool.append(Candidate(13, OTHER, frozenset({OTHER + 1}), ("医疗",)))
    return pool


def test_exclusions_are_honoured_and_named() -> None:
    made = draw(_pool(), department_id=DEPT, unit_id=UNIT, count=5, seed="s1")
    excluded = dict(made.excluded)
    assert excluded == {9: SAME_DEPARTMENT, 10: CONFLICT, 11: CONFLICT, 12: INACTIVE}
    assert set(made.chosen) <= set(made.eligible) and not set(made.chosen) & set(excluded)
    assert len(set(made.chosen)) == 5


def test_the_same_seed_gives_the_same_panel_whatever_the_order_of_the_pool() -> None:
    first = draw(_pool(), department_id=DEPT, unit_id=UNIT, count=3, seed="2026-事前评估-1")
    again = draw(list(reversed(_pool())), department_id=DEPT, unit_id=UNIT, count=3, seed="2026-事前评估-1")
    assert first == again
    panels = {draw(_pool(), department_id=DEPT, unit_id=UNIT, count=3, seed=str(i)).chosen for i in range(20)}
    assert len(panels) > 1  # the seed does choose: twenty seeds do not all give one panel


def test_a_field_of_expertise_narrows_the_pool() -> None:
    made = draw(_pool(), department_id=DEPT, unit_id=UNIT, count=1, seed="x", field="医疗")
    assert made.chosen == (13,)
    assert dict(made.excluded)[1] == OTHER_FIELD


def test_too_few_experts_left_is_refused_in_chinese() -> None:
    with pytest.raises(DrawError, match="回避后专家库中只有 9 名专家可供抽取，少于需要的 10 名"):
        draw(_pool(), department_id=DEPT, unit_id=UNIT, count=10, seed="x")
    with pytest.raises(DrawError, match="至少为 1 人"):
        draw(_pool(), department_id=DEPT, unit_id=UNIT, count=0, seed="x")
