"""Lints templates against the variables context.py provides, naming template and location.

Each DOCX part (body, headers, footers) is patched the way docxtpl patches it, compiled in
the sandbox, and its Jinja syntax tree walked: every variable and attribute chain
(``client.nmae``, ``g.objectives[0].txt``) is resolved against the shape of a complete sample
context (``templates/sample-plan.json`` through :func:`build_context`). Loop variables take
the shape of their list's items. A PDF form's field expressions are checked the same way, and
both for the hazards of :mod:`pipeline.writers.lint_hazards` (include, format tricks, huge
ranges, folding bombs).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
from jinja2 import nodes
from PIL import Image, UnidentifiedImageError

from pipeline.errors import TxplanError
from pipeline.findings import Finding, error
from pipeline.model import Plan
from pipeline.profiles import TEMPLATES
from pipeline.writers.context import build_context
from pipeline.writers.docx.locate import locate
from pipeline.writers.lint_hazards import hazards
from pipeline.writers.sandbox import SAFE_GLOBALS, make_env

SAMPLE_PLAN = TEMPLATES / "sample-plan.json"
ANY = "any"  #: a value whose attributes cannot be known (a loop helper, a filter's result)
SCALAR = "scalar"
#: Names Jinja itself provides inside templates.
BUILTINS = {"loop", "caller", "varargs", "kwargs", *SAFE_GLOBALS}


def shape_of(value: Any) -> Any:
    """The shape of a context value: dict of shapes, ("list", item shape), or SCALAR."""
    if isinstance(value, dict):
        return {k: shape_of(v) for k, v in value.items()}
    if isinstance(value, list):
        item: Any = ANY
        for element in value:
            item = _merge(item, shape_of(element))
        return ("list", item)
    return SCALAR


def _merge(a: Any, b: Any) -> Any:
    if a == ANY:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _merge(a.get(k, ANY), b.get(k, ANY)) for k in {**a, **b}}
    return a


def sample_context() -> dict[str, Any]:
    """The context of the complete sample plan, as every template sees it."""
    plan = Plan.model_validate(json.loads(SAMPLE_PLAN.read_text(encoding="utf-8")))
    payer = SimpleNamespace(id="sample", name="Sample payer")
    agency = SimpleNamespace(id="sample", name="Sample agency", address="1 Main St",
                             phone="555-0100", fax=None, npi="1234567893", logo=None)  # fmt: skip
    return build_context(plan, payer, agency, draft=False)


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        key = node.arg.value if isinstance(node.arg, nodes.Const) else "…"
        return f"{_dotted(node.node)}[{key!r}]" if isinstance(key, str) else (
            f"{_dotted(node.node)}[{key}]")  # fmt: skip
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "(expression)"


class _Walker:
    """Resolves names and attribute chains; records (lineno, message) problems."""

    def __init__(self, shape: dict[str, Any]) -> None:
        self.root = shape
        self.problems: list[tuple[int, str, str]] = []

    def problem(self, node: nodes.Node, code: str, message: str) -> None:
        self.problems.append((node.lineno, code, message))

    def expr(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.root:
                return self.root[node.name]
            if node.name not in BUILTINS:
                self.problem(node, "TPL002", f"unknown variable {node.name!r}")
            return ANY
        if isinstance(node, nodes.Getattr):
            return self._attr(node, self.expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            self.expr(node.arg, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._attr(node, base, node.arg.value)
            if isinstance(node.arg, nodes.Slice):
                return base
            return base[1] if isinstance(base, tuple) else ANY
        for child in node.iter_child_nodes():
            self.expr(child, scope) if isinstance(child, nodes.Expr) else self.stmt(child, scope)
        return ANY

    def _attr(self, node: nodes.Node, base: Any, attr: str) -> Any:
        if attr.startswith("_"):
            inner = getattr(node, "node", None)
            if isinstance(inner, nodes.Getattr) and inner.attr.startswith("_"):
                return ANY  # reported once, on the first unsafe attribute of the chain
            self.problem(node, "TPL004", f"{_dotted(node)}: attributes starting with _ are "
                                         "not allowed (sandbox)")  # fmt: skip
            return ANY
        if isinstance(base, dict):
            if attr in base:
                return base[attr]
            known = ", ".join(sorted(base)) or "none"
            self.problem(node, "TPL003", f"unknown attribute {_dotted(node)!r} (known: {known})")
        return ANY

    def bind(self, target: nodes.Node, shape: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        else:
            for child in target.find_all(nodes.Name):
                scope[child.name] = ANY

    def stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            items = self.expr(node.iter, scope)
            inner = dict(scope)
            self.bind(node.target, items[1] if isinstance(items, tuple) else ANY, inner)
            inner["loop"] = ANY
            if node.test is not None:
                self.expr(node.test, inner)
            for child in node.body:
                self.stmt(child, inner)
            for child in node.else_:
                self.stmt(child, scope)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in getattr(node, "args", ()):
                self.bind(arg, ANY, inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY
            for child in node.iter_child_nodes():
                if child not in getattr(node, "args", ()):
                    self.stmt(child, inner) if not isinstance(child, nodes.Expr) else self.expr(
                        child, inner)  # fmt: skip
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.stmt(child, scope)


def lint_source(source: str, shape: dict[str, Any], env: jinja2.Environment | None = None):
    """Problems of one Jinja source: (lineno, code, message); syntax errors come alone."""
    env = env or make_env()
    try:
        tree = env.parse(source)
        walker = _Walker(shape)
        walker.stmt(tree, {})
        found = [*walker.problems, *hazards(tree)]
    except jinja2.TemplateSyntaxError as exc:
        return [(exc.lineno, "TPL001", f"template syntax error: {exc.message}")]
    except RecursionError:  # ((((...)))) or 1+1+...+1 thousands deep: Jinja's tree is as deep
        return [(1, "TPL001", "the template is nested too deeply to read (thousands of levels)")]
    except ValueError as exc:  # Python refuses a literal number of more than 4,300 digits
        digits = "integer string conversion" in str(exc)
        why = "a number of more than 4,300 digits" if digits else str(exc)
        return [(1, "TPL001", f"template cannot be read: {why}")]
    return sorted(found, key=lambda problem: problem[0])


def docx_parts(path: Path) -> list[tuple[str, str]]:
    """(part name, patched source) of a DOCX template's body, headers and footers."""
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(Path(path).read_bytes()))
    tpl.init_docx()
    parts = [("word/document.xml", tpl.get_xml())]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            parts.append((str(part.partname).lstrip("/"), tpl.xml_to_string(parse_xml(part.blob))))
    # A line per paragraph BEFORE patching, so line N is the Word paragraph N-1 even where
    # docxtpl removes {%p ...%} paragraphs (their lines stay, empty).
    return [(name, tpl.patch_xml(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml))) for name, xml in parts]


