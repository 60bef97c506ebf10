"""Carrying level labels down merged cells: inferred level 1, late labels, 成本指标 under 产出, misread labels."""

from __future__ import annotations

from jixiao.documents.levels import LevelTracker, class_of_level1, clean_label


def test_clean_label_drops_spaces_and_the_weight() -> None:
    """A stored label has no spaces and no ``(50分)`` weight."""
    assert clean_label("产出 指标（50分）") == "产出指标"
    assert clean_label("服务对象满意度 指标") == "服务对象满意度指标"


def test_class_of_level_one_labels() -> None:
    """Printed level-1 labels map to their class; unknown or missing labels to None."""
    assert class_of_level1("效果指标") == "effect"
    assert class_of_level1("项目完成指标") == "output"
    assert class_of_level1("厂址指标") is None
    assert class_of_level1(None) is None


def test_labels_are_carried_down_until_replaced() -> None:
    """Level 1 and level 2 stay in force for following rows until a new label prints."""
    tracker = LevelTracker()
    tracker.set_level1("产出指标")
    tracker.set_level2("数量指标")
    assert tracker.current() == ("产出指标", "数量指标")
    tracker.set_level2("质量指标")
    assert tracker.current() == ("产出指标", "质量指标")


def test_level_one_is_inferred_from_a_level_two_label() -> None:
    """With no level 1 printed yet, 数量指标 implies 产出指标 (marked as inferred)."""
    tracker = LevelTracker()
    tracker.set_level2("数量指标")
    assert tracker.current() == ("产出指标", "数量指标")
    assert tracker.inferred


def test_a_level_two_of_another_class_switches_level_one() -> None:
    """社会效益指标 under 产出指标 means the 效益指标 group has begun without its label."""
    tracker = LevelTracker()
    tracker.set_level1("产出指标")
    tracker.set_level2("社会效益指标")
    assert tracker.current() == ("效益指标", "社会效益指标")


def test_cost_indicator_as_level_two_stays_under_output() -> None:
    """成本指标 in the level-2 position under 产出指标 keeps 产出指标 (the older tree)."""
    tracker = LevelTracker()
    tracker.set_level1("产出指标")
    tracker.set_level2("成本指标")
    assert tracker.current() == ("产出指标", "成本指标")


def test_a_new_level_one_clears_a_level_two_of_another_class() -> None:
    """A new level 1 of another class drops the level 2 in force."""
    tracker = LevelTracker()
    tracker.set_level1("产出指标")
    tracker.set_level2("数量指标")
    tracker.set_level1("效益指标")
    assert tracker.current() == ("效益指标", None)


def test_same_class_level_one_with_weight_keeps_nothing_stale() -> None:
    """``产出指标(50分)`` is stored as 产出指标 and starts a fresh group."""
    tracker = LevelTracker()
    tracker.set_level1("产出指标(50分)")
    assert tracker.current() == ("产出指标", None)
    assert tracker.group == []


def test_a_late_level_one_renames_its_inferred_group() -> None:
    """A level 1 printed in the middle of its merged cell returns its label so earlier rows can be renamed."""
    tracker = LevelTracker()
    tracker.set_level2("数量指标")
    tracker.group = [0, 1]
    assert tracker.set_level1("项目完成指标") == "项目完成指标"
    assert tracker.current() == ("项目完成指标", "数量指标")
    assert tracker.group == [0, 1]
    assert not tracker.inferred


def test_a_late_level_one_of_another_class_renames_nothing() -> None:
    """A level 1 of another class after inferred rows starts a new group and renames nothing."""
    tracker = LevelTracker()
    tracker.set_level2("数量指标")
    tracker.group = [0]
    assert tracker.set_level1("效益指标") is None
    assert tracker.current() == ("效益指标", None)
    assert tracker.group == []


def test_a_printed_level_one_is_never_renamed() -> None:
    """Only an inferred level 1 is renamed; a printed one followed by another starts a new group."""
    tracker = LevelTracker()
    tracker.set_level1("产出指标")
    tracker.group = [0]
    assert tracker.set_level1("项目完成指标") is None
    assert tracker.group == []


def test_misread_level_one_takes_its_level_twos_class() -> None:
    """An OCR misreading such as 厂址指标 before 数量指标 reads as 产出指标."""
    tracker = LevelTracker()
    tracker.set_unknown_level1("厂址指标", "数量指标")
    assert tracker.level1 == "产出指标"


def test_misread_level_one_without_a_known_level_two_is_kept_as_printed() -> None:
    """With no known level 2 to go by, the unknown label is kept as printed."""
    tracker = LevelTracker()
    tracker.set_unknown_level1("厂址 指标", "某某指标")
    assert tracker.level1 == "厂址指标"
