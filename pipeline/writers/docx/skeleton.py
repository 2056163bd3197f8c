"""What a DOCX template becomes before the fast path compiles it: the package stock docxtpl
would wrap around any plan (letterhead, DRAFT, placeholder properties), the header and footer
parts docxtpl renders, and each part's patched source with the letterhead's insertion checked
to render as stock would. Anything the fast path cannot reproduce raises :class:`Unsupported`.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from pipeline.writers.docx.compile_part import has_jinja
from pipeline.writers.docx.core import SENTINEL_DATE, SENTINELS
from pipeline.writers.docx.package import apply_letterhead, set_properties
from pipeline.writers.docx.parts import DOCXTPL, LISTING

FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
#: Properties docxtpl renders through Jinja (``DocxTemplate.render_properties``).
RENDERED_PROPS = ("author", "comments", "identifier", "language", "subject", "title")


class Unsupported(Exception):
    """The fast path cannot reproduce stock docxtpl's output for this template or plan."""


def letterhead_insertion(patched_template: str, patched_skeleton: str, raw_skeleton: str) -> str:
    """What the letterhead added to a rendered part, checked to render as stock would.

    python-docx adds the letterhead after docxtpl has rendered the part; compiling it into
    the template instead is the same only if it is one plain insertion (no Jinja, no
    character docxtpl's listing step rewrites, untouched by ``patch_xml``) at a point with
    nothing but literal XML on one side of it.
    """
    a, b = patched_template, patched_skeleton
    extra = len(b) - len(a)
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if extra <= 0 or b[i + extra :] != a[i:]:
        raise Unsupported("the letterhead changes a templated part beyond one insertion")
    added = b[i : i + extra]
    if any(c in added for c in "{}\r" + "".join(LISTING)) or added not in raw_skeleton:
        raise Unsupported("the letterhead text holds template or listing characters")
    if any(c in a[:i] for c in "{}") and any(c in a[i:] for c in "{}"):
        raise Unsupported("the letterhead lands between template tags")
    if "docPr" in added and ("{%" in a or re.search(r' id="[^"]*[{}]', a)):
        raise Unsupported("a logo in a header whose drawing ids depend on the plan")
    return added


def stock_package(data: bytes, agency: Any, draft: bool) -> tuple[Any, Any, bytes]:
    """The template, and the package stock rendering would wrap around any plan's content."""
    template = Document(io.BytesIO(data))
    document = Document(io.BytesIO(data))
    props = document.core_properties
    for name in RENDERED_PROPS:  # docxtpl renders these through Jinja: literal text only
        value = getattr(props, name)
        if has_jinja(value) or "\r" in value:
            raise Unsupported(f"the core property {name!r} is a template")
        setattr(props, name, value)
    apply_letterhead(document, agency, draft=draft)
    set_properties(document, **SENTINELS, when=SENTINEL_DATE)
    out = io.BytesIO()
    document.save(out)
    return template, document, out.getvalue()


def rendered_parts(template: Any) -> dict[str, str]:
    """Partname -> the XML docxtpl renders for every header and footer part of a template."""
    parts = {}
    for part in template.part.package.parts:
        if part.content_type == FOOTNOTES:
            raise Unsupported("footnotes (docxtpl renders them once per section)")
    for rel in template.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external and rel.target_part.blob:
            parts[str(rel.target_part.partname).lstrip("/")] = xml_of(rel.target_part.blob)
    return parts


def xml_of(blob: bytes) -> str:
    from docx.opc.oxml import parse_xml as opc_parse

    return DOCXTPL.xml_to_string(opc_parse(blob))


def patched_source(template_xml: str, skeleton_xml: str) -> str:
    """The patched source to compile for one rendered part (with any letterhead in it)."""
    patched = DOCXTPL.patch_xml(template_xml)
    if skeleton_xml == template_xml:
        return patched
    with_letterhead = DOCXTPL.patch_xml(skeleton_xml)
    if with_letterhead != patched:
        letterhead_insertion(patched, with_letterhead, skeleton_xml)
    return with_letterhead


def body_xml(document_blob: bytes) -> str:
    root = etree.fromstring(document_blob)
    body = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body")
    return DOCXTPL.xml_to_string(body)
