"""The assessment pages: the list (and a new assessment), one assessment's page and its steps, the expert pool.

Every page reads through ``visible_to``; every step posts to a service, which decides permission once.
A refused step comes back to the assessment's page with its Chinese reason.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.core.scoring.exante import ExanteRules
from jixiao.core.workflow import FROZEN_VALUES, Role
from jixiao.web.access import get_for, role_of
from jixiao.web.assessments import services
from jixiao.web.assessments.costs import cost_rows
from jixiao.web.assessments.forms import (
    MONEY_MAX,
    AdjustmentsForm,
    ConcludeForm,
    DrawForm,
    ExpertForm,
    NewAssessmentForm,
    ScoreForm,
)
from jixiao.web.assessments.models import Assessment, Expert, PanelSeat
from jixiao.web.assessments.report import FORMATS
from jixiao.web.assessments.report import assessment_report as assessment_report_of
from jixiao.web.assessments.report import render as render_report
from jixiao.web.assessments.scope import manages_pool, may_organise
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Declaration
from jixiao.web.cycle.packs import pack_named

COST_ROWS_BLANK = 2  # empty rows offered under the saved cost lines


def _assessable(request: HttpRequest) -> list[tuple[int, str]]:
    """The declarations this organiser may assess: seen by them and not yet approved."""
    if role_of(request.user) not in (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER):
        return []
    rows = (
        Declaration.objects.visible_to(request.user)
        .exclude(state__in=FROZEN_VALUES)
        .select_related("project__unit")
        .order_by("-year", "project_name")[:500]
    )
    return [(d.pk, f"{d.year}年度 {d.project_name}（{d.project.unit.name}，{d.get_state_display()}）") for d in rows]


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    """The assessments this person may see; an organiser starts one here (POST)."""
    choices = _assessable(request)
    form = NewAssessmentForm(request.POST if request.method == "POST" else None, choices=choices) if choices else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有财政部门或主管部门的审核人员可以组织事前绩效评估。")
        if form.is_valid():
            d = form.cleaned_data
            decl = get_for(request.user, Declaration.objects.all(), d["declaration"])
            try:
                made = services.create_assessment(Context.of(request), decl, d["summary"], d["panel_size"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已建立事前绩效评估。")
                return redirect("assessments:detail", pk=made.pk)
    assessments = Assessment.objects.visible_to(request.user).select_related("unit")
    return render(
        request,
        "assessments/list.html",
        {"assessments": assessments, "form": form, "expert": role_of(request.user) is Role.EXPERT},
    )


def _seat_of(request: HttpRequest, assessment: Assessment) -> PanelSeat | None:
    """The expert's own seat on this panel (None for anyone else)."""
    user = request.user
    if role_of(user) is not Role.EXPERT or not isinstance(user, User):
        return None
    return assessment.seats.filter(expert__user=user).first()


@login_required
def assessment_detail(request: HttpRequest, pk: int, score_form: ScoreForm | None = None) -> HttpResponse:
    """One assessment: the project, evidence, costs, the panel (scores once all are in), the conclusion."""
    assessment = get_for(request.user, Assessment.objects.select_related("declaration__project__unit"), pk)
    role = role_of(request.user)
    organiser = may_organise(request.user, assessment)
    rules = pack_named(assessment.rule_pack).exante
    seats = list(assessment.seats.select_related("expert"))
    my_seat = _seat_of(request, assessment)
    # the organiser sees the sheets when all are in; the unit once concluded; an expert only their own
    revealed = (organiser and assessment.state != Assessment.State.SCORING) or (
        role is Role.UNIT_STAFF and assessment.state == Assessment.State.CONCLUDED
    )
    if my_seat is not None and score_form is None and assessment.state == Assessment.State.SCORING:
        score_form = ScoreForm(rules=rules)
    context = {
        "assessment": assessment,
        "declaration": assessment.declaration,
        "indicators": assessment.declaration.indicators.all(),
        "rules": rules,
        "organiser": organiser,
        "seats": seats,
        "submitted": sum(1 for s in seats if s.submitted_at is not None),
        "revealed": revealed,
        # who sits on the panel stays with the organiser until the conclusion: nobody can lobby them
        "names_shown": organiser or assessment.state == Assessment.State.CONCLUDED,
        "sheet_rows": _sheet_rows(rules, seats) if revealed else [],
        "my_seat": my_seat,
        "score_form": score_form,
        "cost_rows": cost_rows(request.user, assessment, compare=role is not Role.EXPERT),
        "blank_rows": range(assessment.costs.count() + 1, assessment.costs.count() + 1 + COST_ROWS_BLANK),
        "files": assessment.files.all(),
        "draws": assessment.draws.all() if organiser else [],  # the excluded and why: the organiser's to know
        "draw_form": DrawForm() if organiser and assessment.state == Assessment.State.DRAFT else None,
        "conclude_form": ConcludeForm() if organiser and assessment.state == Assessment.State.SCORED else None,
        "adjust_form": AdjustmentsForm(initial={"adjustments": assessment.adjustments})
        if organiser and assessment.conclusion == "adjust"
        else None,
        "editable": organiser and assessment.state in (Assessment.State.DRAFT, Assessment.State.SCORING),
    }
    return render(request, "assessments/detail.html", context)


