"""An XLSX workbook's worksheets read in one pass each, as calamine would give their rows.

The sheet XML is inflated once and scanned once, by a small C scanner (``cscan.c``, built on
install; its Python twin ``scan.py`` gives the same rows): no dense-grid check first, and no
second pass for merged cells as calamine makes. Where the C scanner is not built, workbooks
are read by calamine as before (the twin reads about half as fast as calamine: it is the
scanner's specification and the tests' reference, used when $TXPLAN_SHEET_SCANNER is
"python"). Only the plain XML every
spreadsheet program writes is read (cells in order, each with its own ``r`` first, in a row
with its ``r``; numbers, shared or inline strings, booleans, formulas' saved values, whole-day
dates); anything else answers None and the workbook is read as before (grid check, calamine
or openpyxl), so a hostile or unusual file costs nothing new. Memory is bounded: a sheet part
of at most :data:`SHEET_BYTES`, and rows laid out only within ``grid.DENSE_CELLS`` cells.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import deflate

from pipeline.readers.grid import DENSE_CELLS
from pipeline.readers.sheetxml import book, scan

try:
    from pipeline.readers.sheetxml import cscan as native
except ImportError:  # not built (no compiler when installed): calamine reads, as before
    native = None

#: The largest sheet part read in one piece here (about 35,000 rows of a 50-column export);
#: a larger one is read by calamine or streamed by openpyxl, as before.
SHEET_BYTES = 96 << 20
#: "python": the Python twin scans (tests compare it with the C scanner); "off": none does.
SCANNER_VARIABLE = "TXPLAN_SHEET_SCANNER"


def scanner() -> Any:
    """The C scanner when it is built, the Python twin when asked for; else None."""
    chosen = os.environ.get(SCANNER_VARIABLE, "")
    if chosen == "python":
        return scan
    return native if chosen != "off" else None


def read_book(
    path: Path, wanted: str | None
) -> tuple[list[str], list[tuple[str, list[list[Any]]]]] | None:
    """The names of the worksheets, and (name, rows) of each (or of ``wanted``), in the
    workbook's order, the rows as calamine's with the columns before its first padded with
    None; None when this workbook is not plain enough to be read here (then calamine or
    openpyxl reads it)."""
    reader = scanner()
    if reader is None:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = book.worksheets(archive)
            if sheets is None or (wanted is not None and wanted not in dict(sheets)):
                return None
            styles = book.styles(archive)
            if styles is None:
                return None
            strings: list[str] | None = []
            if book.SHARED_STRINGS in archive.NameToInfo:
                xml = _part(archive, book.SHARED_STRINGS, path)
                strings = reader.strings(xml) if xml is not None else None
                if strings is None:
                    return None
            out = []
            for name, part in sheets:
                if wanted is not None and name != wanted:
                    continue
                xml = _part(archive, part, path)
                rows = reader.cells(xml, strings, styles, DENSE_CELLS) if xml else None
                if rows is None:
                    return None
                out.append((name, rows))
            return [name for name, _part in sheets], out
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError,
            NotImplementedError, RuntimeError, struct.error):  # fmt: skip
        return None  # a damaged package: calamine or openpyxl says what is wrong


def _part(archive: zipfile.ZipFile, name: str, path: Path) -> bytes | bytearray | None:
    """A part's bytes, inflated in one piece from its place in the file (CRC-checked), or None
    when it is larger than SHEET_BYTES, is not the size its directory entry says, or is
    stored otherwise than deflated or plain."""
    member = archive.getinfo(name)
    if member.file_size > SHEET_BYTES or member.flag_bits & 0x1:
        return None
    if member.compress_type != zipfile.ZIP_DEFLATED:
        with archive.open(member) as stream:
            data = stream.read(SHEET_BYTES + 1)
        return data if len(data) <= SHEET_BYTES else None
    with path.open("rb") as raw:
        raw.seek(member.header_offset)
        head = raw.read(30)
        if head[:4] != b"PK\x03\x04":
            return None
        names, extra = struct.unpack("<HH", head[26:30])
        raw.seek(member.header_offset + 30 + names + extra)
        packed = raw.read(member.compress_size)
    try:  # libdeflate: into a buffer of the declared size (at most SHEET_BYTES), 8x zlib's speed
        data = deflate.deflate_decompress(packed, member.file_size)
    except deflate.DeflateError:
        return None
    if len(data) != member.file_size or deflate.crc32(data) != member.CRC:
        return None
    return data
