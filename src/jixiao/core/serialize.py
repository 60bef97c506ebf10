"""Lossless JSON in and out for ``jixiao.document/1``.

Numbers are read as :class:`~decimal.Decimal` and written back with the
digits they were read with, so ``445000.00`` survives a round trip and no
amount ever passes through a float. ``dumps(loads(text))`` is stable:
writing what was read gives the same text again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from jixiao.core.errors import DocumentError, Location
from jixiao.core.model import (
    DEPARTMENT_NATURES,
    DEPARTMENT_SOURCES,
    DEVIATION_CAUSES,
    FUND_ROWS,
    GRADES,
    LIKELIHOODS,
    SCHEMA,
    DepartmentFunds,
    Document,
    Execution,
    FundManagementRow,
    FundRow,
    Funds,
    Goal,
    Indicator,
    Kind,
    Project,
)

PROJECT_TEXT_FIELDS = (
    "name",
    "department",
    "unit",
    "central_department",
    "nature",
    "category",
    "start_date",
    "end_date",
    "money_unit",
)
ROW_FIELDS = ("initial", "adjusted", "executed", "requested", "rate_pct", "forecast")
EXECUTION_FIELDS = ("weight", "rate_pct", "score")

JsonValue = Any
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# -- out -------------------------------------------------------------------


def _row_to_dict(row: FundRow) -> dict[str, JsonValue]:
    return {k: getattr(row, k) for k in ROW_FIELDS if getattr(row, k) is not None}


def project_to_dict(p: Project) -> dict[str, JsonValue]:
    """The JSON object of one project, keys in schema order."""
    out: dict[str, JsonValue] = {k: getattr(p, k) for k in PROJECT_TEXT_FIELDS}
    out["name"] = p.name or None  # a department-wide form names no project
    out["funds"] = {key: _row_to_dict(row) for key, row in p.funds.rows()}
    out["execution"] = None if p.execution is None else {k: getattr(p.execution, k) for k in EXECUTION_FIELDS}
    out["goal"] = p.goal
    out["overall_goal"] = p.overall_goal
    out["outcome"] = p.outcome
    out["fund_management"] = (
        None
        if p.fund_management is None
        else [{"item": r.item, "description": r.description, "remedy": r.remedy} for r in p.fund_management]
    )
    out["indicators"] = [
        {
            "level1": i.level1 or None,  # the form prints no level-1 column
            "level2": i.level2,
            "name": i.name,
            "target": i.target,
            "actual": i.actual,
            "weight": i.weight,
            "score": i.score,
            "deviation": i.deviation,
            **_monitored(i),
        }
        for i in p.indicators
    ]
    out["total_score"] = p.total_score
    out["grade"] = p.grade
    if p.as_of is not None:
        out["as_of"] = p.as_of
    # department-wide forms only: other kinds never carry these keys, so their JSON is unchanged
    if p.department_funds is not None:
        out["funds_by_source"] = {k: _row_to_dict(r) for k, r in p.department_funds.by_source()}
        out["funds_by_nature"] = {k: _row_to_dict(r) for k, r in p.department_funds.by_nature()}
    if p.goals is not None:
        out["goals"] = [{"goal": g.goal, "outcome": g.outcome} for g in p.goals]
    return out


def _monitored(i: Indicator) -> dict[str, JsonValue]:
    """A monitoring form's indicator keys, written only where present (other kinds never carry them)."""
    out: dict[str, JsonValue] = {k: getattr(i, k) for k in _MONITORING_INDICATOR_FIELDS if getattr(i, k) is not None}
    if i.cause is not None:
        out["cause"] = list(i.cause)
    return out


def document_to_dict(doc: Document) -> dict[str, JsonValue]:
    """The JSON object of a document (numbers stay ``Decimal``)."""
    out: dict[str, JsonValue] = {
        "schema": doc.schema,
        "kind": doc.kind.value,
        "year": doc.year,
        "projects": [project_to_dict(p) for p in doc.projects],
    }
    if doc.notes:
        out["notes"] = list(doc.notes)
    return out


def json_text(value: Any, *, indent: int | None = None, default: Callable[[Any], Any] | None = None) -> str:
    """JSON text with exact numbers: the one encoder of jixiao (documents, the API, every JSON written).

    A ``Decimal`` is written with its own digits (``445000.00`` stays ``445000.00``), never through a
    float; a non-finite number is refused. ``indent`` None writes compact text (the API's), a number
    the documents' layout. ``default`` turns any other value (a date, a model) into one of these.
    """
    return _encode(value, indent, 0, default)


