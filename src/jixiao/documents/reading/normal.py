"""Printed text and its matching form: labels and grammar match on the one, values keep the other.

Published forms reach us folded in every way a copy can fold them: full-width
digits and brackets, simplified text machine-converted to traditional (with
the converter's pinyin hints left in words: ``區(qū)``, ``標(biāo)``), ``≧``
for ``≥``, ASCII ``>=``. :func:`fold` gives the *matching form* of a printed
string (no white space, NFKC, simplified characters, pinyin hints dropped,
comparison signs unified) together with the position in the printed string
of every matching character, so that a cut found in the matching form (where
a label ends and its value begins) cuts the printed text at the same place.
What a reader stores is always the printed text.

The traditional-to-simplified mapping is OpenCC's (``t2s``), imported on
first use; see docs/decisions/0007-reading-published-forms.md for the choice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# A converter's pinyin hint after a character: 區(qū), 標(biāo), 關(guān). It must carry a tone mark or
# ü, so that a printed bracket of Latin letters (单位(m), 型号(a)) is never taken for one.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_TONED = re.compile(rf"(?<=[\u3400-\u9fff])\((?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,7}}\)")
# In a text that carries toned hints, a toneless one (們(men)) and one cut by the excerpt's end (生態(t).
_PINYIN_PLAIN = re.compile(rf"(?<=[\u3400-\u9fff])\([a-z{_TONED}]{{1,7}}(?:\)|$)")
_PINYIN_MODE_MIN = 3  # toned hints in a text before toneless ones are taken for hints too

# Matching-form folds beyond NFKC: two-character signs and the look-alikes of forms.
_PAIRS = {">=": "≥", "<=": "≤", "=>": "≥", "=<": "≤"}
_SINGLE = str.maketrans({"≧": "≥", "≦": "≤", "═": "=", "〓": "="})
# Template markers (*指标值, ★核心指标, 一*级项目名称) mark, they never name: the matching form drops them.
_MARKERS = frozenset("*★☆※")
# OCR reads 元 as 兀 after 万 (万兀); only in that pair, since 兀 is a character of its own.
_OCR_PAIRS = {"万兀": "万元", "萬兀": "万元"}


@dataclass(frozen=True, slots=True)
class Folded:
    """A printed string and its matching form, with where each matching character was printed."""

    printed: str
    norm: str
    # offsets[i]: index in ``printed`` of the character that gave norm[i]; offsets[-1] == len(printed)
    offsets: tuple[int, ...]

    def printed_span(self, start: int, end: int) -> str:
        """The printed text behind ``norm[start:end]`` (white space inside it kept as printed)."""
        last = len(self.offsets) - 1
        start, end = max(0, min(start, last)), max(0, min(end, last))
        if start >= end:
            return ""
        return self.printed[self.offsets[start] : self.offsets[end]]


_converter: Any = None


def _t2s(text: str) -> str:
    """Traditional to simplified by OpenCC, loaded once per process (about 80 ms)."""
    global _converter
    if _converter is None:
        import opencc  # the conversion tables are in the package: nothing is fetched at run time

        _converter = opencc.OpenCC("t2s")
    out: str = _converter.convert(text)
    return out


@lru_cache(maxsize=4096)
def _nfkc(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def has_pinyin_hints(text: str) -> bool:
    """True when ``text`` carries enough toned pinyin hints to take toneless ones for hints too."""
    return len(_PINYIN_TONED.findall(text)) >= _PINYIN_MODE_MIN


def _hint_spans(text: str, pinyin_mode: bool) -> list[tuple[int, int]]:
    if "(" not in text:
        return []
    pattern = _PINYIN_PLAIN if pinyin_mode else _PINYIN_TONED
    return [m.span() for m in pattern.finditer(text)]


@lru_cache(maxsize=65536)  # the same labels and cells come back in every form of a publication
def fold(printed: str, pinyin_mode: bool = False) -> Folded:
    """The matching form of ``printed`` with its offsets (see the module docstring)."""
    skip = _hint_spans(printed, pinyin_mode)
    chars: list[str] = []
    offsets: list[int] = []
    k = 0
    for i, ch in enumerate(printed):
        while k < len(skip) and i >= skip[k][1]:
            k += 1
        if k < len(skip) and skip[k][0] <= i < skip[k][1]:
            continue
        if ch.isspace() or ch in _MARKERS:
            continue
        for out in _nfkc(ch) if ord(ch) > 127 else ch:
            if not out.isspace():
                chars.append(out)
                offsets.append(i)
    norm = "".join(chars)
    if any(ord(c) > 0x2E7F for c in norm):
        simple = _t2s(norm)
        # OpenCC's t2s maps character for character on these texts; a phrase of another length
        # would lose the offsets, so such a text falls back to converting one character at a time
        norm = simple if len(simple) == len(norm) else "".join(_t2s(c)[:1] or c for c in norm)
    norm = norm.translate(_SINGLE)
    if any(p in norm for p in _PAIRS) or any(p in norm for p in _OCR_PAIRS):
        norm, offsets = _fold_pairs(norm, offsets)
    return Folded(printed, norm, (*offsets, len(printed)))


def _fold_pairs(norm: str, offsets: list[int]) -> tuple[str, list[int]]:
    out: list[str] = []
    offs: list[int] = []
    i = 0
    while i < len(norm):
        pair = norm[i : i + 2]
        if pair in _PAIRS:
            out.append(_PAIRS[pair])
            offs.append(offsets[i])
            i += 2
            continue
        if pair in _OCR_PAIRS:
            out.extend(_OCR_PAIRS[pair])
            offs.extend(offsets[i : i + 2])
            i += 2
            continue
        out.append(norm[i])
        offs.append(offsets[i])
        i += 1
    return "".join(out), offs


def norm(text: str, pinyin_mode: bool = False) -> str:
    """Only the matching form of ``text``."""
    return fold(text, pinyin_mode).norm
