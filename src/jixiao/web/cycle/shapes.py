"""The shape of each record of the cycle, declared once: its header fields and its row fields.

A record kind (declaration, self-evaluation, the transfer payment's
self-evaluation) is a :class:`Shape`: the header fields a person sets, and
for each indicator row the fields with their type, width (``maxlength``),
precision (decimal places, the input's ``step``), Chinese label, whether
they are required, and the core attribute they map to. The Django forms
(:mod:`jixiao.web.cycle.forms`), the row HTML (:mod:`jixiao.web.cycle.html`),
the preview's parsing of ``row-{n}-…`` keys, the Document <-> rows mapping
(:mod:`jixiao.web.cycle.documents`, the loader) and the browser script's
field list all read it; adding a record kind (monitoring next) is one more
``Shape`` here plus its rules (decision 0012).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from jixiao.core.model import DEVIATION_CAUSES, GRADES, LIKELIHOODS, MONEY_UNITS, Execution, FundRow, Project
from jixiao.web.numbers import form_decimal

FieldType = Literal["text", "textarea", "decimal", "choice", "multichoice", "date"]


@dataclass(frozen=True)
class Field:
    """One field of a record or of its rows."""

    name: str
    label: str
    type: FieldType = "text"
    width: int | None = None  # the input's maxlength (text) or the column's digits (decimal)
    places: int = 2  # decimal places of a decimal: the input's step
    required: bool = False  # on the form
    blank: bool = True  # a stored row may hold it empty (None in the core); False: never
    minimum: Decimal | None = None
    # the core attribute it maps to; None: web only. A row field names an Indicator attribute, a header
    # field a path into the Project: "goal", "funds.total.requested" (a money row's column), "execution.weight"
    core: str | None = None
    rows: int = 2  # a textarea's height
    choices: tuple[str, ...] = ()  # a choice's values (each its own label)
    also: tuple[str, ...] = ()  # header: further core paths holding the same value (read from the first filled)
    form: bool = True  # header: a person sets it on the web form; False: it comes from files, kept as it came
    readonly: bool = False  # row: shown on the form, never posted: copied from the approved declaration

    @property
    def paths(self) -> tuple[str, ...]:
        """Every core path the field's value goes to: ``core`` first, then ``also``."""
        return (self.core, *self.also) if self.core else ()

    @property
    def step(self) -> str:
        """The ``step`` of a number input: one unit of the last decimal place (0.01 for two places)."""
        return str(Decimal(1).scaleb(-self.places))

    @property
    def digits(self) -> tuple[int, int]:
        """(max_digits, decimal_places) of a decimal field."""
        return (self.width or 18, self.places)


