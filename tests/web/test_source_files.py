"""The file a record was imported from: downloaded from the record page; a lost file gets a plain page, not a 500."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jixiao.web.cycle.models import Declaration
from tests.web.test_imports import EXAMPLE, confirm, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(settings: Any, tmp_path: Path, people: dict[str, Any], login: Any) -> tuple[Client, Declaration, str]:
    """The finance bureau's client, a record imported through the import page, and its page's link to the file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(people["finance"])
    job = confirm(client, upload(client, [EXAMPLE]))
    assert job.state == "done", job.problems
    decl = Declaration.objects.filter(source_file__isnull=False).select_related("source_file").first()
    assert decl is not None
    page = client.get(f"/work/declarations/{decl.pk}/").content.decode()
    (link,) = re.findall(r'<a href="([^"]+/source/)">', page)
    return client, decl, link


def test_the_record_page_links_to_its_file(imported: tuple[Client, Declaration, str]) -> None:
    """Following the record page's 来源 link downloads the very file uploaded, under its own name."""
    client, _, link = imported
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == EXAMPLE.read_bytes()  # type: ignore[attr-defined]
    assert EXAMPLE.name in response["Content-Disposition"]


def test_a_lost_file_gets_a_plain_page(imported: tuple[Client, Declaration, str], caplog: Any) -> None:
    """With the stored file gone (a restore without uploads/), the link answers in Chinese, names the file, logs it."""
    client, decl, link = imported
    assert decl.source_file is not None
    Path(decl.source_file.stored.path).unlink()
    with caplog.at_level(logging.ERROR):
        response = client.get(link)
    assert response.status_code == 404
    page = response.content.decode()
    assert "来源文件已不在服务器上" in page and EXAMPLE.name in page
    assert "记录本身" in page and "系统管理员" in page
    assert f'href="/work/declarations/{decl.pk}/"' in page  # the way back to the record
    assert any(decl.source_file.stored.name in r.getMessage() for r in caplog.records)
