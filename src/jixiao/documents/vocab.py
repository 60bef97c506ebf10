"""The printed vocabulary of the forms: labels of fields, funding rows, indicator levels.

Data, not logic: a reader of another province's forms extends these tables.
Every entry is compared after :func:`squeeze` (no spaces, NFKC-folded), so
``服务对象满意度 指标`` and ``产出 指标`` match as printed in the seeds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Standard indicator classes (docs/domain.md §2) and the level-1 name each prints as.
CLASS_NAMES = {"cost": "成本指标", "output": "产出指标", "effect": "效益指标", "satisfaction": "满意度指标"}

# Level-1 labels seen in published forms, with the class each maps to.
LEVEL1 = {
    "成本指标": "cost",
    "产出指标": "output",
    "效益指标": "effect",
    "满意度指标": "satisfaction",
    "效果指标": "effect",
    "项目完成指标": "output",
    "项目效益指标": "effect",
    "社会公众或服务对象满意度指标": "satisfaction",
}

# Level-2 labels and their class. 成本指标 also prints as a level-2 item under
# 产出 in older forms; the readers decide that from its position.
LEVEL2 = {
    "数量指标": "output",
    "质量指标": "output",
    "时效指标": "output",
    "成本指标": "output",
    "经济成本指标": "cost",
    "社会成本指标": "cost",
    "生态环境成本指标": "cost",
    "生态成本指标": "cost",
    "经济效益指标": "effect",
    "社会效益指标": "effect",
    "生态效益指标": "effect",
    "环境效益指标": "effect",
    "可持续影响指标": "effect",
    "服务对象满意度指标": "satisfaction",
    "社会公众满意度指标": "satisfaction",
    "满意度指标": "satisfaction",
}

# Column headings of the indicator table, and the field each column holds.
TABLE_COLUMNS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标名称": "name",
    "年度指标值": "target",
    "指标值": "target",
    "年度(/项目)指标值": "target",
    "年度/项目指标值": "target",
    "目标值": "target",
    "预期指标值": "target",
    "实际完成值": "actual",
    "全年实际完成值": "actual",
    "实际完成情况值": "actual",
    "完成值": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "自评得分": "score",
    "偏差原因分析及改进措施": "deviation",
    "未完成原因和改进措施": "deviation",
    "偏差原因及改进措施": "deviation",
    "未完成原因分析及改进措施": "deviation",
    # the monitoring form (项目支出绩效目标执行监控表); its dated headings are folded by as_of_heading first
    "截至监控日完成值": "actual",
    "截至监控日完成情况": "actual",
    "截至监控日实际完成值": "actual",
    "截至监控日执行情况": "actual",
    "全年预计完成值": "forecast",
    "全年预计完成情况": "forecast",
    "预计全年完成值": "forecast",
    "偏差原因类型": "cause",
    "偏差原因分析": "deviation",
    "完成目标可能性": "likelihood",
    "完成可能性": "likelihood",
    "纠偏措施": "remedy",
    "纠偏措施/备注": "remedy",
    "纠偏措施及备注": "remedy",
    "指标方向": "target_op",
    "指标性质": "target_op",
    "符号": "target_op",
    "比较符号": "target_op",
    "数值": "target",
    "度量单位": "target_unit",
    "计量单位": "target_unit",
    "单位": "target_unit",
}

# Pieces of table headings that wrap onto their own lines in flowing extractions.
HEADER_PIECES = frozenset(
    {
        "一级",
        "二级",
        "三级",
        "指标",
        "年度",
        "指标值",
        "实际",
        "完成值",
        "偏差原因分析及",
        "偏差原因分析",
        "改进措施",
        "及改进措施",
        "未完成原因和",
        "全年实际",
        "年度(/项目)",
        "分数",
        *TABLE_COLUMNS,
    }
)

# Labels of the identity block and the project field each fills.
FIELD_LABELS = {
    "项目名称": "name",
    "转移支付(项目)名称": "name",
    "转移支付名称": "name",
    "主管部门": "department",
    "地方主管部门": "department",
    "主管部门及代码": "department",
    "实施单位": "unit",
    "资金使用单位": "unit",
    "项目实施单位": "unit",
    "中央主管部门": "central_department",
    "项目性质": "nature",
    "项目类别": "category",
    "项目类型": "category",
    "计划开始日期": "start_date",
    "计划完成日期": "end_date",
    "监控截止日期": "as_of",
    "监控截止日": "as_of",
    "监控日期": "as_of",
    "项目期限": "_period",
    "实施期限": "_period",
    "项目实施期限": "_period",
    "起止日期": "_period",
    "项目负责人": "_person",
    "联系电话": "_person",
}

# Funding rows by printed label (after squeeze, with any trailing colon removed).
FUND_ROW_LABELS = {
    "年度资金总额": "total",
    "年度资金申请总额": "total",
    "资金总额": "total",
    "项目资金总额": "_whole",
    "其中:当年财政拨款": "current_appropriation",
    "当年财政拨款": "current_appropriation",
    "其中:财政拨款": "current_appropriation",
    "其中:财政资金": "_whole",
    "财政资金": "_whole",
    "上年结转资金": "carryover",
    "上年结转": "carryover",
    "其他资金": "other",
    "其中:中央财政资金": "central",
    "中央财政资金": "central",
    "地方资金": "local",
    "地方财政资金": "local",
}

# Column headings of the funding block and the row field each fills.
FUND_COLUMNS = {
    "年初预算数": "initial",
    "全年预算数": "adjusted",
    "全年预算数(A)": "adjusted",
    "调整后预算数": "adjusted",
    "全年执行数": "executed",
    "全年执行数(B)": "executed",
    "实际执行数": "executed",
    "分值": "weight",
    "分数": "weight",
    "执行率": "rate_pct",
    "执行率(%)": "rate_pct",
    "预算执行率": "rate_pct",
    "预算执行率(B/A)": "rate_pct",
    "得分": "score",
    "年度资金申请总额": "requested",
    # the monitoring form's funds block (dated headings folded by as_of_heading first)
    "年度预算数": "adjusted",
    "截至监控日执行数": "executed",
    "截至监控日执行率": "rate_pct",
    "全年预计执行数": "forecast",
    "预计全年执行数": "forecast",
}

GRADE_LABELS = ("评分等级", "自评等级", "绩效等级", "评价等级")
TOTAL_LABELS = ("总分", "合计", "总计", "自评总分")

_SPACES = re.compile(r"\s+")
_WEIGHT_SUFFIX = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


# A monitoring form prints its as-of date in its headings: 截至7月31日执行数, 截止6月底完成值, 1-7月执行数.
# Every such date reads as 截至监控日, so one vocabulary entry serves every round of every province.
_AS_OF_HEAD = re.compile(
    r"^(?:(?:截至|截止)(?:20\d{2}年)?(?:\d{1,2}月(?:\d{1,2}日)?(?:底|末)?|监控日|[上前]半年末?|目前)"
    r"|(?:20\d{2}年)?\d{1,2}(?:-|—|~|至)\d{1,2}月(?:份)?)"
)


def as_of_heading(label: str) -> str:
    """``截至7月31日执行数`` -> ``截至监控日执行数``; a heading without an as-of date comes back unchanged."""
    return _AS_OF_HEAD.sub("截至监控日", label, count=1)


def fund_column(cell: str) -> str | None:
    """The field a funding-block heading names (``截至6月30日执行数`` -> ``executed``), or None."""
    return FUND_COLUMNS.get(as_of_heading(squeeze(cell)))


@lru_cache(maxsize=8192)  # the same labels and cells come back in every form of a layout
def squeeze(text: str) -> str:
    """NFKC-fold and drop every space: the form in which labels are compared."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def strip_weight(label: str) -> tuple[str, str | None]:
    """Split ``产出指标(50分)`` into ``产出指标`` and ``50``; other labels come back unchanged."""
    m = _WEIGHT_SUFFIX.search(label)
    if not m:
        return label, None
    number = re.search(r"\d+(?:\.\d+)?", m.group(0))
    return label[: m.start()].rstrip(), number.group(0) if number else None


def level_of(cell: str) -> tuple[int, str] | None:
    """(1 or 2, class) when ``cell`` is an indicator level label, else None.

    成本指标 answers level 1; callers that see it standing alone in the
    level-2 position treat it as the older level-2 item under 产出.
    """
    label, _ = strip_weight(squeeze(cell))
    if label in LEVEL1:
        return 1, LEVEL1[label]
    if label in LEVEL2:
        return 2, LEVEL2[label]
    return None


def is_label_prefix(fragment: str) -> bool:
    """True when ``fragment`` begins some level label (for labels broken over lines)."""
    return any(lab.startswith(fragment) for lab in (*LEVEL1, *LEVEL2, "绩效指标"))


def table_column(cell: str) -> str | None:
    """The field a table heading names (``年度指标值`` -> ``target``), or None."""
    return TABLE_COLUMNS.get(as_of_heading(squeeze(cell)))


def fund_row_key(cell: str) -> str | None:
    """The funding row a label names (``其中：当年财政拨款`` -> ``current_appropriation``)."""
    label = squeeze(cell).rstrip(":")
    return FUND_ROW_LABELS.get(label)
