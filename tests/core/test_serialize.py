"""Lossless JSON in and out of the document model."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.errors import DocumentError
from jixiao.core.model import Document, FundRow, Funds, Indicator, Kind, Project
from jixiao.core.serialize import document_to_dict, dumps, from_dict, loads
from tests.shared import GOLD_FILES


def _strip_nulls(value: object) -> object:
    """The JSON tree without null members, for comparing what a file says."""
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value


@pytest.mark.shared
@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem[:3])
def test_gold_reads_and_writes_back_the_same_values(gold: Path) -> None:
    """Every gold file survives read -> write with every value and its digits intact."""
    text = gold.read_text(encoding="utf-8")
    doc = loads(text, source=gold.name)
    again = json.loads(dumps(doc), parse_float=Decimal, parse_int=Decimal)
    original = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    assert _strip_nulls(again) == _strip_nulls(original)


@pytest.mark.shared
@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem[:3])
def test_written_json_is_stable(gold: Path) -> None:
    """Writing what was read gives byte-identical text, and the model compares equal."""
    doc = loads(gold.read_text(encoding="utf-8"))
    text = dumps(doc)
    assert dumps(loads(text)) == text
    assert loads(text) == doc


def test_money_keeps_printed_digits() -> None:
    """445000.00 stays 445000.00 and 216212 stays an integer: no float anywhere."""
    doc = Document(
        kind=Kind.SELF_EVALUATION,
        year=2022,
        projects=(
            Project(
                name="示例项目",
                funds=Funds(total=FundRow(initial=Decimal("445000.00"), executed=Decimal("216212"))),
                indicators=(Indicator("产出指标", "数量指标", "培训次数", ">=1次", "1", Decimal("5"), Decimal("4.5")),),
            ),
        ),
    )
    text = dumps(doc)
    assert '"initial": 445000.00' in text
    assert '"executed": 216212' in text
    assert '"score": 4.5' in text
    back = loads(text)
    row = back.projects[0].funds.total
    assert row is not None and row.initial == Decimal("445000.00") and str(row.initial) == "445000.00"
    assert isinstance(back.projects[0].indicators[0].weight, Decimal)


@pytest.mark.shared
def test_from_dict_accepts_floats_without_binary_noise() -> None:
    """A tree parsed with plain floats is read through its shortest text (0.1 stays 0.1)."""
    data = document_to_dict(loads((GOLD_FILES[2]).read_text(encoding="utf-8")))
    plain = json.loads(json.dumps(data, default=float))
    plain["projects"][0]["indicators"][0]["score"] = 0.1
    doc = from_dict(plain)
    assert doc.projects[0].indicators[0].score == Decimal("0.1")


@pytest.mark.shared
@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d.update(schema="other/1"), "$.schema", "schema"),
        (lambda d: d.update(kind="budget"), "$.kind", "未知的表格种类"),
        (lambda d: d.update(year="2022"), "$.year", "整数"),
        (lambda d: d["projects"][0].update(grade="A"), "$.projects[0].grade", "评分等级"),
        (lambda d: d["projects"][0]["indicators"][1].update(weight="5"), "$.projects[0].indicators[1].weight", "数字"),
        (lambda d: d["projects"][0]["indicators"][0].pop("name"), "$.projects[0].indicators[0].name", "缺少"),
        (lambda d: d["projects"][0]["funds"].update(bonus={}), "$.projects[0].funds.bonus", "未知字段"),
        (lambda d: d["projects"][0].update(indicators={}), "$.projects[0].indicators", "列表"),
        (lambda d: d["projects"][0].update(start_date="2024年3月"), "$.projects[0].start_date", "YYYY-MM-DD"),
    ],
)
def test_bad_documents_name_the_place(mutate, path: str, words: str) -> None:  # type: ignore[no-untyped-def]
    """A malformed document raises DocumentError naming the JSON path and what was expected."""
    data = json.loads(GOLD_FILES[0].read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(DocumentError) as info:
        loads(json.dumps(data, ensure_ascii=False), source="bad.json")
    assert info.value.location.path == path
    assert info.value.location.file == "bad.json"
    assert words in info.value.message
    assert path in str(info.value)


def test_invalid_json_names_line_and_column() -> None:
    """Broken JSON text is refused with its line, not a traceback."""
    with pytest.raises(DocumentError) as info:
        loads('{\n  "schema": "jixiao.document/1",\n  "kind": \n}', source="x.json")
    assert info.value.location.line == 4
    assert "不是有效的 JSON" in info.value.message


@pytest.mark.parametrize(
    "text, said",
    [
        ('{"schema": ', "此处应有一个值"),
        ('{"schema" 1}', "缺少冒号"),
        ('{"a": 1 "b": 2}', "缺少逗号"),
        ("{schema: 1}", "双引号"),
        ('{"a": "x', "没有结束的双引号"),
        ("{} x", "多余的内容"),
    ],
)
def test_malformed_json_is_explained_in_chinese(text: str, said: str) -> None:
    """The json module's English messages are given in Chinese, with the line and column."""
    with pytest.raises(DocumentError) as info:
        loads(text, source="doc.json")
    assert said in info.value.message
    assert "Expecting" not in str(info.value) and "Extra data" not in str(info.value)
    assert info.value.location.line == 1
