"""A form field's per-plan pieces, prepared once: a text field's appearance stream and widget
around its value (made by pypdf itself for sentinel values), a checkbox's two states."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

try:  # pypdf's own appearance streams (pypdf 6+); without them, only the stock path
    from pypdf.generic._appearance_stream import TextStreamAppearance
except ImportError:  # pragma: no cover - an older pypdf
    TextStreamAppearance = None

from pipeline.writers.pdfform.encodings import font_table, keeps_ascii
from pipeline.writers.pdfform.pdfbytes import Numbers, entries, serialise


class Unsupported(Exception):
    """The fast path cannot reproduce the stock path's output for this form."""


#: Field flags the fast path cannot draw as pypdf does for every value (multiline, password,
#: file select, comb; radio and push buttons).
_TEXT_FLAGS = (1 << 12) | (1 << 13) | (1 << 20) | (1 << 24)
_BUTTON_FLAGS = (1 << 15) | (1 << 16)
_SENTINELS = ("", "Xq", "Xq Xq Xq Xq Xq Xq Xq Xq")
TAIL = b"ET\nQ\nEMC\nQ\n"


@dataclass
class TextSlot:
    """A text field: its appearance stream around the value, its widget around /V."""

    name: str
    ap_number: int
    ap_body: bytes  #: the stream dictionary's entries but /Length
    head: bytes  #: up to and including the default appearance line
    move: bytes  #: the ``Td`` line before a non-empty value
    table: dict[int, str]  #: characters -> bytes of the field's font (translate, then latin-1)
    plain_ascii: bool = False  #: the table spells printable ASCII as itself
    widget_number: int = 0
    widget: tuple[bytes, bytes] = (b"", b"")  #: widget bytes before and after the /V string


@dataclass
class BoxSlot:
    """A checkbox: the object written for it, ticked or not (flattened: its appearance as an
    XObject; else: its widget with /V and /AS)."""

    name: str
    number: int
    ticked: bytes
    unticked: bytes


def appearance(
    writer: PdfWriter, page: Any, flatten: bool, annotation: DictionaryObject, value: str
) -> Any:
    acro_form = writer._root_object["/AcroForm"]
    annotation[NameObject("/V")] = TextStringObject(value)
    return TextStreamAppearance.from_text_annotation(
        writer, page, flatten, acro_form, annotation, annotation
    )


def text_slot(
    writer: PdfWriter,
    page: Any,
    flatten: bool,
    annotation: DictionaryObject,
    name: str,
    numbers: Numbers,
) -> TextSlot:
    flags = int(annotation.get("/Ff", 0))
    if flags & _TEXT_FLAGS or int(annotation.get("/Q", 0)) != 0:
        raise Unsupported(f"text field {name}: multiline, comb, password or aligned")
    made = [appearance(writer, page, flatten, annotation, s) for s in _SENTINELS]
    data = [m._ap_stream_data for m in made]
    if not data[0].endswith(TAIL):
        raise Unsupported(f"text field {name}: unexpected appearance stream")
    head = data[0][: -len(TAIL)]
    moves = []
    for sentinel, got in zip(_SENTINELS[1:], data[1:], strict=True):
        end = b"(" + sentinel.encode() + b") Tj\n" + TAIL
        if not (got.startswith(head) and got.endswith(end)):
            raise Unsupported(f"text field {name}: the appearance depends on the value")
        moves.append(got[len(head) : -len(end)])
    if moves[0] != moves[1] or not moves[0].endswith(b" Td\n"):
        raise Unsupported(f"text field {name}: the font size depends on the value")
    if any(m[k] != made[0][k] for m in made for k in m if k != "/Length"):
        raise Unsupported(f"text field {name}: the appearance dictionary depends on the value")
    font_name = str(made[0]["/Resources"]["/Font"].keys().__iter__().__next__())
    _, font = TextStreamAppearance._find_annotation_font_resource(
        font_name, annotation, writer._root_object["/AcroForm"], "Xq"
    )
    body = entries(made[0], numbers.ref, skip=("/Length", "/Filter"))
    table = font_table(font)
    return TextSlot(name, numbers.new(), body, head, moves[0], table, keeps_ascii(table))


_MARK = "TXPLANVALUE9f3c"


def around_value(annotation: DictionaryObject, numbers: Numbers) -> tuple[bytes, bytes]:
    """A widget's bytes before and after its /V string."""
    annotation[NameObject("/V")] = TextStringObject(_MARK)
    body = serialise(annotation, numbers.ref)
    mark = b"(" + _MARK.encode() + b")"
    if body.count(mark) != 1:
        raise Unsupported("a widget whose value cannot be placed")
    before, after = body.split(mark)
    return before, after


def box_states(annotation: DictionaryObject, name: str) -> dict[bool, NameObject]:
    if int(annotation.get("/Ff", 0)) & _BUTTON_FLAGS:
        raise Unsupported(f"button {name}: a radio or push button")
    normal = annotation.get("/AP", {}).get("/N", {})
    if "/Yes" not in normal or "/Off" not in normal:
        raise Unsupported(f"checkbox {name}: needs /Yes and /Off appearances")
    return {True: NameObject("/Yes"), False: NameObject("/Off")}


def widgets(page: Any, names: frozenset[str]) -> list[tuple[str, DictionaryObject]]:
    out = []
    for ref in page.get("/Annots") or []:
        annotation = ref.get_object()
        if annotation.get("/Subtype") != "/Widget":
            continue
        if "/T" not in annotation or "/FT" not in annotation:
            raise Unsupported("a widget without its own /T and /FT (a field hierarchy)")
        if str(annotation["/T"]) in names:
            out.append((str(annotation["/T"]), annotation))
    return out
