"""Forms of 整改事项: opening one, the unit's answer, the reviewer's accept / reopen / cancel, the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from jixiao.web.rectification.models import Rectification

FINDING, PROPOSAL, ACTION = "finding:", "proposal:", "action:"  # the prefixes of what an item follows


class OpenItemForm(forms.Form):
    """What the item follows, what to fix and by when (the project and year come with the page)."""

    project = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.HiddenInput)
    follows = forms.ChoiceField(label="针对", required=False)
    task = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    due = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follows"].choices = choices  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    """The unit's answer: what was fixed (the evidence files come beside it, ``files``)."""

    answer = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class ConcludeForm(forms.Form):
    """The reviewer's comment: optional to accept, required to reopen or cancel (the services say so)."""

    comment = forms.CharField(label="意见", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class FilterForm(forms.Form):
    """The filters of the list of items."""

    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Rectification.State.choices])
    department = forms.TypedChoiceField(label="主管部门", required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label="仅看逾期", required=False)
    q = forms.CharField(label="项目或单位", required=False, max_length=100)

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "全部"), *departments]  # type: ignore[attr-defined]


def errors_named(form: forms.Form) -> list[str]:
    """A refused form's errors, each naming its field by its label."""
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [f"{label}：{e}" if label else str(e) for e in errors]
    return out
