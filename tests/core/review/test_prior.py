"""The copy-forward flags against last year (财预〔2021〕101号), at their boundaries, for each direction.

A declaration is reviewed with its project's last approved year passed in as plain data
(:class:`PriorYear`); the same comparison runs across documents (``jixiao check``).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.core.errors import JixiaoError
from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.core.review import PriorYear, Severity, review_document
from jixiao.core.review.across import below_actual
from jixiao.core.scoring import load_pack
from jixiao.core.scoring.carry import national_default, read_carry

NAME = "业务培训经费"


def reviewed(last_target: str, actual: str | None, target: str, pack: object = None) -> list[tuple[str, Severity]]:
    """The year-over-year findings on one indicator: last year's target and actual, this year's target."""
    before = Indicator("产出指标", "数量指标", "培训场次", last_target, actual=actual)
    now = Indicator("产出指标", "数量指标", "培训场次", target)
    prior = PriorYear(2025, "2025年度自评表", Project(NAME, indicators=(before,)), evaluated=actual is not None)
    doc = Document(kind=Kind.TARGET_DECLARATION, year=2026, projects=(Project(NAME, indicators=(now,)),))
    found = review_document(doc, pack, prior={NAME: prior})  # type: ignore[arg-type]
    return [(f.code, f.severity) for f in found if f.code.startswith(("target-", "yoy-")) and f.indicator_index == 0]


BELOW = ("target-below-prior-actual", Severity.WARNING)


@pytest.mark.parametrize(
    ("last", "actual", "target", "flagged"),
    [
        # ≥: a floor; last year 5 were held
        ("≥4次", "5次", "≥5次", False),  # raised to the actual: the boundary itself is fine
        ("≥4次", "5次", "≥4.5次", True),  # raised, but still below what was done
        ("≥6次", "5次", "≥5次", False),  # after a miss, lowered to the actual: not below it
        (">4次", "5次", ">4.9次", True),
        ("4次", "5次", "4.5次", True),  # a bare number reads as a floor
        # ≤: a ceiling; last year it took 10 days
        ("≤15(工作日)", "10工作日", "≤10(工作日)", False),
        ("≤15(工作日)", "10工作日", "≤11(工作日)", True),
        ("≤15(工作日)", "10工作日", "≤9(工作日)", False),
        ("<15(工作日)", "10工作日", "<10.5(工作日)", True),
        # =: a number to reach, as a floor
        ("=90%", "100%", "=100%", False),
        ("=90%", "100%", "=95%", True),
        ("=100%", "100%", "=99.99%", True),
    ],
)
def test_a_target_below_last_years_actual_by_its_direction(last: str, actual: str, target: str, flagged: bool) -> None:
    """Flagged exactly when the new target asks for less than was achieved, by its direction."""
    assert (BELOW in reviewed(last, actual, target)) is flagged


@pytest.mark.parametrize(
    ("last", "actual", "target"),
    [
        ("有效提升", "达成指标", "有所提升"),  # qualitative: skipped
        ("≥4次", "5场", "≥4.5次"),  # another unit: not compared
        ("≥4次", None, "≥3次"),  # no self-evaluation: nothing to compare with
        ("≥4次", "未举办", "≥3次"),  # an actual that is not a number
        ("场次≥4次；人数≥100人", "场次5次；人数120人", "场次≥4次；人数≥110人"),  # compound: skipped
    ],
)
def test_what_cannot_be_compared_is_left_alone(last: str, actual: str | None, target: str) -> None:
    """Qualitative and compound targets, other units and missing or unreadable actuals raise nothing here."""
    assert BELOW not in reviewed(last, actual, target)


def test_an_unchanged_target_after_a_miss_is_a_warning_by_the_pack() -> None:
    """≥4次 with 3 held, kept at ≥4次: warned (the [carry] default); met or changed, it is not this finding."""
    assert ("target-unchanged-after-shortfall", Severity.WARNING) in reviewed("≥4次", "3次", "≥4次")
    assert not any(c == "target-unchanged-after-shortfall" for c, _ in reviewed("≥4次", "4次", "≥4次"))
    assert not any(c == "target-unchanged-after-shortfall" for c, _ in reviewed("≥4次", "3次", "≥5次"))
    # ≤: 12 days taken against ≤10, kept
    assert ("target-unchanged-after-shortfall", Severity.WARNING) in reviewed("≤10(工作日)", "12工作日", "≤10(工作日)")
    # an unchanged target after a small excess is the over-achievement rule's question, not a target below actual
    assert reviewed("≥4次", "4.4次", "≥4次") == []


def test_the_pack_decides_how_serious_the_flags_are() -> None:
    """A pack's [carry] table sets each severity over the national default; a bad value names its key."""
    pack = load_pack()
    lenient = replace(
        pack,
        carry=read_carry(
            {"below_actual_severity": "info", "unchanged_after_miss_severity": "info"},
            lambda path, expected: JixiaoError(f"{path} 应为{expected}"),
        ),
    )
    assert ("target-below-prior-actual", Severity.INFO) in reviewed("≥4次", "5次", "≥4.5次", lenient)
    assert ("target-unchanged-after-shortfall", Severity.INFO) in reviewed("≥4次", "3次", "≥4次", lenient)
    with pytest.raises(JixiaoError, match=r"carry\.below_actual_severity 应为"):
        read_carry({"below_actual_severity": "serious"}, lambda path, expected: JixiaoError(f"{path} 应为{expected}"))
    with pytest.raises(JixiaoError, match=r"carry\.below_actual 应为已知的键"):
        read_carry({"below_actual": "warning"}, lambda path, expected: JixiaoError(f"{path} 应为{expected}"))
    default = national_default()
    assert (default.below_actual_severity, default.document) == ("warning", "财预〔2021〕101号")
    assert {key for key, _, _ in default.bases} <= {b.key for b in pack.bases}


def test_below_actual_reads_the_direction_from_the_target() -> None:
    """The helper the checks share: (target, actual) when below, else None."""
    found = below_actual("≥90%", "95%")
    assert found is not None and (found[0].number, found[1].number) == (90, 95)
    assert below_actual("≤5天", "6天") is None and below_actual("≤7天", "6天") is not None
    assert below_actual("≥90%", "") is None
