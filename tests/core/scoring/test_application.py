"""The results application rule (结果应用): the [results] table, proposals at every band edge, blockers, decisions."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources

import pytest

from jixiao.core.scoring import PackError, load_pack, parse_pack
from jixiao.core.scoring.application import (
    Decision,
    DecisionError,
    Outcome,
    Proposal,
    check_decision,
    national_default,
    propose,
)
from jixiao.core.scoring.results import ProjectScore

_SECTION = re.compile(r"\n# 结果应用.*", re.S)
_MILLION = Decimal("1000000.00")


def _text(name: str = "mof-2020") -> str:
    return resources.files("jixiao.core.scoring").joinpath("packs", f"{name}.toml").read_text(encoding="utf-8")


def _propose(
    score: str | None,
    prior: Decimal = _MILLION,
    grade: str | None = None,
    open_alerts: tuple[str, ...] = (),
    open_findings: tuple[str, ...] = (),
    open_rectifications: tuple[str, ...] = (),
) -> Proposal:
    s = None if score is None else Decimal(score)
    return propose(
        Outcome("示范项目", s, grade),
        load_pack(),
        prior_budget=prior,
        open_alerts=open_alerts,
        open_findings=open_findings,
        open_rectifications=open_rectifications,
    )


@pytest.mark.parametrize("name", ["mof-2020", "mof-2021-core"])
def test_both_shipped_packs_carry_the_national_results_rule(name: str) -> None:
    """Each shipped pack has a [results] table equal to the default, citing 34号 and 10号, listed in its bases."""
    pack = load_pack(name)
    assert "[results]" in _text(name)
    rules = pack.results
    assert rules == national_default()
    assert "中发〔2018〕34号" in rules.document and "财预〔2020〕10号" in rules.document
    assert [(b.grade, b.min_score, b.kind, b.reduce_pct, b.raise_allowed) for b in rules.bands] == [
        ("优", 90, "keep-or-raise", 0, True),
        ("良", 80, "keep", 0, False),
        ("中", 60, "reduce", 10, False),
        ("差", 0, "cut-or-stop", 50, False),
    ]
    keys = {b.key for b in pack.bases if b.key.startswith("results.")}
    assert keys == {"results.bands", "results.rounding", "results.blockers"}


def test_a_pack_without_a_results_table_gets_the_national_default() -> None:
    """A pack written before results application existed still loads, with the default rule."""
    text = _SECTION.sub("\n", _text())
    assert "[results]" not in text
    assert parse_pack(text, "mof-2020").results == national_default()


@pytest.mark.parametrize(
    ("score", "grade", "kind", "label", "amount"),
    [
        ("100", "优", "keep-or-raise", "维持或增加", "1000000.00"),
        ("90", "优", "keep-or-raise", "维持或增加", "1000000.00"),
        ("89.99", "良", "keep", "维持", "1000000.00"),
        ("80", "良", "keep", "维持", "1000000.00"),
        ("79.99", "中", "reduce", "压减 10%", "900000.00"),
        ("60", "中", "reduce", "压减 10%", "900000.00"),
        ("59.99", "差", "cut-or-stop", "削减或取消 50%", "500000.00"),
        ("0", "差", "cut-or-stop", "削减或取消 50%", "500000.00"),
    ],
)
def test_each_band_edge_gets_its_proposal(score: str, grade: str, kind: str, label: str, amount: str) -> None:
    """A score at a band's floor is in that band; one hundredth below it is in the next band down."""
    p = _propose(score)
    assert (p.grade, p.kind, p.label, p.amount) == (grade, kind, label, Decimal(amount))
    assert p.raise_allowed is (grade == "优")
    assert p.decidable


