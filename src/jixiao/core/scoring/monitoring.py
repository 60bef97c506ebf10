"""The monitoring alerts' rules (财预〔2019〕136号): a rule pack's ``[monitoring]`` table, and 序时进度.

A pack may carry a ``[monitoring]`` table; the keys it leaves out (or the
whole table) come from the national default, ``monitoring-default.toml``
beside this module, so every threshold is data with the text it follows.
:func:`read_monitoring` validates the merged table and raises through the
pack reader's ``fail`` (a :class:`~jixiao.core.scoring.packs.PackError`
naming the key). :func:`schedule_pct` is the time schedule the execution
rate is held against.
"""

from __future__ import annotations

import calendar
import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

from jixiao.core.errors import JixiaoError
from jixiao.core.model import LIKELIHOODS

__all__ = [
    "EQUAL_FORECASTS",
    "SCHEDULES",
    "MonitoringRules",
    "national_default",
    "read_monitoring",
    "schedule_pct",
    "schedule_terms",
]

# How 序时进度 is counted: whole months gone by, or days gone by (the as-of day included).
SCHEDULES = ("months", "days")
# What an "=" target's forecast misses by: any difference, or only falling short.
EQUAL_FORECASTS = ("differs", "below")
_NUMBERS = ("execution_margin_pct", "budget_forecast_shortfall_pct")
_WORD_LISTS = ("unmet_words",)
_LIKELIHOOD_LISTS = ("unmet_likelihoods", "remedy_likelihoods")
_TEXTS = (
    "document",
    "title",
    "schedule_basis",
    "execution_margin_basis",
    "budget_forecast_shortfall_basis",
    "forecast_basis",
    "remedy_basis",
)
_KEYS = frozenset((*_NUMBERS, *_WORD_LISTS, *_LIKELIHOOD_LISTS, *_TEXTS, "schedule", "equal_forecast"))
_HUNDRED = Decimal(100)

Fail = Callable[[str, str], JixiaoError]


@dataclass(frozen=True)
class MonitoringRules:
    """The thresholds of the monitoring alerts, in percent as printed (``10`` means 10 percentage points)."""

    document: str
    title: str
    schedule: str
    execution_margin_pct: Decimal
    budget_forecast_shortfall_pct: Decimal
    equal_forecast: str
    unmet_words: tuple[str, ...]
    unmet_likelihoods: tuple[str, ...]
    remedy_likelihoods: tuple[str, ...]
    # (key, formula, basis): the rows the rule pack lists in docs/rules.md
    bases: tuple[tuple[str, str, str], ...]


@functools.cache
def _default_table() -> dict[str, Any]:
    """The national default ``[monitoring]`` table, read once."""
    text = resources.files("jixiao.core.scoring").joinpath("monitoring-default.toml").read_text(encoding="utf-8")
    table: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)["monitoring"]
    return table


def _number(table: dict[str, Any], key: str, fail: Fail) -> Decimal:
    value = table.get(key)
    # a margin of 100 points or more would never raise an alert: refuse it rather than silently switch alerts off
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not 0 <= value < _HUNDRED:
        raise fail(f"monitoring.{key}", "0 到 100 之间（不含 100）的数字，单位为百分点")
    return Decimal(value)


def _words(table: dict[str, Any], key: str, fail: Fail, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(f"monitoring.{key}", '文字的列表（如 ["未完成", "不能"]）')
    if allowed is not None and any(v not in allowed for v in value):
        raise fail(f"monitoring.{key}", f"以下之中的若干项：{'、'.join(allowed)}")
    return tuple(value)


def _choice(table: dict[str, Any], key: str, options: tuple[str, ...], fail: Fail) -> str:
    value = table.get(key)
    if value not in options:
        raise fail(f"monitoring.{key}", f"以下之一：{'、'.join(options)}")
    return str(value)


def _text(table: dict[str, Any], key: str, fail: Fail) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f"monitoring.{key}", "非空文字")
    return value


def read_monitoring(raw: object, fail: Fail) -> MonitoringRules:
    """The monitoring rules of a pack: its ``[monitoring]`` table (``None`` when absent) over the national default.

    ``fail(path, expected)`` builds the error for a bad key; an unknown key is refused too, since a
    misspelt threshold would otherwise leave the default in force without a word.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail("monitoring", "一个表（[monitoring]）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(f"monitoring.{unknown[0]}", f"已知的键之一（{'、'.join(sorted(_KEYS))}）")
    table = {**_default_table(), **raw}
    texts = {key: _text(table, key, fail) for key in _TEXTS}
    schedule = _choice(table, "schedule", SCHEDULES, fail)
    margin = _number(table, "execution_margin_pct", fail)
    shortfall = _number(table, "budget_forecast_shortfall_pct", fail)
    equal = _choice(table, "equal_forecast", EQUAL_FORECASTS, fail)
    unmet_words = _words(table, "unmet_words", fail)
    unmet = _words(table, "unmet_likelihoods", fail, LIKELIHOODS)
    remedy = _words(table, "remedy_likelihoods", fail, LIKELIHOODS)
    return MonitoringRules(
        document=texts["document"],
        title=texts["title"],
        schedule=schedule,
        execution_margin_pct=margin,
        budget_forecast_shortfall_pct=shortfall,
        equal_forecast=equal,
        unmet_words=unmet_words,
        unmet_likelihoods=unmet,
        remedy_likelihoods=remedy,
        bases=(
            ("monitoring.schedule", schedule, texts["schedule_basis"]),
            ("monitoring.execution_margin", f"执行率 < 序时进度 − {margin}", texts["execution_margin_basis"]),
            (
                "monitoring.budget_forecast_shortfall",
                f"全年预计执行数 < 年度预算数 × (1 − {shortfall}%)",
                texts["budget_forecast_shortfall_basis"],
            ),
            ("monitoring.forecast", f"equal_forecast = {equal}", texts["forecast_basis"]),
            ("monitoring.remedy", " / ".join(remedy), texts["remedy_basis"]),
        ),
    )


def national_default() -> MonitoringRules:
    """The monitoring rules a pack without a ``[monitoring]`` table gets."""

    def fail(path: str, expected: str) -> JixiaoError:  # the shipped default is tested; this never runs
        return JixiaoError(f"monitoring-default.toml 的 {path} 应为{expected}")

    return read_monitoring(None, fail)


def schedule_terms(as_of: date, method: str) -> tuple[int, int]:
    """序时进度 as a fraction (elapsed, whole): ``(7, 12)`` for 31 July by months, ``(213, 366)`` by days in 2024.

    By months only whole months count: the as-of month counts when the as-of day is its last day
    (30 June is 6/12, 29 June 5/12). By days the as-of day itself counts (1 January is 1/365).
    """
    if method == "days":
        return as_of.timetuple().tm_yday, 366 if calendar.isleap(as_of.year) else 365
    last_day = calendar.monthrange(as_of.year, as_of.month)[1]
    return (as_of.month if as_of.day == last_day else as_of.month - 1), 12


def schedule_pct(as_of: date, method: str) -> Decimal:
    """序时进度 in percent, exact to Decimal's precision (58.333… for 31 July by months)."""
    elapsed, whole = schedule_terms(as_of, method)
    return Decimal(elapsed) * _HUNDRED / Decimal(whole)
