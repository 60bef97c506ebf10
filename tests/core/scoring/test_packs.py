"""Rule packs: shipped as data, validated on load, each naming the official text it follows."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources

import pytest

from jixiao.core.scoring import DEFAULT_PACK, PackError, available_packs, load_pack, parse_pack
from jixiao.core.targets import Tier

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _text(name: str) -> str:
    return resources.files("jixiao.core.scoring").joinpath("packs", f"{name}.toml").read_text(encoding="utf-8")


def test_the_two_packs_ship_and_the_default_is_mof_2020() -> None:
    """mof-2020 (default) and mof-2021-core are shipped; load_pack(None) is the default."""
    assert available_packs() == ["mof-2020", "mof-2021-core"]
    assert load_pack().name == DEFAULT_PACK == "mof-2020"
    assert load_pack(None) is load_pack("mof-2020")


@pytest.mark.parametrize("name", ["mof-2020", "mof-2021-core"])
def test_each_pack_names_its_official_text_and_explains_every_rule(name: str) -> None:
    """文号, title, issuer, articles, and a Chinese basis for every formula."""
    pack = load_pack(name)
    assert re.fullmatch(r"财预〔20\d\d〕\d+号", pack.source.document)
    assert pack.source.title and pack.source.issuer == "财政部" and pack.source.articles
    assert pack.version and pack.years[0] <= pack.years[1]
    keys = {b.key for b in pack.bases}
    assert {"execution", "indicator.positive", "indicator.reverse", "qualitative", "grades", "rounding"} <= keys
    assert all(_CJK.search(b.basis) for b in pack.bases)


@pytest.mark.parametrize("name", ["mof-2020", "mof-2021-core"])
def test_the_decisions_are_pack_data(name: str) -> None:
    """Weights, rounding, tiers, grades, thresholds and tolerated roundings come from the pack."""
    pack = load_pack(name)
    assert (pack.total_weight, pack.execution_weight, pack.indicator_weight) == (100, 10, 90)
    assert dict(pack.split) == {"产出": 50, "效益": 30, "满意度": 10}
    assert dict(pack.split_with_cost) == {"成本": 20, "产出": 40, "效益": 20, "满意度": 10}
    assert (pack.rounding, pack.places, pack.quantum) == ("ROUND_HALF_UP", 2, Decimal("0.01"))
    assert pack.tier_band(Tier.MET) == (80, 100) and pack.tier_band(Tier.PARTIAL) == (60, 80)
    assert pack.tier_band(Tier.UNMET) == (0, 60)
    assert [(g.grade, g.min_score) for g in pack.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert pack.over_achievement_pct == 30 and pack.score_tolerance == Decimal("0.01")
    assert pack.reverse_completion == "target/actual" and "linear-to-zero-at-double" in pack.reverse_alternatives
    assert set(pack.rate_rounding) == {"ROUND_HALF_UP", "ROUND_UP", "ROUND_DOWN"}
    assert dict(pack.rate_templates) == {"shanghai-2022": "ROUND_UP", "shanghai-2024": "ROUND_DOWN"}


def test_the_2021_pack_has_the_pass_mark_and_marks_its_assumed_bands() -> None:
    """101号: 60% pass mark, execution and satisfaction in bands, assumptions written down."""
    pack = load_pack("mof-2021-core")
    assert pack.indicator_score == "threshold-linear" and pack.threshold_pct == 60
    assert [(b.min_pct, b.share_pct) for b in pack.execution_bands] == [(100, 100), (80, 70), (60, 50), (0, 0)]
    assert pack.satisfaction_formula == "bands" and pack.satisfaction_bands
    assumed = {b.key for b in pack.bases if b.assumption}
    assert {"execution", "satisfaction"} <= assumed


def test_unknown_pack_is_a_clear_error() -> None:
    """Asking for a pack that does not exist names the available ones."""
    with pytest.raises(PackError, match="mof-2020"):
        load_pack("no-such-pack")


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('mode = "ROUND_HALF_UP"', 'mode = "ROUND_BANKERS"', "rounding.mode"),
        ("execution = 10\n", "execution = 15\n", "weights"),
        ("partial = [60, 80]", "partial = [80, 60]", "qualitative.tiers.partial"),
        ('completion = "target/actual"', 'completion = "actual/target"', "indicator.reverse.completion"),
        ('[[90, "优"], [80, "良"], [60, "中"], [0, "差"]]', '[[80, "良"], [90, "优"], [0, "差"]]', "grades.bands"),
        ("score_tolerance = 0.01", 'score_tolerance = "0.01"', "thresholds.score_tolerance"),
        ('split = "error"', 'split = "off"', "shares.split"),  # the 10/90 split is never unchecked
        ('level1 = "info"', 'level1 = "sometimes"', "shares.level1"),
        ('"产出" = 50', '"产出" = 60', "weights.split"),  # a default split must make the 90 points
        (
            'rule = "met-or-not"\nbasis = "Decision：时限',
            'rule = "linear"\nbasis = "Decision：时限',
            "indicator.deadline",
        ),
    ],
)
def test_a_malformed_pack_is_refused_with_the_key(old: str, new: str, where: str) -> None:
    """Validation names the offending key (in the error's location) and never half-loads a pack."""
    text = _text("mof-2020")
    assert old in text
    with pytest.raises(PackError) as err:
        parse_pack(text.replace(old, new, 1), "mof-2020")
    assert err.value.location.path is not None and err.value.location.path.startswith(where)


def test_a_pack_must_carry_its_own_name() -> None:
    """A pack file read under another name is refused (no silent mix-up of rule sets)."""
    with pytest.raises(PackError):
        parse_pack(_text("mof-2020"), "mof-2021-core")


def test_an_alternative_reverse_formula_is_a_one_line_change() -> None:
    """Switching the reverse formula to linear-to-zero-at-double is data, not code."""
    text = _text("mof-2020").replace('completion = "target/actual"', 'completion = "linear-to-zero-at-double"', 1)
    assert parse_pack(text, "mof-2020").reverse_completion == "linear-to-zero-at-double"


@pytest.mark.parametrize("name", ["mof-2020", "mof-2021-core"])
def test_how_strictly_the_weights_are_checked_is_pack_data(name: str) -> None:
    """[shares]: the 10/90 split is an error, the level-1 split a notice (forms differ widely); deadlines met-or-not."""
    pack = load_pack(name)
    assert (pack.split_check, pack.level1_check, pack.deadline) == ("error", "info", "met-or-not")
    bases = {b.key: b for b in pack.bases}
    assert "一级指标" in bases["shares"].basis and bases["shares"].article
    assert "时限" in bases["indicator.deadline"].basis


def test_a_pack_may_make_the_level1_split_binding_or_leave_it_unchecked() -> None:
    """A province that fixes its level-1 shares says level1 = "error"; one that does not care says "off"."""
    text = _text("mof-2020")
    assert parse_pack(text.replace('level1 = "info"', 'level1 = "error"'), "mof-2020").level1_check == "error"
    assert parse_pack(text.replace('level1 = "info"', 'level1 = "off"'), "mof-2020").level1_check == "off"


def test_a_pack_is_refused_for_a_year_outside_its_years() -> None:
    """mof-2021-core governs 2021 on: a 2020 form is refused in Chinese, a 2024 one (or no year) accepted."""
    from jixiao.core.scoring import pack_for_year

    core = load_pack("mof-2021-core")
    with pytest.raises(PackError, match=r"规则包 mof-2021-core.*适用于 2021–2099 年度，不能用于 2020 年度的表"):
        pack_for_year(core, 2020)
    assert pack_for_year(core, 2024) is core and pack_for_year(core, None) is core


def test_without_a_named_pack_the_year_chooses_one() -> None:
    """No pack named: the default where it applies; a year no shipped pack covers is refused, listing them."""
    from jixiao.core.scoring import choose_pack

    assert choose_pack(2020).name == DEFAULT_PACK and choose_pack(None).name == DEFAULT_PACK
    with pytest.raises(PackError, match=r"没有适用于 2019 年度的评分规则包（现有：mof-2020（2020–2099）"):
        choose_pack(2019)
