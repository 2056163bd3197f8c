"""One plan's filled form from the compiled skeleton: only what changes is made, the rest copied.

Per plan this writes each text field's appearance stream (the skeleton's pypdf-made bytes
around the value in the field's font encoding), the checkboxes' states, each page's stream
(the flattened fields' drawing, "who · Page X of Y", DRAFT), the addendum pages, the page
tree and document information, then a cross-reference table whose offsets are sums of the
lengths written; /ID is a hash of the content, so the same plan gives the same bytes. A
value the fields' font cannot encode as pypdf would (pypdf would switch fonts), or a
footer or addendum line outside WinAnsi, raises :class:`Fallback`: the caller uses the stock
path for that plan.
"""

from __future__ import annotations

import functools
import hashlib

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.rl_accel import fp_str

from pipeline.writers.form_addendum import BOLD, FONT, Line, text_width
from pipeline.writers.marking import DRAFT_MARK
from pipeline.writers.pdfform.encodings import WINANSI, keeps_ascii, spell
from pipeline.writers.pdfform.pdfbytes import indirect, stream, text_string, xref
from pipeline.writers.pdfform.skeleton import Skeleton
from pipeline.writers.pdfform.slots import TAIL

_FONT_NAMES = {FONT: b"/TxF", BOLD: b"/TxB"}
_WINANSI_ASCII = keeps_ascii(WINANSI)


@functools.lru_cache(maxsize=4096)
def _num(value: float) -> bytes:
    """A number as reportlab writes it (an addendum's positions repeat from plan to plan)."""
    return fp_str(value).encode()


class Fallback(Exception):
    """This plan's form cannot be written by the fast path exactly as the stock path would."""


@functools.lru_cache(maxsize=8192)  # addendum lines (goal-bank text) recur from plan to plan
def _winansi(text: str) -> bytes:
    spelt = spell(text, WINANSI, _WINANSI_ASCII)
    if not spelt.isascii():
        raise Fallback("a footer or addendum character outside WinAnsi")
    return spelt.encode("ascii")


def _footer(who: str, number: int, total: int, width: float) -> bytes:
    text = f"{who} · Page {number} of {total}"
    x = width - 40 - text_width(text, FONT, 7)
    return b"BT /TxF 7 Tf 1 0 0 1 %b 16 Tm (%b) Tj ET\n" % (_num(x), _winansi(text))


def _draft(width: float, height: float) -> bytes:
    return (
        f"q 0.75 0 0 rg BT /TxDraft 22 Tf {width / 2 - 150:.1f} {height - 70:.1f} Td "
        f"({DRAFT_MARK}) Tj ET Q\n"
    ).encode()


def _lines(lines: list[Line]) -> bytes:
    return b"".join(
        b"BT %b %b Tf 1 0 0 1 %b %b Tm (%b) Tj ET\n"
        % (_FONT_NAMES[ln.font], _num(ln.size), _num(ln.x), _num(ln.y), _winansi(ln.text))
        for ln in lines
    )


def fill(
    skeleton: Skeleton,
    text: dict[str, str],
    ticked: dict[str, bool],
    addendum: list[list[Line]],
    who: str,
    draft: bool,
    info: dict[str, str],
) -> bytes:
    """The filled form's bytes: ``text`` and ``ticked`` by field name (text already fitted
    to its box), ``addendum`` pages laid out, ``who`` for the footers, ``info`` the
    document information entries (``/Title`` ...)."""
    objects: list[tuple[int, bytes]] = []
    if any(s.name not in text for s in skeleton.texts) or any(
        b.name not in ticked for b in skeleton.boxes
    ):
        raise Fallback("a field map kind (text, checkbox) unlike the form's field")
    for slot in skeleton.texts:
        value = text[slot.name]
        try:
            spelt = spell(value, slot.table, slot.plain_ascii).encode("latin-1")
        except UnicodeEncodeError:
            raise Fallback(f"field {slot.name}: a character its font cannot encode") from None
        data = slot.head + (slot.move + b"(" + spelt + b") Tj\n" if value else b"") + TAIL
        objects.append((slot.ap_number, stream(slot.ap_body, data)))
        if slot.widget_number:
            before, after = slot.widget
            objects.append((slot.widget_number, before + text_string(value) + after))
    for box in skeleton.boxes:
        objects.append((box.number, box.ticked if ticked[box.name] else box.unticked))
    total = len(skeleton.page_numbers) + len(addendum)
    for number, (content, (width, height), draws) in enumerate(
        zip(skeleton.content_numbers, skeleton.page_sizes, skeleton.draws, strict=True), start=1
    ):
        data = b"Q\n" + draws + b"\n" + _footer(who, number, total, width)
        if draft:
            data += _draft(width, height)
        objects.append((content, stream(b"", data)))
    kids = list(skeleton.page_numbers)
    width, height = LETTER
    for index, lines in enumerate(addendum):
        page, content = skeleton.first_free + 2 * index, skeleton.first_free + 2 * index + 1
        kids.append(page)
        data = _lines(lines) + _footer(who, len(skeleton.page_numbers) + index + 1, total, width)
        if draft:
            data += _draft(width, height)
        objects.append(
            (
                page,
                b"<<\n/Type /Page\n/Parent %d 0 R\n/MediaBox [ 0 0 %b %b ]\n"
                b"/Resources %d 0 R\n/Contents %d 0 R\n>>"
                % (skeleton.pages, _num(width), _num(height), skeleton.addendum_resources, content),
            )
        )
        objects.append((content, stream(b"", data)))
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects.append(
        (skeleton.pages, b"<<\n/Type /Pages\n/Kids [ %b ]\n/Count %d\n>>" % (refs, total))
    )
    entries = b"".join(b"%b %b\n" % (k.encode(), text_string(v)) for k, v in info.items())
    objects.append((skeleton.info, b"<<\n%b%b>>" % (skeleton.info_body, entries)))
    return _assemble(skeleton, objects)


def _assemble(skeleton: Skeleton, objects: list[tuple[int, bytes]]) -> bytes:
    """Header, the static block, the plan's objects, cross-reference table and trailer."""
    offsets = dict(skeleton.static_offsets)
    position = len(skeleton.header) + len(skeleton.static)
    chunks = [skeleton.header, skeleton.static]
    for number, body in objects:
        chunk = indirect(number, body)
        offsets[number] = position
        position += len(chunk)
        chunks.append(chunk)
    count = max(offsets)
    if len(offsets) != count:  # every number from 1 up is one object: no free entry
        raise Fallback("the objects are not numbered 1..N")
    body = b"".join(chunks[2:])
    ident = hashlib.md5(skeleton.digest + body, usedforsecurity=False).hexdigest().encode()
    chunks[2:] = [body]
    chunks.append(xref([offsets[n] for n in range(1, count + 1)]))
    chunks.append(
        b"trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n/ID [ <%b> <%b> ]\n>>\n"
        b"startxref\n%d\n%%%%EOF\n"
        % (count + 1, skeleton.catalog, skeleton.info, ident, ident, position)
    )
    return b"".join(chunks)