@dataclass(frozen=True)
class Shape:
    """A record kind: the fields of its header and of each of its indicator rows."""

    kind: str
    label: str
    header: tuple[Field, ...]
    rows: tuple[Field, ...]
    prefix: str = "row"  # the form's row prefix: row inputs are named {prefix}-{n}-{field}
    roles: tuple[tuple[str, str], ...] = ()  # (what the browser script does with it, row field) pairs

    @property
    def header_names(self) -> tuple[str, ...]:
        """The header fields a person sets on the web form, in the form's order."""
        return tuple(f.name for f in self.header if f.form)

    @property
    def money(self) -> tuple[str, ...]:
        """The header's money columns (exact to the fen, in the record's unit): its amounts in a funds row."""
        return tuple(f.name for f in self.header if f.type == "decimal" and f.width == MONEY_DIGITS)

    def header_field(self, name: str) -> Field:
        """The header field called ``name``."""
        return next(f for f in self.header if f.name == name)

    @property
    def row_names(self) -> tuple[str, ...]:
        """The row fields' names, in the form's order."""
        return tuple(f.name for f in self.rows)

    @property
    def editable(self) -> tuple[Field, ...]:
        """The row fields a person fills in (the read-only ones come from the approved declaration)."""
        return tuple(f for f in self.rows if not f.readonly)

    def row(self, name: str) -> Field:
        """The row field called ``name``."""
        return next(f for f in self.rows if f.name == name)

    def core_rows(self) -> dict[str, str]:
        """Row field -> core ``Indicator`` attribute, for the fields the core knows."""
        return {f.name: f.core for f in self.editable if f.core}

    def script_fields(self) -> str:
        """The rows for the browser script, as JSON for a data attribute (CSP-safe: no inline script).

        ``prefix``, ``fields`` (name, type, label, required-ness) and ``roles``: which field the script
        fills or checks (``score``: 采用建议分 writes it; ``reason``: required when the score differs).
        """
        return json.dumps(
            {
                "prefix": self.prefix,
                "fields": [
                    {"name": f.name, "type": f.type, "label": f.label, "required": f.required} for f in self.editable
                ],
                "roles": dict(self.roles),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )


def row_to_core(shape: Shape, row: Any, number: Callable[[Any, str], Decimal | None]) -> dict[str, Any]:
    """A stored row's values as the core ``Indicator`` takes them (``number`` reads a decimal as printed).

    A field never stored empty is the core's as it is; an empty one that may be is None there. A
    read-only field is the approved indicator's, which the caller reads from the declaration.
    """
    out: dict[str, Any] = {}
    for f in shape.editable:
        if f.core is None:
            continue
        if f.type == "decimal":
            out[f.core] = number(row, f.name)
        elif f.type == "multichoice":
            out[f.core] = tuple(getattr(row, f.name) or ()) or None
        else:
            value = getattr(row, f.name)
            out[f.core] = (value or None) if f.blank else value
    return out


def core_to_row(shape: Shape, indicator: Any) -> dict[str, Any]:
    """A core ``Indicator``'s values as a stored row's columns (text columns hold "" for none, lists [])."""
    out: dict[str, Any] = {}
    for f in shape.editable:
        if f.core is None:
            continue
        value = getattr(indicator, f.core)
        if f.type == "multichoice":
            out[f.name] = list(value or ())
        else:
            out[f.name] = value if f.type == "decimal" else (value or "")
    return out


def with_values(project: Project, values: Mapping[str, Any]) -> Project:
    """``project`` with the values at their core paths (``goal``, ``funds.total.requested``, ``execution.weight``).

    A money row left with no figure is no row (as a form that prints none); an execution path makes the
    project's 预算执行率 row, empty or not (the self-evaluation's form always has it).
    """
    rows: dict[str, FundRow | None] = {}
    execution = project.execution
    attrs: dict[str, Any] = {}
    for path, value in values.items():
        head, _, rest = path.partition(".")
        if head == "funds":
            key, column = rest.split(".")
            row = rows[key] if key in rows else getattr(project.funds, key)
            rows[key] = replace(row or FundRow(), **{column: value})
        elif head == "execution":
            execution = replace(execution or Execution(), **{rest: value})
        else:
            attrs[path] = value
    if rows:
        filled = {k: (None if row is None or row.is_empty() else row) for k, row in rows.items()}
        attrs["funds"] = replace(project.funds, **filled)
    if execution is not project.execution:
        attrs["execution"] = execution
    return replace(project, **attrs)


def header_to_core(shape: Shape, record: Any, number: Callable[[Any, str], Decimal | None]) -> dict[str, Any]:
    """A stored record's header as values at their core paths (``number`` reads a decimal as printed)."""
    out: dict[str, Any] = {}
    for f in shape.header:
        if not f.paths:
            continue
        if f.type == "decimal":
            value: Any = number(record, f.name)
        elif f.type == "date":
            stored = getattr(record, f.name)
            value = stored.isoformat() if stored else None
        else:
            value = getattr(record, f.name) or None
        out.update(dict.fromkeys(f.paths, value))
    return out


def core_to_header(shape: Shape, project: Project) -> dict[str, Any]:
    """A core project's values as a stored record's header columns (text columns hold "" for none).

    A field with several paths takes the first one filled (the self-evaluation's rate: the 预算执行率
    row's, else the total row's); a date that is not ``YYYY-MM-DD`` is none.
    """
    out: dict[str, Any] = {}
    for f in shape.header:
        if not f.paths:
            continue
        value = next((v for v in (_at(project, p) for p in f.paths) if v is not None), None)
        if f.type == "decimal":
            out[f.name] = value
        elif f.type == "date":
            out[f.name] = _iso_date(value)
        else:
            out[f.name] = value or ""
    return out


def posted_header(shape: Shape, post: Mapping[str, Any], project: Project) -> Project:
    """``project`` with the header as the form posts it, read exactly as the save would keep it.

    A field the post lacks keeps the project's value (as the save keeps an omitted field); a number the
    column would refuse is none, text is cut to its width, a date that is not ``YYYY-MM-DD`` is none.
    """
    values: dict[str, Any] = {}
    for f in shape.header:
        if not (f.form and f.paths) or f.name not in post:
            continue
        typed = post.get(f.name) or ""
        if f.type == "decimal":
            value: Any = form_decimal(typed, *f.digits)
        elif f.type == "date":
            parsed = _iso_date(typed)
            value = parsed.isoformat() if parsed else None
        else:
            value = (typed[: f.width] if f.width else typed) or None
        values.update(dict.fromkeys(f.paths, value))
    return with_values(project, values)


def _at(project: Project, path: str) -> Any:
    """The value at a core path of ``project`` (None where a row or the execution block is absent)."""
    value: Any = project
    for part in path.split("."):
        value = getattr(value, part, None) if value is not None else None
    return value


def _iso_date(text: object) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def posted_row(shape: Shape, post: Mapping[str, Any], prefix: str, stored: Any) -> dict[str, Any]:
    """A row as the form posts it (``{prefix}-{field}`` keys), as the core ``Indicator``'s values.

    Read exactly as the save would keep it: a number the column would refuse (``NaN``, ``1e999999``,
    too many digits) is no number, text is cut to its width, a choice not offered is none. A text input
    the post lacks keeps the stored value (``stored``, a core ``Indicator``); an absent number, text
    area or set of boxes is empty.
    """
    out: dict[str, Any] = {}
    for f in shape.editable:
        if f.core is None:
            continue
        key = f"{prefix}-{f.name}"
        if f.type == "decimal":
            out[f.core] = form_decimal(post.get(key), *f.digits)
        elif f.type == "textarea":
            out[f.core] = post.get(key) or None
        elif f.type == "multichoice":
            ticked = post.getlist(key) if hasattr(post, "getlist") else post.get(key) or []
            out[f.core] = tuple(c for c in f.choices if c in ticked) or None  # in the form's order, each once
        elif f.type == "choice" and f.choices:
            chosen = post.get(key, getattr(stored, f.core) or "") or ""
            out[f.core] = chosen if chosen in f.choices else None
        else:
            typed = post.get(key, getattr(stored, f.core) or "") or ""
            out[f.core] = (typed[: f.width] if f.width else typed) or None
    return out


SCORE_DIGITS = 7  # points and rates: 7 digits, 2 places (cycle.models.SCORE)
MONEY_DIGITS = 18  # money: 18 digits, 2 places (cycle.models.MONEY)

LEVEL1 = ("成本指标", "产出指标", "效益指标", "满意度指标")  # the four level-1 indicators of every form


def _money(name: str, label: str, path: str, *, form: bool = True) -> Field:
    """A money column of the header: 18 digits, exact to the fen, at a funds row's column."""
    return Field(name, label, "decimal", width=MONEY_DIGITS, minimum=Decimal(0), core=path, form=form)


def _points(name: str, label: str, path: str | None, *, also: tuple[str, ...] = (), form: bool = True) -> Field:
    """A score, weight or rate of the header: 7 digits, two places, never below zero."""
    return Field(name, label, "decimal", width=SCORE_DIGITS, minimum=Decimal(0), core=path, also=also, form=form)


_MONEY_UNIT = Field("money_unit", "金额单位", "choice", width=4, blank=False, core="money_unit", choices=MONEY_UNITS)
DECLARATION = Shape(
    kind="declaration",
    label="绩效目标申报表",
    header=(
        Field("nature", "项目性质", width=60, core="nature"),
        Field("category", "项目类别", width=60, core="category"),
        Field("start_date", "计划开始日期", "date", core="start_date"),
        Field("end_date", "计划完成日期", "date", core="end_date"),
        _MONEY_UNIT,
        _money("requested_total", "年度资金申请总额", "funds.total.requested"),
        _money("requested_current", "其中：当年财政拨款", "funds.current_appropriation.requested"),
        _money("requested_carryover", "上年结转资金", "funds.carryover.requested"),
        _money("requested_other", "其他资金", "funds.other.requested"),
        Field("overall_goal", "项目总目标", "textarea", core="overall_goal", rows=3),
        Field("goal", "年度总体目标", "textarea", core="goal", rows=4),
    ),
    prefix="ind",
    # the editor copies a row's levels into the row added under it; the target is read as it is typed
    roles=(("levels", "level1 level2"), ("target", "target"), ("name", "name"), ("weight", "weight")),
    rows=(
        Field("level1", "一级指标", "choice", width=40, required=True, blank=False, core="level1", choices=LEVEL1),
        Field("level2", "二级指标", width=60, required=True, core="level2"),
        Field("name", "三级指标", width=300, required=True, blank=False, core="name"),
        Field("target", "年度指标值", width=300, required=True, core="target"),
        Field("weight", "分值", "decimal", width=SCORE_DIGITS, core="weight"),
    ),
)

# the four sources of the self-evaluation's money block, each with its row and label
_SOURCES = (
    ("total", "total", ""),
    ("current", "current_appropriation", "当年财政拨款·"),
    ("carryover", "carryover", "上年结转资金·"),
    ("other", "other", "其他资金·"),
)
_PHASES = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))
_EVALUATION_HEADER = (
    _MONEY_UNIT,
    *(
        _money(f"{phase}_{short}", f"{prefix}{label}", f"funds.{row}.{phase}")
        for short, row, prefix in _SOURCES
        for phase, label in _PHASES
    ),
    # the 预算执行率 row's rate is the total row's too; loading takes the execution row's first
    _points("rate_pct", "执行率（%）", "execution.rate_pct", also=("funds.total.rate_pct",)),
    _points("execution_weight", "预算执行率分值", "execution.weight"),
    _points("execution_score", "预算执行率得分", "execution.score"),
    Field("outcome", "实际完成情况", "textarea", core="outcome", rows=4),
    _points("total_score", "总分", "total_score"),
    Field("grade", "评分等级", "choice", width=2, core="grade", choices=GRADES),
    # the rows by source and the transfer form's central and local funds come only from files
    *(
        _points(f"rate_{short}", f"{prefix}执行率", f"funds.{row}.rate_pct", form=False)
        for short, row, prefix in _SOURCES[1:]
    ),
    _money("adjusted_central", "中央财政资金·全年预算数", "funds.central.adjusted", form=False),
    _money("executed_central", "中央财政资金·全年执行数", "funds.central.executed", form=False),
    _points("rate_central", "中央财政资金·执行率", "funds.central.rate_pct", form=False),
    _money("adjusted_local", "地方资金·全年预算数", "funds.local.adjusted", form=False),
    _money("executed_local", "地方资金·全年执行数", "funds.local.executed", form=False),
    _points("rate_local", "地方资金·执行率", "funds.local.rate_pct", form=False),
)
SELF_EVALUATION = Shape(
    kind="self_evaluation",
    label="绩效自评表",
    header=_EVALUATION_HEADER,
    roles=(("score", "score"), ("reason", "score_reason")),
    rows=(
        Field("actual", "实际完成值", width=300, core="actual"),
        Field("score", "得分", "decimal", width=SCORE_DIGITS, minimum=Decimal(0), core="score"),
        Field("deviation", "偏差原因分析及改进措施", "textarea", core="deviation"),
        Field("score_reason", "得分理由", "textarea"),  # the web's own: no printed form has it
    ),
)


