"""The project code (项目编码): set where the declaration's header is edited, unique in a department, shown, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Project
from tests.web.conftest import advance, ctx, declare
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return str(response.content.decode())


def test_the_unit_sets_the_code_on_its_edit_page_and_it_shows_in_the_list(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """Typed into the form as rendered, saved, shown on the page and in the list; saved twice, audited once."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    unit = login(people["staff_a1"])
    edit = reverse("cycle:declaration_edit", args=[decl.pk])
    page = text(unit.get(edit))
    data = form_data(page, "project-code", code=" 330100-2025-0001 ")
    done = unit.post(reverse("cycle:project_code", args=[decl.pk]), data, follow=True)
    assert done.redirect_chain[-1][0] == edit and "已保存项目编码：330100-2025-0001。" in text(done)
    assert Project.objects.get(pk=decl.project_id).code == "330100-2025-0001"
    again = form_data(text(done), "project-code")  # the page shows the code; posted again, nothing changes
    assert again["code"] == "330100-2025-0001"
    unit.post(reverse("cycle:project_code", args=[decl.pk]), again)
    events = AuditEvent.objects.filter(object_type="cycle.project", object_id=str(decl.project_id), event="update")
    assert [e.detail for e in events] == [{"before": {"code": ""}, "after": {"code": "330100-2025-0001"}}]
    listed = text(unit.get(reverse("cycle:declaration_list")))
    assert "<th>项目编码</th>" in listed and "<td>330100-2025-0001</td>" in listed
    # submitted, the department's reviewer reads it on the record's page, and may correct it there
    advance(decl, people, "staff_a1", "dept_a", State.SUBMITTED)
    dept_page = text(login(people["dept_a"]).get(reverse("cycle:declaration_detail", args=[decl.pk])))
    assert 'id="project-code"' in dept_page and 'value="330100-2025-0001"' in dept_page


def test_a_bad_or_taken_code_is_refused_naming_why(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Unique within a department (another department may use it); letters, digits and . _ - only; may be cleared."""
    a1 = declare(people["staff_a1"], tree.unit_a1)
    a2 = declare(people["staff_a2"], tree.unit_a2, name="信息系统运维")
    b1 = declare(people["staff_b1"], tree.unit_b1)
    services.set_project_code(ctx(people["staff_a1"]), a1.project, "P-001")
    unit = login(people["staff_a2"])
    page = text(unit.get(reverse("cycle:declaration_edit", args=[a2.pk])))
    taken = unit.post(
        reverse("cycle:project_code", args=[a2.pk]), form_data(page, "project-code", code="P-001"), follow=True
    )
    assert "项目编码「P-001」已用于测试市医疗保障局的项目「业务培训经费」，同一主管部门内项目编码不能重复。" in text(
        taken
    )
    assert Project.objects.get(pk=a2.project_id).code == ""
    with pytest.raises(ValidationError, match="只能包含字母、数字"):
        services.set_project_code(ctx(people["staff_a2"]), a2.project, "项目 001")
    assert services.set_project_code(ctx(people["staff_b1"]), b1.project, "P-001").code == "P-001"  # other department
    assert services.set_project_code(ctx(people["staff_a1"]), a1.project, "").code == ""  # cleared
    assert services.set_project_code(ctx(people["staff_a2"]), a2.project, "P-001").code == "P-001"  # now free


def test_who_may_set_it(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Its unit's staff, its department's reviewers and the bureau; nobody else (approved or not)."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    for who in ("staff_a2", "staff_b1", "dept_b"):
        with pytest.raises(PermissionDenied):
            services.set_project_code(ctx(people[who]), decl.project, "X1")
    for n, who in enumerate(("staff_a1", "dept_a", "finance")):
        assert services.set_project_code(ctx(people[who]), decl.project, f"X{n}").code == f"X{n}"
    assert (
        login(people["staff_b1"]).post(reverse("cycle:project_code", args=[decl.pk]), {"code": "Y"}).status_code == 404
    )
    other = text(login(people["staff_a2"]).get(reverse("cycle:declaration_list")))
    assert "X2" not in other
