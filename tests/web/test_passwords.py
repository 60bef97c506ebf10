"""Passwords: one someone else set is changed at first sign-in; every change is audited; no user-name passwords."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from jixiao.web.audit.models import AuditEvent
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "Qz8#own-choice-2025"


def sign_in(username: str, password: str) -> tuple[Client, Any]:
    """A browser that posted the login form; returns it with the answer."""
    client = Client()
    return client, client.post("/accounts/login/", {"username": username, "password": password, "next": ""})


def shown_password(page: Any) -> str:
    """The one-time password the administrator's page showed in its message."""
    found = re.search(r"(?:初始|临时)密码：(\S+?)（", page.content.decode())
    assert found, page.content.decode()[:2000]
    return found.group(1)


def change(client: Client, old: str, new: str) -> Any:
    """Post the change-password form as the page renders it."""
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}, follow=True
    )


def new_person(people: dict[str, Any], tree: Any, login: Any, username: str = "wang") -> str:
    """The system administrator adds a person, the security administrator grants a role; the first password."""
    page = login(people["sysadmin"]).post(
        "/accounts/users/new/", {"username": username, "display_name": "王五"}, follow=True
    )
    first = shown_password(page)
    user = get_user_model().objects.get(username=username)
    login(people["secadmin"]).post(
        f"/accounts/users/{user.pk}/role/", {"role": "unit_staff", "organization": tree.unit_a1.pk}
    )
    return first


def test_a_first_password_must_be_changed_before_anything_else(people: dict[str, Any], tree: Any, login: Any) -> None:
    """With the administrator's first password one reaches only the password page; after a change, the work."""
    first = new_person(people, tree, login)
    client, answer = sign_in("wang", first)
    assert answer.status_code == 302 and answer["Location"] == "/accounts/password/"
    for path in ("/work/", "/work/declarations/", "/work/summary/", "/api/tokens/"):
        page = client.get(path)
        assert page.status_code == 302 and page["Location"] == "/accounts/password/", path
    api = client.get("/api/v1/projects")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    form = client.get("/accounts/password/").content.decode()
    assert "管理员设置的临时密码" in form
    # the administrator's password again is no new password
    refused = change(client, first, first)
    assert "新密码不能与当前密码相同" in refused.content.decode()
    assert client.get("/work/").status_code == 302
    done = change(client, first, NEW)
    assert done.redirect_chain[-1][0] == "/work/" and "密码已修改" in done.content.decode()
    assert client.get("/work/").status_code == 200
    # and the administrator's password no longer opens the account
    assert sign_in("wang", first)[1].status_code == 200
    assert sign_in("wang", NEW)[1]["Location"] == "/work/"


def test_a_reset_password_must_be_changed_and_ends_the_old_sessions(people: dict[str, Any], login: Any) -> None:
    """重置密码 gives a one-time password that must be changed; the person's open sessions end."""
    user = people["dept_a"]
    open_session = login(user)
    assert open_session.get("/work/").status_code == 200
    page = login(people["sysadmin"]).post(f"/accounts/users/{user.pk}/password/", follow=True)
    temporary = shown_password(page)
    assert open_session.get("/work/").status_code == 302  # signed out by the new password
    assert sign_in("dept_a", PASSWORD)[1].status_code == 200  # the old password is gone
    client, answer = sign_in("dept_a", temporary)
    assert answer["Location"] == "/accounts/password/"
    assert client.get("/work/").status_code == 302
    change(client, temporary, NEW)
    assert client.get("/work/").status_code == 200
    reset, own = AuditEvent.objects.filter(event=AuditEvent.Type.PASSWORD_CHANGE, object_id=str(user.pk)).order_by("id")
    assert reset.actor == people["sysadmin"] and reset.detail["by"] == "administrator"
    assert own.actor == user and own.detail["by"] == "self" and own.detail["replaced_temporary"] is True
    assert temporary not in str(reset.detail) and NEW not in str(own.detail)


@pytest.mark.parametrize("who", ["secadmin", "auditor", "finance", "dept_b"])
def test_only_the_system_administrator_resets_passwords(who: str, people: dict[str, Any], login: Any) -> None:
    """Everyone else is refused, and the password stays as it was."""
    response = login(people[who]).post(f"/accounts/users/{people['dept_a'].pk}/password/")
    assert response.status_code == 403
    assert sign_in("dept_a", PASSWORD)[1].status_code == 302