def test_the_reason_names_the_numbers_and_the_source() -> None:
    """The reason is a Chinese sentence with the score, grade, amounts and the documents the rule follows."""
    p = _propose("72.5")
    assert p.reason == (
        "评价得分 72.5 分，等级为中（60 分（含）以上）；按中发〔2018〕34号；财预〔2020〕10号（mof-2020 规则包），"
        "建议压减 10%：上年预算 1,000,000.00 元，建议安排 900,000.00 元，不得增加。"
    )


def test_a_grade_without_a_score_finds_its_band_by_name() -> None:
    """A result known only by its grade (a printed form without a total) still gets a proposal."""
    assert _propose(None, grade="中").amount == Decimal("900000.00")
    with pytest.raises(DecisionError, match="等级“甲”不是规则包的等级（优、良、中、差）"):
        _propose(None, grade="甲")


@pytest.mark.parametrize(
    ("prior", "score", "amount"),
    [
        # 中: 90% of 0.05 is 0.045, half a fen rounds up
        ("0.05", "70", "0.05"),
        ("0.15", "70", "0.14"),  # 0.135 -> 0.14
        ("123456.79", "70", "111111.11"),  # 111111.111 -> 111111.11
        # 差: half of an odd fen is exactly half a fen, rounded up
        ("0.01", "10", "0.01"),
        ("1000000.01", "10", "500000.01"),
        ("0.00", "10", "0.00"),
    ],
)
def test_the_share_is_rounded_half_up_to_the_fen(prior: str, score: str, amount: str) -> None:
    """Proposed amount = prior × (1 − share), rounded ROUND_HALF_UP to 0.01 元."""
    assert _propose(score, Decimal(prior)).amount == Decimal(amount)


@pytest.mark.parametrize(
    ("score", "prior", "message"),
    [
        ("101", _MILLION, "评价得分应在 0 到 100 之间，现为 101"),
        ("-1", _MILLION, "评价得分应在 0 到 100 之间"),
        ("70", Decimal("-0.01"), "上年预算数应为不小于 0 的金额（元），现为 -0.01"),
        ("70", Decimal("NaN"), "上年预算数应为不小于 0 的金额（元），现为 NaN"),
        ("70", 1000.5, "上年预算数应为不小于 0 的金额（元），现为 1000.5"),
    ],
)
def test_impossible_inputs_are_refused(score: str, prior: Decimal, message: str) -> None:
    """A score outside 0–100, a negative, NaN or float (inexact) prior budget is not proposed on."""
    with pytest.raises(DecisionError, match=re.escape(message)):
        _propose(score, prior)


def test_open_items_block_the_decision_each_listed() -> None:
    """Each open alert, error finding and 整改 item is listed; the decision is refused until they are answered."""
    p = _propose(
        "85",
        open_alerts=("执行率低于序时进度 12 个百分点",),
        open_findings=("E-WEIGHT：指标分值之和不是 90",),
        open_rectifications=("整改：补充验收资料（逾期）",),
    )
    assert p.blockers == (
        "未处理的运行监控预警：执行率低于序时进度 12 个百分点",
        "未解决的错误级审核问题：E-WEIGHT：指标分值之和不是 90",
        "未完成的整改事项：整改：补充验收资料（逾期）",
    )
    assert not p.decidable
    with pytest.raises(DecisionError) as err:
        check_decision(p, Decision("accept"))
    assert "请先处理未处理的运行监控预警：执行率低于序时进度 12 个百分点" in str(err.value)
    assert "请先处理未完成的整改事项" in str(err.value)


def test_accept_takes_the_proposed_amount() -> None:
    """Accepting a 中 project's proposal settles on the reduced amount."""
    assert check_decision(_propose("65"), Decision("accept")) == Decimal("900000.00")


def test_a_change_with_a_reason_settles_on_its_amount() -> None:
    """差 may be cut to nothing (取消) with a reason; 优 may be raised."""
    assert check_decision(_propose("40"), Decision("change", Decimal("0"), "项目已完成，不再安排")) == 0
    raised = check_decision(_propose("95"), Decision("change", Decimal("1200000.00"), "扩大覆盖范围"))
    assert raised == Decimal("1200000.00")


