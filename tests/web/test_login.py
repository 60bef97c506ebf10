"""Signing in under attack: accounts lock by account and client address, addresses are throttled, 解除锁定 works."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from jixiao.web.audit.models import AuditEvent
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy's own address, which every proxied request arrives from
ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"
# five failures under names other than the accounts signing in afterwards: real ones and made-up ones
OTHER_NAMES = ["staff_a1", "staff_b1", "dept_b", "admin", "nobody"]


def client_at(address: str, *, proxy: bool = False, forwarded_for: str | None = None) -> Client:
    """A browser at ``address``: directly, or through the proxy, which appends the address it saw."""
    if not proxy:
        return Client(REMOTE_ADDR=address)
    chain = f"{forwarded_for}, {address}" if forwarded_for else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def sign_in(client: Client, username: str, password: str = PASSWORD) -> int:
    """Post the login form as the page has it; 302 means signed in."""
    return client.post("/accounts/login/", {"username": username, "password": password, "next": ""}).status_code


def fail(client: Client, names: list[str]) -> None:
    """One wrong password under each name."""
    for name in names:
        assert sign_in(client, name, "wrong-Password-1") in (200, 429)


@pytest.mark.parametrize("where", ["direct", "trusted proxy", "untrusted proxy"])
def test_failures_under_other_names_from_one_address_leave_real_accounts_able_to_sign_in(
    where: str, people: dict[str, Any], settings: Any
) -> None:
    """Five failed logins under other names, from the address a real person then uses, lock nobody out."""
    settings.JIXIAO_TRUST_PROXY = where == "trusted proxy"
    proxied = where != "direct"
    fail(client_at(ATTACKER, proxy=proxied), OTHER_NAMES)
    # the same address (behind a proxy that is not trusted every client has the proxy's), and another one
    for address in (ATTACKER, OFFICE):
        assert sign_in(client_at(address, proxy=proxied), "dept_a") == 302
        assert sign_in(client_at(address, proxy=proxied), "finance") == 302


def test_behind_an_untrusted_proxy_no_number_of_failures_shuts_everyone_out(
    people: dict[str, Any], settings: Any
) -> None:
    """Where every client has the proxy's address, the address is never throttled: only accounts lock."""
    settings.JIXIAO_TRUST_PROXY = False
    attacker = client_at(ATTACKER, proxy=True)
    fail(attacker, [f"guess{n}" for n in range(settings.JIXIAO_ADDRESS_FAILURES + 5)])
    assert sign_in(client_at(OFFICE, proxy=True), "dept_a") == 302


def test_five_wrong_passwords_lock_that_account_only(people: dict[str, Any]) -> None:
    """After five wrong passwords an account refuses even the right one there; other accounts there sign in."""
    fail(client_at(OFFICE), ["dept_a"] * 5)
    locked = client_at(OFFICE).post("/accounts/login/", {"username": "dept_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert "账户已锁定" in locked.content.decode()
    assert sign_in(client_at(OFFICE), "finance") == 302
    assert sign_in(client_at(OFFICE), "dept_b") == 302
    lockouts = AuditEvent.objects.filter(event=AuditEvent.Type.LOCKOUT)
    assert lockouts.exists() and {e.username for e in lockouts} == {"dept_a"}
    assert {e.ip for e in lockouts} == {OFFICE}


def test_behind_a_trusted_proxy_the_lock_follows_the_clients_own_address(people: dict[str, Any], settings: Any) -> None:
    """Someone else's five wrong passwords lock the account where they typed them, not at its owner's desk."""
    settings.JIXIAO_TRUST_PROXY = True
    # a forged X-Forwarded-For naming the owner's address: the proxy appends the attacker's real one
    fail(client_at(ATTACKER, proxy=True, forwarded_for=OFFICE), ["dept_a"] * 5)
    assert sign_in(client_at(ATTACKER, proxy=True), "dept_a") == 429
    assert sign_in(client_at(OFFICE, proxy=True), "dept_a") == 302
    (lockout, *_) = AuditEvent.objects.filter(event=AuditEvent.Type.LOCKOUT)
    assert lockout.ip == ATTACKER


def test_a_refused_attempt_during_a_lockout_does_not_extend_it(people: dict[str, Any], settings: Any) -> None:
    """A lockout ends 15 minutes after the failure that caused it, however often the person tries meanwhile."""
    client = client_at(OFFICE)
    fail(client, ["dept_a"] * 5)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=10))
    assert sign_in(client, "dept_a") == 429  # still locked, and told so
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=6))
    assert sign_in(client, "dept_a") == 302
    assert settings.AXES_COOLOFF_TIME == 0.25  # 15 minutes


