"""The ``remind`` command: one reminder per overdue record and person a day, however often it runs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from jixiao.core.workflow import Action, State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle import services
from jixiao.web.notices.models import Notice, Stage
from jixiao.web.notices.services.notices import _SOURCES, Reminder, register_reminders, unit_staff
from tests.web.conftest import advance, ctx, declare, evaluate
from tests.web.notices.helpers import bureau_deadline, days, today

pytestmark = pytest.mark.django_db


def remind(*args: str) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_remind_twice_on_the_same_day_sends_one(tree: Any, people: dict[str, Any]) -> None:
    """Two overdue drafts (one unit with an address), one in time, one submitted: two notices once a day."""
    people["staff_a1"].email = "staff_a1@example.gov.cn"
    people["staff_a1"].save()
    year = today().year
    late = declare(people["staff_a1"], tree.unit_a1, "逾期的项目", year)
    late_b = declare(people["staff_b1"], tree.unit_b1, "教育局逾期的项目", year)
    submitted = advance(
        declare(people["staff_a1"], tree.unit_a1, "已提交的项目", year), people, "staff_a1", "dept_a", State.SUBMITTED
    )
    bureau_deadline(people["finance"], days(-1))
    assert remind() == "已发出 2 条逾期提醒。\n"
    assert remind() == "已发出 0 条逾期提醒。\n"
    notices = Notice.objects.filter(kind="overdue").order_by("recipient__username")
    assert [(n.recipient.username, n.link) for n in notices] == [
        ("staff_a1", f"/work/declarations/{late.pk}/"),
        ("staff_b1", f"/work/declarations/{late_b.pk}/"),
    ]
    assert f"申报截止日期 {days(-1):%Y-%m-%d} 已过" in notices[0].text and "尚未提交" in notices[0].text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff_a1@example.gov.cn"]
    assert not Notice.objects.filter(link=f"/work/declarations/{submitted.pk}/").exists()
    # the next day it is still overdue: one more reminder
    assert remind("--date", f"{days(1):%Y-%m-%d}") == "已发出 2 条逾期提醒。\n"
    runs = AuditEvent.objects.filter(detail__what="overdue_reminders").order_by("id")
    assert [(e.detail["records"], e.detail["notices"]) for e in runs] == [(2, 2), (2, 0), (2, 2)]


def test_a_returned_self_evaluation_is_reminded_with_its_state(tree: Any, people: dict[str, Any]) -> None:
    """A self-evaluation returned to its unit after the 自评 date is overdue too, and says it was returned."""
    decl = advance(
        declare(people["staff_a1"], tree.unit_a1, year=today().year), people, "staff_a1", "dept_a", State.APPROVED
    )
    ev = evaluate(decl, people["staff_a1"])
    ev = services.act(ctx(people["staff_a1"]), ev, Action.SUBMIT)
    services.act(ctx(people["dept_a"]), ev, Action.RETURN, "请补充佐证材料")
    bureau_deadline(people["finance"], days(-3), Stage.SELF_EVALUATION)
    bureau_deadline(people["finance"], days(30), Stage.DECLARATION)
    assert remind() == "已发出 1 条逾期提醒。\n"
    notice = Notice.objects.get(kind="overdue")
    assert notice.link == f"/work/evaluations/{ev.pk}/" and "绩效自评表已退回待修改，自评截止日期" in notice.text


def test_jixiao_web_remind_is_the_same_command(
    tree: Any, people: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``jixiao-web remind`` (the console script's entry point) reminds as ``manage.py remind`` does."""
    from django.db import connections

    from jixiao.web.manage import main

    # a command run from the command line closes its connections at the end: the test's database stays open
    monkeypatch.setattr(connections, "close_all", lambda: None)

    declare(people["staff_a1"], tree.unit_a1, year=today().year)
    bureau_deadline(people["finance"], days(-1))
    main(["jixiao-web", "remind"])
    assert capsys.readouterr().out == "已发出 1 条逾期提醒。\n"
    assert Notice.objects.get().recipient == people["staff_a1"]


def test_remind_with_a_malformed_date_says_how_to_write_it(db: Any) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        remind("--date", "12/07")


def test_another_app_adds_its_own_overdue_records(tree: Any, people: dict[str, Any]) -> None:
    """The monitoring rounds register a source; its reminders follow the same once-a-day rule."""

    def monitoring(day: Any) -> list[Reminder]:
        return [
            Reminder(
                unit_staff(tree.unit_a2.pk), "「监控项目」监控表逾期未提交。", "/work/monitoring/1/", "monitoring:1"
            )
        ]

    register_reminders(monitoring)
    try:
        assert remind() == "已发出 1 条逾期提醒。\n"
        assert remind() == "已发出 0 条逾期提醒。\n"
    finally:
        _SOURCES.remove(monitoring)
    assert Notice.objects.get().recipient == people["staff_a2"]
