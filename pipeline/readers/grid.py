"""The dense-grid check before calamine holds a sheet: how large could its grid be?

calamine lays a sheet out densely, from its first to its last filled cell, before anything
can look at it; a hostile workbook with two cells far apart (A1048576 and XFD1) would ask for
billions of cells and end the process. :func:`grid_fits` reads every part of the package as
calamine would read a worksheet (its cells, each placed by its own reference however written,
else by counting) and answers False for a grid larger than :data:`DENSE_CELLS`, or for any
cell it cannot place exactly: such a workbook is streamed by openpyxl at flat memory.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The most cells calamine may hold as a dense grid (rows x columns of the used range): it keeps
#: a sheet in memory, about 55 bytes a cell (4 million: about 80,000 rows of a 50-column
#: export, 220 MB). A larger or sparser sheet streams through openpyxl at flat memory.
DENSE_CELLS = 4_000_000
MAX_COLUMN = 18_278  #: column ZZZ, the widest a reference of 3 letters names
CHUNK = 1 << 20  #: inflated bytes scanned at a time
#: A cell reference in a cell element (its letters), to list a chunk's columns.
_COLUMN = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})[0-9]')


def column_number(letters: bytes) -> int:
    """A column's number from its letters: A -> 1, AB -> 28."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    """Column ``number`` (1-based) as its letters: 1 -> A, 28 -> AB."""
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


#: A prefixed cell element or reference (``<x:c``, ``x:r=``): calamine may place such a cell
#: where the references read here do not say.
_ODD = re.compile(rb":c[\s/>]|:(?<!xmlns:)r\s*=")
_CELL = re.compile(rb'<c\sr="([A-Z]{1,3})([1-9][0-9]{0,11})"')  #: a cell, as the check reads it
_LAST_ROW = re.compile(rb'<row\b[^>]*?\sr="([1-9][0-9]{0,11})"')
_LONG_TAG = 1 << 16  #: a cell element this long across two chunks is odd


def _upto(top: str, shorter: str, low: str) -> str:
    """A pattern of the strings not greater than ``top`` (letters A-Z or digits 0-9 alike,
    compared as column letters or row numbers): ``shorter`` ones, or of its length smaller
    at one position (a first one from ``low``), or ``top`` itself."""
    ceiling = "Z" if top[0].isalpha() else "9"
    alike = f"[{'A' if ceiling == 'Z' else '0'}-{ceiling}]"
    found = [shorter] if len(top) > 1 else []
    for i, char in enumerate(top):
        least = low if i == 0 else alike[1]
        if char > least:
            found.append(f"{top[:i]}[{least}-{chr(ord(char) - 1)}]{alike}{{{len(top) - i - 1}}}")
    return "|".join([top, *reversed(found)])  # the longest first: most references


@lru_cache(maxsize=64)
def odd_cell(rows: int, columns: int) -> re.Pattern[bytes]:
    """A cell element not written ``<c r="AB12"`` first within ``columns`` and ``rows``: no
    reference, or a spaced, single-quoted, lowercase, zero-led or 4-letter one, or one right
    of the columns or below the rows (calamine places a cell by its own reference however
    written, else by counting)."""
    letters, digits = column_letters(columns), str(rows)
    upto_columns = _upto(letters, f"[A-Z]{{1,{len(letters) - 1}}}", "A")
    upto_rows = _upto(digits, f"[1-9][0-9]{{0,{len(digits) - 2}}}", "1") if rows else "(?!)"
    return re.compile(
        f'<c(?:[>/]|\\s(?!r="(?:{upto_columns})(?:{upto_rows})"))'.encode()
    )  # fmt: skip


def grid_fits(path: Path) -> bool:
    """Whether the cells of every part of the package, read as a worksheet, lay out densely
    within DENSE_CELLS (scanned as compressed streams, never held whole); False too for a part
    whose cells calamine might place where the references read here do not say (``_ODD``: a
    part streamed by openpyxl). Every part is looked at, as calamine may take any for a sheet,
    from its ``sheetData`` on (calamine reads no cell elsewhere)."""
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            for member in archive.infolist():
                if not _cells_fit(_inflated(archive, member, raw)):
                    return False
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            struct.error):  # fmt: skip
        return False  # a damaged part: openpyxl says what is wrong
    return True


def _inflated(archive: zipfile.ZipFile, member: zipfile.ZipInfo, raw: Any) -> Iterator[bytes]:
    """A part's bytes, a chunk at a time, not CRC-checked (calamine and openpyxl check it
    when they read the part): deflated data read straight from its place in the file."""
    if member.compress_type != zipfile.ZIP_DEFLATED or member.flag_bits & 0x1:
        with archive.open(member) as stream:  # stored, encrypted, another method
            while chunk := stream.read(CHUNK):
                yield chunk
        return
    raw.seek(member.header_offset)
    head = raw.read(30)
    if head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {member.filename}")
    names, extra = struct.unpack("<HH", head[26:30])
    raw.seek(member.header_offset + 30 + names + extra)
    left, inflate = member.compress_size, zlib.decompressobj(-15)
    while left > 0:
        data = raw.read(min(left, CHUNK >> 2))
        if not data:
            raise EOFError(member.filename)
        left -= len(data)
        while data:
            yield inflate.decompress(data, CHUNK)
            data = inflate.unconsumed_tail
    if rest := inflate.flush():
        yield rest


def _cells_fit(chunks: Iterable[bytes]) -> bool:
    """One part's cells: each within the columns and rows seen so far (the rows: the last
    row's number, rows are in order; a cell below it is odd), else its reference widens the
    columns (all of the chunk's cells then listed: the first chunk, as a rule)."""
    rows, columns, tail, cells = 0, 1, b"", False
    for chunk in chunks:
        block = tail + chunk
        if not cells:  # no sheetData yet: no cell
            at = block.find(b"sheetData")
            if at < 0:
                tail = block[-8:]
                continue
            cells, block = True, block[at:]
        cut = block.rfind(b"<")  # scanned up to the last tag, which goes on in the next chunk
        if cut < len(block) - _LONG_TAG:  # no tag, a long text or a long tag to the end
            if block[cut : cut + 2] == b"<c":
                return False
            cut = len(block)
        if _ODD.search(block, 0, cut) or block.find(b"\0", 0, cut) >= 0:
            return False
        last = block.rfind(b"<row", 0, cut)
        if last >= 0 and (row := _LAST_ROW.match(block, last, cut)):
            rows = max(rows, int(row[1]))
        at = 0
        while found := odd_cell(rows, columns).search(block, at, cut):
            cell = _CELL.match(block, found.start(), cut)
            if cell is None or int(cell[2]) > rows:
                return False
            listed = map(column_number, _COLUMN.findall(block, found.start(), cut))
            columns, at = max(columns, column_number(cell[1]), *listed), found.start()
        tail = block[cut:]
    return rows * columns <= DENSE_CELLS
