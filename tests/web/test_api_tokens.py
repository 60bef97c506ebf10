"""API tokens under attack and over time: failures audited and throttled, tokens expire and end with their owner's."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from django.test import Client

from jixiao.web.api import services as api_services
from jixiao.web.api.models import ApiToken
from jixiao.web.audit.models import AuditEvent
from tests.web.conftest import PASSWORD, ctx
from tests.web.test_security import Clock

pytestmark = pytest.mark.django_db
PROJECTS = "/api/v1/projects"
ATTACKER = "203.0.113.9"
PROGRAM = "198.51.100.20"


def token_for(user: Any) -> str:
    """A fresh API token of ``user``, made on the tokens page's service."""
    return api_services.create_token(ctx(user), "预算系统同步")[1]


def get(token: str, address: str = PROGRAM) -> Any:
    """GET the project list with a bearer token from ``address``."""
    return Client(REMOTE_ADDR=address).get(PROJECTS, HTTP_AUTHORIZATION=f"Bearer {token}")


def guess() -> str:
    """A token of the right shape that nobody holds."""
    return api_services.TOKEN_PREFIX + secrets.token_urlsafe(32)


def test_a_refused_token_is_audited_with_address_and_reason_never_the_token(people: dict[str, Any]) -> None:
    """An unknown token and a revoked one each leave a failed-authentication event; the revoked one names its owner."""
    bad = guess()
    assert get(bad, ATTACKER).status_code == 401
    token = token_for(people["dept_a"])
    api_services.revoke_token(ctx(people["dept_a"]), ApiToken.objects.get(user=people["dept_a"]).pk)
    assert get(token).status_code == 401
    unknown, revoked = AuditEvent.objects.filter(event=AuditEvent.Type.LOGIN_FAILED).order_by("id")
    assert (unknown.ip, unknown.username, unknown.detail["reason"]) == (ATTACKER, "", "unknown")
    assert (revoked.ip, revoked.username, revoked.detail["reason"]) == (PROGRAM, "dept_a", "revoked")
    assert revoked.object_type == "api.apitoken" and unknown.detail["via"] == "api"
    for event in (unknown, revoked):
        assert not event.success and bad not in str(event.detail) and token not in str(event.detail)


def test_guessing_tokens_is_throttled_per_address(people: dict[str, Any], settings: Any) -> None:
    """Past the address limit every token from that address gets 429, a valid one too; elsewhere it works."""
    valid = token_for(people["finance"])
    limit = settings.JIXIAO_ADDRESS_FAILURES
    assert [get(guess(), ATTACKER).status_code for _ in range(limit)] == [401] * limit
    throttled = get(guess(), ATTACKER)
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"
    assert 0 < int(throttled["Retry-After"]) <= 15 * 60
    assert get(valid, ATTACKER).status_code == 429  # a right guess now would learn nothing either
    assert get(valid, PROGRAM).status_code == 200
    assert AuditEvent.objects.filter(event=AuditEvent.Type.LOGIN_FAILED, ip=ATTACKER).count() == limit
    (throttle,) = AuditEvent.objects.filter(event=AuditEvent.Type.LOCKOUT, detail__scope="address")
    assert throttle.ip == ATTACKER
    # the throttle is the address's, for logins too, and no account is locked by it
    login = Client(REMOTE_ADDR=ATTACKER).post("/accounts/login/", {"username": "finance", "password": PASSWORD})
    assert login.status_code == 429
    assert (
        Client(REMOTE_ADDR=PROGRAM).post("/accounts/login/", {"username": "finance", "password": PASSWORD}).status_code
        == 302
    )


def test_tokens_expire(people: dict[str, Any], settings: Any, monkeypatch: Any, login: Any) -> None:
    """A token works until JIXIAO_TOKEN_DAYS after it was made, then never again; the tokens page says until when."""
    clock = Clock(monkeypatch)
    token = token_for(people["dept_a"])
    page = login(people["dept_a"]).get("/api/tokens/").content.decode()
    assert "有效期至" in page
    clock.advance(days=settings.JIXIAO_TOKEN_DAYS - 1)
    assert get(token).status_code == 200
    clock.advance(days=1, seconds=1)
    assert get(token).status_code == 401
    event = AuditEvent.objects.filter(event=AuditEvent.Type.LOGIN_FAILED).get()
    assert event.detail["reason"] == "expired" and event.username == "dept_a"


def test_a_password_change_ends_the_owners_tokens(people: dict[str, Any], login: Any) -> None:
    """Changing one's password on the page revokes every token one holds; the tokens page says why."""
    token = token_for(people["dept_a"])
    assert get(token).status_code == 200
    client = login(people["dept_a"])
    new = "Qz8#own-choice-2025"
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert get(token).status_code == 401
    assert "密码已变更" in client.get("/api/tokens/").content.decode()
    ended = AuditEvent.objects.get(event=AuditEvent.Type.UPDATE, object_type="api.apitoken")
    assert ended.actor == people["dept_a"] and ended.detail["reason"] == "password"


def test_an_administrator_reset_ends_the_tokens(people: dict[str, Any], login: Any) -> None:
    """A password reset by the system administrator revokes the person's tokens too."""
    token = token_for(people["finance"])
    login(people["sysadmin"]).post(f"/accounts/users/{people['finance'].pk}/password/")
    assert get(token).status_code == 401


def test_disabling_an_account_ends_its_tokens_for_good(people: dict[str, Any], login: Any) -> None:
    """A disabled person's tokens stop, and stay stopped when the account is enabled again."""
    token = token_for(people["staff_a1"])
    sysadmin = login(people["sysadmin"])
    sysadmin.post(f"/accounts/users/{people['staff_a1'].pk}/active/", {"active": "0"})
    assert get(token).status_code == 401
    sysadmin.post(f"/accounts/users/{people['staff_a1'].pk}/active/", {"active": "1"})
    assert get(token).status_code == 401
    assert "账户已停用" in login(people["staff_a1"]).get("/api/tokens/").content.decode()
