"""What a printed cell is by the vocabulary of the forms (lexicon.toml)."""

from __future__ import annotations

from jixiao.documents.reading.lexicon import (
    FIELD,
    FUND_BLOCK,
    LEVEL1,
    label_of,
    labels_of,
    orphan_weight,
    segment_pattern,
    strip_decorations,
    title_kind,
)


def test_decorations_come_off_and_are_kept_as_notes() -> None:
    """产出指标(50分) is 产出指标 with 50 points; 预算执行情况(万元)(20分) a money block in 万元 worth 20."""
    level = label_of("产出指标(50分)", LEVEL1)
    assert level is not None and (level.text, level.weight) == ("产出指标", "50")
    block = label_of("预算执行情况(万元)(20分)", FUND_BLOCK)
    assert block is not None and (block.money_unit, block.weight) == ("万元", "20")
    assert strip_decorations("*年度总体绩效目标:") == ("年度总体绩效目标", ())


def test_lost_brackets_and_ocr_damage_still_read_as_labels() -> None:
    """效益指标30分) lost its bracket, 主管部n its last character, 出标产指 its order, 级预算单位名称 its first."""
    assert label_of("效益指标30分)", LEVEL1).weight == "30"  # type: ignore[union-attr]
    assert label_of("主管部n", FIELD).key == "department"  # type: ignore[union-attr]
    assert label_of("出标产指", LEVEL1).text == "产出指标"  # type: ignore[union-attr]
    assert label_of("级预算单位名称", FIELD).key == "organisation"  # type: ignore[union-attr]


def test_a_label_with_its_figure_fused_on_is_no_label() -> None:
    """总分100 is no label (the figure belongs to the total row); 年度绩效目标2(40分) is the second goal block."""
    assert labels_of("总分100") == ()
    assert labels_of("年度绩效目标2(40分)") != ()


def test_orphan_points_of_a_lost_level_label() -> None:
    """(50分) printed alone is the points of a level-1 cell whose words were lost."""
    assert orphan_weight("(50分)") == "50"
    assert orphan_weight("50") is None


def test_titles_name_their_kind() -> None:
    """A title says which form it is; a department-wide 自评表 and a 区域 自评表 are told apart."""
    assert title_kind("2021年林业局部门整体支出绩效自评表") == "department_self_evaluation"
    assert title_kind("食品监管补助资金区域绩效目标自评表") == "transfer_self_evaluation"
    assert title_kind("项目支出绩效自评表") == "self_evaluation"
    assert title_kind("整体绩效目标表") == "target_declaration"
    assert title_kind("项目名称") is None


def test_run_together_text_is_cut_at_its_labels() -> None:
    """项目名称渔业补贴主管部门某局 cuts at 项目名称 and 主管部门."""
    found = [m.group(0) for m in segment_pattern().finditer("项目名称渔业补贴主管部门某局")]
    assert found == ["项目名称", "主管部门"]
