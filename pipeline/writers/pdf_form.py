"""Fills a payer's fillable PDF form (AcroForm) with pypdf from the template context.

The payer folder's ``fields.yaml`` names every form field and the Jinja expression that fills
it; expressions run in the same sandbox as DOCX templates and see the same variables. A
checkbox is ticked when its expression is true. Text longer than its field and the items the
form has no slot for (``addendum:`` sections) go on addendum pages (form_addendum.py); every
page names the client and says "Page X of Y". ``flatten`` (the profile's ``render.flatten``,
true unless it says otherwise) burns the values into the page and removes the fields;
``draft`` stamps DRAFT on every page.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from pipeline.bounded import load_yaml
from pipeline.errors import ConfigError, InputError, TemplateError
from pipeline.model import Plan
from pipeline.writers import Rendered, WriterOptions
from pipeline.writers.clean import clean_plan
from pipeline.writers.context import build_context
from pipeline.writers.form_addendum import (
    addendum_pdf,
    append_pages,
    fit_values,
    number_pages,
    widget_boxes,
)
from pipeline.writers.marking import DRAFT_MARK, plan_properties
from pipeline.writers.sandbox import guarded, make_env
from pipeline.writers.templates import load_template

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


def addendum_lines(sections: tuple[tuple[str, str], ...], context: dict[str, Any],
                   where: str) -> list[tuple[str, list[str]]]:  # fmt: skip
    """Each addendum section's lines, its expression evaluated in the sandbox."""
    out = []
    for title, expression in sections:
        place = f"{where}, addendum {title!r}"
        expr = guarded(place, lambda e=expression: _compiled(e))
        value = guarded(place, lambda e=expr: e(**context))
        out.append((title, [str(v) for v in (value or []) if v]))
    return out


def field_values(fields: tuple[FormField, ...], context: dict[str, Any], where: str) -> dict:
    """Evaluate every field's expression in the sandbox: text as str, checkboxes as bool."""
    values: dict[str, str | bool] = {}
    for field in fields:
        place = f"{where}, field {field.name!r}"
        expr = guarded(place, lambda f=field: _compiled(f.expression))
        value = guarded(place, lambda e=expr: e(**context))
        if field.checkbox:
            values[field.name] = bool(value)
        else:
            values[field.name] = "" if value is None else str(value)
    return values


def _stamp(writer: PdfWriter) -> None:
    """Draw DRAFT_MARK at the top of every page (a stamp page merged over each)."""
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
        }
    )
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stamp = PageObject.create_blank_page(width=width, height=height)
        stream = DecodedStreamObject()
        stream.set_data(
            f"q 0.75 0 0 rg BT /TxDraft 22 Tf {width / 2 - 150:.1f} {height - 70:.1f} Td "
            f"({DRAFT_MARK}) Tj ET Q".encode()
        )
        stamp[NameObject("/Contents")] = stream
        stamp[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/TxDraft"): font})}
        )
        page.merge_page(stamp)


@functools.lru_cache(maxsize=8)
def _parsed_form(data: bytes) -> tuple[PdfReader, frozenset[str], dict[str, tuple[float, float]]]:
    """A form parsed once per process and version (keyed by its bytes): the reader every
    plan's writer is cloned from (never changed itself), its field names and widget boxes.
    Cloning from a reader whose objects are already parsed skips the parsing each plan paid."""
    reader = PdfReader(io.BytesIO(data))
    return reader, frozenset(reader.get_fields() or {}), widget_boxes(reader)


def _form(template: Path) -> tuple[PdfReader, frozenset[str], dict[str, tuple[float, float]]]:
    return _parsed_form(load_template(template))


def clear_cache() -> None:
    """Forget parsed forms, field maps and compiled expressions (the next form parses anew)."""
    _parsed.cache_clear()
    _parsed_form.cache_clear()
    _compiled.cache_clear()
    _env.cache_clear()


def fill_form(
    plan: Plan, payer: Any, agency: Any, *, flatten: bool | None = None, draft: bool = False
) -> bytes:
    """The payer's PDF form filled for one plan, with its addendum; flattened unless
    ``flatten`` or the profile's ``render.flatten`` is false."""
    if flatten is None:
        flatten = bool((getattr(payer, "render", None) or {}).get("flatten", True))
    plan = clean_plan(plan)
    template = Path(payer.template)
    field_map = Path(payer.directory) / FIELDS_FILE
    fields = load_fields(field_map)
    context = build_context(plan, payer, agency, draft=draft)
    values = field_values(fields, context, str(field_map))
    sections = addendum_lines(load_addendum(field_map), context, str(field_map))
    try:
        reader, present, boxes_of = _form(template)
        writer = PdfWriter(clone_from=reader)
    except PdfReadError as exc:
        raise ConfigError(f"not a readable PDF form ({exc})", str(template)) from exc
    missing = sorted(set(values) - present)
    if missing:
        raise TemplateError(
            f"fields.yaml names fields the form does not have: {', '.join(missing)}; "
            "rebuild the form (scripts/make_templates.py) or fix the field map",
            str(template),
        )
    text = {k: v for k, v in values.items() if isinstance(v, str)}
    labels = {f.name: f.label for f in fields}
    text, overflow = fit_values(text, boxes_of, labels)
    boxes = {k: ("/Yes" if v else "/Off") for k, v in values.items() if isinstance(v, bool)}
    writer.set_need_appearances_writer(True)
    for page in writer.pages:
        writer.update_page_form_field_values(
            page, {**text, **boxes}, auto_regenerate=False, flatten=flatten
        )
    if flatten:
        writer.remove_annotations(subtypes="/Widget")
        if "/AcroForm" in writer._root_object:
            del writer._root_object["/AcroForm"]
    who = f"{context['client']['name']} · Client ID {context['client']['id']}"
    extra = addendum_pdf(f"Addendum to the {payer.name}: {who}", overflow, sections)
    if extra is not None:
        append_pages(writer, extra)
    number_pages(writer, who)
    if draft:
        _stamp(writer)
    props = plan_properties(plan, payer, agency, payer.name)
    writer.add_metadata({"/Title": props["title"], "/Author": props["author"],
                         "/Subject": props["subject"], "/Producer": "txplan"})  # fmt: skip
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(plan: Plan, payer: Any, agency: Any, options: WriterOptions) -> tuple[Rendered, ...]:
    """The registry's PDF-form writer; ``options.flatten`` None takes the payer's own."""
    data = fill_form(plan, payer, agency, flatten=options.flatten, draft=options.draft)
    return (Rendered(".pdf", data),)


def prepare(payer: Any, agency: Any, options: WriterOptions) -> None:
    """Parse the form and its field map once per batch, so forked workers inherit them
    (each plan's writer is then cloned from the parsed form; expressions compile in the
    worker, under its time limit)."""
    try:
        _form(Path(payer.template))
        _spec(Path(payer.directory) / FIELDS_FILE)
    except (ConfigError, PdfReadError, OSError):
        pass  # the render reports it, located, for each plan
