"""Declaration pages: new, the record page, the editor, its share check, review actions, adjustments."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.review import review_document
from jixiao.core.scoring.assess import show_number
from jixiao.core.workflow import Action, Role, is_frozen
from jixiao.exporters.report import build_report
from jixiao.web.access import account_of, get_for, permit, role_may, role_of
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services
from jixiao.web.cycle.carry import prior_declaration, prior_panel, prior_year
from jixiao.web.cycle.documents import declaration_document
from jixiao.web.cycle.forms import (
    AdjustForm,
    CommentForm,
    DeclarationForm,
    IndicatorFormSet,
    NewDeclarationForm,
    ProjectCodeForm,
)
from jixiao.web.cycle.html import (
    declaration_notes,
)
from jixiao.web.cycle.models import Adjustment, Declaration, Project, SourceCorrection, StateChange
from jixiao.web.cycle.packs import record_pack
from jixiao.web.cycle.services.across import stored_across
from jixiao.web.cycle.shapes import DECLARATION
from jixiao.web.cycle.shares import Row, posted_rows, share_status
from jixiao.web.cycle.sheets import official_table
from jixiao.web.cycle.views.common import (
    WHEN_AND_WHO,
    act_posted,
    actions_for,
    findings_by_row,
    history_of,
    latest_return,
    save_posted,
    source_corrections,
)
from jixiao.web.forms import ErrorLink, error_summary
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _EvaluationPk(TypedDict):
    """The self-evaluation's id, annotated on the declaration the record page shows."""

    evaluation_pk: int | None


# -- declarations ---------------------------------------------------------------------------------


def _indicator_initial(decl: Declaration) -> list[dict[str, Any]]:
    return [
        {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target, "weight": i.weight}
        for i in decl.indicators.all()
    ]


def _kept_rows(formset: Any) -> list[services.IndicatorInput]:
    return [f.as_input() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


@login_required
def declaration_new(request: HttpRequest) -> HttpResponse:
    """Start a declaration: the project name and year, then the full form."""
    account = account_of(request.user)
    if account is None or account.role_enum is not Role.UNIT_STAFF:
        raise PermissionDenied("只有单位填报人员可以新建绩效目标申报表。")
    form = NewDeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert account.organization_id is not None  # a business role has its organization (Account.clean)
        unit = Organization.objects.get(pk=account.organization_id)
        name, year = form.cleaned_data["name"].strip(), form.cleaned_data["year"]
        project = Project.objects.filter(unit=unit, name=name).only("pk").first()
        prior = prior_declaration(project.pk, year) if project is not None and form.cleaned_data["carry"] else None
        try:
            if prior is not None:
                decl = services.carry_forward(Context.of(request), unit, name, year)
            else:
                decl = services.create_declaration(Context.of(request), unit, name, year, {}, [])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if prior is not None:
                messages.success(
                    request,
                    f"已从{prior.year}年度已批复的申报表结转项目信息和绩效指标，请填写本年度资金和日期，并核对指标值。",
                )
            else:
                messages.success(request, "已新建绩效目标申报表，请填写各栏和绩效指标。")
            return redirect("cycle:declaration_edit", pk=decl.pk)
    return render(request, "cycle/declaration_new.html", {"form": form})


@login_required
@require_POST
def declaration_carry(request: HttpRequest, pk: int) -> HttpResponse:
    """Start next year's declaration of this approved one's project from it (从上年结转), for the unit's staff."""
    decl = get_for(request.user, Declaration.objects.select_related("project__unit"), pk)
    try:
        new = services.carry_forward(Context.of(request), decl.project.unit, decl.project.name, decl.year + 1)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"未能结转：{message}")
        return redirect("cycle:declaration_detail", pk=decl.pk)
    messages.success(request, f"已结转为{new.year}年度申报表，请填写本年度资金和日期，并核对指标值。")
    return redirect("cycle:declaration_edit", pk=new.pk)


