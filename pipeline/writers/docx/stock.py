"""The stock renderer: docxtpl in the sandbox, its errors located by part and paragraph.

The baseline and the escape hatch (``--renderer docxtpl``); the fast path
(:mod:`pipeline.writers.docx.fast`) gives the same XML in every part.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.document import Document as DocumentObject
from docxtpl import DocxTemplate

from pipeline.errors import TemplateError
from pipeline.writers.docx.locate import locate, template_line
from pipeline.writers.lint import lint_docx, sample_context, shape_of
from pipeline.writers.sandbox import describe, make_env
from pipeline.writers.templates import load_template


def _located(template: Path, tpl: DocxTemplate, exc: jinja2.TemplateError) -> TemplateError:
    """A render error as a TemplateError naming template, part and Word paragraph.

    The linter's static finding names the paragraph as Word counts it; errors it cannot
    see statically (an attribute of a missing value) fall back to docxtpl's own line.
    """
    static = lint_docx(template, shape_of(sample_context()))
    if static:
        return TemplateError(static[0].message, static[0].where)
    part = tpl.current_rendering_part
    partname = str(part.partname).lstrip("/") if part is not None else "word/document.xml"
    xml = None
    if part is not None:
        source = tpl.get_xml() if partname == "word/document.xml" else tpl.get_part_xml(part)
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(source))
    return TemplateError(describe(exc), locate(str(template), partname, xml, template_line(exc)))


def render_template(template: Path, context: dict[str, Any]) -> DocumentObject:
    """docxtpl render of one template with the sandboxed environment; errors are located."""
    tpl = DocxTemplate(io.BytesIO(load_template(template)))
    try:
        tpl.render(context, jinja_env=make_env(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise _located(template, tpl, exc) from exc
    # docxtpl swaps header/footer parts for plain XmlParts that python-docx's header API does
    # not see; a save and reload gives real HeaderParts the letterhead can be added to.
    out = io.BytesIO()
    tpl.docx.save(out)
    return Document(io.BytesIO(out.getvalue()))
