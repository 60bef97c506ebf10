"""A refused parameter or body value in Chinese, naming its place: what the 422's ``details`` say to a person.

Pydantic words its refusals in English (``Input should be greater than or
equal to 0``); the API answers people in Chinese. Each refusal is written
from its type and its limits, prefixed with where it is
(``rows[0].likelihood``); a type not listed here keeps pydantic's words.
"""

from __future__ import annotations

from typing import Any

# pydantic's error type -> the Chinese sentence, with the error's context ({ge}, {max_length} …) filled in
WORDS = {
    "missing": "必须填写",
    "greater_than_equal": "应大于或等于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应小于或等于 {le}",
    "less_than": "应小于 {lt}",
    "decimal_max_places": "小数最多 {decimal_places} 位（金额精确到分）",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_long": "最多 {max_length} 个字",
    "string_pattern_mismatch": "含有不允许的字符（如控制字符）",
    "too_long": "最多 {max_length} 项",
    "list_type": "应为列表",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "extra_forbidden": "不是可以填写的项",
    "model_attributes_type": "应为一个对象",
    "dict_type": "应为一个对象",
}
_PARTS = ("query", "path", "header", "cookie")


def place(loc: list[Any]) -> str:
    """Where the value is, as a program writes it: ``rows[0].likelihood``.

    The request's part goes (``query``, ``path``; ``body`` with the view's name for it, ``payload``).
    """
    parts = list(loc)
    if parts[:1] == ["body"]:
        parts = parts[2:]
    elif parts[:1] and parts[0] in _PARTS:
        parts = parts[1:]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def chinese(error: dict[str, Any]) -> str:
    """One refusal as a Chinese sentence naming its place: ``budget_total：应大于或等于 0。``."""
    words = WORDS.get(str(error.get("type")))
    try:
        text = words.format_map(error.get("ctx") or {}) if words else str(error.get("msg", ""))
    except (KeyError, IndexError, ValueError):
        text = str(error.get("msg", ""))
    where = place(list(error.get("loc", ())))
    return f"{where}：{text}。" if where else f"{text}。"
