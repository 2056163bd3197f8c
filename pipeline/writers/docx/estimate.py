"""A table row's estimated height in twips, from its text, its cells' widths and font sizes.

Cells and paragraphs are found with ``str.find`` (bytes, for an ASCII row of the fast
renderer's output) as the lazy regular expressions first written found them
(tests/writers/test_tall_rows.py compares them). Rows and cells are estimated once by content
(bounded caches): a row new to a batch is most often one new cell (a name, a date, a score)
beside the cells of its labels and goal bank text.
"""

from __future__ import annotations

import functools
import math
import re
from typing import AnyStr, NamedTuple

#: Average character width and single line height, in ems (Calibri/Carlito body text).
CHAR_EM, LINE_EM = 0.5, 1.22
#: Lines lose room to wrapping at word ends: a line holds this share of its width on average.
WRAP = 0.9
#: The cell's left and right margins (the table style's 108 twips each).
MARGINS = 216
#: The body text's size (half-points) where a run names none (the templates' Normal: 10 pt).
DEFAULT_SIZE = 20
_TEXT = r"<w:t(?: [^>]*)?>([^<]*)</w:t>"
_SIZE = r'<w:sz w:val="(\d+)"/>'
_WIDTH = r'<w:tcW w:type="dxa" w:w="(\d+)"/>|<w:tcW w:w="(\d+)" w:type="dxa"/>'
_ENTITY = r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);"


class _Marks(NamedTuple):
    """The markup and patterns the estimate uses, as text or as bytes."""

    cell: AnyStr  # type: ignore[valid-type]
    cell_end: AnyStr  # type: ignore[valid-type]
    para: AnyStr  # type: ignore[valid-type]
    para_end: AnyStr  # type: ignore[valid-type]
    size_tag: AnyStr  # type: ignore[valid-type]
    amp: AnyStr  # type: ignore[valid-type]
    newline: AnyStr  # type: ignore[valid-type]
    para_open: tuple  # what may follow "<w:p" in a paragraph's start tag
    empty: AnyStr  # type: ignore[valid-type]  # "/>": "<w:p/>"
    text: re.Pattern
    size: re.Pattern
    width: re.Pattern
    entity: re.Pattern
    x: AnyStr  # type: ignore[valid-type]


_STR = _Marks("<w:tc>", "</w:tc>", "<w:p", "</w:p>", "<w:sz ", "&", "\n", (" ", ">"), "/>",
              re.compile(_TEXT), re.compile(_SIZE), re.compile(_WIDTH), re.compile(_ENTITY),
              "x")  # fmt: skip
_ASCII = _Marks(*(m.encode("ascii") for m in _STR[:7]), (b" ", b">"), b"/>",
                *(re.compile(p.encode("ascii")) for p in (_TEXT, _SIZE, _WIDTH, _ENTITY)),
                b"x")  # fmt: skip


def _paragraph(paragraph: AnyStr, width: int, marks: _Marks) -> float:
    """A paragraph's estimated height in twips at ``width`` twips of text."""
    text = paragraph[:0].join(marks.text.findall(paragraph))
    if marks.amp in text:
        text = marks.entity.sub(marks.x, text)
    sizes = [int(s) for s in marks.size.findall(paragraph)] if marks.size_tag in paragraph else ()
    # twips: a half-point is 10 twips; a size of 0 (Word shows it as the smallest) as the
    # default rather than a division by zero in every render of such a template
    em = 10 * ((max(sizes) if sizes else 0) or DEFAULT_SIZE)
    per_line = max(1, int(width * WRAP / (CHAR_EM * em)))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split(marks.newline))
    return lines * LINE_EM * em


def _cell(cell: AnyStr, marks: _Marks) -> float:
    """A cell's estimated height: its paragraphs, one on another, at its width."""
    find, stop = cell.find, len(cell)
    found = marks.width.search(cell)
    width = max(int(found.group(1) or found.group(2)) - MARGINS if found else 1440, 200)
    height = 0.0
    at = find(marks.para)
    while at != -1:  # each <w:p ...>...</w:p> (the shortest) or <w:p/>, left to right
        after = cell[at + 4 : at + 5]
        if after in marks.para_open:
            shut = find(marks.para_end, at + 5)
            if shut != -1:
                height += _paragraph(cell[at : shut + 6], width, marks)
                at = find(marks.para, shut + 6)
                continue
        elif after == marks.empty[:1] and cell.startswith(marks.empty, at + 4, stop):
            height += _paragraph(cell[at : at + 6], width, marks)
            at = find(marks.para, at + 6)
            continue
        at = find(marks.para, at + 1)
    return height


def cell_height(cell: str) -> float:
    """A cell's estimated height in twips (``<w:tc>`` to ``</w:tc>``), as :func:`estimate`
    gives it for each cell of a row."""
    return _cell(cell, _STR)


@functools.lru_cache(maxsize=4096)
def _text_cell(cell: str) -> float:
    """:func:`_cell` of a text cell, by content."""
    return _cell(cell, _STR)


@functools.lru_cache(maxsize=4096)
def _ascii_cell(cell: bytes) -> float:
    """:func:`_cell` of an ASCII cell, by content."""
    return _cell(cell, _ASCII)


def _estimate(row: AnyStr, marks: _Marks, height_of) -> float:  # noqa: ANN001
    """A row's estimated height: its tallest cell's (``height_of`` each cell's XML)."""
    tallest = 0.0
    find = row.find
    cell = find(marks.cell)
    while cell != -1:  # each <w:tc>...</w:tc>, the shortest from each, left to right
        close = find(marks.cell_end, cell + 6)
        if close == -1:
            break
        stop = close + 7
        tallest = max(tallest, height_of(row[cell:stop]))
        cell = find(marks.cell, stop)
    return tallest


def estimate(row: str) -> float:
    """A table row's estimated height in twips: its tallest cell's paragraphs, one on another
    (a cell's width from its ``w:tcW``, less the margins; 1 inch when it names none)."""
    return _estimate(row, _STR, _text_cell)


@functools.lru_cache(maxsize=2048)
def row_height(row: str) -> float:
    """:func:`estimate`, remembered by content (a pure function of the row's XML: rows a batch
    repeats, a goal bank's objectives, are estimated once)."""
    return estimate(row)


@functools.lru_cache(maxsize=2048)
def bytes_row_height(row: bytes) -> float:
    """:func:`row_height` of a row's XML in UTF-8 (read as bytes when it is ASCII: the same
    answer, without decoding it)."""
    if row.isascii():
        return _estimate(row, _ASCII, _ascii_cell)
    return estimate(row.decode("utf-8"))


__all__ = ["bytes_row_height", "cell_height", "estimate", "row_height"]
