"""The [monitoring] table of a rule pack (财预〔2019〕136号) over the national default, and 序时进度 at edge dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from jixiao.core.scoring import PackError, load_pack, parse_pack
from jixiao.core.scoring.monitoring import national_default, schedule_pct, schedule_terms

_SECTION = re.compile(r"\n# 运行监控预警.*", re.S)


def _text(name: str = "mof-2020") -> str:
    return resources.files("jixiao.core.scoring").joinpath("packs", f"{name}.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["mof-2020", "mof-2021-core"])
def test_both_shipped_packs_carry_the_national_monitoring_rules(name: str) -> None:
    """Each shipped pack has a [monitoring] table; its values are the national default's, citing 136号."""
    pack = load_pack(name)
    assert "[monitoring]" in _text(name)
    m = pack.monitoring
    assert m == national_default()
    assert m.document == "财预〔2019〕136号" and "运行监控" in m.title
    assert (m.schedule, m.execution_margin_pct, m.budget_forecast_shortfall_pct) == ("months", 10, 10)
    assert (m.equal_forecast, m.unmet_likelihoods, m.remedy_likelihoods) == (
        "differs",
        ("完全不可能",),
        ("有可能", "完全不可能"),
    )
    keys = {b.key for b in pack.bases if b.key.startswith("monitoring.")}
    assert keys == {
        "monitoring.schedule",
        "monitoring.execution_margin",
        "monitoring.budget_forecast_shortfall",
        "monitoring.forecast",
        "monitoring.remedy",
    }


def test_a_pack_without_a_monitoring_table_gets_the_national_default() -> None:
    """A pack written before monitoring existed still loads, with the default thresholds."""
    text = _SECTION.sub("\n", _text())
    assert "[monitoring]" not in text
    assert parse_pack(text, "mof-2020").monitoring == national_default()


@pytest.mark.parametrize(
    ("old", "new", "attribute", "value"),
    [
        ('schedule = "months"', 'schedule = "days"', "schedule", "days"),
        ("execution_margin_pct = 10", "execution_margin_pct = 5", "execution_margin_pct", Decimal(5)),
        ("execution_margin_pct = 10", "execution_margin_pct = 12.5", "execution_margin_pct", Decimal("12.5")),
        (
            "budget_forecast_shortfall_pct = 10",
            "budget_forecast_shortfall_pct = 20",
            "budget_forecast_shortfall_pct",
            Decimal(20),
        ),
        ('equal_forecast = "differs"', 'equal_forecast = "below"', "equal_forecast", "below"),
        (
            'unmet_likelihoods = ["完全不可能"]',
            'unmet_likelihoods = ["有可能", "完全不可能"]',
            "unmet_likelihoods",
            ("有可能", "完全不可能"),
        ),
        (
            'remedy_likelihoods = ["有可能", "完全不可能"]',
            'remedy_likelihoods = ["完全不可能"]',
            "remedy_likelihoods",
            ("完全不可能",),
        ),
        ('equal_forecast = "differs"', 'equal_forecast = "differs"\nunmet_words = ["延期"]', "unmet_words", ("延期",)),
    ],
)
def test_each_threshold_is_overridden_by_the_pack(old: str, new: str, attribute: str, value: object) -> None:
    """Changing one key of [monitoring] changes that threshold and leaves the others at the default."""
    text = _text()
    assert old in text
    rules = parse_pack(text.replace(old, new, 1), "mof-2020").monitoring
    assert getattr(rules, attribute) == value
    default = national_default()
    others = [k for k in ("schedule", "execution_margin_pct", "equal_forecast", "unmet_words") if k != attribute]
    assert all(getattr(rules, k) == getattr(default, k) for k in others)


