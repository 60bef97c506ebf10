"""The stream reader on a monitoring form: its title, dated headings and own columns, read from any extraction."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.core.model import Document, Kind
from jixiao.documents.reading.lexicon import label_of, title_kind
from jixiao.documents.reading.reader import read_stream_text
from jixiao.documents.text import read_bytes
from jixiao.exporters.report import build_report
from tests.exporters.helpers import grid_text, monitoring_document
from tests.exporters.test_monitoring_roundtrip import without_empty_rows


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("截至7月31日执行数", "executed"),
        ("截止6月底执行数", "executed"),
        ("1-7月执行数", "executed"),
        ("截至2025年9月30日完成值", "actual"),
        ("截至监控日完成情况", "outcome"),
        ("全年预计执行数", "forecast"),
        ("全年预计完成值", "forecast"),
        ("偏差原因类型", "cause"),
        ("完成目标可能性", "likelihood"),
        ("纠偏措施/备注", "remedy"),
        ("监控截止日期", "as_of"),
    ],
)
def test_monitoring_headings_name_their_fields_whatever_the_date(printed: str, key: str) -> None:
    """A heading carrying the round's date names the same field as the undated one."""
    found = label_of(printed)
    assert found is not None and found.key == key


def test_a_monitoring_title_names_the_kind() -> None:
    """项目支出绩效目标执行监控表 (which also names 绩效目标) is a monitoring form, not a declaration."""
    assert title_kind("项目支出绩效目标执行监控表") == "monitoring"
    assert title_kind("2025年度部门预算绩效运行监控表") == "monitoring"
    assert title_kind("财政项目支出绩效目标申报表") == "target_declaration"


def _slid_forward(document: Document) -> Document:
    """What a text without cell boundaries must give: a forecast after an empty value to date reads as that value.

    Printed as ``≤0.72万元  0.70万元  确定能``, nothing shows which of the two columns is empty.
    """
    projects = []
    for p in document.projects:
        indicators = tuple(
            replace(i, actual=i.forecast, forecast=None) if i.actual is None and i.forecast is not None else i
            for i in p.indicators
        )
        projects.append(replace(p, indicators=indicators))
    return replace(document, projects=tuple(projects))


@pytest.mark.parametrize("separator", ["\t", "   "])
def test_the_stream_reader_reads_a_monitoring_form(separator: str) -> None:
    """Tab- or space-separated, every project, figure, cause, likelihood and remedy is read by the stream reader."""
    document = monitoring_document()
    text = grid_text(build_report(document)).replace("\t", separator)
    result = read_stream_text(read_bytes(text.encode("utf-8"), "monitoring.txt"))
    assert result.document.kind is Kind.MONITORING
    assert [p.as_of for p in result.document.projects] == ["2025-07-31", "2025-06-30", "2025-09-30"]
    assert without_empty_rows(result.document) == _slid_forward(without_empty_rows(document))
    assert result.problems == ()
