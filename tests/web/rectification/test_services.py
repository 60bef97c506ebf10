"""The 整改 life cycle through the services: every transition, every refused one, each audited with its steps."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jixiao.web.audit.models import AuditEvent
from jixiao.web.notices.models import Notice
from jixiao.web.rectification import services
from jixiao.web.rectification.models import Rectification
from tests.web.conftest import ctx
from tests.web.rectification.conftest import PDF, by_hand, low_evaluation, soon

pytestmark = pytest.mark.django_db
ITEM = "rectification.rectification"


def pdf(name: str = "培训签到表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def test_opened_from_a_finding_answered_with_evidence_and_accepted(
    tree: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The department opens an item on a finding of the evaluation; the unit answers with a PDF; accepted."""
    ev = low_evaluation(people, tree.unit_a1)
    finding = ev.findings.exclude(severity="info").first()
    assert finding is not None
    with django_capture_on_commit_callbacks(execute=True):
        item = by_hand(people["dept_a"], ev, finding_id=finding.pk)
    assert (item.source, item.state, item.source_code) == ("finding", "open", finding.code)
    assert finding.message in item.source_text and item.evaluation == ev and item.unit == tree.unit_a1
    assert Notice.objects.filter(recipient=people["staff_a1"], kind="assigned").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        done = services.submit_item(ctx(people["staff_a1"]), item, "已落实场地，补办培训3次。", [pdf()])
    kept = done.files.get()
    assert done.state == "submitted" and kept.stored.name.startswith("rectification/") and kept.stored.read() == PDF
    assert Notice.objects.filter(recipient=people["dept_a"], kind="submitted").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.accept_item(ctx(people["dept_a"]), done, "已核实签到表。")
    assert closed.state == "accepted" and closed.closed_at is not None
    assert Notice.objects.filter(recipient=people["staff_a1"], kind="approved").count() == 1
    assert [s.step for s in closed.steps.all()] == ["open", "submit", "accept"]
    events = AuditEvent.objects.filter(object_type=ITEM, object_id=str(item.pk)).order_by("pk")
    assert [e.event for e in events] == ["create", "submit", "approve"]
    assert events[1].detail["files"] == ["培训签到表.pdf"] and events[2].detail["to"] == "已验收"


def test_reopened_with_a_reason_then_answered_again_then_cancelled(tree: Any, people: dict[str, Any]) -> None:
    """Reopen needs a reason; the unit answers again; the finance bureau may cancel what is not closed."""
    ev = low_evaluation(people, tree.unit_a1)
    item = services.submit_item(ctx(people["staff_a1"]), by_hand(people["dept_a"], ev), "已安排。")
    with pytest.raises(ValidationError, match="退回理由"):
        services.reopen_item(ctx(people["dept_a"]), item, " ")
    item = services.reopen_item(ctx(people["dept_a"]), item, "请补充培训签到表。")
    assert (item.state, item.reason) == ("reopened", "请补充培训签到表。")
    item = services.submit_item(ctx(people["staff_a1"]), item, "补充了签到表。", [pdf()])
    assert item.state == "submitted"
    with pytest.raises(ValidationError, match="撤销理由"):
        services.cancel_item(ctx(people["finance"]), item, "")
    item = services.cancel_item(ctx(people["finance"]), item, "项目已终止，不再整改。")
    assert item.state == "cancelled" and item.closed_at is not None
    assert [s.step for s in item.steps.all()] == ["open", "submit", "reopen", "submit", "cancel"]
    events = AuditEvent.objects.filter(object_type=ITEM, object_id=str(item.pk)).order_by("pk")
    assert [e.event for e in events] == ["create", "submit", "return", "submit", "delete"]


