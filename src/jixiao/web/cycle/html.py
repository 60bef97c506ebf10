"""Parts of the cycle's pages written in Python: findings, the record pages' notes, the form's and lists' rows.

These repeat once per indicator or per record. Through Django's template
engine a row of the self-evaluation form cost about 0.2 ms (an include, a
dozen lookups, some of them failing on purpose) and the fifty rows of a list
page 5 ms, most of those pages' own time; written here with ``format_html``
(which escapes every value) they cost a tenth of that. The markup is the
templates' own: the pages and the browser script see no difference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import localize
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from jixiao.core.review import Finding
from jixiao.web.cycle.shapes import SELF_EVALUATION, Field
from jixiao.web.cycle.sheets import NoteColumn
from jixiao.web.numbers import grouped, money


def findings_html(findings: Sequence[Finding]) -> SafeString:
    """Findings as the list shown beside a row or above a form; nothing when there are none."""
    if not findings:
        return mark_safe("")
    items = format_html_join(
        "",
        '<li class="finding sev-{}"><span class="sev">{}</span> {}</li>',
        ((f.severity.value, f.severity.label, f.message) for f in findings),
    )
    return format_html('<ul class="findings">{}</ul>', items)


def _value(value: Any) -> str:
    """A value as the template engine prints it (localized), empty for None.

    Whole numbers and decimals are printed as Chinese prints them (a point, no grouping) without
    going through ``localize``, which looks the format up again for every number of a page
    (``tests/web/test_html.py`` keeps the two equal).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return str(localize(value))


def _suggestion(score: Any, pattern: str) -> str:
    """A row's suggested score and its explanation in ``pattern`` ({differs}, {score}, {why}); nothing unscored."""
    if not score:
        return ""
    return format_html(
        pattern,
        differs=" differs" if score.differs else "",
        score="—" if score.suggested is None else _value(score.suggested),
        why=score.explanation,
    )


def _invalid(errors: Any) -> SafeString:
    return mark_safe(' aria-invalid="true"' if errors else "")


def _input(field: Field) -> str:
    """A row input's pattern ({p} the row's prefix, {name} the indicator's): its attributes from the shape."""
    ident = f'name="{{p}}-{field.name}"'
    label = f'aria-label="{{name}} {escape(field.label)}"'
    if field.type == "textarea":
        where = f'cols="40" rows="{field.rows}" id="id_{{p}}-{field.name}"'
        return f"<textarea {ident} {where} {label}>{{{field.name}}}</textarea>"
    if field.type == "decimal":
        low = "" if field.minimum is None else f' min="{field.minimum}"'
        return (
            f'<input type="number" {ident} value="{{{field.name}}}" step="{field.step}"{low} id="id_{{p}}-{field.name}"'
            f" {label}{{{field.name}_invalid}}>{{{field.name}_errors}}"
        )
    return (
        f'<input type="text" {ident} value="{{{field.name}}}" maxlength="{field.width}" id="id_{{p}}-{field.name}"'
        f" {label}{{{field.name}_invalid}}>{{{field.name}_errors}}"
    )


_INPUTS = {f.name: _input(f) for f in SELF_EVALUATION.rows}
ROW = (
    '<tr class="evaluation-row" data-index="{n}">'
    '<td class="lvl">{level1}<br><small>{level2}</small></td>'
    '<td>{name}<input type="hidden" name="{p}-indicator_id" value="{indicator_id}" id="id_{p}-indicator_id"></td>'
    "<td>{target}</td>"
    '<td class="num">{weight}</td>'
    f"<td>{_INPUTS['actual']}</td>"
    f'<td class="num">{_INPUTS["score"]}</td>'
    '<td class="suggestion" aria-live="polite">{suggestion}'
    # 采用建议分 posts the form (the server fills the score) or, with JavaScript, fills it in place
    '<button type="submit" name="adopt" value="{n}" class="button adopt" formnovalidate'
    ' aria-label="{name} 采用建议分"{adopt_disabled}>采用建议分</button>'
    '<div class="row-findings">{findings}</div></td>'
    f"<td>{_INPUTS['deviation']}"
    f'<div class="reason-box">{_INPUTS["score_reason"]}</div></td>'
    "</tr>"
)


def evaluation_rows_html(table: Iterable[tuple[Any, dict[str, Any], Any, Sequence[Finding]]]) -> SafeString:
    """The self-evaluation form's indicator rows: (stored row, its inputs, its score, its findings) each.

    The inputs are ``{"prefix", "values", "errors"}`` (``views.evaluations._row_fields``): what was posted with
    its errors, or what is stored.
    """
    out = []
    for n, (row, f, score, findings) in enumerate(table):
        indicator, values, errors = row.indicator, f["values"], f["errors"]
        suggestion = _suggestion(score, '<strong class="suggested">{score}</strong><div class="explain">{why}</div>')
        out.append(
            format_html(
                ROW,
                n=n,
                p=f["prefix"],
                level1=indicator.level1,
                level2=indicator.level2,
                name=indicator.name,
                target=indicator.target,
                weight=_value(indicator.weight),
                indicator_id=_value(values.get("indicator_id")),
                actual=_value(values.get("actual")),
                score=_value(values.get("score")),
                deviation=_value(values.get("deviation")),
                score_reason=_value(values.get("score_reason")),
                actual_invalid=_invalid(errors.get("actual")),
                score_invalid=_invalid(errors.get("score")),
                actual_errors=errors.get("actual") or "",
                score_errors=errors.get("score") or "",
                suggestion=suggestion,
                adopt_disabled=mark_safe("" if score and score.suggested is not None else " disabled"),
                findings=findings_html(findings),
            )
        )
    return mark_safe("\n".join(out))


