"""What a document must be before it is loaded: every problem with its JSON path, before anything is written.

Used by the API for posted document JSON (:func:`read_document`) and by the
web import for what the importer read from a file (:func:`document_problems`).

:func:`jixiao.core.serialize.loads` decides what a ``jixiao.document/1`` is.
On top of it this module checks what the database can hold — text lengths
and money digits taken from the model fields themselves, the year window of
the forms, no control characters — so that a document the API accepts is
one the loader can write on SQLite and PostgreSQL alike, and a document it
refuses is refused with every problem listed, never with a server error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models

from jixiao.core.errors import DocumentError
from jixiao.core.model import GRADES, MONEY_UNITS, Document, Kind, Project
from jixiao.core.serialize import loads
from jixiao.web.cycle.models import (
    Declaration,
    DeclarationIndicator,
    EvaluationIndicator,
    FundManagementItem,
    SelfEvaluation,
)
from jixiao.web.cycle.models import Project as ProjectRecord
from jixiao.web.orgs.models import Organization

YEARS = (2000, 2100)  # the window of the new-declaration form
MAX_PROJECTS = 1000
MAX_INDICATORS = 300
MAX_TEXT = 10000  # free text (goals, outcomes, deviations) has no column limit; a document still has one
MAX_PROBLEMS = 100
CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # C0 controls and DEL (a regex range); tab, LF and CR are text
_CONTROL = re.compile(rf"[{CONTROL}\ud800-\udfff]")  # lone surrogates cannot be stored as UTF-8 either


def _length(model: type[models.Model], field: str) -> int:
    f = model._meta.get_field(field)
    # every limit read here is a text column's, and a text column has its length
    assert isinstance(f, models.CharField) and f.max_length is not None
    return f.max_length


def _digits(model: type[models.Model], field: str) -> tuple[int, int]:
    f = model._meta.get_field(field)
    assert isinstance(f, models.DecimalField)  # the money and score columns
    return f.max_digits, f.decimal_places


# The longest text each document field may hold: the column it is loaded into.
PROJECT_TEXT = {
    "name": _length(ProjectRecord, "name"),
    "department": _length(Organization, "name"),
    "unit": _length(Organization, "name"),
    "central_department": _length(Declaration, "central_department"),
    "nature": _length(Declaration, "nature"),
    "category": _length(Declaration, "category"),
    "goal": MAX_TEXT,
    "overall_goal": MAX_TEXT,
    "outcome": MAX_TEXT,
}
# a transfer payment's unit is the list of units that used the money, kept in its own column
TRANSFER_UNIT = _length(Declaration, "fund_users")
INDICATOR_TEXT = {
    "level1": _length(DeclarationIndicator, "level1"),
    "level2": _length(DeclarationIndicator, "level2"),
    "name": _length(DeclarationIndicator, "name"),
    "target": _length(DeclarationIndicator, "target"),
    "actual": _length(EvaluationIndicator, "actual"),
    "deviation": MAX_TEXT,
}
FUND_MANAGEMENT_TEXT = {"item": _length(FundManagementItem, "item"), "description": MAX_TEXT, "remedy": MAX_TEXT}
MONEY = _digits(Declaration, "requested_total")
SCORE = _digits(SelfEvaluation, "total_score")
ROW_NUMBERS = {"initial": MONEY, "adjusted": MONEY, "executed": MONEY, "requested": MONEY, "rate_pct": SCORE}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a posted document: where (a JSON path) and what."""

    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The JSON object of the problem."""
        return {"path": self.path, "message": self.message}


class DocumentProblems(Exception):
    """A posted document that cannot be loaded; ``problems`` lists every reason with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))
        self.problems = problems


def read_document(body: bytes) -> Document:
    """The document in a request body, or :class:`DocumentProblems` naming every problem found."""
    try:
        text = body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise DocumentProblems([Problem("$", f"请求正文不是 UTF-8 编码的文字（第 {exc.start} 字节）")]) from None
    _precheck(text)
    try:
        document = loads(text)
    except DocumentError as exc:
        where = exc.location.path or (f"第{exc.location.line}行" if exc.location.line else "$")
        raise DocumentProblems([Problem(where, exc.message)]) from None
    except (ValueError, RecursionError, ArithmeticError):
        raise DocumentProblems([Problem("$", "JSON 中的数字位数过多或嵌套过深")]) from None
    problems = document_problems(document)
    if problems:
        raise DocumentProblems(problems[:MAX_PROBLEMS])
    return document


def document_problems(document: Document) -> list[Problem]:
    """Everything in ``document`` the records cannot hold (lengths, digits, year, control characters)."""
    return list(_problems(document))


def _precheck(text: str) -> None:
    # loads() turns a year like 1E+999999999 into an int of that many digits; look at it first
    try:
        tree = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError:
        return  # loads() reports it, with line and column
    except (ValueError, RecursionError):
        raise DocumentProblems([Problem("$", "JSON 中的数字位数过多或嵌套过深")]) from None
    year = tree.get("year") if isinstance(tree, dict) else None
    if isinstance(year, Decimal) and (not year.is_finite() or abs(year.adjusted()) > 4):
        raise DocumentProblems([Problem("$.year", f"年度应在 {YEARS[0]} 到 {YEARS[1]} 之间")])


