"""The shapes the API reads and writes, for validation and for the OpenAPI schema.

The document JSON's schema is generated from the core dataclasses
(:mod:`jixiao.core.model`) themselves, with the limits of
:mod:`jixiao.web.cycle.intake` written into it, so the published schema, the
checks and the records cannot drift apart. Decimals are JSON numbers
everywhere (see :mod:`jixiao.web.api.rendering`).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, TypeAdapter, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from jixiao.core.model import GRADES, MONEY_UNITS, SCHEMA, Document
from jixiao.core.review import Finding
from jixiao.core.workflow import State
from jixiao.web.cycle import intake

TEXT = f"^[^{intake.CONTROL}]*$"  # what intake refuses, written where a program can read it
NAME = rf"^[^{intake.CONTROL}]*[^\s{intake.CONTROL}][^{intake.CONTROL}]*$"  # and at least one printed character
MAX_ID = 2**63 - 1  # a bigint primary key; anything larger cannot name a record
REF = "#/components/schemas/{model}"

OptionalNumber = Annotated[Decimal | None, WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}]})]
# pydantic cannot point at a component it did not generate; link_documents() puts the $ref in afterwards
DOCUMENT_MARK = "x-jixiao-document"
DocumentJSON = Annotated[dict[str, Any], WithJsonSchema({"type": "object", DOCUMENT_MARK: True})]


class ApiAction(StrEnum):
    """A review action as the API names it; ``approve`` is the caller's own approval (department or finance)."""

    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    DEPT_APPROVE = "dept_approve"
    FINANCE_APPROVE = "finance_approve"
    PUBLISH = "publish"


class ErrorOut(Schema):
    """Every error: a stable English code, a Chinese message, and details (problems, paths) where there are any."""

    code: str
    message: str
    details: Any = None


class FindingCounts(Schema):
    """How many review findings of each severity."""

    error: int = 0
    warning: int = 0
    info: int = 0


class SummaryRow(Schema):
    """One project in one year, as the summary table shows it; money in 元.

    The self-evaluation's figures are null where there is none or the caller
    may not see it (a reviewer does not see a unit's draft). ``findings``
    adds the declaration's and the visible self-evaluation's.
    """

    declaration_id: int
    evaluation_id: int | None
    project: str
    unit: str
    department: str
    declaration_state: State
    evaluation_state: State | None
    requested: OptionalNumber
    budget: OptionalNumber
    executed: OptionalNumber
    execution_rate: OptionalNumber = Field(description="全年执行数 ÷ 全年预算数 × 100，按金额计算")
    total_score: OptionalNumber
    suggested_score: OptionalNumber = Field(description="按评分规则计算的总分")
    grade: str | None
    findings: FindingCounts


class ProjectItem(SummaryRow):
    """A row of the project list: the summary row plus the ids and year of the project."""

    year: int
    kind: Literal["project", "transfer"]
    project_id: int
    unit_id: int
    department_id: int


class ProjectPage(Schema):
    """A page of projects: ``count`` is the number matching the filters, ``items`` those from ``offset``."""

    count: int
    limit: int
    offset: int
    items: list[ProjectItem]


class RecordOut(Schema):
    """A declaration or self-evaluation: ids, state and version, and the record as the document JSON."""

    id: int
    kind: Literal["declaration", "evaluation"]
    state: State
    state_label: str
    version: int
    year: int
    project_id: int
    unit_id: int
    department_id: int
    declaration_id: int | None
    evaluation_id: int | None
    document: DocumentJSON


class FindingList(Schema):
    """The review findings of a record (the shape of ``jixiao check --format json``)."""

    count: int
    items: list[Finding]


class ActionIn(Schema):
    """A review action's comment (required to return), and optionally the version the caller saw."""

    # no NUL: PostgreSQL cannot store one (the pages' comment form refuses it too)
    comment: str = Field(default="", max_length=2000, pattern=r"^[^\x00]*$")
    version: int | None = Field(default=None, ge=1, le=MAX_ID, description="给出时，记录版本不同则拒绝（409）")


class ActionOut(Schema):
    """The record after the action."""

    id: int
    kind: Literal["declaration", "evaluation"]
    state: State
    state_label: str
    version: int


class ImportOut(Schema):
    """The ids of what an import created."""

    declarations: list[int]
    evaluations: list[int]
    organizations: list[int]
    sha256: str


class SummaryTotals(Schema):
    """The totals row: projects, those with a self-evaluation, money summed in 元, the rate of the sums, findings."""

    projects: int
    evaluated: int
    requested: OptionalNumber
    budget: OptionalNumber
    executed: OptionalNumber
    execution_rate: OptionalNumber
    findings: FindingCounts


class SummaryOut(Schema):
    """The summary table (汇总表) of what the caller may see, with its totals."""

    year: int | None
    department: int | None
    money_unit: Literal["元"]
    rows: list[SummaryRow]
    totals: SummaryTotals


