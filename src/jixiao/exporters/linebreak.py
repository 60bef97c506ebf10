"""Where a cell's text may wrap: between Chinese characters, never inside a number or a 指标值.

ReportLab's CJK wrapping breaks after any character that fills the line, so 「医疗机构≥40%」 in a
narrow cell could print as 「≥4」 over 「0%」: wrong on paper and wrong when the PDF is read back.
This module decides the lines itself and hands ReportLab lines that already fit:

- a run of a comparison sign, digits, decimal point, per cent or a unit in brackets
  (``≥40%``, ``1,234.50``, ``≤12(小时)``) and a Latin word (``DRG/DIP``) are kept whole;
- a line never starts with a closing mark (。，、）% …) nor ends with an opening one (（《「);
- a line breaks at a space only between two Latin letters, where a reader puts the space back
  (:func:`jixiao.documents.tabular.cell_line_text` joins wrapped lines by the same rule), so a
  wrapped cell reads back exactly as it was written;
- only a single piece wider than the whole line is cut inside, as nothing else can fit it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A figure with its sign and unit, or a Latin word: the pieces no line break may enter.
_PIECE = re.compile(
    r"[<>≤≥=＜＞≦≧±~～+\-]*\d[\d.,:/%‰]*(?:\([^()\s]{1,8}\)|（[^（）\s]{1,8}）|%|‰)?"
    r"|[A-Za-z][A-Za-z0-9./_\-]*"
    r"|[<>≤≥=＜＞≦≧]+"
)
NO_START = set("。，、；：？！）》」』】〕〉’”%‰·…—～,.;:?!)]}")
NO_END = set("（《「『【〔〈‘“([{")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def joins_with_space(left: str, right: str) -> bool:
    """True when a reader joins two wrapped lines ending in ``left`` and starting with ``right`` with a space."""
    return _latin(left) and _latin(right)


def _atoms(text: str) -> list[str]:
    """The text as pieces that are never broken: whole figures and words, else single characters."""
    atoms: list[str] = []
    at = 0
    for match in _PIECE.finditer(text):
        atoms.extend(text[at : match.start()])
        atoms.append(match.group())
        at = match.end()
    atoms.extend(text[at:])
    return atoms


def segments(text: str) -> list[tuple[str, bool]]:
    """The text cut at every place a line may end: (segment, whether a dropped space follows it).

    Kept together: a figure or word, a closing mark with what precedes it, an opening mark with
    what follows it, and anything on either side of a space that a reader would not put back.
    """
    atoms = _atoms(text)
    out: list[tuple[str, bool]] = []
    current = ""
    for n, atom in enumerate(atoms):
        before = atoms[n - 1] if n else ""
        after = atoms[n + 1] if n + 1 < len(atoms) else ""
        if atom == " " and current and after and joins_with_space(current[-1], after[0]):
            out.append((current, True))  # the space is the break; the reader puts it back
            current = ""
            continue
        glue = not current or atom.isspace() or before.isspace() or atom[0] in NO_START or current[-1] in NO_END
        if glue:
            current += atom
        else:
            out.append((current, False))
            current = atom
    if current or not out:
        out.append((current, False))
    return out


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """The lines of one paragraph ``text`` within ``width`` (``measure`` gives a string's width)."""
    lines: list[str] = []
    line, space = "", False
    for segment, space_after in segments(text):
        trial = line + (" " if space else "") + segment
        if not line or measure(trial) <= width:
            line = trial
        else:
            lines.append(line)
            line = segment
        space = space_after
        # only a segment wider than a whole line is cut inside, where nothing else can fit it
        while measure(line) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and measure(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    lines.append(line)
    return lines
