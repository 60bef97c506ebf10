"""The parts of the cycle's pages written in Python (``jixiao.web.cycle.html``): escaped, and well-formed tables."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.template import Context, Template

from jixiao.core.review import Finding, Severity
from jixiao.core.workflow import State
from jixiao.web.cycle.html import _value, findings_html
from tests.web.conftest import advance, declare, evaluate

pytestmark = pytest.mark.django_db


def _finding(severity: Severity, message: str) -> Finding:
    return Finding(
        code="T001",
        severity=severity,
        project="项目",
        unit=None,
        indicator=None,
        indicator_index=0,
        field=None,
        message=message,
        expected=None,
        found=None,
        source=None,
        year=None,
    )


def test_findings_are_listed_escaped_with_their_severity() -> None:
    """Each finding is an item with its Chinese severity; its message is text, never markup."""
    html = findings_html([_finding(Severity.ERROR, "<script>x</script> & 得分"), _finding(Severity.WARNING, "偏差")])
    assert html.startswith('<ul class="findings">') and html.count("<li ") == 2
    assert (
        '<li class="finding sev-error"><span class="sev">错误</span> &lt;script&gt;x&lt;/script&gt; &amp; 得分</li>'
        in html
    )
    assert '<span class="sev">警告</span> 偏差' in html
    assert findings_html([]) == ""


@pytest.mark.parametrize(
    "value", [0, 7, 2024, 123456789, Decimal("0.00"), Decimal("1728000.00"), Decimal("-3.5"), Decimal("1E+3"), "文字"]
)
def test_numbers_print_as_the_templates_print_them(value: object) -> None:
    """Rows written in Python show a number exactly as ``{{ value }}`` does on these pages."""
    assert _value(value) == Template("{{ value }}").render(Context({"value": value}))


class _StrayText(HTMLParser):
    """Text inside a table row but outside its cells: a browser moves it above the table."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.stray: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in ("input", "br", "col", "meta", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] in ("tr", "tbody", "thead", "table") and data.strip():
            self.stray.append(data.strip()[:80])


def test_record_pages_and_form_have_no_text_outside_their_cells(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The declaration, the self-evaluation and its form print nothing between their table cells."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    staff = login(people["staff_a1"])
    for url in (f"/work/declarations/{decl.pk}/", f"/work/evaluations/{ev.pk}/", f"/work/evaluations/{ev.pk}/edit/"):
        page = staff.get(url)
        assert page.status_code == 200
        parser = _StrayText()
        parser.feed(page.content.decode())
        assert parser.stray == [], (url, parser.stray)
