"""Acting on monitoring alerts (issue 16, item 4): raising, doing, closing and reopening actions, each role."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import Adjustment
from jixiao.web.cycle.services import Change
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import EvidenceFile, MonitoringAction, MonitoringRecord
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import fill, open_all, record_of

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACTION = "monitoring.monitoringaction"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


def submitted(people: dict[str, Any], approved: dict[str, Any], unit: str = "a1") -> MonitoringRecord:
    """Unit A1's monitoring form, filled and submitted (under the department's review)."""
    rec = fill(record_of(open_all(people), approved[unit]), people[f"staff_{unit}"])
    return services.act(ctx(people[f"staff_{unit}"]), rec, Action.SUBMIT)


def soon(days: int = 14) -> Any:
    return timezone.localdate() + timedelta(days=days)


def correct(rec: MonitoringRecord, who: Any, **more: Any) -> MonitoringAction:
    """A 纠偏 action on the form's first row."""
    new = services.NewAction("correct", "下半年加快培训进度，补足场次。", soon(), row_id=rec.rows.first().pk, **more)
    return services.raise_action(ctx(who), rec, new)


def test_a_department_marks_a_correction_on_an_alert_and_the_unit_closes_the_loop(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """Raised on the execution alert, done by the unit with a PDF, closed by the department; each step audited."""
    rec = submitted(people, approved)
    behind = rec.findings.get(code="execution-behind-schedule")
    new = services.NewAction(
        "correct", "加快支出进度，9月底前执行率达到75%。", soon(), alert=services.alert_key(behind)
    )
    action = services.raise_action(ctx(people["dept_a"]), rec, new)
    assert (action.owner, action.state, action.alert_code) == ("unit", "open", "execution-behind-schedule")
    assert "序时进度" in action.alert_message and action.raised_in == tree.dept_a and action.row is None
    pdf = SimpleUploadedFile("支付凭证.pdf", PDF, "application/pdf")
    done = services.submit_action(ctx(people["staff_a1"]), action, "已支付第二批培训费 20,000 元。", [pdf])
    assert done.state == "submitted" and done.files.get().original_name == "支付凭证.pdf"
    kept = done.files.get()
    assert kept.stored.name.startswith("evidence/") and kept.stored.read() == PDF and kept.size == len(PDF)
    closed = services.conclude_action(ctx(people["dept_a"]), done, close=True, comment="已核实。")
    assert closed.state == "closed" and closed.closed_at is not None
    assert [s.step for s in closed.steps.all()] == ["raise", "submit", "close"]
    events = AuditEvent.objects.filter(object_type=ACTION, object_id=str(action.pk)).order_by("pk")
    assert [e.event for e in events] == ["create", "submit", "approve"]
    assert events[1].detail["files"] == ["支付凭证.pdf"] and events[2].detail["to"] == "已关闭"


def test_reopened_with_a_comment_then_submitted_again(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """The department is not satisfied: it reopens with what is missing; the unit submits again."""
    action = correct(submitted(people, approved), people["dept_a"])
    action = services.submit_action(ctx(people["staff_a1"]), action, "已安排。")
    with pytest.raises(ValidationError, match="请填写意见"):
        services.conclude_action(ctx(people["dept_a"]), action, close=False)
    action = services.conclude_action(ctx(people["dept_a"]), action, close=False, comment="请附培训签到表。")
    assert action.state == "reopened" and action.pending
    action = services.submit_action(ctx(people["staff_a1"]), action, "补充签到表。")
    assert action.state == "submitted" and action.evidence == "补充签到表。"
    reports = [s.comment for s in action.steps.filter(step="submit")]
    assert reports == ["已安排。", "补充签到表。"]  # each report stays in the history
    assert [(s.step, s.comment) for s in action.steps.all()][2] == ("reopen", "请附培训签到表。")


def test_who_may_raise_an_action(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """Only the form's department or the finance bureau, and only once the form is under review."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    with pytest.raises(PermissionDenied):  # still the unit's draft: no reviewer sees it
        correct(rec, people["dept_a"])
    rec = services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    for who in ("staff_a1", "staff_a2", "dept_b"):
        with pytest.raises(PermissionDenied):
            correct(rec, people[who])
    assert correct(rec, people["dept_a"]).raised_in == tree.dept_a
    assert correct(rec, people["finance"]).raised_in == tree.bureau
    assert MonitoringAction.objects.count() == 2


def test_who_may_do_and_who_may_conclude(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """纠偏 is the unit's; only the raising department closes it; the finance bureau cannot close another's."""
    action = correct(submitted(people, approved), people["dept_a"])
    for who in ("staff_a2", "staff_b1", "dept_a", "finance"):
        with pytest.raises(PermissionDenied):
            services.submit_action(ctx(people[who]), action, "做完了")
    action = services.submit_action(ctx(people["staff_a1"]), action, "做完了")
    with pytest.raises(PermissionDenied, match="不能再提交"):
        services.submit_action(ctx(people["staff_a1"]), action, "再交一次")
    for who in ("staff_a1", "finance", "dept_b"):
        with pytest.raises(PermissionDenied):
            services.conclude_action(ctx(people[who]), action, close=True)
    closed = services.conclude_action(ctx(people["dept_a"]), action, close=True)
    with pytest.raises(PermissionDenied, match="已关闭"):
        services.conclude_action(ctx(people["dept_a"]), closed, close=True)


def test_what_an_action_must_say(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """Each refusal names its field; nothing is stored."""
    rec = submitted(people, approved)
    dept = ctx(people["dept_a"])
    cases = [
        (services.NewAction("correct", "  ", soon()), "请填写整改要求"),
        (services.NewAction("correct", "做", timezone.localdate() - timedelta(days=1)), "早于今天"),
        (services.NewAction("scold", "做", soon()), "不是 纠偏/调整绩效目标/调减或收回预算"),
        (services.NewAction("reduce", "调减", soon(), reason="结余"), "建议金额"),
        (
            services.NewAction("reduce", "调减", soon(), amount=Decimal("100000.01"), reason="结余"),
            "超过该项目的年度预算数",
        ),
        (services.NewAction("reduce", "调减", soon(), amount=Decimal("1.005"), reason="结余"), "精确到分"),
        (services.NewAction("reduce", "调减", soon(), amount=Decimal("5000")), "须说明理由"),
        (services.NewAction("adjust", "调目标", soon()), "调整绩效目标须说明理由"),
        (services.NewAction("correct", "做", soon(), alert="no-such@"), "预警已不在该监控表上"),
    ]
    for new, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.raise_action(dept, rec, new)
    assert not MonitoringAction.objects.exists()


def test_evidence_files_are_bounded_and_checked(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """A file of another type, or one whose bytes are not what its name says, is refused, and nothing is kept."""
    action = correct(submitted(people, approved), people["dept_a"])
    staff = ctx(people["staff_a1"])
    fake = SimpleUploadedFile("凭证.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    script = SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")
    with pytest.raises(ValidationError) as refused:
        services.submit_action(staff, action, "已完成", [SimpleUploadedFile("a.pdf", PDF), fake, script])
    assert refused.value.messages == [
        "凭证.pdf：文件内容与扩展名 .pdf 不符，请上传原始文件。",
        "run.exe：不支持的文件类型，佐证材料可以是 PDF、PNG、JPG、JPEG、GIF、DOCX、XLSX、PPTX、DOC、XLS、PPT。",
    ]
    with pytest.raises(ValidationError, match="请填写办理情况"):
        services.submit_action(staff, action, " ", [SimpleUploadedFile("a.pdf", PDF)])
    assert not EvidenceFile.objects.exists() and MonitoringAction.objects.get().state == "open"
    png = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png")
    docx = SimpleUploadedFile("整改报告.docx", b"PK\x03\x04" + b"\x00" * 20)
    done = services.submit_action(staff, action, "已完成", [png, docx])
    assert sorted(f.original_name for f in done.files.all()) == ["整改报告.docx", "现场.png"]


def test_an_adjustment_through_an_action_is_the_declarations_own(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """The department asks for 调整绩效目标; the finance bureau adjusts on the action; the declaration shows it."""
    rec = submitted(people, approved)
    row = rec.rows.first()
    new = services.NewAction("adjust", "培训场次下调为3次。", soon(), row_id=row.pk, reason="上半年疫情停训两月")
    action = services.raise_action(ctx(people["dept_a"]), rec, new)
    assert action.owner == "finance"
    with pytest.raises(PermissionDenied):  # the unit does not adjust approved targets
        services.adjust_targets(ctx(people["staff_a1"]), action, [Change(row.indicator_id, "target", "≥3(次)")])
    with pytest.raises(ValidationError, match="请先在本事项中调整绩效目标"):
        services.submit_action(ctx(people["finance"]), action, "已调整")
    made = services.adjust_targets(ctx(people["finance"]), action, [Change(row.indicator_id, "target", "≥3(次)")])
    adjustment = Adjustment.objects.get(declaration=approved["a1"])
    assert made == [adjustment] and adjustment.reason == "上半年疫情停训两月" and adjustment.new_value == "≥3(次)"
    assert list(action.adjustments.all()) == [adjustment]
    row.indicator.refresh_from_db()
    assert row.indicator.target == "≥3(次)"
    done = services.submit_action(ctx(people["finance"]), action, "已按程序调整。")
    assert services.conclude_action(ctx(people["dept_a"]), done, close=True).state == "closed"
    assert AuditEvent.objects.filter(event="adjust", object_type="cycle.declaration").count() == 1


def test_a_budget_reduction_is_decided_by_the_finance_bureau(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """A proposal in 元 to the fen; the bureau accepts or rejects it, then the department closes it."""
    rec = submitted(people, approved)
    new = services.NewAction("reduce", "预计结余，建议调减。", soon(), amount=Decimal("2000.50"), reason="预计结余")
    action = services.raise_action(ctx(people["dept_a"]), rec, new)
    assert (action.owner, action.amount) == ("finance", Decimal("2000.50"))
    with pytest.raises(ValidationError, match="请选择财政意见"):
        services.submit_action(ctx(people["finance"]), action, "研究后同意")
    done = services.submit_action(ctx(people["finance"]), action, "同意调减 2000.50 元。", decision="accepted")
    assert done.get_decision_display() == "同意调减或收回"


def test_overdue_is_open_past_its_due_date(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """Open or reopened past its due date is overdue; submitted or closed is not."""
    action = correct(submitted(people, approved), people["dept_a"])
    later = action.due + timedelta(days=1)
    assert action.overdue_on(later) and not action.overdue_on(action.due)
    assert list(MonitoringAction.objects.overdue(later)) == [action]
    services.submit_action(ctx(people["staff_a1"]), action, "完成")
    assert not MonitoringAction.objects.overdue(later).exists()


def test_actions_are_seen_as_their_forms_are(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """Each role sees the actions on the forms it may see, and no others."""
    a1 = correct(submitted(people, approved, "a1"), people["dept_a"])
    b1 = correct(submitted(people, approved, "b1"), people["dept_b"])
    seen = {who: set(MonitoringAction.objects.visible_to(people[who])) for who in people}
    assert seen["staff_a1"] == {a1} and seen["staff_a2"] == set() and seen["staff_b1"] == {b1}
    assert seen["dept_a"] == {a1} and seen["dept_b"] == {b1} and seen["finance"] == {a1, b1}


def test_the_audit_says_each_step_in_chinese(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """The audit log's sentences of an action's steps name every fact in Chinese."""
    from jixiao.web.audit.sentences import describe

    action = correct(submitted(people, approved), people["dept_a"])
    services.submit_action(ctx(people["staff_a1"]), action, "已补训。")
    said = [describe(e) for e in AuditEvent.objects.filter(object_type=ACTION).order_by("pk")]
    assert "其他信息" not in "".join(said)
    assert "步骤：提出" in said[0] and "整改要求：下半年加快培训进度" in said[0] and "状态：待办理" in said[0]
    assert "状态从“待办理”变为“已提交待确认”" in said[1] and "办理情况：已补训" in said[1]


def test_an_action_on_a_rows_alert_follows_that_row(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """A forecast that misses its target: the action raised on that alert names the row and the alert's words."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    rows = [
        services.MonitoringRowInput(
            r.indicator_id,
            r.actual,
            "3次" if n == 0 else r.forecast,
            tuple(r.cause),
            r.deviation,
            "有可能" if n == 0 else r.likelihood,
            "下半年补两场" if n == 0 else r.remedy,
        )
        for n, r in enumerate(rec.rows.all())
    ]
    rec = services.update_record(ctx(people["staff_a1"]), rec, rec.version, {}, rows)
    rec = services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    missed = rec.findings.get(code="forecast-misses-target")
    assert missed.indicator_index == 0
    new = services.NewAction("correct", "落实补训。", soon(), alert=services.alert_key(missed))
    action = services.raise_action(ctx(people["finance"]), rec, new)
    assert action.row == rec.rows.first() and action.alert_message == missed.message and "3次" in missed.message


def test_too_big_or_too_many_files_are_refused(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file past the limit names itself and its size; more files than allowed at once are refused whole."""
    monkeypatch.setattr("jixiao.web.monitoring.evidence.MAX_EVIDENCE_BYTES", len(PDF) - 1)
    action = correct(submitted(people, approved), people["dept_a"])
    staff = ctx(people["staff_a1"])
    with pytest.raises(ValidationError, match=f"大.pdf：文件过大（{len(PDF)} 字节）"):
        services.submit_action(staff, action, "已完成", [SimpleUploadedFile("大.pdf", PDF)])
    many = [SimpleUploadedFile(f"{n}.pdf", PDF[:10]) for n in range(11)]
    with pytest.raises(ValidationError, match="一次最多上传 10 个佐证材料（选了 11 个）"):
        services.submit_action(staff, action, "已完成", many)
    assert not EvidenceFile.objects.exists()


def test_an_adjustment_the_declaration_refuses_links_nothing(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """A weight that breaks the pack's split is refused by the declaration's own checks; the action stays open."""
    rec = submitted(people, approved)
    row = rec.rows.first()
    new = services.NewAction("adjust", "调分值", soon(), row_id=row.pk, reason="调整权重")
    action = services.raise_action(ctx(people["finance"]), rec, new)
    with pytest.raises(ValidationError, match="调整后"):
        services.adjust_targets(ctx(people["finance"]), action, [Change(row.indicator_id, "weight", "50")])
    assert not action.adjustments.exists() and not Adjustment.objects.exists()
    assert [s.step for s in action.steps.all()] == ["raise"]


def test_the_people_concerned_hear_of_each_step(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Raised: the unit; reported: the raising department; reopened: the unit with the comment; overdue: reminded."""
    from jixiao.web.notices.models import Notice
    from jixiao.web.notices.services.notices import send_reminders

    rec = submitted(people, approved)

    def said(who: str) -> list[tuple[str, str]]:
        return [(n.kind, n.text) for n in Notice.objects.filter(recipient=people[who]).order_by("pk")]

    with django_capture_on_commit_callbacks(execute=True):
        action = correct(rec, people["dept_a"])
    assert said("staff_a1")[-1] == (
        "assigned",
        f"「业务培训经费」纠偏：下半年加快培训进度，补足场次。（完成期限 {action.due:%Y-%m-%d}）",
    )
    assert not Notice.objects.filter(recipient=people["staff_a2"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_action(ctx(people["staff_a1"]), action, "已补训。")
    assert said("dept_a")[-1] == ("submitted", "「业务培训经费」纠偏已提交办理情况，请确认。")
    assert not any(k == "submitted" and "纠偏" in t for k, t in said("dept_b"))
    with django_capture_on_commit_callbacks(execute=True):
        services.conclude_action(ctx(people["dept_a"]), action, close=False, comment="请附签到表。")
    assert said("staff_a1")[-1] == ("returned", "「业务培训经费」纠偏被重新打开：请附签到表。")
    later = action.due + timedelta(days=1)
    send_reminders(ctx(people["finance"]), later)
    send_reminders(ctx(people["finance"]), later)  # once a day
    overdue = [t for k, t in said("staff_a1") if k == "overdue" and "纠偏" in t]
    assert overdue == [f"「业务培训经费」纠偏完成期限 {action.due:%Y-%m-%d} 已过，请尽快办理并提交办理情况。"]


def test_a_reduction_is_bounded_by_the_budget_in_its_own_unit(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """A form kept in 万元: its budget of 10 万元 is 100,000 元, the most that may be proposed."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    data = {
        "money_unit": "万元",
        "budget_total": Decimal("10"),
        "executed_to_date": Decimal("4.5"),
        "forecast_total": Decimal("9.8"),
    }
    rec = services.update_record(ctx(people["staff_a1"]), rec, rec.version, data, [])
    rec = services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    too_much = services.NewAction("reduce", "调减", soon(), amount=Decimal("100000.01"), reason="结余")
    with pytest.raises(ValidationError, match=r"超过该项目的年度预算数 100000\.00 元"):
        services.raise_action(ctx(people["dept_a"]), rec, too_much)
    whole = services.NewAction("reduce", "收回", soon(), amount=Decimal("100000.00"), reason="项目终止")
    assert services.raise_action(ctx(people["dept_a"]), rec, whole).amount == Decimal("100000.00")


def test_the_raising_side_cancels_with_a_reason_and_it_is_no_longer_open(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """撤销: only the raising department's reviewers, with a reason; audited, in the history; never overdue again."""
    from jixiao.web.monitoring.views.action_lists import action_todo, round_overdue
    from jixiao.web.notices.models import Notice

    rec = submitted(people, approved)
    action = correct(rec, people["dept_a"])
    later = action.due + timedelta(days=1)
    assert list(MonitoringAction.objects.overdue(later)) == [action]
    with pytest.raises(ValidationError, match="撤销理由"):
        services.cancel_action(ctx(people["dept_a"]), action, "  ")
    for who in ("staff_a1", "dept_b", "finance"):  # the owner, another department, the bureau that did not raise it
        with pytest.raises(PermissionDenied):
            services.cancel_action(ctx(people[who]), action, "不需要了")
    assert MonitoringAction.objects.get(pk=action.pk).state == "open"
    with django_capture_on_commit_callbacks(execute=True):
        done = services.cancel_action(ctx(people["dept_a"]), action, "预警系数据错误，已核实支付进度正常。")
    assert done.state == "cancelled" and done.get_state_display() == "已撤销" and not done.pending
    steps = list(done.steps.all())
    assert [(s.step, s.old_state, s.new_state) for s in steps] == [
        ("raise", "", "open"),
        ("cancel", "open", "cancelled"),
    ]
    assert steps[-1].comment == "预警系数据错误，已核实支付进度正常。" and steps[-1].by == people["dept_a"]
    event = AuditEvent.objects.filter(object_type=ACTION, object_id=str(action.pk)).order_by("pk").last()
    assert event is not None and event.event == "delete"
    assert event.detail["to"] == "已撤销" and event.detail["comment"] == "预警系数据错误，已核实支付进度正常。"
    told = Notice.objects.filter(recipient=people["staff_a1"]).order_by("pk").last()
    assert (
        told is not None and told.text == "「业务培训经费」纠偏已撤销，无需再办理：预警系数据错误，已核实支付进度正常。"
    )
    # no longer open anywhere: overdue, the owner's to-do, the round's overdue list, the reminders
    assert not MonitoringAction.objects.overdue(later).exists() and not done.overdue_on(later)
    assert action_todo(people["staff_a1"])["action_todo_count"] == 0
    assert round_overdue(people["dept_a"], rec.round)["overdue_count"] == 0
    with pytest.raises(PermissionDenied, match="已撤销"):
        services.cancel_action(ctx(people["dept_a"]), done, "再撤销一次")
    with pytest.raises(PermissionDenied):
        services.submit_action(ctx(people["staff_a1"]), done, "已办理")


def test_a_submitted_action_may_be_cancelled_a_closed_one_not(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """Awaiting confirmation it can still be withdrawn (and leaves the raiser's to-do); once closed it stays closed."""
    from jixiao.web.monitoring.views.action_lists import action_todo

    first = correct(submitted(people, approved), people["dept_a"])
    services.submit_action(ctx(people["staff_a1"]), first, "已补训。")
    assert action_todo(people["dept_a"])["action_todo_count"] == 1
    services.cancel_action(ctx(people["dept_a"]), first, "项目已调整，不再需要。")
    assert action_todo(people["dept_a"])["action_todo_count"] == 0
    second = correct(MonitoringRecord.objects.get(pk=first.record_id), people["dept_a"])
    services.submit_action(ctx(people["staff_a1"]), second, "已补训。")
    services.conclude_action(ctx(people["dept_a"]), second, close=True)
    with pytest.raises(PermissionDenied, match="已关闭"):
        services.cancel_action(ctx(people["dept_a"]), second, "撤销")
