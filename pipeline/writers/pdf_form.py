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

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from pipeline.errors import ConfigError, TemplateError
from pipeline.findings import info
from pipeline.model import Plan
from pipeline.writers import Rendered, WriterOptions
from pipeline.writers.clean import clean_plan
from pipeline.writers.context import build_context
from pipeline.writers.form_addendum import (
    addendum_layout,
    addendum_pdf,
    append_pages,
    fit_values,
    number_pages,
    widget_boxes,
)
from pipeline.writers.marking import DRAFT_MARK, plan_properties
from pipeline.writers.pdfform import STOCK_PATH, fast
from pipeline.writers.pdfform import fields as fieldmap
from pipeline.writers.pdfform.fields import (
    FIELDS_FILE,
    FormField,
    addendum_lines,
    evaluate,
    field_values,
    load_addendum,
    load_fields,
    variables,
)
from pipeline.writers.pdfform.skeleton import Unsupported, compile_form
from pipeline.writers.templates import load_template


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
    fieldmap.clear_cache()
    _field_map_version.cache_clear()
    _parsed_form.cache_clear()
    compile_form.cache_clear()


@dataclass(frozen=True)
class _FieldMap:
    """A form's field map as every plan's fill uses it (once per file version)."""

    fields: tuple[FormField, ...]
    sections: tuple[tuple[str, str], ...]
    names: frozenset[str]  #: the context variables it uses (and the footer's client)
    labels: dict[str, str]  #: field name -> label
    where: str


def _field_map(path: Path) -> _FieldMap:
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # load_fields reports it, located
    return _field_map_version(path, stamp)


@functools.lru_cache(maxsize=16)
def _field_map_version(path: Path, mtime_ns: int) -> _FieldMap:
    fields, sections = load_fields(path), load_addendum(path)
    names = variables(fields, sections) | {"client"}  # the footer names the client
    return _FieldMap(fields, sections, names, {f.name: f.label for f in fields}, str(path))


#: How many forms each path wrote in this process (``fallback``: plans the fast path handed
#: to the stock path, by reason); the benchmark and the build's summary report them.
STATS: dict[str, Any] = {"fast": 0, "stock": 0, "fallback": {}}
#: ``renderer`` values: the fast path with the stock path for what it cannot do (auto), the
#: fast path or an error (fast), the stock pypdf path alone (stock; also DOCX's "docxtpl").
FORM_RENDERERS = ("auto", "fast", "stock")


def fill_form(
    plan: Plan,
    payer: Any,
    agency: Any,
    *,
    flatten: bool | None = None,
    draft: bool = False,
    renderer: str = "auto",
    cleaned: bool = False,
) -> bytes:
    """The payer's PDF form filled for one plan, with its addendum; flattened unless
    ``flatten`` or the profile's ``render.flatten`` is false. ``renderer`` picks the path
    (:data:`FORM_RENDERERS`); ``cleaned``: the plan has been through ``clean_plan``."""
    return filled(plan, payer, agency, flatten=flatten, draft=draft, renderer=renderer,
                  cleaned=cleaned)[0]  # fmt: skip


