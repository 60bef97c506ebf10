"""Findings and the registry of every check a reviewer's run performs.

A :class:`Finding` is one thing a careful finance-bureau reviewer would
raise: a stable code, a severity, the place it points at (project,
indicator, field) and a sentence in Chinese with the numbers. The
registry :data:`CHECKS` is data, so documentation (``docs/rules.md``) and
tests can list every check without reading the code that runs it.

Severities: ``error`` when the form contradicts itself or lacks what the
rules require (``jixiao check`` exits 1); ``warning`` for what a reviewer
would send back or ask about; ``info`` for what a reviewer should see but
may accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "CHECKS",
    "REGISTRY",
    "SCOPES",
    "Check",
    "Finding",
    "Severity",
    "checks_for_people",
    "reading_order",
    "title_of",
]


class Severity(StrEnum):
    """How serious a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """The Chinese word for the severity."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for information: sorts the most serious first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


# Where a check applies: targets (declarations and every form with targets), evaluations, across documents,
# or the mid-year monitoring form (its alerts and its own arithmetic).
SCOPES = {
    "targets": "申报表及一切带指标值的表（自评表同样适用）",
    "evaluation": "自评表（含转移支付区域自评表中适用的部分）",
    "across": "跨文档：同年申报与自评、同一项目的不同年度",
    "monitoring": "绩效运行监控表（项目支出绩效目标执行监控表）的预警与一致性",
    "department": "部门整体支出绩效目标申报表、自评表：资金的两种分法、指标类别，以及与部门项目汇总数的比较",
}


@dataclass(frozen=True)
class Check:
    """One registered check: its code, severity, Chinese title, what it checks and on what basis."""

    code: str
    severity: Severity
    scope: str
    title: str
    checks: str
    basis: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: what, how serious, where, and the two numbers or texts compared.

    ``indicator_index`` counts from 0 in the project's printed order;
    ``source`` is the name the document was given (a file name) and
    ``year`` its 年度.
    """

    code: str
    severity: Severity
    project: str
    unit: str | None
    indicator: str | None
    indicator_index: int | None
    field: str | None
    message: str
    expected: str | None
    found: str | None
    source: str | None
    year: int | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the finding (the shape ``jixiao check --format json`` prints)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "project": self.project,
            "unit": self.unit,
            "indicator": self.indicator,
            "indicator_index": self.indicator_index,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
            "found": self.found,
            "source": self.source,
            "year": self.year,
        }


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: notice (info)
_R5 = "docs/domain.md §5"
_R7 = "docs/domain.md §7"
_M = "财预〔2019〕136号"
_D = "docs/decisions/0024-department-wide-forms.md"