def _sheet_rows(rules: ExanteRules, seats: list[PanelSeat]) -> list[tuple[str, str, Decimal, list[str]]]:
    """The scoring sheet: one row per point, a column per expert."""
    rows = []
    for d in rules.dimensions:
        for q in d.questions:
            scores = [str(s.scores.get(q.key, "")) for s in seats]
            rows.append((d.name, q.text, q.weight, scores))
    return rows


def _back(pk: int) -> HttpResponse:
    return redirect("assessments:detail", pk=pk)


def _refused(request: HttpRequest, exc: ValidationError, what: str) -> None:
    for message in exc.messages:
        messages.error(request, f"{what}：{message}")


def _decimal(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) > MONEY_MAX:
        raise ValueError(text)
    return value


def _posted_costs(request: HttpRequest) -> list[services.CostInput]:
    """The cost lines as posted (a row left wholly empty is no line); a figure that is not one names its row."""
    costs, problems = [], []
    i = 1
    while f"cost-{i}-output" in request.POST:
        cells = {k: request.POST.get(f"cost-{i}-{k}", "").strip() for k in ("output", "unit", "quantity", "cost")}
        cells |= {k: request.POST.get(f"cost-{i}-{k}", "").strip() for k in ("bench", "source")}
        if any(cells.values()):
            try:
                quantity = _decimal(cells["quantity"])
                cost, bench = _decimal(cells["cost"]), _decimal(cells["bench"])
            except ValueError as bad:
                problems.append(f"第 {i} 行：“{bad}”不是数字。")
            else:
                costs.append(
                    services.CostInput(
                        cells["output"], cells["unit"], quantity or Decimal(0), cost, bench, cells["source"][:300]
                    )
                )
        i += 1
    if problems:
        raise ValidationError(problems)
    return costs


