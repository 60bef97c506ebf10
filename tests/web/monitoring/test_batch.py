"""Batch approval of monitoring forms from a round's page: ticked as rendered, each form whole or refused."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.core.workflow import Action
from jixiao.web.monitoring import services
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import fill, open_all, record_of

pytestmark = pytest.mark.django_db
PICK = re.compile(r'<input type="checkbox" name="pick" value="([0-9]+:[0-9]+)"')  # a tick as the page renders it


def test_a_department_approves_its_submitted_forms_at_once(
    approved: dict[str, Any], people: dict[str, Any], login: Any
) -> None:
    """Two submitted forms ticked; one changed after the page was drawn is refused with why; the other approved."""
    round_ = open_all(people)
    a1, a2 = record_of(round_, approved["a1"]), record_of(round_, approved["a2"])
    for rec, staff in ((a1, "staff_a1"), (a2, "staff_a2")):
        services.act(ctx(people[staff]), fill(rec, people[staff]), Action.SUBMIT)
    dept = login(people["dept_a"])
    page = dept.get(f"/work/monitoring/rounds/{round_.pk}/").content.decode()
    # the two forms, both submitted, are the ones the department may tick (the fixture names both alike)
    picks = PICK.findall(page)
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert sorted(picks) == sorted(f"{r.pk}:{r.version}" for r in (a1, a2))
    # meanwhile the department returns one and the unit submits it again: a newer version than the page's
    services.act(ctx(people["dept_a"]), a2, Action.RETURN, "请补充说明")
    services.act(ctx(people["staff_a2"]), a2, Action.SUBMIT)
    answer = dept.post("/work/notices/batch/monitoring/", {"pick": picks, "round": str(round_.pk)})
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "主管部门审核通过 1 条，未通过 1 条" in text and "已被修改" in text
    assert f'href="/work/monitoring/rounds/{round_.pk}/"' in text  # back to the round's page
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.state, a2.state) == ("dept_approved", "submitted")
    # a unit has no batch form, and cannot post one
    staff_page = login(people["staff_a1"]).get(f"/work/monitoring/rounds/{round_.pk}/").content.decode()
    assert 'id="batch"' not in staff_page
    assert login(people["staff_a1"]).post("/work/notices/batch/monitoring/", {"pick": picks}).status_code == 403
