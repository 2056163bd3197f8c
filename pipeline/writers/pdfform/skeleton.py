"""A fillable form prepared once per batch: every unchanged object as bytes, templates for the rest.

:func:`compile_form` reads the form with pypdf once and keeps what a filled copy writes the
same for every plan (catalog, form pages, fonts, the page's drawing, the checkboxes'
appearances: the *static block*, with its objects' offsets) and, for what changes, the
pieces the stock pypdf path would produce: each text field's appearance stream (made by
pypdf's own ``TextStreamAppearance`` for two sentinel values, so every byte but the value's
comes from pypdf), each widget's dictionary around its /V, the flattened drawing commands.
A form the fast path cannot reproduce exactly (multiline, comb or aligned text fields,
automatic font size, radio buttons, field hierarchies) raises :class:`Unsupported`. The fields'
pieces are made in slots.py.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

from pipeline.writers.pdfform.pdfbytes import Numbers, entries, indirect, serialise
from pipeline.writers.pdfform.slots import (
    BoxSlot,
    TextSlot,
    TextStreamAppearance,
    Unsupported,
    around_value,
    box_states,
    text_slot,
    widgets,
)

#: Font resource names the fast path adds to every page (footer, addendum, DRAFT stamp).
FONTS = {
    "/TxF": b"<<\n/Type /Font\n/Subtype /Type1\n/BaseFont /Helvetica\n"
    b"/Encoding /WinAnsiEncoding\n>>",
    "/TxB": b"<<\n/Type /Font\n/Subtype /Type1\n/BaseFont /Helvetica-Bold\n"
    b"/Encoding /WinAnsiEncoding\n>>",
    "/TxDraft": b"<<\n/Type /Font\n/Subtype /Type1\n/BaseFont /Helvetica-Bold\n>>",
}


@dataclass
class Skeleton:
    """A form compiled for one way of filling it (flattened or not)."""

    header: bytes
    static: bytes  #: the objects written alike for every plan, right after the header
    static_offsets: dict[int, int]  #: object number -> offset within the file
    catalog: int
    pages: int
    info: int
    info_body: bytes  #: the form's document information but the entries a plan sets
    page_numbers: list[int]
    page_sizes: list[tuple[float, float]]
    content_numbers: list[int]  #: each form page's per-plan content stream
    draws: list[bytes]  #: each form page's flattened-field drawing commands
    texts: list[TextSlot] = field(default_factory=list)
    boxes: list[BoxSlot] = field(default_factory=list)
    addendum_resources: int = 0
    first_free: int = 0  #: the first object number an addendum page may take
    boxes_of: dict[str, tuple[float, float]] = field(default_factory=dict)
    digest: bytes = b""  #: the static block's hash (the /ID hashes it with the plan's objects)


def _page(
    page: Any,
    flatten: bool,
    parent: int,
    q_number: int,
    content: int,
    fonts: dict[str, int],
    xobjects: dict[str, bytes],
    numbers: Numbers,
) -> bytes:
    """A form page's dictionary: its drawing wrapped in q/Q then the per-plan stream; its
    resources with the fast path's fonts (and, flattened, the fields' XObjects)."""
    skip = ("/Parent", "/Contents", "/Resources", "/Annots", "/Type")
    body = [b"<<\n/Type /Page\n/Parent %d 0 R\n" % parent]
    rest = DictionaryObject({k: v for k, v in page.items() if k not in skip})
    for key in ("/MediaBox", "/CropBox", "/Rotate"):
        if key not in page and page.get_inherited(key, None) is not None:
            rest[NameObject(key)] = page.get_inherited(key, None)
    body.append(entries(rest, numbers.ref))
    original = page.raw_get("/Contents") if "/Contents" in page else None
    if isinstance(original, IndirectObject) and isinstance(original.get_object(), ArrayObject):
        original = original.get_object()
    refs = original if isinstance(original, ArrayObject) else [original] if original else []
    inner = b" ".join(serialise(r, numbers.ref) for r in refs)
    body.append(b"/Contents [ %d 0 R %b %d 0 R ]\n" % (q_number, inner, content))
    resources = page.get_inherited("/Resources", None)
    resources = resources.get_object() if resources is not None else DictionaryObject()
    font = DictionaryObject(resources.get("/Font", DictionaryObject()).get_object())
    xobject = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    if set(font) & set(fonts) or set(xobject) & set(xobjects):
        raise Unsupported("a page resource named like one the fast path adds")
    others = DictionaryObject(
        {k: v for k, v in resources.items() if k not in ("/Font", "/XObject")}
    )
    mine = b"".join(b"%b %d 0 R\n" % (n.encode(), number) for n, number in fonts.items())
    body.append(b"/Resources <<\n/Font <<\n%b%b>>\n" % (entries(font, numbers.ref), mine))
    if xobject or xobjects:
        drawn = b"".join(b"%b %b\n" % (serialise(n, numbers.ref), r) for n, r in xobjects.items())
        body.append(b"/XObject <<\n%b%b>>\n" % (entries(xobject, numbers.ref), drawn))
    body.append(entries(others, numbers.ref) + b">>\n")
    annots = page.get("/Annots") or []
    if flatten:
        annots = ArrayObject(a for a in annots if a.get_object().get("/Subtype") != "/Widget")
    if annots:
        body.append(
            b"/Annots "
            + serialise(page.raw_get("/Annots") if not flatten else annots, numbers.ref)
            + b"\n"
        )
    return b"".join(body) + b">>"


@functools.lru_cache(maxsize=8)
def compile_form(data: bytes, names: frozenset[str], flatten: bool) -> Skeleton:
    """The form (its bytes, so one cache entry per version) compiled for filling the fields
    ``names`` (text or checkbox) flattened or not; raises :class:`Unsupported`."""
    try:
        return _compile(data, names, flatten)
    except Unsupported:
        raise
    except Exception as exc:  # noqa: BLE001 - any surprise in a form: the stock path
        raise Unsupported(f"{type(exc).__name__}: {exc}") from exc


def _compile(data: bytes, names: frozenset[str], flatten: bool) -> Skeleton:
    if TextStreamAppearance is None:
        raise Unsupported("this pypdf has no TextStreamAppearance (pypdf 6 or later)")
    reader = PdfReader(BytesIO(data))
    if reader.is_encrypted:
        raise Unsupported("an encrypted form")
    from pipeline.writers.form_addendum import widget_boxes

    writer = PdfWriter(clone_from=reader)
    root = writer._root_object
    acro_form = root.get("/AcroForm")
    if acro_form is None or "/Fields" not in acro_form:
        raise Unsupported("no /AcroForm /Fields")
    numbers = Numbers()
    catalog, pages_number, info = numbers.new(), numbers.new(), numbers.new()
    acro_number = 0 if flatten else numbers.new()
    pages = list(writer.pages)
    page_numbers = [numbers.new() for _ in pages]
    for page, number in zip(pages, page_numbers, strict=True):
        numbers.of[page.indirect_reference.idnum] = number
    content_numbers = [numbers.new() for _ in pages]
    q_number = numbers.new()
    font_numbers = {name: numbers.new() for name in FONTS}
    resources_number = numbers.new()
    skeleton_texts: list[TextSlot] = []
    boxes: list[BoxSlot] = []
    named: list[tuple[int, bytes]] = []  # static objects written by hand
    draws: list[bytes] = []
    for page in pages:
        xobjects: dict[str, bytes] = {}
        commands = []
        for name, annotation in widgets(page, names):
            rect = annotation["/Rect"]
            xname = NameObject(f"/Fm_{name}")._sanitize()
            if annotation["/FT"] == "/Tx":
                slot = text_slot(writer, page, flatten, annotation, name, numbers)
                skeleton_texts.append(slot)
                target = slot.ap_number
                if not flatten:
                    old = annotation["/AP"].raw_get("/N") if "/AP" in annotation else None
                    if not isinstance(old, IndirectObject):
                        raise Unsupported(f"text field {name}: no indirect /AP /N")
                    numbers.of[old.idnum] = slot.ap_number
                    slot.widget_number = numbers.claim(annotation.indirect_reference)
                    slot.widget = around_value(annotation, numbers)
            elif annotation["/FT"] == "/Btn":
                states = box_states(annotation, name)
                normal = annotation["/AP"]["/N"]
                if flatten:
                    made = {v: serialise(normal[states[v]], numbers.ref) for v in (True, False)}
                    target = numbers.new()
                    boxes.append(BoxSlot(name, target, made[True], made[False]))
                else:
                    number = numbers.claim(annotation.indirect_reference)
                    made = {}
                    for v in (True, False):
                        annotation[NameObject("/AS")] = states[v]
                        annotation[NameObject("/V")] = states[v]
                        made[v] = serialise(annotation, numbers.ref)
                    boxes.append(BoxSlot(name, number, made[True], made[False]))
                    continue
            else:
                raise Unsupported(f"field {name}: type {annotation['/FT']}")
            if flatten:
                if xname in xobjects:
                    raise Unsupported(f"two widgets draw as {xname}")
                xobjects[xname] = b"%d 0 R" % target
                cm = Transformation().translate(rect[0], rect[1])._to_cm()
                commands.append(f"q\n{cm}\n{xname} Do\nQ".encode())
        draws.append(b"\n".join(commands))
        named.append(
            (
                numbers.of[page.indirect_reference.idnum],
                _page(
                    page,
                    flatten,
                    pages_number,
                    q_number,
                    content_numbers[pages.index(page)],
                    font_numbers,
                    xobjects,
                    numbers,
                ),
            )
        )
    if not flatten:
        form = DictionaryObject(acro_form)
        form[NameObject("/NeedAppearances")] = BooleanObject(False)
        named.append((acro_number, serialise(form, numbers.ref)))
    entries = {k: v for k, v in root.items() if k not in ("/Pages", "/AcroForm", "/Type")}
    body = b"<<\n/Type /Catalog\n/Pages %d 0 R\n" % pages_number
    if not flatten:
        body += b"/AcroForm %d 0 R\n" % acro_number
    body += serialise(DictionaryObject(entries), numbers.ref)[3:]
    named.append((catalog, body))
    named.append((q_number, b"<<\n/Length 2\n>>\nstream\nq\n\nendstream"))
    named += [(font_numbers[name], FONTS[name]) for name in FONTS]
    fonts = b" ".join(b"%b %d 0 R" % (n.encode(), font_numbers[n]) for n in FONTS)
    named.append((resources_number, b"<<\n/Font << %b >>\n/ProcSet [ /PDF /Text ]\n>>" % fonts))
    info_entries = DictionaryObject(
        {
            k: v
            for k, v in (writer._info or {}).items()
            if k not in ("/Title", "/Author", "/Subject", "/Producer")
        }
    )
    info_body = serialise(info_entries, numbers.ref)[3:-2]
    objects = dict(named)
    while numbers.pending:  # every other object a static one refers to, once
        obj = numbers.pending.pop(0)
        objects[numbers.of[obj.idnum]] = serialise(obj.get_object(), numbers.ref)
    header = reader.pdf_header.encode("ascii", "replace")[:8] + b"\n" + b"%\xe2\xe3\xcf\xd3\n"
    static, offsets = bytearray(), {}
    for number in sorted(objects):
        offsets[number] = len(header) + len(static)
        static += indirect(number, objects[number])
    return Skeleton(
        header=header,
        static=bytes(static),
        static_offsets=offsets,
        catalog=catalog,
        pages=pages_number,
        info=info,
        info_body=info_body,
        page_numbers=page_numbers,
        page_sizes=[(float(p.mediabox.width), float(p.mediabox.height)) for p in pages],
        content_numbers=content_numbers,
        draws=draws,
        texts=skeleton_texts,
        boxes=boxes,
        addendum_resources=resources_number,
        first_free=numbers.next,
        boxes_of=widget_boxes(reader),
        digest=hashlib.md5(static, usedforsecurity=False).digest(),
    )
