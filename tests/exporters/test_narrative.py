"""The 监控情况说明 that goes with monitoring forms: each project's money to date and each indicator's outlook."""

from __future__ import annotations

import re

from jixiao.exporters.report import build_report
from tests.exporters.helpers import monitoring_document


def test_the_monitoring_narrative_reports_execution_and_each_indicator() -> None:
    """Spending to date and forecast, the goal's progress, each indicator's forecast, causes, likelihood, remedy."""
    narrative = build_report(monitoring_document()).narrative
    assert narrative.title == "2025年度项目支出绩效运行监控情况说明"
    assert narrative.attachment == "附件：项目支出绩效目标执行监控表"
    text = "\n".join(b.text for b in narrative.blocks)
    assert "监控截止日期：2025-07-31" in text
    assert (
        "年度资金总额：年度预算数1,234,567.89元，截至监控日执行数456,789.01元，执行率37.00%，全年预计执行数1,200,000.00元"
        in text
    )
    assert "指标一：健康档案更新份数。年度指标值为≥10000份，截至监控日完成值为4200份，全年预计完成值为10000份" in text
    assert "偏差原因类型：制度保障、硬件条件保障、其他。" in text and "纠偏措施：申请调整绩效目标。" in text
    assert "截至监控日完成情况：未填写。" in text  # the road project has nothing to report yet: said, not invented
    headings = [b.text for b in narrative.blocks if b.level]
    assert not [h for h in headings if re.search(r"\d", h)]  # ordinals in Chinese: every Arabic figure is data
