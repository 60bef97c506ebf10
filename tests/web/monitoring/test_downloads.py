"""A monitoring form as a file or on paper from its page: scoped, audited, and read back as the form it is."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest

from jixiao.core.model import Kind
from jixiao.documents.importer import import_bytes
from jixiao.web.audit.models import AuditEvent
from tests.web.monitoring.conftest import ROWS, fill, open_all, record_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "docx"])
def test_a_unit_downloads_its_monitoring_form_and_it_reads_back(
    fmt: str, approved: dict[str, Any], people: dict[str, Any], login: Any
) -> None:
    """The draft's file is named for the form and its state; jixiao reads it back as a monitoring form."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    staff = login(people["staff_a1"])
    page = staff.get(f"/work/monitoring/records/{rec.pk}/").content.decode()
    assert f'href="/work/monitoring/records/{rec.pk}/download.{fmt}"' in page
    response = staff.get(f"/work/monitoring/records/{rec.pk}/download.{fmt}")
    assert response.status_code == 200
    assert "执行监控表-业务培训经费（草稿）" in unquote(response["Content-Disposition"])
    read = import_bytes(response.content, f"form.{fmt}").document
    project = read.projects[0]
    assert read.kind is Kind.MONITORING and project.as_of == "2025-07-31"
    assert project.funds.total is not None and project.funds.total.executed == rec.executed_to_date
    assert [(i.actual, i.forecast, i.likelihood) for i in project.indicators] == [(r[0], r[1], r[4]) for r in ROWS]
    event = AuditEvent.objects.get(event=AuditEvent.Type.EXPORT)
    assert event.detail["state"] == "draft" and event.object_id == str(rec.pk)


def test_whoever_may_not_see_the_form_gets_404(approved: dict[str, Any], people: dict[str, Any], login: Any) -> None:
    """Another unit, the other department, and reviewers before it is filed: 404 for the file and the print page."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    for who in ("staff_a2", "dept_b", "dept_a", "finance"):
        client = login(people[who])
        assert client.get(f"/work/monitoring/records/{rec.pk}/download.pdf").status_code == 404, who
        assert client.get(f"/work/monitoring/records/{rec.pk}/print/").status_code == 404, who
    assert login(people["staff_a1"]).get(f"/work/monitoring/records/{rec.pk}/print/").status_code == 200
    assert AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT).count() == 1
