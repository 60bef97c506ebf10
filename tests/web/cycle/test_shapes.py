"""One shape per record kind (cycle/shapes.py): forms, row HTML, preview, mapping and the scripts' field lists.

Each derived thing is checked against the shape as it stands, and built again from a shape with one
field changed, so that the change shows up in every place at once (issue 15, item 1).
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from html import unescape
from typing import Any

import pytest

from jixiao.core.model import Indicator
from jixiao.core.workflow import State
from jixiao.web.cycle import html
from jixiao.web.cycle.documents import evaluation_project
from jixiao.web.cycle.forms import EvaluationRowForm, IndicatorForm, row_form
from jixiao.web.cycle.shapes import (
    DECLARATION,
    SELF_EVALUATION,
    Field,
    Shape,
    core_to_row,
    posted_row,
    row_to_core,
)
from tests.web.conftest import advance, declare, evaluate

pytestmark = pytest.mark.django_db


def _widened(shape: Shape, name: str, **changes: Any) -> Shape:
    """The shape with one row field changed."""
    return replace(shape, rows=tuple(replace(f, **changes) if f.name == name else f for f in shape.rows))


def _data_attribute(page: str, form_id: str) -> Any:
    tag = page.split(f'id="{form_id}"', 1)[1].split(">", 1)[0]
    return json.loads(unescape(tag.split('data-row-fields="', 1)[1].split('"', 1)[0]))


def test_the_forms_are_the_shapes() -> None:
    """Each row form has the shape's fields, in its order, with its labels, widths, precision and required-ness."""
    for form, shape in ((EvaluationRowForm, SELF_EVALUATION), (IndicatorForm, DECLARATION)):
        fields = {k: v for k, v in form.base_fields.items() if k != "indicator_id"}
        assert list(fields) == list(shape.row_names)
        for f in shape.rows:
            made = fields[f.name]
            assert (made.label, made.required) == (f.label, f.required)
            if f.type == "decimal":
                assert (made.max_digits, made.decimal_places) == f.digits  # type: ignore[attr-defined]
            elif f.type != "choice":
                assert made.max_length == f.width  # type: ignore[attr-defined]
    assert [c for c, _ in IndicatorForm.base_fields["level1"].choices] == list(DECLARATION.row("level1").choices)  # type: ignore[attr-defined]


def test_one_change_in_the_shape_changes_form_html_script_and_preview() -> None:
    """A wider actual value with another label and a score with one decimal: every place follows."""
    shape = _widened(SELF_EVALUATION, "actual", width=120, label="实际完成情况")
    shape = _widened(shape, "score", places=1)
    form = row_form(shape, "Changed")(prefix="row-0")
    assert 'maxlength="120"' in str(form["actual"]) and 'step="0.1"' in str(form["score"])
    assert form.fields["actual"].label == "实际完成情况"
    assert 'maxlength="120"' in html._input(shape.row("actual")) and "实际完成情况" in html._input(shape.row("actual"))
    assert 'step="0.1"' in html._input(shape.row("score"))
    script = json.loads(shape.script_fields())
    assert {"name": "actual", "type": "text", "label": "实际完成情况", "required": False} in script["fields"]
    stored = Indicator(level1="产出指标", level2=None, name="培训次数", actual="旧值")
    posted = posted_row(shape, {"row-0-actual": "很" * 200, "row-0-score": "12.25"}, "row-0", stored)
    assert posted["actual"] == "很" * 120  # cut to the shape's width, as the save would keep it
    assert posted["score"] is None  # two decimals do not fit a one-place column: no number


def test_the_live_row_html_and_scripts_come_from_the_shape(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The pages carry the shapes' field lists for their scripts, and the inputs carry the shapes' attributes."""
    for f in SELF_EVALUATION.rows:
        assert html._input(f) in html.ROW
    assert 'maxlength="300"' in html._input(SELF_EVALUATION.row("actual"))
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    staff = login(people["staff_a1"])
    page = staff.get(f"/work/evaluations/{ev.pk}/edit/").content.decode()
    assert _data_attribute(page, "evaluation-form") == json.loads(SELF_EVALUATION.script_fields())
    draft = declare(people["staff_a1"], tree.unit_a1, name="另一个项目")
    page = staff.get(f"/work/declarations/{draft.pk}/edit/").content.decode()
    assert _data_attribute(page, "declaration-form") == json.loads(DECLARATION.script_fields())
    # the stored rows read into the core as the shape maps them, and back
    project = evaluation_project(ev)
    first = ev.indicators.select_related("indicator").order_by("indicator__position")[0]
    assert core_to_row(SELF_EVALUATION, project.indicators[0]) == {
        "actual": first.actual,
        "score": first.score,
        "deviation": first.deviation,
    }
    mapped = row_to_core(DECLARATION, first.indicator, lambda r, n: getattr(r, n))
    assert mapped == {
        "level1": first.indicator.level1,
        "level2": first.indicator.level2 or None,
        "name": first.indicator.name,
        "target": first.indicator.target or None,
        "weight": first.indicator.weight,
    }


def test_a_field_the_core_does_not_know_stays_on_the_web() -> None:
    """The score reason is the web's own: never mapped into or out of the core document."""
    assert "score_reason" not in SELF_EVALUATION.core_rows()
    extra = _widened(SELF_EVALUATION, "score_reason", core=None)
    assert set(core_to_row(extra, Indicator(level1="产出指标", level2=None, name="x", actual="a", deviation="d"))) == {
        "actual",
        "score",
        "deviation",
    }
    assert Field("x", "某栏", "decimal", places=3).step == "0.001"
    assert Decimal(SELF_EVALUATION.row("score").step) == Decimal("0.01")
