"""The REST API: tokens, documents out and in, findings, review actions, lists, summary, JSON errors."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jixiao.core.model import Document, FundRow, Funds, Indicator, Kind, Project
from jixiao.core.review import review_document
from jixiao.core.serialize import dumps, loads
from jixiao.core.workflow import State
from jixiao.documents.importer import import_path
from jixiao.web.api import services as api_services
from jixiao.web.api.models import ApiToken
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.documents import declaration_document, evaluation_document
from jixiao.web.cycle.models import Declaration, Publication, SelfEvaluation, StateChange
from jixiao.web.cycle.models import Project as ProjectRecord
from jixiao.web.orgs.models import Organization
from tests.web.conftest import Tree, advance, ctx, declare, evaluate

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


# -- helpers shared with the scope matrix -----------------------------------------------------------


def token_for(user: Any) -> str:
    """A fresh API token of ``user``."""
    return api_services.create_token(ctx(user), "测试程序")[1]


def kept_token(user: Any) -> str:
    """A token written straight to the database: one kept from before its owner became an administrator."""
    token = api_services.TOKEN_PREFIX + hashlib.sha256(user.username.encode()).hexdigest()
    ApiToken.objects.create(
        user=user,
        name="旧令牌",
        token_hash=api_services.hash_token(token),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return token


def bearer(token: str | None) -> dict[str, str]:
    """The Authorization header of a token (none for an anonymous caller)."""
    return {} if token is None else {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def call(method: str, path: str, token: str | None, body: Any = None, **query: Any) -> Any:
    """One API request with a token; ``body`` is sent as JSON (text as it is)."""
    client = Client()
    extra = bearer(token)
    if method == "get":
        return client.get(path, query, **extra)
    data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body, ensure_ascii=False)
    url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return getattr(client, method)(url, data=data or "", content_type="application/json", **extra)


def document_text(
    department: str = "测试市医疗保障局",
    unit: str = "测试市医保中心",
    name: str = "医保信息系统运维",
    year: int = 2025,
    kind: Kind = Kind.TARGET_DECLARATION,
) -> str:
    """A one-project document JSON, written by the core serializer (exact digits)."""
    indicators = (
        Indicator(
            "产出指标",
            "数量指标",
            "系统运行天数",
            "≥365(天)",
            actual="365天",
            weight=Decimal("50"),
            score=Decimal("50"),
        ),
        Indicator(
            "效益指标",
            "社会效益指标",
            "参保人办事便利度",
            "有效提升",
            actual="达成",
            weight=Decimal("40"),
            score=Decimal("40"),
        ),
    )
    project = Project(
        name=name,
        department=department,
        unit=unit,
        money_unit="元",
        funds=Funds(total=FundRow(requested=Decimal("250000.50"))),
        goal="保障医保信息系统全年稳定运行。",
        indicators=indicators,
    )
    return dumps(Document(kind=kind, year=year, projects=(project,)))


def counts() -> dict[str, int]:
    """Rows of every table a write may touch (the audit log aside: refusals are audited on purpose)."""
    models = (ProjectRecord, Declaration, SelfEvaluation, StateChange, Publication, Organization)
    return {m.__name__: m.objects.count() for m in models}


def error_of(response: Any) -> dict[str, Any]:
    """The JSON error body of a response, checked for its shape."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    data = response.json()
    assert set(data) == {"code", "message", "details"}, data
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["message"]), data  # the message is Chinese
    return data


# -- tokens -------------------------------------------------------------------------------------------


