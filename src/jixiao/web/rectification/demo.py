"""The demo's 整改事项: on the demo unit's projects, one in every state, opened and moved through the services."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jixiao.core.workflow import State as RecordState
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.monitoring.models import MonitoringAction
from jixiao.web.rectification import services
from jixiao.web.rectification.models import Rectification, RectificationStep

# how far the demo's open item is moved back in time: opened 45 days ago, due 30 days after, so 15 days overdue
OVERDUE_SHIFT = timedelta(days=45)

# a one-page PDF as small as a reader accepts: the demo's evidence file
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _sources(unit_id: int) -> list[tuple[Declaration, SelfEvaluation | None]]:
    """The demo unit's declarations a reviewer sees, with their self-evaluations, latest year first."""
    decls = Declaration.objects.filter(project__unit_id=unit_id).exclude(state=RecordState.DRAFT.value)
    out = []
    for decl in decls.order_by("-year", "project_name", "pk")[:10]:
        ev = SelfEvaluation.objects.filter(declaration=decl).exclude(state=RecordState.DRAFT.value).first()
        out.append((decl, ev))
    return out


def _new(decl: Declaration, ev: SelfEvaluation | None, n: int, task: str) -> services.NewItem:
    """Item ``n``: from a proposal or a finding of the evaluation when there is one, else by hand."""
    due = timezone.localdate() + timedelta(days=30 + 15 * n)
    base = services.NewItem(decl.project_id, decl.year, task, due)
    if ev is not None and n == 0 and services.proposed(ev):
        return services.NewItem(decl.project_id, decl.year, task, due, proposal=0)
    finding = ev.findings.exclude(severity="info").first() if ev is not None else None
    if finding is not None and n in (1, 2):
        return services.NewItem(decl.project_id, decl.year, task, due, finding_id=finding.pk)
    action = MonitoringAction.objects.filter(record__declaration=decl).first()
    if action is not None and n == 3:
        return services.NewItem(decl.project_id, decl.year, task, due, action_id=action.pk)
    return base


def demo_items(people: dict[str, User]) -> list[Rectification]:
    """Five items of the demo unit: open, submitted with a file, accepted, reopened, cancelled."""
    dept, unit = Context.system(people["dept"]), Context.system(people["unit"])
    organization = people["unit"].account.organization
    sources = _sources(organization.pk) if organization is not None else []
    if not sources:
        return []
    tasks = [
        "分析绩效偏低的原因，制定整改方案并报送主管部门。",
        "补充完善指标的实际完成值佐证，说明偏差原因。",
        "规范资金支付流程，整改情况附支付凭证。",
        "按监控要求纠偏，报送下半年实施计划。",
        "完善项目台账。",
    ]
    made = []
    for n, task in enumerate(tasks):
        decl, ev = sources[n % len(sources)]
        made.append(services.open_item(dept, _new(decl, ev, n, task)))
    evidence = SimpleUploadedFile("整改佐证.pdf", PDF, "application/pdf")
    made[1] = services.submit_item(unit, made[1], "已补充实际完成值的佐证材料，并说明了偏差原因。", [evidence])
    done = services.submit_item(unit, made[2], "已修订资金支付审批流程，附修订后的制度。")
    made[2] = services.accept_item(dept, done, "已核实，验收通过。")
    answered = services.submit_item(unit, made[3], "已报送下半年实施计划。")
    made[3] = services.reopen_item(dept, answered, "实施计划缺少月度进度安排，请补充后重新提交。")
    made[4] = services.cancel_item(dept, made[4], "与另一项整改事项重复，撤销。")
    made[0] = _moved_back(made[0])
    return made


def _moved_back(item: Rectification) -> Rectification:
    """The open item as if opened ``OVERDUE_SHIFT`` ago: now past its due date, so the demo shows an overdue item.

    The service refuses a due date in the past (an item is always opened with time to answer), so the
    item is opened as a reviewer would and its dates, the due date and its opening step's time moved
    back together here, in the demo only, by queryset updates (no save, no audit of a change nobody made).
    """
    Rectification.objects.filter(pk=item.pk).update(
        due=item.due - OVERDUE_SHIFT, created_at=item.created_at - OVERDUE_SHIFT
    )
    for step in RectificationStep.objects.filter(item_id=item.pk):
        RectificationStep.objects.filter(pk=step.pk).update(at=step.at - OVERDUE_SHIFT)
    return Rectification.objects.get(pk=item.pk)
