"""Rule packs: the scoring rules as versioned data, read from TOML.

A rule pack (``packs/<name>.toml`` in this package) holds everything that
docs/domain.md marks as a **Decision**: the weights, the formula for each
direction, the qualitative tier bands, the grade bands, the rounding, the
thresholds and the tolerated display roundings. Each pack names the official
text it follows and gives, for every formula, its basis in Chinese.

:func:`load_pack` reads a shipped pack by name (``None`` gives the default,
``mof-2020``); :func:`parse_pack` reads the text of any pack, so a caller that
does I/O (the CLI) can load a file of its own. Both validate the whole pack
and raise :class:`PackError` with the offending key in words.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from importlib import resources
from typing import Any

from jixiao.core.errors import JixiaoError, Location
from jixiao.core.scoring.application import ResultsRules, read_results
from jixiao.core.scoring.carry import CarryRules, read_carry
from jixiao.core.scoring.department import DepartmentRules, read_department
from jixiao.core.scoring.exante import ExanteRules, read_exante
from jixiao.core.scoring.library_rules import LibraryRules, read_library
from jixiao.core.scoring.monitoring import MonitoringRules, read_monitoring
from jixiao.core.scoring.rectification import RectificationRules, read_rectification
from jixiao.core.targets import Tier

__all__ = [
    "DEFAULT_PACK",
    "PACK_SCHEMA",
    "Basis",
    "GradeBand",
    "PackError",
    "RulePack",
    "ShareBand",
    "Source",
    "available_packs",
    "load_pack",
    "parse_pack",
]

DEFAULT_PACK = "mof-2020"
PACK_SCHEMA = "jixiao.rulepack/1"

ROUNDING_MODES = {"ROUND_HALF_UP": ROUND_HALF_UP, "ROUND_UP": ROUND_UP, "ROUND_DOWN": ROUND_DOWN}
EXECUTION_FORMULAS = ("proportional", "bands")
INDICATOR_SCORES = ("proportional", "threshold-linear")
POSITIVE_COMPLETIONS = ("actual/target",)
REVERSE_COMPLETIONS = ("target/actual", "linear-to-zero-at-double")
SATISFACTION_FORMULAS = ("indicator", "bands")
# How a weight rule is enforced: an error blocks submission, approval and publication; a warning or an
# info finding only tells (as 警告 or 提示); "off" does not check at all.
SPLIT_CHECKS = ("error", "warning")
LEVEL1_CHECKS = ("error", "warning", "info", "off")


class PackError(JixiaoError):
    """A rule pack that is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Source:
    """The official text a pack follows: 文号, title, issuer, date and the articles used."""

    document: str
    title: str
    issuer: str
    date: str
    articles: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Basis:
    """Why one rule is what it is: the key, its basis in Chinese, the article, any assumption."""

    key: str
    formula: str
    basis: str
    article: str | None = None
    assumption: str | None = None


@dataclass(frozen=True)
class ShareBand:
    """One step of a band table: from ``min_pct`` percent completion, ``share_pct`` percent of the weight."""

    min_pct: Decimal
    share_pct: Decimal


@dataclass(frozen=True)
class GradeBand:
    """One grade: totals from ``min_score`` (inclusive) get ``grade``."""

    min_score: Decimal
    grade: str


