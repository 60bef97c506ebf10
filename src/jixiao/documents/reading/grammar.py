"""The grammar of printed values: numbers, money, rates, targets, units, signs, filler.

What a cell *is* decides where it can go: a 分值 is a number, a target
starts with a sign or a figure or is a qualitative phrase, a unit is a short
word of measure, a name is text. Every test works on the matching form
(:mod:`~jixiao.documents.reading.normal`); the printed text is never changed
here. OCR readings of digits (``O`` and ``o`` for 0, ``I`` and ``l`` for 1)
are read as digits only inside a token that already has a digit.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.documents.reading.lexicon import lexicon

_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[-+]?\.\d+$")
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_OCR_TOKEN = re.compile(r"^[\dOoIl.,]+%?$")
_MONEY = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(万元|元|万|亿元)?(?:\(.*\))?$")
_DASHES = frozenset({"—", "-", "–", "─", "/", "——", "--", "—-", "无数据", "-/-", "\\"})
_FILLER = re.compile(r"^(?:[.…·]{2,}|……|…|/+|\\+|指标\d*[:.、]?|任务\d*[:.、]?|[-—]+)$")
_SIGN = re.compile(r"^(?:[≥≤=<>]|二(?=\d))")
_DATE = re.compile(r"(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月(?:底|末|\d{1,2}日)?|年底|年内|季度)")
_TIME_WORDS = ("之前", "前", "以前", "内", "以内", "底", "完成")
_LEADING_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?")


@lru_cache(maxsize=16384)
def number(norm: str) -> Decimal | None:
    """The figure of a printed number (``216,212``, ``10.00``, ``84.99%``, OCR ``IO``), else None."""
    text = norm.rstrip("%")
    if not text:
        return None
    if not _NUMBER.match(text):
        if not (_OCR_TOKEN.match(norm) and any(c.isdigit() for c in text)):
            return None
        text = text.translate(_OCR_DIGITS)
        if not _NUMBER.match(text):
            return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def is_number(norm: str) -> bool:
    """True for a bare figure (a percentage included)."""
    return number(norm) is not None


def is_percent(norm: str) -> bool:
    """True for a figure printed with ``%``."""
    return norm.endswith("%") and number(norm) is not None


@lru_cache(maxsize=16384)
def money(norm: str) -> tuple[Decimal, str | None] | None:
    """(amount, unit printed with it) of a money cell: ``4753.66万元``, ``854万(…)``, ``5.8万``, ``2,380.91``."""
    m = _MONEY.match(norm)
    if m is None:
        value = number(norm) if not norm.endswith("%") else None
        return None if value is None else (value, None)
    value = number(m.group(1))
    if value is None:
        return None
    unit = m.group(2)
    return value, ("万元" if unit == "万" else unit)


def is_dash(norm: str) -> bool:
    """True for a cell printed as a dash: the value does not apply."""
    return norm in _DASHES


def is_filler(norm: str) -> bool:
    """Template filler that is no value and no indicator: ``……``, ``/``, ``指标2:``."""
    return bool(_FILLER.match(norm))


_NUMBERED = re.compile(r"^(?:指标|任务)\s*\d+\s*[:.、]")


def is_numbered(norm: str) -> bool:
    """A cell opening with template numbering, ``指标3.``/``任务1:``: the start of an indicator row."""
    return bool(_NUMBERED.match(norm))


def sign_of(norm: str) -> str | None:
    """The comparison a target starts with (``≥``, ``大于等于`` -> ``≥``; OCR ``二100`` -> ``=``), else None."""
    m = _SIGN.match(norm)
    if m is not None:
        return "=" if m.group(0) == "二" else m.group(0)
    for word, sign in _comparator_words():
        if norm.startswith(word):
            return sign
    return None


def _comparator_words() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(lexicon().comparators.items(), key=lambda kv: len(kv[0]), reverse=True))


def is_sign_only(norm: str) -> bool:
    """A cell that is only a comparison (the 指标方向 / 符号 column): ``≥``, ``大于等于``."""
    return norm in ("≥", "≤", "=", "<", ">", "≥=", "≤=") or norm in lexicon().comparators


def is_nature(norm: str) -> bool:
    """A 指标性质 / 指标值类型 word that qualifies a target without being one: 正向, 定性, 定量."""
    return norm in lexicon().natures


@lru_cache(maxsize=16384)
def is_unit(norm: str) -> bool:
    """A unit of measure printed on its own: ``%``, ``万元``, ``人次``, ``元/人、天``."""
    lex = lexicon()
    if norm in lex.units:
        return True
    # compound units: 元/亩, 人/年, 个/村
    if "/" in norm and len(norm) <= 8:
        return all(p in lex.units or len(p) == 1 for p in norm.split("/") if p)
    return False


def is_date_like(norm: str) -> bool:
    """A deadline or date target: ``2023年12月``, ``12月底之前``, ``2021年底``, ``1-12月``."""
    if len(norm) > 16:
        return False
    return bool(_DATE.search(norm)) and (norm[0].isdigit() or norm.startswith(("年", "当年", "全年")))


def qualitative(norm: str) -> bool:
    """A qualitative value from the vocabulary (``达成预期指标``, ``显著``, ``应保尽保``)."""
    return norm in lexicon().qualitative


@lru_cache(maxsize=16384)
def value_likeness(norm: str) -> float:
    """How much a cell looks like a target or an actual (0 none, 1 certain).

    A sign, a figure, a percentage, a date or a qualitative word is a value;
    short text may be one (``按月安排``); a long phrase is a name or a note.
    """
    if not norm:
        return 0.0
    if sign_of(norm) is not None:
        return 1.0
    if _LEADING_NUMBER.match(norm):
        rest = _LEADING_NUMBER.sub("", norm, count=1)
        if not rest or rest.startswith("%") or is_unit(rest) or len(rest) <= 4:
            return 1.0
        return 0.6 if len(norm) <= 14 else 0.3
    if qualitative(norm) or is_date_like(norm):
        return 0.9
    if norm.startswith(("每", "约", "不超", "不低", "不少", "至少", "全部", "按时", "及时")) and len(norm) <= 12:
        return 0.7
    if len(norm) <= 6:
        return 0.45
    if len(norm) <= 12:
        return 0.25
    return 0.05


def looks_like_time(norm: str) -> bool:
    """A deadline phrase: ``12月底之前``, ``年底前``, ``2021年12月31日``."""
    return is_date_like(norm) or (any(norm.endswith(w) for w in _TIME_WORDS) and bool(re.search(r"\d|年|月", norm)))
