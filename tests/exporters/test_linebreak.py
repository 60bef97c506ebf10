"""PDF line breaking: never inside a figure or a 指标值, and the reader's join gives the text back."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.documents.tabular import cell_line_text
from jixiao.exporters.linebreak import break_lines, segments


def _width(text: str) -> float:
    """Two units for a Chinese character, one for anything else, as a CJK font roughly measures."""
    return float(sum(2 if ord(ch) > 0x2000 else 1 for ch in text))


def test_a_target_in_a_narrow_cell_is_never_split_inside_its_figures() -> None:
    """「医疗机构≥40%病种≥70%基金≥30%」 wraps between characters and figures, not inside 「≥40%」."""
    lines = break_lines("医疗机构≥40%病种≥70%基金≥30%", 10, _width)
    assert lines == ["医疗机构", "≥40%病种", "≥70%基金", "≥30%"]
    assert cell_line_text("\n".join(lines)) == "医疗机构≥40%病种≥70%基金≥30%"


def test_a_reader_joins_wrapped_digits_without_a_space() -> None:
    """Lines broken inside a number (by another tool) are joined without inventing a space."""
    assert cell_line_text("医疗机构≥4\n0%病种") == "医疗机构≥40%病种"
    assert cell_line_text("实际完成\n2,386\n.40万元") == "实际完成2,386.40万元"
    assert cell_line_text("DRG\npayment reform") == "DRG payment reform"


def test_closing_marks_never_start_a_line_and_opening_marks_never_end_one() -> None:
    """Kinsoku: 「。」 and 「）」 stay with what precedes them, 「（」 with what follows."""
    for width in range(8, 30):  # every unbreakable piece fits a line of 8
        for line in break_lines("推行DRG/DIP医保支付方式改革（试点），覆盖率≥90%。", width, _width):
            assert not line.startswith(("。", "，", "）", "%")) and not line.endswith("（")


def test_a_space_between_chinese_characters_is_kept_inside_a_line() -> None:
    """「定性 优良中低差」 is not broken at its space (a reader could not put the space back)."""
    assert ("性 优", False) in segments("定性 优良中低差")


TEXT = st.text(
    alphabet=st.sampled_from(list("医保基金项目达成率满意度") + list("0123456789.%≥≤=()（）。，、") + list("DRGab ")),
    min_size=1,
    max_size=60,
).map(lambda s: re.sub(r"\s+", " ", s).strip())


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=6, max_value=40))
def test_wrapped_text_reads_back_unchanged(text: str, width: int) -> None:
    """For any text and width every line fits, and unless a piece had to be cut, the lines join back to the text."""
    if not text:
        return
    lines = break_lines(text, width, _width)
    assert all(_width(line) <= width or len(line) == 1 for line in lines)
    if all(_width(piece) <= width for piece, _ in segments(text)):
        assert cell_line_text("\n".join(lines)) == text
