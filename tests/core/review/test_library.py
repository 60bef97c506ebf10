"""The finding of a target far from the indicator library's usual range, at its boundaries, and its rule pack keys."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from jixiao.core.errors import JixiaoError
from jixiao.core.library import TargetRange, cluster_key
from jixiao.core.review import review_document
from jixiao.core.scoring.library_rules import national_default, read_library
from jixiao.core.scoring.packs import load_pack
from tests.core.review.builders import decl_doc, declaration, ind

NAME = "业务培训次数"
# 8 similar projects set 2 to 40 times; the middle half 4 to 10 (the default: far beyond 10 × 10, or below 4 ÷ 10)
SPAN = TargetRange("次", 8, D("2"), D("4"), D("6"), D("10"), D("40"))


def _found(target: str, span: TargetRange = SPAN, name: str = NAME) -> list[str]:
    doc = decl_doc(declaration(indicators=(ind(name, target),)))
    findings = review_document(doc, library={cluster_key(NAME): (span,)})
    return [f.message for f in findings if f.code == "target-far-from-library"]


def test_the_defaults_come_from_the_pack() -> None:
    """Ten times, at least five targets: the national default every shipped pack carries."""
    rules = national_default()
    assert (rules.far_ratio, rules.min_targets) == (D("10"), 5)
    assert load_pack("mof-2020").library == rules


@pytest.mark.parametrize(
    ("target", "far"),
    [
        ("≥100次", False),  # exactly ten times the third quartile: not beyond it
        ("≥100.01次", True),
        ("≥0.4次", False),  # exactly a tenth of the first quartile
        ("≥0.39次", True),
        ("≥6次", False),
        ("≥50次", False),  # beyond the largest seen, but not far beyond the middle half
    ],
)
def test_boundaries(target: str, far: bool) -> None:
    """Far is strictly beyond Q3 × ratio or strictly below Q1 ÷ ratio."""
    assert bool(_found(target)) is far


def test_message_has_the_numbers() -> None:
    """The sentence names the target, how many set what, the middle half and the multiple."""
    (message,) = _found("≥500次")
    assert "500次" in message and "8 个" in message and "2–40次" in message and "4–10次" in message
    assert "10 倍" in message


def test_other_unit_too_few_targets_wordings() -> None:
    """Another unit is not compared; fewer targets than min_targets are not; a reworded name is (same cluster)."""
    assert _found("≥500人") == []
    assert _found("≥500次", replace(SPAN, count=4)) == []
    assert _found("≥500次", name="业务培训次数指标")  # the same cluster key
    assert _found("≥500次", name="业务培训人数") == []


def test_zero_first_quartile_has_no_lower_side() -> None:
    """With Q1 at 0, nothing is 'below a tenth of it'."""
    assert _found("≥0次", replace(SPAN, min=D("0"), q1=D("0"))) == []


def test_no_library_no_finding() -> None:
    """Without ranges (the CLI's check, or an empty library) the check does not run."""
    doc = decl_doc(declaration(indicators=(ind(NAME, "≥5000次"),)))
    assert all(f.code != "target-far-from-library" for f in review_document(doc))


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"far_ratio": 1}, "library.far_ratio"),
        ({"far_ratio": True}, "library.far_ratio"),
        ({"min_targets": 1}, "library.min_targets"),
        ({"min_targets": D("5.5")}, "library.min_targets"),
        ({"far_ration": 3}, "library.far_ration"),
        ("10", "library"),
    ],
)
def test_bad_pack_keys_are_named(raw: object, path: str) -> None:
    """A wrong threshold is refused with the key's path, never silently replaced by the default."""

    def fail(where: str, expected: str) -> JixiaoError:
        return JixiaoError(f"{where} 应为{expected}")

    with pytest.raises(JixiaoError, match=path.replace(".", r"\.")):
        read_library(raw, fail)


def test_a_pack_may_change_the_ratio() -> None:
    """A pack's [library] keys override the default, the others stay."""

    def fail(where: str, expected: str) -> JixiaoError:
        return JixiaoError(where)

    rules = read_library({"far_ratio": 3}, fail)
    assert (rules.far_ratio, rules.min_targets) == (D("3"), 5)