def test_token_is_shown_once_and_stored_only_as_its_hash(people: dict[str, Any], login: Any) -> None:
    """Creating a token shows it on that answer only; the database keeps its SHA-256 and nothing else of it."""
    client = login(people["staff_a1"])
    response = client.post("/api/tokens/", {"name": "预算系统同步"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    token = page.split('<code class="token">')[1].split("</code>")[0]
    assert token.startswith("jx_") and len(token) > 40
    stored = ApiToken.objects.get(user=people["staff_a1"])
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token not in client.get("/api/tokens/").content.decode()
    assert "预算系统同步" in client.get("/api/tokens/").content.decode()


def test_a_token_authenticates_its_owner_and_records_its_use(tree: Tree, people: dict[str, Any]) -> None:
    """A bearer token reads as its owner (scoped like the pages) and its last use is recorded."""
    declare(people["staff_a1"], tree.unit_a1)
    token = token_for(people["staff_a1"])
    response = call("get", "/api/v1/projects", token)
    assert response.status_code == 200
    assert [i["unit"] for i in response.json()["items"]] == ["测试市医保中心"]
    assert ApiToken.objects.get().last_used_at is not None
    assert call("get", "/api/v1/projects", token_for(people["staff_b1"])).json()["count"] == 0


def test_revoked_unknown_and_inactive_tokens_are_refused(people: dict[str, Any], login: Any) -> None:
    """A revoked token, a made-up one and the token of a disabled person all answer 401 in JSON."""
    token = token_for(people["staff_a1"])
    stored = ApiToken.objects.get()
    assert login(people["staff_a1"]).post(f"/api/tokens/{stored.pk}/revoke/").status_code == 302
    for candidate in (token, "jx_" + "A" * 43, "not-a-token", ""):
        response = call("get", "/api/v1/projects", candidate)
        assert response.status_code == 401, candidate
        assert error_of(response)["code"] == "unauthenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")
    other = token_for(people["staff_a2"])
    people["staff_a2"].is_active = False
    people["staff_a2"].save()
    assert call("get", "/api/v1/projects", other).status_code == 401


def test_tokens_are_made_and_revoked_with_audit_events_without_the_token(people: dict[str, Any], login: Any) -> None:
    """Creation and revocation are each audited, naming the token but never showing it."""
    client = login(people["dept_a"])
    page = client.post("/api/tokens/", {"name": "部门报表"}).content.decode()
    token = page.split('<code class="token">')[1].split("</code>")[0]
    stored = ApiToken.objects.get()
    client.post(f"/api/tokens/{stored.pk}/revoke/")
    client.post(f"/api/tokens/{stored.pk}/revoke/")  # twice: still one revocation
    events = AuditEvent.objects.filter(object_type="api.apitoken").order_by("at", "id")
    assert [(e.event, e.detail.get("name")) for e in events] == [("create", "部门报表"), ("update", "部门报表")]
    assert all(token not in json.dumps(e.detail, ensure_ascii=False) for e in AuditEvent.objects.all())


def test_nobody_revokes_another_persons_token(people: dict[str, Any], login: Any) -> None:
    """Revoking someone else's token finds nothing and leaves it working."""
    token = token_for(people["staff_a2"])
    stored = ApiToken.objects.get()
    response = login(people["staff_a1"]).post(f"/api/tokens/{stored.pk}/revoke/", follow=True)
    assert "没有找到该令牌" in response.content.decode()
    assert call("get", "/api/v1/projects", token).status_code == 200


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_administrators_get_no_token(role: str, people: dict[str, Any], login: Any) -> None:
    """The three administrators see the page but cannot make a token: the API has no data for them."""
    client = login(people[role])
    assert "无需访问令牌" in client.get("/api/tokens/").content.decode()
    response = client.post("/api/tokens/", {"name": "x"})
    assert response.status_code == 200 and '<code class="token">' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_tokens_page_needs_a_signed_in_person() -> None:
    """An anonymous visitor is sent to the login page."""
    response = Client().get("/api/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_person_keeps_at_most_ten_active_tokens(people: dict[str, Any]) -> None:
    """The eleventh active token is refused; revoking one makes room."""
    for n in range(api_services.MAX_ACTIVE_TOKENS):
        api_services.create_token(ctx(people["staff_a1"]), f"程序{n}")
    with pytest.raises(Exception, match="最多保留"):
        api_services.create_token(ctx(people["staff_a1"]), "多余")
    api_services.revoke_token(ctx(people["staff_a1"]), ApiToken.objects.first().pk)  # type: ignore[union-attr]
    api_services.create_token(ctx(people["staff_a1"]), "替换")


# -- errors and schema --------------------------------------------------------------------------------


def test_every_error_under_api_is_json(people: dict[str, Any]) -> None:
    """Unknown paths, wrong methods, bad parameters, bad bodies and missing credentials all answer in JSON."""
    token = token_for(people["finance"])
    cases = [
        (call("get", "/api/v1/nothing-here", token), 404, "not_found"),
        (call("post", "/api/v1/nothing-here", None, {}), 404, "not_found"),
        (call("get", "/api/", None), 404, "not_found"),
        (call("delete", "/api/v1/projects", token), 405, "method_not_allowed"),
        (call("get", "/api/v1/projects", token, limit=0), 422, "invalid"),
        (call("get", "/api/v1/projects", token, state="nonsense"), 422, "invalid"),
        (call("get", "/api/v1/declarations/abc", token), 422, "invalid"),
        (call("get", "/api/v1/declarations/99999999999999999999", token), 422, "invalid"),
        (call("get", "/api/v1/declarations/424242", token), 404, "not_found"),
        (call("post", "/api/v1/declarations/1/actions/submit", token, "{not json"), 400, "bad_request"),
        (call("post", "/api/v1/declarations/1/actions/explode", token, {}), 422, "invalid"),
        (call("get", "/api/v1/projects", None), 401, "unauthenticated"),
        (call("post", "/api/v1/documents", None, "{}"), 401, "unauthenticated"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (response.request["PATH_INFO"], response.content[:300])
        assert error_of(response)["code"] == code
    assert "GET" in cases[3][0]["Allow"]
    assert cases[4][0].json()["details"][0]["loc"] == ["query", "limit"]


def test_the_openapi_schema_and_docs_page_are_served() -> None:
    """The OpenAPI schema lists every endpoint and the document JSON; the docs page needs no CDN."""
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/projects",
        "/api/v1/summary",
        "/api/v1/declarations/{id}",
        "/api/v1/evaluations/{id}",
        "/api/v1/declarations/{id}/findings",
        "/api/v1/evaluations/{id}/findings",
        "/api/v1/declarations/{id}/actions/{action}",
        "/api/v1/evaluations/{id}/actions/{action}",
        "/api/v1/documents",
        "/api/v1/monitoring/rounds",
        "/api/v1/monitoring/rounds/{id}",
        "/api/v1/monitoring/rounds/{id}/records",
        "/api/v1/monitoring/records/{id}",
        "/api/v1/monitoring/records/{id}/actions/{action}",
        "/api/v1/monitoring/alerts",
        "/api/v1/monitoring/actions",
        "/api/v1/monitoring/actions/{id}",
        "/api/v1/monitoring/actions/{id}/submit",
        "/api/v1/monitoring/actions/{id}/close",
        "/api/v1/monitoring/actions/{id}/reopen",
        "/api/v1/monitoring/actions/{id}/cancel",
        "/api/v1/deadlines",
        "/api/v1/notices",
        "/api/v1/notices/read",
        "/api/v1/rectifications",
        "/api/v1/rectifications/{id}",
        "/api/v1/rectifications/{id}/answer",
        "/api/v1/rectifications/{id}/accept",
        "/api/v1/rectifications/{id}/reopen",
        "/api/v1/rectifications/{id}/cancel",
        "/api/v1/results",
        "/api/v1/results/{id}",
        "/api/v1/results/{id}/decision",
        "/api/v1/library/search",
        "/api/v1/library/entries",
        "/api/v1/library/entries/{code}",
        "/api/v1/assessments",
        "/api/v1/assessments/experts",
        "/api/v1/assessments/{id}",
        "/api/v1/assessments/{id}/scores",
    }
    components = schema["components"]["schemas"]
    assert components["Document"]["properties"]["schema"]["const"] == "jixiao.document/1"
    assert components["DocumentFundRow"]["properties"]["requested"]["anyOf"][0]["type"] == "number"
    assert components["DocumentInProject"]["properties"]["name"]["maxLength"] == 200
    body = schema["paths"]["/api/v1/documents"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/DocumentIn"}
    assert {"BearerToken", "SignedInSession"} <= set(schema["components"]["securitySchemes"])
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


# -- records out ---------------------------------------------------------------------------------------


def test_a_declaration_comes_out_as_the_document_json_with_exact_digits(tree: Tree, people: dict[str, Any]) -> None:
    """The record's document is the serializer's text: 100000.00 stays 100000.00, and it reads back equal."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    response = call("get", f"/api/v1/declarations/{decl.pk}", token_for(people["staff_a1"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert '"requested": 100000.00' in text
    data = json.loads(text, parse_float=Decimal)
    assert {k: data[k] for k in ("id", "kind", "state", "version", "year", "evaluation_id")} == {
        "id": decl.pk,
        "kind": "declaration",
        "state": "draft",
        "version": decl.version,
        "year": 2025,
        "evaluation_id": None,
    }
    assert (data["project_id"], data["unit_id"]) == (decl.project_id, tree.unit_a1.pk)
    document = loads(json.dumps(json.loads(text)["document"]))  # a program reading it gets the same document
    assert document.projects[0].name == declaration_document(decl).projects[0].name
    inner = text.split('"document":', 1)[1][:-1]
    assert loads(inner) == declaration_document(decl)


def test_an_evaluation_shows_its_declaration_and_the_reviewer_never_sees_a_draft(
    tree: Tree, people: dict[str, Any]
) -> None:
    """An evaluation names its declaration; a reviewer sees the approved declaration but not its draft evaluation."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    staff = token_for(people["staff_a1"])
    data = call("get", f"/api/v1/evaluations/{ev.pk}", staff).json()
    assert (data["kind"], data["declaration_id"], data["evaluation_id"]) == ("evaluation", decl.pk, ev.pk)
    assert data["document"]["kind"] == "self_evaluation"
    assert loads(
        call("get", f"/api/v1/evaluations/{ev.pk}", staff).content.decode().split('"document":', 1)[1][:-1]
    ) == (evaluation_document(ev))
    assert call("get", f"/api/v1/declarations/{decl.pk}", staff).json()["evaluation_id"] == ev.pk
    reviewer = token_for(people["dept_a"])
    assert call("get", f"/api/v1/declarations/{decl.pk}", reviewer).json()["evaluation_id"] is None
    assert call("get", f"/api/v1/evaluations/{ev.pk}", reviewer).status_code == 404


def test_findings_are_the_review_of_the_record(tree: Tree, people: dict[str, Any]) -> None:
    """The findings endpoints answer review_document's findings of the record, in Finding.to_dict() form."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    token = token_for(people["staff_a1"])
    data = call("get", f"/api/v1/declarations/{decl.pk}/findings", token).json()
    expected = [f.to_dict() for f in review_document(declaration_document(decl))]
    assert data == {"count": len(expected), "items": expected}
    approved = advance(
        declare(people["staff_a1"], tree.unit_a1, "评估项目"), people, "staff_a1", "dept_a", State.APPROVED
    )
    ev = evaluate(approved, people["staff_a1"])
    data = call("get", f"/api/v1/evaluations/{ev.pk}/findings", token).json()
    assert data["items"] == [f.to_dict() for f in review_document(evaluation_document(ev))]


# -- review actions ------------------------------------------------------------------------------------


def test_actions_move_a_record_through_the_cycle_with_audit(tree: Tree, people: dict[str, Any]) -> None:
    """Submit, approve (department, then finance, both as ``approve``) and publish, each audited, each answering."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    steps = [("staff_a1", "submit", "submitted"), ("dept_a", "approve", "dept_approved")]
    steps += [("finance", "approve", "approved"), ("finance", "publish", "published")]
    for who, action, state in steps:
        version = Declaration.objects.get(pk=decl.pk).version
        response = call("post", f"/api/v1/declarations/{decl.pk}/actions/{action}", token_for(people[who]))
        assert response.status_code == 200, response.content
        assert response.json() == {
            "id": decl.pk,
            "kind": "declaration",
            "state": state,
            "state_label": State(state).label,
            "version": version + 1,
        }
    events = AuditEvent.objects.filter(object_type="cycle.declaration", object_id=str(decl.pk))
    assert {"submit", "approve", "publish"} <= set(events.values_list("event", flat=True))
    assert Publication.objects.filter(declaration=decl).count() == 1


def test_a_return_needs_its_comment(tree: Tree, people: dict[str, Any]) -> None:
    """Returning without a comment is 422 and changes nothing; with one, the comment is kept."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    token = token_for(people["dept_a"])
    refused = call("post", f"/api/v1/declarations/{decl.pk}/actions/return", token, {"comment": "  "})
    assert refused.status_code == 422 and error_of(refused)["code"] == "invalid"
    assert Declaration.objects.get(pk=decl.pk).state == "submitted"
    done = call("post", f"/api/v1/declarations/{decl.pk}/actions/return", token, {"comment": "请补充指标值。"})
    assert done.json()["state"] == "returned"
    assert StateChange.objects.filter(declaration=decl, action="return").get().comment == "请补充指标值。"


def test_a_submission_lists_every_problem(tree: Tree, people: dict[str, Any]) -> None:
    """Submitting an incomplete declaration answers 422 with each problem in details."""
    from jixiao.web.cycle import services

    decl = services.create_declaration(ctx(people["staff_a1"]), tree.unit_a1, "空项目", 2025, {}, [])
    response = call("post", f"/api/v1/declarations/{decl.pk}/actions/submit", token_for(people["staff_a1"]))
    assert response.status_code == 422
    details = error_of(response)["details"]
    assert "请填写年度总体目标。" in details and "请至少填写一个绩效指标。" in details
    assert Declaration.objects.get(pk=decl.pk).state == "draft"


def test_a_stale_version_is_a_conflict_and_a_refusal_outranks_it(tree: Tree, people: dict[str, Any]) -> None:
    """An action naming an old version answers 409 with the current one; a role that may not act hears 403."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    path = f"/api/v1/declarations/{decl.pk}/actions/approve"
    stale = call("post", path, token_for(people["dept_a"]), {"version": decl.version - 1})
    assert stale.status_code == 409
    assert error_of(stale)["details"]["current_version"] == decl.version
    assert call("post", path, token_for(people["finance"]), {"version": decl.version - 1}).status_code == 403
    assert Declaration.objects.get(pk=decl.pk).state == "submitted"
    assert call("post", path, token_for(people["dept_a"]), {"version": decl.version}).status_code == 200


def test_session_writes_need_the_csrf_token(tree: Tree, people: dict[str, Any]) -> None:
    """The pages' session reads the API; its writes are refused without the CSRF token and accepted with it."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["staff_a1"])
    assert client.get("/api/v1/projects").json()["count"] == 1
    path = f"/api/v1/declarations/{decl.pk}/actions/submit"
    refused = client.post(path, "", content_type="application/json")
    assert refused.status_code == 403 and error_of(refused)["code"] == "csrf_failed"
    assert Declaration.objects.get(pk=decl.pk).state == "draft"
    client.get("/api/tokens/")  # the page sets the CSRF cookie, as any page would
    token = client.cookies["csrftoken"].value
    done = client.post(path, "", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 200 and done.json()["state"] == "submitted"


def test_refusals_are_audited(tree: Tree, people: dict[str, Any]) -> None:
    """A 403 from the API is an audit event, as on the pages."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    advance(decl, people, "staff_a1", "dept_a", State.SUBMITTED)
    call("post", f"/api/v1/declarations/{decl.pk}/actions/submit", token_for(people["staff_a1"]))
    denied = AuditEvent.objects.filter(event="denied").get()
    assert denied.detail["path"].endswith("/actions/submit") and not denied.success


# -- documents in --------------------------------------------------------------------------------------


def test_finance_imports_a_document_as_drafts_with_new_units(tree: Tree, people: dict[str, Any]) -> None:
    """A finance reviewer's import creates the named units, loads draft records, audits it, and refuses a repeat."""
    token = token_for(people["finance"])
    text = document_text(department="测试市民政局", unit="测试市救助管理站")
    response = call("post", "/api/v1/documents", token, text, create_units="true", source="民政.json")
    assert response.status_code == 201, response.content
    data = response.json()
    decl = Declaration.objects.get(pk=data["declarations"][0])
    assert (decl.state, decl.project.unit.name, decl.project.department.name) == (
        "draft",
        "测试市救助管理站",
        "测试市民政局",
    )
    assert decl.requested_total == Decimal("250000.50") and decl.file_name == "民政.json"
    assert data["sha256"] == hashlib.sha256(text.encode()).hexdigest() == decl.sha256
    assert len(data["organizations"]) == 2
    assert AuditEvent.objects.filter(event="import", object_id=str(decl.pk)).exists()
    assert AuditEvent.objects.filter(event="create", object_type="orgs.organization").count() == 2
    before = counts()
    again = call("post", "/api/v1/documents", token, text, create_units="true")
    assert again.status_code == 409 and error_of(again)["code"] == "conflict"
    assert counts() == before


@pytest.mark.parametrize(
    "name", ["2023-declarations-tabbed.txt", "2024-self-evaluation-tabbed.txt", "2022-transfer-payment-report.md"]
)
def test_what_the_importer_reads_loads_through_the_api(name: str, tree: Tree, people: dict[str, Any]) -> None:
    """An example form read by ``jixiao import`` loads through the API, one declaration per project."""
    document = import_path(EXAMPLES / name).document
    response = call("post", "/api/v1/documents", token_for(people["finance"]), dumps(document), create_units="true")
    assert response.status_code == 201, response.content[:500]
    assert len(response.json()["declarations"]) == len(document.projects)


def test_a_self_evaluation_import_brings_its_approved_targets(tree: Tree, people: dict[str, Any]) -> None:
    """A finance reviewer imports a self-evaluation: the declaration approved, the evaluation a draft."""
    text = document_text(kind=Kind.SELF_EVALUATION, name="医保经办服务")
    response = call("post", "/api/v1/documents", token_for(people["finance"]), text)
    assert response.status_code == 201, response.content
    ev = SelfEvaluation.objects.get(pk=response.json()["evaluations"][0])
    assert (ev.state, ev.declaration.state) == ("draft", "approved")


def test_unknown_organizations_are_not_created_without_create_units(tree: Tree, people: dict[str, Any]) -> None:
    """Without create_units the import refuses a document naming an unknown department, and writes nothing."""
    before = counts()
    response = call("post", "/api/v1/documents", token_for(people["finance"]), document_text(department="不存在的局"))
    assert response.status_code == 422 and "不存在的局" in error_of(response)["message"]
    assert counts() == before


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["projects"][0]["indicators"][0].update(weight="五十"), "$.projects[0].indicators[0].weight"),
        (lambda d: d["projects"][0].update(name="长" * 201), "$.projects[0].name"),
        (lambda d: d["projects"][0].update(goal="目标\x00"), "$.projects[0].goal"),
        (lambda d: d["projects"][0]["funds"]["total"].update(requested=10**17), "$.projects[0].funds.total.requested"),
        (lambda d: d["projects"][0].update(money_unit="美元"), "$.projects[0].money_unit"),
        (lambda d: d.update(year=1999), "$.year"),
        (lambda d: d.update(projects=[]), "$.projects"),
        (lambda d: d.update(schema="other/1"), "$.schema"),
        (lambda d: d["projects"][0].update(colour="red"), "$.projects[0].colour"),
    ],
)
def test_an_invalid_document_is_refused_with_its_json_path(
    mutate: Any, path: str, tree: Tree, people: dict[str, Any]
) -> None:
    """Each kind of problem answers 422 with the JSON path of the offending value, and nothing is written."""
    data = json.loads(document_text())
    mutate(data)
    before = counts()
    response = call("post", "/api/v1/documents", token_for(people["finance"]), json.dumps(data, ensure_ascii=False))
    assert response.status_code == 422, response.content
    assert path in [p["path"] for p in error_of(response)["details"]]
    assert counts() == before


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"schema": "jixiao.document/1", "year": 1E+999999999}', b"\xff\xfe", b"[" * 100000, b"1" * 5000],
)
def test_hostile_bodies_are_refused_quickly(body: bytes, people: dict[str, Any]) -> None:
    """Malformed JSON, absurd numbers, bad encodings and deep nesting are 422, never a server error."""
    response = Client().post(
        "/api/v1/documents", body, content_type="application/json", **bearer(token_for(people["finance"]))
    )
    assert response.status_code == 422 and error_of(response)["code"] == "invalid"


