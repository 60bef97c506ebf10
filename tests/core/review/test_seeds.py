"""The review on the five seed documents: what a reviewer must see, and no flood of false alarms."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import cache

import pytest

from jixiao.core.model import Document
from jixiao.core.review import Finding, Severity, link_projects, review_documents
from jixiao.core.scoring import score_document
from jixiao.documents.importer import import_path
from tests.shared import SEED_FILES

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent

D = Decimal


@cache
def seeds() -> tuple[tuple[str, Document], ...]:
    """The five seeds as imported, with their file names."""
    return tuple((p.name, import_path(p).document) for p in SEED_FILES)


def seed(prefix: str) -> tuple[str, Document]:
    """One seed by its number (``"004"``)."""
    (found,) = [s for s in seeds() if s[0].startswith(prefix)]
    return found


@cache
def findings() -> tuple[Finding, ...]:
    """Every finding of the review of all five seeds together."""
    return tuple(review_documents(list(seeds())))


def of(code: str, source: str | None = None) -> list[Finding]:
    """The findings with ``code`` (in the seed ``source`` when given)."""
    return [f for f in findings() if f.code == code and (source is None or (f.source or "").startswith(source))]


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_every_execution_score_and_total_is_recomputed(prefix: str) -> None:
    """Each self-evaluation project gets a suggested execution score, a recorded and a suggested total."""
    for p in score_document(seed(prefix)[1]).projects:
        assert p.execution is not None and p.execution.suggested is not None, p.name
        assert p.total_recorded is not None and p.total_suggested is not None, p.name


def test_the_one_printed_execution_score_off_the_rule_is_found() -> None:
    """机关服务管理费 prints 9.4 where 10 × 784,108 ÷ 833,680 gives 9.41; every other score agrees and is silent."""
    (found,) = of("execution-score-mismatch")
    assert found.project == "机关服务管理费" and (found.expected, found.found) == ("9.41", "9.4")
    assert "9.41" in found.message and "9.4 分" in found.message and "784,108" in found.message


def test_printed_totals_and_rates_that_agree_raise_nothing() -> None:
    """Every seed total adds up and every printed 执行率 is a tolerated rounding (up in 2022, truncated in 2024)."""
    for code in (
        "total-mismatch",
        "total-rounding",
        "execution-rate-mismatch",
        "grade-mismatch",
        "funds-do-not-add-up",
    ):
        assert of(code) == [], code


def test_every_discretionary_indicator_score_is_found() -> None:
    """Recorded scores that differ from the formula, with both numbers: 004's 1.00 against 0.75 among them."""
    got = {(f.source[:3] if f.source else "", f.project, f.indicator, f.expected, f.found)
           for f in of("score-differs-from-formula")}  # fmt: skip
    assert ("004", "医疗保险执行情况监督检查费", "聘用专业人员次数", "0.75", "1.00") in got
    assert got == {
        ("000", "基金监管工作经费", "监督工作培训计划完成次数", "5.00", "4.5"),
        ("000", "基金监管工作经费", "基金监管工作会议计划完成数", "10.00", "9.5"),
        ("000", "基金监管工作经费", "监管队伍培训完成及时性", "6.00", "5.5"),
        ("000", "基金监管工作经费", "基金监管工作会议完成及时率", "6.00", "5.5"),
        ("000", "规财法工作经费", "拟订医疗保障工作规划年度工作数", "2.14", "2.2"),
        ("000", "医保统计和信息专项经费", "医保统计和信息工作政策研究会议完成及时率", "4.75", "4"),
        ("000", "待遇保障专项经费", "管理人员满意度指标", "9.78", "9"),
        ("000", "组织人事专项", "在职干部培训及综合培训计划完成数", "6.67", "8"),
        ("002", "宣传资料服务费", "覆盖面", "9.00", "8.00"),
        ("002", "医保服务业标准化工作经费", "培训人数", "9.00", "8.00"),
        ("004", "医疗保险执行情况监督检查费", "聘用专业人员次数", "0.75", "1.00"),
    }
    (override,) = [f for f in of("score-differs-from-formula", "004")]
    assert override.severity is Severity.WARNING and "4 × 56 ÷ 300" in override.message


