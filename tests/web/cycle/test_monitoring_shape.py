"""The monitoring form's shape (issue 16, item 2): its form, its row inputs and its mapping all come from it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.http import QueryDict

from jixiao.core.model import DEVIATION_CAUSES, LIKELIHOODS, Indicator
from jixiao.web.cycle.shapes import MONITORING, SHAPES, core_to_row, posted_row, row_to_core
from jixiao.web.monitoring.forms import MonitoringForm, MonitoringRowForm
from jixiao.web.monitoring.html import rows_html


class _Row:
    """A stored row as the shape reads it (attributes by field name)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def test_the_shape_lists_the_official_columns() -> None:
    """The columns of 项目支出绩效目标执行监控表 in order; the approved targets read-only; the header's money."""
    assert [f.label for f in MONITORING.rows] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "截至监控日完成值",
        "全年预计完成值",
        "偏差原因类型",
        "偏差原因分析",
        "完成目标可能性",
        "纠偏措施",
    ]
    assert [f.name for f in MONITORING.rows if f.readonly] == ["level1", "level2", "name", "target"]
    assert MONITORING.row("cause").choices == DEVIATION_CAUSES and MONITORING.row("likelihood").choices == LIKELIHOODS
    assert MONITORING.money == ("budget_total", "executed_to_date", "forecast_total")
    assert SHAPES["monitoring"] is MONITORING


def test_the_forms_are_the_shape() -> None:
    """The row form has the editable fields only, with the shape's labels and choices; the header its fields."""
    fields = {k: v for k, v in MonitoringRowForm.base_fields.items() if k != "indicator_id"}
    assert list(fields) == [f.name for f in MONITORING.editable]
    assert [c for c, _ in fields["cause"].choices] == list(DEVIATION_CAUSES)  # type: ignore[attr-defined]
    assert all(fields[f.name].label == f.label for f in MONITORING.editable)
    assert list(MonitoringForm.base_fields)[:-1] == list(MONITORING.header_names)


def test_the_rows_inputs_follow_the_shape() -> None:
    """One input per editable field, named from the shape; a widened field widens its input."""
    indicator = _Row(level1="产出指标", level2="数量指标", name="培训场次", target="≥4(次)")
    row = _Row(indicator=indicator)
    values = {"indicator_id": 7, "actual": "2次", "cause": ["其他"], "likelihood": "有可能"}
    html = str(rows_html([(row, {"prefix": "row-0", "values": values, "errors": {}}, [])]))
    for f in MONITORING.editable:
        assert f'name="row-0-{f.name}"' in html
    assert 'name="row-0-target"' not in html and "≥4(次)" in html
    assert 'value="其他" id="id_row-0-cause-4" checked' in html and '<option value="有可能" selected>' in html
    assert 'maxlength="300"' in html


def test_posted_and_stored_rows_map_onto_the_core_indicator() -> None:
    """Ticked boxes read in the form's order, each once; a choice not offered is none; stored <-> core agree."""
    post = QueryDict(mutable=True)
    post.setlist("row-0-cause", ["其他", "经费保障", "天气", "其他"])
    post.update({"row-0-likelihood": "也许", "row-0-actual": "2次", "row-0-forecast": "4次"})
    stored = Indicator(level1="产出指标", level2=None, name="培训场次", target="≥4(次)")
    read = posted_row(MONITORING, post, "row-0", stored)
    assert read["cause"] == ("经费保障", "其他") and read["likelihood"] is None
    assert (read["actual"], read["forecast"], read["remedy"]) == ("2次", "4次", None)
    core = replace(stored, **(read | {"likelihood": "有可能"}))
    columns = core_to_row(MONITORING, core)
    assert columns["cause"] == ["经费保障", "其他"] and columns["remedy"] == ""
    assert "target" not in columns  # the approved target is never written from a monitoring row
    assert row_to_core(MONITORING, _Row(**columns), lambda r, n: None)["cause"] == ("经费保障", "其他")
    assert row_to_core(MONITORING, _Row(**columns | {"cause": []}), lambda r, n: None)["cause"] is None
