"""The three administrators (三员分立): people, roles, the organization tree; no one else reaches their pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from jixiao.web.accounts.models import Account
from jixiao.web.audit.models import AuditEvent
from jixiao.web.orgs.models import Organization

pytestmark = pytest.mark.django_db
BUSINESS = ("staff_a1", "dept_a", "finance", "auditor")


@pytest.mark.parametrize("who", BUSINESS)
def test_business_roles_and_the_auditor_cannot_manage_people(who: str, people: dict[str, Any], login: Any) -> None:
    """Users, roles and the organization tree answer 403 to everyone but their administrator."""
    client = login(people[who])
    target = people["staff_a2"].pk
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/orgs/").status_code == 403
    assert client.post("/accounts/users/new/", {"username": "x"}).status_code == 403
    assert client.post(f"/accounts/users/{target}/role/", {"role": "finance_reviewer"}).status_code == 403
    assert Account.objects.get(user_id=target).role == "unit_staff"
    assert not get_user_model().objects.filter(username="x").exists()


def test_system_administrator_adds_a_person_without_a_role(people: dict[str, Any], login: Any) -> None:
    """The system administrator adds a person; no role comes with it, the first password is shown once."""
    client = login(people["sysadmin"])
    response = client.post("/accounts/users/new/", {"username": "wang", "display_name": "王五"}, follow=True)
    assert "初始密码" in response.content.decode()
    user = get_user_model().objects.get(username="wang")
    assert not Account.objects.filter(user=user).exists()
    assert client.post(f"/accounts/users/{user.pk}/role/", {"role": "audit_admin"}).status_code == 403
    assert AuditEvent.objects.filter(event="create", object_id=str(user.pk)).exists()


def test_security_administrator_grants_one_role(people: dict[str, Any], tree: Any, login: Any) -> None:
    """A role is granted at a fitting organization only; the change is audited with before and after."""
    client = login(people["secadmin"])
    user = people["staff_a2"]
    client.post(f"/accounts/users/{user.pk}/role/", {"role": "dept_reviewer", "organization": tree.dept_a.pk})
    account = Account.objects.get(user=user)
    assert (account.role, account.organization_id) == ("dept_reviewer", tree.dept_a.pk)
    event = AuditEvent.objects.get(event="role_change")
    assert event.detail["before"]["role"] == "unit_staff" and event.detail["after"]["role"] == "dept_reviewer"
    # a department reviewer cannot sit in a unit, and an administrator sits nowhere
    response = client.post(
        f"/accounts/users/{user.pk}/role/", {"role": "dept_reviewer", "organization": tree.unit_a1.pk}, follow=True
    )
    assert "只能设在主管部门" in response.content.decode()
    client.post(f"/accounts/users/{user.pk}/role/", {"role": "system_admin", "organization": tree.unit_a1.pk})
    account.refresh_from_db()
    assert (account.role, account.organization_id) == ("system_admin", None)


def test_security_administrator_cannot_change_their_own_role(people: dict[str, Any], login: Any) -> None:
    """Granting oneself another role is refused."""
    me = people["secadmin"]
    login(me).post(f"/accounts/users/{me.pk}/role/", {"role": "finance_reviewer"})
    assert Account.objects.get(user=me).role == "security_admin"


def test_system_administrator_keeps_the_tree(people: dict[str, Any], tree: Any, login: Any) -> None:
    """A unit is added under a department, never under the bureau; each addition is audited."""
    client = login(people["sysadmin"])
    client.post("/orgs/", {"name": "测试市医保经办分中心", "kind": "unit", "parent": tree.dept_a.pk})
    unit = Organization.objects.get(name="测试市医保经办分中心")
    assert unit.department == tree.dept_a
    response = client.post("/orgs/", {"name": "错误的单位", "kind": "unit", "parent": tree.bureau.pk}, follow=True)
    assert "实施单位必须设在主管部门之下" in response.content.decode()
    assert not Organization.objects.filter(name="错误的单位").exists()
    assert AuditEvent.objects.filter(event="create", object_type="orgs.organization").count() == 1


def test_disabled_account_cannot_log_in(people: dict[str, Any], login: Any) -> None:
    """A login disabled by the system administrator is refused at the login page."""
    login(people["sysadmin"]).post(f"/accounts/users/{people['staff_b1'].pk}/active/", {"active": "0"})
    from django.test import Client

    response = Client().post("/accounts/login/", {"username": "staff_b1", "password": "Kx7!correct-horse"})
    assert response.status_code == 200  # the form again, not a redirect into the work pages


@pytest.mark.parametrize("username", ["wang wu", "王五/办公室", "x" * 151, "   "])
def test_a_user_name_is_checked_before_anyone_is_added(username: str, people: dict[str, Any], login: Any) -> None:
    """Spaces, slashes, an over-long or empty name are refused with a Chinese message; nobody is added."""
    users = get_user_model().objects.count()
    page = login(people["sysadmin"]).post("/accounts/users/new/", {"username": username}, follow=True)
    assert page.status_code == 200 and "用户名" in page.content.decode()
    assert get_user_model().objects.count() == users
    assert not AuditEvent.objects.filter(event="create").exists()


def test_an_organization_that_is_no_number_is_refused_as_missing(people: dict[str, Any], login: Any) -> None:
    """A forged organization id is not a server error: the role needs its organization, and nothing changes."""
    target = people["staff_a2"]
    page = login(people["secadmin"]).post(
        f"/accounts/users/{target.pk}/role/", {"role": "dept_reviewer", "organization": "x"}, follow=True
    )
    assert page.status_code == 200 and "必须指定所在单位" in page.content.decode()
    assert Account.objects.get(user=target).role == "unit_staff"
