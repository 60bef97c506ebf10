"""The matching form of printed text: folded for labels and grammar, mapped back to what was printed."""

from __future__ import annotations

from jixiao.documents.reading.normal import fold, has_pinyin_hints, norm


def test_traditional_with_pinyin_hints_matches_the_simplified_label() -> None:
    """項(xiàng)目名稱 matches 项目名称: hints dropped, characters simplified, spaces gone."""
    assert norm("項(xiàng)目 名稱") == "项目名称"


def test_a_latin_bracket_without_tone_marks_is_no_hint() -> None:
    """单位(m) keeps its bracket: only toned pinyin (or a text full of hints) is taken for a converter's hint."""
    assert norm("长度(m)") == "长度(m)"
    text = "區(qū)價(jià)格認(rèn)證生態(t"
    assert has_pinyin_hints(text)
    assert norm(text, pinyin_mode=True) == "区价格认证生态"


def test_signs_and_widths_fold_to_one_form() -> None:
    """Full-width digits and brackets, ≧, ASCII >= and 万兀 fold to ≥, ( and 万元."""
    assert norm("（≧９５％）") == "(≥95%)"
    assert norm(">=20平方米") == "≥20平方米"
    assert norm("资金(万兀)") == "资金(万元)"


def test_a_cut_in_the_matching_form_cuts_the_printed_text_at_the_same_place() -> None:
    """printed_span gives back the printed characters behind a span of the matching form."""
    f = fold("項(xiàng)目名稱 社區(qū)養老")
    at = f.norm.index("社区")
    assert f.norm[:at] == "项目名称"
    assert f.printed_span(at, len(f.norm)) == "社區(qū)養老"
    assert f.printed_span(0, at).strip() == "項(xiàng)目名稱"


def test_template_markers_never_take_part_in_a_match() -> None:
    """*指标值 and 一*级项目名称 match as 指标值 and 一级项目名称; the printed text keeps its markers."""
    f = fold("一*级项目名称")
    assert f.norm == "一级项目名称"
    assert f.printed_span(0, len(f.norm)) == "一*级项目名称"
