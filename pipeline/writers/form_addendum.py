"""What a fillable form has no room for goes on addendum pages; every page names the client.

A text field holds one line: a value wider than its box is cut at a word, ends with
"(continued: addendum A1)", and its whole text goes on an addendum page that names the field.
Items beyond the form's slots (the field map's ``addendum:`` sections: goals past the last
goal slot, further objectives, interventions) follow there too, so nothing is cut or dropped
silently. Every page, the form's and the addendum's, gets the client's name and id and
"Page X of Y".
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

FONT = "Helvetica"
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


def _fits(text: str, width: float, size: float) -> bool:
    return stringWidth(text, FONT, size) <= width - PADDING


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


def addendum_pdf(title: str, overflow: list[Overflow],
                 sections: list[tuple[str, list[str]]]) -> bytes | None:  # fmt: skip
    """Addendum pages: continued fields, then each section's lines (None: nothing to add)."""
    sections = [(heading, lines) for heading, lines in sections if lines]
    if not overflow and not sections:
        return None
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=LETTER, invariant=1)
    width, height = LETTER
    text_width = width - 2 * MARGIN
    y = height - MARGIN

    def line(text: str, font: str = FONT, size: float = 9.5, indent: float = 0.0) -> None:
        nonlocal y
        for piece in simpleSplit(text, font, size, text_width - indent) or [""]:
            if y < MARGIN + 30:
                pdf.showPage()
                y = height - MARGIN
            pdf.setFont(font, size)
            pdf.drawString(MARGIN + indent, y, piece)
            y -= size * 1.35

    line(title, "Helvetica-Bold", 13)
    y -= 4
    if overflow:
        line("Fields continued from the form", "Helvetica-Bold", 10.5)
        for item in overflow:
            line(f"{item.key}. {item.label} (field {item.field}):", "Helvetica-Bold", 9.5)
            line(item.text, indent=12)
            y -= 3
    for heading, lines in sections:
        y -= 4
        line(heading, "Helvetica-Bold", 10.5)
        for text in lines:
            line(text, indent=12)
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
