"""Monitoring and the notices: a round's units hear of it once, each step's people hear of it, late units daily."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from jixiao.core.review.findings import title_of
from jixiao.core.workflow import Action
from jixiao.web.monitoring import services
from jixiao.web.notices.models import Notice
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import DUE, fill, open_all, record_of

pytestmark = pytest.mark.django_db


def _texts(user: Any, kind: str) -> list[str]:
    return list(Notice.objects.filter(recipient=user, kind=kind).order_by("id").values_list("text", flat=True))


def test_each_unit_of_a_new_round_hears_of_its_forms_once(
    approved: dict[str, Any], people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Opened by the finance bureau: each unit's staff get one notice with their count and the due date."""
    people["staff_a1"].email = "staff_a1@example.gov.cn"
    people["staff_a1"].save()
    with django_capture_on_commit_callbacks(execute=True):
        open_all(people)
    for staff in ("staff_a1", "staff_a2", "staff_b1"):
        (text,) = _texts(people[staff], "assigned")
        assert "有 1 张绩效目标执行监控表待填报" in text and f"填报截止日期 {DUE:%Y-%m-%d}" in text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff_a1@example.gov.cn"]
    # opened again (to add what is missing): no unit is told twice
    with django_capture_on_commit_callbacks(execute=True):
        open_all(people)
    assert len(_texts(people["staff_a1"], "assigned")) == 1


def test_review_steps_of_a_monitoring_form_reach_their_people(
    approved: dict[str, Any], people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Submitted: the department's reviewers, linked to the form; returned: the unit, with the comment."""
    rec = record_of(open_all(people), approved["a1"])
    fill(rec, people["staff_a1"])
    with django_capture_on_commit_callbacks(execute=True):
        services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    (asked,) = Notice.objects.filter(recipient=people["dept_a"], kind="submitted")
    assert "绩效目标执行监控表" in asked.text and asked.link == f"/work/monitoring/records/{rec.pk}/"
    # 45% paid at 31 July, 58.33% of the year gone: the department hears of the alert with its name
    (alert,) = Notice.objects.filter(recipient=people["dept_a"], kind="alert")
    assert "预警" in alert.text and title_of("execution-behind-schedule") in alert.text
    assert alert.link == f"/work/monitoring/records/{rec.pk}/#findings"
    assert not Notice.objects.filter(recipient=people["dept_b"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.act(ctx(people["dept_a"]), rec, Action.RETURN, "执行数与支付系统不一致")
    (returned,) = _texts(people["staff_a1"], "returned")
    assert "退回意见：执行数与支付系统不一致。" in returned


def test_late_monitoring_forms_are_reminded_once_a_day(approved: dict[str, Any], people: dict[str, Any]) -> None:
    """After the round's due date an unfiled form's unit is reminded, once a day; a submitted one is not."""
    round_ = open_all(people)
    filed = record_of(round_, approved["a2"])
    fill(filed, people["staff_a2"])
    services.act(ctx(people["staff_a2"]), filed, Action.SUBMIT)
    day = DUE.replace(day=DUE.day + 1)

    def remind() -> str:
        out = io.StringIO()
        call_command("remind", "--date", f"{day:%Y-%m-%d}", stdout=out)
        return out.getvalue()

    assert remind() == "已发出 2 条逾期提醒。\n"  # units A1 and B1; A2 filed in time
    assert remind() == "已发出 0 条逾期提醒。\n"
    (text,) = _texts(people["staff_a1"], "overdue")
    assert "绩效目标执行监控表尚未提交" in text and f"填报截止日期 {DUE:%Y-%m-%d} 已过" in text
    assert not _texts(people["staff_a2"], "overdue")