def test_the_system_administrator_does_not_reset_their_own(people: dict[str, Any], login: Any) -> None:
    """Their own password they change on the password page, like everyone (a reset would need no old password)."""
    me = people["sysadmin"]
    page = login(me).post(f"/accounts/users/{me.pk}/password/", follow=True)
    assert "不能在这里重置自己的密码" in page.content.decode()
    assert sign_in("sysadmin", PASSWORD)[1].status_code == 302


def test_a_password_change_is_audited_without_the_password(people: dict[str, Any], login: Any) -> None:
    """Changing one's own password writes an event with who and from where, never the password."""
    client = login(people["finance"])
    change(client, PASSWORD, NEW)
    event = AuditEvent.objects.get(event=AuditEvent.Type.PASSWORD_CHANGE)
    assert event.actor == people["finance"] and event.ip == "127.0.0.1" and event.detail["by"] == "self"
    assert NEW not in str(event.detail) and PASSWORD not in str(event.detail)
    assert sign_in("finance", NEW)[1].status_code == 302


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("finance", "finance-Bureau-1"),
        ("dept_a", "Dept_a-2025x"),
        ("staff_a1", "1a_ffats-Reversed!"),
        ("staff_b1", "STAFF_B1@office"),
    ],
)
def test_a_password_made_from_the_user_name_is_refused(
    username: str, password: str, people: dict[str, Any], login: Any
) -> None:
    """The change-password page refuses a password that contains the user name (or it reversed)."""
    page = change(login(people[username]), PASSWORD, password)
    assert "密码不能包含用户名" in page.content.decode()
    assert sign_in(username, PASSWORD)[1].status_code == 302


def test_the_user_name_rule_applies_wherever_a_password_is_validated(people: dict[str, Any]) -> None:
    """validate_password with the person refuses it too; a short user name is not a pattern to refuse."""
    with pytest.raises(ValidationError):
        validate_password("Zhangsan@2025#x", get_user_model()(username="zhangsan"))
    validate_password("Kx7!correct-horse", get_user_model()(username="kx"))


def test_the_administrators_made_at_setup_change_their_first_password(people: dict[str, Any]) -> None:
    """create_administrator prints a first password once; it opens only the password page; the creation is audited."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("create_administrator", "zhangsan", role="security", name="张三", stdout=out)
    first = re.search(r"初始密码：(\S+)", out.getvalue())
    assert first, out.getvalue()
    client, answer = sign_in("zhangsan", first.group(1))
    assert answer["Location"] == "/accounts/password/"
    assert client.get("/accounts/users/").status_code == 302
    change(client, first.group(1), NEW)
    assert client.get("/accounts/users/").status_code == 200  # the security administrator's page
    created = AuditEvent.objects.get(event=AuditEvent.Type.ROLE_CHANGE, object_id=str(client.session["_auth_user_id"]))
    assert created.username == "系统" and created.detail["after"]["role"] == "security_admin"


@pytest.mark.parametrize(("username", "role"), [("lisi", "unit"), ("a b", "audit"), ("sysadmin", "system")])
def test_create_administrator_refuses_what_it_must_not_make(username: str, role: str, people: dict[str, Any]) -> None:
    """A business role, a bad user name and a taken one are refused with a message; nobody is added."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    users = get_user_model().objects.count()
    with pytest.raises((CommandError, SystemExit)):
        call_command("create_administrator", username, role=role)
    assert get_user_model().objects.count() == users


def test_accounts_that_never_signed_in_keep_a_temporary_password_after_the_upgrade(people: dict[str, Any]) -> None:
    """The migration marks the people who have never signed in (their password is someone else's), no one else."""
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from jixiao.web.accounts.models import TemporaryPassword

    migration = importlib.import_module("jixiao.web.accounts.migrations.0002_auth_temporary_password")
    User = get_user_model()
    User.objects.filter(username="finance").update(last_login=timezone.now())
    User.objects.create_user(username="nologin")  # an unusable password: nothing to change
    TemporaryPassword.objects.all().delete()
    migration.never_signed_in(apps, None)
    marked = set(TemporaryPassword.objects.values_list("user__username", flat=True))
    assert marked == {u for u in people if u != "finance"}
    assert sign_in("dept_a", PASSWORD)[1]["Location"] == "/accounts/password/"
    assert sign_in("finance", PASSWORD)[1]["Location"] == "/work/"
