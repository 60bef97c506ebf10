"""The import-direction contract of docs/architecture.md, checked on the source tree.

core may import only the standard library; documents and exporters only core
(plus their format libraries, imported lazily inside functions); cli only
core, documents and exporters (Django only through call_command); web the
same three and Django, never cli (what both need lives in the inner rings);
web is the only package that imports Django; nothing under src imports tests,
benchmarks or scripts. Inside exporters, the modules that fill the report
model import the model only, never each other.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"
STDLIB = set(sys.stdlib_module_names) | {"__future__"}

# Which jixiao rings each ring may import (itself always allowed).
ALLOWED_RINGS = {
    "core": set(),
    "documents": {"core"},
    "exporters": {"core"},
    "cli": {"core", "documents", "exporters", ""},
    "web": {"core", "documents", "exporters", ""},  # never cli: the web and the CLI are both outer rings
    "": {"core"},  # jixiao/__init__.py re-exports the core API only
}
# Third-party libraries a ring may import, and whether only lazily (inside a function).
THIRD_PARTY = {
    "core": {},
    # pdfminer is pdfplumber's engine: the PDF reader bounds its stream decoders (documents/pdfstreams.py)
    "documents": {
        "openpyxl": True,
        "pdfplumber": True,
        "pdfminer": True,
        "docx": True,
        "defusedxml": True,
        "opencc": True,
        # the scan reader: Pillow and pypdfium2 come with pdfplumber, the rest with the extra .[ocr]
        "PIL": True,
        "pypdfium2": True,
        "numpy": True,
        "cv2": True,
        "rapidocr": True,
        "onnxruntime": True,
    },
    "exporters": {"openpyxl": True, "reportlab": True, "docx": True},
    "cli": {"rich": False, "django": True},
    "web": None,  # anything
    "": {},
}
FORBIDDEN_EVERYWHERE = {"tests", "benchmarks", "scripts"}


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    lazy: bool


def ring_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    if len(rel.parts) == 1:
        return rel.stem if rel.stem != "__init__" else ""
    return rel.parts[0]


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            lazy = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend(Import(a.name, child.lineno, in_function) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:  # relative import: stays inside its own package
                    continue
                found.append(Import(child.module or "", child.lineno, in_function))
            visit(child, lazy)

    visit(tree, False)
    return found


def sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def violations(path: Path, ring: str | None = None) -> list[str]:
    ring = ring_of(path) if ring is None else ring
    allowed = ALLOWED_RINGS.get(ring, set()) | {ring}
    third = THIRD_PARTY.get(ring, {})
    out: list[str] = []
    for imp in imports_of(path):
        top = imp.module.split(".")[0]
        where = f"{path.name}:{imp.line} imports {imp.module}"
        if top in FORBIDDEN_EVERYWHERE:
            out.append(f"{where}: src must not import {top}")
        elif top == "jixiao":
            parts = imp.module.split(".")
            target = parts[1] if len(parts) > 1 else ""
            if target not in allowed:
                out.append(f"{where}: ring {ring or 'jixiao'} may import only {sorted(allowed)}")
        elif top in STDLIB or third is None:
            continue
        elif top not in third:
            out.append(f"{where}: third-party {top} not allowed in ring {ring or 'jixiao'}")
        elif third[top] and not imp.lazy:
            out.append(f"{where}: {top} must be imported lazily inside a function")
        elif top == "django" and ring == "cli" and not imp.module.startswith("django.core.management"):
            out.append(f"{where}: cli reaches Django only through call_command")
    return out


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_ring_contract(path: Path) -> None:
    """Every module imports only what its ring may import."""
    assert violations(path) == []


def test_contract_catches_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself flags core importing a third-party or outer-ring module."""
    bad = tmp_path / "probe.py"
    bad.write_text("import rich\nfrom jixiao.documents import text\nimport tests\nimport json\n", encoding="utf-8")
    found = violations(bad, ring="core")
    assert len(found) == 3
    assert any("third-party rich" in v for v in found)
    assert any("may import only" in v for v in found)
    assert any("must not import tests" in v for v in found)


def test_only_web_imports_django() -> None:
    """No module outside jixiao.web imports Django at module level."""
    offenders = [
        f"{p.relative_to(SRC)}:{i.line}"
        for p in sources()
        if ring_of(p) != "web"
        for i in imports_of(p)
        if i.module.split(".")[0] == "django" and not i.lazy
    ]
    assert offenders == []


def test_contract_forbids_web_importing_cli(tmp_path: Path) -> None:
    """The web may not reach into the CLI: what both use belongs to core, documents or exporters."""
    bad = tmp_path / "probe.py"
    bad.write_text("from jixiao.cli.common import READS\nfrom jixiao.exporters.formats import RENDERERS\n")
    found = violations(bad, ring="web")
    assert len(found) == 1 and "imports jixiao.cli.common" in found[0]


# The exporters' content modules fill the neutral model (exporters/model.py); the builder (report.py)
# joins them. None imports another, so there is no cycle to hide behind a lazy import.
EXPORTER_CONTENT = ("model", "layouts", "narrative", "opendata")
RENDERER_MODULES = ("xlsx", "pdf", "docx", "csv")


def exporter_imports(path: Path) -> set[str]:
    """The jixiao.exporters modules a module imports, at any depth (``from jixiao.exporters import x`` too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "jixiao.exporters":
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jixiao.exporters."):
            found.add((node.module or "").split(".")[2])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names if a.name.startswith("jixiao.exporters."))
    return found


@pytest.mark.parametrize("name", EXPORTER_CONTENT)
def test_exporter_content_modules_import_only_the_model(name: str) -> None:
    """layouts, narrative and opendata import the model and no other content module or the builder."""
    imported = exporter_imports(SRC / "exporters" / f"{name}.py")
    assert imported <= ({"model"} if name != "model" else set()), imported


@pytest.mark.parametrize("name", RENDERER_MODULES)
def test_renderers_draw_the_model_without_building_it(name: str) -> None:
    """A renderer reads the model; it never builds a report or reaches the layouts."""
    imported = exporter_imports(SRC / "exporters" / f"{name}.py")
    assert not imported & {"report", "layouts", "narrative", "opendata", "formats"}, imported