@dataclass(frozen=True)
class RulePack:
    """A validated rule pack; percentages are kept as printed in the pack (``30`` means 30%)."""

    name: str
    version: str
    title: str
    summary: str
    years: tuple[int, int]
    source: Source
    total_weight: Decimal
    execution_weight: Decimal
    indicator_weight: Decimal
    split: tuple[tuple[str, Decimal], ...]
    split_with_cost: tuple[tuple[str, Decimal], ...]
    places: int
    rounding: str
    execution_formula: str
    execution_bands: tuple[ShareBand, ...]
    indicator_score: str
    threshold_pct: Decimal
    positive_completion: str
    reverse_completion: str
    reverse_alternatives: tuple[str, ...]
    equal_above_target: str
    zero_target: str
    deadline: str
    split_check: str
    level1_check: str
    tiers: tuple[tuple[Tier, Decimal, Decimal], ...]
    same_phrase_is_met: bool
    phrase_similarity: Decimal
    satisfaction_formula: str
    satisfaction_bands: tuple[ShareBand, ...]
    grades: tuple[GradeBand, ...]
    over_achievement_pct: Decimal
    score_tolerance: Decimal
    execution_score_tolerance: Decimal
    low_execution_pct: Decimal
    full_marks_low_execution_pct: Decimal
    rate_rounding: tuple[str, ...]
    rate_templates: tuple[tuple[str, str], ...]
    bases: tuple[Basis, ...]
    # the mid-year monitoring alerts (财预〔2019〕136号): the pack's [monitoring] table over the national default
    monitoring: MonitoringRules
    # results application (中发〔2018〕34号, 财预〔2020〕10号): the pack's [results] table over the national default
    results: ResultsRules
    # ex-ante assessment (中发〔2018〕34号, 国发〔2021〕5号): the pack's [exante] table over the national default
    exante: ExanteRules
    # targets far from the indicator library's usual range (财预〔2021〕101号): [library] over the national default
    library: LibraryRules
    # copy forward (财预〔2021〕101号): how strict the checks against last year's actuals are, [carry] over the default
    carry: CarryRules
    # department-wide forms (部门整体支出绩效): the pack's [department] table over the national default
    department: DepartmentRules
    # 整改 proposals (财预〔2020〕10号): the pack's [rectification] table over the national default
    rectification: RectificationRules

    @functools.cached_property
    def quantum(self) -> Decimal:
        """The smallest printed step of a score: ``0.01`` for two places."""
        return Decimal(1).scaleb(-self.places)

    @functools.cached_property
    def rounding_mode(self) -> str:
        """The :mod:`decimal` rounding constant of :attr:`rounding`."""
        return ROUNDING_MODES[self.rounding]

    @functools.cached_property
    def _tier_bands(self) -> dict[Tier, tuple[Decimal, Decimal]]:
        return {t: (low, high) for t, low, high in self.tiers}

    def tier_band(self, tier: Tier) -> tuple[Decimal, Decimal]:
        """The closed band (low %, high %) of the weight a tier scores within."""
        return self._tier_bands[tier]

    def applies_to(self, year: int | None) -> bool:
        """True when ``year`` lies in the pack's years (an unknown year always fits)."""
        return year is None or self.years[0] <= year <= self.years[1]

    def level1_split(self, with_cost: bool) -> tuple[tuple[str, Decimal], ...]:
        """The default level-1 shares of the indicator points: with 成本 when the tree has cost indicators."""
        return self.split_with_cost if with_cost else self.split


# --- reading ----------------------------------------------------------------


