"""The DOCX writer: a plan in a payer's template, under the agency's letterhead, as DOCX.

:func:`render_document` picks the renderer: by default the compile-once fast path
(:mod:`~pipeline.writers.docx.fast`), stock docxtpl (:mod:`~pipeline.writers.docx.stock`) for
templates it cannot reproduce exactly; :func:`write` and :func:`prepare` are what the writer
registry (:mod:`pipeline.writers`) calls.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from pipeline.errors import ConfigError, TemplateError
from pipeline.model import Plan
from pipeline.writers import Rendered, WriterOptions, check_renderer
from pipeline.writers.clean import clean_plan
from pipeline.writers.context import build_context, date_format
from pipeline.writers.docx import fast, stock
from pipeline.writers.docx.package import finish
from pipeline.writers.docx.pictures import embed_charts
from pipeline.writers.docx.rows import split_tall_rows
from pipeline.writers.marking import plan_properties
from pipeline.writers.usage import Fields

#: Makes a template's context for the names it uses (None: every variable) and what it reads
#: of them (None: all; see :mod:`pipeline.writers.usage`).
ContextFor = Callable[[frozenset[str] | None, Fields | None], dict[str, Any]]


def render_document(template: Path, context: dict[str, Any] | ContextFor, agency: Any, *,
                    draft: bool, properties: dict, renderer: str = "auto") -> bytes:  # fmt: skip
    """One rendered document: the template, the letterhead, DRAFT and properties, as DOCX.

    ``context`` is the template's variables, or a function making them for the names the
    template uses (the fast path knows them, so a context need not hold the others).
    Tall table rows are free to split (:mod:`~pipeline.writers.docx.rows`): the fast path
    frees them in the body before compressing it, the stock path in its finished package.
    Both renderers give the same XML in every part (tests/writers/docx/test_fast.py); a Jinja error
    on the fast path is reported by the stock path, which names template, part and paragraph.
    """
    check_renderer(renderer)
    try:
        return _render(template, context, agency, draft=draft, properties=properties,
                       renderer=renderer)  # fmt: skip
    except (RecursionError, ValueError, TypeError) as exc:
        # Jinja gives no TemplateError for a template nested thousands deep, a literal of
        # 4,300+ digits or an {% include %}; the template lint names the place and the reason.
        from pipeline.writers.lint import lint_docx, sample_context, shape_of

        found = lint_docx(Path(template), shape_of(sample_context()))
        if not found:
            raise
        raise TemplateError(found[0].message, found[0].where) from exc


def _render(template: Path, context: dict[str, Any] | ContextFor, agency: Any, *,
            draft: bool, properties: dict, renderer: str) -> bytes:  # fmt: skip
    context_for = context if callable(context) else lambda names, fields: context
    if renderer != "docxtpl":
        try:
            compiled = fast.compiled_for(template, agency, draft=draft)
            return compiled.render(context_for(compiled.names, compiled.fields), properties)
        except fast.Unsupported as exc:
            if renderer == "fast":
                message = f"the fast renderer cannot render this template: {exc}"
                hint = "; use --renderer auto or docxtpl"
                raise ConfigError(message + hint, str(template)) from exc
        except jinja2.TemplateError:
            pass  # the stock path raises it again, located
    document = stock.render_template(Path(template), context_for(None, None))
    return split_tall_rows(finish(document, agency, draft=draft, properties=properties))


def render_docx(plan: Plan, payer: Any, agency: Any, *, draft: bool = False,
                renderer: str = "auto") -> bytes:  # fmt: skip
    """The payer's document for one plan as DOCX bytes (byte-identical for the same input).

    Where the template printed a measure's chart marker, the chart is embedded after
    rendering, the same way for both renderers (:mod:`~pipeline.writers.docx.pictures`).
    """
    return _render_clean(clean_plan(plan), payer, agency, draft=draft, renderer=renderer)


def _render_clean(plan: Plan, payer: Any, agency: Any, *, draft: bool, renderer: str) -> bytes:
    """:func:`render_docx` for a plan already cleaned (the registry cleans every plan once)."""
    props = plan_properties(plan, payer, agency, payer.name)
    template = payer.template  # (a profile's is a Path already: not made again each plan)
    template = template if isinstance(template, Path) else Path(template)
    data = render_document(template, plan_context(plan, payer, agency, draft=draft),
                           agency, draft=draft, properties=props, renderer=renderer)  # fmt: skip
    return embed_charts(data, plan, date_format(payer))


def plan_context(plan: Plan, payer: Any, agency: Any, *, draft: bool) -> ContextFor:
    """The plan's context, made for the names a template uses and what it reads of them.

    Both renderers only read it (the templates run in the immutable sandbox; the fast path
    compares a part's values, never changes them), so what the context keeps by content is
    shared, not copied (``build_context(shared=True)``)."""
    return lambda names, fields: build_context(plan, payer, agency, draft=draft, names=names,
                                               fields=fields, shared=True)  # fmt: skip


def write(plan: Plan, payer: Any, agency: Any, options: WriterOptions) -> tuple[Rendered, ...]:
    """The registry's DOCX writer: the payer's template rendered for one plan (which
    :func:`pipeline.writers.render` has cleaned)."""
    data = _render_clean(plan, payer, agency, draft=options.draft, renderer=options.renderer)
    return (Rendered(".docx", data),)


def prepare(payer: Any, agency: Any, options: WriterOptions) -> None:
    """Compile the payer's template for the fast path once (nothing for stock docxtpl)."""
    if options.renderer == "docxtpl":
        return
    with contextlib.suppress(Exception):  # the render reports it, on its row
        fast.compiled_for(Path(payer.template), agency, draft=options.draft)