def lint_docx(path: Path, shape: dict[str, Any]) -> list[Finding]:
    """Findings for one DOCX template, located by part and paragraph."""
    try:
        parts = docx_parts(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable DOCX is one finding
        return [error("TPL005", str(path), f"not a readable DOCX template ({exc})")]
    found = []
    for part, source in parts:
        for lineno, code, message in lint_source(source, shape):
            found.append(error(code, locate(str(path), part, source, lineno), message))
    return found


def lint_form(fields_yaml: Path, form: Path, shape: dict[str, Any]) -> list[Finding]:
    """Findings for a PDF form's field map: expressions, and fields the form lacks."""
    from pypdf import PdfReader

    from pipeline.writers.pdf_form import load_fields

    try:
        fields = load_fields(fields_yaml)
        present = set(PdfReader(form).get_fields() or {})
    except (TxplanError, OSError, ValueError) as exc:
        return [error("TPL005", str(form), f"cannot read the form or its field map ({exc})")]
    found = []
    for field in fields:
        where = f"{fields_yaml}, field {field.name!r}"
        if field.name not in present:
            found.append(error("TPL006", where, f"the form {form.name} has no such field"))
        for _, code, message in lint_source(f"{{{{ {field.expression} }}}}", shape):
            found.append(error(code, where, message))
    return found


def lint_logo(path: Path | None, where: str) -> list[Finding]:
    """An agency's logo must be a readable image (or absent)."""
    if path is None:
        return []
    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, UnidentifiedImageError) as exc:
        return [error("TPL007", where, f"logo {path} is not a readable image ({exc})")]
    return []
