"""``jixiao export``: any input jixiao reads, out as official forms (XLSX, PDF), a report (DOCX) or open data (CSV)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from jixiao.cli.common import (
    EXIT_OK,
    EXIT_UNUSABLE,
    EXIT_WARNINGS,
    READS,
    epilog,
    exit_codes,
    make_out_dir,
    print_error,
    print_warnings,
    write_error,
)
from jixiao.cli.importing import collect, out_name
from jixiao.cli.progress import Display
from jixiao.core.errors import JixiaoError, Location
from jixiao.documents import limits, safety
from jixiao.documents.importer import import_path
from jixiao.documents.limits import megabytes
from jixiao.exporters.formats import RENDERERS, Renderer
from jixiao.exporters.model import Report, Style
from jixiao.exporters.report import build_report

FORMATS = tuple(RENDERERS)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``export`` verb."""
    p = sub.add_parser(
        "export",
        help="导出为官方格式的 Excel、PDF 表格，Word 自评报告，或 CSV 开放数据",
        description=(
            "把每个输入导出为官方格式的 Excel 或 PDF 表格、Word 自评报告（附表格），或 CSV 开放数据包"
            "（每个输入一个文件夹，含 datapackage.json，可再用 jixiao import 读回）。从不覆盖输入文件。"
        ),
        epilog=epilog(
            READS,
            exit_codes(
                "0  全部导出，没有警告",
                "1  全部导出，但读取时有警告",
                "2  有文件无法读取或无法写出（其余文件照样导出），或用法错误",
            ),
        ),
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="文件或文件夹（任何 jixiao 能读取的格式）")
    p.add_argument("--to", required=True, choices=FORMATS, help="导出格式：xlsx、pdf、docx 或 csv")
    p.add_argument("--out-dir", type=Path, default=Path("."), metavar="DIR", help="输出文件夹（默认当前文件夹）")
    p.add_argument(
        "--style",
        choices=("auto", "2022", "2024"),
        default="auto",
        help="自评表样式：2022（元，无评分等级）或 2024（万元，成本指标在前，评分等级）；默认按数据判断",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="只打印汇总行和错误")
    p.set_defaults(handler=run)


def _too_large_to_read(report: Report, fmt: str) -> str | None:
    """Why the export of ``report`` could not be read back by jixiao (its readers' limits), or None.

    Known before rendering: a workbook's rows and sheets, a PDF's one page at least per form.
    """
    forms = (report.summary, *report.forms)
    if fmt == "xlsx":
        rows = sum(len(form.grid.rows) for form in forms)
        if rows > safety.MAX_ROWS or len(forms) * 2 + 10 > safety.MAX_ZIP_ENTRIES:
            return f"有 {len(forms)} 个工作表、{rows} 行，超过 jixiao 能读回的 {safety.MAX_ROWS} 行"
    if fmt == "pdf" and len(forms) > safety.MAX_PAGES:
        return f"至少有 {len(forms)} 页，超过 jixiao 能读回的 {safety.MAX_PAGES} 页"
    return None


def _write(report: Report, renderer: Renderer, target: Path) -> list[Path]:
    """Render ``report`` to ``target`` (a folder for CSV); the files written.

    What jixiao could not read back is not left behind: a PDF past the readers' page limit or a
    file past their size limit is removed and refused, so every file jixiao writes, it can read.
    """
    written = renderer.write(report, target)
    return _checked(written.paths, written.pages)


def _checked(written: list[Path], pages: int) -> list[Path]:
    """The written files, or none (removed, with an error) when one is past what jixiao reads."""
    reason = None
    if pages > safety.MAX_PAGES:
        reason = f"有 {pages} 页，超过 jixiao 能读回的 {safety.MAX_PAGES} 页"
    for path in written:
        size = path.stat().st_size
        if reason is None and size > limits.MAX_BYTES:
            reason = f"{path.name} 有 {megabytes(size)}，超过 jixiao 能读回的 {megabytes(limits.MAX_BYTES)}"
    if reason is None:
        return written
    for path in written:
        path.unlink(missing_ok=True)
    raise JixiaoError(f"导出的文件{reason}，已删除：请把输入分成几份再导出", Location(file=str(written[0])))


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Read each input and write it in the chosen format; warnings and a summary as for ``import``."""
    found = collect(args.paths, err)
    if found is None:
        return EXIT_UNUSABLE
    files, roots = found
    if not make_out_dir(args.out_dir, err):
        return EXIT_UNUSABLE
    # "auto" lets the data decide (grades, 万元 or 成本指标 mean the 2024 layout)
    style = None if args.style == "auto" else Style(args.style)
    renderer = RENDERERS[args.to]
    taken: set[Path] = set()
    written = warnings = 0
    failed: list[Path] = []
    with Display(err, files, "读取") as display:
        for f in files:
            progress = display.file(f)
            try:
                result = import_path(f, progress)
                report = build_report(result.document, style)
                target = out_name(f, roots, taken, args.out_dir, renderer.suffix)
                if target.resolve() == f.resolve():
                    # never write over the input (an XLSX exported to XLSX in its own folder)
                    target = target.with_name(f"{target.stem}-导出{target.suffix}")
                too_large = _too_large_to_read(report, args.to)
                if too_large:
                    raise JixiaoError(
                        f"导出的文件{too_large}，未导出：请把输入分成几份再导出", Location(file=str(target))
                    )
                progress(0.97, f"写出{renderer.name}")
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _write(report, renderer, target)
                except OSError as exc:
                    raise write_error(target, exc) from None
            except JixiaoError as exc:
                # one unusable input does not stop the others; it is named and counted
                failed.append(f)
                print_error(err, exc)
                display.finished()
                continue
            display.finished()
            written += 1
            warnings += len(result.problems)
            if not args.quiet:
                print_warnings(result, err)
                out.print(f"{f} → {target}", highlight=False)
    summary = f"共 {len(files)} 个文件：导出 {written} 个 {RENDERERS[args.to].name}，{warnings} 条警告"
    if failed:
        summary += f"；{len(failed)} 个文件无法读取或写出"
    out.print(summary, highlight=False)
    if failed:
        return EXIT_UNUSABLE
    return EXIT_WARNINGS if warnings else EXIT_OK
