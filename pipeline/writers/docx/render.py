"""Renders a plan into a payer's DOCX template, under the agency's letterhead, deterministically.

Three steps, kept apart so a faster renderer can replace the middle one:
:func:`load_template` (read the template once), :func:`render_template` (docxtpl in the
sandbox) and :func:`finish` (letterhead, DRAFT mark, document properties, fixed zip).
:func:`render_document` picks the renderer: by default the compile-once fast path of
``fastdocx.py``, with stock docxtpl for templates it cannot reproduce exactly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import re
import types
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor
from docxtpl import DocxTemplate

from pipeline.errors import ConfigError, TemplateError
from pipeline.model import Plan
from pipeline.writers import RENDERERS, Rendered, WriterOptions
from pipeline.writers.clean import clean_plan
from pipeline.writers.context import anchor_date, build_context
from pipeline.writers.sandbox import describe, make_env

#: Zip entry time of every part (the earliest a zip can hold): output never depends on the clock.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CONFIDENTIAL = (
    "Confidential: protected health information. Do not disclose without the client's written "
    "consent unless the law allows it."
)
DRAFT_MARK = "DRAFT: NOT FOR SUBMISSION"


@functools.lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def load_template(path: Path) -> bytes:
    """The template's bytes (cached per file version); a missing file is a ConfigError."""
    path = Path(path)
    try:
        return _read(path, path.stat().st_mtime_ns)
    except OSError as exc:
        raise ConfigError(f"template not readable ({exc.strerror}); run scripts/make_templates.py "
                          "or fix the profile's template path", str(path)) from exc  # fmt: skip


def _template_line(exc: BaseException) -> int | None:
    """The line of the compiled part a Jinja error happened on (from the rewritten traceback)."""
    lineno = getattr(exc, "lineno", None)
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def locate(template: str, part: str, xml: str | None, lineno: int | None) -> str:
    """``template, part word/document.xml, paragraph 12 ("Goal {{ g.numbr }}")``.

    docxtpl puts every ``<w:p>`` on its own line before compiling, so line N of a part is its
    paragraph N-1 (table cells included, in document order).
    """
    where = f"{template}, part {part}"
    if lineno is None or lineno < 2:
        return where
    where += f", paragraph {lineno - 1}"
    if xml is not None:
        lines = xml.split("\n")
        if lineno - 1 < len(lines):
            text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
            if text:
                where += f' ("{text[:70]}")'
    return where


def _located(template: Path, tpl: DocxTemplate, exc: jinja2.TemplateError) -> TemplateError:
    """A render error as a TemplateError naming template, part and Word paragraph.

    The linter's static finding names the paragraph as Word counts it; errors it cannot
    see statically (an attribute of a missing value) fall back to docxtpl's own line.
    """
    from pipeline.writers.lint import lint_docx, sample_context, shape_of

    static = lint_docx(template, shape_of(sample_context()))
    if static:
        return TemplateError(static[0].message, static[0].where)
    part = tpl.current_rendering_part
    partname = str(part.partname).lstrip("/") if part is not None else "word/document.xml"
    xml = None
    if part is not None:
        source = tpl.get_xml() if partname == "word/document.xml" else tpl.get_part_xml(part)
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(source))
    return TemplateError(describe(exc), locate(str(template), partname, xml, _template_line(exc)))


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


def _field(instr: str) -> Any:
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instr}"><w:r><w:rPr><w:sz w:val="14"/></w:rPr>'
        "<w:t>1</w:t></w:r></w:fldSimple>"
    )


def _rule_below(paragraph: Any) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="4" '
            'w:color="1F4E79"/></w:pBdr>'
        )
    )


def _letterhead(header: Any, agency: Any, draft: bool) -> None:
    """Put the agency's logo, name, address, phone, fax and NPI (and DRAFT) atop a header."""
    first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    added = []
    if draft:
        mark = first.insert_paragraph_before()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = mark.add_run(DRAFT_MARK)
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        added.append(mark)
    name = first.insert_paragraph_before()
    logo = getattr(agency, "logo", None)
    if logo is not None and Path(logo).is_file():
        name.add_run().add_picture(str(logo), height=Cm(1.3))
        name.add_run("  ")
    run = name.add_run(agency.name)
    run.bold = True
    run.font.size = Pt(13)
    run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    details = [agency.address, f"Phone {agency.phone}" if agency.phone else None]
    if getattr(agency, "fax", None):
        details.append(f"Fax {agency.fax}")
    details.append(f"NPI {agency.npi}" if agency.npi else None)
    line = first.insert_paragraph_before(" · ".join(d for d in details if d))
    line.runs[0].font.size = Pt(8)
    _rule_below(line)


def _footer(footer: Any, agency: Any) -> None:
    """Append the agency's confidentiality notice and "Page X of Y" to a footer."""
    notice = footer.add_paragraph(getattr(agency, "footer", None) or CONFIDENTIAL)
    notice.runs[0].font.size = Pt(7)
    page = footer.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.add_run("Page ").font.size = Pt(7)
    page._p.append(_field("PAGE"))
    page.add_run(" of ").font.size = Pt(7)
    page._p.append(_field("NUMPAGES"))


