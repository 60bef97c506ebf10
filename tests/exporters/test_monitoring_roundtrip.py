"""The monitoring form the project writes (XLSX, PDF, DOCX, tab-separated text) reads back as it was written.

The document is built here: three projects, money to the fen (元 and 万元), every 偏差原因类型 and every
完成目标可能性, and cells left empty (no value to date yet, no forecast, no cause, an empty fund row).
Each format is read back through the importer and compared twice: exactly (the same document, fund rows
that print no figure aside) and with the shared scorer ``compare_gold.py`` at 99.9% or better, its
fields and the monitoring form's own (which the scorer predates) counted alike.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.model import DEVIATION_CAUSES, LIKELIHOODS, Document, Funds, FundRow, Indicator, Kind, Project
from jixiao.core.serialize import dumps
from jixiao.documents.importer import import_bytes
from jixiao.documents.result import ImportResult
from jixiao.exporters import docx, fonts, pdf, xlsx
from jixiao.exporters.model import Form, Report
from jixiao.exporters.report import build_report
from tests.shared import load_compare_gold

D = Decimal
BAR = 0.999
# The built-in CID font always; an installed TrueType font as well where the machine has one.
PDF_FONTS = ["pdf-cid"] + (["pdf-truetype"] if fonts.find_truetype() else [])
FORMATS = ["xlsx", *PDF_FONTS, "docx", "txt"]


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
            total=FundRow(adjusted=D("1234567.89"), executed=D("456789.01"), rate_pct=D("37.00"), forecast=D("1200000.00")),
            current_appropriation=FundRow(
                adjusted=D("1000000.00"), executed=D("400000.01"), rate_pct=D("40.00"), forecast=D("990000.50")
            ),
            carryover=FundRow(adjusted=D("234567.89"), executed=D("56788.99"), rate_pct=D("24.21")),  # no forecast yet
        ),
        goal="完成辖区居民健康档案更新，提升基层公共卫生服务能力。",
        outcome="截至7月底已更新档案四成，培训按计划进行。",
        indicators=(
            _indicator("产出指标", "数量指标", "健康档案更新份数", "≥10000份", actual="4200份", forecast="10000份",
                       cause=(a, c), deviation="上半年人员借调，入户进度慢。", likelihood=maybe, remedy="增派人员，九月前补齐。"),
            _indicator("产出指标", "质量指标", "档案合格率", "≥95%", actual="96.5%", forecast="96%", likelihood=sure),
            _indicator("产出指标", "时效指标", "年底前完成更新", "12月31日前", likelihood=sure),
            _indicator("效益指标", "社会效益指标", "居民健康知晓率", "≥80%", actual="62%", forecast="70%",
                       cause=(b, d, e), deviation="宣传系统故障三个月", likelihood=never, remedy="申请调整绩效目标"),
            _indicator("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", actual="91%", forecast="92%",
                       likelihood=sure, remedy="无"),
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
            other=FundRow(adjusted=D("0.00"), executed=D("0.00"), rate_pct=D("0.00"), forecast=D("0.00")),
        ),
        goal="养护农村公路120公里。",
        outcome=None,  # nothing to report yet
        indicators=(
            _indicator("产出指标", "数量指标", "养护里程", "=120公里", actual="0公里", forecast="120公里",
                       cause=(a,), deviation="资金六月底才到位", likelihood=maybe, remedy="加快招标"),
            _indicator("成本指标", "经济成本指标", "每公里养护成本", "≤0.72万元", forecast="0.70万元", likelihood=sure),
            _indicator("效益指标", "可持续影响指标", "道路优良率", "逐步提高", actual="持平", forecast="提高",
                       cause=(e,), deviation="雨季影响", likelihood=maybe),
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
            _indicator("产出指标", "质量指标", "验收合格率", "100%", actual="100%", forecast="100%", cause=(b, c),
                       deviation="一处返工", likelihood=sure, remedy="已返工完毕"),
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


def render(fmt: str, document: Document) -> tuple[bytes, str]:
    """The document written in one format, and the file name it is read back under."""
    report = build_report(document)
    if fmt == "xlsx":
        return xlsx.render(report), "monitoring.xlsx"
    if fmt == "docx":
        return docx.render(report), "monitoring.docx"
    if fmt == "txt":
        return grid_text(report).encode("utf-8"), "monitoring.txt"
    return pdf.render(report, font="cid" if fmt == "pdf-cid" else "auto"), "monitoring.pdf"


def without_empty_rows(document: Document) -> Document:
    """The document with every fund row that holds no figure left out (the form prints all four rows)."""
    projects = []
    for p in document.projects:
        rows = {key: None if row.is_empty() else row for key, row in p.funds.rows()}
        projects.append(replace(p, funds=replace(p.funds, **rows)))
    return replace(document, projects=tuple(projects))


def read(fmt: str, document: Document) -> ImportResult:
    data, name = render(fmt, document)
    return import_bytes(data, name)


@pytest.mark.parametrize("fmt", FORMATS)
def test_monitoring_form_reads_back_exactly(fmt: str) -> None:
    """Every value of every project comes back: figures to the fen, each cause and likelihood, empty cells empty."""
    document = monitoring_document()
    result = read(fmt, document)
    assert result.document.kind is Kind.MONITORING
    assert without_empty_rows(result.document) == without_empty_rows(document), _first_difference(
        json.loads(dumps(without_empty_rows(result.document))), json.loads(dumps(without_empty_rows(document)))
    )
    assert result.problems == ()


# The monitoring form's own fields, which compare_gold.py (written before the kind) does not count.
_PROJECT_MONITORED = ("as_of",)
_ROW_MONITORED = ("forecast",)
_INDICATOR_MONITORED = ("forecast", "cause", "likelihood", "remedy")


def _score(gold: dict, predicted: dict) -> tuple[int, int, list[str]]:  # type: ignore[type-arg]
    """compare_gold's tally of the two documents, with the monitoring fields counted by its own rule."""
    compare = load_compare_gold()
    tally = compare.compare_documents(gold, predicted)
    for g, p in compare.match_by_key(gold["projects"], predicted["projects"], compare.project_key):
        where = f"project[{(g or p)['name']}]"
        if g is None or p is None:
            tally.missing(where, g or p, _PROJECT_MONITORED, "gold" if g else "pred")
            continue
        compare.compare_fields(tally, where, g, p, _PROJECT_MONITORED)
        for row in sorted(set(g["funds"]) | set(p["funds"])):
            compare.compare_fields(tally, f"{where}.funds.{row}", g["funds"].get(row) or {}, p["funds"].get(row) or {}, _ROW_MONITORED)
        for a, b in compare.align_indicators(g["indicators"], p["indicators"]):
            label = f"{where}.indicator[{(a or b)['name']}]"
            if a is None or b is None:
                tally.missing(label, a or b, _INDICATOR_MONITORED, "gold" if a else "pred")
                continue
            # a list of causes compares as its printed text, in order
            a, b = {**a, "cause": "、".join(a.get("cause") or []) or None}, {**b, "cause": "、".join(b.get("cause") or []) or None}
            compare.compare_fields(tally, label, a, b, _INDICATOR_MONITORED)
    return tally.correct, tally.counted, tally.diffs


