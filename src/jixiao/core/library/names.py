"""Indicator names brought to one key, so that small wording differences cluster.

The steps, in order (the data of steps 4-6 is ``names.toml`` beside this module):

1. NFKC: full-width letters, digits and brackets become their plain forms.
2. A bracket holding only a unit or no letters is dropped (``覆盖率（%）``, ``满意度(≥**%)``); other brackets
   keep their words (``项目(工程)验收合格率`` -> ``项目工程验收合格率``).
3. Spaces and punctuation are dropped.
4. Replacements anywhere in the name (``满意率`` -> ``满意度``, ``比例`` -> ``率``).
5. Trailing words dropped once each (``指标``, ``情况``, ``数量``, ``数``, ``量``).
6. Synonym groups: whole names that are one indicator map to the group's first name.

Names that differ in what they count keep apart: ``培训人数`` and ``培训次数`` become ``培训人`` and
``培训次``; ``覆盖率`` and ``完成率`` are never replaced.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jixiao.core.targets import KNOWN_UNITS

_BRACKET = re.compile(r"\(([^()]{0,12})\)")
_LETTERS = re.compile(r"[^\W\d_]")
_DROP = re.compile(r"[\s\W_]+")
_UNIT_WORDS = frozenset(KNOWN_UNITS) | {"%", "‰", "百分比", "元", "万元", "亿元", "个", "项", "人", "次", "人次"}


@dataclass(frozen=True)
class NameRules:
    """The data of ``names.toml``: replacements, trailing words and synonym groups."""

    replace: tuple[tuple[str, str], ...]
    trailing: tuple[str, ...]
    synonyms: dict[str, str]


def parse_rules(table: dict[str, Any]) -> NameRules:
    """The name rules from a parsed ``names.toml``."""
    replace = tuple(sorted(table.get("replace", {}).items(), key=lambda kv: -len(kv[0])))
    synonyms: dict[str, str] = {}
    for group in table.get("synonyms", []):
        names = [_plain(n, replace) for n in group["names"]]
        for n in names:
            synonyms[n] = names[0]
    return NameRules(replace, tuple(table.get("trailing", [])), synonyms)


@functools.cache
def default_rules() -> NameRules:
    """The rules shipped in ``names.toml``."""
    text = resources.files(__package__).joinpath("names.toml").read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text))


def _unbracket(m: re.Match[str]) -> str:
    inner = m.group(1).strip()
    # a unit (%), or a placeholder left by a template (≥**%), says nothing about what is measured
    return "" if inner in _UNIT_WORDS or not _LETTERS.search(inner) else inner


def _plain(name: str, replace: tuple[tuple[str, str], ...]) -> str:
    """Steps 1-4: NFKC, unit brackets, spaces and punctuation, replacements."""
    text = unicodedata.normalize("NFKC", name)
    text = _BRACKET.sub(_unbracket, text)
    text = _DROP.sub("", text)
    for old, new in replace:
        text = text.replace(old, new)
    return text


def cluster_key(name: str, rules: NameRules | None = None) -> str:
    """The key under which ``name`` clusters; ``""`` for a name with no letters or digits."""
    r = rules or default_rules()
    text = _plain(name, r.replace)
    for word in r.trailing:
        if text.endswith(word) and len(text) > len(word) + 1:
            text = text[: -len(word)]
    return r.synonyms.get(text, text)
