"""The reader's confidence in a scan's values: the form's arithmetic and the reader's warnings as evidence."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.errors import Location
from jixiao.core.model import Execution, Indicator
from jixiao.documents.ocr.confidence import BROKEN_SUM, UNPLACED, UNREADABLE_TARGET, reader_confidence
from jixiao.documents.result import ImportResult, ImportWarning, Recognised
from tests.exporters.helpers import gold_document

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent


def _doc(**changes: object):  # type: ignore[no-untyped-def]
    gold = gold_document("002")
    return replace(gold, projects=(replace(gold.projects[0], **changes),))


def test_a_consistent_form_is_not_doubted() -> None:
    """The gold form of seed 002's first project gives no doubt at all."""
    doc = _doc()
    assert reader_confidence(doc, ImportResult(source="x", document=doc)) == {}


def test_an_execution_rate_that_does_not_match_doubts_its_three_figures() -> None:
    """Executed 10.30 of 20.33 printed as 80.17%: budget, executed and rate are all doubted."""
    gold = gold_document("002").projects[0]
    funds = replace(gold.funds, total=replace(gold.funds.total, executed=Decimal("10.30")))  # type: ignore[arg-type]
    doc = _doc(funds=funds)
    doubts = reader_confidence(doc, ImportResult(source="x", document=doc))
    assert {k for k, v in doubts.items() if v == BROKEN_SUM} >= {
        "projects[0].funds.total.executed",
        "projects[0].funds.total.adjusted",
        "projects[0].funds.total.rate_pct",
    }


def test_a_score_above_its_weight_and_a_wrong_total_are_doubted() -> None:
    """A score over its weight doubts both; a 总分 that is not the sum of the scores doubts the 总分."""
    gold = gold_document("002").projects[0]
    first = gold.indicators[0]
    indicators = (replace(first, score=(first.weight or Decimal(0)) + 1), *gold.indicators[1:])
    doc = _doc(indicators=indicators)
    doubts = reader_confidence(doc, ImportResult(source="x", document=doc))
    assert doubts["projects[0].indicators[0].score"] == BROKEN_SUM
    assert doubts["projects[0].indicators[0].weight"] == BROKEN_SUM
    assert doubts["projects[0].total_score"] == BROKEN_SUM


def test_a_target_with_figures_the_grammar_cannot_read_is_doubted() -> None:
    """「≥9O%」 (the letter O for a zero) is doubted; a plain word target 「合理」 is not."""
    doc = _doc(
        indicators=(
            Indicator("成本指标", "经济成本指标", "成本合理性", target="≥9O%"),
            Indicator("成本指标", None, "x", target="合理"),
        )
    )
    doubts = reader_confidence(doc, ImportResult(source="x", document=doc))
    assert doubts == {"projects[0].indicators[0].target": UNREADABLE_TARGET}


def test_a_value_at_a_cell_the_reader_warned_about_is_doubted() -> None:
    """A warning at a value's cell lowers that value's confidence, and the combined confidence with it."""
    doc = _doc()
    where = Location(file="x.png", page=1, cell="表1!C2")
    result = ImportResult(
        source="x.png",
        document=doc,
        warnings=(ImportWarning(where, "未能归入任何字段的内容", "x"),),
        locations={"projects[0].name": where},
    )
    doubts = reader_confidence(doc, result)
    assert doubts == {"projects[0].name": UNPLACED}
    assert Recognised(1, (0, 0, 1, 1), 0.9, doubts["projects[0].name"]).confidence == round(0.9 * UNPLACED, 3)


def test_execution_score_above_its_weight_is_doubted() -> None:
    """预算执行率 scored above its 分值 doubts both figures."""
    doc = _doc(execution=Execution(Decimal(10), Decimal("80.17"), Decimal(12)))
    doubts = reader_confidence(doc, ImportResult(source="x", document=doc))
    assert doubts["projects[0].execution.score"] == BROKEN_SUM
