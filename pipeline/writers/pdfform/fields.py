"""A fillable form's field map (``fields.yaml``) and its expressions, evaluated in the sandbox.

The payer folder's ``fields.yaml`` names every form field and the Jinja expression that fills
it; expressions run in the same sandbox as DOCX templates and see the same variables. A
checkbox is ticked when its expression is true. The ``addendum:`` sections give lists of lines
for what the form has no slot for. :func:`evaluate` runs every expression of a field map in
one compiled template (one Jinja context a plan instead of one an expression) and, on any
failure, evaluates them one by one so the error names its field.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Undefined, meta, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.parser import Parser

from pipeline.bounded import load_yaml
from pipeline.errors import ConfigError, InputError, TemplateError
from pipeline.writers.sandbox import guarded, make_env

FIELDS_FILE = "fields.yaml"


@dataclass(frozen=True)
class FormField:
    """One form field and the expression that fills it."""

    name: str
    expression: str
    checkbox: bool = False
    label: str = ""


def _spec(path: Path) -> Any:
    """The parsed ``fields.yaml`` (parsed once per file version: YAML parsing was ~40 % of a
    filled form's time)."""
    path = Path(path)
    try:
        return _parsed(path, path.stat().st_mtime_ns)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, InputError) as exc:
        raise ConfigError(f"cannot read the form's field map ({exc})", str(path)) from exc


@functools.lru_cache(maxsize=32)
def _parsed(path: Path, mtime_ns: int) -> Any:
    return load_yaml(path.read_text(encoding="utf-8"), str(path))


def load_fields(path: Path) -> tuple[FormField, ...]:
    """The field map of a form (``fields.yaml``: sections -> rows -> fields)."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # _spec reports it
    return _fields(path, stamp)


@functools.lru_cache(maxsize=32)
def _fields(path: Path, mtime_ns: int) -> tuple[FormField, ...]:
    spec = _spec(path)
    fields = []
    try:
        for s, section in enumerate(spec["sections"], start=1):
            for r, row in enumerate(section["rows"], start=1):
                for item in row:
                    if "name" not in item or "value" not in item:
                        raise ConfigError(
                            "each field needs a name and a value expression",
                            f"{path}, section {s}, row {r}",
                        )
                    kind = item.get("kind", "text")
                    fields.append(FormField(item["name"], str(item["value"]), kind == "checkbox",
                                            str(item.get("label", item["name"]))))  # fmt: skip
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"expected sections: [{{title, rows}}] ({exc})", str(path)) from exc
    return tuple(fields)


def load_addendum(path: Path) -> tuple[tuple[str, str], ...]:
    """The field map's ``addendum:`` sections: (title, expression giving a list of lines)."""
    spec = _spec(path) or {}
    try:
        return tuple((str(a["title"]), str(a["lines"])) for a in spec.get("addendum") or ())
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"addendum: expected [{{title, lines}}] ({exc})", str(path)) from exc


@functools.lru_cache(maxsize=1)
def _env() -> Any:
    return make_env(autoescape=False)


@functools.lru_cache(maxsize=4096)
def _compiled(expression: str) -> Any:
    """A field expression compiled once per process (in the worker, under its time limit)."""
    return _env().compile_expression(expression)


def clear_cache() -> None:
    """Forget parsed field maps and compiled expressions."""
    _parsed.cache_clear()
    _fields.cache_clear()
    _compiled.cache_clear()
    _combined.cache_clear()
    variables.cache_clear()
    _env.cache_clear()


def addendum_lines(sections: tuple[tuple[str, str], ...], context: dict[str, Any],
                   where: str) -> list[tuple[str, list[str]]]:  # fmt: skip
    """Each addendum section's lines, its expression evaluated in the sandbox."""
    out = []
    for title, expression in sections:
        place = f"{where}, addendum {title!r}"
        expr = guarded(place, lambda e=expression: _compiled(e))
        value = guarded(place, lambda e=expr: e(**context))
        out.append((title, _lines(value)))
    return out


def _lines(value: Any) -> list[str]:
    return [str(v) for v in (value or []) if v]


def _field_value(field: FormField, value: Any) -> str | bool:
    if field.checkbox:
        return bool(value)
    return "" if value is None else str(value)


def field_values(fields: tuple[FormField, ...], context: dict[str, Any], where: str) -> dict:
    """Evaluate every field's expression in the sandbox: text as str, checkboxes as bool."""
    values: dict[str, str | bool] = {}
    for field in fields:
        place = f"{where}, field {field.name!r}"
        expr = guarded(place, lambda f=field: _compiled(f.expression))
        values[field.name] = _field_value(field, guarded(place, lambda e=expr: e(**context)))
    return values


_RESULT = "txplan_result_"


@functools.lru_cache(maxsize=64)
def _combined(expressions: tuple[str, ...]) -> Any:
    """All expressions as one template assigning ``txplan_result_0``, ``txplan_result_1``, ...
    (what ``compile_expression`` builds for one, repeated); None if one does not parse or
    names a variable of that form (it would see an earlier result)."""
    env = _env()
    body = []
    for number, source in enumerate(expressions):
        parser = Parser(env, source, state="variable")
        try:
            expr = parser.parse_expression()
            if not parser.stream.eos:
                return None
        except TemplateSyntaxError:
            return None
        found = [expr, *expr.find_all(nodes.Name)]
        if any(isinstance(n, nodes.Name) and n.name.startswith(_RESULT) for n in found):
            return None
        body.append(nodes.Assign(nodes.Name(f"{_RESULT}{number}", "store"), expr, lineno=1))
    return env.from_string(nodes.Template(body, lineno=1))


@functools.lru_cache(maxsize=64)
def variables(fields: tuple[FormField, ...], sections: tuple[tuple[str, str], ...]) -> frozenset:
    """The template variables a field map uses (the context may leave the others out)."""
    names: set[str] = set()
    env = _env()
    for source in [f.expression for f in fields] + [s for _, s in sections]:
        try:
            names |= meta.find_undeclared_variables(env.parse("{{ " + source + " }}"))
        except TemplateSyntaxError:
            return frozenset({"*"})  # evaluation reports it, located
    return frozenset(names)


def evaluate(fields: tuple[FormField, ...], sections: tuple[tuple[str, str], ...],
             context: dict[str, Any], where: str) -> tuple[dict, list]:  # fmt: skip
    """:func:`field_values` and :func:`addendum_lines` in one Jinja context; the same results
    (any failure is re-run one expression at a time, so the error names its field)."""
    template = _combined(tuple(f.expression for f in fields) + tuple(s for _, s in sections))
    if template is not None:
        try:
            ctx = template.new_context(dict(context))
            for _ in template.root_render_func(ctx):
                pass
            got = [ctx.vars[f"{_RESULT}{n}"] for n in range(len(fields) + len(sections))]
        except Exception:  # noqa: BLE001 - located below, one expression at a time
            template = None
    if template is None:
        return field_values(fields, context, where), addendum_lines(sections, context, where)
    got = [None if isinstance(v, Undefined) else v for v in got]
    values = {f.name: _field_value(f, v) for f, v in zip(fields, got, strict=False)}
    lines = [(title, _lines(v)) for (title, _), v in zip(sections, got[len(fields):],
                                                          strict=True)]  # fmt: skip
    return values, lines


__all__ = [
    "FIELDS_FILE",
    "FormField",
    "TemplateError",
    "addendum_lines",
    "evaluate",
    "field_values",
    "load_addendum",
    "load_fields",
    "variables",
]
