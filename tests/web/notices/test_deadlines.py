"""Deadlines: which date a record follows, who may set it, and its audit."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import Declaration
from jixiao.web.notices.deadlines import DECLARATION_FIELDS, DeadlineBook, due_date, is_overdue
from jixiao.web.notices.models import Deadline, Stage
from jixiao.web.notices.services.deadlines import remove_deadline, set_deadline
from tests.web.conftest import advance, ctx, declare
from tests.web.notices.helpers import bureau_deadline, days, today
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_earlier_of_the_bureau_and_the_department_date_binds(tree: Any, people: dict[str, Any]) -> None:
    """Bureau for all, bureau for one department, a department for all its units and for one unit."""
    year = today().year
    set_deadline(ctx(people["finance"]), year, Stage.DECLARATION, D(year, 3, 31))
    set_deadline(ctx(people["finance"]), year, Stage.DECLARATION, D(year, 4, 30), department=tree.dept_b)
    set_deadline(ctx(people["dept_a"]), year, Stage.DECLARATION, D(year, 3, 20))
    set_deadline(ctx(people["dept_a"]), year, Stage.DECLARATION, D(year, 3, 10), unit=tree.unit_a2)
    a, b = tree.dept_a.pk, tree.dept_b.pk
    assert due_date(Stage.DECLARATION, year, a, tree.unit_a1.pk) == D(year, 3, 20)  # the department's, earlier
    assert due_date(Stage.DECLARATION, year, a, tree.unit_a2.pk) == D(year, 3, 10)  # the unit's own
    assert due_date(Stage.DECLARATION, year, b, tree.unit_b1.pk) == D(year, 4, 30)  # the bureau's for 教育局
    assert due_date(Stage.SELF_EVALUATION, year, b, tree.unit_b1.pk) is None  # another stage: nothing set
    assert due_date(Stage.DECLARATION, year + 1, a, tree.unit_a1.pk) is None  # another year
    # the bureau brings its date before the department's: the bureau's binds now
    set_deadline(ctx(people["finance"]), year, Stage.DECLARATION, D(year, 3, 1))
    assert due_date(Stage.DECLARATION, year, a, tree.unit_a1.pk) == D(year, 3, 1)
    assert due_date(Stage.DECLARATION, year, a, tree.unit_a2.pk) == D(year, 3, 1)


@pytest.mark.parametrize(
    ("state", "due_offset", "late"),
    [
        (State.DRAFT, -1, True),  # the day after the due date
        (State.DRAFT, 0, False),  # the due date itself is in time
        (State.RETURNED, -1, True),  # returned: not submitted
        (State.SUBMITTED, -1, False),
        (State.DEPT_APPROVED, -1, False),
        (State.APPROVED, -5, False),
    ],
)
def test_overdue_is_past_the_date_and_not_submitted(
    tree: Any, people: dict[str, Any], state: State, due_offset: int, late: bool
) -> None:
    """The rule on one record, and the same answer from the queryset condition the lists filter with."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1, year=today().year), people, "staff_a1", "dept_a", state)
    bureau_deadline(people["finance"], days(due_offset))
    assert is_overdue(Stage.DECLARATION, decl.year, tree.dept_a.pk, tree.unit_a1.pk, decl.state) is late
    found = Declaration.objects.filter(DeadlineBook(Stage.DECLARATION).overdue_q(DECLARATION_FIELDS))
    assert list(found.values_list("pk", flat=True)) == ([decl.pk] if late else [])


