"""In a real browser: a misread cell corrected on the import check page, loaded, seen in the record's history
(screenshots 21-); and a scan's page beside its reading, a value's box shown when the value is clicked.

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set (the committed ones in docs/screenshots/web/ were
made that way), else to a temporary folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.web.cycle.models import Declaration
from jixiao.web.imports.models import ImportCorrection
from tests.web.browsing import Person, shot
from tests.web.test_import_check import MISREAD, PROJECT, TARGET, misread_declaration
from tests.web.test_import_check_scan import scanned_declaration

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_misread_cell_corrected_before_loading_shows_in_the_records_history(
    live_server: Any, people: dict[str, Any], browser: Any, shots: Path, settings: Any, tmp_path: Path
) -> None:
    """Upload, open the check page, correct 「≥6OO.00(个)」 with a reason, load; the record says what was printed."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    reviewer = Person(browser, live_server.url, "dept_a")
    page = reviewer.open("/work/imports/")
    page.set_input_files("input[name=files]", str(misread_declaration(tmp_path)))
    page.click("button:has-text('上传并读取')")
    page.wait_for_url("**/work/imports/*/")
    expect(page.locator("#job-state")).to_have_text("待确认")
    page.click("a:has-text('核对读取结果并更正')")
    page.wait_for_url("**/files/*/")
    expect(page.locator(".form-sheet")).to_contain_text(MISREAD)  # the reading in its official layout

    other = page.locator("#correct-other-0")
    page.click("details.correct-other summary")
    other.locator("select[name=path]").select_option(TARGET)
    other.locator("input[name=value]").fill("≥600.00(个)")
    other.locator("input[name=reason]").fill("原表为600个，字母O误读为数字0")
    other.locator("button[type=submit]").click()
    page.wait_for_url("**/files/*/")
    expect(page.locator(".messages")).to_contain_text("已更正")
    row = page.locator(f"tr.check-row[data-path='{TARGET}']")
    expect(row).to_have_class("check-row corrected")
    expect(row).to_contain_text("≥600.00(个)")
    expect(page.locator(".form-sheet")).to_contain_text("≥600.00(个)")  # the form shows the corrected value
    expect(page.locator("#corrections")).to_contain_text("原表为600个")
    shot(page, shots / "21-import-check-corrected.png")

    page.click("a:has-text('返回导入任务')")
    page.click("button:has-text('确认导入')")
    expect(page.locator("#job-state")).to_have_text("已导入")
    decl = Declaration.objects.get(project__name=PROJECT)
    page = reviewer.open(f"/work/declarations/{decl.pk}/")
    history = page.locator("section.history")
    expect(history).to_contain_text(
        f"原文：{MISREAD} 更正为：≥600.00(个) 理由：原表为600个，字母O误读为数字0 更正人：dept_a"
    )
    history.scroll_into_view_if_needed()
    shot(page, shots / "21-record-history-with-correction.png")
    assert ImportCorrection.objects.get().created_by == people["dept_a"]
    reviewer.close()


@pytest.mark.ocr
def test_a_scans_value_clicked_shows_its_box_on_the_page(
    live_server: Any, people: dict[str, Any], browser: Any, shots: Path, settings: Any, tmp_path: Path
) -> None:
    """The scanned page beside the reading; clicking a value in the table marks its box on the page."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JIXIAO_IMPORT_MEMORY_MB = 2048  # OCR's child process (see test_import_check_scan.py)
    settings.JIXIAO_IMPORT_SECONDS = 120
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_declaration(tmp_path))
    reviewer = Person(browser, live_server.url, "dept_a")
    page = reviewer.open("/work/imports/")
    page.set_input_files("input[name=files]", str(scan))
    page.click("button:has-text('上传并读取')")
    page.wait_for_url("**/work/imports/*/")
    expect(page.locator("#job-state")).to_have_text("待确认", timeout=120_000)
    page.click("a:has-text('核对读取结果并更正')")
    page.wait_for_url("**/files/*/")
    images = page.locator(".scan-page img")
    expect(images.first).to_be_visible()
    page.wait_for_function("Array.from(document.querySelectorAll('.scan-page img')).every(i => i.naturalWidth > 0)")
    # the misread target, corrected here too, then clicked: its box on the page is marked
    page.click("details.correct-other summary")
    other = page.locator("#correct-other-0")
    other.locator("select[name=path]").select_option(TARGET)
    other.locator("input[name=value]").fill("≥600.00(个)")
    other.locator("input[name=reason]").fill("对照原件更正")
    other.locator("button[type=submit]").click()
    page.wait_for_url("**/files/*/")
    page.wait_for_function("Array.from(document.querySelectorAll('.scan-page img')).every(i => i.naturalWidth > 0)")
    box = page.locator(f"rect[data-path='{TARGET}']")
    expect(box).to_have_class(re.compile(r"\bcorrected\b"))
    page.locator(f"tr.check-row[data-path='{TARGET}'] button.check-value").click()
    # the CSP lets the page's own script and stylesheet draw the boxes: no inline style is needed
    expect(box).to_have_class(re.compile(r"\bfocus\b"))
    drawn = box.bounding_box()
    assert drawn is not None and drawn["width"] > 5 and drawn["height"] > 3
    box.scroll_into_view_if_needed()
    shot(page, shots / "21-scan-check-box-shown.png")
    reviewer.close()