def test_unlocking_clears_every_lock_of_the_account_and_is_audited(
    people: dict[str, Any], login: Any, settings: Any
) -> None:
    """解除锁定 lets the person in again from every address it was locked at, and the audit log says so."""
    settings.JIXIAO_TRUST_PROXY = False
    # behind the proxy: the account's own failures, and noise under other names from the same address
    fail(client_at(OFFICE, proxy=True), ["dept_a"] * 5 + OTHER_NAMES)
    fail(client_at(ATTACKER), ["dept_a"] * 5)
    assert sign_in(client_at(OFFICE, proxy=True), "dept_a") == 429
    assert sign_in(client_at(ATTACKER), "dept_a") == 429
    secadmin = login(people["secadmin"])
    assert "已锁定" in secadmin.get("/accounts/users/").content.decode()  # the page says who is locked
    page = secadmin.post(f"/accounts/users/{people['dept_a'].pk}/unlock/", follow=True)
    assert "已解除 dept_a 的登录锁定" in page.content.decode() and "已锁定" not in page.content.decode()
    assert sign_in(client_at(OFFICE, proxy=True), "dept_a") == 302
    assert sign_in(client_at(ATTACKER), "dept_a") == 302
    event = AuditEvent.objects.get(event=AuditEvent.Type.SETTINGS_CHANGE, object_id=str(people["dept_a"].pk))
    assert event.actor == people["secadmin"] and event.detail["unlocked"] is True
    assert event.detail["failures"] == 10 and event.detail["addresses"] == sorted([PROXY, ATTACKER])


def test_only_the_security_administrator_unlocks(people: dict[str, Any], login: Any) -> None:
    """Everyone else is refused 解除锁定, and the lock stays."""
    fail(client_at(OFFICE), ["dept_a"] * 5)
    for who in ("sysadmin", "auditor", "finance"):
        assert login(people[who]).post(f"/accounts/users/{people['dept_a'].pk}/unlock/").status_code == 403
    assert sign_in(client_at(OFFICE), "dept_a") == 429


def test_an_address_with_many_failures_is_throttled_without_locking_accounts(
    people: dict[str, Any], settings: Any
) -> None:
    """Past the address limit every login from that address is refused for a while; no account is locked."""
    settings.JIXIAO_TRUST_PROXY = True
    limit = settings.JIXIAO_ADDRESS_FAILURES
    assert limit >= 10  # far above one account's five: an office behind one address mistypes too
    attacker = client_at(ATTACKER, proxy=True)
    fail(attacker, [f"guess{n}" for n in range(limit - 1)])
    assert sign_in(client_at(ATTACKER, proxy=True), "finance") == 302  # below the limit, still open
    fail(attacker, ["guess-last"])
    refused = client_at(ATTACKER, proxy=True).post("/accounts/login/", {"username": "dept_a", "password": PASSWORD})
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "本地址" in text and "账户已锁定" not in text
    # the accounts themselves are not locked: from another address they sign in
    assert sign_in(client_at(OFFICE, proxy=True), "dept_a") == 302
    assert sign_in(client_at(OFFICE, proxy=True), "finance") == 302
    (throttled,) = AuditEvent.objects.filter(event=AuditEvent.Type.LOCKOUT, detail__scope="address")
    assert throttled.ip == ATTACKER and throttled.username == ""
    # refusals while throttled are not each written: the log cannot be flooded from one address
    before = AuditEvent.objects.count()
    fail(client_at(ATTACKER, proxy=True), ["guess-more"] * 20)
    assert AuditEvent.objects.count() == before


def test_the_address_throttle_ends_by_itself(people: dict[str, Any], settings: Any, monkeypatch: Any) -> None:
    """The throttle counts the last 15 minutes only: once they pass, the address signs in again."""
    from tests.web.test_security import Clock

    clock = Clock(monkeypatch)
    fail(client_at(ATTACKER), [f"guess{n}" for n in range(settings.JIXIAO_ADDRESS_FAILURES)])
    assert sign_in(client_at(ATTACKER), "dept_a") == 429
    clock.advance(minutes=15, seconds=1)
    assert sign_in(client_at(ATTACKER), "dept_a") == 302


def test_a_malformed_forwarded_address_is_not_trusted(people: dict[str, Any], settings: Any) -> None:
    """A forwarded value that is no address falls back to the connection's address (and nothing fails)."""
    settings.JIXIAO_TRUST_PROXY = True
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address\x00")
    assert sign_in(client, "dept_a") == 302
    assert AuditEvent.objects.get(event=AuditEvent.Type.LOGIN).ip == PROXY


def test_locking_by_account_alone_locks_it_everywhere(people: dict[str, Any], login: Any, settings: Any) -> None:
    """JIXIAO_LOCKOUT_BY_IP=0: five failures from anywhere lock the account at every address, and the page says so."""
    settings.AXES_LOCKOUT_PARAMETERS = ["username"]
    for address, times in (("192.0.2.1", 2), ("192.0.2.2", 2), ("192.0.2.3", 1)):
        fail(client_at(address), ["dept_a"] * times)
    assert sign_in(client_at(OFFICE), "dept_a") == 429
    assert sign_in(client_at(OFFICE), "finance") == 302
    assert "已锁定" in login(people["secadmin"]).get("/accounts/users/").content.decode()
