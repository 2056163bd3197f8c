"""PDF objects as bytes: pypdf objects serialised once with their references renumbered,
text strings, streams, and the cross-reference table of a file assembled from byte chunks."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
)

#: A PDF comment line of bytes above 127 after the header (marks the file binary).
BINARY = b"%\xe2\xe3\xcf\xd3\n"
#: Characters a PDF literal string spells with a backslash.
_ESCAPES = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"}
#: Printable ASCII as itself (backslash and parentheses escaped).
_ASCII = {c: chr(c) for c in range(32, 127)} | _ESCAPES


def serialise(obj: PdfObject, ref: Callable[[IndirectObject], int]) -> bytes:
    """``obj`` as PDF bytes, each indirect reference renumbered by ``ref`` (a stream's
    dictionary and its data as stored, its /Length recomputed)."""
    if isinstance(obj, IndirectObject):
        return b"%d 0 R" % ref(obj)
    if isinstance(obj, StreamObject):
        data = obj._data
        return stream(entries(obj, ref, skip=("/Length",)), data)
    if isinstance(obj, DictionaryObject):
        return b"<<\n" + entries(obj, ref) + b">>"
    if isinstance(obj, ArrayObject):
        return b"[ " + b" ".join(serialise(v, ref) for v in obj) + b" ]"
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def entries(
    obj: DictionaryObject, ref: Callable[[IndirectObject], int], skip: tuple[str, ...] = ()
) -> bytes:
    """A dictionary's entries (but ``skip``) as ``/Key value`` lines, without ``<<`` ``>>``."""
    return b"".join(
        serialise(k, ref) + b" " + serialise(v, ref) + b"\n"
        for k, v in obj.items()
        if k not in skip
    )


def stream(body: bytes, data: bytes) -> bytes:
    """A stream object's bytes: ``body`` is its dictionary's entries other than /Length."""
    return b"<<\n%b/Length %d\n>>\nstream\n%b\nendstream" % (body, len(data), data)


def text_string(value: str) -> bytes:
    """A PDF text string: a literal string for printable ASCII, else UTF-16BE with its BOM."""
    if value.isascii() and value.isprintable():
        return b"(" + value.translate(_ESCAPES).encode("ascii") + b")"
    return b"<feff" + value.encode("utf-16-be").hex().encode("ascii") + b">"


def literal_table(encode: Callable[[str], bytes | None], limit: int = 0x3000) -> dict[int, str]:
    """A ``str.translate`` table: each character ``encode`` gives one byte for, as that byte
    in a literal string (escaped where needed) spelt as ASCII; the characters it cannot
    encode below U+0100 map to U+0100, so an encoded text is ASCII only if all could."""
    table: dict[int, str] = {}
    for code in range(limit):
        got = encode(chr(code))
        if got is None or len(got) != 1:
            if code < 0x100:
                table[code] = "\u0100"
            continue
        byte = got[0]
        table[code] = _ASCII.get(byte, f"\\{byte:03o}")
    return table


def raw_table(encode: Callable[[str], bytes | None], limit: int = 0x3000) -> dict[int, str]:
    """Like :func:`literal_table`, but each byte kept as is (a latin-1 character) and only
    backslash and parentheses escaped: encode the result as latin-1, which fails if a
    character could not be encoded."""
    table: dict[int, str] = {}
    for code in range(limit):
        got = encode(chr(code))
        if got is None:
            if code < 0x100:
                table[code] = "\u0100"
            continue
        table[code] = "".join(_ESCAPES.get(b, chr(b)) for b in got)
    return table


def indirect(number: int, body: bytes) -> bytes:
    """An indirect object: ``N 0 obj`` ... ``endobj``."""
    return b"%d 0 obj\n%b\nendobj\n" % (number, body)


def xref(offsets: list[int]) -> bytes:
    """The cross-reference table of objects 1..len(offsets) (object 0: the free-list head)."""
    lines = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)]
    lines += [b"%010d 00000 n \n" % offset for offset in offsets]
    return b"".join(lines)


class Numbers:
    """Object numbers: named ones first, then each source object as it is first referenced."""

    def __init__(self) -> None:
        self.next = 1
        self.of: dict[int, int] = {}
        self.pending: list[IndirectObject] = []

    def new(self) -> int:
        self.next += 1
        return self.next - 1

    def claim(self, obj: IndirectObject) -> int:
        """A number for an object written per plan (never in the static block)."""
        self.of[obj.idnum] = self.new()
        return self.of[obj.idnum]

    def ref(self, obj: IndirectObject) -> int:
        if obj.idnum not in self.of:
            self.of[obj.idnum] = self.new()
            self.pending.append(obj)
        return self.of[obj.idnum]