def _problems(document: Document) -> Iterator[Problem]:
    if document.year is None:
        yield Problem("$.year", "缺少年度：导入需要知道记录属于哪一年")
    elif not YEARS[0] <= document.year <= YEARS[1]:
        yield Problem("$.year", f"年度应在 {YEARS[0]} 到 {YEARS[1]} 之间，实为 {document.year}")
    if not document.projects:
        yield Problem("$.projects", "文档中没有项目")
    if len(document.projects) > MAX_PROJECTS:
        yield Problem("$.projects", f"一次最多导入 {MAX_PROJECTS} 个项目，实为 {len(document.projects)} 个")
        return
    for n, project in enumerate(document.projects):
        yield from _project(project, f"$.projects[{n}]", document.kind is Kind.TRANSFER_SELF_EVALUATION)


# Complexity over 15, kept: one range check per field of an imported project; the record's shape is declared once in
# issue 15 item 1, which replaces this list.
def _project(p: Project, path: str, transfer: bool) -> Iterator[Problem]:  # noqa: C901
    limits = dict(PROJECT_TEXT, unit=TRANSFER_UNIT) if transfer else PROJECT_TEXT
    for key, limit in limits.items():
        yield from _text(getattr(p, key), f"{path}.{key}", limit)
    if not p.name.strip():
        yield Problem(f"{path}.name", "项目名称不能为空")
    # the loader finds (or creates) the department by name: without one there is no one to answer for it
    if p.department is None or not p.department.strip():
        yield Problem(f"{path}.department", "缺少主管部门")
    if p.unit is not None and p.unit and not p.unit.strip():
        yield Problem(f"{path}.unit", "实施单位不能只有空白")
    if p.money_unit is not None and p.money_unit not in MONEY_UNITS:
        yield Problem(f"{path}.money_unit", f"金额单位应为 元 或 万元，实为 {p.money_unit!r}")
    if p.grade is not None and p.grade not in GRADES:
        yield Problem(f"{path}.grade", "评分等级应为 优/良/中/差 之一")
    for key, row in p.funds.rows():
        for column, digits in ROW_NUMBERS.items():
            yield from _number(getattr(row, column), f"{path}.funds.{key}.{column}", digits)
    if p.execution is not None:
        for column in ("weight", "rate_pct", "score"):
            yield from _number(getattr(p.execution, column), f"{path}.execution.{column}", SCORE)
        for column in ("weight", "score"):
            yield from _points(getattr(p.execution, column), f"{path}.execution.{column}")
    yield from _number(p.total_score, f"{path}.total_score", SCORE)
    for n, check in enumerate(p.fund_management or ()):
        for key, limit in FUND_MANAGEMENT_TEXT.items():
            yield from _text(getattr(check, key), f"{path}.fund_management[{n}].{key}", limit)
    if len(p.indicators) > MAX_INDICATORS:
        yield Problem(f"{path}.indicators", f"一个项目最多 {MAX_INDICATORS} 个指标，实为 {len(p.indicators)} 个")
        return
    for n, indicator in enumerate(p.indicators):
        where = f"{path}.indicators[{n}]"
        for key, limit in INDICATOR_TEXT.items():
            yield from _text(getattr(indicator, key), f"{where}.{key}", limit)
        yield from _number(indicator.weight, f"{where}.weight", SCORE)
        yield from _number(indicator.score, f"{where}.score", SCORE)
        yield from _points(indicator.weight, f"{where}.weight")
        yield from _points(indicator.score, f"{where}.score")


def _text(value: str | None, path: str, limit: int) -> Iterator[Problem]:
    if value is None:
        return
    if len(value) > limit:
        yield Problem(path, f"文字过长：最多 {limit} 个字符，实为 {len(value)} 个")
    bad = _CONTROL.search(value)
    if bad is not None:
        yield Problem(path, f"含有不可见的控制字符 U+{ord(bad.group()):04X}")


def _number(value: Decimal | None, path: str, digits: tuple[int, int]) -> Iterator[Problem]:
    if value is None or value.is_zero():
        return  # 0E+100 is still zero, however its exponent reads
    total, places = digits
    # the column keeps the value rounded to its places (the printed digits are kept beside it)
    whole = total - places
    if value.adjusted() >= whole or value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP).adjusted() >= whole:
        yield Problem(path, f"数值过大：整数部分最多 {whole} 位，实为 {value}")


def _points(value: Decimal | None, path: str) -> Iterator[Problem]:
    # a weight or a score below zero exists on no form; the rest of the range is the review's (by the rule pack)
    if value is not None and value.is_finite() and value < 0:
        yield Problem(path, f"分值和得分不能为负数，实为 {value}")


def problems_of(exc: DocumentProblems) -> list[dict[str, Any]]:
    """The problems as JSON objects (the ``details`` of a 422 answer)."""
    return [p.to_dict() for p in exc.problems]
