"""Scanned PDF forms: the words tesseract reads off each page image, laid out for the
flat-PDF reader.

A page without a text layer is rendered at :data:`DPI` (pdfplumber's pypdfium2) and read by
Tesseract (Debian's ``tesseract-ocr``, through ``pytesseract``). Each word becomes a word dict
like pdfplumber's (``x0``, ``x1``, ``top``, ``bottom`` in points, ``text``), so the same
:class:`~pipeline.readers.pdf.flat.PageReader` finds ``Label: value`` lines, columns and
wrapped values. OCR has no fonts, so what bold type tells in a text PDF is read off the
layout: a line of two cells far apart is a label and its value, and three or more columns
that the next lines line up under are a table (its first line the header). Checkbox marks
are read poorly; every value OCR gives must be checked against the scan, which the reader
says in a warning.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from typing import Any

from pipeline.readers.pdf.flat import Cell, PageReader, lines_of, table_fields
from pipeline.readers.raw import RawField

#: Pages bigger than the pixel limit are rendered coarser, but never below this.
MIN_DPI = 150
#: Page images are rendered at this resolution for OCR (300 dpi is what OCR engines expect).
DPI = 300
#: Words tesseract is less sure of than this (0-100) are dropped as noise (specks, rules).
MIN_CONFIDENCE = 30
#: Tesseract's language (Debian's tesseract-ocr ships English).
LANGUAGE = "eng"
#: Horizontal slack (points) when cells line up under a table's columns.
_ALIGN = 8.0


def available() -> bool:
    """Whether the tesseract program and the pytesseract module are installed."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return True


def resolution(width: float, height: float) -> float:
    """The resolution to render a page of ``width`` x ``height`` points at: :data:`DPI`, or
    less for a page so big that it would pass the pixel limit; InputError when that would be
    too coarse to read (a page a few metres wide is not a scanned form)."""
    from pipeline.bounded import LIMITS
    from pipeline.errors import InputError

    pixels = max(1.0, width * height) / (72.0 * 72.0)  # at 1 dpi
    dpi = min(float(DPI), (LIMITS.ocr_pixels / pixels) ** 0.5)
    if dpi < MIN_DPI:
        raise InputError(f"a scanned page of {width / 72:.0f} x {height / 72:.0f} inches is too "
                         "big to read by OCR (TXPLAN_LIMIT_OCR_PIXELS)")  # fmt: skip
    return dpi


def page_words(page: Any) -> list[dict]:
    """The words OCR reads on one pdfplumber page, as flat-PDF word dicts (points)."""
    import pytesseract

    image = page.to_image(resolution=resolution(page.width, page.height)).original
    data = pytesseract.image_to_data(image, lang=LANGUAGE, output_type=pytesseract.Output.DICT)
    scale = 72.0 / DPI
    lines: dict[tuple[int, int, int], list[dict]] = {}
    for i, text in enumerate(data["text"]):
        text = text.strip()
        if not text or float(data["conf"][i]) < MIN_CONFIDENCE:
            continue
        left, top = data["left"][i] * scale, data["top"][i] * scale
        word = {
            "text": "I" if text == "|" else text,  # a serif-less capital I, read as a bar
            "x0": left,
            "x1": left + data["width"][i] * scale,
            "top": top,
            "bottom": top + data["height"][i] * scale,
            "fontname": "",
        }
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
    return _level(list(lines.values()))


def _level(lines: list[list[dict]]) -> list[dict]:
    """Words of one printed line share a top and bottom.

    OCR boxes hug each word ("a" sits lower than "A"), and a form's columns come out as
    separate lines at the same height; lines whose boxes overlap by more than half their
    height are one printed line, and all their words get its top and bottom.
    """
    boxes = sorted(
        ((min(w["top"] for w in ws), max(w["bottom"] for w in ws), ws) for ws in lines if ws),
        key=lambda box: box[:2],  # never compare the words themselves
    )
    words: list[dict] = []
    group: list[tuple[float, float, list[dict]]] = []

    def flush() -> None:
        top = min(b[0] for b in group)
        bottom = max(b[1] for b in group)
        for _t, _b, ws in group:
            words.extend({**w, "top": top, "bottom": bottom} for w in ws)

    for box in boxes:
        if group:
            top, bottom = min(b[0] for b in group), max(b[1] for b in group)
            overlap = min(bottom, box[1]) - max(top, box[0])
            if overlap <= 0.5 * min(bottom - top, box[1] - box[0]):
                flush()
                group = []
        group.append(box)
    if group:
        flush()
    return words


def page_fields(page: Any, file: str, number: int) -> list[RawField]:
    """Every labelled value OCR reads on one page without a text layer, top to bottom."""
    words = page_words(page)
    if not words:
        return []
    reader = PageReader(file, number, page.width - min(w["x0"] for w in words))
    found: list[tuple[float, RawField]] = []
    lines = lines_of(words)
    index = 0
    while index < len(lines):
        rows = _table(lines, index)
        if rows:
            top = lines[index][0].top
            found.extend((top, f) for f in table_fields(rows, file, number))
            index += len(rows)
            continue
        reader.feed(_label_and_value(lines[index]))
        index += 1
    found.extend(reader.fields())
    return [f for _, f in sorted(found, key=lambda item: item[0])]


def _label_and_value(line: list[Cell]) -> list[Cell]:
    """Two cells far apart, the first short and not a sentence: a label column and its value
    (marked as a text PDF marks its labels, in bold)."""
    if len(line) != 2:
        return line
    label = line[0].text.strip()
    if len(label) > 40 or label.endswith((".", ":")) or ":" in label:
        return line
    return [replace(line[0], bold=True), line[1]]


def _table(lines: list[list[Cell]], start: int) -> list[list[str | None]]:
    """A header of 3+ cells and the lines whose cells line up under its columns, as table
    rows (empty when fewer than one row lines up)."""
    header = lines[start]
    if len(header) < 3 or any(c.text.rstrip().endswith(":") for c in header):
        return []
    columns = [c.x0 for c in header]
    rows: list[list[str | None]] = [[c.text for c in header]]
    for line in lines[start + 1 :]:
        row: list[str | None] = [None] * len(columns)
        for cell in line:
            nearest = min(range(len(columns)), key=lambda i: abs(columns[i] - cell.x0))
            if abs(columns[nearest] - cell.x0) > _ALIGN or row[nearest] is not None:
                return rows if len(rows) > 1 else []
            row[nearest] = cell.text
        if sum(v is not None for v in row) < 2:
            break
        rows.append(row)
    return rows if len(rows) > 1 else []