def filled(
    plan: Plan,
    payer: Any,
    agency: Any,
    *,
    flatten: bool | None = None,
    draft: bool = False,
    renderer: str = "auto",
    cleaned: bool = False,
) -> tuple[bytes, str | None]:
    """:func:`fill_form` and why the fast path handed this plan to the stock path (None:
    it did not, or ``renderer`` asked for the stock path)."""
    if flatten is None:
        flatten = bool((getattr(payer, "render", None) or {}).get("flatten", True))
    if not cleaned:
        plan = clean_plan(plan)
    template = Path(payer.template)
    form = _field_map(Path(payer.directory) / FIELDS_FILE)
    fields, sections = form.fields, form.sections
    context = build_context(plan, payer, agency, draft=draft, names=form.names)
    values, lines = evaluate(fields, sections, context, form.where)
    data = load_template(template)
    try:
        reader, present, boxes_of = _parsed_form(data)
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
    text, overflow = fit_values(text, boxes_of, form.labels)
    boxes = {k: v for k, v in values.items() if isinstance(v, bool)}
    who = f"{context['client']['name']} · Client ID {context['client']['id']}"
    title = f"Addendum to the {payer.name}: {who}"
    props = plan_properties(plan, payer, agency, payer.name)
    info = {"/Title": props["title"], "/Author": props["author"],
            "/Subject": props["subject"], "/Producer": "txplan"}  # fmt: skip
    fell_back = None
    if renderer != "stock":
        try:
            skeleton = compile_form(data, frozenset(values), flatten)
            out = fast.fill(skeleton, text, boxes, addendum_layout(title, overflow, lines),
                            who, draft, info)  # fmt: skip
            STATS["fast"] += 1
            return out, None
        except (Unsupported, fast.Fallback) as exc:
            if renderer == "fast":
                raise TemplateError(f"the fast form writer cannot fill this form: {exc}",
                                    str(template)) from exc  # fmt: skip
            fell_back = str(exc)
            reason = fell_back.split(":")[0]
            STATS["fallback"][reason] = STATS["fallback"].get(reason, 0) + 1
    STATS["stock"] += 1
    writer = PdfWriter(clone_from=reader)
    boxes = {k: ("/Yes" if v else "/Off") for k, v in boxes.items()}
    writer.set_need_appearances_writer(True)
    for page in writer.pages:
        writer.update_page_form_field_values(
            page, {**text, **boxes}, auto_regenerate=False, flatten=flatten
        )
    if flatten:
        writer.remove_annotations(subtypes="/Widget")
        if "/AcroForm" in writer._root_object:
            del writer._root_object["/AcroForm"]
    extra = addendum_pdf(title, overflow, lines)
    if extra is not None:
        append_pages(writer, extra)
    number_pages(writer, who)
    if draft:
        _stamp(writer)
    writer.add_metadata(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), fell_back


def write(plan: Plan, payer: Any, agency: Any, options: WriterOptions) -> tuple[Rendered, ...]:
    """The registry's PDF-form writer; ``options.flatten`` None takes the payer's own."""
    renderer = options.renderer if options.renderer in FORM_RENDERERS else "stock"
    data, fell_back = filled(plan, payer, agency, flatten=options.flatten,
                             draft=options.draft, renderer=renderer, cleaned=True)  # fmt: skip
    if fell_back is None:
        return (Rendered(".pdf", data),)
    note = info(STOCK_PATH, f"client {plan.client.id}",
                f"{payer.id}: filled by the stock pypdf path (slower): {fell_back}")  # fmt: skip
    return (Rendered(".pdf", data, (note,)),)


def prepare(payer: Any, agency: Any, options: WriterOptions) -> None:
    """Parse the form and its field map and compile the fast path's skeleton once per batch
    and worker (the batch job calls it in each worker, on first use and under the render's
    time limit)."""
    flatten = options.flatten if options is not None else None
    if flatten is None:
        flatten = bool((getattr(payer, "render", None) or {}).get("flatten", True))
    try:
        data = load_template(Path(payer.template))
        _parsed_form(data)
        names = frozenset(f.name for f in load_fields(Path(payer.directory) / FIELDS_FILE))
        compile_form(data, names, flatten)
    except (ConfigError, PdfReadError, OSError, Unsupported):
        pass  # the render reports it, located, for each plan (or takes the stock path)


#: Names kept here for the callers that import them from this module.
__all__ = [
    "FIELDS_FILE",
    "FORM_RENDERERS",
    "STATS",
    "STOCK_PATH",
    "FormField",
    "addendum_lines",
    "clear_cache",
    "field_values",
    "fill_form",
    "filled",
    "load_addendum",
    "load_fields",
    "prepare",
    "write",
]
