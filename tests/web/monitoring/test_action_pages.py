"""The pages of monitoring actions, used as each person uses them: forms posted as rendered, each role at each step."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.web.cycle.models import Adjustment
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringAction, MonitoringRecord
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import fill, open_all, record_of
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


def submitted(people: dict[str, Any], approved: dict[str, Any]) -> MonitoringRecord:
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    return services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)


def text(response: Any) -> str:
    return str(response.content.decode())


def raise_on_page(client: Any, rec: MonitoringRecord, **typed: str) -> Any:
    """Open the form's page, fill the raise form as rendered, post it."""
    page = client.get(reverse("monitoring:record_detail", args=[rec.pk]))
    data = form_data(text(page), "raise-action", **typed)
    return client.post(reverse("monitoring:action_raise", args=[rec.pk]), data, follow=True)


def test_the_loop_on_the_pages(tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any) -> None:
    """The department orders a 纠偏 on the execution alert; the unit sees it at home, submits a PDF; it is closed."""
    rec = submitted(people, approved)
    dept = login(people["dept_a"])
    page = text(dept.get(reverse("monitoring:record_detail", args=[rec.pk])))
    assert "提出整改事项" in page and "预警 · " in page and "序时进度" in page
    behind = rec.findings.get(code="execution-behind-schedule")
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    done = raise_on_page(
        dept, rec, follows=f"alert:{services.alert_key(behind)}", task="9月底前执行率达到75%。", due=due
    )
    action = MonitoringAction.objects.get()
    assert done.redirect_chain[-1][0] == reverse("monitoring:action_detail", args=[action.pk])
    assert "已提出整改事项：纠偏" in text(done) and action.alert_code == "execution-behind-schedule"
    assert "提交办理情况" not in text(done)  # the department raises; the unit does it

    unit = login(people["staff_a1"])
    home = text(unit.get(reverse("cycle:home")))
    assert "监控整改事项" in home and "9月底前执行率达到75%" in home
    page = unit.get(reverse("monitoring:action_detail", args=[action.pk]))
    data = form_data(text(page), "submit-action", evidence="已支付第二批经费。")
    data["files"] = SimpleUploadedFile("凭证.pdf", PDF, "application/pdf")  # type: ignore[assignment]
    after = unit.post(reverse("monitoring:action_submit", args=[action.pk]), data, follow=True)
    assert "已提交办理情况" in text(after) and "凭证.pdf" in text(after)
    kept = action.files.get()
    download = unit.get(reverse("monitoring:evidence_file", args=[kept.pk]))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert login(people["staff_b1"]).get(reverse("monitoring:evidence_file", args=[kept.pk])).status_code == 404

    page = dept.get(reverse("monitoring:action_detail", args=[action.pk]))
    data = form_data(text(page), "conclude-action", comment="请补充培训签到表。")
    dept.post(reverse("monitoring:action_conclude", args=[action.pk, "reopen"]), data)
    action.refresh_from_db()
    assert action.state == "reopened"
    assert "请补充培训签到表。" in text(unit.get(reverse("monitoring:action_detail", args=[action.pk])))
    services.submit_action(ctx(people["staff_a1"]), action, "已补签到表。")
    page = dept.get(reverse("monitoring:action_detail", args=[action.pk]))
    dept.post(
        reverse("monitoring:action_conclude", args=[action.pk, "close"]), form_data(text(page), "conclude-action")
    )
    action.refresh_from_db()
    assert action.state == "closed"
    record_page = text(unit.get(reverse("monitoring:record_detail", args=[rec.pk])))
    assert "已关闭" in record_page and "提出整改事项" not in record_page  # a unit raises none


