"""Batch approval from a reviewer's list: ticked as rendered, each record whole or refused with its reason."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from jixiao.core.workflow import Action, State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, DeclarationIndicator, StateChange
from tests.web.conftest import advance, ctx, declare, evaluate

pytestmark = pytest.mark.django_db


def ticks(page: str) -> dict[str, str]:
    """The batch form's checkboxes as rendered, by project name: what ticking each sends."""
    found = re.findall(r'<input type="checkbox" name="pick" value="([0-9]+:[0-9]+)" aria-label="选择 ([^"]+)">', page)
    return {name: value for value, name in found}


def test_a_batch_with_a_stale_a_moved_and_a_blocked_record(
    tree: Any, people: dict[str, Any], login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Four ticked: one approved; one changed since the page was drawn; one returned meanwhile; one blocked."""
    names = ["甲项目", "乙项目", "丙项目", "丁项目"]
    decls = {
        n: advance(declare(people["staff_a1"], tree.unit_a1, n), people, "staff_a1", "dept_a", State.SUBMITTED)
        for n in names
    }
    draft = declare(people["staff_a2"], tree.unit_a2, "草稿项目")
    client = login(people["dept_a"])
    page = client.get("/work/declarations/").content.decode()
    boxes = ticks(page)
    assert set(boxes) == set(names)  # only submitted records can be ticked; drafts are not even listed
    assert "草稿项目" not in page and "批量审核通过" in page
    # meanwhile: 乙 is returned and submitted again (a new version), 丙 is returned, 丁 carries an impossible weight
    b = services.act(ctx(people["dept_a"]), decls["乙项目"], Action.RETURN, "请补充")
    services.act(ctx(people["staff_a1"]), b, Action.SUBMIT)
    services.act(ctx(people["dept_a"]), decls["丙项目"], Action.RETURN, "请补充")
    first = decls["丁项目"].indicators.order_by("position").first()
    assert DeclarationIndicator.objects.filter(pk=first.pk).update(weight=Decimal("500")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        report = client.post("/work/notices/batch/declaration/", {"pick": list(boxes.values())}).content.decode()
    states = dict(Declaration.objects.values_list("project_name", "state"))
    assert states == {
        "甲项目": "dept_approved",
        "乙项目": "submitted",
        "丙项目": "returned",
        "丁项目": "submitted",
        "草稿项目": "draft",
    }
    assert "共 4 条：主管部门审核通过 1 条，未通过 3 条。" in report
    refused = dict(
        re.findall(r'<tr class="refused"><td>(?:<a [^>]*>)?([^<（]+)（[^<]*(?:</a>)?</td><td>([^<]*)</td>', report)
    )
    assert "您看到的是第 2 版，当前是第 4 版" in refused["乙项目"]
    assert refused["丙项目"] == "您的角色不能对处于「已退回」状态的记录执行「主管部门审核通过」。"
    assert refused["丁项目"].startswith("存在需要修改的问题：")
    # never half a record: 丁 has no state change of its batch, 甲 exactly one; each approval audited and notified
    assert StateChange.objects.filter(declaration=decls["丁项目"], action="dept_approve").count() == 0
    assert StateChange.objects.filter(declaration=decls["甲项目"], action="dept_approve").count() == 1
    assert AuditEvent.objects.filter(event="conflict", object_id=str(decls["乙项目"].pk)).count() == 1
    assert people["finance"].notices.filter(kind="submitted").count() == 1
    assert draft.state == "draft"


def test_a_picked_record_of_another_department_is_not_found(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A tampered tick (教育局's record) is refused as not found and left alone."""
    theirs = advance(declare(people["staff_b1"], tree.unit_b1), people, "staff_b1", "dept_b", State.SUBMITTED)
    report = login(people["dept_a"]).post("/work/notices/batch/declaration/", {"pick": f"{theirs.pk}:{theirs.version}"})
    assert "没有找到该记录，或您无权查看。" in report.content.decode()
    theirs.refresh_from_db()
    assert theirs.state == "submitted"


def test_the_finance_bureau_batch_approves_self_evaluations(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The bureau's list offers its approval on the records its departments approved."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    ev = services.act(ctx(people["staff_a1"]), ev, Action.SUBMIT)
    ev = services.act(ctx(people["dept_a"]), ev, Action.DEPT_APPROVE)
    client = login(people["finance"])
    boxes = ticks(client.get("/work/evaluations/").content.decode())
    assert list(boxes) == ["业务培训经费"]
    report = client.post("/work/notices/batch/evaluation/", {"pick": list(boxes.values())}).content.decode()
    assert "财政批复 1 条" in report
    ev.refresh_from_db()
    assert ev.state == "approved"


@pytest.mark.parametrize("who", ["staff_a1", "sysadmin"])
def test_only_reviewers_batch_approve(tree: Any, people: dict[str, Any], login: Any, who: str) -> None:
    """A unit's staff sees no checkboxes and is refused; so is an administrator."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    client: Client = login(people[who])
    if who == "staff_a1":
        assert ticks(client.get("/work/declarations/").content.decode()) == {}
    assert client.post("/work/notices/batch/declaration/", {"pick": f"{decl.pk}:{decl.version}"}).status_code == 403
    decl.refresh_from_db()
    assert decl.state == "submitted"


def test_nothing_ticked_says_so(tree: Any, people: dict[str, Any], login: Any) -> None:
    response = login(people["dept_a"]).post("/work/notices/batch/declaration/", {}, follow=True)
    assert "请先勾选要审核通过的记录。" in response.content.decode()
