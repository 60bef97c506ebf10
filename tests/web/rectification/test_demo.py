"""``jixiao demo`` shows 整改事项 in every state, on the demo unit's projects, with an evidence file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from jixiao.web.rectification.models import Rectification

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_item_in_every_state() -> None:
    call_command("demo", no_serve=True)
    items = Rectification.objects.all()
    assert {i.state for i in items} == {s.value for s in Rectification.State}
    assert {i.unit.name for i in items} == {"上海市医疗保险事业管理中心"}
    assert items.get(state="submitted").files.count() == 1
    sources = {i.source for i in items}
    assert "manual" in sources and len(sources) >= 2, sources
    # one item is overdue: the open one, opened 45 days ago with 30 days to answer, its step moved back with it
    today = timezone.localdate()
    late = Rectification.objects.overdue(today).get()
    assert late.state == "open" and late.due == today - timedelta(days=15)
    assert timezone.localtime(late.created_at).date() == today - timedelta(days=45)
    assert [timezone.localtime(s.at).date() for s in late.steps.all()] == [today - timedelta(days=45)]
    assert not items.exclude(pk=late.pk).filter(due__lt=today, state__in=Rectification.PENDING).exists()
