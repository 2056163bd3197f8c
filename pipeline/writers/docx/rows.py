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

The fast renderer frees rows in the main document's bytes before it compresses them
(:func:`split_tall_rows_part`); the stock path frees them in the finished package
(:func:`split_tall_rows`). Both give the same bytes as the scan by regular expressions first
written (tests/writers/test_tall_rows.py keeps it and compares them).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import AnyStr, NamedTuple

from pipeline.writers.docx.estimate import bytes_row_height, row_height
from pipeline.writers.fixed_zip import QUICK, entries, member, office_order, write_zip
from pipeline.writers.verify import plain_member

BODY = "word/document.xml"
#: A row estimated taller than this share of the page's text area may split across pages.
SPLIT_FRACTION = 0.2
#: Compression of the main document when written again (as the renderers').
LEVEL = QUICK
_CANT = "<w:cantSplit/>"
_SECTION = (r"<w:pgSz [^>]*?w:h=\"(\d+)\"[^>]*/><w:pgMar [^>]*?w:top=\"(\d+)\"[^>]*?"
            r"w:bottom=\"(\d+)\"")  # fmt: skip


class _Marks(NamedTuple):
    """The markup the scan looks for, as text or as bytes."""

    cant: AnyStr  # type: ignore[valid-type]
    table: AnyStr  # type: ignore[valid-type]
    table_end: AnyStr  # type: ignore[valid-type]
    row: AnyStr  # type: ignore[valid-type]
    row_end: AnyStr  # type: ignore[valid-type]
    cell: AnyStr  # type: ignore[valid-type]
    header: AnyStr  # type: ignore[valid-type]
    keep: AnyStr  # type: ignore[valid-type]
    page: AnyStr  # type: ignore[valid-type]
    row_open: tuple  # what may follow "<w:tr" in a row's start tag
    section: re.Pattern
    lead: AnyStr  # type: ignore[valid-type]  # a row kept whole, as the templates start one


_TEXT = _Marks(_CANT, "<w:tbl>", "</w:tbl>", "<w:tr", "</w:tr>", "<w:tc>", "<w:tblHeader/>",
               "<w:keepNext/>", "<w:pgSz ", (" ", ">"), re.compile(_SECTION),
               "<w:tr><w:trPr>" + _CANT)  # fmt: skip
_BYTES = _Marks(*(m.encode("ascii") for m in _TEXT[:9]), (b" ", b">"),
                re.compile(_SECTION.encode("ascii")), _TEXT.lead.encode("ascii"))  # fmt: skip


def text_height(xml: str | bytes) -> int | None:
    """The page's text area height in twips (page height less its top and bottom margins) of
    the first section that names them; None when none does."""
    marks = _BYTES if isinstance(xml, bytes) else _TEXT
    at = xml.find(marks.page)
    while at != -1:  # (as the pattern's search: it can only match where "<w:pgSz " starts)
        found = marks.section.match(xml, at)
        if found is not None:
            height, top, bottom = (int(v) for v in found.groups())
            return height - top - bottom
        at = xml.find(marks.page, at + 1)
    return None


def _freed(xml: AnyStr, marks: _Marks, height: Callable[[AnyStr], float],
           area: int | None) -> list[int]:  # fmt: skip
    """Where the ``w:cantSplit`` of each row to free starts: every row of a table (as a lazy
    regular expression finds tables, then rows in each), in a table holding no
    ``w:keepNext`` and no nested table, whose own properties (before its first cell) hold
    ``w:cantSplit`` and no ``w:tblHeader``, and whose estimated height is over the limit.

    Only the rows holding ``w:cantSplit`` are looked at: a row starts after the last
    ``</w:tr>`` before its ``w:cantSplit`` (a row holds no ``</w:tr>`` but its last), at the
    first ``<w:tr`` + space or ``>`` from there (a row that starts ``<w:tr><w:trPr>`` +
    ``w:cantSplit`` right where the last one ended is that one); markup that holds no ``<``
    but its first never overlaps another, so finding them in a slice finds what the lazy
    scan found. What only a tall row needs (its head, its table) is looked at for it alone.
    """
    cant, size, lead = xml.find(marks.cant), len(marks.cant), len(marks.lead) - len(marks.cant)
    table_at, table_stop, row = 0, 0, -1
    whole: bool | None = None
    limit: float | None = None
    freed: list[int] = []
    while cant != -1:
        if row == -1:  # not the next row found: the row holding it, as the lazy scan finds
            if cant >= table_stop:  # the next table ending after it
                while cant >= table_stop:
                    start = xml.find(marks.table, table_stop)
                    close = xml.find(marks.table_end, start + 7) if start != -1 else -1
                    if close == -1:
                        return freed
                    table_at, table_stop = start, close + 8
                whole = None
                if cant < table_at:  # outside any table
                    cant = xml.find(marks.cant, table_at)
                    continue
            before = xml.rfind(marks.row_end, table_at, cant)
            row = xml.find(marks.row, table_at if before == -1 else before + 7, table_stop)
            while row != -1 and xml[row + 5 : row + 6] not in marks.row_open:
                row = xml.find(marks.row, row + 5, table_stop)
            if row == -1 or row > cant:  # between rows
                cant, row = xml.find(marks.cant, cant + size), -1
                continue
        close = xml.find(marks.row_end, row + 6, table_stop)
        if close == -1:  # no row ends: none from here on in this table
            cant, row = xml.find(marks.cant, table_stop), -1
            continue
        stop = close + 7
        if limit is None:
            area = text_height(xml) if area is None else area
            if area is None:
                return []
            limit = SPLIT_FRACTION * area
        if height(xml[row:stop]) > limit:
            cell = xml.find(marks.cell, row, stop)
            head = cell if cell != -1 else stop - 1
            if cant < head and xml.find(marks.header, row, head) == -1:  # in its properties
                if whole is None:  # kept with what follows, or holding a nested table
                    whole = xml.find(marks.keep, table_at, table_stop) != -1 \
                        or xml.find(marks.table, table_at + 6, table_stop) != -1  # fmt: skip
                if not whole:
                    freed.append(cant)
        if xml.startswith(marks.lead, stop):  # (before the table's end: it holds no "</")
            cant, row = stop + lead, stop  # the next row, kept whole, right after this one
        else:
            cant, row = xml.find(marks.cant, stop), -1
    return freed


