"""A 整改事项 in a real browser (Debian's chromium): opened from a finding, answered with evidence, accepted.

Screenshots 45-47 go to ``JIXIAO_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.web.rectification.models import Rectification
from tests.web.browsing import Person, shot
from tests.web.rectification.conftest import PDF, low_evaluation

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_item_opened_from_a_finding_answered_with_evidence_and_accepted(
    live_server: Any, tree: Any, people: dict[str, Any], browser: Any, shots: Path, tmp_path: Path, settings: Any
) -> None:
    """The department opens an item from the 差 evaluation's page; the unit answers with a PDF; it is accepted."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "uploads"
    ev = low_evaluation(people, tree.unit_a1)
    dept = Person(browser, live_server.url, "dept_a")
    page = dept.open(f"/work/evaluations/{ev.pk}/")
    expect(page.locator("#rectification-panel")).to_contain_text("未办结 0 项")
    page.click("#rectification-panel a:has-text('提出整改事项')")
    option = page.locator("#id_follows option", has_text="审核发现 · 自评表").first
    page.select_option("#id_follows", value=option.get_attribute("value"))
    page.fill("#id_task", "将“有效提升”改写为可以核对的目标（如业务考核合格率），并补充实际完成情况的佐证。")
    shot(page, shots / "45-rectification-opened-from-a-finding.png")
    page.click("#open-item button[type=submit]")
    expect(page.locator(".titlebar .state")).to_have_text("待整改")
    item = Rectification.objects.get()
    assert item.source == "finding"

    staff = Person(browser, live_server.url, "staff_a1")
    home = staff.page
    expect(home.locator(".rectification-todo")).to_contain_text("可以核对的目标")
    home.click(f".rectification-todo a[href='/work/rectification/{item.pk}/']")
    evidence = tmp_path / "培训签到表.pdf"
    evidence.write_bytes(PDF)
    home.fill("#id_answer", "已将目标改为“业务考核合格率≥90%”，11月考核合格率93%，附考核签到表。")
    home.set_input_files("#id_files", str(evidence))
    home.click("#answer-item button[type=submit]")
    expect(home.locator(".steps")).to_contain_text("培训签到表.pdf")
    shot(home, shots / "46-rectification-answered-with-evidence.png")
    staff.close()

    page = dept.open(f"/work/rectification/{item.pk}/")
    page.fill("#conclude-item textarea", "已核实考核结果，验收通过。")
    page.click("#conclude-item button:has-text('验收通过')")
    expect(page.locator(".titlebar .state")).to_have_text("已验收")
    page = dept.open(f"/work/declarations/{ev.declaration_id}/")
    expect(page.locator("#rectification-panel")).to_contain_text("已办结 1 项")
    page = dept.open(f"/work/rectification/{item.pk}/")
    shot(page, shots / "47-rectification-accepted.png")
    dept.close()
    item.refresh_from_db()
    assert item.state == "accepted" and [s.step for s in item.steps.all()] == ["open", "submit", "accept"]
