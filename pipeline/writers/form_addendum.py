"""What a fillable form has no room for goes on addendum pages; every page names the client.

A text field holds one line: a value wider than its box is cut at a word, ends with
"(continued: addendum A1)", and its whole text goes on an addendum page that names the field.
Items beyond the form's slots (the field map's ``addendum:`` sections: goals past the last
goal slot, further objectives, interventions) follow there too, so nothing is cut or dropped
silently. Every page, the form's and the addendum's, gets the client's name and id and
"Page X of Y".
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen import canvas

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
#: Room a text field's border and padding take from its width, in points.
PADDING = 4.0
MARGIN = 54.0


@dataclass(frozen=True)
class Overflow:
    """A field whose text continues on the addendum: where, which field, the whole text."""

    key: str
    label: str
    field: str
    text: str


def widget_boxes(reader: PdfReader) -> dict[str, tuple[float, float]]:
    """Each text field's (width, font size) from its widget on the page."""
    boxes: dict[str, tuple[float, float]] = {}
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            name = annot.get("/T")
            rect = annot.get("/Rect")
            if name is None or rect is None or annot.get("/FT") != "/Tx":
                continue
            size = 8.0
            for token, following in zip(str(annot.get("/DA", "")).split(), str(
                    annot.get("/DA", "")).split()[1:], strict=False):  # fmt: skip
                if following == "Tf":
                    size = float(token) or size
            boxes[str(name)] = (float(rect[2]) - float(rect[0]), size)
    return boxes


@functools.lru_cache(maxsize=8)
def _char_widths(font: str) -> dict[str, float]:
    """Each character's width in ``font`` (1/1000 em): the width of the one byte reportlab
    encodes it as, for the characters its encoding has."""
    face = getFont(font)
    widths = {}
    for code in range(0x3000):
        try:
            data = chr(code).encode(face.encName)
        except UnicodeEncodeError:
            continue
        if len(data) == 1:
            widths[chr(code)] = face.widths[data[0]]
    return widths


@functools.lru_cache(maxsize=65536)
def text_width(text: str, font: str, size: float) -> float:
    """reportlab's ``stringWidth`` (the same sum of the same widths, times 0.001 and the
    size), from a table of character widths; cached, as words recur from plan to plan."""
    try:
        return sum(map(_char_widths(font).__getitem__, text)) * 0.001 * size
    except KeyError:
        return stringWidth(text, font, size)


def split_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """reportlab's ``simpleSplit`` (the same breaks: at spaces, a word too wide on a line of
    its own), measured with :func:`text_width`."""
    return list(_split(text, font, size, width))


@functools.lru_cache(maxsize=16384)
def _split(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """:func:`split_lines`, cached: an addendum's lines (goal-bank objectives,
    interventions) recur from plan to plan."""
    space = text_width(" ", font, size)
    out: list[str] = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        used = -space
        for word in paragraph.split():
            wide = text_width(word, font, size)
            if used + space + wide <= width or not words:
                words.append(word)
                used = used + space + wide
            else:
                out.append(" ".join(words))
                words, used = [word], wide
        if words:
            out.append(" ".join(words))
    return tuple(out)


def _fits(text: str, width: float, size: float) -> bool:
    return text_width(text, FONT, size) <= width - PADDING


def fit_values(values: dict[str, str], boxes: dict[str, tuple[float, float]],
               labels: dict[str, str]) -> tuple[dict[str, str], list[Overflow]]:  # fmt: skip
    """Values cut to their boxes at a word, each cut one pointing to its addendum entry."""
    fitted = dict(values)
    overflow: list[Overflow] = []
    for name, text in values.items():
        if name not in boxes or not text or _fits(text, *boxes[name]):
            continue
        key = f"A{len(overflow) + 1}"
        tail = f" … (continued: addendum {key})"
        words = text.split()
        lo, hi = 0, len(words)
        while lo < hi:  # the most words that fit with the pointer after them
            mid = (lo + hi + 1) // 2
            if _fits(" ".join(words[:mid]) + tail, *boxes[name]):
                lo = mid
            else:
                hi = mid - 1
        fitted[name] = (" ".join(words[:lo]) + tail).strip()
        overflow.append(Overflow(key, labels.get(name, name), name, text))
    return fitted, overflow


@dataclass(frozen=True)
class Line:
    """One line of text on an addendum page: font, size, left edge and baseline, text."""

    font: str
    size: float
    x: float
    y: float
    text: str


def addendum_layout(title: str, overflow: list[Overflow],
                    sections: list[tuple[str, list[str]]]) -> list[list[Line]]:  # fmt: skip
    """The addendum's pages as lines placed on a letter page: continued fields, then each
    section's lines (no page: nothing to add). Drawn by :func:`addendum_pdf` (reportlab) and
    by the fast form writer (its own content streams), so both put every line in one place."""
    sections = [(heading, lines) for heading, lines in sections if lines]
    if not overflow and not sections:
        return []
    width, height = LETTER
    usable = width - 2 * MARGIN
    pages: list[list[Line]] = [[]]
    y = height - MARGIN

    def line(text: str, font: str = FONT, size: float = 9.5, indent: float = 0.0) -> None:
        nonlocal y
        for piece in split_lines(text, font, size, usable - indent) or [""]:
            if y < MARGIN + 30:
                pages.append([])
                y = height - MARGIN
            pages[-1].append(Line(font, size, MARGIN + indent, y, piece))
            y -= size * 1.35

    line(title, BOLD, 13)
    y -= 4
    if overflow:
        line("Fields continued from the form", BOLD, 10.5)
        for item in overflow:
            line(f"{item.key}. {item.label} (field {item.field}):", BOLD, 9.5)
            line(item.text, indent=12)
            y -= 3
    for heading, lines in sections:
        y -= 4
        line(heading, BOLD, 10.5)
        for text in lines:
            line(text, indent=12)
    return pages


def addendum_pdf(title: str, overflow: list[Overflow],
                 sections: list[tuple[str, list[str]]]) -> bytes | None:  # fmt: skip
    """Addendum pages: continued fields, then each section's lines (None: nothing to add)."""
    pages = addendum_layout(title, overflow, sections)
    if not pages:
        return None
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=LETTER, invariant=1)
    for number, lines in enumerate(pages):
        if number:
            pdf.showPage()
        for item in lines:
            pdf.setFont(item.font, item.size)
            pdf.drawString(item.x, item.y, item.text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def append_pages(writer: PdfWriter, data: bytes) -> None:
    """Append every page of another PDF."""
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)


def number_pages(writer: PdfWriter, who: str) -> None:
    """``who · Page X of Y`` at the foot of every page (an overlay merged onto each)."""
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        out = io.BytesIO()
        pdf = canvas.Canvas(out, pagesize=(width, height), invariant=1)
        pdf.setFont(FONT, 7)
        pdf.drawRightString(width - 40, 16, f"{who} · Page {number} of {total}")
        pdf.showPage()
        pdf.save()
        page.merge_page(PdfReader(io.BytesIO(out.getvalue())).pages[0])