def apply_letterhead(document: DocumentObject, agency: Any, *, draft: bool = False) -> None:
    """Letterhead in every header a page can show, notice and page numbers in every footer."""
    even = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        pairs = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            pairs.append((section.first_page_header, section.first_page_footer))
        if even:
            pairs.append((section.even_page_header, section.even_page_footer))
        for header, footer in pairs:
            if header.is_linked_to_previous and section is not document.sections[0]:
                continue
            _letterhead(header, agency, draft)
            _footer(footer, agency)


def set_properties(document: DocumentObject, *, title: str, author: str, subject: str,
                   when: dt.date | None, comments: str) -> None:  # fmt: skip
    """Core properties from the plan and agency, never from the clock."""
    stamp = dt.datetime.combine(when or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.UTC)
    props = document.core_properties
    props.title, props.author, props.subject = title, author, subject
    props.last_modified_by = "txplan"
    props.comments = comments
    props.keywords = ""
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed entry times and order ([Content_Types].xml first)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 0
                dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def finish(document: DocumentObject, agency: Any, *, draft: bool, properties: dict) -> bytes:
    """Letterhead, DRAFT mark and properties, then the document's deterministic bytes."""
    apply_letterhead(document, agency, draft=draft)
    set_properties(document, **properties)
    out = io.BytesIO()
    document.save(out)
    return deterministic_zip(out.getvalue())


def plan_properties(plan: Plan, payer: Any, agency: Any, kind: str) -> dict:
    """Document properties of one plan's document (title, author, date from the plan)."""
    clinician = plan.signatures.clinician.name
    return {
        "title": f"{kind}: {plan.client.id}",
        "author": clinician or agency.name,
        "subject": f"{payer.name} · {agency.name}",
        "when": anchor_date(plan),
        "comments": f"Generated by txplan for {payer.id} from plan schema {plan.schema_version}",
    }


#: Makes a template's context for the names it uses (None: every variable).
ContextFor = Callable[[frozenset[str] | None], dict[str, Any]]


def render_document(template: Path, context: dict[str, Any] | ContextFor, agency: Any, *,
                    draft: bool, properties: dict, renderer: str = "auto") -> bytes:  # fmt: skip
    """One rendered document: the template, the letterhead, DRAFT and properties, as DOCX.

    ``context`` is the template's variables, or a function making them for the names the
    template uses (the fast path knows them, so a context need not hold the others).
    Both renderers give the same XML in every part (tests/test_fastdocx.py); a Jinja error
    on the fast path is reported by the stock path, which names template, part and paragraph.
    """
    if renderer not in RENDERERS:
        raise ConfigError(f"unknown renderer {renderer!r}; use {', '.join(RENDERERS)}",
                          "--renderer")  # fmt: skip
    context_for = context if callable(context) else lambda names: context
    if renderer != "docxtpl":
        from pipeline.writers.docx.fast import Unsupported, compiled_for

        try:
            compiled = compiled_for(template, agency, draft=draft)
            return compiled.render(context_for(compiled.names), properties)
        except Unsupported as exc:
            if renderer == "fast":
                message = f"the fast renderer cannot render this template: {exc}"
                hint = "; use --renderer auto or docxtpl"
                raise ConfigError(message + hint, str(template)) from exc
        except jinja2.TemplateError:
            pass  # the stock path raises it again, located
    document = render_template(Path(template), context_for(None))
    return finish(document, agency, draft=draft, properties=properties)


def render_docx(plan: Plan, payer: Any, agency: Any, *, draft: bool = False,
                renderer: str = "auto") -> bytes:  # fmt: skip
    """The payer's document for one plan as DOCX bytes (byte-identical for the same input)."""
    plan = clean_plan(plan)
    props = plan_properties(plan, payer, agency, payer.name)
    return render_document(Path(payer.template), plan_context(plan, payer, agency, draft=draft),
                           agency, draft=draft, properties=props, renderer=renderer)  # fmt: skip


def plan_context(plan: Plan, payer: Any, agency: Any, *, draft: bool) -> ContextFor:
    """The plan's context, made for the names a template uses."""
    return lambda names: build_context(plan, payer, agency, draft=draft, names=names)


def write(plan: Plan, payer: Any, agency: Any, options: WriterOptions) -> tuple[Rendered, ...]:
    """The registry's DOCX writer: the payer's template rendered for one plan."""
    data = render_docx(plan, payer, agency, draft=options.draft, renderer=options.renderer)
    return (Rendered(".docx", data),)


def prepare(payer: Any, agency: Any, options: WriterOptions) -> None:
    """Compile the payer's template for the fast path once (nothing for stock docxtpl)."""
    if options.renderer == "docxtpl":
        return
    from pipeline.writers.docx.fast import compiled_for

    with contextlib.suppress(Exception):  # the render reports it, on its row
        compiled_for(Path(payer.template), agency, draft=options.draft)
