"""The 汇总表 in a real browser: every column in view at 1366 px, scrolling in its box when narrower, and on paper.

Before: at 1366 px its last columns sat outside the page's box with the scroll bar far below, and printing
cut nine of its fifteen columns off an A4 portrait page.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from jixiao.core.workflow import State
from jixiao.web.summary.table import COLUMNS
from tests.web.browsing import Person, shot
from tests.web.cycle.test_record_pages import load

pytestmark = pytest.mark.django_db(transaction=True)
EDGES = """() => {
  const box = document.querySelector('#summary-table').parentElement.getBoundingClientRect();
  const heads = Array.from(document.querySelectorAll('#summary-table thead th')).map(th => th.getBoundingClientRect());
  const first = document.querySelector('#summary-table tbody .project').getBoundingClientRect();
  return {box: [box.left, box.right], heads: heads.map(r => [r.left, r.right]), first: [first.left, first.right],
          page: document.documentElement.scrollWidth, window: window.innerWidth};
}"""


def test_the_summary_fits_scrolls_and_prints_every_column(
    live_server: Any, people: dict[str, Any], tree: Any, browser: Any, shots: Path
) -> None:
    """1366 px: all fifteen columns in view; 1024 px: the box scrolls, the names stay; print: A4 landscape, all."""
    for name in ("2024-self-evaluation-tabbed.txt", "2024-self-evaluation-pdftotext.txt"):
        load(tree, name, State.SUBMITTED)
    finance = Person(browser, live_server.url, "finance")
    page = finance.open("/work/summary/?year=2024")

    edges = page.evaluate(EDGES)
    assert len(edges["heads"]) == len(COLUMNS)
    assert edges["page"] <= edges["window"]  # the page itself never scrolls sideways
    assert all(edges["box"][0] <= left and right <= edges["box"][1] + 0.5 for left, right in edges["heads"]), edges
    shot(page, shots / "18-summary-at-1366.png")

    # a narrower window: the table scrolls inside its box; the project names stay at its left edge
    page.set_viewport_size({"width": 1024, "height": 800})
    box = page.locator(".summary-scroll")
    assert page.evaluate("() => document.querySelector('.summary-scroll').scrollWidth") > box.evaluate(
        "e => e.clientWidth"
    )
    box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    edges = page.evaluate(EDGES)
    assert edges["page"] <= edges["window"]
    last_left, last_right = edges["heads"][-1]
    assert edges["box"][0] <= last_left and last_right <= edges["box"][1] + 0.5  # the last column scrolled in
    assert abs(edges["first"][0] - edges["box"][0]) <= 2  # and the names are still there, stuck to the left
    page.set_viewport_size({"width": 1366, "height": 900})

    pdf = page.pdf(prefer_css_page_size=True)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        first = document.pages[0]
        assert first.width > first.height  # A4 landscape
        words = [w for p in document.pages for w in p.extract_words()]
        text = unicodedata.normalize("NFKC", "".join(w["text"] for w in words))
        for column in COLUMNS[-4:]:  # the four last columns: the first to be cut before
            assert unicodedata.normalize("NFKC", column.label) in text, column.label
        assert all(w["x1"] <= p.width for p in document.pages for w in p.extract_words())
        assert "合计" in text and "筛选" not in text  # the totals print, the filters do not
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    shot(page, shots / "18-summary-print-landscape.png")
    finance.close()
