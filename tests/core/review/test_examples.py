"""The review on the project's example forms (their expected readings): the planted problems, and no errors."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jixiao.core.review import Finding, Severity, review_documents
from jixiao.core.serialize import loads

EXPECTED = Path(__file__).resolve().parents[2] / "documents" / "expected"


@cache
def findings() -> tuple[Finding, ...]:
    """The findings of all example documents reviewed together."""
    docs = [(p.name, loads(p.read_text(encoding="utf-8"))) for p in sorted(EXPECTED.glob("*.json"))]
    return tuple(review_documents(docs))


def pick(code: str, indicator: str | None = None, project: str | None = None) -> Finding:
    """The one finding with this code (on this indicator or project)."""
    (found,) = [f for f in findings() if f.code == code and indicator in (None, f.indicator)
                and project in (None, f.project)]  # fmt: skip
    return found


def test_examples_raise_no_errors() -> None:
    """The examples are consistent forms: warnings and information only."""
    assert [f for f in findings() if f.severity is Severity.ERROR] == []


def test_total_off_by_rounding_is_a_rounding_finding() -> None:
    """A 总分 0.01 above the printed scores (summed unrounded) is a rounding warning, not an error."""
    found = pick("total-rounding", project="教师继续教育培训经费")
    assert (found.expected, found.found) == ("95.29", "95.30")


def test_manual_override_and_formula_scores() -> None:
    """Recorded 6.00 against the formula's 5.24 is found; scores that follow the formula are not."""
    found = pick("score-differs-from-formula", "例行监测抽检样品数量")
    assert (found.expected, found.found) == ("5.24", "6.00")
    quiet = {"区级河湖长培训参训率", "维保服务合同履约及时率", "受益幼儿人数", "农民技术培训人次", "重点人群签约覆盖率"}
    assert not {f.indicator for f in findings() if f.code == "score-differs-from-formula"} & quiet


def test_execution_score_from_the_rounded_up_rate_is_explained() -> None:
    """9.06 (= 10 × the printed, rounded-up 90.55%) against the rule's 9.05 is found, and the message says why."""
    found = pick("execution-score-mismatch", project="河湖长制工作经费")
    assert (found.expected, found.found) == ("9.05", "9.06") and "90.55%" in found.message


def test_exceeded_without_a_note() -> None:
    """A target exceeded by 60% with no deviation note is one finding: the missing note, with the excess."""
    missing = pick("deviation-missing", "消防设施更新改造点位")
    assert missing.severity is Severity.WARNING
    assert "超额完成 60.00%" in missing.message
    assert not [f for f in findings() if f.code == "over-achieved" and f.indicator == "消防设施更新改造点位"]


def test_review_bait_in_split_cells() -> None:
    """定性 + 逐步健全 is vague; a reverse target and a fixed per-capita standard are not findings."""
    assert pick("target-vague", "宫颈癌综合防治机制").found == "定性逐步健全"
    quiet = {"区级配套资金拨付时间", "急救平均反应时间", "人均基本公共卫生服务经费区级配套标准", "农户防控投工增加情况"}
    assert not {f.indicator for f in findings()} & quiet


def test_truncated_and_rounded_up_rates_are_accepted() -> None:
    """2022 rounded-up and 2024 truncated printed rates are not execution-rate findings."""
    assert not [f for f in findings() if f.code == "execution-rate-mismatch"]


def test_low_execution_explained_in_a_deviation_note_is_quiet() -> None:
    """63.37% execution explained by a delayed contract in a deviation note raises no low-execution finding."""
    assert not [
        f for f in findings() if f.code == "low-execution-unexplained" and f.project == "农产品质量安全例行监测经费"
    ]
