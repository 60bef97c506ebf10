"""Overdue records on each role's home page and in the lists (marker and 逾期 filter)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.notices.models import Stage
from jixiao.web.notices.services.deadlines import set_deadline
from tests.web.conftest import advance, ctx, declare, evaluate
from tests.web.notices.helpers import bureau_deadline, days, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(tree: Any, people: dict[str, Any]) -> dict[str, Any]:
    """This year: 医保中心 a late draft, a returned and a submitted record; 教育局 a late draft.

    The bureau's date passed yesterday; 医保局 has its own later one from the bureau, which the department
    itself brought forward to two days ago.
    """
    year = today().year
    records = {
        "draft_a1": declare(people["staff_a1"], tree.unit_a1, "医保中心草稿", year),
        "returned_a1": advance(
            declare(people["staff_a1"], tree.unit_a1, "医保中心退回", year),
            people,
            "staff_a1",
            "dept_a",
            State.RETURNED,
        ),
        "submitted_a1": advance(
            declare(people["staff_a1"], tree.unit_a1, "医保中心已提交", year),
            people,
            "staff_a1",
            "dept_a",
            State.SUBMITTED,
        ),
        "draft_b1": declare(people["staff_b1"], tree.unit_b1, "教师中心草稿", year),
    }
    bureau_deadline(people["finance"], days(-1))
    set_deadline(ctx(people["finance"]), year, Stage.DECLARATION, days(20), department=tree.dept_a)
    set_deadline(ctx(people["dept_a"]), year, Stage.DECLARATION, days(-2))  # 医保局 brings its units' date forward
    return records


def _late_rows(page: str) -> list[str]:
    """The project names of the list rows that carry the 逾期 marker."""
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    return sorted(re.search(r'/">([^<]+)</a>', r).group(1) for r in rows if 'class="late"' in r)  # type: ignore[union-attr]


def test_a_unit_sees_its_overdue_records_at_home_and_in_its_list(
    tree: Any, people: dict[str, Any], login: Any, late: dict[str, Any]
) -> None:
    """医保中心 sees its draft and its returned record as overdue, with the date; the filter keeps only them."""
    client = login(people["staff_a1"])
    home = client.get("/work/").content.decode()
    panel = home.split('id="overdue-title"')[1].split("</section>")[0]
    assert "医保中心草稿" in panel and "医保中心退回" in panel and "医保中心已提交" not in panel
    assert f"申报 {days(-2):%Y-%m-%d}" in panel and "教师中心草稿" not in panel
    listed = client.get("/work/declarations/").content.decode()
    assert 'name="overdue" value="1"' in listed  # the filter as the page offers it
    assert _late_rows(listed) == ["医保中心草稿", "医保中心退回"]
    assert f'title="申报截止日期 {days(-2):%Y-%m-%d}"' in listed
    only = client.get("/work/declarations/", {"overdue": "1"}).content.decode()
    assert "医保中心已提交" not in only and _late_rows(only) == ["医保中心草稿", "医保中心退回"]
    assert 'name="overdue" value="1" checked' in only


def test_reviewers_see_counts_per_unit_or_department_drafts_included(
    tree: Any, people: dict[str, Any], login: Any, late: dict[str, Any]
) -> None:
    """The department counts its units' late records (a draft too); the bureau counts by department."""
    dept_home = login(people["dept_a"]).get("/work/").content.decode()
    counts = re.findall(r"<tr><td>([^<]+)</td><td>绩效目标申报表</td><td class=\"num\">(\d+)</td></tr>", dept_home)
    assert counts == [("测试市医保中心", "2")]
    finance_home = login(people["finance"]).get("/work/").content.decode()
    counts = re.findall(r"<tr><td>([^<]+)</td><td>绩效目标申报表</td><td class=\"num\">(\d+)</td></tr>", finance_home)
    assert sorted(counts) == [("测试市医疗保障局", "2"), ("测试市教育局", "1")]
    # the department's list shows only what it may open: the returned record, not the draft
    listed = login(people["dept_a"]).get("/work/declarations/", {"overdue": "1"}).content.decode()
    assert _late_rows(listed) == ["医保中心退回"]


def test_nothing_overdue_shows_no_panel(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Without deadlines there is no panel and no marker."""
    declare(people["staff_a1"], tree.unit_a1, year=today().year)
    client = login(people["staff_a1"])
    assert "逾期未提交" not in client.get("/work/").content.decode()
    assert 'class="late"' not in client.get("/work/declarations/").content.decode()


def test_the_self_evaluation_list_marks_its_own_stage(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A self-evaluation follows the 自评 date, not the 申报 one."""
    decl = advance(
        declare(people["staff_a1"], tree.unit_a1, year=today().year), people, "staff_a1", "dept_a", State.APPROVED
    )
    evaluate(decl, people["staff_a1"])
    bureau_deadline(people["finance"], days(-1), Stage.DECLARATION)
    client = login(people["staff_a1"])
    assert _late_rows(client.get("/work/evaluations/").content.decode()) == []
    bureau_deadline(people["finance"], days(-1), Stage.SELF_EVALUATION)
    assert _late_rows(client.get("/work/evaluations/").content.decode()) == ["业务培训经费"]