def _encode(value: Any, indent: int | None, level: int, default: Callable[[Any], Any] | None = None) -> str:
    """JSON text for a tree of dict, list, str, Decimal, int, bool and None (and what ``default`` turns into them)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        # str() of a finite Decimal is valid JSON number syntax and keeps its digits.
        if not value.is_finite():
            raise DocumentError(f"不能写出非有限数值 {value}")
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise DocumentError(f"不能写出非有限数值 {value}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        colon = ":" if indent is None else ": "
        items = [
            f"{json.dumps(str(k), ensure_ascii=False)}{colon}{_encode(v, indent, level + 1, default)}"
            for k, v in value.items()
        ]
        return _joined("{", items, "}", indent, level)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return _joined("[", [_encode(v, indent, level + 1, default) for v in value], "]", indent, level)
    if default is not None:
        return _encode(default(value), indent, level, default)
    raise DocumentError(f"不能写出类型为 {type(value).__name__} 的值")


def _joined(start: str, items: list[str], end: str, indent: int | None, level: int) -> str:
    """Items between brackets: on one line (compact) or one a line, indented."""
    if indent is None:
        return start + ",".join(items) + end
    pad = "\n" + " " * (indent * (level + 1))
    return start + pad + ("," + pad).join(items) + "\n" + " " * (indent * level) + end


def iter_dumps(doc: Document, indent: int = 2, extra: dict[str, JsonValue] | None = None) -> Iterator[str]:
    """The text of :func:`dumps` in pieces, one project at a time.

    A document read from a 20 MB form is some 50 MB of JSON; writing it piece by piece keeps only
    one project's text in memory instead of the whole tree and string. ``extra`` keys (the
    importer's ``reading`` record) are written after the document's own.
    """
    head = document_to_dict(replace(doc, projects=()))
    pad, inner = "\n" + " " * indent, "\n" + " " * (indent * 2)
    items = [f"{json.dumps(k)}: {_encode(v, indent, 1)}" for k, v in head.items() if k not in ("projects", "notes")]
    yield "{" + pad + ("," + pad).join(items) + "," + pad + '"projects": '
    if not doc.projects:
        yield "[]"
    for n, project in enumerate(doc.projects):
        yield ("[" if n == 0 else ",") + inner + _encode(project_to_dict(project), indent, 2)
    if doc.projects:
        yield pad + "]"
    if "notes" in head:
        yield "," + pad + f'"notes": {_encode(head["notes"], indent, 1)}'
    for key, value in (extra or {}).items():
        yield "," + pad + f"{json.dumps(key)}: {_encode(value, indent, 1)}"
    yield "\n}\n"


def dumps_tree(tree: JsonValue, indent: int = 2) -> str:
    """JSON text of a tree of dicts, lists, strings and Decimals, written as :func:`dumps` writes a document."""
    return _encode(tree, indent, 0) + "\n"


def dumps(doc: Document, indent: int = 2) -> str:
    """The document as JSON text (UTF-8 safe, Chinese kept readable)."""
    return "".join(iter_dumps(doc, indent))


# -- in --------------------------------------------------------------------


class _Reader:
    """Reads a parsed JSON tree into the model, naming the JSON path of any problem."""

    def __init__(self, source: str | None) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> DocumentError:
        return DocumentError(message, Location(file=self.source, path=path))

    def obj(self, value: JsonValue, path: str) -> Mapping[str, JsonValue]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "应为 JSON 对象")
        return value

    def text(self, data: Mapping[str, JsonValue], key: str, path: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "缺少必填的文字")
            return None
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", f"应为文字，实为 {_json_type(value)}")
        return value

    def number(self, data: Mapping[str, JsonValue], key: str, path: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
            raise self.fail(f"{path}.{key}", f"应为数字，实为 {_json_type(value)}")
        number = Decimal(value)
        if not number.is_finite():
            raise self.fail(f"{path}.{key}", "数字必须是有限值")
        return number

    def row(self, value: JsonValue, path: str) -> FundRow:
        data = self.obj(value, path)
        self.no_extra(data, ROW_FIELDS, path)
        return FundRow(**{k: self.number(data, k, path) for k in ROW_FIELDS})

    def no_extra(self, data: Mapping[str, JsonValue], allowed: tuple[str, ...], path: str) -> None:
        extra = sorted(set(data) - set(allowed))
        if extra:
            raise self.fail(f"{path}.{extra[0]}", f"未知字段 {extra[0]!r}（允许：{', '.join(allowed)}）")

    def funds(self, value: JsonValue, path: str) -> Funds:
        if value is None:
            return Funds()
        data = self.obj(value, path)
        self.no_extra(data, FUND_ROWS, path)
        rows = {k: self.row(v, f"{path}.{k}") for k, v in data.items() if v is not None}
        return Funds(**rows)

    def department_funds(self, data: Mapping[str, JsonValue], path: str) -> DepartmentFunds | None:
        """The two splits of a department-wide form (``funds_by_source``, ``funds_by_nature``), or None."""
        if data.get("funds_by_source") is None and data.get("funds_by_nature") is None:
            return None
        rows: dict[str, FundRow] = {}
        for key, allowed in (("funds_by_source", DEPARTMENT_SOURCES), ("funds_by_nature", DEPARTMENT_NATURES)):
            if data.get(key) is None:
                continue
            split = self.obj(data[key], f"{path}.{key}")
            self.no_extra(split, allowed, f"{path}.{key}")
            rows.update({k: self.row(v, f"{path}.{key}.{k}") for k, v in split.items() if v is not None})
        return DepartmentFunds(**rows)

    def goals(self, data: Mapping[str, JsonValue], path: str) -> tuple[Goal, ...] | None:
        """A department-wide form's several 年度总体目标, or None."""
        items = data.get("goals")
        if items is None:
            return None
        if not isinstance(items, list):
            raise self.fail(f"{path}.goals", "应为列表")
        out = []
        for n, item in enumerate(items):
            gp = f"{path}.goals[{n}]"
            g = self.obj(item, gp)
            self.no_extra(g, ("goal", "outcome"), gp)
            out.append(Goal(goal=self.text(g, "goal", gp, required=True) or "", outcome=self.text(g, "outcome", gp)))
        return tuple(out)

    def indicator(self, value: JsonValue, path: str) -> Indicator:
        data = self.obj(value, path)
        self.no_extra(data, _INDICATOR_FIELDS, path)
        return Indicator(
            level1=self.text(data, "level1", path) or "",
            level2=self.text(data, "level2", path),
            name=self.text(data, "name", path, required=True) or "",
            target=self.text(data, "target", path),
            actual=self.text(data, "actual", path),
            weight=self.number(data, "weight", path),
            score=self.number(data, "score", path),
            deviation=self.text(data, "deviation", path),
            forecast=self.text(data, "forecast", path),
            cause=self.causes(data, path),
            likelihood=self.choice(data, "likelihood", LIKELIHOODS, path),
            remedy=self.text(data, "remedy", path),
        )

    def causes(self, data: Mapping[str, JsonValue], path: str) -> tuple[str, ...] | None:
        value = data.get("cause")
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{path}.cause", "偏差原因类型应为文字列表")
        unknown = [v for v in value if v not in DEVIATION_CAUSES]
        if unknown:
            raise self.fail(f"{path}.cause", f"偏差原因类型应为 {'/'.join(DEVIATION_CAUSES)} 之一，实为 {unknown[0]!r}")
        return tuple(value)

    def choice(self, data: Mapping[str, JsonValue], key: str, allowed: tuple[str, ...], path: str) -> str | None:
        value = self.text(data, key, path)
        if value is not None and value not in allowed:
            raise self.fail(f"{path}.{key}", f"应为 {'/'.join(allowed)} 之一，实为 {value!r}")
        return value

    def project(self, value: JsonValue, path: str) -> Project:
        data = self.obj(value, path)
        self.no_extra(data, _PROJECT_FIELDS, path)
        texts = {k: self.text(data, k, path) for k in PROJECT_TEXT_FIELDS}
        as_of = self.text(data, "as_of", path)
        for key, value in (("start_date", texts["start_date"]), ("end_date", texts["end_date"]), ("as_of", as_of)):
            if value is not None and not _ISO_DATE.fullmatch(value):
                raise self.fail(f"{path}.{key}", f"日期应写作 YYYY-MM-DD，实为 {value!r}")
        # null: a form that names no project (a department-wide form); its department names it
        name = texts.pop("name") or ""
        grade = self.text(data, "grade", path)
        if grade is not None and grade not in GRADES:
            raise self.fail(f"{path}.grade", f"评分等级应为 优/良/中/差 之一，实为 {grade!r}")
        execution = None
        if data.get("execution") is not None:
            ex = self.obj(data["execution"], f"{path}.execution")
            self.no_extra(ex, EXECUTION_FIELDS, f"{path}.execution")
            execution = Execution(**{k: self.number(ex, k, f"{path}.execution") for k in EXECUTION_FIELDS})
        fund_management = None
        if data.get("fund_management") is not None:
            items = data["fund_management"]
            if not isinstance(items, list):
                raise self.fail(f"{path}.fund_management", "应为列表")
            rows = []
            for n, item in enumerate(items):
                rp = f"{path}.fund_management[{n}]"
                r = self.obj(item, rp)
                self.no_extra(r, ("item", "description", "remedy"), rp)
                rows.append(
                    FundManagementRow(
                        item=self.text(r, "item", rp, required=True) or "",
                        description=self.text(r, "description", rp),
                        remedy=self.text(r, "remedy", rp),
                    )
                )
            fund_management = tuple(rows)
        indicators = data.get("indicators")
        indicators = [] if indicators is None else indicators
        if not isinstance(indicators, list):
            raise self.fail(f"{path}.indicators", "应为列表")
        return Project(
            name=name,
            **texts,
            funds=self.funds(data.get("funds"), f"{path}.funds"),
            execution=execution,
            goal=self.text(data, "goal", path),
            overall_goal=self.text(data, "overall_goal", path),
            outcome=self.text(data, "outcome", path),
            fund_management=fund_management,
            indicators=tuple(self.indicator(v, f"{path}.indicators[{n}]") for n, v in enumerate(indicators)),
            total_score=self.number(data, "total_score", path),
            grade=grade,
            as_of=as_of,
            department_funds=self.department_funds(data, path),
            goals=self.goals(data, path),
        )

    def document(self, value: JsonValue) -> Document:
        data = self.obj(value, "$")
        schema = data.get("schema")
        if schema != SCHEMA:
            raise self.fail("$.schema", f"schema 应为 {SCHEMA!r}，实为 {schema!r}")
        kind_text = data.get("kind")
        try:
            kind = Kind(str(kind_text))
        except ValueError:
            allowed = ", ".join(k.value for k in Kind)
            raise self.fail("$.kind", f"未知的表格种类 {kind_text!r}（允许：{allowed}）") from None
        year = data.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, (int, Decimal))):
            raise self.fail("$.year", f"年度应为整数，实为 {_json_type(year)}")
        if isinstance(year, Decimal):
            if year != year.to_integral_value():
                raise self.fail("$.year", f"年度应为整数，实为 {year}")
            year = int(year)
        projects = data.get("projects")
        if not isinstance(projects, list):
            raise self.fail("$.projects", "应为项目列表")
        notes = data.get("notes")
        notes = [] if notes is None else notes
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            raise self.fail("$.notes", "应为文字列表")
        return Document(
            kind=kind,
            year=year,
            projects=tuple(self.project(p, f"$.projects[{n}]") for n, p in enumerate(projects)),
            notes=tuple(notes),
        )


