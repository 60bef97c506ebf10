"""Markup left behind by PDF-to-text tools, removed before any reading.

Extraction tools leave HTML (``<p>``), LaTeX math (``$\\geq 90\\%$``),
Markdown (``**bold**``, pipe tables, ``---`` rules) and odd spaces (NBSP,
ideographic space) in the text. This module turns one raw line into plain
text whose cells are separated by tabs, and knows nothing of the forms.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"</?(?:p|br|span|div|b|strong|em|i|u|sup|sub|font)\b[^>]*>", re.IGNORECASE)
_CELL_TAG = re.compile(r"</?(?:td|th)\b[^>]*>", re.IGNORECASE)
_ROW_TAG = re.compile(r"</?(?:tr|table|tbody|thead)\b[^>]*>", re.IGNORECASE)
_LATEX_COMMANDS = (
    ("\\geqslant", "≥"),
    ("\\leqslant", "≤"),
    ("\\geq", "≥"),
    ("\\leq", "≤"),
    ("\\ge", "≥"),
    ("\\le", "≤"),
    ("\\times", "×"),
    ("\\sim", "~"),
    ("\\%", "%"),
    ("\\cdot", "·"),
)
_LATEX_TEXT = re.compile(r"\\(?:text|mathrm|textrm|mathbf)\{([^{}]*)\}")
_RULE = re.compile(r"^[\s|:+-]*-{3,}[\s|:+-]*$")
_ODD_SPACES = str.maketrans({"\xa0": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " "})
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def is_rule(line: str) -> bool:
    """True for a Markdown table rule or separator line such as ``--\\t----`` or ``|---|---|``."""
    return bool(_RULE.match(line)) and "-" in line


def _latex(text: str) -> str:
    if "$" not in text and "\\" not in text:
        return text
    text = _LATEX_TEXT.sub(r"\1", text)
    for command, symbol in _LATEX_COMMANDS:
        text = text.replace(command, symbol)
    return text.replace("$", "")


def clean_line(raw: str) -> str:
    """Plain text of one extracted line; cells stay separated by tabs."""
    text = _INVISIBLE.sub("", raw.translate(_ODD_SPACES))
    if "<" in text:
        text = _CELL_TAG.sub("\t", text)
        text = _ROW_TAG.sub("", text)
        text = _TAG.sub(" ", text)
    text = _latex(text)
    text = text.replace("**", "").replace("__", "")
    stripped = text.strip()
    if re.match(r"#{1,6}\s", stripped):  # a Markdown heading needs its space: #3机组 is text
        text = stripped.lstrip("#").strip()
    # A Markdown pipe row becomes a tab row; pipes inside ordinary text stay.
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        text = "\t".join(cell.strip() for cell in stripped[1:-1].split("|"))
    text = text.rstrip()
    # most lines need no cleaning: keep the source line's own string rather than a copy of it
    # (a 20 MB file has half a million lines, each held as source and as row until the end)
    return raw if text == raw else text


def join_cell(text: str) -> str:
    """A cell's text with line breaks and spaces removed, except one space between Latin words."""
    parts = text.split()
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        if out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out
