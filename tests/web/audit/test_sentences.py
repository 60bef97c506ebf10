"""The audit administrator's page: the usual header, and each event's detail as Chinese sentences."""

from __future__ import annotations

import dataclasses
import datetime
import html
import re
from decimal import Decimal
from typing import Any

from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.sentences import describe_detail
from jixiao.web.cycle import services
from tests.web.conftest import DECLARATION_DATA, INDICATORS, Tree, advance, ctx, declare

# what a Python dict or JSON printed into a page looks like
_DICT = re.compile(r"""\{['"]|['"]\s*:\s|\bNone\b|\bTrue\b|\bFalse\b""")
# an English key or token (end_date, dept_approved, rule_pack) where people read Chinese
_TOKEN = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _detail_cells(page: str) -> list[str]:
    cells = re.findall(r'<td class="detail">(.*?)</td>', page, re.S)
    return [html.unescape(c) for c in cells]


def test_audit_page_has_the_header_and_says_each_change_as_a_sentence(
    tree: Tree, people: dict[str, Any], login: Any
) -> None:
    """A changed date reads 「把“计划完成日期”从 … 改为 …。」; no dict, no English key; the header has 退出."""
    staff = people["staff_a1"]
    data = DECLARATION_DATA | {"start_date": datetime.date(2026, 1, 1), "end_date": datetime.date(2026, 10, 31)}
    decl = services.create_declaration(ctx(staff), tree.unit_a1, "业务培训经费", 2026, data, INDICATORS)
    changed = [*INDICATORS[:1], dataclasses.replace(INDICATORS[1], weight=Decimal("25")), *INDICATORS[2:]]
    services.update_declaration(
        ctx(staff), decl, decl.version, data | {"end_date": datetime.date(2026, 11, 30)}, changed
    )
    advance(declare(staff, tree.unit_a1, "另一个项目"), people, "staff_a1", "dept_a", State.RETURNED)

    page = login(people["auditor"]).get("/audit/?user=staff").content.decode()
    # the header as on every page: the signed-in person and 退出 (the user filter does not replace them)
    assert 'class="who-name">auditor<' in page and "退出</button>" in page
    assert 'name="user" value="staff"' in page
    cells = _detail_cells(page)
    text = "".join(cells)
    assert "把“计划完成日期”从 2026-10-31 改为 2026-11-30。" in text
    assert "把第 2 行的“分值”从 20.00 改为 25.00。" in text or "把第 2 行的“分值”从 20 改为 25。" in text
    returned = "".join(_detail_cells(login(people["auditor"]).get("/audit/?user=dept_a").content.decode()))
    assert "状态从“已提交”变为“已退回”。审核意见：请补充说明；角色：主管部门审核人员。" in returned
    for cell in cells:
        assert not _DICT.search(cell), cell
        assert not _TOKEN.search(cell), cell
    assert "cycle.declaration" not in page and "绩效目标申报表 " in page  # the object by its Chinese name


def test_every_event_of_the_cycle_is_said_without_english_keys(tree: Tree, people: dict[str, Any]) -> None:
    """Every detail the cycle's services wrote (create, edit, submit, approve, publish) has Chinese field names."""
    advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.PUBLISHED)
    events = list(AuditEvent.objects.exclude(detail={}))
    assert len(events) >= 5
    for e in events:
        text = "".join(describe_detail(e.detail, e.object_type))
        assert text and "其他信息" not in text and not _TOKEN.search(text), (e.event, e.detail, text)


def test_an_adjustment_and_a_deletion_read_as_sentences() -> None:
    """The adjustment names the indicator and its field; a deletion lists what the record held."""
    adjusted = describe_detail(
        {"indicator": "培训场次", "field": "target", "before": "≥4(次)", "after": "≥5(次)", "reason": "任务增加"}
    )
    assert adjusted == ["把“培训场次”的“年度指标值”从 ≥4(次) 改为 ≥5(次)。", "理由：任务增加。"]
    deleted = describe_detail(
        {"name": "培训", "state": "draft", "before": {"goal": "全年培训", "indicators": [{}, {}]}},
        "cycle.declaration",
    )
    assert deleted == ["删除前：“年度总体目标”为 全年培训；指标 2 行。", "名称：培训；状态：草稿。"]


def test_the_record_history_names_what_an_adjustment_changed(tree: Tree, people: dict[str, Any], login: Any) -> None:
    """The record page's 审核记录 says which field of which indicator was adjusted, in Chinese."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    indicator = decl.indicators.get(name="培训场次")
    services.adjust_indicator(ctx(people["finance"]), decl, indicator, "target", "≥5(次)", "任务增加")
    page = html.unescape(login(people["finance"]).get(f"/work/declarations/{decl.pk}/").content.decode())
    assert "调整「培训场次」的年度指标值</td><td>≥4(次) → ≥5(次)</td><td>任务增加</td>" in page
    assert ">target<" not in page