# {pick}: a reviewer's batch checkbox cell (or nothing); {late}: the 逾期 marker (notices.overdue)
DECLARATION_LIST_ROW = (
    '<tr>{pick}<td><a href="{url}{pk}/">{name}</a></td><td>{code}</td><td>{department}</td><td>{unit}</td>'
    "<td>{year}</td>"
    '<td class="num">{requested}</td><td><span class="state state-{state}">{state_label}</span>{late}</td></tr>'
)
EVALUATION_LIST_ROW = (
    '<tr>{pick}<td><a href="{url}{pk}/">{name}</a></td><td>{department}</td><td>{unit}</td><td>{year}</td>'
    '<td class="num">{score}</td><td>{grade}</td><td><span class="state state-{state}">{state_label}</span>{late}</td>'
    "</tr>"
)


def _list_rows(
    pattern: str, rows: Iterable[dict[str, Any]], record_url: str, own: Callable[[dict[str, Any]], dict[str, str]]
) -> SafeString:
    """A list's rows: the columns both lists have, and the list's ``own``."""
    return format_html_join(
        "\n",
        pattern,
        (
            {
                "url": record_url,
                "pk": r["pk"],
                "name": r["name"],
                "department": r["department"],
                "unit": r["unit"],
                "year": _value(r["the_year"]),
                "state": r["state"],
                "state_label": r["state_label"],
                "pick": r.get("pick", ""),
                "late": r.get("late", ""),
            }
            | own(r)
            for r in rows
        ),
    )


def declaration_list_html(rows: Iterable[dict[str, Any]], record_url: str) -> SafeString:
    """The rows of the declaration list: name (a link to ``record_url`` + id), organizations, year, amount, state."""
    return _list_rows(
        DECLARATION_LIST_ROW,
        rows,
        record_url,
        lambda r: {
            "requested": "" if r["requested"] is None else f"{money(r['requested'])} {r['money']}",
            "code": r["code"],
        },
    )


def evaluation_list_html(rows: Iterable[dict[str, Any]], record_url: str) -> SafeString:
    """The rows of the self-evaluation list: name (a link), organizations, year, total, grade, state."""
    return _list_rows(
        EVALUATION_LIST_ROW, rows, record_url, lambda r: {"score": grouped(r["score"]), "grade": r["the_grade"] or ""}
    )


def _anchor(n: int) -> str:
    return f"indicator:{n}"


def declaration_notes(indicators: Sequence[Any], by_row: Mapping[int, Sequence[Finding]]) -> list[NoteColumn]:
    """What the declaration page adds beside the official form: each indicator's 分值 and its findings.

    The 申报表 prints no weights, but the weights are approved with the targets and carried into the
    self-evaluation, so a reviewer sees them beside each row.
    """
    return [
        NoteColumn("分值", 6, {_anchor(n): _value(i.weight) for n, i in enumerate(indicators)}, css="num"),
        NoteColumn("审核发现", 24, {_anchor(n): findings_html(by_row.get(n, ())) for n in range(len(indicators))}),
    ]


def evaluation_notes(
    rows: Sequence[Any], per_row: Sequence[tuple[Any, Sequence[Finding]]], scores: Any, grade_row: bool
) -> NoteColumn:
    """What the self-evaluation page adds beside the official form: suggested scores, reasons and findings.

    ``per_row`` pairs each row with its score (None where the form scores nothing, as a transfer payment)
    and its findings; ``scores`` are the project's (execution, total and grade as the rules have them),
    or None; ``grade_row`` says whether the layout prints a 评分等级 row (the 2022 one does not: the
    suggested grade then goes beside the total).
    """
    cells: dict[str, SafeString | str] = {}
    for n, (row, (score, findings)) in enumerate(zip(rows, per_row, strict=True)):
        suggestion = _suggestion(score, '<div class="suggest{differs}">建议 {score}：{why}</div>')
        reason = format_html('<div class="reason">理由：{}</div>', row.score_reason) if row.score_reason else ""
        cells[_anchor(n)] = format_html("{}{}{}", suggestion, reason, findings_html(findings))
    execution = getattr(scores, "execution", None)
    if execution is not None:
        cells["execution"] = _suggestion(execution, '<div class="suggest{differs}">建议 {score}：{why}</div>')
    total = getattr(scores, "total_suggested", None)
    grade = getattr(scores, "grade_suggested", None)
    if total is not None:
        cells["total"] = format_html('<div class="suggest">按规则计算 {}</div>', _value(total))
    if grade:
        line = format_html('<div class="suggest">等级按规则应为 {}</div>', grade)
        if grade_row:
            cells["grade"] = line
        else:
            cells["total"] = format_html("{}{}", cells.get("total", ""), line)
    return NoteColumn("审核发现" if scores is None else "建议得分与审核发现", 28, cells)
