"""``jixiao library build`` and ``jixiao library search``: the indicator library (指标库) from documents.

``build`` reads any input ``jixiao import`` reads, one file at a time, gathers every indicator
into the library (jixiao.core.library) and writes it as JSON (``--out``) and, with ``--csv``, as
a table for a spreadsheet. An input that cannot be read is named with its place and skipped; the
library is built from the rest. ``search`` prints the entries whose name or a variant matches.
Exit status: 0 when all is well, 2 when some input could not be read (the library is still
written), when nothing could be read or written, or on wrong usage.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jixiao.cli.common import EXIT_OK, EXIT_UNUSABLE, READS, epilog, exit_codes, print_error
from jixiao.cli.importing import collect
from jixiao.cli.progress import Display
from jixiao.core.errors import JixiaoError, Location
from jixiao.core.library import Entry, Library, Miner, search
from jixiao.documents.importer import import_path
from jixiao.documents.oserrors import describe

DEFAULT_LIBRARY = Path("library.json")
CSV_COLUMNS = (
    "编码",
    "一级指标",
    "二级指标",
    "指标名称",
    "共性指标",
    "使用次数",
    "项目数",
    "部门数",
    "单位",
    "指标方向",
    "名称变体",
    "年度",
    "行业",
    "指标值分布",
    "判定次数",
    "达成次数",
    "达成率(%)",
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``library`` verb with its ``build`` and ``search`` actions."""
    library = sub.add_parser(
        "library",
        help="指标库：从文档中归集指标（build），查询指标库（search）",
        description="指标库：从申报表、自评表、转移支付自评表、监控表中归集每个指标，按名称聚类，统计指标值和达成情况。",
    )
    actions = library.add_subparsers(dest="action", title="操作", parser_class=type(library))
    actions.required = True
    build = actions.add_parser(
        "build",
        help="从文件或文件夹归集指标，写出指标库（JSON，可加 CSV）",
        description=(
            "读取每个文件中每个项目的绩效指标，把措辞略有不同的指标名称聚为一条（如“满意度”“满意率”“服务对象满意度”），"
            "给出编码、一级/二级指标、常用单位、指标方向、各单位指标值的分布（最小、四分位、最大）、"
            "有实际完成值时的达成率、使用的项目和年度、行业和是否共性指标（财预〔2021〕101号）。"
        ),
        epilog=epilog(
            READS,
            exit_codes(
                "0  全部读取，指标库已写出",
                "2  有文件无法读取（已跳过，指标库由其余文件生成并写出），没有可读取的文件，无法写出，或用法错误",
            ),
        ),
    )
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="文件或文件夹（文件夹递归读取）")
    build.add_argument("--out", type=Path, required=True, metavar="FILE", help="写出的指标库 JSON 文件")
    build.add_argument(
        "--csv", type=Path, metavar="FILE", help="另写出一份 CSV 表格（UTF-8，带 BOM，Excel 可直接打开）"
    )
    build.set_defaults(handler=run_build)
    find = actions.add_parser(
        "search",
        help="在指标库中按名称查询指标",
        description="在指标名称及其各种写法中查询，列出匹配的指标及使用次数、名称变体、单位和指标值范围。多个词须同时匹配。",
        epilog=exit_codes("0  查询完成（含没有匹配）", "2  指标库文件无法读取，或用法错误"),
    )
    find.add_argument("words", nargs="+", metavar="WORDS", help="查询的词，如 满意度")
    find.add_argument(
        "--library", type=Path, default=DEFAULT_LIBRARY, metavar="FILE", help="指标库 JSON 文件（默认 library.json）"
    )
    find.add_argument("--limit", type=int, default=20, metavar="N", help="最多列出的条数（默认 20）")
    find.set_defaults(handler=run_search)


