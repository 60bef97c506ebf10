"""Results decisions through the pages, as the finance bureau acts: the form posted back as rendered."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jixiao.core.review.findings import Severity
from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import SelfEvaluation, StoredFinding
from jixiao.web.rectification import services as rectification
from jixiao.web.rectification.models import Rectification
from jixiao.web.results.models import ResultDecision
from tests.web.conftest import ctx
from tests.web.posting import form_data
from tests.web.results.helpers import evaluated

pytestmark = pytest.mark.django_db


def errors(html: str) -> list[str]:
    """The error messages the page shows."""
    return re.findall(r'<li class="msg msg-error">([^<]*)</li>', html)


def test_a_poor_result_is_cut_accepted_refused_when_impossible_then_revised_and_closed(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """A 差 (36.50) gets 削减或取消 50%; finance accepts it; bad changes are refused naming the field; a revision."""
    ev = evaluated(people, tree.unit_a1, "unit_a1", "培训项目", "差", budget="123456.78")
    client = login(people["finance"])
    url = f"/work/results/{ev.pk}/"
    page = client.get(url).content.decode()
    assert "削减或取消 50%" in page and "61,728.39" in page  # 123,456.78 × 50% = 61,728.39 (half up)
    # accepted as rendered (the 同意建议 radio is checked)
    saved = client.post(url, form_data(page, "decide-form"), follow=True).content.decode()
    decision = ResultDecision.objects.get(evaluation=ev)
    assert (decision.action, decision.amount, decision.version) == ("accept", Decimal("61728.39"), 1)
    assert "已保存项目“培训项目”的结果应用决定。" in saved
    assert AuditEvent.objects.filter(event="create", object_type="results.resultdecision").count() == 1
    # a change without a reason, to a raise the band forbids, finer than the fen, below 0: each refused by name
    page = client.get(url).content.decode()
    for typed, said in (
        ({"amount": "50000.00", "reason": ""}, "调整理由：改变建议时必须写明理由"),
        ({"amount": "150000.00", "reason": "追加"}, "调整后的金额：150,000.00 元高于上年预算 123,456.78 元"),
        ({"amount": "100.001", "reason": "精确"}, "调整后的金额：100.001 元超过两位小数，请精确到分"),
        ({"amount": "-1", "reason": "负数"}, "调整后的金额：-1 元小于 0"),
        ({"amount": "十万", "reason": "文字"}, "调整后的金额：“十万”不是金额"),
    ):
        refused = client.post(url, form_data(page, "decide-form", action="change", **typed)).content.decode()
        assert any(said in e for e in errors(refused)), (typed, errors(refused))
        # the page keeps what was typed, so it can be fixed
        assert form_data(refused, "decide-form")["reason"] == typed["reason"]
    decision.refresh_from_db()
    assert (decision.action, decision.amount, decision.version) == ("accept", Decimal("61728.39"), 1)
    # fixed: stopped (0 元) with a reason; saved twice makes version 2 then 3, every version in the history
    fixed = client.post(url, form_data(page, "decide-form", action="change", amount="0", reason="项目停止实施"))
    assert fixed.status_code == 302
    page = client.get(url).content.decode()
    client.post(url, form_data(page, "decide-form", action="change", amount="0.00", reason="项目停止实施，资金收回"))
    decision.refresh_from_db()
    assert (decision.action, decision.amount, decision.version) == ("change", Decimal("0.00"), 3)
    assert decision.reason == "项目停止实施，资金收回"
    history = client.get(url).content.decode()
    assert history.count("<td>项目停止实施") == 2 and "<td>同意建议</td>" in history
    update = AuditEvent.objects.filter(event="update", object_type="results.resultdecision").first()
    assert update is not None and update.detail["before"]["amount"] == "0.00"
    assert update.detail["after"]["reason"] == "项目停止实施，资金收回"
    # a form drawn before the last save is refused, not overwritten
    stale = client.post(url, form_data(page, "decide-form")).content.decode()
    assert any("已被他人修改（现为第 3 版）" in e for e in errors(stale))
    # the year closed: no revision any more
    client.post("/work/results/close/", {"year": "2025"})
    page = client.get(url).content.decode()
    assert 'id="decide-form"' not in page
    from jixiao.web.audit.services import Context
    from jixiao.web.results import services

    with pytest.raises(services.DecisionError, match="2025 年度的结果应用已关闭"):
        services.decide(Context(user=people["finance"]), ev, "accept", expected_version=3)


def test_blockers_keep_a_project_out_of_the_batch_and_a_changed_budget_asks_again(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """Three pending, one blocked by an error finding: the batch accepts the three, refuses a tampered tick."""
    evs = {g: evaluated(people, tree.unit_a1, "unit_a1", f"{g}等项目", g) for g in ("优", "良", "中")}
    blocked = evaluated(people, tree.unit_a2, "unit_a2", "有问题项目", "中", to=State.PUBLISHED)
    # an error the review stored on the published evaluation (as an imported file's can carry)
    StoredFinding.objects.create(
        evaluation=blocked, code="total-mismatch", severity=Severity.ERROR.value, message="总分与各项得分之和不符"
    )
    client = login(people["finance"])
    page = client.get("/work/results/", {"year": "2025"}).content.decode()
    ticks = re.findall(r'name="pick" value="([0-9]+)" aria-label="选择([^"]+)"', page)
    assert {name for _, name in ticks} == {"优等项目", "良等项目", "中等项目"}
    assert "未解决的错误级审核问题：总分与各项得分之和不符" in page
    data = form_data(page, "batch") | {"pick": [pk for pk, _ in ticks] + [str(blocked.pk)]}
    report = client.post("/work/results/batch/", data, follow=True).content.decode()
    assert "项目“中等项目”：已同意建议。" in report
    assert any("请先处理未解决的错误级审核问题" in e for e in errors(report))
    amounts = dict(ResultDecision.objects.values_list("project_name", "amount"))
    assert amounts == {
        "优等项目": Decimal("100000.00"),
        "良等项目": Decimal("100000.00"),
        "中等项目": Decimal("90000.00"),
    }
    # filters: status and grade
    blocked_only = client.get("/work/results/", {"year": "2025", "status": "blocked"}).content.decode()
    assert "有问题项目" in blocked_only and "优等项目</a>" not in blocked_only
    poor = client.get("/work/results/", {"year": "2025", "grade": "中"}).content.decode()
    assert "中等项目</a>" in poor and "良等项目</a>" not in poor
    # the budget corrected afterwards: the decision answered another proposal, and says so
    SelfEvaluation.objects.filter(pk=evs["中"].pk).update(adjusted_total=Decimal("80000.00"))
    page = client.get("/work/results/", {"year": "2025", "status": "stale"}).content.decode()
    assert "中等项目</a>" in page and "建议已变化，需重新决定" in page
    totals = re.search(r'<section class="panel" id="totals">(.*?)</section>', page, re.S)
    assert totals is not None and "1 个未决定" in totals.group(1)


def test_an_open_rectification_item_blocks_until_it_is_accepted(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A 整改事项 still open on the project keeps it out of the batch; once accepted, the proposal may be taken."""
    ev = evaluated(people, tree.unit_a1, "unit_a1", "待整改项目", "中")
    item = rectification.open_item(
        ctx(people["dept_a"]),
        rectification.NewItem(ev.declaration.project_id, ev.year, "补齐培训签到记录", timezone.localdate()),
    )
    client = login(people["finance"])
    page = client.get("/work/results/", {"year": "2025"}).content.decode()
    assert "补齐培训签到记录" in page
    assert not re.findall(r'name="pick" value="([0-9]+)" aria-label="选择待整改项目"', page)
    rectification.submit_item(ctx(people["staff_a1"]), item, "已补齐。")
    rectification.accept_item(ctx(people["dept_a"]), Rectification.objects.get(pk=item.pk), "同意。")
    page = client.get("/work/results/", {"year": "2025"}).content.decode()
    assert "补齐培训签到记录" not in page
    assert re.findall(r'name="pick" value="([0-9]+)" aria-label="选择待整改项目"', page)


def test_a_blocked_decision_is_refused_on_its_page_in_one_plain_sentence(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """Posted while a 整改事项 is open: refused, naming the item, with no "(未知位置)" and one full stop."""
    ev = evaluated(people, tree.unit_a1, "unit_a1", "待整改项目", "差")
    rectification.open_item(
        ctx(people["dept_a"]),
        rectification.NewItem(ev.declaration.project_id, ev.year, "补齐培训签到记录。", timezone.localdate()),
    )
    client = login(people["finance"])
    url = f"/work/results/{ev.pk}/"
    refused = client.post(url, form_data(client.get(url).content.decode(), "decide-form")).content.decode()
    said = errors(refused)
    assert said == [
        "决定未保存：项目“待整改项目”的结果应用决定不能保存：请先处理未完成的整改事项：补齐培训签到记录。"
    ], said
    assert not ResultDecision.objects.exists()
