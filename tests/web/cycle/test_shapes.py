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

from jixiao.core.model import Indicator, Project
from jixiao.core.workflow import State
from jixiao.web.cycle import html
from jixiao.web.cycle.documents import evaluation_project
from jixiao.web.cycle.forms import DeclarationForm, EvaluationForm, EvaluationRowForm, IndicatorForm, row_form
from jixiao.web.cycle.shapes import (
    DECLARATION,
    SELF_EVALUATION,
    TRANSFER_SELF_EVALUATION,
    Field,
    Shape,
    core_to_header,
    core_to_row,
    header_to_core,
    posted_header,
    posted_row,
    row_to_core,
    with_values,
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


def test_the_header_is_the_shapes_too(tree: Any, people: dict[str, Any]) -> None:
    """Header fields map to the core by their paths: stored -> core -> columns gives the columns back."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    project = evaluation_project(ev)
    assert project.funds.total is not None and project.execution is not None
    # the rate is both the total row's and the 预算执行率 row's, as the printed form shows it twice
    assert project.funds.total.rate_pct == project.execution.rate_pct == ev.rate_pct
    columns = core_to_header(SELF_EVALUATION, project)
    shown = {k: v for k, v in columns.items() if SELF_EVALUATION.header_field(k).form}
    assert shown == {k: getattr(ev, k) for k in SELF_EVALUATION.header_names}
    # the transfer payment's form has no 预算执行率 row: its shape has no path into one
    assert all(not p.startswith("execution.") for f in TRANSFER_SELF_EVALUATION.header for p in f.paths)
    assert TRANSFER_SELF_EVALUATION.header_field("rate_pct").paths == ("funds.total.rate_pct",)
    assert (
        with_values(
            Project(name="x"), header_to_core(TRANSFER_SELF_EVALUATION, ev, lambda r, f: getattr(r, f))
        ).execution
        is None
    )
    # the form's fields are the header's, and every money column of the shape is one of them or a file's
    assert EvaluationForm.Meta.fields == list(SELF_EVALUATION.header_names)
    assert set(SELF_EVALUATION.money) >= {"initial_total", "executed_other", "adjusted_central"}


def test_the_posted_header_reads_as_the_save_keeps_it(tree: Any, people: dict[str, Any]) -> None:
    """Typed values replace the stored ones; an omitted field keeps its value; what the column refuses is none."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    stored = evaluation_project(ev)
    posted = posted_header(
        SELF_EVALUATION,
        {"executed_total": "88000.50", "rate_pct": "NaN", "executed_current": "1e999999", "grade": "良好极了"},
        stored,
    )
    assert posted.funds.total is not None and posted.funds.total.executed == Decimal("88000.50")
    assert posted.funds.total.adjusted == stored.funds.total.adjusted  # not posted: kept
    assert posted.funds.total.rate_pct is None and posted.execution is not None and posted.execution.rate_pct is None
    current = posted.funds.current_appropriation
    assert current is None or current.executed is None
    assert posted.grade == "良好"  # cut to the column's width, as the save would
    assert posted.outcome == stored.outcome


def test_a_negative_amount_is_refused_on_both_forms_as_typed(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Money, points and rates below zero exist on no form: the header refuses them, naming the field."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    staff = login(people["staff_a1"])
    page = staff.get(f"/work/declarations/{decl.pk}/edit/").content.decode()
    assert 'name="requested_total"' in page and 'min="0"' in page
    form = DeclarationForm({"requested_total": "-5", "money_unit": "元", "version": "1"}, instance=decl)
    assert not form.is_valid() and "requested_total" in form.errors