class _Reader:
    """Typed access to the parsed TOML, raising :class:`PackError` with the key path."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, path: str, expected: str) -> PackError:
        """The error for the key ``path`` that should have been ``expected``."""
        return PackError(f"规则包 {self.name} 的 {path} 应为{expected}", Location(file=f"{self.name}.toml", path=path))

    def table(self, data: dict[str, Any], key: str, path: str = "") -> dict[str, Any]:
        """The sub-table ``key``."""
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.fail(path + key, "一个表（[...]）")
        return value

    def text(self, data: dict[str, Any], key: str, path: str = "", optional: bool = False) -> str:
        """The non-empty text ``key`` ("" when optional and absent)."""
        value = data.get(key)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path + key, "非空文字")
        return value

    def number(self, data: dict[str, Any], key: str, path: str = "") -> Decimal:
        """The number ``key`` as a Decimal."""
        value = data.get(key)
        # bool is an int subclass; "true" is not a number of points
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise self.fail(path + key, "数字")
        return Decimal(value)

    def choice(self, data: dict[str, Any], key: str, options: tuple[str, ...], path: str = "") -> str:
        """The text ``key``, which must be one of ``options`` (the formulas the code implements)."""
        value = self.text(data, key, path)
        if value not in options:
            raise self.fail(path + key, f"以下之一：{'、'.join(options)}")
        return value

    def bands(self, data: dict[str, Any], key: str, path: str) -> tuple[ShareBand, ...]:
        """The band table ``key``: descending floors ending at 0."""
        raw = data.get(key)
        if not isinstance(raw, list) or not raw:
            raise self.fail(path + key, "至少一档的分档表（[[...]]）")
        out = tuple(
            ShareBand(
                self.number(b, "min_pct", f"{path}{key}[{i}]."), self.number(b, "share_pct", f"{path}{key}[{i}].")
            )
            for i, b in enumerate(raw)
        )
        mins = [b.min_pct for b in out]
        # Bands are read top-down, first match wins: they must descend and end at 0 so every rate finds one.
        if mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise self.fail(path + key, "按 min_pct 从高到低排列、最后一档为 0 的分档表")
        return out


def _basis(r: _Reader, data: dict[str, Any], key: str, formula: str) -> Basis:
    """The :class:`Basis` record of one pack table."""
    return Basis(
        key,
        formula,
        r.text(data, "basis", key + "."),
        r.text(data, "article", key + ".", optional=True) or None,
        r.text(data, "assumption", key + ".", optional=True) or None,
    )


def _split(r: _Reader, data: dict[str, Any], key: str) -> tuple[tuple[str, Decimal], ...]:
    table = r.table(data, key, "weights.")
    return tuple((k, r.number(table, k, f"weights.{key}.")) for k in table)


def _source(r: _Reader, src: dict[str, Any]) -> Source:
    """The official text a pack follows (its ``[source]`` table)."""
    articles = src.get("articles")
    if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
        raise r.fail("source.articles", "条款名称的列表")
    return Source(
        r.text(src, "document", "source."),
        r.text(src, "title", "source."),
        r.text(src, "issuer", "source."),
        r.text(src, "date", "source."),
        tuple(articles),
        r.text(src, "note", "source.", optional=True),
    )


def _tiers(r: _Reader, tiers_raw: dict[str, Any]) -> list[tuple[Tier, Decimal, Decimal]]:
    """The qualitative tiers' bands, in percent of the weight, one per tier."""
    tiers: list[tuple[Tier, Decimal, Decimal]] = []
    for tier in Tier:
        band = tiers_raw.get(tier.value)
        if not (isinstance(band, list) and len(band) == 2 and all(isinstance(b, (int, Decimal)) for b in band)):
            raise r.fail(f"qualitative.tiers.{tier.value}", "[下限百分比, 上限百分比]")
        low, high = Decimal(band[0]), Decimal(band[1])
        if not 0 <= low <= high <= 100:
            raise r.fail(f"qualitative.tiers.{tier.value}", "0 到 100 之间、下限不大于上限的区间")
        tiers.append((tier, low, high))
    return tiers


def _grades(r: _Reader, grades_raw: dict[str, Any]) -> list[GradeBand]:
    """The grade bands, highest first, the last starting at 0 (so every total has a grade)."""
    grade_list = grades_raw.get("bands")
    if not isinstance(grade_list, list) or not grade_list:
        raise r.fail("grades.bands", "[[最低分, 等级], ...] 列表")
    grades = []
    for i, item in enumerate(grade_list):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)):
            raise r.fail(f"grades.bands[{i}]", "[最低分, 等级]")
        grades.append(GradeBand(r.number({"v": item[0]}, "v", f"grades.bands[{i}]."), item[1]))
    if [g.min_score for g in grades] != sorted((g.min_score for g in grades), reverse=True) or grades[-1].min_score:
        raise r.fail("grades.bands", "按最低分从高到低排列、最后一档为 0 的列表")
    return grades


