"""Every write to a record of the cycle is in the services package (issue 15): the source is scanned for it."""

from __future__ import annotations

import ast
from pathlib import Path

import jixiao

SRC = Path(jixiao.__file__).parent
SERVICES = SRC / "web" / "cycle" / "services"
MONITORING_SERVICES = SRC / "web" / "monitoring" / "services"  # monitoring's records: written there only
# the cycle's records; SourceFile (a kept upload) and SourceCorrection are the import jobs' own, written
# by jixiao.web.imports.services with their audit events
CYCLE_MODELS = frozenset(
    {
        "Project",
        "Declaration",
        "DeclarationIndicator",
        "SelfEvaluation",
        "EvaluationIndicator",
        "FundManagementItem",
        "StateChange",
        "StoredFinding",
        "Adjustment",
        "Publication",
        "MonitoringRound",
        "MonitoringRecord",
        "MonitoringRow",
        "MonitoringStateChange",
        "MonitoringFinding",
    }
)
WRITES = frozenset({"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create"})
WRITES |= {"update_or_create"}


def _holds(node: ast.AST, names: set[str]) -> bool:
    """True when the expression's value is one of ``names`` or made from one (a queryset, an instance)."""
    if isinstance(node, ast.Tuple | ast.List):  # a literal list of models or records
        return any(_holds(n, names) for n in node.elts)
    if isinstance(node, ast.IfExp | ast.BoolOp):
        return any(_holds(n, names) for n in ast.iter_child_nodes(node) if not isinstance(n, ast.boolop))
    root = _root(node)
    return isinstance(root, ast.Name) and root.id in names


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def cycle_writes(source: str) -> list[int]:
    """The lines of ``source`` that write a cycle record: a manager's write, or save()/delete() of one.

    A name holds a cycle record when it is assigned (or looped over) from an expression made from a
    cycle model or another such name (``Declaration.objects.get(…)``, ``Declaration(…)``), within its
    function; an expression that only mentions one (a filter on it) does not count.
    """
    tree = ast.parse(source)
    lines = []
    scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)] or [tree]
    for scope in scopes:
        holding: set[str] = set(CYCLE_MODELS)
        for _ in range(3):  # names assigned from names: a few rounds reach the fixed point
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign) and _holds(node.value, holding):
                    holding |= {t.id for t in node.targets if isinstance(t, ast.Name)}
                elif isinstance(node, ast.For) and _holds(node.iter, holding):
                    holding |= {t.id for t in ast.walk(node.target) if isinstance(t, ast.Name)}
        for node in ast.walk(scope):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in WRITES:
                continue
            root = _root(node.func.value)
            if isinstance(root, ast.Name) and root.id in holding:
                lines.append(node.lineno)
    return sorted(set(lines))


def test_the_scan_finds_a_write_to_a_cycle_record() -> None:
    """The scan itself: each way of writing a record is found, other objects' writes are not."""
    source = """
def f(pk, digest):
    Declaration.objects.filter(pk=pk).update(state="approved")
    decl = Declaration.objects.get(pk=pk)
    decl.save()
    for rec in SelfEvaluation.objects.all():
        rec.delete()
    StoredFinding.objects.bulk_create([])
    digest.update(b"x")
    job = ImportJob.objects.get(pk=pk)
    job.save()
    for model, field in ((Declaration, "year"), (SelfEvaluation, "declaration__year")):
        model.objects.filter(**{field: 2024}).delete()
    unused = SourceFile.objects.exclude(pk__in=Declaration.objects.values("source_file"))
    for source in unused:
        source.delete()
"""
    assert cycle_writes(source) == [3, 5, 7, 8, 13]


def test_no_write_to_a_cycle_record_outside_the_services() -> None:
    """The loader, the import jobs, the API, the views, the rule-pack choice: all write through the services."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if SERVICES in path.parents or MONITORING_SERVICES in path.parents or "migrations" in path.parts:
            continue
        for line in cycle_writes(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(SRC)}:{line}")
    assert found == []
