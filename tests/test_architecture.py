"""The package's shape holds: no import cycles, dependencies point down, no private crossings.

Layers, lowest first (a package imports only packages of a lower layer, and itself):
contracts (model, errors, findings, resources) -> clinical -> profiles -> readers, goalbank,
rules -> merge -> versions -> writers -> batch -> web -> cli (``txplan serve`` starts the web
app). Imports inside functions count; imports under ``if TYPE_CHECKING:`` do not (they never
run).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.support import ROOT

PACKAGE = ROOT / "pipeline"
LAYERS = {
    "pipeline": 0, "model": 0, "errors": 0, "findings": 0, "resources": 0, "atomic": 0,
    "clinical": 1, "bounded": 1,
    "profiles": 2,
    "readers": 3, "goalbank": 3, "rules": 3,
    "merge": 4,
    "versions": 5,
    "writers": 6,
    "batch": 7,
    "web": 8,
    "cli": 9,  # the outermost shell: `txplan serve` starts the web app
}  # fmt: skip


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _runtime_imports(path: Path) -> list[ast.ImportFrom | ast.Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom) and id(n) not in skip
    ]


def _targets(node: ast.ImportFrom | ast.Import, modules: dict[str, Path]) -> list[str]:
    """The package modules an import statement loads (``from pkg import mod`` loads mod)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in modules]
    if node.level or not node.module or node.module not in modules:
        return []
    subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules]
    return [node.module, *subs]


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in _runtime_imports(path):
            graph[name].update(t for t in _targets(node, modules) if t != name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "pipeline"


def _ancestors(module: str) -> set[str]:
    """A package's own __init__ modules: importing a submodule runs them, not a cycle."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycle_between_modules() -> None:
    graph = _graph()
    pruned = {m: {t for t in ts if t not in _ancestors(m)} for m, ts in graph.items()}
    assert _cycles(pruned) == []


def test_no_import_cycle_between_packages() -> None:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in _graph().items():
        for target in targets:
            if _package(module) != _package(target):
                packages[_package(module)].add(_package(target))
    assert _cycles(packages) == []


def test_dependencies_point_down_the_layers() -> None:
    upward = []
    for module, targets in _graph().items():
        source = _package(module)
        assert source in LAYERS, f"{module}: add its package to LAYERS in this test"
        for target in targets:
            dest = _package(target)
            if dest != source and LAYERS[dest] >= LAYERS[source]:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_no_private_name_imported_across_modules() -> None:
    modules = _modules()
    crossings = []
    files = sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    for path in files:
        for node in _runtime_imports(path):
            if isinstance(node, ast.ImportFrom) and node.module in modules:
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        crossings.append(f"{path.relative_to(ROOT)}: {node.module}.{alias.name}")
    assert crossings == []
