"""A returned record tells its unit why: the latest 退回意见 atop its pages; no comment box for the unit."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from jixiao.core.workflow import Action, State
from jixiao.web.cycle import services
from tests.web.conftest import advance, ctx, declare, evaluate

pytestmark = pytest.mark.django_db

COMMENT = "1. “有效提升”无法核对，请改为可量化的指标值；\n2. 请补充<培训>对象 & 人数。"


def _notice(page: str) -> str:
    """The return notice of a page (everything up to its end), or fail when there is none."""
    assert 'class="panel return-notice"' in page, "the page shows no return notice"
    return page.split('class="panel return-notice"')[1].split("</section>")[0]


def _returned_declaration(tree: Any, people: dict[str, Any], comment: str = COMMENT) -> Any:
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    return services.act(ctx(people["dept_a"]), decl, Action.RETURN, comment)


@pytest.mark.parametrize("page", ["", "edit/"])
def test_the_unit_reads_the_return_comment_at_the_top(page: str, tree: Any, people: dict[str, Any], login: Any) -> None:
    """The record page and the edit page open with the comment as typed (lines kept, escaped), who and when."""
    decl = _returned_declaration(tree, people)
    change = decl.state_changes.get(action="return")
    html = login(people["staff_a1"]).get(f"/work/declarations/{decl.pk}/{page}").content.decode()
    notice = _notice(html)
    assert "退回意见" in notice
    assert "1. “有效提升”无法核对，请改为可量化的指标值；<br>2. 请补充&lt;培训&gt;对象 &amp; 人数。" in notice
    assert "测试市医疗保障局" in notice and "dept_a" in notice
    assert change.at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M") in notice
    # at the top: before the form or the sheet
    assert html.index("return-notice") < html.index('class="sheet' if not page else 'id="declaration-form"')


def test_the_latest_return_is_shown_and_only_while_returned(tree: Any, people: dict[str, Any], login: Any) -> None:
    """After a second return the page shows the second comment; once resubmitted, no notice remains at the top."""
    decl = _returned_declaration(tree, people, "第一次意见")
    decl = services.act(ctx(people["staff_a1"]), decl, Action.SUBMIT)
    decl = services.act(ctx(people["dept_a"]), decl, Action.DEPT_APPROVE)
    decl = services.act(ctx(people["finance"]), decl, Action.RETURN, "第二次意见：财政审核退回")
    staff = login(people["staff_a1"])
    notice = _notice(staff.get(f"/work/declarations/{decl.pk}/edit/").content.decode())
    assert "第二次意见：财政审核退回" in notice and "第一次意见" not in notice and "测试市财政局" in notice
    services.act(ctx(people["staff_a1"]), decl, Action.SUBMIT)
    page = staff.get(f"/work/declarations/{decl.pk}/").content.decode()
    assert "return-notice" not in page
    assert "第二次意见：财政审核退回" in page  # still in the review history


def test_a_returned_self_evaluation_shows_its_comment(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The self-evaluation's record and edit pages show its own return comment at the top."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = advance(evaluate(decl, people["staff_a1"]), people, "staff_a1", "dept_a", State.SUBMITTED)  # type: ignore[arg-type]
    services.act(ctx(people["dept_a"]), ev, Action.RETURN, "得分理由过于简单，\n请逐项说明。")
    staff = login(people["staff_a1"])
    for url in (f"/work/evaluations/{ev.pk}/", f"/work/evaluations/{ev.pk}/edit/"):
        assert "得分理由过于简单，<br>请逐项说明。" in _notice(staff.get(url).content.decode()), url


def _comment_box(client: Client, url: str) -> bool:
    page = client.get(url).content.decode()
    return 'name="comment"' in page or "审核意见（退回时必填）" in page


@pytest.mark.parametrize("kind", ["declarations", "evaluations"])
def test_only_those_who_may_return_get_the_comment_box(
    kind: str, tree: Any, people: dict[str, Any], login: Any
) -> None:
    """The unit submitting its draft, and a reviewer who may only publish, see their buttons but no comment box."""
    staff, dept, finance = (login(people[k]) for k in ("staff_a1", "dept_a", "finance"))
    decl = declare(people["staff_a1"], tree.unit_a1)
    if kind == "evaluations":
        approved = advance(
            declare(people["staff_a1"], tree.unit_a1, "自评项目"), people, "staff_a1", "dept_a", State.APPROVED
        )
        record: Any = evaluate(approved, people["staff_a1"])
    else:
        record = decl
    url = f"/work/{kind}/{record.pk}/"
    page = staff.get(url).content.decode()
    assert "act/submit/" in page and not _comment_box(staff, url)  # the unit submits without a comment box
    record = advance(record, people, "staff_a1", "dept_a", State.SUBMITTED)
    assert _comment_box(dept, url)  # the department may return: the box is there
    services.act(ctx(people["dept_a"]), record, Action.DEPT_APPROVE)
    assert _comment_box(finance, url)  # the finance bureau may return
    services.act(ctx(people["finance"]), type(record).objects.get(pk=record.pk), Action.FINANCE_APPROVE)
    page = finance.get(url).content.decode()
    assert "act/publish/" in page and not _comment_box(finance, url)  # publishing needs no comment
