"""The yearly cycle through the pages: declare, return, resubmit, approve, evaluate, publish; conflicts and freezes."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import Adjustment, Declaration, Publication, SelfEvaluation
from tests.web.conftest import advance, declare, evaluate

pytestmark = pytest.mark.django_db


def _declaration_form(decl: Declaration, **changes: str) -> dict[str, str]:
    rows = [
        ("产出指标", "数量指标", "培训场次", "≥4(次)", "30"),
        ("效益指标", "社会效益指标", "业务能力提升情况", "有效提升", "40"),
        ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥85%", "20"),
    ]
    form = {
        "version": str(decl.version),
        "nature": "经常性项目",
        "category": "特定目标类",
        "money_unit": "元",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "requested_total": "120000.00",
        "requested_current": "100000.00",
        "requested_carryover": "20000.00",
        "requested_other": "0.00",
        "overall_goal": "",
        "goal": "全年组织业务培训4次。",
        "ind-TOTAL_FORMS": str(len(rows)),
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "1",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for n, (l1, l2, name, target, weight) in enumerate(rows):
        form |= {
            f"ind-{n}-level1": l1,
            f"ind-{n}-level2": l2,
            f"ind-{n}-name": name,
            f"ind-{n}-target": target,
            f"ind-{n}-weight": weight,
        }
    return form | changes


def test_declaration_is_made_returned_fixed_and_approved(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The whole declaration path through the pages, with the reviewer's comment kept."""
    staff = login(people["staff_a1"])
    response = staff.post("/work/declarations/new/", {"name": "经办培训经费", "year": 2025})
    decl = Declaration.objects.get(project__name="经办培训经费")
    assert response.status_code == 302 and response["Location"].endswith(f"/{decl.pk}/edit/")
    saved = staff.post(f"/work/declarations/{decl.pk}/edit/", _declaration_form(decl) | {"submit": "1"})
    assert saved.status_code == 302
    decl.refresh_from_db()
    assert decl.state == State.SUBMITTED.value
    assert [i.level1 for i in decl.indicators.all()] == ["产出指标", "效益指标", "满意度指标"]

    dept = login(people["dept_a"])
    assert dept.post(f"/work/declarations/{decl.pk}/act/return/", {"comment": ""}).status_code == 302
    decl.refresh_from_db()
    assert decl.state == State.SUBMITTED.value  # a return needs its comment
    dept.post(f"/work/declarations/{decl.pk}/act/return/", {"comment": "请将“有效提升”改为可核对的指标值。"})
    decl.refresh_from_db()
    assert decl.state == State.RETURNED.value
    page = staff.get(f"/work/declarations/{decl.pk}/").content.decode()
    assert "请将“有效提升”改为可核对的指标值。" in page

    form = _declaration_form(decl) | {"ind-1-target": "≥90%", "submit": "1"}
    staff.post(f"/work/declarations/{decl.pk}/edit/", form)
    decl.refresh_from_db()
    assert decl.state == State.SUBMITTED.value
    dept.post(f"/work/declarations/{decl.pk}/act/dept_approve/")
    login(people["finance"]).post(f"/work/declarations/{decl.pk}/act/finance_approve/")
    decl.refresh_from_db()
    assert decl.state == State.APPROVED.value
    events = list(
        AuditEvent.objects.filter(object_id=str(decl.pk), object_type="cycle.declaration").values_list(
            "event", flat=True
        )
    )
    assert events.count("submit") == 2 and events.count("return") == 1 and events.count("approve") == 2


def test_money_rows_must_add_up(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A declaration whose sources do not add up to the total is not saved, and the form says why."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    response = login(people["staff_a1"]).post(
        f"/work/declarations/{decl.pk}/edit/", _declaration_form(decl, requested_total="150000.00")
    )
    assert response.status_code == 200
    assert "与年度资金申请总额 150000.00 不一致" in response.content.decode()
    decl.refresh_from_db()
    assert decl.version == 1


