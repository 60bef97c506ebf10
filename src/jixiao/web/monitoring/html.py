"""The monitoring form's rows, written from the shape (``cycle.shapes.MONITORING``): one input per editable field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from jixiao.core.review import Finding
from jixiao.core.workflow import State
from jixiao.web.cycle.html import findings_html
from jixiao.web.cycle.shapes import MONITORING, Field
from jixiao.web.monitoring.views.progress import Progress
from jixiao.web.notices.overdue import pick_cell


def _errors(errors: Any) -> SafeString:
    return format_html_join("", '<div class="error">{}</div>', ((e,) for e in errors or ()))


def field_input(field: Field, prefix: str, name: str, value: Any, errors: Any = ()) -> SafeString:
    """One row input of ``field`` (named ``{prefix}-{field}``), labelled by the indicator ``name`` and the field."""
    ident = f"{prefix}-{field.name}"
    label = f"{name} {field.label}"
    invalid = mark_safe(' aria-invalid="true"' if errors else "")
    if field.type == "multichoice":
        ticked = set(value or ())
        boxes = format_html_join(
            "",
            '<label class="check"><input type="checkbox" name="{}" value="{}" id="id_{}-{}"{}> {}</label>',
            (
                (ident, c, ident, n, mark_safe(" checked") if c in ticked else "", c)
                for n, c in enumerate(field.choices)
            ),
        )
        return format_html('<fieldset class="checks" aria-label="{}">{}</fieldset>{}', label, boxes, _errors(errors))
    if field.type == "choice":
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((c, mark_safe(" selected") if c == value else "", c) for c in field.choices),
        )
        return format_html(
            '<select name="{}" id="id_{}" aria-label="{}"{}><option value="">—</option>{}</select>{}',
            ident,
            ident,
            label,
            invalid,
            options,
            _errors(errors),
        )
    if field.type == "textarea":
        return format_html(
            '<textarea name="{}" id="id_{}" rows="{}" cols="30" maxlength="{}" aria-label="{}"{}>{}</textarea>{}',
            ident,
            ident,
            field.rows,
            field.width or "",
            label,
            invalid,
            value or "",
            _errors(errors),
        )
    return format_html(
        '<input type="text" name="{}" id="id_{}" value="{}" maxlength="{}" aria-label="{}"{}>{}',
        ident,
        ident,
        value or "",
        field.width or "",
        label,
        invalid,
        _errors(errors),
    )


def rows_html(table: Iterable[tuple[Any, dict[str, Any], Sequence[Finding]]]) -> SafeString:
    """The form's indicator rows: (stored row, its inputs ``{"prefix", "values", "errors"}``, its findings) each.

    The approved indicator's levels, name and target are shown, never posted; every other field is an
    input written from its shape field, in the shape's order.
    """
    out = []
    for n, (row, f, findings) in enumerate(table):
        indicator, values, errors = row.indicator, f["values"], f["errors"]
        shown = format_html_join(
            "",
            '<td class="readonly">{}</td>',
            ((getattr(indicator, field.name) or "",) for field in MONITORING.rows if field.readonly),
        )
        inputs = format_html_join(
            "",
            "<td>{}</td>",
            (
                (field_input(field, f["prefix"], indicator.name, values.get(field.name), errors.get(field.name)),)
                for field in MONITORING.editable
            ),
        )
        out.append(
            format_html(
                '<tr class="monitoring-row" data-index="{}">{}{}'
                '<td class="row-findings" aria-live="polite">{}'
                '<input type="hidden" name="{}-indicator_id" value="{}" id="id_{}-indicator_id"></td></tr>',
                n,
                shown,
                inputs,
                findings_html(findings),
                f["prefix"],
                values.get("indicator_id"),
                f["prefix"],
            )
        )
    return mark_safe("\n".join(out))


# A round's listed forms (monitoring/round_detail.html): {pick} the reviewer's batch checkbox cell, if any.
ROUND_ROW = (
    '<tr>{pick}<td><a href="{url}{pk}/">{name}</a></td><td>{department}</td><td>{unit}</td>'
    '<td class="num">{alerts}</td><td><span class="state state-{state}">{state_label}</span></td></tr>'
)


def round_rows_html(rows: Iterable[dict[str, Any]], record_url: str, pickable: str | None) -> SafeString:
    """The rows of a round's form list, written here rather than by a template include per row (the page's cost).

    ``rows`` are values (pk, name, department, unit, alerts, state, the_version); ``pickable`` is the
    state a reviewer may tick for batch approval (None: no checkbox column).
    """
    return format_html_join(
        "\n",
        ROUND_ROW,
        (
            {
                "pick": pick_cell(r, pickable),
                "url": record_url,
                "pk": r["pk"],
                "name": r["name"],
                "department": r["department"],
                "unit": r["unit"],
                "alerts": r["alerts"],
                "state": r["state"],
                "state_label": State(r["state"]).label,
            }
            for r in rows
        ),
    )


# A round's progress line (monitoring/round_detail.html, 填报进度); the last, the 合计 line, marked as the total.
PROGRESS_ROW = (
    '<tr{total}><th>{department}</th><td class="num">{all}</td><td class="num">{filed}</td>'
    '<td class="num">{unfiled}</td><td class="num">{late}</td><td class="num">{approved}</td>'
    '<td class="num">{alerts}</td><td class="num">{pct}</td></tr>'
)


def progress_rows_html(lines: Sequence[Progress]) -> SafeString:
    """The progress table's rows, written here rather than by a template loop (fifty departments, eight cells)."""
    last = len(lines) - 1
    return format_html_join(
        "\n",
        PROGRESS_ROW,
        (
            {
                "total": mark_safe(' class="total"' if n == last else ""),
                "department": line.department,
                "all": line.total,
                "filed": line.filed,
                "unfiled": line.unfiled,
                "late": line.late,
                "approved": line.approved,
                "alerts": line.alerts,
                "pct": line.filed_pct,
            }
            for n, line in enumerate(lines)
        ),
    )


def department_options_html(departments: Iterable[tuple[int, str]], chosen: str) -> SafeString:
    """The list filter's departments as ``<option>``s, (id, name) each; ``chosen`` the filter as typed."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, mark_safe(" selected") if chosen == str(pk) else "", name) for pk, name in departments),
    )
