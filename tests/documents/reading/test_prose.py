"""Indicators restated as sentences in a notice."""

from __future__ import annotations

from jixiao.documents.importer import import_bytes

NOTICE = """\
关于某镇设施农业种植项目绩效目标设定的公示
现将绩效目标设定如下:
一、 产出指标
数量指标:种植数量(≥**株)>=17600株;种植作物成活率(≥**%)>=85;时效指标:完成及时率(≥**%)>=100%。
二、 效益指标
经济效益指标:特色产业产值(≥**万元)≥80万元,增加收入(≥**万元)≥80万元;生态效益指标:生态修复功能提高。
某镇人民政府
2023年3月27日
"""


def test_a_notice_that_lists_its_targets_in_sentences_is_read_as_a_target_form() -> None:
    """Level labels with colons, items cut at ；。 (and ， after a value), targets after the last sign."""
    doc = import_bytes(NOTICE.encode("utf-8"), "notice.txt").document
    (project,) = doc.projects
    assert (project.name, project.unit) == ("某镇设施农业种植项目", "某镇人民政府")
    rows = [(i.level1, i.level2, i.name, i.target) for i in project.indicators]
    assert rows == [
        ("产出指标", "数量指标", "种植数量(≥**株)", ">=17600株"),
        ("产出指标", "数量指标", "种植作物成活率(≥**%)", ">=85"),
        ("产出指标", "时效指标", "完成及时率(≥**%)", ">=100%"),
        ("效益指标", "经济效益指标", "特色产业产值(≥**万元)", "≥80万元"),
        ("效益指标", "经济效益指标", "增加收入(≥**万元)", "≥80万元"),
        ("效益指标", "生态效益指标", "生态修复功能提高", None),
    ]