def _without_execution(field: Field) -> Field:
    """The field without its paths into the 预算执行率 row, which the transfer payment's form does not print."""
    paths = tuple(p for p in field.paths if not p.startswith("execution."))
    return replace(field, core=paths[0] if paths else None, also=paths[1:])


# the transfer payment's self-evaluation is filed on the same web form; its printed form has no 预算执行率
# row (its rate is the total row's) and adds the central and local money rows
TRANSFER_SELF_EVALUATION = Shape(
    kind="transfer_self_evaluation",
    label="转移支付绩效自评表",
    header=tuple(_without_execution(f) for f in _EVALUATION_HEADER),
    roles=SELF_EVALUATION.roles,
    rows=SELF_EVALUATION.rows,
)
# 项目支出绩效目标执行监控表 (财预〔2019〕136号 附件): the approved targets, read-only, and per indicator
# what is done by the monitoring date, the year's forecast, why it deviates and what is done about it
MONITORING = Shape(
    kind="monitoring",
    label="项目支出绩效目标执行监控表",
    header=(
        _MONEY_UNIT,
        _money("budget_total", "年度预算数", "funds.total.adjusted"),
        _money("executed_to_date", "截至监控日执行数", "funds.total.executed"),
        _money("forecast_total", "全年预计执行数", "funds.total.forecast"),
        Field("outcome", "截至监控日完成情况", "textarea", core="outcome", rows=4),
    ),
    prefix="row",
    roles=(("likelihood", "likelihood"), ("remedy", "remedy")),
    rows=(
        Field("level1", "一级指标", width=40, readonly=True),
        Field("level2", "二级指标", width=60, readonly=True),
        Field("name", "三级指标", width=300, readonly=True),
        Field("target", "年度指标值", width=300, readonly=True),
        Field("actual", "截至监控日完成值", width=300, core="actual"),
        Field("forecast", "全年预计完成值", width=300, core="forecast"),
        Field("cause", "偏差原因类型", "multichoice", core="cause", choices=DEVIATION_CAUSES),
        Field("deviation", "偏差原因分析", "textarea", width=2000, core="deviation"),
        Field("likelihood", "完成目标可能性", "choice", width=10, core="likelihood", choices=LIKELIHOODS),
        Field("remedy", "纠偏措施", "textarea", width=2000, core="remedy"),
    ),
)
MONITORING_MONEY = MONITORING.money
SHAPES = {s.kind: s for s in (DECLARATION, SELF_EVALUATION, TRANSFER_SELF_EVALUATION, MONITORING)}
