"""The portal's downloads: every file handed to a reader is recorded in the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jixiao.core.workflow import State
from jixiao.documents.importer import import_path
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Publication
from jixiao.web.cycle.services.loading import load_document

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "2024-self-evaluation-tabbed.txt"


@pytest.fixture
def published(tree: Any) -> Publication:
    """The example's self-evaluations, loaded as published."""
    load_document(
        Context.system(),
        import_path(EXAMPLE).document,
        bureau=tree.bureau,
        create_orgs=True,
        state_for=lambda n, p: State.PUBLISHED,
    )
    publication = Publication.objects.filter(kind="evaluation").first()
    assert publication is not None
    return publication


@pytest.mark.parametrize("suffix", ["json", "xlsx", "pdf", "docx"])
def test_each_portal_download_is_audited_with_the_reader_address(suffix: str, published: Publication) -> None:
    """An anonymous download records the publication, the format and the address, as an anonymous reader."""
    before = AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT).count()
    response = Client(REMOTE_ADDR="198.51.100.7").get(f"/p/{published.pk}.{suffix}")
    assert response.status_code == 200
    events = AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT)
    assert events.count() == before + 1
    event = events.order_by("pk").last()
    assert event is not None
    assert (event.object_type, event.object_id) == ("cycle.publication", str(published.pk))
    assert event.actor is None and event.username == "匿名读者" and event.ip == "198.51.100.7"
    assert event.detail["format"] == suffix and event.detail["what"] == "公开的绩效自评"
    assert event.organization_id == published.declaration.project.unit_id


def test_a_page_view_is_not_an_export(published: Publication) -> None:
    """Reading the form on the page records nothing: only files that leave the site are exports."""
    assert Client().get(f"/p/{published.pk}/").status_code == 200
    assert not AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT).exists()


def test_a_missing_format_records_nothing(published: Publication) -> None:
    """An unknown format is a 404 and no export is recorded."""
    assert Client().get(f"/p/{published.pk}.exe").status_code == 404
    assert not AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT).exists()
