"""A round's page is kept between views (``monitoring.cache``), and every write to the round shows on the next view.

Each step below is one write as people make it (a unit's save, its submission, a department's batch
approval ticked on the round's page, the payment system's figures imported through the upload page,
an action raised); after each, the page each person sees next is the one a server with an empty cache
draws, and it differs from the page before: what was kept was not shown again.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from jixiao.core.workflow import Action, State
from jixiao.web.cycle.services.common import ConflictError
from jixiao.web.monitoring import services
from jixiao.web.monitoring.action_models import MonitoringAction
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound, RoundVersion
from jixiao.web.orgs.models import Organization
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import fill, open_all, record_of
from tests.web.monitoring.test_execution import DEPT_A, NAME, _confirm, _csv, _upload

pytestmark = pytest.mark.django_db
PICK = re.compile(r'<input type="checkbox" name="pick" value="([0-9]+:[0-9]+)"')
CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _page(client: Client, round_: MonitoringRound, query: str = "") -> str:
    """The round's page from its progress table on (the figures it keeps), without the per-request token."""
    response = client.get(f"/work/monitoring/rounds/{round_.pk}/{query}")
    assert response.status_code == 200
    text = response.content.decode()
    return CSRF.sub("", text[text.index("<h2>填报进度</h2>") :])


def _views(clients: dict[str, Client], round_: MonitoringRound) -> dict[str, str]:
    """Each person's page, whole and filtered to department A's forms with alerts."""
    department = Organization.objects.get(name=DEPT_A).pk
    return {
        f"{who} {query}": _page(client, round_, query)
        for who, client in clients.items()
        for query in ("", f"?department={department}&alerts=1")
    }


def _fresh(clients: dict[str, Client], round_: MonitoringRound) -> dict[str, str]:
    """The same pages drawn by a server that kept nothing."""
    cache.clear()
    return _views(clients, round_)


def test_every_write_to_a_round_shows_on_the_next_view(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A save, a submission, a batch approval, an import of execution figures and a raised action each show at once."""
    round_ = open_all(people)
    a1, a2 = record_of(round_, approved["a1"]), record_of(round_, approved["a2"])
    clients = {who: login(people[who]) for who in ("finance", "dept_a", "staff_a1")}
    seen = _views(clients, round_)
    assert _views(clients, round_) == seen  # kept: the same page again

    def changed(what: str, *who: str) -> None:
        nonlocal seen
        now = _views(clients, round_)
        assert now == _fresh(clients, round_), what
        differs = {name.split()[0] for name in now if now[name] != seen[name]}
        assert set(who) <= differs, (what, differs)
        seen = now

    # the unit saves its form with a row that may miss its target: its own page counts the alert
    fill(a1, people["staff_a1"])
    changed("a save", "staff_a1")
    # submitted: the department and the finance bureau now list it (a draft is only counted)
    a1.refresh_from_db()
    services.act(ctx(people["staff_a1"]), a1, Action.SUBMIT)
    services.act(ctx(people["staff_a2"]), fill(a2, people["staff_a2"]), Action.SUBMIT)
    changed("a submission", "finance", "dept_a", "staff_a1")
    assert f'href="/work/monitoring/records/{a1.pk}/"' in seen["dept_a "]
    # the department ticks one form on the round's page as drawn and approves it from there
    page = clients["dept_a"].get(f"/work/monitoring/rounds/{round_.pk}/").content.decode()
    a1.refresh_from_db()
    picks = [p for p in PICK.findall(page) if p.startswith(f"{a1.pk}:")]
    assert picks == [f"{a1.pk}:{a1.version}"]
    answer = clients["dept_a"].post("/work/notices/batch/monitoring/", {"pick": picks, "round": str(round_.pk)})
    assert answer.status_code == 200 and "主管部门审核通过 1 条" in answer.content.decode()
    changed("an approval", "finance", "dept_a", "staff_a1")
    # the finance bureau imports A2's figure from the payment system (A1, approved, keeps its own)
    a2.refresh_from_db()
    assert a2.state == State.SUBMITTED.value
    services.act(ctx(people["dept_a"]), a2, Action.RETURN, "请核对执行数")
    changed("a return", "dept_a", "finance")
    preview, address = _upload(clients["finance"], round_, _csv(f"{DEPT_A},测试市医保监督所,{NAME},180000.00"))
    assert "将写入的执行数（1）" in preview
    assert "已导入执行数" in _confirm(clients["finance"], preview, address)
    a2.refresh_from_db()
    assert a2.execution_import is not None
    changed("an import", "finance")
    # an action raised on the approved form: the round's page counts it
    a1.refresh_from_db()
    due = timezone.localdate() + timedelta(days=10)
    services.raise_action(ctx(people["dept_a"]), a1, services.NewAction("correct", "下半年补训。", due))
    assert MonitoringAction.objects.filter(record__round=round_).count() == 1
    changed("an action", "finance", "dept_a", "staff_a1")
    assert "本批次共 1 项整改事项" in seen["dept_a "]


def test_each_write_raises_the_round_version_once_committed(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """Opening makes the version; a save, a step and closing each raise it; a refused save does not."""
    round_ = open_all(people)
    version = RoundVersion.objects.get(round=round_).number
    a1 = record_of(round_, approved["a1"])
    numbers = [version]
    fill(a1, people["staff_a1"])
    numbers.append(RoundVersion.objects.get(round=round_).number)
    a1.refresh_from_db()
    with pytest.raises(ConflictError):
        services.update_record(ctx(people["staff_a1"]), a1, a1.version - 1, {}, [])
    numbers.append(RoundVersion.objects.get(round=round_).number)
    services.act(ctx(people["staff_a1"]), a1, Action.SUBMIT)
    numbers.append(RoundVersion.objects.get(round=round_).number)
    services.close_round(ctx(people["finance"]), round_)
    numbers.append(RoundVersion.objects.get(round=round_).number)
    assert numbers[1] > numbers[0] and numbers[2] == numbers[1] and numbers[0] < numbers[3] < numbers[4]


def test_a_round_without_a_version_is_drawn_each_time(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A round no write has touched since the version rows came in is not kept: its page is drawn from the data."""
    round_ = open_all(people)
    RoundVersion.objects.filter(round=round_).delete()
    finance = login(people["finance"])
    before = _page(finance, round_)
    MonitoringRecord.objects.filter(round=round_).update(warnings=7)  # not through a service: no version to raise
    assert _page(finance, round_) != before
    a1 = fill(record_of(round_, approved["a1"]), people["staff_a1"])
    assert RoundVersion.objects.get(round=round_).number == 1  # made again by the first write
    services.act(ctx(people["staff_a1"]), a1, Action.SUBMIT)
    assert RoundVersion.objects.get(round=round_).number == 2