def test_a_refused_raise_says_what_to_fix(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A reduction without an amount is refused with the field named; nothing is stored."""
    rec = submitted(people, approved)
    dept = login(people["dept_a"])
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    done = raise_on_page(dept, rec, kind="reduce", task="预计结余", due=due, reason="结余较多")
    assert "整改事项未保存：调减或收回预算须填写建议金额（元）。" in text(done)
    done = raise_on_page(dept, rec, task="", due=due)
    assert "整改要求：" in text(done)
    assert not MonitoringAction.objects.exists()


def test_each_role_on_each_step(tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any) -> None:
    """Out of scope: 404; in scope without the right: 403; the pages show only the forms one may use."""
    rec = submitted(people, approved)
    due = timezone.localdate() + timedelta(days=3)
    action = services.raise_action(
        ctx(people["dept_a"]), rec, services.NewAction("correct", "补训", due, row_id=rec.rows.first().pk)
    )
    url = reverse("monitoring:action_detail", args=[action.pk])
    for who, status in (("staff_a2", 404), ("staff_b1", 404), ("dept_b", 404), ("finance", 200), ("staff_a1", 200)):
        assert login(people[who]).get(url).status_code == status, who
    finance = login(people["finance"])
    assert 'id="submit-action"' not in text(finance.get(url))
    submit = reverse("monitoring:action_submit", args=[action.pk])
    assert finance.post(submit, {"evidence": "代办"}).status_code == 403
    assert login(people["dept_a"]).post(submit, {"evidence": "代办"}).status_code == 403
    raise_url = reverse("monitoring:action_raise", args=[rec.pk])
    posted = {"kind": "correct", "follows": "", "task": "补训", "due": due.isoformat()}
    assert login(people["staff_a1"]).post(raise_url, posted).status_code == 403
    assert login(people["dept_b"]).post(raise_url, posted).status_code == 404
    close = reverse("monitoring:action_conclude", args=[action.pk, "close"])
    services.submit_action(ctx(people["staff_a1"]), action, "已补训")
    assert finance.post(close, {"comment": ""}).status_code == 403  # raised by the department: it closes
    assert login(people["staff_a1"]).post(close, {"comment": ""}).status_code == 403
    action.refresh_from_db()
    assert action.state == "submitted"


def test_an_overdue_action_on_the_home_page_and_the_round(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Past its due date and still open: marked overdue at the owner's home, on the round's page and its list."""
    rec = submitted(people, approved)
    action = services.raise_action(
        ctx(people["dept_a"]), rec, services.NewAction("correct", "补训两场", timezone.localdate())
    )
    MonitoringAction.objects.filter(pk=action.pk).update(due=timezone.localdate() - timedelta(days=2))
    home = text(login(people["staff_a1"]).get(reverse("cycle:home")))
    assert "有 1 项整改事项已逾期" in home and "已逾期" in home
    dept = login(people["dept_a"])
    round_page = text(dept.get(reverse("monitoring:round_detail", args=[rec.round_id])))
    assert "1 项已逾期" in round_page and "补训两场" in round_page
    listed = text(dept.get(reverse("monitoring:round_actions", args=[rec.round_id]) + "?overdue=on"))
    assert "补训两场" in listed and "共 1 项" in listed
    listed = text(dept.get(reverse("monitoring:round_actions", args=[rec.round_id]) + "?kind=reduce"))
    assert "共 0 项" in listed and "没有符合条件的整改事项" in listed
    assert "有 1 项整改事项已逾期" not in text(login(people["staff_a2"]).get(reverse("cycle:home")))


def test_an_adjustment_through_an_action_shows_on_the_declaration(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The finance bureau orders 调整绩效目标 on a row and adjusts it on the action's page; the declaration shows it."""
    rec = submitted(people, approved)
    services.act(ctx(people["dept_a"]), rec, Action.DEPT_APPROVE)
    finance = login(people["finance"])
    row = rec.rows.first()
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    raise_on_page(
        finance, rec, kind="adjust", follows=f"row:{row.pk}", task="培训场次调为3次", due=due, reason="停训两月"
    )
    action = MonitoringAction.objects.get()
    page = text(finance.get(reverse("monitoring:action_detail", args=[action.pk])))
    data = form_data(page, "adjust-action", value="≥3(次)")
    assert data["indicator"] == str(row.indicator_id)  # the action's row is chosen already
    finance.post(reverse("monitoring:action_adjust", args=[action.pk]), data)
    adjustment = Adjustment.objects.get()
    assert (adjustment.new_value, adjustment.reason) == ("≥3(次)", "停训两月")
    declaration_page = text(finance.get(reverse("cycle:declaration_detail", args=[approved["a1"].pk])))
    assert "≥3(次)" in declaration_page and "停训两月" in declaration_page
    page = text(finance.get(reverse("monitoring:action_detail", args=[action.pk])))
    assert "已做的目标调整" in page and "≥3(次)" in page


def test_the_rounds_list_filters_by_department_kind_and_state(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The finance bureau filters a round's actions by department; a department sees and may choose only its own."""
    round_ = open_all(people)
    made = {}
    for unit, dept in (("a1", "dept_a"), ("b1", "dept_b")):
        rec = fill(record_of(round_, approved[unit]), people[f"staff_{unit}"])
        rec = services.act(ctx(people[f"staff_{unit}"]), rec, Action.SUBMIT)
        new = services.NewAction("correct", f"{unit}补训", timezone.localdate() + timedelta(days=3))
        made[unit] = services.raise_action(ctx(people[dept]), rec, new)
    url = reverse("monitoring:round_actions", args=[round_.pk])
    finance = login(people["finance"])
    page = text(finance.get(url))
    assert "a1补训" in page and "b1补训" in page and "共 2 项" in page
    data = form_data(page, "action-filters", department=str(tree.dept_b.pk))
    page = text(finance.get(url, data))
    assert "b1补训" in page and "a1补训" not in page and "共 1 项" in page
    page = text(finance.get(url, {"state": "closed"}))
    assert "共 0 项" in page
    dept_a = text(login(people["dept_a"]).get(url))
    assert "a1补训" in dept_a and "b1补训" not in dept_a and tree.dept_b.name not in dept_a


def test_the_pages_read_a_fixed_number_of_queries(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The round's list, the record page, the home page: as many queries for one action as for six."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rec = submitted(people, approved)
    dept, unit = login(people["dept_a"]), login(people["staff_a1"])
    pages = [
        (dept, reverse("monitoring:round_actions", args=[rec.round_id])),
        (dept, reverse("monitoring:record_detail", args=[rec.pk])),
        (unit, reverse("cycle:home")),
    ]

    def counts() -> list[int]:
        out = []
        for client, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    rows = list(rec.rows.all())
    new = services.NewAction("correct", "补训", timezone.localdate() + timedelta(days=3), row_id=rows[0].pk)
    services.raise_action(ctx(people["dept_a"]), rec, new)
    one = counts()
    for n in range(5):
        new = services.NewAction("correct", f"补训{n}", timezone.localdate() + timedelta(days=3), row_id=rows[n % 4].pk)
        services.raise_action(ctx(people["dept_a"]), rec, new)
    assert counts() == one


def test_cancelling_on_the_page(tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any) -> None:
    """The department cancels from the action's page with a reason; an empty reason is refused; the unit sees why."""
    rec = submitted(people, approved)
    action = services.raise_action(
        ctx(people["dept_a"]),
        rec,
        services.NewAction("correct", "补足培训场次。", timezone.localdate() + timedelta(days=10)),
    )
    unit = login(people["staff_a1"])
    assert 'id="cancel-action"' not in text(unit.get(reverse("monitoring:action_detail", args=[action.pk])))
    url = reverse("monitoring:action_cancel", args=[action.pk])
    assert unit.post(url, {"reason": "不想做"}).status_code == 403
    dept = login(people["dept_a"])
    page = text(dept.get(reverse("monitoring:action_detail", args=[action.pk])))
    refused = dept.post(url, form_data(page, "cancel-action"), follow=True)
    assert "撤销理由：这个字段是必填项。" in text(refused)
    assert MonitoringAction.objects.get(pk=action.pk).state == "open"
    page = text(dept.get(reverse("monitoring:action_detail", args=[action.pk])))
    done = dept.post(url, form_data(page, "cancel-action", reason="该项目已终止。"), follow=True)
    assert "已撤销该整改事项" in text(done) and 'id="cancel-action"' not in text(done)
    assert MonitoringAction.objects.get(pk=action.pk).state == "cancelled"
    seen = text(unit.get(reverse("monitoring:action_detail", args=[action.pk])))
    assert "已撤销" in seen and "该项目已终止。" in seen and 'id="submit-action"' not in seen
    home = text(unit.get(reverse("cycle:home")))
    assert "补足培训场次" not in home  # no longer on the unit's to-do
