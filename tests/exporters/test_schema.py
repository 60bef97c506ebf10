"""docs/document.schema.json describes the document JSON: the gold files, the examples' readings and exports fit it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from jixiao.core.serialize import dumps
from jixiao.exporters.report import build_report
from tests.exporters.helpers import gold_document, read_back
from tests.shared import GOLD_FILES

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "document.schema.json").read_text(encoding="utf-8"))
EXPECTED = sorted((ROOT / "tests" / "documents" / "expected").rglob("*.json"))


def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)


def test_schema_is_a_valid_json_schema() -> None:
    """The published schema is itself valid (JSON Schema 2020-12)."""
    assert SCHEMA["$schema"].endswith("2020-12/schema")
    _validator()


@pytest.mark.shared
@pytest.mark.parametrize("path", [*GOLD_FILES, *EXPECTED], ids=lambda p: p.name)
def test_documents_fit_the_schema(path: Path) -> None:
    """Every gold file and every expected example reading validates against the schema."""
    errors = list(_validator().iter_errors(json.loads(path.read_text(encoding="utf-8"))))
    assert errors == []


@pytest.mark.shared
def test_schema_refuses_what_the_loader_refuses() -> None:
    """An unknown kind, an unknown field and a grade outside 优/良/中/差 are schema errors."""
    doc = json.loads(dumps(gold_document("002")))
    validator = _validator()
    assert not list(validator.iter_errors(doc))
    for broken in (
        {**doc, "kind": "budget"},
        {**doc, "extra": 1},
        {**doc, "projects": [{**doc["projects"][0], "grade": "A"}]},
        {**doc, "projects": [{**doc["projects"][0], "start_date": "2024年1月"}]},
    ):
        assert list(validator.iter_errors(broken))


@pytest.mark.shared
def test_documents_read_back_from_an_export_fit_the_schema() -> None:
    """What the XLSX reader yields is valid document JSON."""
    from jixiao.exporters import xlsx

    _, predicted = read_back(xlsx.render(build_report(gold_document("003"))), "003.xlsx")
    assert list(_validator().iter_errors(predicted)) == []


def test_a_monitoring_document_fits_the_schema() -> None:
    """A monitoring document (as_of, forecasts, causes, likelihoods, remedies), written and read back, validates."""
    from jixiao.exporters import xlsx
    from tests.exporters.helpers import monitoring_document

    document = monitoring_document()
    written = json.loads(dumps(document))
    validator = _validator()
    assert list(validator.iter_errors(written)) == []
    _, predicted = read_back(xlsx.render(build_report(document)), "monitoring.xlsx")
    assert predicted["kind"] == "monitoring"
    assert list(validator.iter_errors(predicted)) == []


def test_schema_refuses_a_monitoring_value_the_loader_refuses() -> None:
    """A cause type or a likelihood outside the form's lists, or an as-of date not YYYY-MM-DD, is a schema error."""
    from tests.exporters.helpers import monitoring_document

    doc = json.loads(dumps(monitoring_document()))
    project = doc["projects"][0]
    first = project["indicators"][0]
    validator = _validator()
    for broken in (
        {**project, "indicators": [{**first, "cause": ["资金不足"]}]},
        {**project, "indicators": [{**first, "likelihood": "基本确定"}]},
        {**project, "as_of": "7月31日"},
        {**project, "funds": {"total": {"forecast": "一百万"}}},
    ):
        assert list(validator.iter_errors({**doc, "projects": [broken]}))