def _display(r: _Reader, display: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The printed rate's rounding modes accepted, and the mode of each named template."""
    modes = display.get("rate_rounding")
    if not isinstance(modes, list) or not modes or any(m not in ROUNDING_MODES for m in modes):
        raise r.fail("display.rate_rounding", f"取整方式的列表（{'、'.join(ROUNDING_MODES)}）")
    templates = display.get("templates", {})
    if not isinstance(templates, dict) or any(v not in ROUNDING_MODES for v in templates.values()):
        raise r.fail("display.templates", "模板名 = 取整方式")
    return modes, templates


def _fixed_settings(
    r: _Reader, execution: dict[str, Any], equal: dict[str, Any], zero: dict[str, Any], deadline: dict[str, Any]
) -> None:
    """Refuse a pack that asks for other than the one behaviour the code implements for these settings."""
    # These settings name the only behaviour the code implements; a pack may not silently ask for another.
    if r.text(execution, "cap", "execution.") != "weight":
        raise r.fail("execution.cap", " weight（得分不超过分值）")
    if r.text(equal, "above_target", "indicator.equal.") != "met":
        raise r.fail("indicator.equal.above_target", " met")
    if r.text(zero, "rule", "indicator.zero_target.") != "met-or-not":
        raise r.fail("indicator.zero_target.rule", " met-or-not")
    if r.text(deadline, "rule", "indicator.deadline.") != "met-or-not":
        raise r.fail("indicator.deadline.rule", " met-or-not")


def parse_pack(text: str, name: str) -> RulePack:
    """Read and validate the TOML text of a rule pack; ``name`` must match its ``name`` key."""
    r = _Reader(name)
    try:
        # parse_float=Decimal: a threshold such as 0.01 must never pass through a float
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        raise PackError(f"规则包 {name} 不是有效的 TOML：{err}", Location(file=f"{name}.toml")) from err
    if data.get("schema") != PACK_SCHEMA:
        raise r.fail("schema", f" {PACK_SCHEMA}")
    if r.text(data, "name") != name:
        raise r.fail("name", f"与文件名一致的 {name}")
    years = data.get("years")
    if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)):
        raise r.fail("years", "[起始年, 截止年]")
    source = _source(r, r.table(data, "source"))
    weights = r.table(data, "weights")
    rounding = r.table(data, "rounding")
    execution = r.table(data, "execution")
    indicator = r.table(data, "indicator")
    positive = r.table(indicator, "positive", "indicator.")
    reverse = r.table(indicator, "reverse", "indicator.")
    equal = r.table(indicator, "equal", "indicator.")
    zero = r.table(indicator, "zero_target", "indicator.")
    deadline = r.table(indicator, "deadline", "indicator.")
    shares = r.table(data, "shares")
    qualitative = r.table(data, "qualitative")
    tiers_raw = r.table(qualitative, "tiers", "qualitative.")
    satisfaction = r.table(data, "satisfaction")
    grades_raw = r.table(data, "grades")
    thresholds = r.table(data, "thresholds")
    display = r.table(data, "display")

    total = r.number(weights, "total", "weights.")
    exec_weight = r.number(weights, "execution", "weights.")
    ind_weight = r.number(weights, "indicators", "weights.")
    # The two parts must make the whole, or every total and grade computed with this pack would be off.
    if exec_weight + ind_weight != total:
        raise r.fail("weights", f"预算执行率分值与指标分值之和等于总分 {total}")

    tiers = _tiers(r, tiers_raw)
    grades = _grades(r, grades_raw)
    modes, templates = _display(r, display)

    alternatives = reverse.get("alternatives", [])
    if not isinstance(alternatives, list) or any(a not in REVERSE_COMPLETIONS for a in alternatives):
        raise r.fail("indicator.reverse.alternatives", f"以下之中的若干项：{'、'.join(REVERSE_COMPLETIONS)}")
    execution_formula = r.choice(execution, "formula", EXECUTION_FORMULAS, "execution.")
    indicator_score = r.choice(indicator, "score", INDICATOR_SCORES, "indicator.")
    satisfaction_formula = r.choice(satisfaction, "formula", SATISFACTION_FORMULAS, "satisfaction.")
    _fixed_settings(r, execution, equal, zero, deadline)
    split_check = r.choice(shares, "split", SPLIT_CHECKS, "shares.")
    level1_check = r.choice(shares, "level1", LEVEL1_CHECKS, "shares.")
    for key in ("split", "split_with_cost"):
        # a default split that does not make the indicator points could never be met
        if sum((v for _, v in _split(r, weights, key)), Decimal(0)) != ind_weight:
            raise r.fail(f"weights.{key}", f"合计等于指标分值 {ind_weight} 的一级指标分配")
    if r.text(qualitative, "suggested", "qualitative.") != "top" or qualitative.get("accept") != "closed-band":
        raise r.fail("qualitative", 'suggested = "top" 且 accept = "closed-band"')
    same_phrase = qualitative.get("same_phrase_is_met")
    if not isinstance(same_phrase, bool):
        raise r.fail("qualitative.same_phrase_is_met", " true 或 false")

    bases = (
        _basis(r, weights, "weights", "100 = 10 + 90"),
        _basis(r, rounding, "rounding", f"{rounding.get('mode')}, {rounding.get('places')}"),
        _basis(r, execution, "execution", execution_formula),
        _basis(r, indicator, "indicator", indicator_score),
        _basis(r, positive, "indicator.positive", str(positive.get("completion"))),
        _basis(r, reverse, "indicator.reverse", str(reverse.get("completion"))),
        _basis(r, equal, "indicator.equal", "above_target = met"),
        _basis(r, zero, "indicator.zero_target", "met-or-not"),
        _basis(r, deadline, "indicator.deadline", "met-or-not"),
        _basis(r, shares, "shares", f"split = {split_check}, level1 = {level1_check}"),
        _basis(r, qualitative, "qualitative", "tiers, top of band"),
        _basis(r, satisfaction, "satisfaction", satisfaction_formula),
        _basis(r, grades_raw, "grades", " / ".join(f"{g.grade}≥{g.min_score}" for g in grades)),
        Basis("thresholds.over_achievement", "over_achievement_pct", r.text(thresholds, "over_achievement_basis")),
        Basis("thresholds.tolerance", "score_tolerance", r.text(thresholds, "tolerance_basis")),
        Basis("thresholds.low_execution", "low_execution_pct", r.text(thresholds, "low_execution_basis")),
        _basis(r, display, "display", " / ".join(modes)),
    )
    monitoring = read_monitoring(data.get("monitoring"), r.fail)
    monitoring_bases = tuple(Basis(key, formula, basis) for key, formula, basis in monitoring.bases)
    results = read_results(data.get("results"), r.fail)
    results_bases = tuple(Basis(key, formula, basis) for key, formula, basis in results.bases)
    exante = read_exante(data.get("exante"), r.fail)
    exante_bases = tuple(Basis(key, formula, basis) for key, formula, basis in exante.bases)
    library = read_library(data.get("library"), r.fail)
    library_bases = tuple(Basis(key, formula, basis) for key, formula, basis in library.bases)
    carry = read_carry(data.get("carry"), r.fail)
    carry_bases = tuple(Basis(key, formula, basis) for key, formula, basis in carry.bases)
    department = read_department(data.get("department"), r.fail)
    department_bases = tuple(Basis(key, formula, basis) for key, formula, basis in department.bases)
    rectification = read_rectification(data.get("rectification"), r.fail)
    rectification_bases = tuple(Basis(key, formula, basis) for key, formula, basis in rectification.bases)
    places = r.number(rounding, "places", "rounding.")
    if places != places.to_integral() or not 0 <= places <= 6:
        raise r.fail("rounding.places", "0 到 6 的整数")
    return RulePack(
        name=name,
        version=r.text(data, "version"),
        title=r.text(data, "title"),
        summary=r.text(data, "summary"),
        years=(years[0], years[1]),
        source=source,
        total_weight=total,
        execution_weight=exec_weight,
        indicator_weight=ind_weight,
        split=_split(r, weights, "split"),
        split_with_cost=_split(r, weights, "split_with_cost"),
        places=int(places),
        rounding=r.choice(rounding, "mode", tuple(ROUNDING_MODES), "rounding."),
        execution_formula=execution_formula,
        execution_bands=r.bands(execution, "bands", "execution.") if execution_formula == "bands" else (),
        indicator_score=indicator_score,
        threshold_pct=r.number(indicator, "threshold_pct", "indicator.")
        if indicator_score != "proportional"
        else Decimal(0),
        positive_completion=r.choice(positive, "completion", POSITIVE_COMPLETIONS, "indicator.positive."),
        reverse_completion=r.choice(reverse, "completion", REVERSE_COMPLETIONS, "indicator.reverse."),
        reverse_alternatives=tuple(alternatives),
        equal_above_target="met",
        zero_target="met-or-not",
        deadline="met-or-not",
        split_check=split_check,
        level1_check=level1_check,
        tiers=tuple(tiers),
        same_phrase_is_met=same_phrase,
        phrase_similarity=r.number(qualitative, "phrase_similarity", "qualitative."),
        satisfaction_formula=satisfaction_formula,
        satisfaction_bands=r.bands(satisfaction, "bands", "satisfaction.") if satisfaction_formula == "bands" else (),
        grades=tuple(grades),
        over_achievement_pct=r.number(thresholds, "over_achievement_pct", "thresholds."),
        score_tolerance=r.number(thresholds, "score_tolerance", "thresholds."),
        execution_score_tolerance=r.number(thresholds, "execution_score_tolerance", "thresholds."),
        low_execution_pct=r.number(thresholds, "low_execution_pct", "thresholds."),
        full_marks_low_execution_pct=r.number(thresholds, "full_marks_low_execution_pct", "thresholds."),
        rate_rounding=tuple(modes),
        rate_templates=tuple(sorted(templates.items())),
        bases=bases
        + monitoring_bases
        + results_bases
        + exante_bases
        + library_bases
        + carry_bases
        + department_bases
        + rectification_bases,
        monitoring=monitoring,
        results=results,
        exante=exante,
        library=library,
        carry=carry,
        department=department,
        rectification=rectification,
    )


