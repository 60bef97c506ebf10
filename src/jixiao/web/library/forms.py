"""The curation forms of the library pages (finance bureau only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from jixiao.core.library.tables import framework
from jixiao.web.library.models import LibraryEntry
from jixiao.web.orgs.models import Organization

YEAR_MIN, YEAR_MAX = 2000, 2100


def level1_choices() -> list[tuple[str, str]]:
    """The 101号 framework's level-1 classes, for the browse filter and the edit form."""
    return [("", "（不限）"), *((c, c) for c in framework().classes)]


class EntryForm(forms.ModelForm[LibraryEntry]):
    """The fields of an entry a person sets; each one set is kept by later refreshes."""

    reason = forms.CharField(label="修改理由", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    sectors_text = forms.CharField(label="行业领域（以顿号或逗号分隔）", required=False, max_length=200)

    class Meta:
        model = LibraryEntry
        fields = [
            "name",
            "level1",
            "level2",
            "unit",
            "direction",
            "value_description",
            "scoring_method",
            "valid_from",
            "valid_to",
            "owner",
        ]
        widgets = {
            "value_description": forms.Textarea(attrs={"rows": 2}),
            "scoring_method": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("name")
        owner.empty_label = "财政部门"
        self.fields["sectors_text"].initial = "、".join(self.instance.sectors or [])
        for name in ("valid_from", "valid_to"):
            field = self.fields[name]
            assert isinstance(field, forms.IntegerField)
            field.widget.attrs.update(min=YEAR_MIN, max=YEAR_MAX)
            field.validators += [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError("指标名称不能为空。")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and start > end:
            self.add_error("valid_to", f"有效截止年度 {end} 早于起始年度 {start}。")
        text = str(data.get("sectors_text") or "")
        data["sectors"] = [s for s in text.replace("，", "、").replace(",", "、").split("、") if s.strip()]
        return data

    def values(self) -> dict[str, Any]:
        """The curated values as the service takes them."""
        names = [*self.Meta.fields, "sectors"]
        return {n: self.cleaned_data[n] for n in names}


class ReasonForm(forms.Form):
    """Retire, restore, promote, demote: a reason (required for retiring)."""

    reason = forms.CharField(label="理由", required=False, max_length=500)


class MergeForm(forms.Form):
    """Merge this entry into another, named by its code."""

    into = forms.CharField(label="并入条目的编码", max_length=20)
    reason = forms.CharField(label="合并理由", max_length=500)

    def clean_into(self) -> LibraryEntry:
        code = str(self.cleaned_data["into"]).strip().upper()
        entry = LibraryEntry.objects.filter(code=code, merged_into__isnull=True).first()
        if entry is None:
            raise forms.ValidationError(f"没有编码为“{code}”的在用条目。")
        return entry
