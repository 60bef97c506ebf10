"""Forms of the yearly cycle. They carry only the fields a person may set; state, unit and approver never."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MinValueValidator

from jixiao.core.scoring import RulePack, load_pack
from jixiao.web.cycle.models import PROJECT_CODE_LENGTH, Declaration, SelfEvaluation
from jixiao.web.cycle.services import (
    DECLARATION_FIELDS,
    EVALUATION_FIELDS,
    EvaluationRowInput,
    IndicatorInput,
    check_weight,
)
from jixiao.web.cycle.shapes import DECLARATION, SELF_EVALUATION, Field, Shape
from jixiao.web.forms import DateInput, KeepsOmittedFields

LEVEL1_CHOICES = [(v, v) for v in DECLARATION.row("level1").choices]


def form_field(field: Field) -> forms.Field:
    """The Django form field of a shape's field: its label, width, precision and required-ness."""
    if field.type == "choice":
        return forms.ChoiceField(label=field.label, choices=[(v, v) for v in field.choices], required=field.required)
    if field.type == "multichoice":
        return forms.MultipleChoiceField(
            label=field.label,
            choices=[(v, v) for v in field.choices],
            required=field.required,
            widget=forms.CheckboxSelectMultiple,
        )
    if field.type == "decimal":
        digits, places = field.digits
        return forms.DecimalField(
            label=field.label,
            max_digits=digits,
            decimal_places=places,
            min_value=field.minimum,
            required=field.required,
        )
    if field.type == "textarea":
        widget = forms.Textarea(attrs={"rows": field.rows})
        return forms.CharField(label=field.label, required=field.required, widget=widget, max_length=field.width)
    return forms.CharField(label=field.label, max_length=field.width, required=field.required)


def header_widgets(shape: Shape) -> dict[str, forms.Widget]:
    """The header inputs that are not the model field's default: dates written ISO, text areas their height."""
    widgets: dict[str, forms.Widget] = {}
    for f in shape.header:
        if f.type == "date":
            widgets[f.name] = DateInput()
        elif f.type == "textarea":
            widgets[f.name] = forms.Textarea(attrs={"rows": f.rows})
    return widgets


def non_negative(shape: Shape) -> tuple[str, ...]:
    """The header's form fields that may not go below zero (money, points and rates on no form do)."""
    return tuple(f.name for f in shape.header if f.form and f.minimum is not None and f.minimum == 0)


def refuse_negative(form: forms.BaseForm, names: tuple[str, ...]) -> None:
    """Refuse a value below zero in these fields, on the server and in the browser (the input's min)."""
    for name in names:
        form.fields[name].validators.append(MinValueValidator(0))
        form.fields[name].widget.attrs["min"] = "0"


def row_form(shape: Shape, name: str, **first: forms.Field) -> type[forms.Form]:
    """A form class with the shape's row fields a person fills in (after ``first``, in that order)."""
    fields = first | {f.name: form_field(f) for f in shape.editable}
    return type(name, (forms.Form,), fields)


