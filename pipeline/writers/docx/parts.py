"""A part the fast path renders per plan: compiled Jinja between fixed bytes, rendered and
finished as docxtpl does, and its bytes (UTF-8) with whether they are well-formed by
construction (see :mod:`.proof`)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from lxml import etree

from pipeline.writers.docx import proof
from pipeline.writers.docx.tables import tables_need_fix

#: docxtpl's own patching and post-processing code, called exactly as docxtpl calls it.
DOCXTPL = DocxTemplate(io.BytesIO())
LISTING = ("\t", "\a", "\n", "\f")
_NS = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


@dataclass(frozen=True)
class Part:
    """A part rendered per plan: compiled Jinja between fixed bytes."""

    name: str
    template: jinja2.Template  #: compiled from the patched source as it is
    #: docxtpl's form of the source: a newline before each <w:p (see render_part), compiled
    #: on first need (:attr:`lined`: few renderings print a newline).
    lined_source: str
    prefix: bytes
    suffix: bytes
    body: bool  #: the main document body (tables and drawing ids fixed as docxtpl does)
    tables: bool  #: whether a plan can change a table's shape (else fix_tables is a no-op)
    proven: bool = False  #: well-formed whatever the values (see :mod:`.proof`)
    names: tuple[str, ...] = ()  #: the context variables it uses
    #: The template with every character past ASCII of its literal text written as a marker
    #: (see :func:`marked`), and each marker -> the character, in UTF-8.
    marked: jinja2.Template | None = None
    marks: tuple[tuple[bytes, bytes], ...] = ()
    #: Whether its printed values are measured against their budgets (see :mod:`.budget`).
    measured: bool = False
    #: The globals its templates see, read once (see :func:`run`); None: read per rendering.
    scope: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    #: Its literal texts as bytes, the long ones deflated once (see :mod:`.stitch`); None:
    #: compressed as a whole.
    stitch: dict[int, tuple[str, Any]] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        scope = dict(self.template.globals)
        same = self.marked is None or dict(self.marked.globals) == scope
        quick = same and not self.template.environment.is_async
        object.__setattr__(self, "scope", scope if quick else None)

    @cached_property
    def lined(self) -> jinja2.Template:
        """docxtpl's form compiled (in the template's environment, with its globals, as the
        template was: :attr:`scope` holds for it too)."""
        return self.template.environment.from_string(self.lined_source)


def run(template: jinja2.Template, scope: dict[str, Any] | None, context: dict[str, Any]) -> str:
    """``template.render(context)``, with the template's globals as read once (``scope``).

    Jinja's ``render`` copies the context, then merges it over the template's globals (a
    ChainMap of the environment's, walked twice a rendering); a compiled part's globals are
    fixed (its own environment, which nothing changes after compiling), so they are read
    once. The context, the error handling and the output are Jinja's.
    """
    if scope is None:
        return template.render(context)
    env = template.environment
    ctx = env.context_class(env, dict(scope, **context), template.name, template.blocks,
                            globals=scope)  # fmt: skip
    try:
        return env.concat(template.root_render_func(ctx))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - as Template.render: Jinja rewrites the traceback
        env.handle_exception()
        raise  # (not reached: handle_exception raises)


#: Characters a marked form writes for its literal characters past ASCII: controls XML
#: forbids (so a value holding one is suspect, and none is in a template's text), none of
#: docxtpl's listing characters (tab, bell, line and form feed) nor a vertical tab.
MARKERS = "".join(map(chr, [*range(0x0E, 0x20), *range(0x01, 0x07), 0x08]))


def marked(
    env: jinja2.Environment, source: str, tree: nodes.Template
) -> tuple[jinja2.Template | None, tuple]:
    """The template of ``source`` (parsed as ``tree``) with each character past ASCII of its
    literal text (not of its expressions) written as one of :data:`MARKERS`, and (marker
    byte, the character in UTF-8) pairs; None when the literal text is ASCII, holds a marker
    or has too many.

    Its rendering is the template's with those characters so written: ASCII when the values
    are, so it encodes as a copy (a text with one character past Latin-1 encodes a character
    at a time). Where no printed value was suspect (:func:`.proof.suspect`: a marker is a
    character XML forbids), every marker came from the literal text, so the markers are
    replaced by the characters in the encoded bytes (:func:`part_bytes`). What ``tree``
    carries (its printed values' budgets, :mod:`.budget`) is compiled in; its literal text
    is written so only while it is compiled, and put back.
    """
    texts = list(tree.find_all(nodes.TemplateData))
    wide = sorted({c for node in texts for c in node.data if ord(c) > 127})
    if not wide or len(wide) > len(MARKERS) or any(m in source for m in MARKERS):
        return None, ()
    table = {ord(c): m for c, m in zip(wide, MARKERS, strict=False)}
    kept = [node.data for node in texts]
    try:
        for node in texts:
            node.data = node.data.translate(table)
        template = env.from_string(tree)
    finally:
        for node, data in zip(texts, kept, strict=True):
            node.data = data
    marks = tuple((m.encode("ascii"), c.encode("utf-8")) for c, m in zip(wide, MARKERS,
                                                                      strict=False))  # fmt: skip
    return template, marks


def render_part(part: Part, context: dict[str, Any]) -> tuple[str, bool]:
    """A part rendered as docxtpl renders it: newline before each ``<w:p``, then stripped;
    and whether the plain template gave it.

    Without newlines in the source or the output, the newlines docxtpl adds are exactly
    those it strips again (each precedes a literal ``<w:p``), so the plain template gives
    the same text; only an output with newlines of its own takes docxtpl's way.
    """
    xml = run(part.template, part.scope, context)
    if "\n" in xml:
        xml = run(part.lined, part.scope, context)
        return xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>"), False
    return xml, True


def finish_xml(xml: str, part: Part) -> str:
    """docxtpl's post-processing of a rendered part; a step runs unless provably a no-op."""
    xml = listed(xml)
    return _fixed(xml) if docxtpl_parses(xml, part) else xml


def listed(xml: str) -> str:
    """docxtpl's first two steps: escaped braces, then listing characters. Looking for one
    character is far quicker than for two, so the escaped-brace markers are only looked for
    in a part that has a brace at all."""
    if ("{" in xml or "}" in xml) and ("{_" in xml or "_}" in xml):
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
    if any(c in xml for c in LISTING):
        xml = DOCXTPL.resolve_listing(xml)
    return xml


def docxtpl_parses(xml: str, part: Part) -> bool:
    """Whether docxtpl's last step (fix the tables, number the drawings) would parse the body
    (``rfind``: the same answer as ``in``, and quicker for this needle in this XML)."""
    return part.body and (xml.rfind("docPr") >= 0 or (part.tables and tables_need_fix(xml)))


def _parses_encoded(data: bytes, xml: str, part: Part) -> bool:
    """:func:`docxtpl_parses` of ``xml``, ``data`` its UTF-8: the drawing ids looked for in
    the bytes (the same answer: UTF-8 writes an ASCII character as its byte, and no other
    character with a byte below 128), about 0.6 of the time of the search in the text."""
    return part.body and (data.find(b"docPr") >= 0 or (part.tables and tables_need_fix(xml)))


def _fixed(xml: str) -> str:
    tree = DOCXTPL.fix_tables(xml)
    for number, elt in enumerate(tree.xpath("//wp:docPr", namespaces=_NS), start=1001):
        elt.attrib["id"] = str(number)
    return etree.tostring(tree, encoding="unicode")


def part_bytes(part: Part, context: dict[str, Any]) -> tuple[bytes, bool]:
    """The part's bytes, and whether they are well-formed by construction: a proven part,
    every value printed checked, rendered and finished as it is compiled.

    A proven part with a marked form is rendered in that form (the same bytes once its
    markers are replaced), unless that rendering holds a newline (docxtpl's way is then
    taken), a suspect value, or a body docxtpl would parse: the part is then rendered as it
    is."""
    proof.reset()
    if part.marked is not None and part.proven:
        xml = run(part.marked, part.scope, context)
        if "\n" not in xml and not proof.suspect():
            finished = listed(xml)
            data = finished.encode("utf-8")
            if not _parses_encoded(data, finished, part):
                for marker, character in part.marks:
                    data = data.replace(marker, character)
                return b"".join((part.prefix, data, part.suffix)), finished is xml
        proof.reset()
    xml, plain = render_part(part, context)
    finished = finish_xml(xml, part)
    sound = part.proven and plain and finished is xml and not proof.suspect()
    return b"".join((part.prefix, finished.encode("utf-8"), part.suffix)), sound


__all__ = [
    "DOCXTPL",
    "LISTING",
    "MARKERS",
    "Part",
    "docxtpl_parses",
    "finish_xml",
    "listed",
    "marked",
    "part_bytes",
    "render_part",
    "run",
]
