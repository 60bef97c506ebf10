"""One word per thing on every page of the demo, for every role (issue 11 item 19).

警告 for a warning (core's ``Severity.label``), 审核发现 for a check's result,
no finding code where people read, states as sentences on the record pages,
and one number format: thousands separators on every figure shown.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from jixiao.core.review import CHECKS, Severity
from jixiao.core.workflow import status_sentence
from jixiao.web.cycle.models import Declaration, SelfEvaluation, StoredFinding

pytestmark = pytest.mark.django_db
YEAR = 2024
CODES = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(c.code) for c in CHECKS) + r")(?![\w-])")
# a figure of four or more digits before its point written without a separator (years and ids are not figures;
# a 指标值 or 实际完成值 such as ≥4000.00(个) is the filer's own text and stays as typed)
UNGROUPED = re.compile(r"(?<![\d,.≥≤=<>＞＜])\d{4,}\.\d{2}(?![\d(（%])")


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    """The page's visible text."""
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str]) -> dict[str, Client]:
    """The demo data set and a signed-in client per role (reviewers and the audit administrator)."""
    call_command("demo", no_serve=True)
    capsys.readouterr()
    clients = {}
    for name in ("unit", "dept", "finance", "auditor"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=name))
        clients[name] = client
    return clients


def _pages(client: Client) -> list[str]:
    """Every page a reviewer opens in a day: lists, each record (detail and edit), summary, dashboard, imports."""
    urls = ["/work/", "/work/declarations/", "/work/evaluations/", f"/work/summary/?year={YEAR}"]
    urls += [f"/work/summary/dashboard/?year={YEAR}", "/work/imports/"]
    for decl in Declaration.objects.all():
        urls += [f"/work/declarations/{decl.pk}/", f"/work/declarations/{decl.pk}/edit/"]
    for ev in SelfEvaluation.objects.all():
        urls += [f"/work/evaluations/{ev.pk}/", f"/work/evaluations/{ev.pk}/edit/"]
    return urls


def test_no_page_of_any_role_says_提醒_审核提示_or_a_finding_code(demo: dict[str, Client]) -> None:
    """Every page the demo's unit, department and bureau can open: 警告 where a warning is named, no code."""
    assert StoredFinding.objects.filter(severity=Severity.WARNING.value).exists()  # the demo has warnings to name
    seen = 0
    warned = False
    for role in ("unit", "dept", "finance"):
        for url in _pages(demo[role]):
            response = demo[role].get(url)
            if response.status_code != 200:
                assert response.status_code in (302, 403, 404), (role, url, response.status_code)
                continue
            seen += 1
            text = visible(response.content.decode())
            assert "提醒" not in text and "审核提示" not in text, (role, url)
            assert not CODES.search(text), (role, url, CODES.search(text))
            warned = warned or Severity.WARNING.label in text
    assert seen > 30 and warned


def test_the_summary_filter_lists_findings_by_chinese_title_and_severity(demo: dict[str, Client]) -> None:
    """The 审核发现 filter's options: Chinese titles, errors first, then warnings, then notices; no code shown."""
    html = demo["finance"].get(f"/work/summary/?year={YEAR}").content.decode()
    select = re.search(r'<select name="code"[^>]*>(.*?)</select>', html, re.S)
    assert select
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))[1:]
    assert len(options) == len(CHECKS)
    words = [label.split("：", 1)[0] for _, label in options]
    ranks = [{s.label: s.rank for s in Severity}[w] for w in words]
    assert ranks == sorted(ranks) and words[0] == "错误" and words[-1] == "提示"
    for _, label in options:
        assert not CODES.search(label) and re.search(r"[\u4e00-\u9fff]", label)
    titles = [label.split("：", 1)[1] for _, label in options if label.startswith("警告")]
    assert titles == sorted(titles)


def _seen_by_someone(demo: dict[str, Client], url: str) -> str | None:
    """The page's text for the first of unit, department and bureau who may open it (a draft is its unit's)."""
    for role in ("unit", "dept", "finance"):
        response = demo[role].get(url)
        if response.status_code == 200:
            return visible(response.content.decode())
    return None  # another unit's draft: none of the three demo logins may open it


