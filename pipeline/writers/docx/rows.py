"""Tall table rows may split across pages: a kept-whole row taller than a fifth of the page.

The templates keep every table row on one page (``w:cantSplit``), so a short row is never cut
in two. A row taller than a good part of the page, though, moves whole to the next page with
the header row repeated above it and leaves the rest of its page blank: the reviewed CT-1001
ISP's objective 1.1 (its text and a 90-day review note) left a quarter of page 1 empty. After
rendering, each kept-whole row's height is estimated from its text, its cells' widths and its
font sizes; a row estimated taller than :data:`SPLIT_FRACTION` of the page's text area loses
its ``w:cantSplit`` and fills the page, running on under the repeated header. Header rows and
the rows of a table kept with what follows (a signature block, ``w:keepNext``) are left whole.
The estimate errs tall (an average character width, a word-wrap allowance), so a row near the
limit may split where it would just have fitted; it never keeps whole a row of a page or more.
"""

from __future__ import annotations

import functools
import io
import math
import re
import zipfile
from collections.abc import Iterator

from pipeline.writers.fixed_zip import QUICK, entries, member, office_order, write_zip
from pipeline.writers.verify import plain_member

BODY = "word/document.xml"
#: A row estimated taller than this share of the page's text area may split across pages.
SPLIT_FRACTION = 0.2
#: Compression of the main document when written again (as the renderers').
LEVEL = QUICK
#: Average character width and single line height, in ems (Calibri/Carlito body text).
CHAR_EM, LINE_EM = 0.5, 1.22
#: Lines lose room to wrapping at word ends: a line holds this share of its width on average.
WRAP = 0.9
_CANT = "<w:cantSplit/>"
_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)
_PARA = re.compile(r"<w:p[ >].*?</w:p>|<w:p/>", re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_SIZE = re.compile(r'<w:sz w:val="(\d+)"/>')
_WIDTH = re.compile(r'<w:tcW w:type="dxa" w:w="(\d+)"/>|<w:tcW w:w="(\d+)" w:type="dxa"/>')
_SECTION = re.compile(r"<w:pgSz [^>]*?w:h=\"(\d+)\"[^>]*/><w:pgMar [^>]*?w:top=\"(\d+)\"[^>]*?"
                      r"w:bottom=\"(\d+)\"")  # fmt: skip
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
#: The cell's left and right margins (the table style's 108 twips each).
MARGINS = 216
#: The body text's size (half-points) where a run names none (the templates' Normal: 10 pt).
DEFAULT_SIZE = 20


@functools.lru_cache(maxsize=4096)
def _paragraph_height(paragraph: str, width: int) -> float:
    """A paragraph's estimated height in twips at ``width`` twips of text (by content: the
    labels, dates and goal bank texts of a batch's rows are estimated once)."""
    text = "".join(_TEXT.findall(paragraph))
    if "&" in text:
        text = _ENTITY.sub("x", text)
    sizes = [int(s) for s in _SIZE.findall(paragraph)] if "<w:sz " in paragraph else ()
    em = 10 * (max(sizes) if sizes else DEFAULT_SIZE)  # twips: a half-point is 10 twips
    per_line = max(1, int(width * WRAP / (CHAR_EM * em)))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return lines * LINE_EM * em


@functools.lru_cache(maxsize=2048)
def row_height(row: str) -> float:
    """A table row's estimated height in twips: its tallest cell's paragraphs, one on another
    (a pure function of the row's XML: rows a batch repeats, a goal bank's objectives, are
    estimated once)."""
    tallest = 0.0
    for cell in _CELL.findall(row):
        found = _WIDTH.search(cell)
        width = int(found.group(1) or found.group(2)) - MARGINS if found else 1440
        height = sum(_paragraph_height(p, max(width, 200)) for p in _PARA.findall(cell))
        tallest = max(tallest, height)
    return tallest


def text_height(xml: str) -> int | None:
    """The page's text area height in twips (page height less its top and bottom margins)."""
    found = _SECTION.search(xml)
    if found is None:
        return None
    height, top, bottom = (int(v) for v in found.groups())
    return height - top - bottom


def split_tall_rows_xml(xml: str) -> str:
    """The main document's XML with each kept-whole row taller than the limit free to split
    (the XML itself when no row is)."""
    area = text_height(xml)
    if area is None or _CANT not in xml:
        return xml
    limit = SPLIT_FRACTION * area
    parts, done = [], 0
    for start, end in _spans(xml, "<w:tbl>", "</w:tbl>", 0, len(xml)):
        if _CANT not in xml[start:end] or "<w:keepNext/>" in xml[start:end] \
                or xml.find("<w:tbl>", start + 6, end) != -1:  # fmt: skip
            continue  # kept with what follows, or holding a nested table: left as it is
        for row_start, row_end in _rows(xml, start, end):
            row = xml[row_start:row_end]
            cell = row.find("<w:tc>")
            head = row[:cell]  # the row's own properties (w:trPr); as sliced by -1 without one
            if _CANT not in head or "<w:tblHeader/>" in head or row_height(row) <= limit:
                continue
            parts += (xml[done:row_start], row.replace(_CANT, "", 1))
            done = row_end
    if not parts:
        return xml
    parts.append(xml[done:])
    return "".join(parts)


def _spans(xml: str, opening: str, closing: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Each ``opening ... closing`` span of ``xml[start:end]``, the shortest from each opening
    on, left to right and not overlapping (as a lazy regular expression finds them)."""
    at = xml.find(opening, start, end)
    while at != -1:
        close = xml.find(closing, at + len(opening), end)
        if close == -1:
            return
        stop = close + len(closing)
        yield at, stop
        at = xml.find(opening, stop, end)


def _rows(xml: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Each table row (``<w:tr>`` or ``<w:tr ...>``, not ``<w:trPr>``) of ``xml[start:end]``."""
    at = xml.find("<w:tr", start, end)
    while at != -1:
        if xml[at + 5 : at + 6] not in (" ", ">"):
            at = xml.find("<w:tr", at + 5, end)
            continue
        close = xml.find("</w:tr>", at + 6, end)
        if close == -1:
            return
        stop = close + 7
        yield at, stop
        at = xml.find("<w:tr", stop, end)


def split_tall_rows(package: bytes) -> bytes:
    """The DOCX package with its tall rows free to split (the same bytes when none is)."""
    found = plain_member(package, BODY)  # the renderers' archives, without zipfile's set-up
    if found is None:
        with zipfile.ZipFile(io.BytesIO(package)) as source:
            if BODY not in source.namelist():
                return package
            found = source.read(BODY)
    body = found.decode("utf-8")
    changed = split_tall_rows_xml(body)
    if changed is body:
        return package
    kept = {e.name.decode("ascii"): e for e in entries(package)}
    kept[BODY] = member(BODY, changed.encode("utf-8"), LEVEL)
    return write_zip(kept[name] for name in office_order(kept))
