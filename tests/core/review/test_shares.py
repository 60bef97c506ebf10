"""The weight shares under a rule pack: the 10/90 split, the level-1 split, and totals beyond the maximum."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources

from jixiao.core.model import Execution
from jixiao.core.review import Severity, blocking, review_document
from jixiao.core.scoring import RulePack, parse_pack
from tests.core.review.builders import D, decl_doc, declaration, eval_doc, evaluation, with_indicator

E = evaluation()
# the clean declaration with its weights set (产出 50, 效益 30, 满意度 10), as the web's editor sets them
WEIGHTED = declaration(indicators=tuple(replace(i, actual=None, score=None) for i in E.indicators))


def _pack(**settings: str) -> RulePack:
    """The default pack with some [shares] settings changed, read as a province's own pack would be."""
    text = resources.files("jixiao.core.scoring").joinpath("packs", "mof-2020.toml").read_text(encoding="utf-8")
    for key, value in settings.items():
        text = text.replace(f'{key} = "error"', f'{key} = "{value}"').replace(f'{key} = "info"', f'{key} = "{value}"')
    return parse_pack(text, "mof-2020")


def test_indicator_weights_of_100_in_a_declaration_block_it() -> None:
    """The issue's case: indicators summing to 100 leave no room for the 10 of the execution row."""
    doc = decl_doc(with_indicator(WEIGHTED, 0, weight="30"))
    (found,) = blocking(review_document(doc))
    assert found.code == "indicator-share-mismatch" and found.severity is Severity.ERROR
    assert "合计为 100 分，应为 90 分" in found.message and found.found == "100"


def test_a_pack_may_make_the_split_a_warning_only() -> None:
    """With shares.split = "warning" the same form is told, not stopped."""
    doc = decl_doc(with_indicator(WEIGHTED, 0, weight="30"))
    findings = review_document(doc, _pack(split="warning"))
    assert [f.severity for f in findings if f.code == "indicator-share-mismatch"] == [Severity.WARNING]
    assert blocking(findings) == []


def test_the_level1_split_is_a_notice_by_default_and_binding_where_the_pack_says() -> None:
    """产出 55 / 效益 25 (sum 90): a 提示 by default, an error where the pack says level1 = "error", silent when off."""
    doc = decl_doc(with_indicator(with_indicator(WEIGHTED, 0, weight="25"), 3, weight="25"))
    (notice,) = [f for f in review_document(doc) if f.code == "level1-share-differs"]
    assert notice.severity is Severity.INFO and "产出指标 55 分（规则包为 50 分）" in notice.message
    strict = review_document(doc, _pack(level1="error"))
    assert [f.code for f in blocking(strict)] == ["level1-share-differs"]
    assert not [f for f in review_document(doc, _pack(level1="off")) if f.code == "level1-share-differs"]


def test_an_execution_row_of_20_points_breaks_the_split_even_when_the_sum_is_100() -> None:
    """Execution 20 + indicators 80 = 100, but the pack splits 10/90: the execution weight is named."""
    project = with_indicator(replace(E, execution=Execution(D("20"), D("95.00"), D("19.00"))), 3, weight="20")
    project = replace(project, total_score=D("99.00"))
    found = [f for f in review_document(eval_doc(project)) if f.code == "indicator-share-mismatch"]
    assert [(f.field, f.expected, f.found) for f in found] == [("execution.weight", "10", "20")]


def test_a_total_above_100_is_impossible_and_blocks() -> None:
    """Weights of 110 scored to 109.09 (the published case): the sum and the total are both flagged as errors."""
    project = with_indicator(E, 0, weight="30", score="29.59")
    project = replace(project, total_score=D("109.09"), grade="优")
    codes = {f.code for f in blocking(review_document(eval_doc(project)))}
    assert codes == {"weights-do-not-add-up", "total-over-maximum"}


def test_an_execution_score_above_its_weight_is_out_of_range() -> None:
    """An execution score of 12 on a weight of 10 is as impossible as an indicator scored above its weight."""
    project = replace(E, execution=Execution(D("10"), D("95.00"), D("12")), total_score=D("102.00"))
    found = [f for f in review_document(eval_doc(project)) if f.code == "score-out-of-range"]
    assert [f.field for f in found] == ["execution.score"]