def test_department_reviewers_import_declarations_only_and_create_nothing(tree: Tree, people: dict[str, Any]) -> None:
    """A department reviewer may not import a self-evaluation (it approves targets) nor create units."""
    token = token_for(people["dept_a"])
    before = counts()
    evaluation = call("post", "/api/v1/documents", token, document_text(kind=Kind.SELF_EVALUATION))
    assert evaluation.status_code == 403 and error_of(evaluation)["code"] == "forbidden"
    create = call("post", "/api/v1/documents", token, document_text(), create_units="true")
    assert create.status_code == 403
    assert counts() == before
    assert call("post", "/api/v1/documents", token, document_text()).status_code == 201


# -- lists ------------------------------------------------------------------------------------------------


def test_the_project_list_filters_and_pages(tree: Tree, people: dict[str, Any]) -> None:
    """Filters by year, state, unit and department; limit and offset page through a stable order."""
    staff = people["staff_a1"]
    declare(staff, tree.unit_a1, "甲项目", 2024)
    advance(declare(staff, tree.unit_a1, "乙项目", 2025), people, "staff_a1", "dept_a", State.SUBMITTED)
    declare(people["staff_a2"], tree.unit_a2, "丙项目", 2025)
    advance(declare(people["staff_b1"], tree.unit_b1, "丁项目", 2025), people, "staff_b1", "dept_b", State.APPROVED)
    token = token_for(people["finance"])

    def names(**query: Any) -> list[str]:
        return [i["project"] for i in call("get", "/api/v1/projects", token, **query).json()["items"]]

    assert set(names()) == {"乙项目", "丁项目"}  # the finance bureau never sees drafts
    assert names(state="approved") == ["丁项目"]
    assert names(department=tree.dept_a.pk) == ["乙项目"]
    assert names(unit=tree.unit_b1.pk, year=2025) == ["丁项目"]
    assert names(year=2024) == []
    first = call("get", "/api/v1/projects", token, limit=1).json()
    second = call("get", "/api/v1/projects", token, limit=1, offset=1).json()
    assert (first["count"], second["count"], first["limit"], second["offset"]) == (2, 2, 1, 1)
    assert {first["items"][0]["project"], second["items"][0]["project"]} == {"乙项目", "丁项目"}
    item = first["items"][0]
    assert {"declaration_state", "evaluation_state", "execution_rate", "total_score", "grade", "findings"} <= set(item)
    assert set(item["findings"]) == {"error", "warning", "info"}


