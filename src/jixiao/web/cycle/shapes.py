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
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from jixiao.core.model import DEVIATION_CAUSES, LIKELIHOODS
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
    core: str | None = None  # the core Indicator/Project attribute it maps to; None: web only
    rows: int = 2  # a textarea's height
    choices: tuple[str, ...] = ()  # a choice's values (each its own label)
    readonly: bool = False  # shown on the form, never posted: copied from the approved declaration

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
    header: tuple[str, ...]
    rows: tuple[Field, ...]
    money: tuple[str, ...] = ()  # the header's money columns (exact to the fen, in the record's unit)
    prefix: str = "row"  # the form's row prefix: row inputs are named {prefix}-{n}-{field}
    roles: tuple[tuple[str, str], ...] = ()  # (what the browser script does with it, row field) pairs

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
DECLARATION = Shape(
    kind="declaration",
    label="绩效目标申报表",
    header=(
        "nature",
        "category",
        "start_date",
        "end_date",
        "money_unit",
        "requested_total",
        "requested_current",
        "requested_carryover",
        "requested_other",
        "overall_goal",
        "goal",
    ),
    money=("requested_total", "requested_current", "requested_carryover", "requested_other"),
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

_EVALUATION_MONEY = tuple(
    f"{phase}_{source}"
    for source in ("total", "current", "carryover", "other")
    for phase in ("initial", "adjusted", "executed")
)
SELF_EVALUATION = Shape(
    kind="self_evaluation",
    label="绩效自评表",
    header=(
        "money_unit",
        *_EVALUATION_MONEY,
        "rate_pct",
        "execution_weight",
        "execution_score",
        "outcome",
        "total_score",
        "grade",
    ),
    money=_EVALUATION_MONEY,
    roles=(("score", "score"), ("reason", "score_reason")),
    rows=(
        Field("actual", "实际完成值", width=300, core="actual"),
        Field("score", "得分", "decimal", width=SCORE_DIGITS, minimum=Decimal(0), core="score"),
        Field("deviation", "偏差原因分析及改进措施", "textarea", core="deviation"),
        Field("score_reason", "得分理由", "textarea"),  # the web's own: no printed form has it
    ),
)
# the transfer payment's self-evaluation is filed on the same web form; its printed form adds the
# central and local money rows, which come only from files (the loader) and are kept as they came
TRANSFER_SELF_EVALUATION = Shape(
    kind="transfer_self_evaluation",
    label="转移支付绩效自评表",
    header=SELF_EVALUATION.header,
    roles=SELF_EVALUATION.roles,
    money=(*SELF_EVALUATION.money, "adjusted_central", "executed_central", "adjusted_local", "executed_local"),
    rows=SELF_EVALUATION.rows,
)
# 项目支出绩效目标执行监控表 (财预〔2019〕136号 附件): the approved targets, read-only, and per indicator
# what is done by the monitoring date, the year's forecast, why it deviates and what is done about it
MONITORING_MONEY = ("budget_total", "executed_to_date", "forecast_total")
MONITORING = Shape(
    kind="monitoring",
    label="项目支出绩效目标执行监控表",
    header=("money_unit", *MONITORING_MONEY, "outcome"),
    money=MONITORING_MONEY,
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
SHAPES = {s.kind: s for s in (DECLARATION, SELF_EVALUATION, TRANSFER_SELF_EVALUATION, MONITORING)}
