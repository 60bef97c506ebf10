"""What the exporter tests share: the gold documents, a monitoring document built here, a round trip."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from jixiao.core.model import DEVIATION_CAUSES, LIKELIHOODS, Document, FundRow, Funds, Indicator, Kind, Project
from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_bytes
from jixiao.documents.result import ImportResult
from jixiao.exporters.model import Form, Report
from tests.shared import GOLD_FILES


@cache
def gold_document(stem: str) -> Document:
    """The gold reading of the seed whose file name starts with ``stem`` (``000`` .. ``004``)."""
    path = next(p for p in GOLD_FILES if p.name.startswith(stem))
    return loads(path.read_text(encoding="utf-8"), source=path.name)


def gold_path(stem: str) -> Path:
    """The gold file of a seed."""
    return next(p for p in GOLD_FILES if p.name.startswith(stem))


def read_back(data: bytes, name: str) -> tuple[ImportResult, dict]:  # type: ignore[type-arg]
    """An exported file read back through the importer, and its document as JSON (as ``jixiao import`` writes it)."""
    result = import_bytes(data, name)
    return result, json.loads(dumps(result.document))


STEMS = ("000", "001", "002", "003", "004")


D = Decimal


def _indicator(level1: str, level2: str, name: str, target: str, **monitored: object) -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, target=target, **monitored)  # type: ignore[arg-type]


def monitoring_document() -> Document:
    """Three monitoring forms as a unit files them in July: every cause and likelihood, some cells empty."""
    a, b, c, d, e = DEVIATION_CAUSES
    sure, maybe, never = LIKELIHOODS
    clinic = Project(
        name="社区卫生服务能力提升项目",
        department="某区卫生健康委员会",
        unit="某区疾病预防控制中心",
        money_unit="元",
        as_of="2025-07-31",
        funds=Funds(
            total=FundRow(
                adjusted=D("1234567.89"), executed=D("456789.01"), rate_pct=D("37.00"), forecast=D("1200000.00")
            ),
            current_appropriation=FundRow(
                adjusted=D("1000000.00"), executed=D("400000.01"), rate_pct=D("40.00"), forecast=D("990000.50")
            ),
            carryover=FundRow(adjusted=D("234567.89"), executed=D("56789.00"), rate_pct=D("24.21")),  # no forecast yet
        ),
        goal="完成辖区居民健康档案更新，提升基层公共卫生服务能力。",
        outcome="截至7月底已更新档案四成，培训按计划进行。",
        indicators=(
            _indicator(
                "产出指标",
                "数量指标",
                "健康档案更新份数",
                "≥10000份",
                actual="4200份",
                forecast="10000份",
                cause=(a, c),
                deviation="上半年人员借调，入户进度慢。",
                likelihood=maybe,
                remedy="增派人员，九月前补齐。",
            ),
            _indicator("产出指标", "质量指标", "档案合格率", "≥95%", actual="96.5%", forecast="96%", likelihood=sure),
            _indicator("产出指标", "时效指标", "年底前完成更新", "12月31日前", likelihood=sure),
            _indicator(
                "效益指标",
                "社会效益指标",
                "居民健康知晓率",
                "≥80%",
                actual="62%",
                forecast="70%",
                cause=(b, d, e),
                deviation="宣传系统故障三个月",
                likelihood=never,
                remedy="申请调整绩效目标",
            ),
            _indicator(
                "满意度指标",
                "服务对象满意度指标",
                "居民满意度",
                "≥90%",
                actual="91%",
                forecast="92%",
                likelihood=sure,
                remedy="无",
            ),
        ),
    )
    roads = Project(
        name="农村公路养护工程",
        department="某县交通运输局",
        unit="某县公路管理段",
        money_unit="万元",
        as_of="2025-06-30",
        funds=Funds(
            total=FundRow(adjusted=D("86.05"), executed=D("0.01"), rate_pct=D("0.01"), forecast=D("86.05")),
            current_appropriation=FundRow(
                adjusted=D("86.05"), executed=D("0.01"), rate_pct=D("0.01"), forecast=D("86.05")
            ),
            other=FundRow(adjusted=D("0.00"), executed=D("0.00"), rate_pct=D("0.00"), forecast=D("0.00")),
        ),
        goal="养护农村公路120公里。",
        outcome=None,  # nothing to report yet
        indicators=(
            _indicator(
                "产出指标",
                "数量指标",
                "养护里程",
                "=120公里",
                actual="0公里",
                forecast="120公里",
                cause=(a,),
                deviation="资金六月底才到位",
                likelihood=maybe,
                remedy="加快招标",
            ),
            _indicator("成本指标", "经济成本指标", "每公里养护成本", "≤0.72万元", forecast="0.70万元", likelihood=sure),
            _indicator(
                "效益指标",
                "可持续影响指标",
                "道路优良率",
                "逐步提高",
                actual="持平",
                forecast="提高",
                cause=(e,),
                deviation="雨季影响",
                likelihood=maybe,
            ),
        ),
    )
    school = Project(
        name="中小学校舍维修",
        department="某区教育局",
        unit="某区教育局",
        money_unit="元",
        as_of="2025-09-30",
        funds=Funds(total=FundRow(adjusted=D("500000.00"), executed=D("500000.00"), rate_pct=D("100.00"))),
        goal="维修校舍三处。",
        outcome="已全部完工。",
        indicators=(
            _indicator("产出指标", "数量指标", "维修校舍数", "3处", actual="3处", forecast="3处", likelihood=sure),
            _indicator(
                "产出指标",
                "质量指标",
                "验收合格率",
                "100%",
                actual="100%",
                forecast="100%",
                cause=(b, c),
                deviation="一处返工",
                likelihood=sure,
                remedy="已返工完毕",
            ),
        ),
    )
    return Document(kind=Kind.MONITORING, year=2025, projects=(clinic, roads, school))


def grid_text(report: Report) -> str:
    """The forms as tab-separated text, one line per row and one tab per column, as a spreadsheet saves them."""
    lines: list[str] = []
    for form in report.forms:
        lines += [form.title, form.subtitle, ""]
        lines += [_row_text(form, row) for row in range(len(form.grid.rows))]
        lines.append("")
    return "\n".join(lines) + "\n"


def _row_text(form: Form, row: int) -> str:
    texts = [""] * form.grid.columns
    for cell in form.grid.rows[row]:
        texts[cell.col] = cell.text.replace("\n", "")
    return "\t".join(texts).rstrip("\t")


def department_document(kind: Kind = Kind.DEPARTMENT_SELF_EVALUATION) -> Document:
    """A department's whole-budget form as it files it: money by source and nature to the fen, numbered goals.

    The self-evaluation adds up (sources and natures each make the total), scores 10 + 90 with two indicators
    short of full marks (with their deviation notes); the declaration carries the requested amounts only.
    """
    from jixiao.core.model import DepartmentFunds, Execution, Goal

    declaration = kind is Kind.DEPARTMENT_DECLARATION

    def row(initial: str, adjusted: str, executed: str, rate: str | None = None) -> FundRow:
        if declaration:
            return FundRow(requested=D(initial))
        return FundRow(
            initial=D(initial), adjusted=D(adjusted), executed=D(executed), rate_pct=D(rate) if rate else None
        )

    def ind(
        level1: str, level2: str, name: str, target: str, weight: str, actual: str, score: str, note: str | None = None
    ) -> Indicator:
        if declaration:
            return Indicator(level1=level1, level2=level2, name=name, target=target, weight=D(weight))
        return Indicator(
            level1=level1,
            level2=level2,
            name=name,
            target=target,
            actual=actual,
            weight=D(weight),
            score=D(score),
            deviation=note,
        )

    split = DepartmentFunds(
        general_budget=row("3873.66", "3953.66", "3324.26"),
        government_fund=row("0.00", "0.00", "0.00"),
        special_account=row("100.00", "100.00", "80.00"),
        other=row("780.00", "700.00", "420.00"),
        basic=row("1768.16", "1768.16", "1700.10"),
        project=row("2985.50", "2985.50", "2124.16"),
    )
    goals = (
        Goal("目标1：完成造林1.2万亩", None if declaration else "完成造林1.2万亩"),
        Goal("目标2：森林经营16.3万亩", None if declaration else "完成森林经营16.3万亩"),
        Goal("目标3：林业有害生物防治3.45万亩", None if declaration else "防治3.45万亩，成灾率0.1‰"),
    )
    indicators = (
        ind("产出指标", "数量指标", "造林面积", "≥1.2万亩", "20", "1.2万亩", "20"),
        ind("产出指标", "质量指标", "造林成活率", "≥85%", "15", "86%", "15"),
        ind("产出指标", "时效指标", "任务按期完成率", "≥90%", "15", "100%", "15"),
        ind(
            "效益指标",
            "经济效益指标",
            "木材销售收入",
            "≥1100万元",
            "10",
            "1093万元",
            "9.94",
            "木材价格下行，下年调整销售计划",
        ),
        ind("效益指标", "生态效益指标", "森林覆盖率", "≥63.5%", "10", "63.6%", "10"),
        ind(
            "效益指标",
            "社会效益指标",
            "带动林农就业人数",
            "≥500人",
            "10",
            "480人",
            "9.6",
            "部分工程延期，已督促施工单位",
        ),
        ind("满意度指标", "服务对象满意度指标", "林农满意度", "≥90%", "10", "95%", "10"),
    )
    project = Project(
        name="",
        department="某区林业局",
        money_unit="万元",
        funds=Funds(total=row("4753.66", "4753.66", "3824.26", "80.45")),
        execution=None if declaration else Execution(weight=D("10"), rate_pct=D("80.45"), score=D("8.04")),
        indicators=indicators,
        total_score=None if declaration else D("97.58"),
        grade=None if declaration else "优",
        department_funds=split,
        goals=goals,
    )
    return Document(kind=kind, year=2024, projects=(project,))
