"""Text whose cell separators were lost: ``项目名称家庭医生签约服务补助``.

Some extractions run every cell of a table row together. A careful reader
still splits them, because the labels are a fixed vocabulary and the
values have shapes: amounts print with two decimals, a target starts with
its comparison sign, an actual ends with its unit, and 分值 and 得分
follow the actual, fused when equal (``1010``) and one space apart when not
(``10 9.55``). This module rewrites such lines into tab-separated cells so
the ordinary table reader can read them; it knows no project fields.
"""

from __future__ import annotations

import re

from jixiao.documents.vocab import (
    FIELD_LABELS,
    FUND_COLUMNS,
    FUND_ROW_LABELS,
    LEVEL1,
    LEVEL2,
    TABLE_COLUMNS,
    TOTAL_LABELS,
)

_FUSED_NAME = re.compile(r"^\s*项目名称(?![\s:：\t])\S")
_GOAL_WORDS = ("年度总体目标", "预期目标", "全年实际完成情况", "实际完成情况", "项目总目标")
_EXTRA = ("项目资金（万元）", "项目资金(万元)", "项目资金（元）", "项目资金(元)", "绩效指标", "评分等级")
_LABELS = sorted(
    {
        *FIELD_LABELS,
        *(k.replace(":", "：") for k in FUND_ROW_LABELS),
        *FUND_COLUMNS,
        *TABLE_COLUMNS,
        *_GOAL_WORDS,
        *_EXTRA,
    },
    key=len,
    reverse=True,
)
_LABEL_RE = re.compile("|".join(re.escape(label) for label in _LABELS))
_LEVELS = sorted({*LEVEL1, *LEVEL2}, key=len, reverse=True)
_AMOUNT = re.compile(r"-?\d[\d,]*\.\d{2}%?|[—－-]")
_PAIR = re.compile(r"(\d+(?:\.\d+)?) (\d+(?:\.\d+)?)")
_OPERATOR = re.compile(r"[≥≤=<>＞＜]|大于等于|小于等于|不低于|不少于|不高于|不超过")
_DEADLINE_END = "前后内底止"
_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")


def is_fused(texts: list[str]) -> bool:
    """True when the 项目名称 label runs straight into the project name."""
    return any(_FUSED_NAME.match(t) for t in texts[:80])


def _split_labels(text: str) -> list[str]:
    """Cut a line at every known label: ``主管部门X实施单位Y`` -> 主管部门, X, 实施单位, Y."""
    cells: list[str] = []
    pos = 0
    for m in _LABEL_RE.finditer(text):
        if m.start() > pos:
            cells.append(text[pos : m.start()])
        cells.append(m.group(0))
        pos = m.end()
    if pos < len(text):
        cells.append(text[pos:])
    return [c.strip() for c in cells if c.strip()]


def _split_amounts(text: str) -> list[str] | None:
    """``120.00118.50112.6410.0095.05%9.51`` -> the amounts, when the whole run is amounts and dashes."""
    parts = _AMOUNT.findall(text)
    return parts if parts and "".join(parts) == text.replace(" ", "") else None


def _peel_levels(text: str) -> tuple[list[str], str]:
    labels: list[str] = []
    found = True
    while found:
        found = False
        for label in _LEVELS:
            if text.startswith(label) and len(text) > len(label):
                labels.append(label)
                text = text[len(label) :]
                found = True
                break
    return labels, text


_DECIMAL_PAIR = re.compile(r"(\d{1,3}\.\d{2})(\d{1,3}\.\d{2})(?=\D*$)")


