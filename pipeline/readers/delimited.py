"""Reads CSV/TSV/TXT exports: UTF-8, UTF-8 with BOM or Windows-1252; `,` `;` or tab detected.

Every cell is text exactly as written; nothing is evaluated, so ``=HYPERLINK(...)`` is data.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import InputError
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.tabular import Sheet, read_tables

DELIMITERS = (",", ";", "\t")


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes (read in chunks, never held in memory)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1; binary files refused."""
    where = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
            more = bool(handle.read(1))
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", where) from exc
    if not head.strip() and not more:
        raise InputError("the file is empty; export it again", where)
    if head[:4] == b"PK\x03\x04":
        raise InputError("this is a workbook (.xlsx) with a text suffix; rename it .xlsx", where)
    if b"\x00" in head[:4096]:
        raise InputError("not a text file (binary data); export it as CSV", where)
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes(path, encoding):
            return encoding
    return "latin-1"


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
    """Every client record in the file, streamed (the file is read twice, never held)."""
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        delimiter = sniff(handle.read(65536), path.suffix.lower())

    def rows() -> Iterator[list[str]]:
        with path.open(encoding=encoding, newline="") as handle:
            yield from csv.reader(handle, delimiter=delimiter)

    try:
        yield from read_tables(str(path), [Sheet(None, rows)], options)
    except csv.Error as exc:
        raise InputError(f"not a readable delimited file ({exc})", str(path)) from exc