def _without(xml: AnyStr, freed: list[int], size: int) -> AnyStr:
    """``xml`` without the ``size`` characters at each of ``freed``."""
    parts, done = [], 0
    for at in freed:
        parts.append(xml[done:at])
        done = at + size
    parts.append(xml[done:])
    return xml[:0].join(parts)


def split_tall_rows_xml(xml: str) -> str:
    """The main document's XML with each kept-whole row taller than the limit free to split
    (the XML itself when no row is)."""
    freed = _freed(xml, _TEXT, row_height, None)
    return _without(xml, freed, len(_CANT)) if freed else xml


def split_tall_rows_part(data: bytes, area: int | None = None) -> bytes:
    """The main document's bytes (UTF-8) with each kept-whole row taller than the limit free
    to split (the bytes themselves when no row is). ``area``: the page's text area when the
    caller knows it is :func:`text_height` of ``data``."""
    freed = _freed(data, _BYTES, bytes_row_height, area)
    return _without(data, freed, len(_CANT)) if freed else data


def split_tall_rows(package: bytes) -> bytes:
    """The DOCX package with its tall rows free to split (the same bytes when none is)."""
    found = plain_member(package, BODY)  # the renderers' archives, without zipfile's set-up
    if found is None:
        with zipfile.ZipFile(io.BytesIO(package)) as source:
            if BODY not in source.namelist():
                return package
            found = source.read(BODY)
    changed = split_tall_rows_part(found)
    if changed is found:
        return package
    kept = {e.name.decode("ascii"): e for e in entries(package)}
    kept[BODY] = member(BODY, changed, LEVEL)
    return write_zip(kept[name] for name in office_order(kept))


class BodyRows(NamedTuple):
    """What a compiled main document tells the scan once (see :func:`body_rows`)."""

    splittable: bool  #: whether a sound rendering can hold a row to free at all
    tail: bytes | None  #: the fixed end of every sound rendering, holding its only section
    area: int | None  #: the page's text area every rendering ending with ``tail`` has


def body_rows(source: str, prefix: bytes, suffix: bytes) -> BodyRows:
    """What the main document's compiled ``source`` between ``prefix`` and ``suffix`` tells
    of every sound rendering (:mod:`.proof`: each ``<`` of it comes from the literal text,
    as printed values are escaped): whether it can hold ``w:cantSplit`` at all, and, when
    the only ``<w:pgSz`` is in a tail free of Jinja, that tail and the text area it gives
    (so the renderer need not look for the section in each rendering)."""
    fixed = prefix + source.encode("utf-8") + suffix
    splittable = _BYTES.cant in fixed
    at = source.find(_TEXT.page)
    if at == -1 or fixed.count(_BYTES.page) != 1 or any(m in source[at:] for m in "{}"):
        return BodyRows(splittable, None, None)
    tail = source[at:].encode("utf-8") + suffix
    return BodyRows(splittable, tail, text_height(tail))


def split_rendered(data: bytes, rows: BodyRows, sound: bool, short: bool = False) -> bytes:
    """:func:`split_tall_rows_part` of a rendering of the main document ``rows`` describes;
    what :func:`body_rows` said holds only of a sound one. ``short``: every printed value
    was within its budget (:mod:`.budget`, reckoned for the page ``rows.area``), so no row
    of a sound rendering on that page is over the limit."""
    if not sound:
        return split_tall_rows_part(data)
    if not rows.splittable:
        return data
    if rows.tail is not None and data.endswith(rows.tail):
        if rows.area is None or short:
            return data
        return split_tall_rows_part(data, rows.area)
    return split_tall_rows_part(data)


__all__ = ["BodyRows", "body_rows", "row_height", "split_rendered", "split_tall_rows",
           "split_tall_rows_part", "split_tall_rows_xml", "text_height"]  # fmt: skip
