"""The one error tree of jixiao.

Every error a user can meet is a :class:`JixiaoError`. It carries where the
problem is (a file, and inside it a line, a page, a sheet and cell, or a
JSON path) and says in plain words what was expected, so that a finance
officer can find and fix it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where something sits in a source: file plus line, page, cell or JSON path."""

    file: str | None = None
    line: int | None = None
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.sheet:
            parts.append(f"工作表 {self.sheet}")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.path:
            parts.append(self.path)
        return ", ".join(parts) if parts else "(未知位置)"


class JixiaoError(Exception):
    """Base of every jixiao error; ``location`` says where, the message says what."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class DocumentError(JixiaoError):
    """A document JSON that does not follow ``jixiao.document/1``."""


class SourceError(JixiaoError):
    """A source file that cannot be read as a performance document at all."""


class EncodingError(SourceError):
    """A text file in an encoding jixiao cannot decode (not UTF-8 or GB18030)."""
