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

import io
import math
import re
import zipfile

from pipeline.writers.fixed_zip import entries, member, office_order, write_zip

BODY = "word/document.xml"
#: A row estimated taller than this share of the page's text area may split across pages.
SPLIT_FRACTION = 0.2
#: Compression of the main document when written again (as the renderers').
LEVEL = 1
#: Average character width and single line height, in ems (Calibri/Carlito body text).
CHAR_EM, LINE_EM = 0.5, 1.22
#: Lines lose room to wrapping at word ends: a line holds this share of its width on average.
WRAP = 0.9
_CANT = "<w:cantSplit/>"
_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)
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


def _paragraph_height(paragraph: str, width: int) -> float:
    """A paragraph's estimated height in twips at ``width`` twips of text."""
    text = _ENTITY.sub("x", "".join(_TEXT.findall(paragraph)))
    sizes = [int(s) for s in _SIZE.findall(paragraph)]
    em = 10 * (max(sizes) if sizes else DEFAULT_SIZE)  # twips: a half-point is 10 twips
    per_line = max(1, int(width * WRAP / (CHAR_EM * em)))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return lines * LINE_EM * em


def row_height(row: str) -> float:
    """A table row's estimated height in twips: its tallest cell's paragraphs, one on another."""
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
    freed = 0

    def row(m: re.Match[str]) -> str:
        nonlocal freed
        text = m.group(0)
        head = text[: text.find("<w:tc>")]  # the row's own properties (w:trPr)
        if _CANT not in head or "<w:tblHeader/>" in head or row_height(text) <= limit:
            return text
        freed += 1
        return text.replace(_CANT, "", 1)

    def table(m: re.Match[str]) -> str:
        text = m.group(0)
        if _CANT not in text or "<w:keepNext/>" in text or "<w:tbl>" in text[6:]:
            return text  # kept with what follows, or holding a nested table: left as it is
        return _ROW.sub(row, text)

    changed = _TABLE.sub(table, xml)
    return changed if freed else xml


def split_tall_rows(package: bytes) -> bytes:
    """The DOCX package with its tall rows free to split (the same bytes when none is)."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        if BODY not in source.namelist():
            return package
        body = source.read(BODY).decode("utf-8")
    changed = split_tall_rows_xml(body)
    if changed is body:
        return package
    kept = {e.name.decode("ascii"): e for e in entries(package)}
    kept[BODY] = member(BODY, changed.encode("utf-8"), LEVEL)
    return write_zip(kept[name] for name in office_order(kept))
