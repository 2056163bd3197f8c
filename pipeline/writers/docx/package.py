"""DOCX package primitives: the agency letterhead, properties from the plan, fixed bytes.

Both renderers share them: the stock path applies them to each rendered document
(:func:`finish`), the fast path once to a template's skeleton.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor

from pipeline.writers.fixed_zip import rezip
from pipeline.writers.marking import CONFIDENTIAL, DRAFT_MARK


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
    """Put the agency's logo, name, address, phone, fax and NPI (and DRAFT) atop a header
    (the client copy's agency: address, phone and email; see writers.client_copy)."""
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
    if getattr(agency, "letterhead_email", None):  # the client copy's (writers.client_copy)
        details.append(f"Email {agency.letterhead_email}")
    details.append(f"NPI {agency.npi}" if getattr(agency, "npi", None) else None)
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
    for index, section in enumerate(document.sections):
        pairs = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            pairs.append((section.first_page_header, section.first_page_footer))
        if even:
            pairs.append((section.even_page_header, section.even_page_footer))
        for header, footer in pairs:
            # (python-docx makes a new Section object on every access: compare positions;
            # a document without a header yet, as python-docx creates one, gets one here)
            if header.is_linked_to_previous and index > 0:
                continue
            _letterhead(header, agency, draft)
            _footer(footer, agency)


def page_footer(document: DocumentObject, agency: Any = None) -> None:
    """The confidentiality notice (the agency's, else the standard one) and "Page X of Y" in
    every section's footer, for a document without a letterhead."""
    for section in document.sections:
        _footer(section.footer, agency)


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


def save(document: DocumentObject) -> bytes:
    """The document's deterministic bytes (fixed entry times and order; see fixed_zip)."""
    out = io.BytesIO()
    document.save(out)
    return rezip(out.getvalue())


def finish(document: DocumentObject, agency: Any, *, draft: bool, properties: dict) -> bytes:
    """Letterhead, DRAFT mark and properties, then the document's deterministic bytes."""
    apply_letterhead(document, agency, draft=draft)
    set_properties(document, **properties)
    return save(document)
