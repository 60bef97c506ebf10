"""Scoring projects and documents: explanations, execution from the raw amounts, totals, grades, packs."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.model import Document, Execution, FundRow, Funds, Indicator, Kind
from jixiao.core.scoring import load_pack, score_document, score_indicator, score_project
from tests.core.review.builders import evaluation, ind, with_indicator

D = Decimal


def test_explanation_names_rule_numbers_and_source() -> None:
    """An indicator's explanation shows the numbers, the arithmetic, the rounding and the official text."""
    project = with_indicator(evaluation(), 0, target="≥300.00(人次)", actual="56.00(人次)", weight="4", score="1.00")
    s = score_project(project).indicators[0]
    assert s.suggested == D("0.75") and s.recorded == D("1.00") and s.differs
    assert "4 × 56 ÷ 300 = 0.7466…" in s.explanation and "四舍五入保留两位得 0.75 分" in s.explanation
    assert "财预〔2020〕10号" in s.explanation and s.rule == "mof-2020:indicator.positive"
    assert s.completion is not None and s.completion.quantize(D("0.0001")) == D("0.1867")


def test_execution_score_comes_from_the_raw_amounts() -> None:
    """10 × 784,108 ÷ 833,680 = 9.4053… gives 9.41, whatever the printed rate or score says."""
    project = evaluation(
        funds=Funds(total=FundRow(D("833680.00"), D("833680.00"), D("784108"), rate_pct=D("94.06"))),
        execution=Execution(D("10"), D("94.06"), D("9.4")),
    )
    e = score_project(project).execution
    assert e is not None and e.suggested == D("9.41") and e.differs and e.rate_consistent
    assert e.arithmetic == "10 × 784,108 ÷ 833,680.00 = 9.4053…"


def test_execution_accepts_what_the_printed_precision_allows() -> None:
    """In 万元 to two places, 1.15 ÷ 1.16 may truly be anything from 98.3% to 100%: 9.91 and 9.95 both pass."""
    base = evaluation(funds=Funds(total=FundRow(D("0"), D("1.16"), D("1.15"), rate_pct=D("99.13"))))
    for recorded in ("9.91", "9.95"):
        e = score_project(replace(base, execution=Execution(D("10"), D("99.13"), D(recorded)))).execution
        assert e is not None and e.suggested == D("9.91") and not e.differs


def test_execution_without_amounts_uses_the_printed_rate() -> None:
    """No amounts: the printed rate is all there is, and the explanation says so."""
    project = evaluation(funds=Funds(), execution=Execution(D("10"), D("87.50"), D("8.75")))
    e = score_project(project).execution
    assert e is not None and e.suggested == D("8.75") and "印出的执行率" in e.explanation


def test_totals_and_grades_recorded_and_suggested() -> None:
    """The total from the recorded scores, from the suggested ones, and the grade of each."""
    project = with_indicator(evaluation(total_score=D("89.50"), grade="良"), 0, actual="1次", score="10")
    s = score_project(project)
    assert s.total_printed == D("89.50") and s.total_recorded == D("89.50") and s.grade_recorded == "良"
    assert s.total_suggested == D("89.50") and s.grade_suggested == "良" and s.unscored == 0
    inflated = with_indicator(project, 0, score="20")
    t = score_project(replace(inflated, total_score=D("99.50"), grade="优"))
    assert t.total_recorded == D("99.50") and t.total_suggested == D("89.50") and t.grade_suggested == "良"


def test_unscorable_indicators_keep_their_recorded_score_in_the_suggested_total() -> None:
    """An indicator that cannot be scored counts with its recorded score, and is counted as unscored."""
    project = with_indicator(evaluation(), 3, target="明显提升", actual="有所提升")
    s = score_project(project)
    assert s.indicators[3].suggested is None and not s.indicators[3].scorable and s.unscored == 1
    assert s.total_suggested == s.total_recorded == D("99.50")


def test_the_2021_pack_scores_differently() -> None:
    """Under mof-2021-core a 56% completion scores 0 and execution 95% falls in the 80% band (7 of 10)."""
    project = with_indicator(evaluation(), 0, actual="1.12次")
    s = score_project(project, "mof-2021-core")
    assert s.pack == "mof-2021-core" and s.indicators[0].suggested == D("0.00")
    assert s.execution is not None and s.execution.suggested == D("7.00")


def test_a_project_may_name_its_pack() -> None:
    """project_packs maps a project name to its pack; the others use the document's."""
    a, b = evaluation(), evaluation(name="另一个项目")
    doc = Document(Kind.SELF_EVALUATION, 2024, (a, b))
    scores = score_document(doc, project_packs={"另一个项目": "mof-2021-core"})
    assert [p.pack for p in scores.projects] == ["mof-2020", "mof-2021-core"] and scores.pack == "mof-2020"
    assert score_document(doc, load_pack("mof-2021-core")).projects[0].pack == "mof-2021-core"


def test_declarations_score_nothing_and_say_why() -> None:
    """A declaration has no actual values: every indicator is not scorable, with the reason."""
    doc = Document(Kind.TARGET_DECLARATION, 2024, (evaluation(indicators=(ind("次数", "≥2次"),)),))
    (s,) = score_document(doc).projects[0].indicators
    assert not s.scorable and s.reason == "未填写实际完成值"


def test_scores_serialise_without_floats() -> None:
    """to_dict() writes numbers as their decimal digits; the JSON has no float anywhere."""
    data = score_document(Document(Kind.SELF_EVALUATION, 2024, (evaluation(),))).to_dict()
    text = json.dumps(data, ensure_ascii=False)
    project = data["projects"][0]
    assert project["total_suggested"] == "99.50" and project["execution"]["suggested"] == "9.50"
    assert isinstance(json.loads(text)["projects"][0]["indicators"][0]["suggested"], str)


@pytest.mark.parametrize("pack", ["mof-2020", "mof-2021-core"])
def test_a_deadline_scores_full_weight_when_met_and_nothing_when_missed(pack: str) -> None:
    """The pack's indicator.deadline rule: met-or-not, cited in the explanation (no 60% pass line applies)."""
    rules = load_pack(pack)
    on_time = Indicator(
        "产出指标", "时效指标", "系统上线时间", "2026年10月底前", "9月25日上线", Decimal(10), Decimal(10)
    )
    late = replace(on_time, actual="2026年11月2日上线")
    met, missed = score_indicator(on_time, 0, rules), score_indicator(late, 0, rules)
    assert (met.suggested, met.differs) == (Decimal("10.00"), False)
    assert (missed.suggested, missed.differs) == (Decimal("0.00"), True)
    assert missed.rule == f"{pack}:indicator.deadline"
    assert "晚于期限" in missed.explanation and rules.source.document in missed.explanation