def test_declarations_get_the_target_findings_a_reviewer_raises() -> None:
    """Seed 001: vague, unreadable and missing targets, rates counted in 次, duplicates; nothing about money."""
    yearly = ("yoy-", "target-unchanged", "target-lowered", "target-below")  # the year-over-year findings
    codes = Counter(f.code for f in findings() if (f.source or "").startswith("001") and f.year == 2023
                    and not f.code.startswith(yearly))  # fmt: skip
    assert set(codes) == {"target-vague", "unit-mismatch", "duplicate-indicator", "target-unparsable", "target-missing"}
    assert sum(codes.values()) <= 40  # 356 indicators: no flood
    assert {f.indicator for f in of("duplicate-indicator", "001")} == {
        "参保人投诉率",
        "医保基金收支平衡率",
        "举办调研座谈会",
    }
    units = {f.indicator for f in of("unit-mismatch", "001")}
    assert {"管理人员投诉率", "司勤服务投诉率", "医保统计和信息工作学习交流培训覆盖率"} <= units
    assert "微信公众号更新频率" not in units  # a frequency is counted in 次
    (missing,) = of("target-missing", "001")
    assert missing.indicator == "提升本市药品、医用耗材交易市场化水平" and missing.severity is Severity.ERROR


def test_projects_are_linked_across_documents() -> None:
    """2022 self-evaluations reappear as 2023 declarations (names tolerated), and 2023 targets meet 2024 results."""
    links = {(k.earlier.source[:3], k.earlier.name, k.later.source[:3], k.later.name) for k in link_projects(seeds())}
    assert ("001", "医疗保险执行情况监督检查费", "004", "医疗保险执行情况监督检查费") in links
    for old, new in [
        ("基金监管工作经费", "基金监管工作经费"),
        ("规财法工作经费", "规财法工作经费"),
        ("少儿学生基本医疗保障专项工作经费", "少儿学生基本医疗保障工作专项"),
        ("医药价格和招标采购管理工作", "医药价格和招标采购管理"),
        ("医药服务管理工作专项", "医药管理服务专项经费"),
        ("政务公开和政务信息项目运行费", "新闻宣传、政务公开和政务信息"),
    ]:
        assert ("000", old, "001", new) in links, old
    # the same name run by another unit is another project
    assert not any(k[1] == "信息化运维项目" for k in links)
    assert len(links) == 13


def test_year_over_year_changes_are_findings_a_reviewer_can_act_on() -> None:
    """Targets raised or lowered, indicators added or dropped, targets kept after a shortfall or an excess."""

    def pick(code: str, indicator: str) -> Finding:
        (found,) = [f for f in of(code) if f.indicator == indicator]
        return found

    raised = pick("yoy-target-raised", "存储硬盘购买数量")
    assert (raised.expected, raised.found, raised.year) == ("≥8.00(个)", "≥10.00(个)", 2024)
    assert "工作日" in pick("yoy-target-changed", "举报案件办结时效").message
    assert pick("yoy-indicator-dropped", "第三方机构参与检查次数").source.startswith("004")  # type: ignore[union-attr]
    assert pick("yoy-indicator-added", "成本节约率").project == "医疗保险执行情况监督检查费"
    kept = pick("target-unchanged-after-shortfall", "拟订医疗保障工作规划年度工作数")
    assert "50" in kept.message and "≥70.00(项)" in kept.message
    assert "3" in pick("target-unchanged-after-over-achievement", "组织法治培训计划完成数").message
    # lowered from =100% to =90% after 100% was achieved: below last year's actual (财预〔2021〕101号), a warning
    below = pick("target-below-prior-actual", "医保信息统计分析工作完成及时率")
    assert (below.expected, below.found, below.severity) == ("100%", "=90.00(%)", Severity.WARNING)


def test_no_seed_finding_is_an_error_except_the_missing_target() -> None:
    """The seeds are published, mostly consistent forms: the only error is 001's indicator without a target."""
    errors = [f for f in findings() if f.severity is Severity.ERROR]
    assert [(f.code, f.indicator) for f in errors] == [("target-missing", "提升本市药品、医用耗材交易市场化水平")]


def test_every_finding_names_its_place_and_numbers() -> None:
    """Each finding has its project, source and year, a Chinese sentence, and an indicator wherever it points at one."""
    for f in findings():
        assert f.project and f.source and f.year and f.message.endswith("。"), f
        if f.indicator_index is not None:
            assert f.indicator is not None


def test_transfer_payment_form_is_reviewed_without_scores() -> None:
    """Seed 003 has no scores: no score findings, but copied actuals and the low execution are raised."""
    codes = Counter(f.code for f in findings() if (f.source or "").startswith("003"))
    assert not {"score-differs-from-formula", "total-mismatch", "required-field-missing"} & set(codes)
    assert codes["actual-copies-target"] == 7 and codes["low-execution-unexplained"] == 1
