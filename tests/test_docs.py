"""The project's documents: every document the code cites exists, and every test the promises name is real."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Cited by name but kept outside this repository, with why: none, every document the code cites is here.
ELSEWHERE: dict[str, str] = {}


def _cited_names() -> dict[str, list[str]]:
    """Every bare ``something.md`` cited in the source and the docs, with where."""
    found: dict[str, list[str]] = {}
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "src").rglob("*.html"), *DOCS.rglob("*.md"), *DOCS.glob("*.json")]
    for path in files:
        if "vendor" in path.parts:
            continue
        for name in re.findall(r"\b([a-z0-9-]+\.md)\b", path.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def test_the_documents_the_project_cites_exist() -> None:
    """reliability.md, document-schema.md and every other document cited by name are in docs/ (or known elsewhere)."""
    cited = _cited_names()
    assert {"reliability.md", "document-schema.md", "deployment.md"} <= set(cited)
    missing = {
        name: where
        for name, where in cited.items()
        if name not in ELSEWHERE and not list(DOCS.rglob(name)) and not (ROOT / name).exists()
    }
    assert missing == {}


def test_no_source_cites_what_is_not_in_the_repository() -> None:
    """A reader of the code never needs ../shared: no comment, docstring, rule pack or check cites it."""
    outside = re.compile(r"\.\./shared|shared/docs|/work/shared")
    files = [p for p in (ROOT / "src").rglob("*") if p.suffix in (".py", ".toml", ".html", ".js")]
    files += [ROOT / "docs" / "rules.md", ROOT / "docs" / "architecture.md", ROOT / "docs" / "domain.md"]
    cited = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in files
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if outside.search(line)
    ]
    assert cited == []


def test_every_section_of_the_rules_cited_exists() -> None:
    """Each ``docs/domain.md §N`` the code, the packs and the checks cite is a section of docs/domain.md."""
    headings = set(re.findall(r"^## (§\d+) ", (DOCS / "domain.md").read_text(encoding="utf-8"), re.M))
    files = [p for p in (ROOT / "src").rglob("*") if p.suffix in (".py", ".toml")] + [DOCS / "rules.md"]
    cited = {s for p in files for s in re.findall(r"docs/domain\.md (§\d+)", p.read_text(encoding="utf-8"))}
    assert {"§2", "§4", "§5", "§6"} <= cited  # the checks, the packs and the exporters cite it
    assert cited <= headings
    bare = [str(p) for p in files if re.search(r"(?<!docs/)\bdomain\.md", p.read_text(encoding="utf-8"))]
    assert bare == []  # always by its path in this repository


def test_every_test_the_promises_name_exists() -> None:
    """Each ``tests/….py::name`` (and each following ``::name``) in reliability.md is a test function in that file."""
    text = (DOCS / "reliability.md").read_text(encoding="utf-8")
    current: Path | None = None
    named = 0
    for path, name in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", text):
        if path:
            current = ROOT / path
            assert current.is_file(), path
        if name:
            assert current is not None, name
            assert re.search(rf"^def {name}\(", current.read_text(encoding="utf-8"), re.M), f"{current}::{name}"
            named += 1
    assert named >= 40


def _properties(node: Any) -> set[str]:
    """Every property name anywhere in a JSON schema."""
    out: set[str] = set()
    if isinstance(node, dict):
        out |= set(node.get("properties", {}))
        for value in node.values():
            out |= _properties(value)
    elif isinstance(node, list):
        for value in node:
            out |= _properties(value)
    return out


def test_the_schema_page_describes_every_field() -> None:
    """document-schema.md names every field of document.schema.json."""
    schema = json.loads((DOCS / "document.schema.json").read_text(encoding="utf-8"))
    page = (DOCS / "document-schema.md").read_text(encoding="utf-8")
    assert {p for p in _properties(schema) if f"`{p}`" not in page} == set()
