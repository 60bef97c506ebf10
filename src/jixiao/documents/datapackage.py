"""CSV open data back in: a folder written by ``jixiao export --to csv`` read into the same document.

The package's ``datapackage.json`` says everything needed (docs/open-data.md): each field's
type, and for money its unit, fund row (``fundSource``) and budget phase (``budgetPhase``);
``x-jixiao`` names the kind of form, the year and the notes. So the reader is driven by the
descriptor, not by the exporter's column lists: ``projects.csv`` gives one project per row,
``indicators.csv`` and ``fund_management.csv`` their rows by ``project_no``.

What the exporter changed is undone exactly: money converted to the package's unit goes back
to each project's printed unit (a decimal shift), and the apostrophe put before text that a
spreadsheet would run as a formula is taken off again. A package that was not written by
jixiao, or a CSV named on its own, is refused with a sentence saying what to give instead.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import Any

from jixiao.core.errors import Location, SourceError
from jixiao.core.model import (
    DEVIATION_CAUSES,
    FUND_ROWS,
    LIKELIHOODS,
    SCHEMA,
    Document,
    Execution,
    FundManagementRow,
    FundRow,
    Funds,
    Indicator,
    Kind,
    Project,
)
from jixiao.documents.limits import MAX_BYTES, too_large
from jixiao.documents.oserrors import describe
from jixiao.documents.result import ImportResult

DESCRIPTOR = "datapackage.json"
PROFILE = "tabular-data-package"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_FIELDS = (
    "name",
    "department",
    "unit",
    "central_department",
    "nature",
    "category",
    "start_date",
    "end_date",
    "money_unit",
    "goal",
    "overall_goal",
    "outcome",
    "grade",
    "as_of",
)
_INDICATOR_TEXT = ("level1", "level2", "name", "target", "actual", "deviation")
_FACTORS = {"元": 0, "万元": 4}  # powers of ten in one unit


def is_package(text: str) -> bool:
    """True when a JSON text is a data package descriptor rather than a document."""
    # the descriptor states its profile near the top; a document JSON never does
    return f'"{PROFILE}"' in text[:4096]


def refuse_alone(name: str) -> SourceError:
    """The refusal of a descriptor or CSV given without its folder (an upload of one file)."""
    return SourceError(
        "这是 jixiao 导出的 CSV 开放数据包中的一个文件，单独无法读取：请用 jixiao import 读取整个文件夹"
        "（或文件夹中的 datapackage.json），文件夹里要有 projects.csv 和 indicators.csv",
        Location(file=name),
    )


class _Table:
    """One CSV resource: its rows as dicts of typed values, with the place of each row."""

    def __init__(self, folder: Path, resource: Mapping[str, Any], package: str) -> None:
        path = resource.get("path")
        # a descriptor is data too: it may only name a file beside it
        if not isinstance(path, str) or PurePath(path).name != path or not path.endswith(".csv"):
            raise SourceError(
                f"数据包中的文件路径 {path!r} 无效：只能是同一文件夹中的 CSV 文件", Location(file=package)
            )
        self.file = folder / path
        schema = resource.get("schema") or {}
        self.fields: dict[str, Mapping[str, Any]] = {f["name"]: f for f in schema.get("fields", []) if "name" in f}
        self.rows: list[tuple[int, dict[str, Any]]] = []
        try:
            size = self.file.stat().st_size
            if size > MAX_BYTES:
                raise SourceError(too_large(size, MAX_BYTES), Location(file=str(self.file)))
            text = self.file.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise SourceError(f"无法读取数据包中的文件：{describe(exc)}", Location(file=str(self.file))) from None
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"CSV 文件必须是 UTF-8 编码（第 {exc.start} 字节处无法解码）", Location(file=str(self.file))
            ) from None
        reader = csv.reader(text.splitlines(keepends=True))
        header = next(reader, None)
        if header is None:
            raise SourceError("CSV 文件是空的，没有表头", Location(file=str(self.file), line=1))
        missing = [name for name in self.fields if name not in header]
        if missing:
            raise SourceError(
                f"CSV 文件缺少数据包说明中的列：{'、'.join(missing)}", Location(file=str(self.file), line=1)
            )
        for line, cells in enumerate(reader, start=2):
            if not any(cells):
                continue
            if len(cells) != len(header):
                raise SourceError(
                    f"这一行有 {len(cells)} 个单元格，表头有 {len(header)} 列", Location(file=str(self.file), line=line)
                )
            values = {h: self._value(h, c, k, line) for k, (h, c) in enumerate(zip(header, cells, strict=True))}
            self.rows.append((line, values))

    def _value(self, name: str, cell: str, column: int, line: int) -> Any:
        field = self.fields.get(name, {})
        kind = field.get("type", "string")
        if cell == "":
            return None  # the package's only missing value
        if kind == "string":
            return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS) else cell
        if kind in ("number", "integer"):
            try:
                number = Decimal(cell)
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite() or (kind == "integer" and number != number.to_integral_value()):
                what = "整数" if kind == "integer" else "数字"
                where = Location(file=str(self.file), line=line, cell=f"{_letter(column)}{line}")
                raise SourceError(f"「{field.get('title', name)}」应为{what}，实为 {cell!r}", where)
            return int(number) if kind == "integer" else number
        return cell


def _letter(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _back_to(value: Decimal | None, package_unit: str | None, printed_unit: str | None) -> Decimal | None:
    """A money figure in the project's own unit again (the exporter shifted it to the package's)."""
    if value is None or package_unit == printed_unit or package_unit not in _FACTORS or printed_unit not in _FACTORS:
        return value
    shifted = value.scaleb(_FACTORS[package_unit] - _FACTORS[printed_unit])
    # 12.34万元 was written as 123400 元: the shift back gives 12.3400, whose extra zeros were never printed
    exponent = shifted.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        cents = shifted.quantize(Decimal("0.01"))
        shifted = cents if cents == shifted else shifted.normalize()
    return shifted


def _project(row: dict[str, Any], table: _Table, empty_rows: list[str]) -> Project:
    texts: dict[str, str | None] = {k: row.get(k) for k in _TEXT_FIELDS}
    rows: dict[str, dict[str, Decimal | None]] = defaultdict(dict)
    for name, field in table.fields.items():
        source, phase = field.get("fundSource"), field.get("budgetPhase")
        if source and phase:
            rows[source][phase] = _back_to(row.get(name), field.get("unit"), texts["money_unit"])
        elif name.endswith("_rate_pct") and not name.startswith("execution_"):
            rows[name.removesuffix("_rate_pct")]["rate_pct"] = row.get(name)
    printed = {k: FundRow(**v) for k, v in rows.items() if any(x is not None for x in v.values())}
    printed.update({k: FundRow() for k in empty_rows if k in FUND_ROWS and k not in printed})
    funds = Funds(**printed)
    execution = None
    if any(f"execution_{k}" in table.fields for k in ("weight", "rate_pct", "score")):
        parts = {k: row.get(f"execution_{k}") for k in ("weight", "rate_pct", "score")}
        execution = Execution(**parts) if any(v is not None for v in parts.values()) else None
    return Project(
        name=texts["name"] or "",
        department=texts["department"],
        unit=texts["unit"],
        central_department=texts["central_department"],
        nature=texts["nature"],
        category=texts["category"],
        start_date=texts["start_date"],
        end_date=texts["end_date"],
        money_unit=texts["money_unit"],
        funds=funds,
        execution=execution,
        goal=texts["goal"],
        overall_goal=texts["overall_goal"],
        outcome=texts["outcome"],
        total_score=row.get("total_score"),
        grade=texts["grade"],
        as_of=texts["as_of"],
    )


def _monitored(row: dict[str, Any], table: _Table, line: int) -> dict[str, Any]:
    """A monitoring form's indicator fields (全年预计完成值, 偏差原因类型, 完成目标可能性, 纠偏措施), checked.

    The causes are one cell, listed with 、 as the form prints them; a cause or likelihood outside the
    form's lists is refused with its file, line and column, as the document loader would refuse it.
    """
    cause_text, likelihood = row.get("cause"), row.get("likelihood")
    causes = tuple(c for c in cause_text.split("、") if c) if isinstance(cause_text, str) else ()
    for column, wrong, allowed in (
        ("cause", next((c for c in causes if c not in DEVIATION_CAUSES), None), DEVIATION_CAUSES),
        ("likelihood", likelihood if likelihood is not None and likelihood not in LIKELIHOODS else None, LIKELIHOODS),
    ):
        if wrong is not None:
            title = table.fields.get(column, {}).get("title", column)
            raise SourceError(
                f"「{title}」应为 {'、'.join(allowed)} 之一，实为 {wrong!r}",
                Location(file=str(table.file), line=line, cell=f"{_letter(list(table.fields).index(column))}{line}"),
            )
    return {
        "forecast": row.get("forecast"),
        "cause": causes or None,
        "likelihood": likelihood,
        "remedy": row.get("remedy"),
    }


def read(path: Path) -> ImportResult:
    """Read the package whose descriptor is ``path`` (or the folder holding it) into a document."""
    descriptor = path / DESCRIPTOR if path.is_dir() else path
    name = str(descriptor)
    try:
        meta = json.loads(descriptor.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise SourceError(f"无法读取数据包说明：{describe(exc)}", Location(file=name)) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SourceError("数据包说明（datapackage.json）不是有效的 UTF-8 JSON", Location(file=name)) from None
    extra = meta.get("x-jixiao") if isinstance(meta, dict) else None
    if not isinstance(extra, dict) or extra.get("schema") != SCHEMA:
        raise SourceError(
            "这个数据包不是 jixiao 导出的（没有 x-jixiao 说明），不能读回绩效表；"
            "请用 jixiao export --to csv 导出的文件夹",
            Location(file=name),
        )
    try:
        kind = Kind(str(extra.get("kind")))
    except ValueError:
        raise SourceError(f"数据包说明中的表格种类 {extra.get('kind')!r} 无效", Location(file=name)) from None
    year = extra.get("year")
    if year is None:  # packages written before the year was stated keep it in their name
        found = re.search(r"-(\d{4})$", str(meta.get("name", "")))
        year = int(found.group(1)) if found else None
    resources = {r.get("name"): r for r in meta.get("resources", []) if isinstance(r, dict)}
    for needed in ("projects", "indicators"):
        if needed not in resources:
            raise SourceError(f"数据包说明中缺少 {needed} 表", Location(file=name))
    folder = descriptor.parent
    projects_table = _Table(folder, resources["projects"], name)
    by_project: dict[int, list[Indicator]] = defaultdict(list)
    indicators = _Table(folder, resources["indicators"], name)
    for line, row in sorted(
        indicators.rows, key=lambda r: (r[1].get("project_no") or 0, r[1].get("indicator_no") or 0)
    ):
        if row.get("name") is None:
            raise SourceError("指标没有名称（三级指标）", Location(file=str(indicators.file), line=line))
        by_project[row.get("project_no") or 0].append(
            Indicator(
                level1=row.get("level1") or "",
                level2=row.get("level2"),
                name=row["name"],
                target=row.get("target"),
                actual=row.get("actual"),
                weight=row.get("weight"),
                score=row.get("score"),
                deviation=row.get("deviation"),
                **_monitored(row, indicators, line),
            )
        )
    management: dict[int, list[FundManagementRow]] = defaultdict(list)
    if "fund_management" in resources:
        table = _Table(folder, resources["fund_management"], name)
        for _, row in table.rows:
            management[row.get("project_no") or 0].append(
                FundManagementRow(
                    item=row.get("item") or "", description=row.get("description"), remedy=row.get("remedy")
                )
            )
    projects: list[Project] = []
    for line, row in sorted(projects_table.rows, key=lambda r: r[1].get("project_no") or 0):
        if not row.get("name"):
            raise SourceError("项目没有名称", Location(file=str(projects_table.file), line=line))
        number = row.get("project_no") or 0
        empty = extra.get("emptyFundRows") or {}
        project = _project(row, projects_table, list(empty.get(str(number), [])))
        rows = tuple(management.get(number, ()))
        project = replace(project, indicators=tuple(by_project.get(number, ())), fund_management=rows or None)
        count = row.get("indicator_count")
        if count is not None and count != len(project.indicators):
            raise SourceError(
                f"项目「{project.name}」的指标个数是 {count}，indicators.csv 中却有 {len(project.indicators)} 个",
                Location(file=str(projects_table.file), line=line),
            )
        projects.append(project)
    notes = extra.get("notes") or []
    document = Document(kind=kind, year=year, projects=tuple(projects), notes=tuple(str(n) for n in notes))
    return ImportResult(source=name, document=document, layout="datapackage")
