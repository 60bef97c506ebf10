"""The REST API, version 1: documents in and out, projects and their states, findings, review actions, summaries.

Reads go through the access helpers exactly as the pages do
(``visible_to``, ``get_for``): what a caller may not see is a 404, so ids
are not confirmed. Writes go through the services (``services.act``, the
loader), so the workflow table, the locking and the audit events are the
pages' own. Errors are JSON (:mod:`jixiao.web.api.errors`).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query, Status

from jixiao.core.review import review_document
from jixiao.core.serialize import dumps
from jixiao.core.workflow import Action, Role, State
from jixiao.web.access import Person, get_for, role_of
from jixiao.web.api import errors, services, tables
from jixiao.web.api.assessments import router as assessments_router
from jixiao.web.api.auth import BearerToken, SignedInSession
from jixiao.web.api.errors import ApiError
from jixiao.web.api.library import router as library_router
from jixiao.web.api.monitoring import router as monitoring_router
from jixiao.web.api.monitoring_followups import router as followups_router
from jixiao.web.api.notices import router as notices_router
from jixiao.web.api.parsing import ExactParser
from jixiao.web.api.rectifications import router as rectifications_router
from jixiao.web.api.rendering import ExactJSONRenderer, encode
from jixiao.web.api.results import router as results_router
from jixiao.web.api.schemas import (
    MAX_ID,
    ActionIn,
    ActionOut,
    ApiAction,
    ErrorOut,
    FindingList,
    ImportOut,
    ProjectPage,
    RecordOut,
    SummaryOut,
    document_components,
    link_documents,
)
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services as cycle
from jixiao.web.cycle.documents import declaration_document, evaluation_document
from jixiao.web.cycle.intake import YEARS, DocumentProblems, problems_of
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.cycle.packs import record_pack
from jixiao.web.cycle.services.across import stored_across
from jixiao.web.cycle.services.loading import LoadError

DESCRIPTION = """\
预算绩效管理（jixiao 绩效）的程序接口。

- 认证：在「访问令牌」页面（/api/tokens/）创建令牌，请求时发送 `Authorization: Bearer <令牌>`。
  令牌有有效期，修改密码或账户停用后失效；同一地址认证失败过多时，该地址的请求暂时答 429（见 `Retry-After`）。
- 范围：与页面相同——单位填报人员只见本单位，主管部门只见本部门，财政部门看全部；管理员账户看不到业务数据。
- 文档：记录以 `jixiao.document/1` 文档 JSON 读出和导入，金额为 JSON 数字，位数与存储一致。
- 错误：一律为 JSON `{"code", "message", "details"}`；看不到的记录答 404，能看到但不能做的操作答 403。
"""


class JixiaoAPI(NinjaAPI):
    """Ninja's API with the document JSON's components (generated from the core dataclasses) in its schema."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """The OpenAPI schema, with ``Document`` and its parts added to the components."""
        schema = link_documents(dict(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)))
        schema.setdefault("components", {}).setdefault("schemas", {}).update(document_components())
        return schema


api = JixiaoAPI(
    title="jixiao 绩效 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    auth=[BearerToken(), SignedInSession()],
    renderer=ExactJSONRenderer(),
    parser=ExactParser(),
)
errors.install(api)
api.add_router("/monitoring", monitoring_router)
api.add_router("/assessments", assessments_router)
api.add_router("/library", library_router)
api.add_router("/results", results_router)
api.add_router("/rectifications", rectifications_router)
api.add_router("/monitoring", followups_router)  # the actions following alerts, beside the forms they follow
api.add_router("/", notices_router)  # /deadlines and /notices

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="记录编号")]
Year = Annotated[int | None, Query(ge=YEARS[0], le=YEARS[1], description="年度")]
UnitId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="实施单位编号")]
DepartmentId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="主管部门编号")]
DOCUMENT_BODY = {
    "required": True,
    "description": "一份 jixiao.document/1 文档 JSON（UTF-8）。",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DocumentIn"}}},
}


def _answers(ok: dict[int, Any], *codes: int) -> dict[Any, Any]:
    # every operation documents each error it can give, all in the ErrorOut shape; whatever takes a token
    # can also hear 429 (an address that failed too often: accounts/throttle.py)
    throttled = (429,) if 401 in codes else ()
    return {**ok, frozenset(codes + throttled): ErrorOut}


# -- projects and summary --------------------------------------------------------------------------


@api.get("/projects", response=_answers({200: ProjectPage}, 401, 422), tags=["项目"], summary="项目列表")
def list_projects(
    request: HttpRequest,
    year: Year = None,
    state: Annotated[State | None, Query(description="绩效目标申报表的状态")] = None,
    evaluation_state: Annotated[State | None, Query(description="绩效自评表的状态")] = None,
    unit: UnitId = None,
    department: DepartmentId = None,
    # a page reads a fixed number of queries; 200 rows keep an answer small enough to show at once
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    """Projects by year the caller may see: states, money (元), execution rate, score, grade, finding counts."""
    qs = tables.visible_declarations(
        request.user, year=year, state=state, evaluation_state=evaluation_state, unit=unit, department=department
    )
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": tables.page(qs, offset, limit)}


@api.get("/summary", response=_answers({200: SummaryOut}, 401, 422), tags=["项目"], summary="汇总表")
def get_summary(
    request: HttpRequest,
    year: Year = None,
    department: DepartmentId = None,
) -> dict[str, Any]:
    """The summary table of the caller's projects (money in 元, rates, scores, grades, findings) with totals."""
    return tables.summary(request.user, year=year, department=department)


