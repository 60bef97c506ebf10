"""Notices and their e-mail from the review steps, the header's count, and marking them read."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.core import mail

from jixiao.core.workflow import Action, State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle import services
from jixiao.web.notices.models import Notice
from jixiao.web.notices.services.notices import notify, unit_staff
from tests.web.conftest import advance, ctx, declare
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def addresses(people: dict[str, Any]) -> dict[str, Any]:
    """Everyone with an e-mail address, except 医保监督所's staff (a notice in the application only)."""
    for name, user in people.items():
        if name != "staff_a2":
            user.email = f"{name}@example.gov.cn"
            user.save()
    return people


def test_each_review_step_tells_the_people_it_concerns(
    tree: Any, addresses: dict[str, Any], login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Submitted → the department; returned → the unit with the comment; approved → the bureau, then the unit."""
    people = addresses
    decl = declare(people["staff_a1"], tree.unit_a1)
    staff, dept, finance = login(people["staff_a1"]), login(people["dept_a"]), login(people["finance"])
    url = f"/work/declarations/{decl.pk}/act"
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(f"{url}/submit/").status_code == 302
    [sent] = Notice.objects.filter(recipient=people["dept_a"])
    assert sent.kind == "submitted" and sent.link == f"/work/declarations/{decl.pk}/"
    assert sent.text == "测试市医保中心提交了「业务培训经费」2025年度绩效目标申报表，请审核。"
    assert not Notice.objects.filter(recipient=people["dept_b"]).exists()  # another department hears nothing
    assert [m.to for m in mail.outbox] == [["dept_a@example.gov.cn"]]
    assert mail.outbox[0].subject.startswith("【预算绩效管理】测试市医保中心提交了")

    with django_capture_on_commit_callbacks(execute=True):
        dept.post(f"{url}/return/", {"comment": "满意度指标值偏低，请调整为不低于90%"})
    [back] = Notice.objects.filter(recipient=people["staff_a1"])
    assert back.kind == "returned" and "退回意见：满意度指标值偏低，请调整为不低于90%" in back.text
    assert mail.outbox[-1].to == ["staff_a1@example.gov.cn"] and "不低于90%" in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"{url}/submit/")
        dept.post(f"{url}/dept_approve/")
    assert Notice.objects.filter(recipient=people["finance"], kind="submitted").count() == 1
    assert Notice.objects.filter(recipient=people["staff_a1"], kind="approved").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        finance.post(f"{url}/finance_approve/")
    assert Notice.objects.filter(recipient=people["staff_a1"], kind="approved").count() == 2
    assert Notice.objects.filter(recipient=people["dept_a"], kind="approved").get().text.endswith("已财政批复。")
    assert state_of(decl.pk) == State.APPROVED
    assert not Notice.objects.filter(recipient=people["dept_a"], kind="returned").exists()  # its own return


def test_a_return_by_the_finance_bureau_tells_the_department_too(
    tree: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The department approved it; the bureau sends it back: the unit and the department both hear why."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.DEPT_APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.act(ctx(people["finance"]), decl, Action.RETURN, "资金测算依据不足。")
    unit = Notice.objects.get(recipient=people["staff_a1"])
    dept = Notice.objects.get(recipient=people["dept_a"])
    assert unit.text.endswith("退回意见：资金测算依据不足。请修改后重新提交。")
    assert dept.text == "财政部门退回了「业务培训经费」2025年度绩效目标申报表，退回意见：资金测算依据不足。"
    assert not Notice.objects.filter(recipient=people["dept_b"]).exists()


def state_of(pk: int) -> State:
    """The declaration's state as stored now."""
    from jixiao.web.cycle.models import Declaration

    return State(Declaration.objects.get(pk=pk).state)


def test_a_person_without_an_address_gets_the_notice_only(
    tree: Any, addresses: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """医保监督所's staff has no e-mail address: a notice, no message, nothing fails."""
    people = addresses
    decl = advance(declare(people["staff_a2"], tree.unit_a2), people, "staff_a2", "dept_a", State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.act(ctx(people["dept_a"]), decl, Action.RETURN, "请补充测算依据")
    notice = Notice.objects.get(recipient=people["staff_a2"])
    assert notice.emailed is False and "请补充测算依据" in notice.text
    assert all(m.to != [""] for m in mail.outbox) and not [m for m in mail.outbox if "请补充测算依据" in m.body]


def test_a_failing_mail_server_never_undoes_the_step(
    tree: Any,
    addresses: dict[str, Any],
    settings: Any,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The mail server refuses: the submission stands, the notice is kept unmailed, the failure is logged."""
    settings.EMAIL_BACKEND = "tests.web.notices.failing_mail.Backend"
    people = addresses
    decl = declare(people["staff_a1"], tree.unit_a1)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        done = services.act(ctx(people["staff_a1"]), decl, Action.SUBMIT)
    assert done.state == State.SUBMITTED.value
    notice = Notice.objects.get(recipient=people["dept_a"])
    assert notice.emailed is False
    assert "通知邮件发送失败" in caplog.text


def test_a_notice_that_cannot_be_written_never_undoes_the_step(
    tree: Any,
    people: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Even the notice itself failing (a database error in the hook) leaves the committed step and logs it."""
    from jixiao.web.notices.services import notices as module

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("notice table unavailable")

    monkeypatch.setattr(module, "notify", broken)
    decl = declare(people["staff_a1"], tree.unit_a1)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        services.act(ctx(people["staff_a1"]), decl, Action.SUBMIT)
    assert state_of(decl.pk) == State.SUBMITTED
    assert "审核操作已完成，但通知未能发出" in caplog.text


def test_no_notice_when_the_step_is_refused(
    tree: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """A return without a comment is refused inside the transaction: nobody hears of anything."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Exception, match="退回意见"):
        services.act(ctx(people["dept_a"]), decl, Action.RETURN, "  ")
    assert callbacks == [] and not Notice.objects.exists()


def test_the_bell_counts_unread_notices_and_they_are_marked_read(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The header shows the count; one marked read through its button, then the rest; each read audited."""
    staff = people["staff_a1"]
    for n in range(3):
        notify([staff], Notice.Kind.ASSIGNED, f"新的监控任务 {n}", "/work/")
    notify([people["staff_a2"]], Notice.Kind.ASSIGNED, "别人的通知", "/work/")
    client = login(staff)
    home = client.get("/work/").content.decode()
    assert re.search(r'class="bell"[^>]*>通知<span class="count"[^>]*>3</span>', home)
    inbox = client.get("/work/notices/").content.decode()
    assert "新的监控任务 2" in inbox and "别人的通知" not in inbox
    first = Notice.objects.get(text="新的监控任务 0")
    # the row's own form: its hidden input names the notice
    form = re.search(rf'<form[^>]*>(?:(?!</form>).)*value="{first.pk}"(?:(?!</form>).)*</form>', inbox, re.S)
    assert form is not None
    client.post("/work/notices/read/", {"notice": str(first.pk)})
    assert re.search(r'<span class="count"[^>]*>2</span>', client.get("/work/").content.decode())
    data = form_data(inbox, "read-all")
    client.post("/work/notices/read/", data)
    assert not Notice.objects.filter(recipient=staff, read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=people["staff_a2"], read_at__isnull=True).count() == 1  # not theirs
    assert 'class="count"' not in client.get("/work/").content.decode()
    reads = AuditEvent.objects.filter(detail__what="notices_read", username="staff_a1").order_by("id")
    assert [e.detail["notices"] for e in reads] == [1, 2]


def test_a_person_cannot_mark_anothers_notice_read(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Posting another person's notice id changes nothing."""
    [theirs] = notify(unit_staff(tree.unit_a2.pk), Notice.Kind.ASSIGNED, "医保监督所的任务", "/work/")
    login(people["staff_a1"]).post("/work/notices/read/", {"notice": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.read_at is None
