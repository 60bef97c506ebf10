"""A NUL byte in a request (PostgreSQL cannot store or compare one) gets a clear refusal, never a server error.

Run on PostgreSQL too (``DATABASE_URL=postgres://...``): on SQLite a NUL is just a character,
on PostgreSQL a text parameter holding one makes the query fail.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.web.accounts.models import Account
from jixiao.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# every page that reads words from its query string into a query, with who may open it
SEARCHES = [
    (None, "/", "q"),
    (None, "/", "department"),
    (None, "/", "year"),
    ("finance", "/work/declarations/", "q"),
    ("finance", "/work/evaluations/", "q"),
    ("finance", "/work/summary/", "q"),
    ("finance", "/work/summary/dashboard/", "q"),
    ("finance", "/work/summary/download.csv", "q"),
    ("finance", "/work/summary/download.xlsx", "q"),
    ("auditor", "/audit/", "user"),
    ("auditor", "/audit/", "event"),
    ("finance", "/api/v1/projects", "state"),
    ("staff_a1", "/work/targets/check/", "target"),
]


def post_form(client: Client, path: str, data: dict[str, str], content_type: str) -> Any:
    """Post a form encoded as a browser does: url-encoded (a plain form) or multipart (a form with a file input)."""
    if content_type == "application/x-www-form-urlencoded":
        return client.post(path, urlencode(data), content_type=content_type)
    return client.post(path, data)


def client_for(who: str | None, people: dict[str, Any], login: Any) -> Client:
    """An anonymous reader or a signed-in person."""
    return Client() if who is None else login(people[who])


@pytest.mark.parametrize(("who", "path", "parameter"), SEARCHES)
def test_a_nul_byte_in_a_search_is_refused_clearly(
    who: str | None, path: str, parameter: str, people: dict[str, Any], login: Any
) -> None:
    """Each search answers 400 with a Chinese message (a JSON 422 under the API), not a server error."""
    response = client_for(who, people, login).get(path, {parameter: "医保\x00"})
    api = path.startswith("/api/")
    assert response.status_code == (422 if api else 400), (path, response.status_code)
    text = response.content.decode()
    assert "不可见的控制字符" in text, text[:300]
    if api:  # the API's answer to a parameter that is not as documented
        assert response.json()["code"] == "invalid"
    else:  # a page like every other: its security headers too
        assert "default-src 'self'" in response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"


def test_the_same_searches_without_the_byte_still_work(people: dict[str, Any], login: Any) -> None:
    """The refusal is for the byte only: the same words search as before."""
    for who, path, parameter in SEARCHES:
        response = client_for(who, people, login).get(path, {parameter: "医保"})
        assert response.status_code in (200, 422), (path, response.status_code)  # 422: the API's unknown state


def test_a_nul_byte_in_a_parameter_name_or_the_login_form_is_refused(people: dict[str, Any]) -> None:
    """A NUL in a parameter's name, and in the user name typed at login, is refused without a server error."""
    assert Client().get("/?q\x00=x").status_code == 400
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        login = post_form(Client(), "/accounts/login/", {"username": "dept_a\x00", "password": "x"}, content_type)
        assert login.status_code == 400 and "不可见的控制字符" in login.content.decode()
    assert not AuditEvent.objects.filter(event=AuditEvent.Type.LOGIN_FAILED).exists()


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_nul_byte_in_the_administrators_forms_changes_nothing(
    content_type: str, people: dict[str, Any], login: Any
) -> None:
    """A new user name or an organization id with a NUL is refused with the message; nothing is stored."""
    users = get_user_model().objects.count()
    page = post_form(
        login(people["sysadmin"]),
        "/accounts/users/new/",
        {"username": "wang\x00", "display_name": "王五"},
        content_type,
    )
    assert page.status_code == 400 and "不可见的控制字符" in page.content.decode()
    assert get_user_model().objects.count() == users
    target = people["staff_a2"]
    path = f"/accounts/users/{target.pk}/role/"
    role = post_form(login(people["secadmin"]), path, {"role": "dept_reviewer", "organization": "1\x00"}, content_type)
    assert role.status_code == 400
    assert Account.objects.get(user=target).role == "unit_staff"
    assert not AuditEvent.objects.filter(event=AuditEvent.Type.ROLE_CHANGE).exists()


def test_a_nul_byte_in_a_cookie_or_a_path_is_no_server_error(people: dict[str, Any], login: Any) -> None:
    """A forged session or CSRF cookie holding a NUL is ignored or refused; a path with one is a 400; never a 500."""
    client = Client()
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/work/").status_code == 302  # not signed in: to the login page
    assert client.get("/").status_code == 200
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "x\x00"
    assert client.post("/accounts/login/", {"username": "dept_a", "password": "x"}).status_code == 403
    assert Client().get("/work/summary/download.csv\x00").status_code == 400


def test_a_nul_byte_in_an_api_comment_is_refused(tree: Any, people: dict[str, Any]) -> None:
    """A review comment sent as JSON with a NUL is a 422 naming the field, and the record does not move."""
    from tests.web.conftest import advance, declare
    from tests.web.test_api import call, token_for

    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", "submitted")  # type: ignore[arg-type]
    answer = call(
        "post",
        f"/api/v1/declarations/{decl.pk}/actions/return",
        token_for(people["dept_a"]),
        {"comment": "请补充\u0000"},
    )
    assert answer.status_code == 422 and answer.json()["code"] == "invalid"
    decl.refresh_from_db()
    assert decl.state == "submitted"
