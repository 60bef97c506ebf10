"""Fixtures of the web tests: an organization tree, one person per role, records in each state."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client

from jixiao.core.workflow import Action, Role, State
from jixiao.web.accounts.models import Account
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.orgs.models import Organization
from tests.web.browsing import ARGS, CHROMIUM, require_browser

PASSWORD = "Kx7!correct-horse"


@dataclass
class Tree:
    """Two departments with two units each, under one finance bureau."""

    bureau: Organization
    dept_a: Organization
    dept_b: Organization
    unit_a1: Organization
    unit_a2: Organization
    unit_b1: Organization


@pytest.fixture
def tree(db: Any) -> Tree:
    """The organization tree."""
    bureau = Organization.objects.create(name="测试市财政局", kind=Organization.Kind.BUREAU)
    dept_a = Organization.objects.create(name="测试市医疗保障局", kind=Organization.Kind.DEPARTMENT, parent=bureau)
    dept_b = Organization.objects.create(name="测试市教育局", kind=Organization.Kind.DEPARTMENT, parent=bureau)
    unit_a1 = Organization.objects.create(name="测试市医保中心", kind=Organization.Kind.UNIT, parent=dept_a)
    unit_a2 = Organization.objects.create(name="测试市医保监督所", kind=Organization.Kind.UNIT, parent=dept_a)
    unit_b1 = Organization.objects.create(name="测试市教师发展中心", kind=Organization.Kind.UNIT, parent=dept_b)
    return Tree(bureau, dept_a, dept_b, unit_a1, unit_a2, unit_b1)


def make_user(username: str, role: Role, org: Organization | None) -> Any:
    """A user with one role at ``org``."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Account.objects.create(user=user, role=role.value, organization=org, display_name=username)
    return user


@pytest.fixture
def people(tree: Tree) -> dict[str, Any]:
    """One person per role; unit staff and reviewers in both departments."""
    return {
        "staff_a1": make_user("staff_a1", Role.UNIT_STAFF, tree.unit_a1),
        "staff_a2": make_user("staff_a2", Role.UNIT_STAFF, tree.unit_a2),
        "staff_b1": make_user("staff_b1", Role.UNIT_STAFF, tree.unit_b1),
        "dept_a": make_user("dept_a", Role.DEPT_REVIEWER, tree.dept_a),
        "dept_b": make_user("dept_b", Role.DEPT_REVIEWER, tree.dept_b),
        "finance": make_user("finance", Role.FINANCE_REVIEWER, tree.bureau),
        "sysadmin": make_user("sysadmin", Role.SYSTEM_ADMIN, None),
        "secadmin": make_user("secadmin", Role.SECURITY_ADMIN, None),
        "auditor": make_user("auditor", Role.AUDIT_ADMIN, None),
    }


def ctx(user: Any) -> Context:
    """A service context for ``user``."""
    return Context(user=user, ip="127.0.0.1")


INDICATORS = [
    services.IndicatorInput("产出指标", "数量指标", "培训场次", "≥4(次)", Decimal("30")),
    services.IndicatorInput("产出指标", "质量指标", "培训合格率", "≥90%", Decimal("20")),
    services.IndicatorInput("效益指标", "社会效益指标", "业务能力提升情况", "有效提升", Decimal("30")),
    services.IndicatorInput("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥85%", Decimal("10")),
]
DECLARATION_DATA = {
    "nature": "经常性项目",
    "category": "特定目标类",
    "money_unit": "元",
    "requested_total": Decimal("100000.00"),
    "requested_current": Decimal("100000.00"),
    "requested_carryover": Decimal("0.00"),
    "requested_other": Decimal("0.00"),
    "goal": "全年组织业务培训4次，提升经办人员业务能力。",
}


def declare(staff: Any, unit: Organization, name: str = "业务培训经费", year: int = 2025) -> Declaration:
    """A complete draft declaration made by ``staff`` through the services."""
    decl = services.create_declaration(ctx(staff), unit, name, year, DECLARATION_DATA, INDICATORS)
    return decl


def advance(decl: Declaration, people: dict[str, Any], staff: str, dept: str, to: State) -> Declaration:
    """Move a declaration through the cycle to state ``to`` with the right people."""
    steps = {
        State.SUBMITTED: [(staff, Action.SUBMIT)],
        State.RETURNED: [(staff, Action.SUBMIT), (dept, Action.RETURN)],
        State.DEPT_APPROVED: [(staff, Action.SUBMIT), (dept, Action.DEPT_APPROVE)],
        State.APPROVED: [(staff, Action.SUBMIT), (dept, Action.DEPT_APPROVE), ("finance", Action.FINANCE_APPROVE)],
        State.PUBLISHED: [
            (staff, Action.SUBMIT),
            (dept, Action.DEPT_APPROVE),
            ("finance", Action.FINANCE_APPROVE),
            ("finance", Action.PUBLISH),
        ],
    }.get(to, [])
    record: Declaration = decl
    for who, action in steps:
        record = services.act(ctx(people[who]), record, action, "请补充说明" if action is Action.RETURN else "")  # type: ignore[assignment]
    return record


def evaluate(decl: Declaration, staff: Any) -> SelfEvaluation:
    """A complete self-evaluation of an approved declaration, every score as the rules suggest."""
    ev = services.create_evaluation(ctx(staff), decl)
    data = {
        "money_unit": "元",
        "initial_total": Decimal("100000.00"),
        "adjusted_total": Decimal("100000.00"),
        "executed_total": Decimal("95000.00"),
        "rate_pct": Decimal("95.00"),
        "execution_weight": Decimal("10"),
        "execution_score": Decimal("9.50"),
        "outcome": "全年组织培训4次，合格率95%。",
        "total_score": Decimal("99.50"),
        "grade": "优",
    }
    rows = [
        services.EvaluationRowInput(r.indicator_id, actual, Decimal(score), "", "")
        for r, (actual, score) in zip(
            ev.indicators.select_related("indicator"),
            [("4次", "30"), ("95%", "20"), ("达成指标", "30"), ("90%", "10")],
            strict=True,
        )
    ]
    return services.update_evaluation(ctx(staff), ev, ev.version, data, rows)


@pytest.fixture
def login() -> Callable[[Any], Client]:
    """A client signed in as a user (through the login page, as a person would)."""

    def _login(user: Any) -> Client:
        client = Client()
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    return _login


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (the summaries cache their figures by data version)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_purge_permit(request: pytest.FixtureRequest) -> Any:
    """Transactional tests empty their tables afterwards; the audit log's guards must let that through.

    The permit row lives in a table Django does not manage, written only
    here; the transactional database is set up inside this fixture so that
    the permit is written before the tables are emptied.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if transactional:
        request.getfixturevalue("transactional_db")
    yield
    if transactional and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO jixiao_audit_purge (allowed) VALUES (1)")
    elif transactional and connection.vendor == "postgresql":
        # the TRUNCATE guard lets a test database's session that asks for it empty the log (audit migration 0003)
        with connection.cursor() as cursor:
            cursor.execute("SET jixiao.audit_purge = 'on'")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless chromium (the system's, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require_browser()  # skipped with the reason where chromium or the CJK fonts are missing, unless CI
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go."""
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