def _write_atomically(target: Path, text: str, encoding: str = "utf-8") -> None:
    """Write the whole file or nothing: a half-written library is never left under its name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(text, encoding=encoding, newline="")
    os.replace(partial, target)


def _targets_text(entry: Entry) -> str:
    """``%：80–99（中位数 85，n=16）；人次：…``: the target range of each unit."""
    parts = []
    for t in entry.targets:
        unit = t.unit or "无单位"
        span = f"{t.min}" if t.min == t.max else f"{t.min}–{t.max}"
        parts.append(f"{unit}：{span}（四分位 {t.q1}/{t.median}/{t.q3}，n={t.count}）")
    return "；".join(parts)


def csv_text(library: Library) -> str:
    """The library as CSV, one row per entry."""
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in library.entries:
        rate = e.met_rate
        writer.writerow(
            (
                e.code,
                e.level1,
                e.level2,
                e.name,
                "是" if e.common else "否",
                e.uses,
                e.projects,
                e.departments,
                e.unit,
                e.direction,
                "；".join(f"{v}×{n}" for v, n in e.variants.items()),
                "、".join(str(y) for y in e.years),
                "、".join(e.sectors),
                _targets_text(e),
                e.assessed,
                e.met,
                "" if rate is None else str(rate),
            )
        )
    return buffer.getvalue()


def run_build(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Read every input, mine the library, write it; unreadable inputs are listed and skipped."""
    found = collect(args.paths, err)
    if found is None:
        return EXIT_UNUSABLE
    files = found[0]
    miner = Miner()
    failed: list[JixiaoError] = []
    with Display(err, files, "读取") as display:
        for f in files:
            try:
                miner.add(import_path(f, display.file(f)).document)
            except JixiaoError as exc:
                failed.append(exc)
            display.finished()
    if miner.documents == 0:
        for problem in failed:
            print_error(err, problem)
        err.print("[red]没有可读取的文件，未写出指标库[/]")
        return EXIT_UNUSABLE
    library = miner.library()
    try:
        _write_atomically(args.out, json.dumps(library.to_json(), ensure_ascii=False, indent=1) + "\n")
        if args.csv:
            _write_atomically(args.csv, csv_text(library), encoding="utf-8-sig")
    except OSError as exc:
        where = args.csv if args.csv and args.out.exists() else args.out
        print_error(err, JixiaoError(f"无法写出：{describe(exc)}", Location(file=str(where))))
        return EXIT_UNUSABLE
    common = sum(1 for e in library.entries if e.common)
    out.print(
        f"读取 {len(files) - len(failed)} 个文件（{library.documents} 份文档，{library.projects} 个项目年度），"
        f"归集 {library.indicators} 条指标为 {len(library.entries)} 个指标库条目（其中共性指标 {common} 个），"
        f"已写出 {escape(str(args.out))}" + (f" 和 {escape(str(args.csv))}" if args.csv else ""),
        highlight=False,
    )
    if failed:
        err.print(f"[red]{len(failed)} 个文件无法读取，已跳过：[/]", highlight=False)
        for problem in failed:
            print_error(err, problem)
        return EXIT_UNUSABLE
    return EXIT_OK


def _load(path: Path, err: Console) -> Library | None:
    try:
        return Library.from_json(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        message = f"无法读取指标库：{describe(exc)}（先用 jixiao library build … --out {path} 生成）"
    except (ValueError, UnicodeDecodeError) as exc:
        message = f"指标库文件无法识别：{exc}"
    print_error(err, JixiaoError(message, Location(file=str(path))))
    return None


def run_search(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Print the entries matching the words as a table."""
    library = _load(args.library, err)
    if library is None:
        return EXIT_UNUSABLE
    words = " ".join(args.words)
    found = search(library, words)
    if not found:
        out.print(f"指标库中没有与“{escape(words)}”匹配的指标（共 {len(library.entries)} 个条目）", highlight=False)
        return EXIT_OK
    table = Table(title=f"与“{escape(words)}”匹配的指标：{len(found)} 个", title_justify="left", show_lines=True)
    for col, justify in (
        ("编码/类别", "left"),
        ("指标名称及写法", "left"),
        ("次数/项目", "right"),
        ("单位/方向", "left"),
        ("指标值范围", "left"),
        ("达成", "right"),
    ):
        table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for e in found[: args.limit]:
        variants = "\n".join(f"· {escape(v)} ×{n}" for v, n in list(e.variants.items())[:6])
        more = f"\n· 另有 {len(e.variants) - 6} 种写法" if len(e.variants) > 6 else ""
        rate = e.met_rate
        table.add_row(
            f"{e.code}\n{escape(e.level1)}/{escape(e.level2)}" + ("\n共性" if e.common else ""),
            f"[bold]{escape(e.name)}[/]\n{variants}{more}",
            f"{e.uses}/{e.projects}",
            f"{escape(e.unit or '—')}\n{e.direction or '—'}",
            escape(_targets_text(e).replace("；", "\n")) or "—",
            "—" if rate is None else f"{e.met}/{e.assessed}\n{rate}%",
        )
    out.print(table)
    if len(found) > args.limit:
        out.print(f"另有 {len(found) - args.limit} 个匹配未列出（用 --limit 列出更多）", highlight=False)
    return EXIT_OK
