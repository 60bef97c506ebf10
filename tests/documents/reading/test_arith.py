"""Arithmetic as evidence: fused or missing figures read the way the form's own sums support."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.documents.reading.arith import read_fund_row, read_fused_figures

COLUMNS = ["initial", "adjusted", "executed", "weight", "rate_pct", "score"]


def _values(reading) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k: f.printed for k, f in reading.values.items()}


def test_a_missing_money_cell_is_placed_where_the_rate_agrees() -> None:
    """Five figures under six headings: 31.69/32.4 = 97.8% makes 32.4 the 全年预算数 and leaves 年初预算数 empty."""
    reading = read_fund_row(["32.4", "31.69", "10", "97.80%", "9"], COLUMNS)
    assert reading is not None and _values(reading) == {
        "adjusted": "32.4",
        "executed": "31.69",
        "weight": "10",
        "rate_pct": "97.80%",
        "score": "9",
    }
    assert reading.arithmetic and "31.69/32.4" in reading.note


def test_fused_money_figures_are_cut_where_the_sums_hold() -> None:
    """``1010100%20`` under 预算数|执行数|执行率|得分 is 10|10|100%|20: 10/10 = 100%, 20 × 100% = 20."""
    reading = read_fund_row(["1010100%20"], ["adjusted", "executed", "rate_pct", "score"], D(20))
    assert reading is not None and _values(reading) == {
        "adjusted": "10",
        "executed": "10",
        "rate_pct": "100%",
        "score": "20",
    }


def test_an_amount_never_stands_for_points() -> None:
    """7.29 7.29 7.29 100% on a sub-row: the amounts fill the money columns, never 分值 (points are whole or half)."""
    reading = read_fund_row(["7.29", "7.29", "7.29", "100%"], COLUMNS)
    assert reading is not None and set(reading.values) == {"initial", "adjusted", "executed", "rate_pct"}


def test_dashes_hold_their_columns() -> None:
    """100 100 100 — —: the dashes keep 分值 and 执行率 empty instead of moving figures under them."""
    reading = read_fund_row(["100", "100", "100", "-", "-"], COLUMNS)
    assert reading is not None and set(reading.values) == {"initial", "adjusted", "executed"}


def test_a_fused_indicator_row_reads_by_its_scores() -> None:
    """``6620`` under 目标|完成|得分 is 6|6|20; ``901010010`` under 指标值|权重|完成值|得分 is 90|10|100|10."""
    figures, chosen = read_fused_figures(["6620"], ["target", "actual", "score"])  # type: ignore[misc]
    assert [f.printed for f in figures] == ["6", "6", "20"] and chosen
    figures, _ = read_fused_figures(["901010010"], ["target", "weight", "actual", "score"])  # type: ignore[misc]
    assert [f.printed for f in figures] == ["90", "10", "100", "10"]


def test_ocr_two_for_the_sign_is_read_only_where_the_sums_need_it() -> None:
    """``2810810`` reads ≥8|10|8|10 (the 2 is an OCR ≥), but a lone ``292%`` target stays as printed."""
    figures, _ = read_fused_figures(["2810810"], ["target", "weight", "actual", "score"])  # type: ignore[misc]
    assert [f.printed for f in figures] == ["≥8", "10", "8", "10"]
    figures, _ = read_fused_figures(["292%"], ["target"])  # type: ignore[misc]
    assert [f.printed for f in figures] == ["292%"]