@login_required
@require_GET
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A declaration as a reviewer reads it: the form, the findings beside each row, the history."""
    # the self-evaluation only by its id (the page links to it): not its fifty columns
    decl: WithAnnotations[Declaration, _EvaluationPk] = get_for(
        request.user,
        Declaration.objects.select_related("project__unit", "project__department").annotate(
            evaluation_pk=F("evaluation__pk")
        ),
        pk,
    )
    indicators = list(decl.indicators.all())
    pack = record_pack(decl)
    document = declaration_document(decl, indicators)
    # this form's own review by its pack, and what the last save found against the unit's other records (stored)
    findings = review_document(document, pack) + stored_across(decl)
    by_row, general = findings_by_row(findings)
    # the official layout, as it prints and as the portal will show it, with the review beside it
    form = build_report(document, pack=pack).forms[0]
    return render(
        request,
        "cycle/declaration_detail.html",
        {
            "decl": decl,
            "pack": pack,
            "indicator_points": show_number(pack.indicator_weight),
            "weights": [(i, _plain_weight(i.weight)) for i in indicators],  # the weights form's inputs
            "indicators": indicators,  # the indicators an adjustment may name
            "form": form,
            "sheet": official_table(form, declaration_notes(indicators, by_row)),
            "general": general,
            "actions": actions_for(request.user, decl.state),
            "can_return": role_may(request.user, decl, Action.RETURN),
            "can_delete": role_may(request.user, decl, Action.DELETE),
            "returned": latest_return(decl),
            "can_edit": role_may(request.user, decl, Action.EDIT),
            "can_adjust": role_may(request.user, decl, Action.ADJUST),
            "code_form": _code_form(request, decl),
            "can_evaluate": role_of(request.user) is Role.UNIT_STAFF and is_frozen(decl.state),
            "comment_form": CommentForm(),
            "adjust_form": AdjustForm(),
            "changes": history_of(StateChange.objects.filter(declaration=decl)),
            "adjustments": Adjustment.objects.filter(declaration=decl)
            .select_related("by__account", "indicator")
            .only(*WHEN_AND_WHO, "field", "old_value", "new_value", "reason", "indicator__name"),
            "evaluation_pk": decl.evaluation_pk,
            # next year's declaration of the project, if started: the page links to it instead of offering 结转
            "next_pk": Declaration.objects.filter(project_id=decl.project_id, year=decl.year + 1)
            .values_list("pk", flat=True)
            .first(),
            "source_corrections": source_corrections(SourceCorrection.objects.filter(declaration=decl)),
        },
    )


@login_required
def declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned declaration: identity, money, goals and the indicator tree."""
    decl = get_for(request.user, Declaration.objects.select_related("project__unit"), pk)
    if request.method != "POST":
        permit(request.user, decl, Action.EDIT)  # a save asks the service, which decides on the locked row
    pack = record_pack(decl)
    # every row's weight is checked against the record's pack as it is typed (cycle.forms.IndicatorForm)
    rows_kwargs = {"pack": pack}
    if request.method == "POST":
        form = DeclarationForm(request.POST, instance=Declaration.objects.get(pk=decl.pk))
        formset = IndicatorFormSet(request.POST, prefix="ind", form_kwargs=rows_kwargs)
        done = save_posted(
            request,
            decl,
            (form, formset),
            services.DECLARATION_FIELDS,
            services.update_declaration,
            _kept_rows,
            ("cycle:declaration_edit", "cycle:declaration_detail"),
        )
        if done is not None:
            return done
    else:
        form = DeclarationForm(instance=decl, initial={"version": decl.version})
        formset = IndicatorFormSet(initial=_indicator_initial(decl) or [{}], prefix="ind", form_kwargs=rows_kwargs)
    # this year's targets against last year's targets and actual values (None for a project's first year)
    document = declaration_document(decl)
    last = prior_year(decl)
    findings = review_document(document, pack, prior={document.projects[0].name: last} if last else None)
    by_row, general = findings_by_row(findings)
    names = [
        (str(f["level1"].value() or ""), str(f["level2"].value() or ""), str(f["name"].value() or ""))
        for f in formset.forms
    ]
    panel = prior_panel(decl, names)
    beside = panel.rows if panel is not None else [None] * len(names)
    if request.method == "POST":
        shares = share_status(posted_rows(request.POST), pack)
    else:
        shares = share_status([Row(i.level1, i.name, i.weight, "") for i in decl.indicators.all()], pack)
    return render(
        request,
        "cycle/declaration_edit.html",
        {
            "decl": decl,
            "pack": pack,
            "form": form,
            "formset": formset,
            "row_shape": DECLARATION.script_fields(),  # the row fields the editor's script acts on
            "code_form": _code_form(request, decl),
            "rows": [(f, by_row.get(n, []), beside[n]) for n, f in enumerate(formset.forms)],
            "prior": panel,
            # the share findings are shown in their own panel, beside the sum
            "general": [f for f in general if f.code not in SHARE_CODES],
            "shares": shares.to_dict(),
            "returned": latest_return(decl),
            "can_edit": True,
            "can_delete": role_may(request.user, decl, Action.DELETE),
            "error_summary": _declaration_errors(form, formset) if form.is_bound else [],
        },
    )