def test_record_pages_say_the_state_as_a_sentence(demo: dict[str, Client]) -> None:
    """The status line: 「已主管部门审核通过。」, 「已财政批复。」 for a self-evaluation, 「已退回，待修改。」."""
    said = []
    records = [(f"/work/declarations/{d.pk}/", status_sentence(d.state)) for d in Declaration.objects.all()]
    records += [
        (f"/work/evaluations/{e.pk}/", status_sentence(e.state, evaluation=True)) for e in SelfEvaluation.objects.all()
    ]
    for url, sentence in records:
        text = _seen_by_someone(demo, url)
        if text is not None:
            assert sentence in text, (url, sentence)
            said.append(sentence)
    assert len(said) > len(records) / 2
    assert {"已提交，待主管部门审核。", "已主管部门审核通过。", "已退回，待修改。", "已公开。"} <= set(said), said


def test_figures_on_pages_have_thousands_separators(demo: dict[str, Client]) -> None:
    """Money and counts read 1,234,567.89 on the lists, the 汇总表, the dashboard and every record page."""
    client = demo["finance"]
    big = Declaration.objects.filter(requested_total__gte=Decimal(1000)).first()
    assert big is not None
    listed = visible(client.get("/work/declarations/", {"q": big.project.name}).content.decode())
    assert f"{big.requested_total:,.2f}" in listed
    for url in [
        "/work/declarations/",
        "/work/evaluations/",
        f"/work/summary/?year={YEAR}",
        f"/work/summary/dashboard/?year={YEAR}",
        f"/work/declarations/{big.pk}/",
        *[f"/work/evaluations/{ev.pk}/" for ev in SelfEvaluation.objects.all()],
    ]:
        text = visible(client.get(url).content.decode())
        assert not UNGROUPED.search(text), (url, UNGROUPED.search(text))
    summary = visible(client.get(f"/work/summary/?year={YEAR}").content.decode())
    assert re.search(r"\d{1,3}(?:,\d{3})+\.\d{2}", summary)


def test_form_inputs_keep_plain_numbers(demo: dict[str, Client]) -> None:
    """A browser's number input refuses commas: the unit's edit pages carry plain numbers in their inputs."""
    values = []
    for url in [f"/work/evaluations/{e.pk}/edit/" for e in SelfEvaluation.objects.all()] + [
        f"/work/declarations/{d.pk}/edit/" for d in Declaration.objects.all()
    ]:
        response = demo["unit"].get(url)
        if response.status_code == 200:
            values += re.findall(r'<input[^>]*type="number"[^>]*value="([^"]*)"', response.content.decode())
    assert any(len(v.split(".")[0]) >= 4 for v in values), values  # some amount of thousands is among them
    assert not any("," in v for v in values)


def test_the_audit_administrator_has_the_header_of_every_page(demo: dict[str, Client]) -> None:
    """User name and 退出, as on every other page, also when filtering by a user name."""
    demo["finance"].get(f"/work/summary/download.xlsx?year={YEAR}")  # an export, its filters in the detail
    for url in ("/audit/", "/audit/?user=unit"):
        html = demo["auditor"].get(url).content.decode()
        assert 'class="who-name">审计管理员<' in html and "退出</button>" in html, url
    cells = re.findall(r'<td class="detail">(.*?)</td>', demo["auditor"].get("/audit/").content.decode(), re.S)
    assert len(cells) > 10
    for cell in cells:  # every detail of the demo's log as sentences: no dict, no English key
        assert not re.search(r"\{|\}|\b[a-z]+_[a-z_]+\b|其他信息", cell), cell


def test_the_live_checks_send_the_core_word_with_each_finding(people: dict[str, Any], login: Any) -> None:
    """The editor's scripts print the word the server sends (Severity.label), never a copy of their own."""
    client = login(people["staff_a1"])
    data = client.get(
        "/work/targets/check/", {"target": "提高", "name": "培训场次", "level1": "产出指标", "level2": "数量指标"}
    ).json()
    assert data["findings"]
    assert all(f["label"] == Severity(f["severity"]).label for f in data["findings"])
    script = (Path(__file__).resolve().parents[2] / "src/jixiao/web/static/jixiao").glob("*.js")
    for path in script:
        text = path.read_text(encoding="utf-8")
        assert "提醒" not in text and '"错误"' not in text, path
