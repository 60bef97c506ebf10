"""The values a check page may correct: found by their JSON path, checked as the record forms check them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jixiao.core.model import Document, Execution, Indicator, Kind, Project
from jixiao.core.scoring.packs import load_pack
from jixiao.web.imports import fields

PACK = load_pack(None)
DOCUMENT = Document(
    kind=Kind.SELF_EVALUATION,
    year=2024,
    projects=(
        Project(
            name="培训经费",
            department="测试市医疗保障局",
            execution=Execution(weight=Decimal(10), rate_pct=Decimal("95.5"), score=Decimal("9.55")),
            indicators=(
                Indicator("产出指标", "数量指标", "培训场次", "≥4场", "4场", Decimal(20), Decimal(20)),
                Indicator("效益指标", "社会效益指标", "培训覆盖面", "有效提升", "提升", Decimal(30), None),
            ),
        ),
    ),
)


def _corrected(path: str, text: str) -> Document:
    f = fields.field_at(DOCUMENT, path)
    assert f is not None
    return fields.corrected(DOCUMENT, f, text, PACK)


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("projects[0].indicators[0].score", "20.5", "得分 20.5 超过该项分值 20 分"),
        ("projects[0].execution.score", "11", "得分 11 超过该项分值 10 分"),
        ("projects[0].indicators[1].weight", "0", "超出范围"),
        ("projects[0].total_score", "100.01", "超过满分 100 分"),
        ("projects[0].execution.rate_pct", "-3", "不能为负数"),
        ("projects[0].funds.total.executed", "1.001", "最多两位小数"),
        ("projects[0].grade", "甲", "应为 优、良、中、差 之一"),
        ("projects[0].money_unit", "千元", "应为 元、万元 之一"),
        ("projects[0].indicators[0].name", "培训\x00场次", "控制字符"),
    ],
)
def test_what_no_form_could_hold_is_refused(path: str, text: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _corrected(path, text)
    assert message in " ".join(refused.value.messages)


def test_a_value_becomes_its_type_and_the_rest_of_the_document_stays() -> None:
    changed = _corrected("projects[0].funds.total.executed", "1234.5")
    assert changed.projects[0].funds.total is not None and changed.projects[0].funds.total.executed == Decimal("1234.5")
    changed = _corrected("projects[0].indicators[1].score", "28")
    assert changed.projects[0].indicators[1].score == Decimal(28)
    assert changed.projects[0].indicators[0] == DOCUMENT.projects[0].indicators[0]
    f = fields.field_at(changed, "projects[0].indicators[1].score")
    assert f is not None and fields.value_at(changed, f) == "28"
    assert fields.convert(f, "28") == Decimal(28)  # the stored text read back as the value it was checked into


def test_paths_outside_the_document_or_the_correctable_fields_are_none() -> None:
    for path in (
        "projects[1].name",
        "projects[0].indicators[2].target",
        "projects[0].funds.nowhere.executed",
        "projects[0].schema",
        "projects[0].name.x",
    ):
        assert fields.field_at(DOCUMENT, path) is None