def test_approved_targets_are_frozen_and_adjusted_with_a_reason(tree: Any, people: dict[str, Any], login: Any) -> None:
    """After approval the unit cannot edit; the finance bureau adjusts a target only with a reason, kept on record."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    staff = login(people["staff_a1"])
    assert staff.get(f"/work/declarations/{decl.pk}/edit/").status_code == 403
    assert staff.post(f"/work/declarations/{decl.pk}/edit/", _declaration_form(decl)).status_code == 403
    finance = login(people["finance"])
    indicator = decl.indicators.get(name="培训场次")
    no_reason = {"indicator": indicator.pk, "field": "target", "value": "≥5(次)", "reason": ""}
    finance.post(f"/work/declarations/{decl.pk}/adjust/", no_reason)
    assert not Adjustment.objects.exists()
    finance.post(f"/work/declarations/{decl.pk}/adjust/", no_reason | {"reason": "年中追加培训任务"})
    adjustment = Adjustment.objects.get()
    assert (adjustment.old_value, adjustment.new_value, adjustment.reason) == ("≥4(次)", "≥5(次)", "年中追加培训任务")
    indicator.refresh_from_db()
    assert indicator.target == "≥5(次)"
    assert AuditEvent.objects.filter(event="adjust", detail__reason="年中追加培训任务").exists()


def _evaluation_form(ev: SelfEvaluation, scores: list[str], reasons: list[str] | None = None) -> dict[str, str]:
    actuals = ["4次", "95%", "达成指标", "90%"]
    form = {
        "version": str(ev.version),
        "money_unit": "元",
        "initial_total": "100000.00",
        "adjusted_total": "100000.00",
        "executed_total": "95000.00",
        "rate_pct": "95.00",
        "execution_weight": "10",
        "execution_score": "9.50",
        "outcome": "全年组织培训4次，合格率95%。",
        "total_score": "",
        "grade": "",
        "row-TOTAL_FORMS": "4",
        "row-INITIAL_FORMS": "4",
        "row-MIN_NUM_FORMS": "0",
        "row-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(ev.indicators.select_related("indicator")):
        form |= {
            f"row-{n}-indicator_id": str(row.indicator_id),
            f"row-{n}-actual": actuals[n],
            f"row-{n}-score": scores[n],
            f"row-{n}-deviation": "",
            f"row-{n}-score_reason": (reasons or [""] * 4)[n],
        }
    return form


def test_self_evaluation_needs_a_reason_for_a_score_off_the_rule(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A typed score that differs from the suggestion blocks submission until a reason is given; then publish."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    staff = login(people["staff_a1"])
    response = staff.post(f"/work/declarations/{decl.pk}/evaluate/")
    ev = SelfEvaluation.objects.get(declaration=decl)
    assert response["Location"].endswith(f"/evaluations/{ev.pk}/edit/")
    assert [r.indicator.name for r in ev.indicators.select_related("indicator")] == [
        i.name for i in decl.indicators.all()
    ]

    preview = staff.post(f"/work/evaluations/{ev.pk}/preview/", _evaluation_form(ev, ["25", "20", "30", "10"]))
    data = preview.json()
    assert data["indicators"][0]["suggested"] == "30.00" and data["indicators"][0]["differs"] is True
    assert data["execution"]["suggested"] == "9.50"

    staff.post(f"/work/evaluations/{ev.pk}/edit/", _evaluation_form(ev, ["25", "20", "30", "10"]) | {"submit": "1"})
    ev.refresh_from_db()
    assert ev.state == State.DRAFT.value  # saved, but not submitted
    page = staff.get(f"/work/evaluations/{ev.pk}/edit/").content.decode()
    assert "与建议得分 30.00 不同，请说明理由" in page

    reasons = ["培训形式改为线上，效果打了折扣", "", "", ""]
    form = _evaluation_form(ev, ["25", "20", "30", "10"], reasons) | {
        "row-0-deviation": "改为线上培训。",
        "submit": "1",
    }
    staff.post(f"/work/evaluations/{ev.pk}/edit/", form)
    ev.refresh_from_db()
    assert ev.state == State.SUBMITTED.value
    login(people["dept_a"]).post(f"/work/evaluations/{ev.pk}/act/dept_approve/")
    finance = login(people["finance"])
    finance.post(f"/work/evaluations/{ev.pk}/act/finance_approve/")
    finance.post(f"/work/evaluations/{ev.pk}/act/publish/")
    ev.refresh_from_db()
    assert ev.state == State.PUBLISHED.value
    publication = Publication.objects.get(evaluation=ev)
    public = Client().get(f"/p/{publication.pk}/").content.decode()
    assert "业务培训经费" in public and "培训形式改为线上" not in public  # reasons are internal
    assert "25.00" in public


class _Fields(HTMLParser):
    """The name and value of every field of a page's forms, as a browser would post them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._open: tuple[str, str] | None = None  # (kind, name) of the textarea or select being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "checkbox"):
            self.values[a["name"]] = a.get("value", "")
        elif tag in ("textarea", "select") and a.get("name"):
            self._open = (tag, a["name"])
            self.values[a["name"]] = ""
        elif tag == "option" and self._open and "selected" in a:
            self.values[self._open[1]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("textarea", "select"):
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open and self._open[0] == "textarea":
            self.values[self._open[1]] += data


def test_the_evaluation_form_posts_back_what_it_shows(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Every row input of the form carries its stored value, escaped, so saving an untouched form changes nothing."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    staff = login(people["staff_a1"])
    tricky = '“线上”<培训> & "集中" 授课'
    form = _evaluation_form(ev, ["25.50", "20", "30", "10"], [tricky, "", "", ""]) | {"row-1-deviation": tricky}
    assert staff.post(f"/work/evaluations/{ev.pk}/edit/", form).status_code == 302
    stored = [(r.actual, r.score, r.deviation, r.score_reason) for r in ev.indicators.order_by("id")]

    fields = _Fields()
    fields.feed(staff.get(f"/work/evaluations/{ev.pk}/edit/").content.decode())
    shown = fields.values
    assert shown["row-0-score"] == "25.50" and shown["row-0-score_reason"].strip("\n") == tricky
    assert shown["row-1-deviation"].strip("\n") == tricky and shown["row-2-actual"] == "达成指标"
    assert staff.post(f"/work/evaluations/{ev.pk}/edit/", shown | {"save": "1"}).status_code == 302
    assert [(r.actual, r.score, r.deviation, r.score_reason) for r in ev.indicators.order_by("id")] == stored
    ev.refresh_from_db()
    assert ev.version == int(shown["version"]) + 1

    # a refused post shows what was typed, with the error at its row, and stores nothing
    typed = shown | {"version": str(ev.version), "row-1-score": "二十", "row-2-actual": "已达成"}
    refused = staff.post(f"/work/evaluations/{ev.pk}/edit/", typed)
    assert refused.status_code == 200
    again = _Fields()
    again.feed(page := refused.content.decode())
    assert again.values["row-1-score"] == "二十" and again.values["row-2-actual"] == "已达成"
    assert 'name="row-1-score" value="二十" step="0.01" min="0" id="id_row-1-score"' in page
    assert "aria-invalid" in page.split('name="row-1-score"')[1].split(">")[0]
    assert [(r.actual, r.score, r.deviation, r.score_reason) for r in ev.indicators.order_by("id")] == stored


def test_stale_edit_is_a_conflict_showing_both_versions(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Two people open the same form; the second save gets a 409 page with both versions, nothing overwritten."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    first, second = login(people["staff_a1"]), login(people["staff_a1"])
    opened = _declaration_form(decl)
    assert first.post(f"/work/declarations/{decl.pk}/edit/", opened | {"goal": "第一人的目标"}).status_code == 302
    conflict = second.post(f"/work/declarations/{decl.pk}/edit/", opened | {"goal": "第二人的目标"})
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "第一人的目标" in page and "第二人的目标" in page
    decl.refresh_from_db()
    assert decl.goal == "第一人的目标"
    assert AuditEvent.objects.filter(event="conflict", success=False).count() == 1


def test_evaluation_rows_cannot_be_added_or_retargeted(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Targets come from the approved declaration: posting a target or a foreign row changes nothing."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    form = _evaluation_form(ev, ["30", "20", "30", "10"]) | {"row-0-target": "≥1(次)", "row-0-indicator_id": "999999"}
    form["version"] = str(ev.version)
    response = login(people["staff_a1"]).post(f"/work/evaluations/{ev.pk}/edit/", form)
    assert response.status_code == 200
    assert "自评表只能填写已批复的指标" in response.content.decode()
    assert decl.indicators.get(name="培训场次").target == "≥4(次)"


def test_history_is_kept_for_every_change(tree: Any, people: dict[str, Any]) -> None:
    """Each save of a declaration adds a history row with who made it."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    states = [h.state for h in decl.history.order_by("history_date", "history_id")]
    assert states[0] == "draft" and states[-1] == "submitted"
    assert decl.indicators.first().history.exists()  # type: ignore[union-attr]


def test_execution_score_and_total_follow_the_rules(tree: Any, people: dict[str, Any]) -> None:
    """The page's scores come from the rule pack: 95,000 of 100,000 gives 9.50 and a total of 99.50."""
    from jixiao.core.scoring import score_project
    from jixiao.web.cycle.documents import evaluation_project

    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    scores = score_project(evaluation_project(evaluate(decl, people["staff_a1"])))
    assert scores.execution is not None and scores.execution.suggested == Decimal("9.50")
    assert scores.total_suggested == Decimal("99.50") and scores.grade_suggested == "优"