def test_every_refused_transition(tree: Any, people: dict[str, Any]) -> None:
    """Each step out of its state or by the wrong person is refused in Chinese, and nothing changes."""
    ev = low_evaluation(people, tree.unit_a1)
    item = by_hand(people["dept_a"], ev)
    for verb in (services.accept_item, services.reopen_item):  # open: nothing to accept or send back
        with pytest.raises(PermissionDenied, match="不是待验收的状态"):
            verb(ctx(people["dept_a"]), item, "理由")
    with pytest.raises(PermissionDenied, match="责任单位的填报人员"):
        services.submit_item(ctx(people["dept_a"]), item, "代为提交。")
    with pytest.raises(PermissionDenied, match="无权"):
        services.submit_item(ctx(people["staff_a2"]), item, "别的单位。")
    item = services.submit_item(ctx(people["staff_a1"]), item, "已整改。")
    with pytest.raises(PermissionDenied, match="不能再提交"):
        services.submit_item(ctx(people["staff_a1"]), item, "再提交一次。")
    with pytest.raises(PermissionDenied, match="验收或退回"):
        services.accept_item(ctx(people["staff_a1"]), item)  # the unit never accepts its own answer
    with pytest.raises(PermissionDenied):
        services.accept_item(ctx(people["dept_b"]), item)  # another department: not even visible
    item = services.accept_item(ctx(people["finance"]), item)
    for verb in (services.accept_item, services.reopen_item):
        with pytest.raises(PermissionDenied, match="已验收"):
            verb(ctx(people["dept_a"]), item, "理由")
    with pytest.raises(PermissionDenied, match="不能撤销"):
        services.cancel_item(ctx(people["dept_a"]), item, "理由")
    with pytest.raises(PermissionDenied, match="不能再提交"):
        services.submit_item(ctx(people["staff_a1"]), item, "再来。")
    item.refresh_from_db()
    assert item.state == "accepted" and item.steps.count() == 3


def test_who_may_open_and_what_an_item_must_say(tree: Any, people: dict[str, Any]) -> None:
    """Only the project's department or the finance bureau opens; task, due date (not past) and source checked."""
    ev = low_evaluation(people, tree.unit_a1)
    for who, refused in (("staff_a1", PermissionDenied), ("dept_b", PermissionDenied), ("auditor", PermissionDenied)):
        with pytest.raises(refused):
            by_hand(people[who], ev)
    yesterday = timezone.localdate() - timedelta(days=1)
    bad = services.NewItem(ev.declaration.project_id, ev.year, " ", yesterday)
    with pytest.raises(ValidationError) as refused_item:
        services.open_item(ctx(people["dept_a"]), bad)
    said = " ".join(refused_item.value.messages)
    assert "请填写整改要求" in said and "整改期限" in said and "早于今天" in said
    other = low_evaluation(people, tree.unit_a2, "staff_a2")
    with pytest.raises(ValidationError, match="审核发现已不在"):
        by_hand(people["dept_a"], ev, finding_id=other.findings.first().pk)  # another project's finding
    with pytest.raises(ValidationError, match="只能针对一个"):
        by_hand(people["dept_a"], ev, finding_id=ev.findings.first().pk, proposal=0)
    assert Rectification.objects.count() == 0
    assert by_hand(people["finance"], ev).raised_in == tree.bureau


def test_a_low_score_proposes_items_the_reviewer_confirms(tree: Any, people: dict[str, Any]) -> None:
    """A 差 evaluation with 培训场次 at 7.50 of 30 points: the pack proposes the grade and that indicator."""
    ev = low_evaluation(people, tree.unit_a1)
    listed = services.proposed(ev)
    assert [p.follows for p in listed] == ["差", "培训场次"]
    assert Rectification.objects.count() == 0  # proposals are not items until a reviewer opens them
    item = by_hand(people["dept_a"], ev, proposal=1)
    assert (item.source, item.source_code) == (
        "score",
        "培训场次",
    ) and "低于分值 30.00 的 60%（18 分）" in item.source_text
    with pytest.raises(ValidationError, match="建议已不在"):
        by_hand(people["dept_a"], ev, proposal=2)