def test_the_queryset_condition_follows_every_scope(tree: Any, people: dict[str, Any]) -> None:
    """Five drafts in three scopes: only those whose own date has passed are found."""
    year = today().year
    a1 = declare(people["staff_a1"], tree.unit_a1, "甲", year)
    a2 = declare(people["staff_a2"], tree.unit_a2, "乙", year)
    b1 = declare(people["staff_b1"], tree.unit_b1, "丙", year)
    a1_last_year = declare(people["staff_a1"], tree.unit_a1, "丁", year - 1)
    set_deadline(ctx(people["finance"]), year, Stage.DECLARATION, days(5))  # everyone: still in time
    set_deadline(ctx(people["dept_a"]), year, Stage.DECLARATION, days(-1), unit=tree.unit_a2)  # one unit: late
    set_deadline(ctx(people["finance"]), year - 1, Stage.DECLARATION, D(year - 1, 3, 31))  # last year: late
    book = DeadlineBook(Stage.DECLARATION)
    found = set(Declaration.objects.filter(book.overdue_q(DECLARATION_FIELDS)).values_list("pk", flat=True))
    assert found == {a2.pk, a1_last_year.pk}
    # the bureau's date for 教育局 moves into the past: its unit's draft joins
    set_deadline(ctx(people["finance"]), year, Stage.DECLARATION, days(-2), department=tree.dept_b)
    book = DeadlineBook(Stage.DECLARATION)
    found = set(Declaration.objects.filter(book.overdue_q(DECLARATION_FIELDS)).values_list("pk", flat=True))
    assert found == {a2.pk, a1_last_year.pk, b1.pk}
    assert a1.pk not in found


