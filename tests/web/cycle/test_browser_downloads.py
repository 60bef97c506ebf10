"""A reviewer downloads and prints a form in a real browser before it is published (issue 11, item 16).

The record page offers the form as Excel, PDF and Word and a print page; what is downloaded reads back as
the record, the print page opens the print dialog by itself, and on paper the review notes are left out.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from jixiao.core.model import Kind
from jixiao.core.workflow import State
from jixiao.documents.importer import import_bytes
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from tests.web.browsing import Person, shot
from tests.web.cycle.test_record_pages import load

pytestmark = pytest.mark.django_db(transaction=True)
# Playwright's headless chromium has no print dialog to wait for: count the calls instead
COUNT_PRINTS = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


def test_a_reviewer_downloads_and_prints_a_transfer_payment_form(
    live_server: Any, people: dict[str, Any], tree: Any, browser: Any, shots: Path, tmp_path: Path
) -> None:
    """Excel reads back as the record; the print page prints the form alone; paper has no review notes."""
    from playwright.sync_api import expect

    load(tree, "2022-transfer-payment-report.md", State.SUBMITTED)
    ev = SelfEvaluation.objects.get(declaration__kind=Declaration.Kind.TRANSFER)
    name = ev.declaration.project.name
    finance = Person(browser, live_server.url, "finance")
    page = finance.page
    page.add_init_script(COUNT_PRINTS)
    finance.open(f"/work/evaluations/{ev.pk}/")
    expect(page.locator(".sheet-title")).to_have_text("中央对地方转移支付区域绩效目标自评表")
    shot(page, shots / "17-record-page-downloads-and-print.png")

    with page.expect_download() as info:
        page.click("a[data-download=xlsx]")
    assert info.value.suggested_filename.endswith(f"{name}（已提交）.xlsx")
    saved = tmp_path / "form.xlsx"
    info.value.save_as(saved)
    read = import_bytes(saved.read_bytes(), "form.xlsx").document
    assert read.kind is Kind.TRANSFER_SELF_EVALUATION and read.projects[0].name == name
    assert len(read.projects[0].indicators) == ev.indicators.count()

    # on paper, the record page is the form without the notes beside it
    page.emulate_media(media="print")
    expect(page.locator("#official-form td.note").first).to_be_hidden()
    expect(page.locator("#official-form th.label").first).to_be_visible()
    page.emulate_media(media="null")  # no emulation: page.pdf() below prints with the print styles

    page.click("#print-form")
    page.wait_for_url(f"**/work/evaluations/{ev.pk}/print/")
    page.wait_for_function("window.__printed === 1")
    expect(page.locator(".print-status")).to_contain_text("已提交")
    pdf = page.pdf(prefer_css_page_size=True)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        first = document.pages[0]
        # NFKC: the PDF's CJK font maps some characters to their Kangxi radical forms (⽬ for 目)
        text = unicodedata.normalize("NFKC", "".join(p.extract_text() or "" for p in document.pages))
        assert first.width < first.height  # A4 portrait, as the official form
        assert "转移支付区域绩效目标自评表" in text.replace(" ", "") and "审核发现" not in text
        assert "打印对话框" not in text and "返回" not in text  # the page's own controls stay off the paper
        assert "本表状态:已提交" in text  # a form not yet approved says so on paper (NFKC: a plain colon)
    shot(page, shots / "17-print-page.png")
    events = AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT, object_id=str(ev.pk)).order_by("pk")
    assert [e.detail["format"] for e in events] == ["xlsx", "print"]
    finance.close()