# -- records ---------------------------------------------------------------------------------------


def _record(request: HttpRequest, rec: Declaration | SelfEvaluation) -> HttpResponse:
    decl = rec if isinstance(rec, Declaration) else rec.declaration
    if isinstance(rec, Declaration):
        # the evaluation's id only when the caller may open it (a reviewer never learns of a unit's draft)
        ev = SelfEvaluation.objects.visible_to(request.user).filter(declaration=rec).first()
        document = declaration_document(rec)
    else:
        ev = rec
        document = evaluation_document(rec)
    head = {
        "id": rec.pk,
        "kind": "declaration" if isinstance(rec, Declaration) else "evaluation",
        "state": rec.state,
        "state_label": State(rec.state).label,
        "version": rec.version,
        "year": decl.year,
        "project_id": decl.project_id,
        "unit_id": decl.project.unit_id,
        "department_id": decl.project.department_id,
        "declaration_id": decl.pk,
        "evaluation_id": ev.pk if ev is not None else None,
    }
    # the document is the very text of serialize.dumps: its numbers keep their digits, no float in between
    text = encode(head)[:-1] + ',"document":' + dumps(document).rstrip("\n") + "}"
    return HttpResponse(text, content_type=api.get_content_type())


def _findings(document: Any, rec: Declaration | SelfEvaluation) -> dict[str, Any]:
    # by the record's own rule pack, as its pages show them; then what the last write found against
    # the unit's other records (stored)
    items = [f.to_dict() for f in [*review_document(document, record_pack(rec)), *stored_across(rec)]]
    return {"count": len(items), "items": items}


def _declaration(request: HttpRequest, pk: int) -> Declaration:
    return get_for(request.user, Declaration.objects.select_related("project__unit", "project__department"), pk)


def _evaluation(request: HttpRequest, pk: int) -> SelfEvaluation:
    related = SelfEvaluation.objects.select_related("declaration__project__unit", "declaration__project__department")
    return get_for(request.user, related, pk)


@api.get(
    "/declarations/{id}", response=_answers({200: RecordOut}, 401, 404, 422), tags=["记录"], summary="绩效目标申报表"
)
def get_declaration(request: HttpRequest, id: Id) -> HttpResponse:
    """A declaration as the document JSON, with its state, version and ids."""
    return _record(request, _declaration(request, id))


@api.get("/evaluations/{id}", response=_answers({200: RecordOut}, 401, 404, 422), tags=["记录"], summary="绩效自评表")
def get_evaluation(request: HttpRequest, id: Id) -> HttpResponse:
    """A self-evaluation as the document JSON, with its state, version and ids."""
    return _record(request, _evaluation(request, id))


