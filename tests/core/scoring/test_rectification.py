"""The 整改 proposal rule: the [rectification] table over the default, its refusals, proposals at each edge."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest

from jixiao.core.scoring import PackError, load_pack, parse_pack
from jixiao.core.scoring.rectification import IndicatorScore, national_default, proposals


def _text(name: str = "mof-2020") -> str:
    return resources.files("jixiao.core.scoring").joinpath("packs", f"{name}.toml").read_text(encoding="utf-8")


def _with(table: str) -> str:
    return _text() + "\n[rectification]\n" + table + "\n"


def test_the_shipped_packs_take_the_default_with_its_official_text() -> None:
    """Both packs: grades 中 and 差, an indicator below 60% of its weight, 90 days; listed with the 10号 text."""
    for name in ("mof-2020", "mof-2021-core"):
        pack = load_pack(name)
        assert pack.rectification == national_default()
        rules = pack.rectification
        assert (rules.grades, rules.indicator_share_pct, rules.due_days) == (("中", "差"), Decimal(60), 90)
        assert "财预〔2020〕10号" in rules.document
        keys = {b.key for b in pack.bases if b.key.startswith("rectification.")}
        assert keys == {"rectification.grades", "rectification.indicator_share", "rectification.due_days"}


def test_a_pack_changes_one_key_and_keeps_the_others() -> None:
    """A province that proposes only for 差 and gives 30 days writes those two keys."""
    rules = parse_pack(_with('grades = ["差"]\ndue_days = 30'), "mof-2020").rectification
    assert (rules.grades, rules.due_days, rules.indicator_share_pct) == (("差",), 30, Decimal(60))


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("indicator_share_pct = 101", "rectification.indicator_share_pct"),
        ("indicator_share_pct = -1", "rectification.indicator_share_pct"),
        ("due_days = 0", "rectification.due_days"),
        ("due_days = 400", "rectification.due_days"),
        ("due_days = 1.5", "rectification.due_days"),
        ('grades = "差"', "rectification.grades"),
        ("grades = [1]", "rectification.grades"),
        ('grade = ["差"]', "rectification.grade"),  # misspelt: refused, never silently the default
        ('document = ""', "rectification.document"),
    ],
)
def test_a_bad_key_is_refused_naming_it(table: str, key: str) -> None:
    with pytest.raises(PackError) as refused:
        parse_pack(_with(table), "mof-2020")
    assert key in str(refused.value)


ROWS = [
    IndicatorScore("培训场次", Decimal("17.99"), Decimal("30")),  # below 18 (60% of 30): proposed
    IndicatorScore("培训合格率", Decimal("12"), Decimal("20")),  # exactly 60%: not low
    IndicatorScore("满意度", None, Decimal("10")),  # not scored: nothing
    IndicatorScore("能力提升", Decimal("0"), Decimal("0")),  # no weight: nothing
]


def test_proposals_at_the_edges() -> None:
    """The grade proposes one item; an indicator strictly below its share proposes one, at the share none."""
    rules = national_default()
    made = proposals(rules, "业务培训经费", "差", ROWS)
    assert [p.follows for p in made] == ["差", "培训场次"]
    assert "17.99" in made[1].task and "低于分值 30 的 60%（18 分）" in made[1].reason
    assert [p.follows for p in proposals(rules, "业务培训经费", "良", ROWS)] == ["培训场次"]
    assert proposals(rules, "业务培训经费", "优", ROWS[1:]) == []


def test_a_share_of_zero_proposes_by_grade_only() -> None:
    rules = parse_pack(_with("indicator_share_pct = 0"), "mof-2020").rectification
    assert [p.follows for p in proposals(rules, "项目", "中", ROWS)] == ["中"]