class NewDeclarationForm(forms.Form):
    """The two things that identify a new declaration: the project and the budget year."""

    name = forms.CharField(label="项目名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    # ticked by default: a continuing project starts from its last approved targets (decision 0022)
    carry = forms.BooleanField(
        label="从上年结转",
        required=False,
        initial=True,
        help_text="本单位已有该项目以前年度已批复的申报表时，带入项目信息、绩效目标和指标（不含资金和日期）。",
    )


class ProjectCodeForm(forms.Form):
    """The project's code (项目编码) as the budget system prints it; empty clears it."""

    code = forms.CharField(label="项目编码", required=False, max_length=PROJECT_CODE_LENGTH)


class DeleteForm(forms.Form):
    """The confirmation of a draft's deletion: the version the person saw, so a draft changed since is kept."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class HeaderForm(KeepsOmittedFields):
    """A record's header form: its fields, widgets and lower bounds from the kind's shape, and the version seen."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    shape: Shape

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # money, points and rates below zero exist on no form (the rows' scores are held the same way)
        refuse_negative(self, non_negative(self.shape))


class DeclarationForm(HeaderForm):
    """The declaration's identity, money requested by source, and goals."""

    shape = DECLARATION

    class Meta:
        model = Declaration
        fields = list(DECLARATION_FIELDS)
        widgets = header_widgets(DECLARATION)

    def clean(self) -> dict[str, object]:
        """The money rows must add up: 当年财政拨款 + 上年结转 + 其他 = 总额."""
        data = super().clean() or {}
        total = data.get("requested_total")
        parts = [data.get(k) for k in ("requested_current", "requested_carryover", "requested_other")]
        if total is not None and any(p is not None for p in parts):
            summed = sum((p for p in parts if p is not None), Decimal(0))
            if summed != total:
                self.add_error("requested_total", f"各来源合计 {summed} 与年度资金申请总额 {total} 不一致。")
        return data


if TYPE_CHECKING:
    # row_form builds the row fields at run time from the shapes; a computed base class is beyond mypy, and what it
    # returns is a Form: that is the base the checker sees
    _IndicatorFields = forms.Form
    _EvaluationRowFields = forms.Form
else:
    _IndicatorFields = row_form(DECLARATION, "IndicatorFields")
    _EvaluationRowFields = row_form(
        SELF_EVALUATION, "EvaluationRowFields", indicator_id=forms.IntegerField(widget=forms.HiddenInput)
    )


class IndicatorForm(_IndicatorFields):
    """One indicator row of the tree editor (its fields: ``shapes.DECLARATION``); its weight within the pack."""

    def __init__(self, *args: Any, pack: RulePack | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pack = pack or load_pack()
        # the browser's own range check says the same as the server's (the input's min and max)
        self.fields["weight"].widget.attrs.update({"min": "0.01", "max": str(self.pack.indicator_weight)})

    def clean_weight(self) -> Decimal | None:
        """A weight no form could print (0, -5, 500) is refused here, as in an adjustment."""
        weight: Decimal | None = self.cleaned_data.get("weight")
        check_weight(weight, self.pack)
        return weight

    # what a person types into a row; 一级指标 is a list that always has a choice, and the editor
    # copies 二级指标 from the row above into an added row
    TYPED = ("name", "target", "weight")

    def has_changed(self) -> bool:
        """True when the row holds anything typed into it: an untouched or emptied row is left out."""
        if not self.is_bound:
            return super().has_changed()
        return any(str(self.data.get(self.add_prefix(name), "")).strip() for name in self.TYPED)

    def as_input(self) -> IndicatorInput:
        """The row for the service."""
        d = self.cleaned_data
        return IndicatorInput(d["level1"], d["level2"], d["name"], d["target"], d.get("weight"))


if TYPE_CHECKING:
    # the formset's form type is for the checker only: Django's BaseFormSet takes no type argument at run time
    _IndicatorRowsBase = forms.BaseFormSet[IndicatorForm]
else:
    _IndicatorRowsBase = forms.BaseFormSet


class IndicatorRows(_IndicatorRowsBase):
    """The indicator editor's rows: a wholly empty row is skipped, a partly filled one is checked.

    A draft saves what was typed, so no number of rows is required here;
    submission asks for at least one indicator (``services.declaration_problems``).
    """

    def get_form_kwargs(self, index: int | None) -> dict[str, object]:
        """Every row may be left empty (Django lets only rows past the initial ones be empty)."""
        # an empty-permitted form may not carry the browser's required attribute (Django refuses both)
        return super().get_form_kwargs(index) | {"empty_permitted": True, "use_required_attribute": False}


IndicatorFormSet = forms.formset_factory(IndicatorForm, formset=IndicatorRows, extra=0, can_delete=True)


class EvaluationForm(HeaderForm):
    """The self-evaluation's money, execution and totals as recorded, and the outcome."""

    shape = SELF_EVALUATION

    class Meta:
        model = SelfEvaluation
        fields = list(EVALUATION_FIELDS)
        widgets = header_widgets(SELF_EVALUATION)


class EvaluationRowForm(_EvaluationRowFields):
    """One approved indicator's actual value, recorded score and notes (its fields: ``shapes.SELF_EVALUATION``)."""

    def as_input(self) -> EvaluationRowInput:
        """The row for the service."""
        d = self.cleaned_data
        return EvaluationRowInput(
            d["indicator_id"],
            d.get("actual") or "",
            d.get("score"),
            d.get("deviation") or "",
            d.get("score_reason") or "",
        )


EvaluationRowFormSet = forms.formset_factory(EvaluationRowForm, extra=0)


class CommentForm(forms.Form):
    """A reviewer's comment on return or approval."""

    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AdjustForm(forms.Form):
    """A recorded adjustment of an approved target or weight."""

    indicator = forms.IntegerField(widget=forms.HiddenInput)
    field = forms.ChoiceField(label="调整项", choices=[("target", "年度指标值"), ("weight", "分值")])
    value = forms.CharField(label="调整后", max_length=300)
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