@api.get(
    "/declarations/{id}/findings",
    response=_answers({200: FindingList}, 401, 404, 422),
    tags=["记录"],
    summary="绩效目标申报表的审核意见",
)
def declaration_findings(request: HttpRequest, id: Id) -> dict[str, Any]:
    """What the review checks find in a declaration, against its earlier years too."""
    decl = _declaration(request, id)
    return _findings(declaration_document(decl), decl)


@api.get(
    "/evaluations/{id}/findings",
    response=_answers({200: FindingList}, 401, 404, 422),
    tags=["记录"],
    summary="绩效自评表的审核意见",
)
def evaluation_findings(request: HttpRequest, id: Id) -> dict[str, Any]:
    """What the review checks find in a self-evaluation, against its approval too."""
    ev = _evaluation(request, id)
    return _findings(evaluation_document(ev), ev)


# -- review actions --------------------------------------------------------------------------------


def _core_action(user: Person, action: ApiAction) -> Action:
    if action is ApiAction.APPROVE:
        return Action.FINANCE_APPROVE if role_of(user) is Role.FINANCE_REVIEWER else Action.DEPT_APPROVE
    return Action(action.value)


def _act(request: HttpRequest, rec: Declaration | SelfEvaluation, action: ApiAction, payload: ActionIn | None) -> Any:
    payload = payload or ActionIn()
    try:
        # the service locks, decides, checks the version the client saw and writes: nothing of its own here
        done = cycle.act(
            Context.of(request),
            rec,
            _core_action(request.user, action),
            payload.comment,
            expected_version=payload.version,
        )
    except cycle.ConflictError as conflict:
        current = conflict.record
        raise ApiError(
            409,
            "conflict",
            f"记录已被修改：您看到的是第 {payload.version} 版，当前是第 {current.version} 版，请重新读取后再操作。",
            {"current_version": current.version, "state": current.state},
        ) from None
    return {
        "id": done.pk,
        "kind": "declaration" if isinstance(done, Declaration) else "evaluation",
        "state": done.state,
        "state_label": State(done.state).label,
        "version": done.version,
    }


ACTION_ANSWERS = _answers({200: ActionOut}, 400, 401, 403, 404, 409, 413, 422)


@api.post("/declarations/{id}/actions/{action}", response=ACTION_ANSWERS, tags=["审核"], summary="申报表审核操作")
def declaration_action(request: HttpRequest, id: Id, action: ApiAction, payload: ActionIn | None = None) -> Any:
    """Submit, return, approve or publish a declaration; returns its new state (退回 needs a comment)."""
    return _act(request, _declaration(request, id), action, payload)


@api.post("/evaluations/{id}/actions/{action}", response=ACTION_ANSWERS, tags=["审核"], summary="自评表审核操作")
def evaluation_action(request: HttpRequest, id: Id, action: ApiAction, payload: ActionIn | None = None) -> Any:
    """Submit, return, approve or publish a self-evaluation; returns its new state (退回 needs a comment)."""
    return _act(request, _evaluation(request, id), action, payload)


# -- documents in ----------------------------------------------------------------------------------


@api.post(
    "/documents",
    response=_answers({201: ImportOut}, 401, 403, 409, 413, 422),
    openapi_extra={"requestBody": DOCUMENT_BODY},
    tags=["导入"],
    summary="导入文档",
)
def post_document(
    request: HttpRequest,
    create_units: Annotated[bool, Query(description="仅财政审核人员：组织机构中没有的部门和单位随导入新建")] = False,
    source: Annotated[str, Query(max_length=255, pattern=r"^[^\x00-\x1f\x7f]*$", description="来源文件名")] = "",
) -> Any:
    """Load a document JSON as draft records, all or nothing, audited as an import; returns the new ids."""
    ctx = Context.of(request)
    try:
        result = services.import_document(ctx, request.body, source=source, create_units=create_units)
    except DocumentProblems as exc:
        raise ApiError(
            422, "invalid", "文档不符合 jixiao.document/1 或导入的限制，见 details。", problems_of(exc)
        ) from None
    except services.DuplicateDocument as exc:
        raise ApiError(409, "conflict", str(exc)) from None
    except LoadError as exc:
        raise ApiError(422, "invalid", str(exc)) from None
    return Status(201, result.to_dict())
