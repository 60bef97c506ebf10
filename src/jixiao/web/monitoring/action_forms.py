"""Forms of the actions that follow monitoring alerts: raising one, doing it, concluding it, adjusting through it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from jixiao.web.monitoring.action_models import MonitoringAction
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord

ALERT, ROW = "alert:", "row:"  # the prefixes of what an action follows, on the raise form's choice


def follows_choices(rec: MonitoringRecord, findings: list[MonitoringFinding]) -> list[tuple[str, str]]:
    """What an action may follow: the whole form, one of its alerts (warnings and errors), or one indicator row."""
    from jixiao.web.monitoring.services import alert_key

    names = [r.indicator.name for r in rec.rows.select_related("indicator")]
    choices = [("", "整张监控表")]
    for f in findings:
        if f.severity in ("warning", "error"):
            index = f.indicator_index
            where = f"第{index + 1}行「{names[index]}」：" if index is not None and index < len(names) else ""
            choices.append((ALERT + alert_key(f), f"预警 · {where}{f.message}"[:200]))
    choices += [(f"{ROW}{r.pk}", f"指标 · 第{n}行「{r.indicator.name}」") for n, r in enumerate(_rows(rec), start=1)]
    return choices


def _rows(rec: MonitoringRecord) -> list[Any]:
    return list(rec.rows.select_related("indicator"))


class RaiseActionForm(forms.Form):
    """What must follow: its kind, what it follows, what to do, by when; the amount and reason where they apply."""

    kind = forms.ChoiceField(label="整改类型", choices=MonitoringAction.Kind.choices)
    follows = forms.ChoiceField(label="针对", required=False)
    task = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    due = forms.DateField(label="完成期限", widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label="建议调减金额（元）",
        required=False,
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        help_text="仅“调减或收回预算”填写，精确到分。",
    )
    reason = forms.CharField(
        label="理由",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="“调减或收回预算”和“调整绩效目标”必填；调整绩效目标时作为调整理由记录。",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follows"].choices = choices  # type: ignore[attr-defined]


class SubmitActionForm(forms.Form):
    """The owner's report: what was done; the finance bureau's decision on a proposed reduction."""

    evidence = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    decision = forms.ChoiceField(
        label="财政意见",
        required=False,
        choices=[("", "请选择"), *[(v, label) for v, label in MonitoringAction.Decision.choices if v]],
    )


class ConcludeForm(forms.Form):
    """The raising side's comment on closing or reopening (required to reopen)."""

    comment = forms.CharField(label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    """The raising side's reason for cancelling an action (撤销), required."""

    reason = forms.CharField(label="撤销理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ActionAdjustForm(forms.Form):
    """One approved target or weight changed through a 调整绩效目标 action (its reason is the action's)."""

    indicator = forms.IntegerField(label="指标")
    field = forms.ChoiceField(label="调整项", choices=[("target", "年度指标值"), ("weight", "分值")])
    value = forms.CharField(label="调整后", max_length=300)


class ActionFilterForm(forms.Form):
    """The filters of a round's actions list."""

    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部"), *MonitoringAction.Kind.choices])
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *MonitoringAction.State.choices])
    owner = forms.ChoiceField(label="责任方", required=False, choices=[("", "全部"), *MonitoringAction.Owner.choices])
    department = forms.TypedChoiceField(label="主管部门", required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label="仅看逾期", required=False)
    q = forms.CharField(label="项目或单位", required=False, max_length=100)

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "全部"), *departments]  # type: ignore[attr-defined]
