"""The Word report: from the data, a paragraph per indicator, every figure the document's own, forms attached."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document as WordDocument

from jixiao.core.model import Document, Indicator, Kind
from jixiao.exporters import docx
from jixiao.exporters.model import figure
from jixiao.exporters.narrative import MET, PARTIAL, UNMET, judge
from jixiao.exporters.report import build_report
from tests.exporters.helpers import STEMS, gold_document

_FIGURE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _paragraphs(doc: Document) -> list[str]:
    """The report's paragraphs as Word holds them, up to the attachment (the forms are tables after it)."""
    word = WordDocument(BytesIO(docx.render(build_report(doc))))
    texts = [p.text for p in word.paragraphs]
    return texts[: next(i for i, t in enumerate(texts) if t.startswith("附件："))]


def _data_figures(doc: Document) -> tuple[set[Decimal], str]:
    """Every number the document holds, and all its text, for checking the report's figures."""
    numbers: set[Decimal] = set()
    texts: list[str] = [str(doc.year)]
    for p in doc.projects:
        for _, row in p.funds.rows():
            numbers.update(
                v for v in (row.initial, row.adjusted, row.executed, row.requested, row.rate_pct) if v is not None
            )
        if p.execution:
            numbers.update(v for v in (p.execution.weight, p.execution.rate_pct, p.execution.score) if v is not None)
        if p.total_score is not None:
            numbers.add(p.total_score)
        for i in p.indicators:
            numbers.update(v for v in (i.weight, i.score) if v is not None)
            texts += [i.name, i.target or "", i.actual or "", i.deviation or "", i.level1, i.level2 or ""]
        texts += [p.name, p.goal or "", p.outcome or "", p.overall_goal or "", p.unit or "", p.department or ""]
        texts += [p.start_date or "", p.end_date or "", p.central_department or ""]
        for r in p.fund_management or ():
            texts += [r.item, r.description or "", r.remedy or ""]
    return numbers, "\n".join(texts)


@pytest.mark.shared
@pytest.mark.parametrize("stem", STEMS)
def test_every_figure_in_the_text_comes_from_the_document(stem: str) -> None:
    """Each number in the report's text is a number of the document, or printed inside one of its texts."""
    doc = gold_document(stem)
    numbers, texts = _data_figures(doc)
    for paragraph in _paragraphs(doc):
        for found in _FIGURE.findall(paragraph):
            value = Decimal(found.replace(",", ""))
            assert value in numbers or found in texts, f"{found!r} in {paragraph!r}"


@pytest.mark.shared
@pytest.mark.parametrize("stem", ["000", "003", "004"])
def test_one_paragraph_per_indicator_states_its_data(stem: str) -> None:
    """Each indicator has its paragraph: target, actual, weight and score as on the form, and the deviation note."""
    doc = gold_document(stem)
    paragraphs = [t for t in _paragraphs(doc) if t.startswith("指标") and "：" in t[:8]]
    indicators = [i for p in doc.projects for i in p.indicators]
    assert len(paragraphs) == len(indicators)
    points = 2 if stem == "004" else 0
    for text, ind in zip(paragraphs, indicators, strict=True):
        assert ind.name in text and f"年度指标值为{ind.target}" in text
        assert f"为{ind.actual}" in text
        if ind.weight is not None and ind.score is not None:
            assert f"分值{figure(ind.weight, points)}分" in text and f"得分{figure(ind.score, points)}分" in text
        if ind.deviation:
            assert ind.deviation.rstrip("。") in text
        verdict = judge(ind)
        assert {MET: "已达成", PARTIAL: "部分达成", UNMET: "未达成", None: "需结合"}[verdict] in text


@pytest.mark.shared
def test_transfer_report_has_its_four_parts_and_the_form() -> None:
    """The transfer-payment report: the four parts of domain.md §6 in order, then the form as a table."""
    doc = gold_document("003")
    word = WordDocument(BytesIO(docx.render(build_report(doc))))
    texts = [p.text for p in word.paragraphs]
    parts = [
        "一、绩效目标分解下达情况",
        "二、绩效情况分析",
        "三、偏离绩效目标的原因和下一步改进措施",
        "四、绩效自评结果拟应用和公开情况",
    ]
    positions = [texts.index(p) for p in parts]
    assert positions == sorted(positions)
    for sub in (
        "（一）资金投入情况分析",
        "（二）资金管理情况分析",
        "（三）总体绩效目标完成情况分析",
        "（四）绩效指标完成情况分析",
    ):
        assert sub in texts
    assert any("年度资金总额：全年预算数（A）19,114.20万元" in t and "预算执行率（B/A）42.7%" in t for t in texts)
    assert any(t.startswith("执行准确性：") and "提前安排项目计划" in t for t in texts)
    assert len(word.tables) == 1
    assert "转移支付(项目)名称" in word.tables[0].rows[0].cells[0].text


@pytest.mark.shared
def test_self_evaluation_report_gives_the_score_and_grade() -> None:
    """Each project's conclusion states the execution score, the total and the grade, as the form prints them."""
    texts = _paragraphs(gold_document("004"))
    assert "预算执行率分值10.00分，得分4.98分，自评总分94.98分，评分等级为优。" in texts
    assert len(WordDocument(BytesIO(docx.render(build_report(gold_document("004"))))).tables) == 2


@pytest.mark.shared
def test_attached_form_keeps_its_merged_cells() -> None:
    """The form attached in Word merges its cells as the printed form does."""
    word = WordDocument(BytesIO(docx.render(build_report(gold_document("002")))))
    table = word.tables[0]
    first_rows = [[c.text for c in row.cells] for row in table.rows[:1]]
    assert first_rows[0][:3] == ["项目名称", "项目名称", "宣传资料服务费"]  # 项目名称 spans two columns
    column = [row.cells[0].text for row in table.rows[2:7]]
    assert set(column) == {"项目资金\n（万元）"}  # merged down over the money block


def test_met_or_not_is_read_from_the_score_or_the_values() -> None:
    """Met: full score, or an actual reaching the target; partly or not met otherwise; unknown when it cannot tell."""
    assert judge(Indicator("产出指标", None, "x", "≥1次", "1", Decimal(5), Decimal(5))) == MET
    assert judge(Indicator("产出指标", None, "x", "≥1次", "1", Decimal(5), Decimal("4.5"))) == PARTIAL
    assert judge(Indicator("产出指标", None, "x", "≥90%", "85%")) == UNMET
    assert judge(Indicator("产出指标", None, "x", "≤30分钟", "25分钟")) == MET
    assert judge(Indicator("产出指标", None, "x", "提升", "部分达成指标并具有一定效果")) == PARTIAL
    assert judge(Indicator("产出指标", None, "x", "全覆盖", "全覆盖")) == MET
    assert judge(Indicator("产出指标", None, "x", "显著提升", "有所提升")) is None


@pytest.mark.shared
def test_declaration_gets_its_explanation_with_the_forms() -> None:
    """A declaration exports as a 申报说明 naming each indicator's target, with its forms attached."""
    doc = gold_document("001")
    assert doc.kind is Kind.TARGET_DECLARATION
    texts = _paragraphs(doc)
    assert texts[0] == "2023年度项目绩效目标申报说明"
    assert "指标一：组织法治培训计划完成数，年度指标值为≥1.00(次)。" in texts
