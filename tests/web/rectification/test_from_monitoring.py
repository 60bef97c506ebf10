"""An item opened from a monitoring action of the project: its words copied, the action linked; another's refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jixiao.core.workflow import Action
from jixiao.web.monitoring import services as monitoring
from jixiao.web.rectification import services
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import approved, fill, open_all, record_of
from tests.web.rectification.conftest import soon

__all__ = ["approved"]  # the fixture, imported for pytest
pytestmark = pytest.mark.django_db


def test_an_item_follows_a_monitoring_action(people: dict[str, Any], approved: dict[str, Any]) -> None:
    round_ = open_all(people)
    rec = monitoring.act(
        ctx(people["staff_a1"]), fill(record_of(round_, approved["a1"]), people["staff_a1"]), Action.SUBMIT
    )
    behind = rec.findings.get(code="execution-behind-schedule")
    new = monitoring.NewAction("correct", "9月底前执行率达到75%。", soon(), alert=monitoring.alert_key(behind))
    action = monitoring.raise_action(ctx(people["dept_a"]), rec, new)
    project = approved["a1"].project_id
    item = services.open_item(
        ctx(people["dept_a"]), services.NewItem(project, 2025, "年底前说明纠偏结果。", soon(), action_id=action.pk)
    )
    assert (item.source, item.monitoring_action, item.source_code) == ("monitoring", action, behind.code)
    assert item.source_text.startswith("纠偏：") and "序时进度" in item.source_text
    other = services.NewItem(approved["a2"].project_id, 2025, "别的项目。", soon(), action_id=action.pk)
    with pytest.raises(ValidationError, match="不属于该项目"):
        services.open_item(ctx(people["dept_a"]), other)
