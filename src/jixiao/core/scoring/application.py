"""Results application (结果应用): a project's result mapped to next year's budget proposal, and its decision.

A rule pack may carry a ``[results]`` table; the keys it leaves out (or the
whole table) come from the national default, ``results-default.toml`` beside
this module (中发〔2018〕34号 ties results to budgets; 财预〔2020〕10号 asks that
results be used in the next budget and problems rectified). :func:`read_results`
validates the merged table and raises through the pack reader's ``fail``.

:func:`propose` is pure: the web or the CLI supplies the project's score or
grade, its prior budget and the open alerts, findings and 整改 items as plain
lists. :func:`check_decision` checks what the finance bureau decided.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from importlib import resources
from typing import TYPE_CHECKING, Any

from jixiao.core.errors import JixiaoError

if TYPE_CHECKING:
    from jixiao.core.scoring.packs import RulePack
    from jixiao.core.scoring.results import ProjectScore

__all__ = [
    "KINDS",
    "Decision",
    "DecisionError",
    "Outcome",
    "Proposal",
    "ResultBand",
    "ResultsRules",
    "check_decision",
    "national_default",
    "propose",
    "read_results",
]

# The proposal kinds and their labels; what each means for the amount is in propose().
KINDS = {"keep-or-raise": "维持或增加", "keep": "维持", "reduce": "压减", "cut-or-stop": "削减或取消"}
_ROUNDINGS = {"ROUND_HALF_UP": ROUND_HALF_UP, "ROUND_UP": ROUND_UP, "ROUND_DOWN": ROUND_DOWN}
_TEXTS = ("document", "title", "bands_basis", "rounding_basis", "blockers_basis")
_FLAGS = ("block_on_alerts", "block_on_findings", "block_on_rectifications")
_KEYS = frozenset((*_TEXTS, *_FLAGS, "rounding", "bands"))
_BAND_KEYS = frozenset(("min_score", "grade", "kind", "reduce_pct", "raise_allowed"))
_HUNDRED = Decimal(100)
_FEN = Decimal("0.01")

Fail = Callable[[str, str], JixiaoError]


class DecisionError(JixiaoError):
    """A results decision that cannot be recorded; the message lists every problem."""


@dataclass(frozen=True)
class ResultBand:
    """One grade of the results rule: scores from ``min_score`` (inclusive) get ``kind``."""

    min_score: Decimal
    grade: str
    kind: str
    reduce_pct: Decimal
    raise_allowed: bool

    @property
    def label(self) -> str:
        """The Chinese name of the proposal: ``压减 10%`` for a reduction."""
        if self.reduce_pct:
            return f"{KINDS[self.kind]} {self.reduce_pct}%"
        return KINDS[self.kind]


@dataclass(frozen=True)
class ResultsRules:
    """The results rule of a pack: bands highest first, the rounding of amounts, what blocks a decision."""

    document: str
    title: str
    bands: tuple[ResultBand, ...]
    rounding: str
    block_on_alerts: bool
    block_on_findings: bool
    block_on_rectifications: bool
    # (key, formula, basis): the rows the rule pack lists in docs/rules.md
    bases: tuple[tuple[str, str, str], ...]

    def band_for(self, score: Decimal | None, grade: str | None) -> ResultBand | None:
        """The band of a score (first band whose floor it reaches), else of a grade by name; None if neither fits."""
        if score is not None:
            return next((b for b in self.bands if score >= b.min_score), None)
        return next((b for b in self.bands if b.grade == grade), None)


@functools.cache
def _default_table() -> dict[str, Any]:
    """The national default ``[results]`` table, read once."""
    text = resources.files("jixiao.core.scoring").joinpath("results-default.toml").read_text(encoding="utf-8")
    table: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)["results"]
    return table


def _text(table: dict[str, Any], key: str, fail: Fail) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f"results.{key}", "非空文字")
    return value


def _flag(table: dict[str, Any], key: str, fail: Fail) -> bool:
    value = table.get(key)
    if not isinstance(value, bool):
        raise fail(f"results.{key}", " true 或 false")
    return value


def _pct(band: dict[str, Any], key: str, path: str, fail: Fail) -> Decimal:
    value = band.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not 0 <= value <= _HUNDRED:
        raise fail(f"{path}{key}", "0 到 100 之间的数字")
    return Decimal(value)


def _band(raw: object, i: int, fail: Fail) -> ResultBand:
    """One ``[[results.bands]]`` entry, its share consistent with its kind."""
    path = f"results.bands[{i}]."
    if not isinstance(raw, dict):
        raise fail(f"results.bands[{i}]", "一个表（min_score、grade、kind、reduce_pct、raise_allowed）")
    unknown = sorted(set(raw) - _BAND_KEYS)
    if unknown:
        raise fail(path + unknown[0], f"已知的键之一（{'、'.join(sorted(_BAND_KEYS))}）")
    min_score = _pct(raw, "min_score", path, fail)
    grade = _text(raw, "grade", lambda p, e: fail(path + "grade", e))
    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail(path + "kind", f"以下之一：{'、'.join(f'{k}（{v}）' for k, v in KINDS.items())}")
    reduce_pct = _pct(raw, "reduce_pct", path, fail)
    # a share that contradicts the kind would print 维持 beside a cut amount
    if kind in ("keep-or-raise", "keep") and reduce_pct:
        raise fail(path + "reduce_pct", f" 0（{KINDS[kind]}不压减）")
    if kind in ("reduce", "cut-or-stop") and not reduce_pct:
        raise fail(path + "reduce_pct", f"大于 0 的比例（{KINDS[kind]}）")
    raise_allowed = raw.get("raise_allowed")
    if not isinstance(raise_allowed, bool):
        raise fail(path + "raise_allowed", " true 或 false")
    if raise_allowed and kind != "keep-or-raise":
        raise fail(path + "raise_allowed", f" false（{KINDS[kind]}不能增加预算）")
    return ResultBand(min_score, grade, kind, reduce_pct, raise_allowed)


def _bands(raw: object, fail: Fail) -> tuple[ResultBand, ...]:
    """The bands, highest floor first, the last at 0, so every score has one."""
    if not isinstance(raw, list) or not raw:
        raise fail("results.bands", "至少一档的分档表（[[results.bands]]）")
    bands = tuple(_band(b, i, fail) for i, b in enumerate(raw))
    floors = [b.min_score for b in bands]
    if floors != sorted(set(floors), reverse=True) or floors[-1] != 0:
        raise fail("results.bands", "按 min_score 从高到低排列、互不相同、最后一档为 0 的分档表")
    if len({b.grade for b in bands}) != len(bands):
        raise fail("results.bands", "每档等级（grade）互不相同的分档表")
    return bands


def read_results(raw: object, fail: Fail) -> ResultsRules:
    """The results rule of a pack: its ``[results]`` table (``None`` when absent) over the national default.

    ``fail(path, expected)`` builds the error for a bad key; an unknown key is refused, since a misspelt
    threshold would otherwise leave the default in force without a word.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail("results", "一个表（[results]）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(f"results.{unknown[0]}", f"已知的键之一（{'、'.join(sorted(_KEYS))}）")
    table = {**_default_table(), **raw}
    texts = {key: _text(table, key, fail) for key in _TEXTS}
    flags = {key: _flag(table, key, fail) for key in _FLAGS}
    rounding = table.get("rounding")
    if rounding not in _ROUNDINGS:
        raise fail("results.rounding", f"以下之一：{'、'.join(_ROUNDINGS)}")
    bands = _bands(table.get("bands"), fail)
    blocks = [name for key, name in zip(_FLAGS, ("预警", "错误级问题", "整改"), strict=True) if flags[key]]
    return ResultsRules(
        document=texts["document"],
        title=texts["title"],
        bands=bands,
        rounding=str(rounding),
        bases=(
            ("results.bands", " / ".join(f"{b.grade}≥{b.min_score}：{b.label}" for b in bands), texts["bands_basis"]),
            ("results.rounding", f"{rounding}, 0.01 元", texts["rounding_basis"]),
            ("results.blockers", " / ".join(blocks) or "不拦截", texts["blockers_basis"]),
        ),
        **flags,
    )


def national_default() -> ResultsRules:
    """The results rule a pack without a ``[results]`` table gets."""

    def fail(path: str, expected: str) -> JixiaoError:  # the shipped default is tested; this never runs
        return JixiaoError(f"results-default.toml 的 {path} 应为{expected}")

    return read_results(None, fail)


# --- proposing --------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A project's evaluation result as the results rule needs it: a score, or failing that a grade."""

    project: str
    score: Decimal | None = None
    grade: str | None = None

    @classmethod
    def of(cls, scored: ProjectScore) -> Outcome:
        """The outcome of a scored self-evaluation: the 总分 and 等级 as printed, else as the recorded scores add up.

        The printed figures are what the unit submitted and the reviewers published; the suggested
        scores are advice, never the result a budget follows.
        """
        score = scored.total_printed if scored.total_printed is not None else scored.total_recorded
        return cls(scored.name, score, scored.grade_printed or scored.grade_recorded)


@dataclass(frozen=True)
class Proposal:
    """The budget proposal for a project's next year, with why, and what must be answered before deciding."""

    project: str
    score: Decimal | None
    grade: str
    kind: str
    label: str
    reduce_pct: Decimal
    raise_allowed: bool
    prior_budget: Decimal
    amount: Decimal
    reason: str
    blockers: tuple[str, ...] = field(default=())

    @property
    def decidable(self) -> bool:
        """True when nothing blocks a decision."""
        return not self.blockers


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def _blockers(
    rules: ResultsRules, alerts: Sequence[str], findings: Sequence[str], rectifications: Sequence[str]
) -> tuple[str, ...]:
    """One Chinese line per open item the pack says must be answered first."""
    out: list[str] = []
    for on, items, what in (
        (rules.block_on_alerts, alerts, "未处理的运行监控预警"),
        (rules.block_on_findings, findings, "未解决的错误级审核问题"),
        (rules.block_on_rectifications, rectifications, "未完成的整改事项"),
    ):
        out += [f"{what}：{item}" for item in items] if on else []
    return tuple(out)


def propose(
    outcome: Outcome,
    pack: RulePack,
    *,
    prior_budget: Decimal,
    open_alerts: Sequence[str] = (),
    open_findings: Sequence[str] = (),
    open_rectifications: Sequence[str] = (),
) -> Proposal:
    """The proposal for ``outcome`` under ``pack``'s results rule, the amount exact to the fen.

    Raises :class:`DecisionError` when the prior budget is negative or not a Decimal, or when the outcome
    has neither a score in 0–100 nor a grade the rule knows.
    """
    rules = pack.results
    if not isinstance(prior_budget, Decimal) or not prior_budget.is_finite() or prior_budget < 0:
        raise DecisionError(f"项目“{outcome.project}”的上年预算数应为不小于 0 的金额（元），现为 {prior_budget}")
    if outcome.score is not None and not 0 <= outcome.score <= _HUNDRED:
        raise DecisionError(f"项目“{outcome.project}”的评价得分应在 0 到 100 之间，现为 {outcome.score}")
    band = rules.band_for(outcome.score, outcome.grade)
    if band is None:
        known = "、".join(b.grade for b in rules.bands)
        raise DecisionError(f"项目“{outcome.project}”没有评价得分，等级“{outcome.grade}”不是规则包的等级（{known}）")
    share = (_HUNDRED - band.reduce_pct) / _HUNDRED
    amount = (prior_budget * share).quantize(_FEN, rounding=_ROUNDINGS[rules.rounding])
    floor = f"{band.min_score} 分（含）以上" if band.min_score else "最低一档"
    scored = f"评价得分 {outcome.score} 分，" if outcome.score is not None else ""
    reason = (
        f"{scored}等级为{band.grade}（{floor}）；按{rules.document}（{pack.name} 规则包），"
        f"建议{band.label}：上年预算 {_yuan(prior_budget)}，建议安排 {_yuan(amount)}"
        f"{'，可申请增加' if band.raise_allowed else '，不得增加'}。"
    )
    return Proposal(
        project=outcome.project,
        score=outcome.score,
        grade=band.grade,
        kind=band.kind,
        label=band.label,
        reduce_pct=band.reduce_pct,
        raise_allowed=band.raise_allowed,
        prior_budget=prior_budget,
        amount=amount,
        reason=reason,
        blockers=_blockers(rules, open_alerts, open_findings, open_rectifications),
    )


# --- deciding ---------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What the finance bureau decided: ``accept`` the proposal, or ``change`` it to ``amount`` with a reason."""

    action: str
    amount: Decimal | None = None
    reason: str = ""

    def final_amount(self, proposal: Proposal) -> Decimal:
        """The amount decided: the proposal's on accept, else the one given."""
        return proposal.amount if self.action == "accept" or self.amount is None else self.amount


def _amount_problems(proposal: Proposal, amount: Decimal | None) -> list[str]:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return ["调整后的金额：请填写金额（元）"]
    out = []
    if amount < 0:
        out.append(f"调整后的金额：{amount} 元小于 0，请填写不小于 0 的金额")
    if amount != amount.quantize(_FEN):
        out.append(f"调整后的金额：{amount} 元超过两位小数，请精确到分")
    if amount > proposal.prior_budget and not proposal.raise_allowed:
        out.append(
            f"调整后的金额：{_yuan(amount)}高于上年预算 {_yuan(proposal.prior_budget)}，"
            f"等级为{proposal.grade}的项目按规则包不得增加预算"
        )
    return out


def check_decision(proposal: Proposal, decision: Decision) -> Decimal:
    """The amount ``decision`` settles on, after checking it against ``proposal``.

    Raises :class:`DecisionError` listing every problem: open blockers, an unknown action, a change
    without a reason or amount, an amount below 0 or finer than the fen, an increase the pack forbids.
    """
    problems = [f"请先处理{b}" for b in proposal.blockers]
    if decision.action == "change":
        if not decision.reason.strip():
            problems.append("调整理由：改变建议时必须写明理由")
        problems += _amount_problems(proposal, decision.amount)
    elif decision.action != "accept":
        problems.append(f"决定：应为 accept（同意建议）或 change（调整），现为“{decision.action}”")
    if problems:
        # a blocker quoted from a 整改事项's task may end its own sentence: one full stop at the end, none inside
        listed = "；".join(p.rstrip("。") for p in problems)
        raise DecisionError(f"项目“{proposal.project}”的结果应用决定不能保存：{listed}。")
    return decision.final_amount(proposal)
