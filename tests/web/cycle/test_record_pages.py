"""Record pages of the workspace print each kind of form in its official layout: the portal's, cell for cell.

The workspace and the portal draw the same :class:`jixiao.exporters.report.Form`; the workspace adds a
column of review notes beside it (findings, suggested scores), which never prints.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jixiao.core.workflow import State
from jixiao.documents.importer import import_path
from jixiao.exporters.layouts import money
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Declaration, Publication, SelfEvaluation
from jixiao.web.cycle.services.loading import load_document

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def load(tree: Any, name: str, state: State = State.PUBLISHED) -> None:
    """An example file loaded as records in ``state``."""
    load_document(
        Context.system(),
        import_path(EXAMPLES / name).document,
        bureau=tree.bureau,
        create_orgs=True,
        state_for=lambda n, p: state,
    )


def official_cells(page: str) -> list[list[str]]:
    """The printed cells of the page's official form, row by row, without the review notes column."""
    table = re.search(r'<table class="sheet official[^"]*" id="official-form">(.*?)</table>', page, re.S)
    assert table is not None, "no official form on the page"
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        cells = re.findall(r"<(t[hd])([^>]*)>(.*?)</t[hd]>", row, re.S)
        printed = [c for c in cells if "noprint" not in c[1]]
        rows.append([unescape(re.sub(r"<[^>]+>", "", text)).strip() for _, _, text in printed])
    return rows


def test_a_transfer_payment_self_evaluation_page_is_the_transfer_form(tree: Any, people: dict[str, Any]) -> None:
    """Central and local fund rows and the seven 资金管理情况 rows are shown; no 总分 row, no score columns."""
    load(tree, "2022-transfer-payment-report.md")
    ev = SelfEvaluation.objects.get(declaration__kind=Declaration.Kind.TRANSFER)
    client = Client()
    client.force_login(people["finance"])
    page = client.get(f"/work/evaluations/{ev.pk}/").content.decode()
    cells = official_cells(page)
    labels = [c for row in cells for c in row]
    assert "中央对地方转移支付区域绩效目标自评表" in page
    for label in (
        "其中：中央财政资金",
        "地方资金",
        "资金管理情况",
        "分配科学性",
        "支出责任履职情况",
        "未完成原因和改进措施",
    ):
        assert label in labels, label
    assert "总分" not in labels and "得分" not in labels
    # the money by source, as the document read from the file has it
    funds = import_path(EXAMPLES / "2022-transfer-payment-report.md").document.projects[0].funds
    for label, row in (("其中：中央财政资金", funds.central), ("地方资金", funds.local)):
        shown = next(r for r in cells if r and r[0] == label)
        assert row is not None and row.adjusted is not None and row.executed is not None
        assert shown[1:3] == [money(0, row.adjusted).text, money(0, row.executed).text], label


def test_the_workspace_page_prints_what_the_portal_prints(tree: Any, people: dict[str, Any]) -> None:
    """For a transfer payment, a 2024 self-evaluation and a declaration, the two pages print the same cells."""
    load(tree, "2022-transfer-payment-report.md")
    load(tree, "2024-self-evaluation-tabbed.txt")
    load(tree, "2023-declarations-tabbed.txt")
    client = Client()
    client.force_login(people["finance"])
    compared = 0
    for publication in Publication.objects.all():
        if publication.kind == Publication.Kind.EVALUATION:
            url = f"/work/evaluations/{publication.evaluation_id}/"
        else:
            url = f"/work/declarations/{publication.declaration_id}/"
        workspace = official_cells(client.get(url).content.decode())
        portal = official_cells(Client().get(f"/p/{publication.pk}/").content.decode())
        assert workspace == portal, url
        compared += 1
    assert compared == Publication.objects.count() >= 6


def test_review_notes_sit_beside_the_rows_they_are_about(tree: Any, people: dict[str, Any]) -> None:
    """A self-evaluation's suggested score is in the notes column of its indicator's row, which does not print."""
    load(tree, "2024-self-evaluation-tabbed.txt", State.SUBMITTED)
    ev = SelfEvaluation.objects.order_by("pk").first()
    assert ev is not None
    first = ev.indicators.select_related("indicator").order_by("indicator__position").first()
    assert first is not None
    client = Client()
    client.force_login(people["finance"])
    page = client.get(f"/work/evaluations/{ev.pk}/").content.decode()
    table = page[page.index('id="official-form"') :]
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S) if first.indicator.name in r)
    notes = re.search(r'<td class="note noprint">(.*?)</td>', row, re.S)
    assert notes is not None and "建议" in notes.group(1)
