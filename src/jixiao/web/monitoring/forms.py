"""Forms of monitoring: opening a round, and the monitoring form (its fields: ``cycle.shapes.MONITORING``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MinValueValidator

from jixiao.web.cycle.forms import row_form
from jixiao.web.cycle.shapes import MONITORING
from jixiao.web.forms import DateInput, KeepsOmittedFields
from jixiao.web.monitoring.models import MonitoringRecord
from jixiao.web.monitoring.services import RECORD_FIELDS, MonitoringRowInput
from jixiao.web.orgs.models import Organization


class OpenRoundForm(forms.Form):
    """A new monitoring round: year, monitoring date, due date, and (for the finance bureau) the departments."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    as_of = forms.DateField(label="监控截止日期（截至监控日）", widget=DateInput())
    due = forms.DateField(label="填报截止日期", widget=DateInput())
    departments = forms.ModelMultipleChoiceField(
        label="监控范围（主管部门，不选为全部）",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is None:  # a department opens a round for its own units: nothing to choose
            del self.fields["departments"]
        else:
            field = self.fields["departments"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = departments


class MonitoringForm(KeepsOmittedFields):
    """The form's money (年度预算数, 截至监控日执行数, 全年预计执行数) and the goal's completion so far."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = MonitoringRecord
        fields = list(RECORD_FIELDS)
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}

    MONEY = ("budget_total", "executed_to_date", "forecast_total")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.MONEY:  # money below zero exists on no form; the browser says so before the server
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.01"})
        if self.instance.execution_import_id is not None:  # the payment system's figure: shown, not typed
            self.fields["executed_to_date"].disabled = True


MonitoringRowFields: Any = row_form(
    MONITORING, "MonitoringRowFields", indicator_id=forms.IntegerField(widget=forms.HiddenInput)
)


class MonitoringRowForm(MonitoringRowFields):  # type: ignore[misc]  # a form class built from the shape
    """One approved indicator's monitoring (the fields a unit fills: ``shapes.MONITORING``)."""

    def as_input(self) -> MonitoringRowInput:
        """The row for the service."""
        d = self.cleaned_data
        return MonitoringRowInput(
            d["indicator_id"],
            d.get("actual") or "",
            d.get("forecast") or "",
            tuple(d.get("cause") or ()),
            d.get("deviation") or "",
            d.get("likelihood") or "",
            d.get("remedy") or "",
        )


MonitoringRowFormSet = forms.formset_factory(MonitoringRowForm, extra=0)
