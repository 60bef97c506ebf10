"""What reading payment-system exports gives: rows, and every problem with file, sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.core.errors import Location, SourceError
from jixiao.core.execution import ExecutionRow


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (file, sheet, row, column) and what to fix, in Chinese."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None  # ``D列「已支付金额」`` (XLSX) or ``第4列「已支付金额」`` (CSV)
    sheet: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(self.column)
        return " ".join(parts) + "：" + self.message


@dataclass(frozen=True)
class PaymentFile:
    """What one file gave: its usable rows, its problems, and the rows left out on purpose (totals, notes)."""

    name: str
    rows: tuple[ExecutionRow, ...]
    problems: tuple[Problem, ...]
    skipped: tuple[str, ...] = ()
    encoding: str | None = None  # CSV only: utf-8, utf-8-sig, utf-16 or gb18030


@dataclass(frozen=True)
class PaymentBatch:
    """Several files read together; usable only whole (:meth:`require`)."""

    files: tuple[PaymentFile, ...]

    @property
    def problems(self) -> list[Problem]:
        """Every problem of every file, in file order."""
        return [p for f in self.files for p in f.problems]

    @property
    def ok(self) -> bool:
        """True when no file has a problem."""
        return not self.problems

    def require(self) -> list[ExecutionRow]:
        """All rows of all files, or a :class:`SourceError` listing every problem (nothing is imported)."""
        problems = self.problems
        if problems:
            shown = "\n".join(str(p) for p in problems[:200])
            more = f"\n……另有 {len(problems) - 200} 处" if len(problems) > 200 else ""
            raise SourceError(
                f"执行数文件有 {len(problems)} 处问题，全部未导入，请修改后重新导入：\n{shown}{more}",
                Location(file=problems[0].file),
            )
        return [r for f in self.files for r in f.rows]