_MONITORING_INDICATOR_FIELDS = ("forecast", "likelihood", "remedy")
_INDICATOR_FIELDS = (
    *("level1", "level2", "name", "target", "actual", "weight", "score", "deviation"),
    *_MONITORING_INDICATOR_FIELDS,
    "cause",
)
_PROJECT_FIELDS = (
    *PROJECT_TEXT_FIELDS,
    "funds",
    "execution",
    "goal",
    "overall_goal",
    "outcome",
    "fund_management",
    "indicators",
    "total_score",
    "grade",
    "as_of",
    "funds_by_source",
    "funds_by_nature",
    "goals",
)


def _json_type(value: object) -> str:
    if isinstance(value, str):
        return "文字"
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, (int, float, Decimal)):
        return "数字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, Mapping):
        return "对象"
    return "空值" if value is None else type(value).__name__


def _parse_int(text: str) -> int | Decimal:
    # Integers stay int so that a year reads as a year; money becomes Decimal later.
    return int(text)


# The json module's messages, in Chinese (its texts are fixed strings, some with a position after them).
_JSON_MESSAGES = (
    ("Expecting value", "此处应有一个值（文件可能不完整，或多了逗号）"),
    ("Expecting ',' delimiter", "此处缺少逗号"),
    ("Expecting ':' delimiter", "此处缺少冒号"),
    ("Expecting property name enclosed in double quotes", "字段名应写在英文双引号中（或此处多了逗号）"),
    ("Unterminated string starting at", "文字没有结束的双引号"),
    ("Invalid control character at", "文字中有不允许的控制字符（如未转义的换行）"),
    ("Invalid \\uXXXX escape", "文字中的 \\u 转义无效"),
    ("Invalid \\escape", "文字中的反斜杠转义无效"),
    ("Extra data", "JSON 结束后还有多余的内容"),
    ("Illegal trailing comma", "最后一项后面多了逗号"),
)


def _json_message(msg: str) -> str:
    """The Chinese of a :class:`json.JSONDecodeError` message."""
    for english, chinese in _JSON_MESSAGES:
        if msg.startswith(english):
            return chinese
    return "格式有误"


def loads(text: str, source: str | None = None) -> Document:
    """Read a document from JSON text; a malformed one raises :class:`DocumentError` with its place."""
    try:
        tree = json.loads(text, parse_float=Decimal, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"不是有效的 JSON：{_json_message(exc.msg)}",
            Location(file=source, line=exc.lineno, path=f"第{exc.colno}列"),
        ) from None
    except RecursionError:
        # the decoder recurses once per nested array or object; a document is a few levels deep
        raise DocumentError("JSON 嵌套层数过多，不是绩效文档，已拒绝", Location(file=source)) from None
    return _Reader(source).document(tree)


def from_dict(data: Mapping[str, JsonValue], source: str | None = None) -> Document:
    """Read a document from an already parsed JSON object (floats are read via their text)."""
    return loads(_encode(data, 0, 0), source)
