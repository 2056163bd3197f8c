"""Reads XLSX/XLSM exports with openpyxl in read-only mode: every sheet, or the one named.

Cells are read as stored: dates as dates, numbers as numbers, and for a formula cell the value
Excel saved with it (``data_only``); nothing is ever evaluated. Text that begins with ``=``,
``+``, ``-`` or ``@`` stays text.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.bounded import check_archive
from pipeline.errors import InputError
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.tabular import Sheet, read_tables

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _open(path: Path):
    head = path.read_bytes()[:8] if path.stat().st_size else b""
    if not head:
        raise InputError("the file is empty; export the workbook again", str(path))
    if head == _OLE:
        raise InputError(
            "the workbook is password-protected (encrypted) or an old .xls file; remove the "
            "password or save it as .xlsx, then try again",
            str(path),
        )
    if not zipfile.is_zipfile(path):
        raise InputError(
            "not an .xlsx workbook (corrupt or another format); open it in Excel and save it "
            "as .xlsx, or export it again",
            str(path),
        )
    check_archive(path, "workbook")  # a zip bomb is refused before anything inflates
    from openpyxl import load_workbook  # parses XML through defusedxml: no entities

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise InputError(
            f"the workbook cannot be opened ({type(exc).__name__}: {exc}); it may be corrupt, "
            "open and save it again in Excel",
            str(path),
        ) from exc


def read(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """Every client record in the workbook (or in ``options.sheet``)."""
    wanted = options.sheet or getattr(options.profile, "sheet", None)
    book = _open(path)
    try:
        names = book.sheetnames
        if wanted is not None and wanted not in names:
            raise InputError(f'no sheet "{wanted}"; the sheets are {", ".join(names)}', str(path))
        sheets = []
        for name in names:
            if wanted is not None and name != wanted:
                continue
            worksheet = book[name]
            if not hasattr(worksheet, "iter_rows"):  # a chart sheet
                continue
            worksheet.reset_dimensions()
            sheets.append(Sheet(name, lambda ws=worksheet: ws.iter_rows(values_only=True)))
        try:
            yield from read_tables(str(path), sheets, options)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise InputError(f"the workbook is damaged ({exc})", str(path)) from exc
    finally:
        book.close()