def test_the_finance_bureau_sets_a_date_on_the_page_and_it_is_audited(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """Posted as the page renders it; set again, the audit event keeps the date it replaced."""
    client = login(people["finance"])
    page = client.get("/work/notices/deadlines/").content.decode()
    year = str(today().year)
    data = form_data(page, "deadline", year=year, due=f"{year}-03-31", note="按预算编制通知")
    assert data["scope"] == ""  # the first choice: 全部主管部门
    response = client.post("/work/notices/deadlines/", data, follow=True)
    assert f"已设定：{year}年度申报截止日期 {year}-03-31（全部主管部门）" in response.content.decode()
    data["due"] = f"{year}-04-15"
    client.post("/work/notices/deadlines/", data)
    row = Deadline.objects.get()
    assert (row.due, row.level, row.department, row.set_by) == (D(int(year), 4, 15), "bureau", None, people["finance"])
    events = AuditEvent.objects.filter(event=AuditEvent.Type.SETTINGS_CHANGE, detail__setting="deadline").order_by("id")
    assert [(e.detail["previous_due"], e.detail["due"], e.username) for e in events] == [
        (None, f"{year}-03-31", "finance"),
        (f"{year}-03-31", f"{year}-04-15", "finance"),
    ]
    assert "按预算编制通知" in client.get("/work/notices/deadlines/").content.decode()


def test_a_department_sets_an_earlier_date_for_its_unit_but_never_a_later_one(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """The department's form offers its own units; a date after the bureau's is refused, saying which."""
    year = today().year
    bureau_deadline(people["finance"], D(year, 3, 31))
    client = login(people["dept_a"])
    page = client.get("/work/notices/deadlines/").content.decode()
    assert tree.unit_a1.name in page and tree.unit_b1.name not in page
    data = form_data(page, "deadline", year=str(year), due=f"{year}-04-10", scope=f"unit:{tree.unit_a1.pk}")
    refused = client.post("/work/notices/deadlines/", data).content.decode()
    assert f"财政部门规定测试市医疗保障局{year}年度申报截止日期为 {year}-03-31" in refused
    assert not Deadline.objects.filter(level="department").exists()
    data["due"] = f"{year}-03-25"
    client.post("/work/notices/deadlines/", data)
    assert due_date(Stage.DECLARATION, year, tree.dept_a.pk, tree.unit_a1.pk) == D(year, 3, 25)
    assert due_date(Stage.DECLARATION, year, tree.dept_a.pk, tree.unit_a2.pk) == D(year, 3, 31)


def test_who_may_set_a_date(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A unit sees the dates but cannot set one; a department cannot set one for another's unit or department."""
    year = today().year
    staff = login(people["staff_a1"])
    page = staff.get("/work/notices/deadlines/")
    assert page.status_code == 200 and 'id="deadline"' not in page.content.decode()
    posted = {"year": str(year), "stage": "declaration", "due": f"{year}-03-31", "scope": "", "note": ""}
    assert staff.post("/work/notices/deadlines/", posted).status_code == 403
    dept = login(people["dept_a"])
    assert dept.post("/work/notices/deadlines/", posted | {"scope": f"unit:{tree.unit_b1.pk}"}).status_code == 403
    assert dept.post("/work/notices/deadlines/", posted | {"scope": f"department:{tree.dept_b.pk}"}).status_code == 403
    assert login(people["sysadmin"]).get("/work/notices/deadlines/").status_code == 403
    assert not Deadline.objects.exists()
    with pytest.raises(PermissionDenied):
        set_deadline(ctx(people["staff_a1"]), year, Stage.DECLARATION, D(year, 3, 31))
    with pytest.raises(ValidationError, match="按主管部门设定"):
        set_deadline(ctx(people["finance"]), year, Stage.DECLARATION, D(year, 3, 31), unit=tree.unit_a1)


def test_a_date_far_from_its_year_or_a_malformed_form_is_refused(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A typo in the year (2062 for 2026) is refused with the field named; nothing is stored."""
    client = login(people["finance"])
    year = today().year
    base = {"year": str(year), "stage": "declaration", "due": f"{year + 36}-03-31", "scope": "", "note": ""}
    page = client.post("/work/notices/deadlines/", base).content.decode()
    assert f"不在 {year} 年度前后一年之内" in page
    assert "请填写截止日期" in client.post("/work/notices/deadlines/", base | {"due": "3月31日"}).content.decode()
    assert "请选择阶段" in client.post("/work/notices/deadlines/", base | {"stage": "x"}).content.decode()
    assert "请填写年度" in client.post("/work/notices/deadlines/", base | {"year": "二〇二六"}).content.decode()
    assert not Deadline.objects.exists()


def test_removing_a_date_is_audited_and_only_at_ones_own_level(tree: Any, people: dict[str, Any]) -> None:
    """The department cannot remove the bureau's date; the bureau removes it, audited with the date."""
    row = bureau_deadline(people["finance"], days(10))
    with pytest.raises(PermissionDenied):
        remove_deadline(ctx(people["dept_a"]), row)
    remove_deadline(ctx(people["finance"]), row)
    assert not Deadline.objects.exists()
    event = AuditEvent.objects.filter(detail__setting="deadline").order_by("-id").first()
    assert event is not None and event.detail["removed"] is True
    assert event.detail["previous_due"] == f"{days(10):%Y-%m-%d}"


def test_the_audit_log_says_each_deadline_event_in_chinese(tree: Any, people: dict[str, Any]) -> None:
    """Setting, moving and removing a date, a reminder run and a notice read: no English key or token shown."""
    from django.core.management import call_command

    from jixiao.web.audit.sentences import describe_detail
    from jixiao.web.notices.services.notices import mark_read, notify

    row = bureau_deadline(people["finance"], days(10))
    bureau_deadline(people["finance"], days(12))
    remove_deadline(ctx(people["finance"]), row)
    call_command("remind", stdout=__import__("io").StringIO())
    notify([people["staff_a1"]], "assigned", "新任务", "/work/")
    mark_read(ctx(people["staff_a1"]))
    events = list(
        AuditEvent.objects.filter(event__in=["settings_change", "create", "update"]).exclude(detail={}).order_by("id")
    )
    assert len(events) == 5
    for e in events:
        text = "".join(describe_detail(e.detail, e.object_type))
        assert "其他信息" not in text and not re.search(r"[A-Za-z_]{4,}", text), (e.detail, text)
    said = "".join(describe_detail(events[1].detail, events[1].object_type))
    assert (
        f"截止日期：{days(12):%Y-%m-%d}" in said and f"原截止日期：{days(10):%Y-%m-%d}" in said and "阶段：申报" in said
    )
