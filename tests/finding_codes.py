"""Every finding code txplan can emit, found in the source, with the severities it is raised at."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

CODE = re.compile(r"^[A-Z]{2,6}[0-9]{3}$")
SEVERITY_CALLS = {"error", "warning", "info"}


def _constants(tree: ast.AST) -> dict[str, str]:
    """Module-level NAME = "CODE" assignments."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            value = node.value.value
            if isinstance(value, str) and CODE.match(value):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        out[target.id] = value
    return out


def _module(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def collect(root: Path) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """(code -> severities seen in error()/warning()/info() calls, code -> defining places).

    A name is resolved in its own module: the module's own constants, then the constants it
    imports by name from another module of the package.
    """
    trees = {_module(p, root): ast.parse(p.read_text(encoding="utf-8")) for p in root.rglob("*.py")}
    own = {module: _constants(tree) for module, tree in trees.items()}
    defined: dict[str, list[str]] = defaultdict(list)
    for module, constants in sorted(own.items()):
        for name, code in constants.items():
            defined[code].append(f"{module}.{name}")
    severities: dict[str, set[str]] = defaultdict(set)
    for module, tree in trees.items():
        names = dict(own[module])
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in own:
                for alias in node.names:
                    if alias.name in own[node.module]:
                        names[alias.asname or alias.name] = own[node.module][alias.name]
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and CODE.match(node.value):
                severities.setdefault(node.value, set())
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if fname not in SEVERITY_CALLS:
                continue
            arg = node.args[0]
            code = None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                code = arg.value
            elif isinstance(arg, ast.Name):
                code = names.get(arg.id)
            if code and CODE.match(code):
                severities[code].add(fname)
    return dict(severities), dict(defined)
