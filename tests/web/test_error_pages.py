"""The site's own error pages (400, 403 for a stale form, 500), in Chinese, and what the log keeps of each."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from jixiao.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_server_error_shows_the_chinese_page_without_any_detail(settings: Any, caplog: Any) -> None:
    """500 is the site's page (no English, no exception text); the log keeps the traceback for the operator."""
    settings.ROOT_URLCONF = "tests.web.error_urls"
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错" in page and "没有保存" in page
    assert "Server Error" not in page and "secret-internal-detail" not in page
    errors = [r for r in caplog.records if r.name == "django.request"]
    assert len(errors) == 1 and errors[0].exc_info is not None


def test_a_form_posted_without_its_token_gets_a_chinese_page_and_is_audited() -> None:
    """A stale or forged form is refused with a sentence saying what to do, and the refusal is recorded."""
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "CSRF verification failed" not in page
    event = AuditEvent.objects.get(event=AuditEvent.Type.DENIED)
    assert event.detail["path"] == "/accounts/login/" and event.detail["reason"].startswith("CSRF")


def test_an_unknown_host_name_gets_the_chinese_400_page() -> None:
    """A request for a host name the site does not serve is answered 400 in Chinese."""
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "无法处理该请求" in response.content.decode()


def test_a_refused_page_leaves_no_request_warning_in_the_log(tree: Any, people: dict[str, Any], caplog: Any) -> None:
    """A 403 or 404 adds nothing to Django's request log (the access log has its line, the audit log the denial)."""
    client = Client()
    client.force_login(people["sysadmin"])
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        assert client.get("/work/summary/").status_code == 403
        assert client.get("/no-such-page/").status_code == 404
    assert [r for r in caplog.records if r.name == "django.request"] == []
    assert AuditEvent.objects.filter(event=AuditEvent.Type.DENIED).count() == 1