# -- the document JSON -----------------------------------------------------------------------------


class _ExactNumbers(GenerateJsonSchema):
    """Decimals are JSON numbers in the document, never strings."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        return {"type": "number"}


def _limit(prop: dict[str, Any], kind: str, **limits: Any) -> None:
    branches = prop.get("anyOf", [prop])
    for branch in branches:
        if branch.get("type") == kind:
            branch.update(limits)


def _texts(part: dict[str, Any], limits: dict[str, int]) -> None:
    for key, limit in limits.items():
        _limit(part["properties"][key], "string", maxLength=limit, pattern=TEXT)


def _bounds(digits: tuple[int, int]) -> dict[str, int]:
    top = 10 ** (digits[0] - digits[1])
    return {"exclusiveMaximum": top, "exclusiveMinimum": -top}


def _points(digits: tuple[int, int]) -> dict[str, int]:
    """A weight's or a score's bounds: never below zero (intake refuses it), within the column."""
    return {"exclusiveMaximum": 10 ** (digits[0] - digits[1]), "minimum": 0}


def link_documents(node: Any) -> Any:
    """The OpenAPI schema with every place marked as a document pointing at the ``Document`` component."""
    if isinstance(node, dict):
        if node.get(DOCUMENT_MARK):
            return {"$ref": REF.format(model="Document")}
        return {key: link_documents(value) for key, value in node.items()}
    if isinstance(node, list):
        return [link_documents(value) for value in node]
    return node


def _generated(name: str) -> dict[str, Any]:
    """The document's JSON Schema as pydantic reads the core dataclasses, its parts named ``<name><Part>``."""
    generated = TypeAdapter(Document).json_schema(
        schema_generator=_ExactNumbers, ref_template=REF.format(model=name + "{model}")
    )
    defs = {f"{name}{part}": value for part, value in generated.pop("$defs").items()}
    defs[name] = generated
    for part in defs.values():
        if part.get("type") == "object":
            part["additionalProperties"] = False  # loads() refuses unknown keys
    defs[name]["properties"]["schema"] = {"type": "string", "const": SCHEMA}
    return defs


def _tighten(defs: dict[str, Any], name: str) -> None:
    """Write the import's limits (:mod:`jixiao.web.cycle.intake`) into a generated document schema."""
    doc = defs[name]
    doc["properties"]["year"] = {"type": "integer", "minimum": intake.YEARS[0], "maximum": intake.YEARS[1]}
    doc["properties"]["projects"].update(minItems=1, maxItems=intake.MAX_PROJECTS)
    doc["required"] = ["schema", "kind", "year", "projects"]
    project = defs[f"{name}Project"]
    project["required"] = ["name", "department"]
    _texts(project, intake.PROJECT_TEXT | {"unit": intake.TRANSFER_UNIT})
    project["properties"]["unit"]["description"] = (
        f"转移支付为资金使用单位（最多 {intake.TRANSFER_UNIT} 字），其余最多 200 字"
    )
    for key in ("name", "department"):
        _limit(project["properties"][key], "string", minLength=1, pattern=NAME)
    # an import needs the department: the null the core model allows is refused
    project["properties"]["department"] = project["properties"]["department"]["anyOf"][0]
    _limit(project["properties"]["money_unit"], "string", enum=list(MONEY_UNITS))
    _limit(project["properties"]["grade"], "string", enum=list(GRADES))
    for key in ("start_date", "end_date"):
        _limit(project["properties"][key], "string", pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    _limit(project["properties"]["total_score"], "number", **_bounds(intake.SCORE))
    _limit(project["properties"]["indicators"], "array", maxItems=intake.MAX_INDICATORS)
    for key, digits in intake.ROW_NUMBERS.items():
        _limit(defs[f"{name}FundRow"]["properties"][key], "number", **_bounds(digits))
    for key in ("weight", "rate_pct", "score"):
        bounds = _bounds(intake.SCORE) if key == "rate_pct" else _points(intake.SCORE)
        _limit(defs[f"{name}Execution"]["properties"][key], "number", **bounds)
    indicator = defs[f"{name}Indicator"]
    indicator["required"] = ["level1", "name"]
    _texts(indicator, intake.INDICATOR_TEXT)
    for key in ("weight", "score"):
        _limit(indicator["properties"][key], "number", **_points(intake.SCORE))
    _texts(defs[f"{name}FundManagementRow"], intake.FUND_MANAGEMENT_TEXT)


@cache
def document_components() -> dict[str, Any]:
    """The OpenAPI components of ``jixiao.document/1``, read two ways from the same core dataclasses.

    ``Document`` is what the API writes: the shape, as records hold it
    (text typed on the pages may be longer than an import accepts).
    ``DocumentIn`` is what ``POST /documents`` accepts: the same shape with
    the import's limits, so a program can check a document before sending it.
    """
    accepted = _generated("DocumentIn")
    _tighten(accepted, "DocumentIn")
    return _generated("Document") | accepted