CHECKS: tuple[Check, ...] = (
    # --- targets: declarations and every form that prints targets ------------------------------
    Check("no-indicators", E, "targets", "没有绩效指标", "项目没有任何三级指标。", f"{_R5}：必填内容齐全"),
    Check(
        "required-field-missing",
        W,
        "targets",
        "必填内容缺失",
        "实施单位、年度目标、资金，以及自评表的实际完成情况、分值、得分、预算执行率行、总分是否填写。",
        f"{_R5}：必填内容齐全",
    ),
    Check(
        "missing-level1",
        W,
        "targets",
        "缺少产出或效益指标",
        "指标体系中应同时有产出指标和效益指标。",
        f"{_R5}；财预〔2020〕10号 指标体系",
    ),
    Check("missing-output-quantity", W, "targets", "产出指标缺少数量指标", "产出指标下应有数量指标。", _R5),
    Check("missing-output-quality", W, "targets", "产出指标缺少质量指标", "产出指标下应有质量指标。", _R5),
    Check("target-missing", E, "targets", "指标值未填写", "每个指标都应有指标值。", f"{_R5}：必填内容齐全"),
    Check(
        "target-far-from-library",
        W,
        "targets",
        "指标值远离指标库常见范围",
        "指标值与指标库中同一指标、同一单位的指标值相比，高于第三四分位数的若干倍或低于第一四分位数的若干分之一"
        "（倍数和最少样本数见规则包 library.far_ratio、library.min_targets）；只在审核时有指标库可比时检查。",
        "财预〔2021〕101号 指标值依据历史数据和同类项目确定；规则包 library.far_ratio、library.min_targets",
    ),
    Check(
        "target-unparsable",
        W,
        "targets",
        "指标值无法识别",
        "指标值应是“比较符号+数字+单位”或简短的定性表述；一段说明文字或写法不规范的数值无法核对。",
        f"{_R5}：定量指标值应可解析",
    ),
    Check(
        "target-trivial",
        W,
        "targets",
        "指标值没有约束力",
        "如“≥0”“≤100%”：任何结果都能达到，等于没有设定目标。",
        f"{_R5}：no trivial target",
    ),
    Check(
        "target-vague",
        W,
        "targets",
        "指标值模糊、不可衡量",
        "如“有所提升”“逐步提高”：只说方向，没有可以核对的终点。",
        f"{_R5}：no vague target",
    ),
    Check(
        "rate-target-over-100",
        W,
        "targets",
        "比率指标值超过 100%",
        "完成率、合格率等比率不可能超过 100%（增长率等除外）。",
        f"{_R5}：rate targets not above 100%",
    ),
    Check(
        "unit-mismatch",
        W,
        "targets",
        "计量单位与指标名称不符",
        "名称是“率”却以“次”“人次”等计量，或名称是“数量”“人数”却以“%”计量。",
        f"{_R5}：unit fits the name",
    ),
    Check(
        "cost-not-reverse",
        W,
        "targets",
        "成本指标未用“≤”",
        "以金额计量的成本指标应设上限（≤），不应设下限（≥、>）；“=”按标准执行（如补助标准）不提示。",
        f"{_R5}：cost targets use ≤",
    ),
    Check(
        "duplicate-indicator",
        W,
        "targets",
        "指标重复",
        "同一项目中同名指标出现两次以上。",
        f"{_R5}：duplicate indicators",
    ),
    Check(
        "weight-out-of-range",
        E,
        "targets",
        "指标分值超出范围",
        "每个指标的分值应大于 0、不超过全部指标的分值（规则包 weights.indicators，90 分）。",
        "规则包 weights",
    ),
    Check(
        "indicator-share-mismatch",
        E,
        "targets",
        "分值构成与规则包不符",
        "各指标分值合计应等于规则包的指标分值（90 分），自评表的预算执行率分值应等于规则包的执行率分值（10 分）。"
        "严重程度由规则包 shares.split 决定。",
        "财预〔2020〕10号 第十六条；规则包 weights、shares",
    ),
    Check(
        "level1-share-differs",
        N,
        "targets",
        "一级指标分值与规则包的分配不同",
        "产出、效益、满意度（及成本）指标的分值合计与规则包的默认分配不同（如产出 50、效益 30、满意度 10）。"
        "实际表格常有调整，默认只作提示；严重程度由规则包 shares.level1 决定。",
        "财预〔2020〕10号 第十六条；财预〔2021〕101号；规则包 weights.split、shares",
    ),
    Check(
        "funds-do-not-add-up",
        E,
        "targets",
        "资金来源合计不等于总额",
        "当年财政拨款 + 上年结转 + 其他资金（或中央 + 地方 + 其他）应等于年度资金总额，允许金额显示精度内的差异。",
        f"{_R5}：the money rows add up",
    ),
    # --- self-evaluations ---------------------------------------------------------------------
    Check(
        "execution-rate-mismatch",
        E,
        "evaluation",
        "执行率与金额不符",
        "印出的执行率应等于全年执行数 ÷ 全年预算数，按四舍五入、向上取整或截断中任一种在显示精度内一致即可。",
        f"{_R5}；规则包 display.rate_rounding",
    ),
    Check(
        "execution-score-mismatch",
        W,
        "evaluation",
        "预算执行率得分不符合规则",
        "预算执行率得分应为 分值 × 全年执行数 ÷ 全年预算数（四舍五入保留两位，不超过分值）。",
        "财预〔2020〕10号；规则包 execution",
    ),
    Check(
        "execution-over-100",
        N,
        "evaluation",
        "执行率超过 100%",
        "执行数大于预算数，照实显示并提示核实。",
        "docs/domain.md §4 Decision",
    ),
    Check("score-out-of-range", E, "evaluation", "得分超出分值范围", "每项得分应在 0 到该项分值之间。", _R5),
    Check(
        "weights-do-not-add-up",
        E,
        "evaluation",
        "分值合计不等于总分",
        "各指标分值与预算执行率分值之和应为总分（100 分）；不等时总分可能超过满分。"
        "严重程度由规则包 shares.split 决定。",
        "财预〔2020〕10号；规则包 weights、shares",
    ),
    Check(
        "total-over-maximum",
        E,
        "evaluation",
        "总分超过满分",
        "填报的总分或各项得分之和超过规则包的总分（100 分）：这样的总分和等级不可能成立，不能提交、批复或公开。",
        "规则包 weights.total",
    ),
    Check(
        "total-mismatch",
        E,
        "evaluation",
        "总分与各项得分之和不符",
        "总分应等于预算执行率得分加各指标得分；差额超出取整误差。",
        f"{_R5}：scores sum to the total",
    ),
    Check(
        "total-rounding",
        W,
        "evaluation",
        "总分与各项得分之和有取整差异",
        "总分与各项得分之和相差很小（不超过各项得分取整误差之和），多为按未取整的得分合计所致，应使总分与表中各项一致。",
        f"{_R5}：scores sum to the total",
    ),
    Check(
        "grade-mismatch",
        E,
        "evaluation",
        "评分等级与总分不符",
        "等级应按总分分档（优≥90、良≥80、中≥60、差）。",
        "规则包 grades",
    ),
    Check(
        "score-differs-from-formula",
        W,
        "evaluation",
        "自评分与计分规则不一致",
        "自评分与按规则计算的建议分相差超过 0.01 分（定性指标在本档区间内即视为一致）；"
        "自评人可以酌情打分，但审核人应当看到。",
        "docs/domain.md §4 Manual override",
    ),
    Check(
        "deviation-missing",
        W,
        "evaluation",
        "缺少偏差原因",
        "得分低于分值（或未达成）、或大幅超额完成的指标，应填写偏差原因分析及改进措施。",
        "财预〔2020〕10号 第十一条、第二十六条",
    ),
    Check("actual-missing", W, "evaluation", "实际完成值未填写", "自评表每个指标都应有实际完成值。", _R5),
    Check(
        "actual-unit-mismatch",
        W,
        "evaluation",
        "实际完成值单位与指标值不同",
        "单位不同的两个数无法比较，也无法计分。",
        _R5,
    ),
    Check(
        "actual-copies-target",
        W,
        "evaluation",
        "实际完成值照抄指标值",
        "实际完成值与指标值完全相同且带“≥”“≤”等比较符号：这是目标，不是实际完成的数值。",
        f"{_R5}：actual values that only copy the targets",
    ),
    Check(
        "actual-not-a-value",
        N,
        "evaluation",
        "实际完成值是一个范围",
        "实际完成值带比较符号（如“>150人次”），没有给出实际数值。",
        _R5,
    ),
    Check(
        "outcome-copies-goal",
        W,
        "evaluation",
        "实际完成情况照抄年度目标",
        "“实际完成情况”与“年度目标”相同或几乎相同，没有说明实际做了什么。",
        f"{_R5}：outcome that only copies the goal",
    ),
    Check(
        "full-marks-low-execution",
        W,
        "evaluation",
        "执行率低而指标满分",
        "预算执行率很低，但全部指标都得满分：可能目标偏低或自评偏高。",
        f"{_R5}：grade inflation",
    ),
    Check(
        "low-execution-unexplained",
        N,
        "evaluation",
        "执行率偏低未作说明",
        "预算执行率低于规则包阈值，而实际完成情况中没有说明执行率或结余的原因。",
        "财预〔2020〕10号 第二十六条",
    ),
    Check(
        "over-achieved",
        N,
        "evaluation",
        "大幅超额完成",
        "实际完成值超过指标值 30% 及以上：指标值可能设置偏低，应说明原因，必要时调整来年指标值。",
        "docs/domain.md §4 Decision（over_achievement_pct）",
    ),
    Check(
        "equal-target-exceeded",
        N,
        "evaluation",
        "“=”指标实际值高于指标值",
        "指标值为“=”而实际完成值更高（未到大幅超额的程度）：按达成计分并提示。",
        "docs/domain.md §4 Decision",
    ),
    # --- across documents ---------------------------------------------------------------------
    Check(
        "indicator-added",
        W,
        "across",
        "自评新增了批复外的指标",
        "同一年度的自评表中出现了申报（批复）时没有的指标，且未见调整记录。",
        f"{_R5}：the approved indicators",
    ),
    Check(
        "indicator-dropped",
        W,
        "across",
        "自评遗漏了批复的指标",
        "同一年度申报（批复）的指标在自评表中没有出现。",
        f"{_R5}：the approved indicators",
    ),
    Check(
        "target-changed",
        W,
        "across",
        "自评时指标值被改动",
        "同一年度自评表中的指标值与申报（批复）时不同。",
        f"{_R5}：re-targeted without an adjustment",
    ),
    Check(
        "yoy-indicator-added",
        N,
        "across",
        "较上年新增指标",
        "同一项目本年度有、上一年度没有的指标。",
        f"{_R5}：year over year",
    ),
    Check(
        "yoy-indicator-dropped",
        N,
        "across",
        "较上年减少指标",
        "同一项目上一年度有、本年度不再设置的指标。",
        f"{_R5}：year over year",
    ),
    Check(
        "yoy-target-raised",
        N,
        "across",
        "指标值较上年提高",
        "同一指标本年度的要求比上一年度高。",
        f"{_R5}：year over year",
    ),
    Check(
        "yoy-target-lowered",
        N,
        "across",
        "指标值较上年降低",
        "同一指标本年度的要求比上一年度低。",
        f"{_R5}：year over year",
    ),
    Check(
        "yoy-target-changed",
        N,
        "across",
        "指标值写法较上年改变",
        "同一指标的计量单位、比较符号或表述与上一年度不同。",
        f"{_R5}：year over year",
    ),
    Check(
        "target-lowered-after-shortfall",
        W,
        "across",
        "上年未完成、本年调低指标值",
        "上一年度自评未完成的指标，本年度反而降低了指标值。",
        f"{_R5}：lowered after a shortfall",
    ),
    Check(
        "target-unchanged-after-shortfall",
        W,
        "across",
        "上年未完成、本年指标值未变",
        "上一年度自评未完成的指标，本年度沿用同一指标值：请确认其可行性。"
        "级别由规则包 carry.unchanged_after_miss_severity 决定（默认警告）。",
        f"{_R5}：可行性",
    ),
    Check(
        "target-unchanged-after-over-achievement",
        N,
        "across",
        "上年大幅超额、本年指标值未提高",
        "上一年度大幅超额完成（30% 及以上）的指标，本年度没有提高指标值：指标值可能偏低。",
        f"{_R5}：适当性",
    ),
    Check(
        "target-below-prior-actual",
        W,
        "across",
        "指标值低于上年实际完成值",
        "延续项目的指标值按其方向低于上一年度自评的实际完成值（≥、=：数值更小；≤：数值更大）；"
        "定性、复合指标和计量单位不同的不比较。级别由规则包 carry.below_actual_severity 决定。",
        "财预〔2021〕101号：指标值原则上不低于上年实际完成值；规则包 carry.below_actual",
    ),
    Check(
        "yoy-targets-unchanged",
        N,
        "across",
        "指标体系照搬上年",
        "同一项目本年度的全部指标与指标值都与上一年度相同。",
        f"{_R5}：targets copied unchanged",
    ),
    # --- monitoring forms (财预〔2019〕136号): alerts and the form's own arithmetic ---------------------
    Check(
        "as-of-missing",
        E,
        "monitoring",
        "监控截止日期未填写或无效",
        "监控表应写明监控截止日期（截至X月X日，YYYY-MM-DD）：序时进度由它算出。",
        f"{_M} 监控内容；{_R7}",
    ),
    Check(
        "as-of-outside-year",
        E,
        "monitoring",
        "监控截止日期不在本年度",
        "监控截止日期应在监控表的年度之内，否则序时进度无从计算。",
        f"{_M} 监控内容；{_R7}",
    ),
    Check(
        "monitoring-funds-missing",
        W,
        "monitoring",
        "监控资金数未填写",
        "资金总额行应有年度预算数、截至监控日执行数和全年预计执行数。",
        f"{_M} 预算资金执行情况；{_R7}",
    ),
    Check(
        "monitoring-negative-amount",
        E,
        "monitoring",
        "监控资金数为负数",
        "年度预算数、截至监控日执行数、全年预计执行数和执行率都不能为负数。",
        _R7,
    ),
    Check(
        "monitoring-rate-mismatch",
        E,
        "monitoring",
        "截至监控日执行率与金额不符",
        "印出的执行率应等于截至监控日执行数 ÷ 年度预算数，按四舍五入、向上取整或截断中任一种在显示精度内一致即可。",
        f"{_R7}；规则包 display.rate_rounding",
    ),
    Check(
        "monitoring-executed-over-budget",
        E,
        "monitoring",
        "截至监控日执行数超过年度预算数",
        "年中已执行的金额不可能超过全年预算；多为金额或单位填错。",
        _R7,
    ),
    Check(
        "budget-forecast-below-executed",
        E,
        "monitoring",
        "全年预计执行数小于已执行数",
        "全年预计执行数包括已经执行的部分，不可能小于截至监控日执行数。",
        _R7,
    ),
    Check(
        "execution-behind-schedule",
        W,
        "monitoring",
        "预算执行进度落后于序时进度",
        "截至监控日执行率比序时进度低，且差距超过规则包 monitoring.execution_margin_pct（默认 10 个百分点）；"
        "序时进度的算法由 monitoring.schedule 决定（默认按月）。",
        f"{_M} 预算资金执行情况、纠偏；规则包 monitoring.schedule、monitoring.execution_margin_pct",
    ),
    Check(
        "budget-forecast-short",
        W,
        "monitoring",
        "全年预计执行数明显低于预算",
        "全年预计执行数比年度预算数少，且差额超过预算的 monitoring.budget_forecast_shortfall_pct（默认 10%）："
        "预计形成结转结余，应考虑按程序调减预算。",
        f"{_M} 结果应用（调减预算）；规则包 monitoring.budget_forecast_shortfall_pct",
    ),
    Check(
        "progress-missing",
        W,
        "monitoring",
        "截至监控日完成值未填写",
        "监控表每个指标都应填写截至监控日的完成值（尚未开展的填 0 或说明进度）。",
        f"{_M} 绩效目标完成情况；{_R7}",
    ),
    Check(
        "forecast-missing",
        W,
        "monitoring",
        "全年预计完成值未填写",
        "监控表每个指标都应有全年预计完成值。",
        f"{_M} 绩效目标完成情况；{_R7}",
    ),
    Check(
        "forecast-misses-target",
        W,
        "monitoring",
        "预计不能完成指标值",
        "全年预计完成值按指标值自身的方向（≥、>、≤、<、=、定性）达不到指标值；定性指标见规则包 monitoring 的"
        " unmet_words、unmet_likelihoods。",
        f"{_M} 目标比较法、纠偏；规则包 monitoring.equal_forecast、unmet_words、unmet_likelihoods",
    ),
    Check(
        "forecast-not-comparable",
        N,
        "monitoring",
        "全年预计完成值无法与指标值比较",
        "预计值的单位与指标值不同，或指标值是数值而预计值是文字，无法判断能否完成。",
        f"{_M} 目标比较法；{_R7}",
    ),
    Check(
        "actual-beyond-ceiling",
        W,
        "monitoring",
        "截至监控日已超出指标值上限",
        "“≤”“<”指标截至监控日的完成值已经超过指标值的上限。",
        f"{_M} 绩效目标完成情况、纠偏；{_R7}",
    ),
    Check(
        "likelihood-missing",
        W,
        "monitoring",
        "完成目标可能性未填写",
        "监控表每个指标都应选择完成目标可能性（确定能、有可能、完全不可能）。",
        f"{_M} 绩效目标完成情况；{_R7}",
    ),
    Check(
        "unknown-likelihood",
        E,
        "monitoring",
        "完成目标可能性不是规定选项",
        "完成目标可能性只能是确定能、有可能、完全不可能之一。",
        _R7,
    ),
    Check(
        "likelihood-contradicts-forecast",
        W,
        "monitoring",
        "完成目标可能性与预计值矛盾",
        "预计值达不到指标值却选“确定能”，或预计值能达到指标值却选了预计不能完成的可能性（如“完全不可能”）。",
        f"{_M} 目标比较法；规则包 monitoring.unmet_likelihoods",
    ),
    Check(
        "remedy-missing",
        W,
        "monitoring",
        "缺少纠偏措施",
        "完成目标可能性为规则包 monitoring.remedy_likelihoods 之一（默认“有可能”“完全不可能”）的指标应填写纠偏措施。",
        f"{_M} 纠偏；规则包 monitoring.remedy_likelihoods",
    ),
    Check(
        "unknown-deviation-cause",
        E,
        "monitoring",
        "偏差原因类型不是规定选项",
        "偏差原因类型只能是经费保障、制度保障、人员保障、硬件条件保障、其他。",
        f"{_M} 偏差原因分析；{_R7}",
    ),
    Check(
        "monitoring-cause-missing",
        W,
        "monitoring",
        "监控偏差未说明原因",
        "预计不能完成、或完成目标可能性不是“确定能”的指标，应选择偏差原因类型或填写偏差原因分析。",
        f"{_M} 偏差原因分析；{_R7}",
    ),
    Check(
        "monitoring-not-submitted",
        W,
        "monitoring",
        "逾期未报送监控表",
        "报送截止日已过（截止日当天报送不算逾期），监控表仍未报送。",
        f"{_M} 监控工作时间要求；{_R7}",
    ),
    Check(
        "monitoring-submitted-late",
        N,
        "monitoring",
        "监控表逾期报送",
        "监控表在报送截止日之后才报送。",
        f"{_M} 监控工作时间要求；{_R7}",
    ),
    # --- department-wide forms (部门整体支出绩效) ------------------------------------------------
    Check(
        "department-sources-do-not-add-up",
        E,
        "department",
        "按收入性质分的资金与总额不符",
        "一般公共预算、政府性基金、纳入专户管理的非税收入、其他资金之和应等于年度资金总额（逐列、按印出的精度）。",
        f"规则包 department.funds；{_D}",
    ),
    Check(
        "department-natures-do-not-add-up",
        E,
        "department",
        "按支出性质分的资金与总额不符",
        "基本支出与项目支出之和应等于年度资金总额（逐列、按印出的精度）。",
        f"规则包 department.funds；{_D}",
    ),
    Check(
        "department-class-unknown",
        W,
        "department",
        "一级指标不属于部门整体绩效的指标类别",
        "一级指标应属于规则包 department.classes 列出的类别之一（默认产出、效益、满意度）。",
        f"规则包 department.classes；{_D}",
    ),
    Check(
        "department-class-missing",
        W,
        "department",
        "缺少部门整体绩效的某类指标",
        "规则包 department.classes 列出的每一类一级指标都应至少有一个三级指标。",
        f"规则包 department.classes；{_D}",
    ),
    Check(
        "department-rollup-differs",
        W,
        "department",
        "项目支出与部门项目汇总数不符",
        "部门填报的项目支出（年初预算数、全年预算数、全年执行数）与本系统中该部门各项目的汇总数不同，"
        "差额超出印出的精度和规则包 department.rollup_tolerance_pct 的容差。",
        f"规则包 department.rollup；{_D}",
    ),
    Check(
        "department-rollup-rate-differs",
        W,
        "department",
        "项目支出执行率与部门项目汇总不符",
        "部门填报的项目支出执行率与各项目汇总的执行数 ÷ 预算数不同。",
        f"规则包 department.rollup；{_D}",
    ),
)

# Codes are the stable interface (JSON output, suppressions, docs): never rename one, add a new code instead.
REGISTRY: dict[str, Check] = {c.code: c for c in CHECKS}


def title_of(code: str) -> str:
    """The Chinese title of the check with ``code``: what people read in its place (the code is for machines)."""
    check = REGISTRY.get(code)
    return check.title if check is not None else "其他审核发现"


def reading_order(severity: Severity, code: str) -> tuple[int, str]:
    """Sort key of a finding or check as people read them: the most serious first, then by Chinese title."""
    return severity.rank, title_of(code)


def checks_for_people() -> list[Check]:
    """Every registered check in reading order (severity, then title): a filter's options, never by English code."""
    return sorted(CHECKS, key=lambda c: reading_order(c.severity, c.code))