@pytest.mark.parametrize(
    ("score", "decision", "message"),
    [
        ("85", Decision("change", Decimal("900000.00"), "  "), "调整理由：改变建议时必须写明理由"),
        ("85", Decision("change", Decimal("1000000.01"), "需要"), "等级为良的项目按规则包不得增加预算"),
        ("65", Decision("change", Decimal("1000000.01"), "需要"), "等级为中的项目按规则包不得增加预算"),
        ("95", Decision("change", Decimal("-1"), "退回"), "-1 元小于 0，请填写不小于 0 的金额"),
        ("95", Decision("change", Decimal("1.001"), "精确"), "超过两位小数，请精确到分"),
        ("95", Decision("change", None, "忘了金额"), "调整后的金额：请填写金额（元）"),
        ("95", Decision("reject"), "应为 accept（同意建议）或 change（调整），现为“reject”"),
    ],
)
def test_bad_decisions_are_refused_in_chinese(score: str, decision: Decision, message: str) -> None:
    """A change without reason, an increase the pack forbids, a negative or sub-fen amount, an unknown action."""
    with pytest.raises(DecisionError, match=re.escape(message)) as err:
        check_decision(_propose(score), decision)
    assert "项目“示范项目”的结果应用决定不能保存" in str(err.value)


def test_keeping_the_prior_amount_is_no_increase() -> None:
    """Exactly the prior budget is allowed for a grade that may not be raised."""
    assert check_decision(_propose("85"), Decision("change", _MILLION, "维持")) == _MILLION


# --- pack overrides ---------------------------------------------------------

_BANDS = '\n[[results.bands]]\nmin_score = {}\ngrade = "{}"\nkind = "{}"\nreduce_pct = {}\nraise_allowed = {}\n'


def _pack_with(results: str) -> str:
    return _SECTION.sub("\n", _text()) + "\n[results]\n" + results


def test_a_pack_overrides_every_band_threshold() -> None:
    """A province's own bands (85/75/60, 中 −20%, 差 −100%, 良 may rise) replace the default table whole."""
    bands = (
        _BANDS.format(85, "优", "keep-or-raise", 0, "true")
        + _BANDS.format(75, "良", "keep-or-raise", 0, "true")
        + _BANDS.format(60, "中", "reduce", 20, "false")
        + _BANDS.format(0, "差", "cut-or-stop", 100, "false")
    )
    pack = parse_pack(_pack_with(bands), "mof-2020")
    at = {s: propose(Outcome("p", Decimal(s)), pack, prior_budget=_MILLION) for s in ("85", "84.99", "75", "74.99")}
    assert [(p.grade, p.amount) for p in at.values()] == [
        ("优", _MILLION),
        ("良", _MILLION),
        ("良", _MILLION),
        ("中", Decimal("800000.00")),
    ]
    assert at["75"].raise_allowed
    assert propose(Outcome("p", Decimal("59")), pack, prior_budget=_MILLION).amount == 0


@pytest.mark.parametrize(
    ("results", "attribute", "value"),
    [
        ('rounding = "ROUND_DOWN"\n', "rounding", "ROUND_DOWN"),
        ("block_on_alerts = false\n", "block_on_alerts", False),
        ("block_on_findings = false\n", "block_on_findings", False),
        ("block_on_rectifications = false\n", "block_on_rectifications", False),
    ],
)
def test_a_pack_overrides_each_setting(results: str, attribute: str, value: object) -> None:
    """Each key written in [results] replaces the default's; the rest stay."""
    rules = parse_pack(_pack_with(results), "mof-2020").results
    assert getattr(rules, attribute) == value
    assert rules.bands == national_default().bands


