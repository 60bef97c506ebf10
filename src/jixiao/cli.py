"""The ``jixiao`` command.

File-only verbs need no database: ``import`` turns published forms into the
document JSON, ``show`` prints what was read. Exit status: 0 when every input
was read cleanly, 1 when some were read with warnings, 2 for unusable input
or wrong usage; every message names the file and the place.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from jixiao import __version__
from jixiao.core.errors import JixiaoError
from jixiao.core.model import FUND_ROW_LABELS, Document, Project
from jixiao.core.serialize import dumps
from jixiao.documents.importer import READABLE_SUFFIXES, expand, import_path
from jixiao.documents.result import ImportResult

EXIT_OK, EXIT_WARNINGS, EXIT_UNUSABLE = 0, 1, 2
PROGRESS_FROM = 5  # files; fewer finish before a bar would be seen


class _Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and a Chinese hint on usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"jixiao: 用法错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``jixiao`` command."""
    parser = _Parser(prog="jixiao", description="jixiao 绩效：财政项目绩效管理的开放工具。")
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    sub.required = True

    imp = sub.add_parser("import", help="读取已发布的绩效表（文本提取结果），写出文档 JSON")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="文件或文件夹（文件夹递归读取）")
    imp.add_argument("--out-dir", type=Path, default=Path("."), metavar="DIR", help="输出文件夹（默认当前文件夹）")
    imp.add_argument("--quiet", "-q", action="store_true", help="只打印汇总行和错误")

    show = sub.add_parser("show", help="以表格显示读取结果")
    show.add_argument("path", type=Path, metavar="PATH", help="一个文件（文本提取结果或文档 JSON）")
    show.add_argument("--project", metavar="名称", help="只显示名称包含此文字的项目")
    return parser


@dataclass
class _Tally:
    files: int = 0
    projects: int = 0
    indicators: int = 0
    warnings: int = 0
    notes: int = 0
    failed: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = f"共 {self.files} 个文件：{self.projects} 个项目，{self.indicators} 个指标，{self.warnings} 条警告"
        if self.notes:
            text += f"，{self.notes} 条提示"
        if self.failed:
            text += f"；{len(self.failed)} 个文件无法读取"
        return text


def _out_name(path: Path, roots: dict[Path, Path], taken: set[Path], out_dir: Path) -> Path:
    """``<stem>.json`` in the output folder, keeping a folder input's subfolders apart."""
    root = roots.get(path)
    rel = path.relative_to(root).with_suffix(".json") if root else Path(path.stem + ".json")
    target = out_dir / rel
    n = 2
    while target in taken:
        target = target.with_name(f"{rel.stem}-{n}.json")
        n += 1
    taken.add(target)
    return target


def cmd_import(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``jixiao import``: read each input, write its JSON, report warnings and a summary."""
    roots: dict[Path, Path] = {}
    files: list[Path] = []
    for given in args.paths:
        if not given.exists():
            err.print(f"[red]{given}: 文件或文件夹不存在[/]")
            return EXIT_UNUSABLE
        for f in expand([given]):
            if given.is_dir():
                roots[f] = given
            files.append(f)
    if not files:
        err.print(f"[red]没有可读取的文件（可读取：{'、'.join(READABLE_SUFFIXES)}）[/]")
        return EXIT_UNUSABLE
    args.out_dir.mkdir(parents=True, exist_ok=True)
    tally = _Tally()
    taken: set[Path] = set()
    show_bar = len(files) >= PROGRESS_FROM and err.is_terminal
    progress = Progress(
        TextColumn("读取中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True
    )
    with progress if show_bar else _NoProgress():
        task = progress.add_task("import", total=len(files)) if show_bar else None
        for f in files:
            tally.files += 1
            try:
                result = import_path(f)
            except JixiaoError as exc:
                tally.failed.append(str(f))
                err.print(f"[red]错误[/] {exc}", highlight=False, soft_wrap=True)
            else:
                target = _out_name(f, roots, taken, args.out_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(dumps(result.document), encoding="utf-8")
                _count(result, tally)
                if not args.quiet:
                    _print_warnings(result, err)
            if task is not None:
                progress.advance(task)
    out.print(tally.line(), highlight=False)
    if tally.failed:
        return EXIT_UNUSABLE
    return EXIT_WARNINGS if tally.warnings else EXIT_OK


class _NoProgress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _count(result: ImportResult, tally: _Tally) -> None:
    tally.projects += len(result.document.projects)
    tally.indicators += result.document.indicator_count
    tally.warnings += len(result.problems)
    tally.notes += len(result.warnings) - len(result.problems)


def _print_warnings(result: ImportResult, err: Console) -> None:
    for w in result.warnings:
        tag = "[yellow]警告[/]" if w.level == "warning" else "[cyan]提示[/]"
        err.print(f"{tag} {w}", highlight=False, soft_wrap=True)


def _fmt(value: Decimal | str | None) -> str:
    if value is None:
        return "—"
    return str(value)


def _project_tables(p: Project, doc: Document, console: Console) -> None:
    console.rule(f"[bold]{p.name}[/]")
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
        for key, row in rows:
            funds.add_row(
                FUND_ROW_LABELS[key],
                *(_fmt(v) for v in (row.initial, row.adjusted, row.executed, row.requested, row.rate_pct)),
            )
        console.print(funds)
    if p.execution is not None:
        e = p.execution
        console.print(f"预算执行率：分值 {_fmt(e.weight)}，执行率 {_fmt(e.rate_pct)}%，得分 {_fmt(e.score)}")
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
    for ind in p.indicators:
        l1 = ind.level1 if ind.level1 != last[0] else ""
        l2 = (ind.level2 or "") if (ind.level1, ind.level2) != last else ""
        last = (ind.level1, ind.level2)
        table.add_row(
            l1,
            l2,
            ind.name,
            ind.target or "—",
            ind.actual or "",
            _fmt(ind.weight) if ind.weight is not None else "",
            _fmt(ind.score) if ind.score is not None else "",
            ind.deviation or "",
        )
    console.print(table)
    if p.total_score is not None or p.grade:
        console.print(f"总分 {_fmt(p.total_score)}" + (f"    评分等级 {p.grade}" if p.grade else ""))


def cmd_show(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``jixiao show``: print one source's document as readable tables."""
    if not args.path.exists():
        err.print(f"[red]{args.path}: 文件不存在[/]")
        return EXIT_UNUSABLE
    try:
        result = import_path(args.path)
    except JixiaoError as exc:
        err.print(f"[red]错误[/] {exc}", highlight=False, soft_wrap=True)
        return EXIT_UNUSABLE
    doc = result.document
    out.print(
        f"[bold]{args.path.name}[/]：{doc.kind.label}，{doc.year or '年度未注明'}年度，"
        f"{len(doc.projects)} 个项目，{doc.indicator_count} 个指标",
        highlight=False,
    )
    for project in doc.projects:
        if args.project and args.project not in project.name:
            continue
        _project_tables(project, doc, out)
    _print_warnings(result, err)
    return EXIT_WARNINGS if result.problems else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jixiao`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Console()
    err = Console(stderr=True)
    commands = {"import": cmd_import, "show": cmd_show}
    try:
        return commands[args.command](args, out, err)
    except KeyboardInterrupt:
        err.print("已中断")
        return 130


if __name__ == "__main__":
    sys.exit(main())