def _pack_files() -> dict[str, Any]:
    """The shipped pack files by name (``packs/*.toml`` inside this package)."""
    # importlib.resources works from a wheel, a zip or an editable checkout alike.
    folder = resources.files("jixiao.core.scoring").joinpath("packs")
    return {f.name[: -len(".toml")]: f for f in folder.iterdir() if f.name.endswith(".toml")}


def available_packs() -> list[str]:
    """The names of the shipped rule packs, sorted."""
    return sorted(_pack_files())


def load_pack(name: str | None = None) -> RulePack:
    """The shipped rule pack ``name`` (the default pack for ``None``), validated and cached."""
    return _load(name or DEFAULT_PACK)


@functools.cache
def _load(name: str) -> RulePack:
    """One shipped pack, read once per process: every later call gets the same object."""
    files = _pack_files()
    if name not in files:
        known = "、".join(sorted(files))
        raise PackError(f"没有名为 {name} 的评分规则包（可用：{known}）")
    return parse_pack(files[name].read_text(encoding="utf-8"), name)


def pack_for_year(pack: RulePack, year: int | None) -> RulePack:
    """``pack`` when its years cover ``year`` (:meth:`RulePack.applies_to`); else a :class:`PackError` in Chinese.

    Every place that applies a pack a person named to a form (``--rules``, a department's setting) asks
    this first: a pack scores only the years its official text governs.
    """
    if not pack.applies_to(year):
        raise PackError(
            f"规则包 {pack.name}（{pack.title}）适用于 {pack.years[0]}–{pack.years[1]} 年度，不能用于 {year} 年度的表。"
        )
    return pack


def choose_pack(year: int | None) -> RulePack:
    """The pack for a form of ``year`` when none was named: the default, else the first shipped pack covering it."""
    default = load_pack()
    if default.applies_to(year):
        return default
    for name in available_packs():
        if load_pack(name).applies_to(year):
            return load_pack(name)
    spans = "、".join(f"{n}（{load_pack(n).years[0]}–{load_pack(n).years[1]}）" for n in available_packs())
    raise PackError(f"没有适用于 {year} 年度的评分规则包（现有：{spans}）。")