def test_an_overridden_rounding_and_blockers_change_the_proposal() -> None:
    """ROUND_DOWN truncates the half fen; an alert no longer blocks when the pack says so."""
    pack = parse_pack(_pack_with('rounding = "ROUND_DOWN"\nblock_on_alerts = false\n'), "mof-2020")
    p = propose(Outcome("p", Decimal("10")), pack, prior_budget=Decimal("0.01"), open_alerts=["预警"])
    assert p.amount == 0 and p.decidable


@pytest.mark.parametrize(
    ("results", "key", "expected"),
    [
        ('rounding = "HALF_EVEN"\n', "results.rounding", "以下之一"),
        ('block_on_alerts = "yes"\n', "results.block_on_alerts", "true 或 false"),
        ('document = ""\n', "results.document", "非空文字"),
        ("threshold = 5\n", "results.threshold", "已知的键之一"),
        ("bands = []\n", "results.bands", "至少一档"),
        (_BANDS.format(60, "中", "reduce", 10, "false"), "results.bands", "最后一档为 0"),
        (
            _BANDS.format(0, "中", "reduce", 10, "false") + _BANDS.format(60, "差", "reduce", 10, "false"),
            "results.bands",
            "从高到低",
        ),
        (
            _BANDS.format(60, "中", "reduce", 10, "false") + _BANDS.format(0, "中", "reduce", 10, "false"),
            "results.bands",
            "互不相同",
        ),
        (_BANDS.format(101, "优", "keep", 0, "false"), "results.bands[0].min_score", "0 到 100"),
        (_BANDS.format(0, "差", "stop", 100, "false"), "results.bands[0].kind", "cut-or-stop（削减或取消）"),
        (_BANDS.format(0, "差", "reduce", 120, "false"), "results.bands[0].reduce_pct", "0 到 100"),
        (_BANDS.format(0, "差", "reduce", 0, "false"), "results.bands[0].reduce_pct", "大于 0"),
        (_BANDS.format(0, "良", "keep", 5, "false"), "results.bands[0].reduce_pct", "维持不压减"),
        (_BANDS.format(0, "中", "reduce", 10, "true"), "results.bands[0].raise_allowed", "压减不能增加预算"),
        (_BANDS.format(0, "中", "reduce", 10, '"no"'), "results.bands[0].raise_allowed", "true 或 false"),
        (_BANDS.format(0, "", "reduce", 10, "false"), "results.bands[0].grade", "非空文字"),
        (_BANDS + "share = 3\n", "results.bands[0].share", "已知的键之一"),
    ],
)
def test_bad_results_values_are_refused_naming_the_key(results: str, key: str, expected: str) -> None:
    """Every bad [results] value is a PackError naming the pack, the key and what it should be."""
    if "{}" in results:
        results = results.format(0, "差", "reduce", 10, "false")
    with pytest.raises(PackError) as err:
        parse_pack(_pack_with(results), "mof-2020")
    assert f"规则包 mof-2020 的 {key} 应为" in str(err.value)
    assert expected in str(err.value)
    assert err.value.location is not None and err.value.location.path == key


def _scored(
    printed: str | None, recorded: str | None, grade_printed: str | None, grade_recorded: str | None
) -> Outcome:
    def d(v: str | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    score = ProjectScore("示范项目", "某单位", "mof-2020", (), None, d(printed), d(recorded), d("99"), 0,
                         grade_printed, grade_recorded, "优")  # fmt: skip
    return Outcome.of(score)


def test_the_outcome_of_a_scored_form_is_its_printed_result() -> None:
    """The printed 总分 and 等级 decide; the recorded sum stands in when nothing is printed; suggestions never."""
    assert _scored("79.99", "81", "中", "良") == Outcome("示范项目", Decimal("79.99"), "中")
    assert _scored(None, "81", None, "良") == Outcome("示范项目", Decimal("81"), "良")
    assert propose(_scored(None, "81", None, "良"), load_pack(), prior_budget=_MILLION).kind == "keep"
    assert _scored(None, None, None, None) == Outcome("示范项目", None, None)