# findings of the weights' split: the editor's share panel shows them (cycle/shares.py)
SHARE_CODES = frozenset({"indicator-share-mismatch", "level1-share-differs"})


@login_required
@require_POST
def declaration_shares(request: HttpRequest, pk: int) -> JsonResponse:
    """The share check of the editor's rows as typed (nothing is saved): the sum, each level 1, what blocks."""
    decl = get_for(request.user, Declaration.objects.select_related("project__unit"), pk)
    permit(request.user, decl, Action.EDIT)
    status = share_status(posted_rows(request.POST), record_pack(decl))
    return JsonResponse(status.to_dict(), json_dumps_params={"ensure_ascii": False})


def _declaration_errors(form: DeclarationForm, formset: Any) -> list[ErrorLink]:
    """The refused declaration's errors for the top of the page: the form's, then each row's by its number and name."""
    formset.is_valid()  # the view stops at an invalid header; the summary names the rows' errors too
    rows = [
        (f"第{n}行「{name}」" if (name := (row["name"].value() or "").strip()) else f"第{n}行", row)
        for n, row in enumerate(formset.forms, start=1)
        # a row marked 删除 is not saved, so its errors do not stop the save
        if not getattr(row, "cleaned_data", {}).get("DELETE")
    ]
    return error_summary(form, "declaration-form", rows, formset.non_form_errors(), "indicator-editor")


@login_required
@require_POST
def declaration_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, return, approve or publish a declaration."""
    decl = get_for(request.user, Declaration.objects.all(), pk)
    return act_posted(request, decl, action, "cycle:declaration_detail")


@login_required
@require_POST
def declaration_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an adjustment of an approved target or weight, or of several weights at once (their split kept)."""
    decl = get_for(request.user, Declaration.objects.all(), pk)
    if request.POST.get("field") == "weights":
        # the weights form: one input per indicator; only the changed ones are adjustments
        current = {i.pk: i.weight for i in decl.indicators.all()}
        changes = [
            services.Change(pk_, "weight", request.POST.get(f"weight-{pk_}", "").strip())
            for pk_, weight in current.items()
            if request.POST.get(f"weight-{pk_}", "").strip() not in ("", _plain_weight(weight))
        ]
        reason = request.POST.get("reason", "")[:2000]
    else:
        form = AdjustForm(request.POST)
        if not form.is_valid():
            messages.error(request, "调整未保存：请填写调整项、调整后的值和理由。")
            return redirect("cycle:declaration_detail", pk=decl.pk)
        indicator = decl.indicators.filter(pk=form.cleaned_data["indicator"]).first()
        if indicator is None:
            raise Http404("没有这个指标。")
        changes = [services.Change(indicator.pk, form.cleaned_data["field"], form.cleaned_data["value"])]
        reason = form.cleaned_data["reason"]
    try:
        done = services.adjust_indicators(Context.of(request), decl, changes, reason)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"调整未保存：{message}")
    else:
        names = "、".join(f"「{a.indicator.name}」" for a in done if a.indicator is not None)
        messages.success(request, f"已调整{names}，调整理由已记录。")
    return redirect("cycle:declaration_detail", pk=decl.pk)


def _plain_weight(weight: Decimal | None) -> str:
    """A stored weight as the weights form shows it (``30`` for ``30.00``), so an untouched input is no change."""
    return "" if weight is None else format(weight.normalize(), "f")


def _code_form(request: HttpRequest, decl: Declaration) -> ProjectCodeForm | None:
    """The project code's form, for whoever may set it (the unit on its edit page, reviewers on the record's)."""
    if not services.may_set_code(request.user, decl.project):
        return None
    return ProjectCodeForm(initial={"code": decl.project.code})


@login_required
@require_POST
def project_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Set or clear the project code (项目编码) of a declaration's project; back to where it was set."""
    decl = get_for(request.user, Declaration.objects.select_related("project"), pk)
    back = "cycle:declaration_edit" if request.POST.get("back") == "edit" else "cycle:declaration_detail"
    form = ProjectCodeForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("code", []):
            messages.error(request, f"项目编码：{error}")
        return redirect(back, pk=decl.pk)
    try:
        saved = services.set_project_code(Context.of(request), decl.project, form.cleaned_data["code"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"项目编码未保存：{message}")
    else:
        messages.success(request, f"已保存项目编码：{saved.code}。" if saved.code else "已清除项目编码。")
    return redirect(back, pk=decl.pk)
