"""Text in a spreadsheet or a CSV file that can never run as a formula: the one rule every download follows.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` is read by Excel, WPS and LibreOffice as a
formula (``=HYPERLINK(…)`` sends the neighbouring cells to another site, ``@SUM(1+9)*cmd|' /C calc'!A0``
starts a program through DDE); a leading tab or carriage return is stripped by some of them before they
decide. So (reliability.md, "Exports never create formulas from user text"):

* in XLSX, user text is a text cell (data type ``s``, never ``f``), and text with one of those starts
  also gets Excel's quote prefix, so that editing the cell does not turn it into a formula either;
* in CSV, which has no types, such text is written with a leading apostrophe.

Numbers are never text here: a negative amount stays a number in both formats.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

__all__ = ["FORMULA_STARTS", "csv_text", "starts_formula", "xlsx_text"]


def starts_formula(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: a leading apostrophe where it could start a formula.

    The apostrophe is also put before a text that already starts with apostrophes and then a
    formula character, so that a reader removes exactly one and gets the text back unchanged
    (``jixiao import`` reads a CSV package back).
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def xlsx_text(cell: Any, text: str) -> bool:
    """Set ``text`` on an openpyxl cell as text, never a formula or an error code.

    openpyxl makes a formula of any string starting with ``=`` and an error value of ``#N/A``, so the
    type is forced back to a string after the value is set. Returns True when the cell also needs the
    quote prefix (its text starts like a formula); the caller sets it with the cell's style.
    """
    cell.value = text
    cell.data_type = "s"
    return starts_formula(text)
