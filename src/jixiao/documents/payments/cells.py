"""One cell of an export: its text, a header's field, an amount or a date, read exactly or refused with a reason."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from jixiao.documents.payments import columns

Cell = str | Decimal | date | None

SPACE = re.compile(r"\s+")
UNIT_IN_HEADER = re.compile(r"\((?:单位[:：])?(?:人民币)?(万元|元)\)")
UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(?:人民币)?(万元|元)")
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def text_of(cell: Cell) -> str:
    """A cell as text: stripped, a number without a trailing .0, a date as 2024-07-31."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f") if cell == cell.to_integral_value() else format(cell, "f")
    if isinstance(cell, date):
        return cell.isoformat()
    return cell.strip()


def header_key(label: str) -> str:
    """A header cell as compared with the column names: NFKC, no spaces, no unit in brackets, lower case."""
    key = SPACE.sub("", unicodedata.normalize("NFKC", label))
    return UNIT_IN_HEADER.sub("", key).casefold()


def field_of(label: str) -> str | None:
    """The field a header text names (a key of ``columns.NAMES``), or None."""
    key = header_key(label)
    if not key:
        return None
    for name, names in columns.NAMES.items():
        if key in names:
            return name
    for name, patterns in columns.PATTERNS.items():
        if any(p.match(key) for p in patterns):
            return name
    return None


def parse_amount(cell: Cell) -> tuple[Decimal | None, str | None]:
    """A money cell as a Decimal in its own unit, or the reason it is not one (``(None, None)``: empty).

    Accepts number cells, ``1234.56``, ``1,234.56``, full-width digits, a trailing 元, and ``(1234.56)``
    or ``-1234.56`` as negatives (which the caller refuses, naming them).
    """
    if isinstance(cell, Decimal):
        return cell, None
    raw = text_of(cell)
    value = SPACE.sub("", unicodedata.normalize("NFKC", raw))
    if value in ("", "-", "--", "—", "——"):
        return None, None
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    elif value.startswith("-"):
        negative, value = True, value[1:]
    if value.endswith("元") and not value.endswith("万元"):
        value = value[:-1]
    if not _NUMBER.match(value):
        return None, f"不是数字（“{raw}”），请填写金额，如 1234.56"
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None, f"不是数字（“{raw}”）"
    return (-number if negative else number), None


def parse_date(cell: Cell) -> tuple[date | None, str | None]:
    """A date cell, or the reason it is not one (``(None, None)``: empty)."""
    if isinstance(cell, date):
        return cell, None
    raw = text_of(cell)
    if not raw:
        return None, None
    found = _DATE.match(unicodedata.normalize("NFKC", raw))
    if found:
        try:
            return date(int(found[1]), int(found[2]), int(found[3])), None
        except ValueError:
            pass
    return None, f"不是有效日期（“{raw}”），请写成 2024-07-31 或 2024年7月31日"
