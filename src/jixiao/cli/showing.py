"""``jixiao show``: a document (a text extraction or its JSON) printed as tables."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

from jixiao.cli.common import (
    EXIT_OK,
    EXIT_UNUSABLE,
    EXIT_WARNINGS,
    READS,
    epilog,
    exit_codes,
    print_error,
    print_warnings,
)
from jixiao.core.errors import JixiaoError
from jixiao.core.model import FUND_ROW_LABELS, Document, Project
from jixiao.documents.importer import import_path
from jixiao.documents.reading.provenance import CONFIDENCE_LABELS, FieldSource

MARK = "*"  # after a value the reader chose by arithmetic or inferred: a person should check it


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``show`` verb."""
    p = sub.add_parser(
        "show",
        help="以表格显示一个文件的读取结果",
        description="以表格显示一个文件的读取结果：每个项目的基本信息、资金、目标和绩效指标，以及读取时的警告。",
        epilog=epilog(
            READS.replace("文件夹递归读取其中所有这些文件（隐藏文件和 README 除外）。", ""),
            exit_codes("0  读取完整，没有警告", "1  读取了，但有警告", "2  文件无法读取，或用法错误"),
        ),
    )
    p.add_argument("path", type=Path, metavar="PATH", help="一个文件（任何 jixiao 能读取的格式）")
    p.add_argument("--project", metavar="名称", help="只显示名称包含此文字的项目")
    p.set_defaults(handler=run)


def _fmt(value: Decimal | str | None) -> str:
    if value is None:
        return "—"
    return str(value)


class _Marks:
    """Marks the values of one project that were not simply read from their cell."""

    def __init__(self, fields: dict[str, FieldSource], n: int) -> None:
        self.fields = fields
        self.base = f"projects[{n}]"
        self.used = False

    def __call__(self, path: str, text: str) -> str:
        source = self.fields.get(f"{self.base}.{path}")
        if not text or text == "—" or source is None or not source.uncertain:
            return text
        self.used = True
        return f"[yellow]{text}{MARK}[/]"


def _project_tables(p: Project, doc: Document, console: Console, mark: _Marks) -> None:
    console.rule(f"[bold]{p.name or p.department or ''}[/]")
    info = Table.grid(padding=(0, 2))
    info.add_column(style="dim")
    info.add_column()
    for label, value in (
        ("主管部门", p.department),
        ("实施单位", p.unit),
        ("中央主管部门", p.central_department),
        ("项目性质", p.nature),
        ("项目类别", p.category),
        ("计划期间", f"{p.start_date} 至 {p.end_date}" if p.start_date or p.end_date else None),
    ):
        if value:
            info.add_row(label, value)
    console.print(info)
    rows = p.funds.rows()
    if rows:
        funds = Table(title=f"项目资金（{p.money_unit or '单位未注明'}）", title_justify="left")
        funds.add_column("", overflow="fold")
        for col in ("年初预算数", "全年预算数", "全年执行数", "申请总额", "执行率(%)"):
            funds.add_column(col, justify="right")
        cols = ("initial", "adjusted", "executed", "requested", "rate_pct")
        for key, row in rows:
            funds.add_row(
                FUND_ROW_LABELS[key],
                *(mark(f"funds.{key}.{c}", _fmt(getattr(row, c))) for c in cols),
            )
        console.print(funds)
    if p.execution is not None:
        e = p.execution
        console.print(
            f"预算执行率：分值 {mark('execution.weight', _fmt(e.weight))}，"
            f"执行率 {mark('execution.rate_pct', _fmt(e.rate_pct))}%，得分 {mark('execution.score', _fmt(e.score))}"
        )
    for label, text in (("项目总目标", p.overall_goal), ("年度目标", p.goal), ("实际完成情况", p.outcome)):
        if text:
            console.print(f"[dim]{label}[/]  {text}", highlight=False)
    if p.fund_management:
        fm = Table(title="资金管理情况", title_justify="left")
        for col in ("项目", "情况说明", "存在问题和改进措施"):
            fm.add_column(col)
        for r in p.fund_management:
            fm.add_row(r.item, r.description or "", r.remedy or "")
        console.print(fm)
    table = Table(title="绩效指标", title_justify="left", show_lines=False)
    for col, just in (
        ("一级指标", "left"),
        ("二级指标", "left"),
        ("三级指标", "left"),
        ("指标值", "left"),
        ("实际完成值", "left"),
        ("分值", "right"),
        ("得分", "right"),
        ("偏差原因分析及改进措施", "left"),
    ):
        table.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
    last: tuple[str, str | None] = ("", None)
    for k, ind in enumerate(p.indicators):
        l1 = ind.level1 if ind.level1 != last[0] else ""
        l2 = (ind.level2 or "") if (ind.level1, ind.level2) != last else ""
        last = (ind.level1, ind.level2)
        at = f"indicators[{k}]."
        table.add_row(
            mark(at + "level1", l1),
            mark(at + "level2", l2),
            mark(at + "name", ind.name),
            mark(at + "target", ind.target or "—"),
            mark(at + "actual", ind.actual or ""),
            mark(at + "weight", _fmt(ind.weight) if ind.weight is not None else ""),
            mark(at + "score", _fmt(ind.score) if ind.score is not None else ""),
            ind.deviation or "",
        )
    console.print(table)
    if p.total_score is not None or p.grade:
        console.print(f"总分 {_fmt(p.total_score)}" + (f"    评分等级 {p.grade}" if p.grade else ""))


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Print one source's document as readable tables."""
    if not args.path.exists():
        err.print(f"[red]{args.path}: 文件不存在[/]")
        return EXIT_UNUSABLE
    try:
        result = import_path(args.path)
    except JixiaoError as exc:
        print_error(err, exc)
        return EXIT_UNUSABLE
    doc = result.document
    out.print(
        f"[bold]{args.path.name}[/]：{doc.kind.label}，{doc.year or '年度未注明'}年度，"
        f"{len(doc.projects)} 个项目，{doc.indicator_count} 个指标",
        highlight=False,
    )
    marked = False
    for n, project in enumerate(doc.projects):
        if args.project and args.project not in project.name:
            continue
        mark = _Marks(result.fields, n)
        _project_tables(project, doc, out, mark)
        marked = marked or mark.used
    if marked:
        kinds = "、".join(CONFIDENCE_LABELS[c] for c in ("arithmetic", "inferred"))
        out.print(f"[yellow]标{MARK}的值不是直接读自所在的单元格（{kinds}），请核对；依据见下方提示。[/]")
    print_warnings(result, err)
    return EXIT_WARNINGS if result.problems else EXIT_OK