@pytest.mark.shared
@pytest.mark.parametrize("fmt", FORMATS)
def test_monitoring_round_trip_scores_with_compare_gold(fmt: str) -> None:
    """The form read back scores at least 99.9% against the written document with compare_gold.py."""
    document = monitoring_document()
    gold = json.loads(dumps(document))
    predicted = json.loads(dumps(read(fmt, document).document))
    correct, counted, diffs = _score(gold, predicted)
    assert counted >= 120  # every field of three projects was counted (126), the monitoring ones too
    assert correct / counted >= BAR, "\n".join(diffs[:20])


@pytest.mark.shared
def test_the_scorer_counts_a_wrong_monitoring_field() -> None:
    """A forecast or a likelihood read wrong lowers the score: the extended tally is not blind to them."""
    document = monitoring_document()
    gold = json.loads(dumps(document))
    wrong = json.loads(dumps(document))
    wrong["projects"][0]["indicators"][0]["likelihood"] = "确定能"
    wrong["projects"][1]["funds"]["total"]["forecast"] = 86.04
    wrong["projects"][2]["indicators"][1]["cause"] = ["制度保障"]
    correct, counted, diffs = _score(gold, wrong)
    assert counted - correct == 3, diffs


def _first_difference(a: object, b: object, where: str = "$") -> str:
    """The JSON path and the two values where two documents first differ (for the failure message)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() | b.keys():
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{where}.{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{n}]")
    return f"{where}: {a!r} != {b!r}"