def test_the_summary_has_rows_in_yuan_and_a_totals_row(tree: Tree, people: dict[str, Any]) -> None:
    """The summary lists the visible projects with money in 元 and totals that add up."""
    for name in ("培训一", "培训二"):
        decl = advance(declare(people["staff_a1"], tree.unit_a1, name), people, "staff_a1", "dept_a", State.APPROVED)
        advance(evaluate(decl, people["staff_a1"]), people, "staff_a1", "dept_a", State.SUBMITTED)  # type: ignore[arg-type]
    response = call("get", "/api/v1/summary", token_for(people["dept_a"]), year=2025)
    text = response.content.decode()
    data = json.loads(text, parse_float=Decimal)
    assert response.status_code == 200 and data["money_unit"] == "元"
    assert [r["project"] for r in data["rows"]] == ["培训一", "培训二"]
    assert all(r["executed"] == Decimal("95000.00") and r["evaluation_state"] == "submitted" for r in data["rows"])
    totals = data["totals"]
    assert (totals["projects"], totals["evaluated"], totals["executed"], totals["budget"]) == (
        2,
        2,
        Decimal("190000.00"),
        Decimal("200000.00"),
    )
    assert totals["execution_rate"] == Decimal("95.00")
    assert totals["findings"]["warning"] == sum(r["findings"]["warning"] for r in data["rows"])
    assert call("get", "/api/v1/summary", token_for(people["dept_b"]), year=2025).json()["rows"] == []