@pytest.mark.parametrize(
    ("old", "new", "where", "says"),
    [
        ('schedule = "months"', 'schedule = "weeks"', "monitoring.schedule", "months、days"),
        ("execution_margin_pct = 10", "execution_margin_pct = 100", "monitoring.execution_margin_pct", "0 到 100"),
        ("execution_margin_pct = 10", "execution_margin_pct = -1", "monitoring.execution_margin_pct", "0 到 100"),
        ("execution_margin_pct = 10", 'execution_margin_pct = "10"', "monitoring.execution_margin_pct", "数字"),
        ("execution_margin_pct = 10", "execution_margin_pct = true", "monitoring.execution_margin_pct", "数字"),
        (
            "budget_forecast_shortfall_pct = 10",
            "budget_forecast_shortfall_pct = 150",
            "monitoring.budget_forecast_shortfall_pct",
            "0 到 100",
        ),
        ('equal_forecast = "differs"', 'equal_forecast = "above"', "monitoring.equal_forecast", "differs、below"),
        (
            'unmet_likelihoods = ["完全不可能"]',
            'unmet_likelihoods = ["不可能"]',
            "monitoring.unmet_likelihoods",
            "确定能、有可能、完全不可能",
        ),
        (
            'remedy_likelihoods = ["有可能", "完全不可能"]',
            'remedy_likelihoods = "有可能"',
            "monitoring.remedy_likelihoods",
            "列表",
        ),
        (
            'equal_forecast = "differs"',
            'equal_forecast = "differs"\nunmet_words = [""]',
            "monitoring.unmet_words",
            "列表",
        ),
        ("execution_margin_pct = 10", "execution_margin = 10", "monitoring.execution_margin", "已知的键"),
    ],
)
def test_a_pack_with_a_bad_monitoring_value_is_refused_naming_the_key(
    old: str, new: str, where: str, says: str
) -> None:
    """A bad threshold is a PackError naming the pack, the key and what it should be; never a silent default."""
    text = _text()
    assert old in text
    with pytest.raises(PackError) as caught:
        parse_pack(text.replace(old, new, 1), "mof-2020")
    message = str(caught.value)
    assert f"规则包 mof-2020 的 {where} 应为" in message and says in message
    assert caught.value.location is not None and caught.value.location.path == where


def test_a_monitoring_key_that_is_not_a_table_is_refused() -> None:
    """``monitoring = 5`` is not the [monitoring] table: refused, naming it."""
    text = _SECTION.sub("\n", _text()).replace('version = "2020.1"', 'version = "2020.1"\nmonitoring = 5', 1)
    with pytest.raises(PackError, match=r"规则包 mof-2020 的 monitoring 应为一个表（\[monitoring\]）"):
        parse_pack(text, "mof-2020")


@pytest.mark.parametrize(
    ("as_of", "method", "terms"),
    [
        ("2024-07-31", "months", (7, 12)),
        ("2024-07-30", "months", (6, 12)),  # the month counts only on its last day
        ("2024-06-30", "months", (6, 12)),
        ("2024-02-29", "months", (2, 12)),  # leap year: 29 February ends the month
        ("2024-02-28", "months", (1, 12)),  # ... so 28 February does not
        ("2023-02-28", "months", (2, 12)),  # but in 2023 it does
        ("2024-01-01", "months", (0, 12)),
        ("2024-12-31", "months", (12, 12)),
        ("2024-07-31", "days", (213, 366)),  # the as-of day included, a leap year's days
        ("2023-07-31", "days", (212, 365)),
        ("2024-01-01", "days", (1, 366)),
        ("2024-02-29", "days", (60, 366)),
        ("2023-12-31", "days", (365, 365)),
        ("2024-12-31", "days", (366, 366)),
    ],
)
def test_the_time_schedule_at_edge_dates(as_of: str, method: str, terms: tuple[int, int]) -> None:
    """序时进度 by whole months or by days, at month ends, year ends and 29 February."""
    day = date.fromisoformat(as_of)
    assert schedule_terms(day, method) == terms
    assert schedule_pct(day, method) == Decimal(terms[0]) * 100 / Decimal(terms[1])


def test_the_year_end_schedule_is_exactly_100_and_july_is_58_33() -> None:
    """Exact Decimal arithmetic: 31 December is 100%, 31 July by months 58.33…%, by days in 2024 58.19…%."""
    assert schedule_pct(date(2024, 12, 31), "months") == 100 == schedule_pct(date(2024, 12, 31), "days")
    assert f"{schedule_pct(date(2024, 7, 31), 'months'):.4f}" == "58.3333"
    assert f"{schedule_pct(date(2024, 7, 31), 'days'):.4f}" == "58.1967"
