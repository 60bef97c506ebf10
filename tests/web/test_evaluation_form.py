"""The self-evaluation edit form used as a browser uses it: a refused save says so at the top, with links."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.core.workflow import State
from tests.web.conftest import advance, declare, evaluate
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db


def test_a_refused_self_evaluation_is_summarised_at_the_top(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Bad figures in the form and in a row are listed above the form, each linking to its field; nothing is stored."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    staff = login(people["staff_a1"])
    page = staff.get(f"/work/evaluations/{ev.pk}/edit/").content.decode()
    assert 'class="error-summary"' not in page
    data = form_data(page, "evaluation-form", executed_total="95000.005", **{"row-1-score": "-3"})
    response = staff.post(f"/work/evaluations/{ev.pk}/edit/", data | {"save": ""})
    assert response.status_code == 200
    page = response.content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert "未保存" in summary and "2 处" in summary
    # the messages are Django's own Chinese ones, after the field's label and the row's number and name
    assert 'href="#id_executed_total"' in summary and "全年执行数：确认小数不超过 2 位" in summary
    assert 'href="#id_row-1-score"' in summary and "第2行「培训合格率」得分：确保该值大于或等于0" in summary
    assert page.index('class="error-summary"') < page.index('id="evaluation-form"')
    assert 'id="id_executed_total"' in page and 'id="id_row-1-score"' in page
    ev.refresh_from_db()
    assert ev.version == 2 and str(ev.executed_total) == "95000.00"


def test_a_saved_self_evaluation_has_no_summary(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Saving the form as shown is accepted, and the page it returns to has no error summary."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    staff = login(people["staff_a1"])
    page = staff.get(f"/work/evaluations/{ev.pk}/edit/").content.decode()
    response = staff.post(f"/work/evaluations/{ev.pk}/edit/", form_data(page, "evaluation-form") | {"save": ""})
    assert response.status_code == 302
    assert 'class="error-summary"' not in staff.get(response["Location"]).content.decode()
    ev.refresh_from_db()
    assert ev.version == 3