def _weight_score(text: str) -> tuple[str, str, str, str] | None:
    """(name+target+actual, weight, score, deviation) of an indicator line, or None."""
    pair = None
    for m in _PAIR.finditer(text):
        pair = m  # the last "W S" pair: weight and score one space apart
    if pair is not None:
        return text[: pair.start()], pair.group(1), pair.group(2), text[pair.end() :]
    fused = _DECIMAL_PAIR.search(text)
    if fused is not None:
        # two-decimal numbers fuse unambiguously: 10.0010.00 is 10.00 | 10.00
        return text[: fused.start()], fused.group(1), fused.group(2), text[fused.end() :]
    end = re.search(r"(\d+)$", text)
    if end:
        digits = end.group(1)
        half = len(digits) // 2
        if len(digits) % 2 == 0 and digits[:half] == digits[half:]:
            return text[: end.start()], digits[:half], digits[half:], ""
    return None


def _doubled_suffix(text: str) -> int | None:
    """Start of the longest suffix that is one phrase printed twice (target = actual)."""
    for size in range(len(text) // 2, 1, -1):
        a, b = text[-2 * size : -size], text[-size:]
        if a == b:
            return len(text) - 2 * size
    return None


def _split_values(text: str) -> tuple[str, str, str]:
    """name, target, actual from ``家庭医生签约服务人数≥6.5万人6.72万人``."""
    op = _OPERATOR.search(text)
    if op is not None:
        name, rest = text[: op.start()], text[op.start() :]
        m = re.match(r"(?:[≥≤=<>＞＜]|大于等于|小于等于|不低于|不少于|不高于|不超过)+\s*[\d.,]+[^\d]*", rest)
        if m and m.end() < len(rest):
            return name, rest[: m.end()], rest[m.end() :]
        return name, rest, ""
    doubled = _doubled_suffix(text)
    if doubled is not None:
        half = (len(text) - doubled) // 2
        return text[:doubled], text[doubled : doubled + half], text[doubled + half :]
    # the target is the first number after the name's words (a name may start with digits: 2型糖尿病…)
    first_digit = next(
        (m for m in _NUMBER_TOKEN.finditer(text) if m.start() > 0 and not text[m.start() - 1].isascii()), None
    )
    if first_digit is None:
        return text, "", ""
    name, rest = text[: first_digit.start()], text[first_digit.start() :]
    # a date target ends with 前/内/底: the actual is the date after it; else the actual is the next number
    starts = [m.start() for m in _NUMBER_TOKEN.finditer(rest) if m.start() > 0]
    cut = next((i for i in starts if rest[i - 1] in _DEADLINE_END), starts[len(starts) // 2] if starts else len(rest))
    return name, rest[:cut], rest[cut:]


def _indicator_cells(text: str) -> list[str] | None:
    levels, rest = _peel_levels(text)
    parts = _weight_score(rest)
    if parts is None:
        return None
    head, weight, score, deviation = parts
    name, target, actual = _split_values(head)
    if not name or not target:
        return None
    return [*levels, name, target, actual, weight, score, *([deviation] if deviation else [])]


def unfuse(texts: list[str]) -> list[str]:
    """The lines with their cells separated by tabs again (lines of other shapes unchanged)."""
    out: list[str] = []
    in_table = False
    for text in texts:
        line = text.strip()
        if not line:
            out.append(text)
            continue
        if line.startswith(TOTAL_LABELS):
            label = next(t for t in TOTAL_LABELS if line.startswith(t))
            rest = line[len(label) :].replace(" ", "")
            amounts = _split_amounts(rest)
            if amounts is not None and len(amounts) == 2:
                cells = [label, *amounts]  # 总分100.0098.51
            elif rest.startswith("100") and len(rest) > 3:
                cells = [label, "100", rest[3:]]  # 总分10098.51: the weight 100 fused with the score
            else:
                cells = [label, rest]
            out.append("\t".join(c for c in cells if c))
            in_table = False
            continue
        if "一级指标" in line and "三级指标" in line:
            in_table = True
            out.append("\t".join(_split_labels(line)))
            continue
        if in_table:
            row = _indicator_cells(line)
            out.append("\t".join(row) if row else text)
            continue
        cells = _split_labels(line)
        if len(cells) >= 2 and (amounts := _split_amounts("".join(cells[1:]))) is not None:
            cells = [cells[0], *amounts]
        out.append("\t".join(cells) if len(cells) > 1 else text)
    return out
