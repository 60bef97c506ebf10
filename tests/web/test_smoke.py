"""The pages of each role open, in Chinese, with what the role may see."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.core.workflow import State
from tests.web.conftest import advance, declare

pytestmark = pytest.mark.django_db


def test_home_pages_open_for_each_business_role(people: dict[str, Any], tree: Any, login: Any) -> None:
    """Unit staff, department and finance reviewers each get their work page."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    advance(decl, people, "staff_a1", "dept_a", State.SUBMITTED)
    for who in ("staff_a1", "dept_a", "finance"):
        response = login(people[who]).get("/work/")
        assert response.status_code == 200
        assert "待办事项" in response.content.decode()


def test_declaration_pages_render(people: dict[str, Any], tree: Any, login: Any) -> None:
    """The declaration page shows the official form and the editor opens for its unit."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    client = login(people["staff_a1"])
    page = client.get(f"/work/declarations/{decl.pk}/").content.decode()
    assert "财政项目支出绩效目标申报表" in page and "培训场次" in page
    edit = client.get(f"/work/declarations/{decl.pk}/edit/")
    assert edit.status_code == 200
    assert "增加一行指标" in edit.content.decode()