@login_required
@require_POST
def assessment_content(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the content and the cost section."""
    assessment = get_for(request.user, Assessment.objects.all(), pk)
    try:
        version = int(request.POST.get("version", ""))
        services.update_assessment(
            Context.of(request),
            assessment,
            version,
            request.POST.get("summary", "")[:10000],
            request.POST.get("cost_notes", "")[:10000],
            _posted_costs(request),
        )
    except ValueError:
        messages.error(request, "评估内容未保存：页面版本号缺失，请刷新后再试。")
    except ValidationError as exc:
        _refused(request, exc, "评估内容未保存")
    else:
        messages.success(request, "已保存评估内容和成本效益分析。")
    return _back(pk)


@login_required
@require_POST
def assessment_files(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload evidence files (all or none)."""
    assessment = get_for(request.user, Assessment.objects.all(), pk)
    try:
        kept = services.add_files(Context.of(request), assessment, request.FILES.getlist("files"))
    except ValidationError as exc:
        _refused(request, exc, "佐证材料未上传")
    else:
        messages.success(request, f"已上传 {len(kept)} 个佐证材料。")
    return _back(pk)


@login_required
def assessment_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """An evidence file, to whoever may see the assessment."""
    assessment = get_for(request.user, Assessment.objects.all(), pk)
    row = assessment.files.filter(pk=file_pk).first()
    if row is None:
        raise Http404("没有这个佐证材料。")
    return FileResponse(row.stored.open("rb"), as_attachment=True, filename=row.original_name)


@login_required
@require_POST
def assessment_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw the panel."""
    assessment = get_for(request.user, Assessment.objects.all(), pk)
    form = DrawForm(request.POST)
    field = form.cleaned_data["field"] if form.is_valid() else ""
    try:
        made = services.draw_panel(Context.of(request), assessment, field)
    except ValidationError as exc:
        _refused(request, exc, "未能抽取专家")
    else:
        messages.success(request, f"已随机抽取 {len(made.chosen)} 名专家（随机种子 {made.seed}），等待专家评分。")
    return _back(pk)


@login_required
@require_POST
def assessment_score(request: HttpRequest, pk: int) -> HttpResponse:
    """An expert submits their sheet."""
    assessment = get_for(request.user, Assessment.objects.all(), pk)
    form = ScoreForm(request.POST, rules=pack_named(assessment.rule_pack).exante)
    if not form.is_valid():
        messages.error(request, "评分未提交：请按提示改正。")
        return assessment_detail(request, pk, score_form=form)
    try:
        services.submit_scores(Context.of(request), assessment, form.scores(), form.cleaned_data["comment"])
    except ValidationError as exc:
        _refused(request, exc, "评分未提交")
    else:
        messages.success(request, "已提交评分。")
    return _back(pk)


@login_required
@require_POST
def assessment_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser concludes."""
    assessment = get_for(request.user, Assessment.objects.all(), pk)
    form = ConcludeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写评估意见。")
        done = services.conclude_assessment(Context.of(request), assessment, form.cleaned_data["opinion"])
    except ValidationError as exc:
        _refused(request, exc, "未出具结论")
    else:
        messages.success(request, f"评估总分 {done.total} 分，结论：{done.get_conclusion_display()}。")
    return _back(pk)


@login_required
@require_POST
def assessment_adjustments(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the adjustments made after 调整完善后予以支持."""
    assessment = get_for(request.user, Assessment.objects.all(), pk)
    form = AdjustmentsForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写调整完善的内容。")
        services.record_adjustments(Context.of(request), assessment, form.cleaned_data["adjustments"])
    except ValidationError as exc:
        _refused(request, exc, "调整完善内容未保存")
    else:
        messages.success(request, "已记录调整完善内容，评估结论视为支持。")
    return _back(pk)


@login_required
def assessment_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report of a concluded assessment as DOCX or PDF, to whoever may see the assessment (not its experts)."""
    assessment = get_for(request.user, Assessment.objects.select_related("unit", "department", "declaration"), pk)
    if fmt not in FORMATS or role_of(request.user) is Role.EXPERT:
        raise Http404("没有这种格式的评估报告。")
    if assessment.state != Assessment.State.CONCLUDED:
        raise Http404("评估出具结论后才有评估报告。")
    rules = pack_named(assessment.rule_pack).exante
    report = assessment_report_of(assessment, rules, cost_rows(request.user, assessment, compare=True))
    data = render_report(report, fmt)
    record(
        Context.of(request),
        AuditEvent.Type.EXPORT,
        obj=assessment,
        organization=assessment.unit,
        detail={"step": "report", "format": fmt},
    )
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = quote(f"{assessment.project_name}事前绩效评估报告.{fmt}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


def _expert_accounts() -> list[tuple[int, str]]:
    """Accounts holding the expert role and not yet tied to an expert of the pool."""
    users = User.objects.filter(account__role=Role.EXPERT.value).filter(Q(expert__isnull=True)).order_by("username")
    return [(u.pk, u.get_username()) for u in users]


@login_required
def expert_pool(request: HttpRequest) -> HttpResponse:
    """The expert pool; the finance bureau adds experts here (POST)."""
    experts = Expert.objects.visible_to(request.user).select_related("department").prefetch_related("conflicts")
    if role_of(request.user) not in (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER):
        raise Http404("没有找到该页面，或您无权查看。")
    form = None
    if manages_pool(request.user):
        form = ExpertForm(request.POST if request.method == "POST" else None, accounts=_expert_accounts())
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有财政审核人员可以维护专家库。")
        if form.is_valid():
            d = form.cleaned_data
            data = services.ExpertInput(
                name=d["name"],
                fields=d["fields_text"],
                affiliation=d["affiliation"],
                title=d["title"],
                department_id=d["department"].pk if d["department"] else None,
                conflict_ids=tuple(o.pk for o in d["conflicts"]),
                conflict_note=d["conflict_note"],
            )
            try:
                services.save_expert(Context.of(request), data, user_id=d["user"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已将{d['name']}加入专家库。")
                return redirect("assessments:experts")
    return render(request, "assessments/experts.html", {"experts": experts, "form": form})
