"""Labels misread by one character are put right from the vocabulary; values never are."""

from __future__ import annotations

from jixiao.documents.ocr.labels import snap


def test_a_label_one_character_off_is_put_right() -> None:
    """「中央主管部内」 (门 read as 内) is the label 中央主管部门; 「数量指示」 is 数量指标."""
    assert snap("中央主管部内") == "中央主管部门"
    assert snap("数量指示") == "数量指标"


def test_values_and_exact_labels_are_left_alone() -> None:
    """Figures, short words and labels read right come back unchanged."""
    for text in ("19,114.20", "≥90%", "优", "合理", "项目名称", "上海市医疗保障局", "按时按要求落实和执行"):
        assert snap(text) == text


def test_a_text_near_two_labels_is_left_alone() -> None:
    """A text one character off two different labels (重量指标: 数量指标 or 质量指标?) is not guessed at."""
    assert snap("重量指标") == "重量指标"
    assert snap("某某效益指标") == "某某效益指标"  # two characters off every label
