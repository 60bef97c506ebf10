"""The column names of payment-system exports (国库集中支付 / 预算执行), as data: which header means which field.

Exports from different provinces' payment systems name the same column differently. A header cell is
compared after :func:`jixiao.documents.payments.cells.header_key` (NFKC, no spaces, no unit in brackets such as
（万元）), first against :data:`NAMES`, then against :data:`PATTERNS`. A new system's names go here, not
into the reader. docs/execution-import.md lists them for users.
"""

from __future__ import annotations

import re

# field -> the header texts that name it (compared after header_key, so without spaces and units)
NAMES: dict[str, tuple[str, ...]] = {
    "code": ("项目编码", "项目代码", "项目编号", "项目id", "项目库编码", "预算项目编码"),
    "department": ("主管部门", "部门", "主管部门名称", "部门名称", "一级预算单位", "主管单位"),
    "unit": ("单位", "预算单位", "实施单位", "单位名称", "预算单位名称", "基层预算单位", "项目单位"),
    "name": ("项目名称", "预算项目名称", "项目"),
    "budget": ("年度预算数", "全年预算数", "预算数", "年度预算", "全年预算", "调整后预算数", "预算金额", "指标金额"),
    "amount": (
        "已支付金额",
        "已支付",
        "累计支付",
        "累计支付金额",
        "累计支付数",
        "支付金额",
        "支出数",
        "累计支出数",
        "执行数",
        "累计执行数",
        "执行金额",
        "预算执行数",
        "实际执行数",
        "已执行金额",
        "实际支付金额",
        "支出金额",
        "实际支出数",
    ),
    "as_of": ("截止日期", "截至日期", "数据截止日期", "统计截止日期", "截止时间", "截至时间"),
}

# field -> header patterns for names that carry a date, such as 截至7月31日执行数
PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "amount": (re.compile(r"^截[至止].{1,16}?(执行|支付|支出)(数|金额|额)$"),),
}

# The fields at least one of which must be in a header row for it to be one (with an amount column).
IDENTITY = ("code", "name")

# What the fields are called in messages.
LABELS = {
    "code": "项目编码",
    "department": "主管部门",
    "unit": "单位",
    "name": "项目名称",
    "budget": "年度预算数",
    "amount": "执行数",
    "as_of": "截止日期",
}

# A row whose first filled cell starts with one of these is a total or a note, not a project.
NOT_A_PROJECT = ("合计", "总计", "小计", "其中：", "其中:", "注：", "注:", "说明", "备注", "制表", "填报", "审核")
# ... and so is a row whose code, department, unit or name ends with one of these (教育局小计).
TOTAL_ENDINGS = ("合计", "总计", "小计")
