"""The assessment pages' forms: every figure checked here as in the services (ranges, fen, marks)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from jixiao.core.scoring.exante import ExanteRules
from jixiao.web.orgs.models import Organization

MONEY_MAX = Decimal("9999999999999999.99")  # the money columns' 18 digits


class NewAssessmentForm(forms.Form):
    """A new assessment: the declaration (among those the organiser may assess) and the panel's size."""

    declaration = forms.TypedChoiceField(label="绩效目标申报表", coerce=int)
    panel_size = forms.IntegerField(label="专家人数", min_value=1, max_value=15, initial=3)
    summary = forms.CharField(label="评估内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["declaration"].choices = choices  # type: ignore[attr-defined]


class DrawForm(forms.Form):
    """The draw: an optional field of expertise the experts must have."""

    field = forms.CharField(label="专业领域要求（可不填）", max_length=60, required=False)


class ConcludeForm(forms.Form):
    """The organiser's opinion; the conclusion itself comes from the rule pack."""

    opinion = forms.CharField(label="评估意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class AdjustmentsForm(forms.Form):
    """What the unit adjusted after 调整完善后予以支持."""

    adjustments = forms.CharField(label="调整完善内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ScoreForm(forms.Form):
    """An expert's sheet: one number per point, bounded by its marks, and their comment."""

    comment = forms.CharField(label="专家意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: object, rules: ExanteRules, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rules = rules
        for q in rules.questions:
            self.fields[f"q-{q.key}"] = forms.DecimalField(
                label=q.text, min_value=Decimal(0), max_value=q.weight, decimal_places=2, max_digits=5
            )

    def scores(self) -> dict[str, str]:
        """The sheet as the service takes it (point key -> score text)."""
        return {q.key: str(self.cleaned_data[f"q-{q.key}"]) for q in self.rules.questions}


class ExpertForm(forms.Form):
    """An expert of the pool, with the login they score in (an account holding the 评审专家 role)."""

    name = forms.CharField(label="姓名", max_length=60)
    fields_text = forms.CharField(label="专业领域（顿号分隔）", max_length=200)
    affiliation = forms.CharField(label="工作单位", max_length=200)
    title = forms.CharField(label="职称", max_length=60, required=False)
    department = forms.ModelChoiceField(
        label="所在部门（同部门回避）", queryset=Organization.objects.none(), required=False
    )
    conflicts = forms.ModelMultipleChoiceField(
        label="申报的利益冲突单位", queryset=Organization.objects.none(), required=False
    )
    conflict_note = forms.CharField(label="利益冲突说明", max_length=500, required=False)
    user = forms.TypedChoiceField(label="登录账户（评审专家角色）", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: object, accounts: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        orgs = Organization.objects.order_by("kind", "name")
        self.fields["department"].queryset = orgs.filter(kind=Organization.Kind.DEPARTMENT)  # type: ignore[attr-defined]
        self.fields["conflicts"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["user"].choices = [("", "（暂不关联）"), *accounts]  # type: ignore[attr-defined]
