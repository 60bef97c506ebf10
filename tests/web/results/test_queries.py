"""The finance page reads a fixed number of queries, whatever the number of projects it lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.results.helpers import evaluated

pytestmark = pytest.mark.django_db


def test_the_page_queries_do_not_grow_with_its_rows(tree: Any, people: dict[str, Any], login: Any) -> None:
    """One project or three (one decided, one blocked by nothing, across departments): the same queries."""
    evaluated(people, tree.unit_a1, "unit_a1", "一号项目", "差")
    client = login(people["finance"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/work/results/", {"year": "2025"}).status_code == 200
        return len(seen)

    one = queries()
    second = evaluated(people, tree.unit_a2, "unit_a2", "二号项目", "良")
    evaluated(people, tree.unit_b1, "unit_b1", "三号项目", "中")
    client.post("/work/results/batch/", {"pick": [str(second.pk)]})
    assert queries() == one, one