def test_a_refused_answer_keeps_nothing(tree: Any, people: dict[str, Any]) -> None:
    """An empty answer, or one bad file among good ones: refused naming the file, no row and no file kept."""
    ev = low_evaluation(people, tree.unit_a1)
    item = by_hand(people["dept_a"], ev)
    with pytest.raises(ValidationError, match="请填写整改情况"):
        services.submit_item(ctx(people["staff_a1"]), item, "  ", [pdf()])
    fake = SimpleUploadedFile("照片.png", b"not a png at all", "image/png")
    with pytest.raises(ValidationError, match=re.escape("照片.png：文件内容与扩展名 .png 不符")):
        services.submit_item(ctx(people["staff_a1"]), item, "已整改。", [pdf(), fake])
    exe = SimpleUploadedFile("工具.exe", b"MZ....", "application/octet-stream")
    with pytest.raises(ValidationError, match=re.escape("工具.exe：不支持的文件类型")):
        services.submit_item(ctx(people["staff_a1"]), item, "已整改。", [exe])
    many = [pdf(f"{n}.pdf") for n in range(11)]
    with pytest.raises(ValidationError, match="一次最多上传 10 个"):
        services.submit_item(ctx(people["staff_a1"]), item, "已整改。", many)
    item.refresh_from_db()
    assert item.state == "open" and item.files.count() == 0 and item.steps.count() == 1


def test_a_file_over_the_limit_is_refused(tree: Any, people: dict[str, Any], monkeypatch: Any) -> None:
    """A file past the per-file limit (lowered here to 100 bytes) names itself and its size."""
    monkeypatch.setattr("jixiao.web.monitoring.evidence.MAX_EVIDENCE_BYTES", 100)
    ev = low_evaluation(people, tree.unit_a1)
    item = by_hand(people["dept_a"], ev)
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 200, "application/pdf")
    with pytest.raises(ValidationError, match=re.escape("大文件.pdf：文件过大")):
        services.submit_item(ctx(people["staff_a1"]), item, "已整改。", [big])


def test_overdue_items_are_reminded_once_a_day(tree: Any, people: dict[str, Any]) -> None:
    """Past its due date and still with the unit, an item is overdue; ``remind`` tells the unit once."""
    from django.core.management import call_command

    ev = low_evaluation(people, tree.unit_a1)
    late = by_hand(people["dept_a"], ev)
    answered = services.submit_item(ctx(people["staff_a1"]), by_hand(people["dept_a"], ev), "已整改。")
    Rectification.objects.filter(pk__in=[late.pk, answered.pk]).update(due=timezone.localdate() - timedelta(days=2))
    today = timezone.localdate()
    assert list(Rectification.objects.overdue(today)) == [late]  # the answered one waits for the reviewer
    call_command("remind")
    call_command("remind")
    reminded = Notice.objects.filter(recipient=people["staff_a1"], kind="overdue", key__contains="rectification:")
    assert reminded.count() == 1 and "整改期限" in reminded.get().text
    assert soon() > today


def test_the_sweep_keeps_evidence_and_removes_orphans(tree: Any, people: dict[str, Any], settings: Any) -> None:
    """A kept evidence file survives the sweep; a file under rectification/ named by no row goes after the grace."""
    import os
    import time
    from pathlib import Path

    from jixiao.web.imports.sweep import sweep

    ev = low_evaluation(people, tree.unit_a1)
    item = services.submit_item(ctx(people["staff_a1"]), by_hand(people["dept_a"], ev), "已整改。", [pdf()])
    kept = Path(settings.MEDIA_ROOT) / item.files.get().stored.name
    orphan = kept.parent / "left-by-a-killed-answer.pdf"
    orphan.write_bytes(PDF)
    old = time.time() - 2 * 3600
    for path in (kept, orphan):
        os.utime(path, (old, old))
    swept = sweep()
    assert kept.exists() and not orphan.exists()
    assert swept.orphan_files == [orphan.relative_to(settings.MEDIA_ROOT).as_posix()]
