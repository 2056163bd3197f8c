"""Reads CSV/TSV/TXT exports: UTF-8, UTF-8 with BOM or Windows-1252; `,` `;` or tab detected.

Every cell is text exactly as written; nothing is evaluated, so ``=HYPERLINK(...)`` is data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from . import ReadOptions, ReadResult
from .tabular import Sheet, read_tables

DELIMITERS = (",", ";", "\t")


def decode(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; binary files are refused."""
    if not data.strip():
        raise InputError("the file is empty; export it again", where)
    if data[:4] == b"PK\x03\x04":
        raise InputError("this is a workbook (.xlsx) with a text suffix; rename it .xlsx", where)
    if b"\x00" in data[:4096]:
        raise InputError("not a text file (binary data); export it as CSV", where)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def sniff(text: str, suffix: str) -> str:
    """The delimiter whose split gives the most rows with the same number of cells (> 1)."""
    if suffix == ".tsv":
        return "\t"
    sample = text[:65536].splitlines()[:50]
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)]
        widths = [c for c in counts if c > 1]
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        score = widths.count(common) * common
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """Every client record in the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", str(path)) from exc
    text = decode(data, str(path))
    delimiter = sniff(text, path.suffix.lower())

    def rows() -> Iterator[list[str]]:
        return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    try:
        yield from read_tables(str(path), [Sheet(None, rows)], options)
    except csv.Error as exc:
        raise InputError(f"not a readable delimited file ({exc})", str(path)) from exc
