"""What the exporter tests share: the gold documents, read once, and a round trip through a format."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jixiao.core.model import Document
from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_bytes
from jixiao.documents.result import ImportResult
from tests.shared import GOLD_FILES


@cache
def gold_document(stem: str) -> Document:
    """The gold reading of the seed whose file name starts with ``stem`` (``000`` .. ``004``)."""
    path = next(p for p in GOLD_FILES if p.name.startswith(stem))
    return loads(path.read_text(encoding="utf-8"), source=path.name)


def gold_path(stem: str) -> Path:
    """The gold file of a seed."""
    return next(p for p in GOLD_FILES if p.name.startswith(stem))


def read_back(data: bytes, name: str) -> tuple[ImportResult, dict]:  # type: ignore[type-arg]
    """An exported file read back through the importer, and its document as JSON (as ``jixiao import`` writes it)."""
    result = import_bytes(data, name)
    return result, json.loads(dumps(result.document))


STEMS = ("000", "001", "002", "003", "004")
