"""Reads XLSX/XLSM exports: every sheet, or the one named.

Cells are read as stored: dates as dates, numbers as numbers, and for a formula cell the value
Excel saved with it; nothing is ever evaluated. Text that begins with ``=``, ``+``, ``-`` or
``@`` stays text. Workbooks are read with calamine (Rust, about 25 times faster than openpyxl,
no XML entities), which holds a sheet in memory; a sheet whose dense grid could exceed
``grid.DENSE_CELLS`` (a very large export, or a hostile file with cells spread far apart:
:func:`pipeline.readers.grid.grid_fits`) is streamed with openpyxl instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.bounded import check_archive
from pipeline.errors import InputError
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.grid import grid_fits
from pipeline.readers.sheetxml import read_book
from pipeline.readers.tabular import Sheet, read_tables

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: "openpyxl" reads every workbook with openpyxl (an escape hatch; slower, same values);
#: "calamine" with calamine where it can (no one-pass reading: readers/sheetxml).
ENGINE_VARIABLE = "TXPLAN_XLSX_ENGINE"
#: Rows kept from the top of each sheet calamine parses, for :func:`top_rows` (a title above
#: the header is looked for in the top five: readers/titles.py).
TOP_KEPT = 8
#: Files (and sheets) kept for :func:`top_rows` before the memory is emptied.
KEPT_FILES = 64
#: The worksheets of the files calamine opened, in order, by the file's identity.
_BOOKS: dict[tuple[object, ...], tuple[str, ...]] = {}
#: The top rows of the sheets calamine parsed, by the file's identity and the sheet's name.
_TOPS: dict[tuple[object, ...], list[Sequence[Any]]] = {}


def _check(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(8)
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


def _calamine_sheets(path: Path, wanted: str | None) -> list[Sheet] | None:
    """The sheets read by calamine, or None when calamine cannot read this workbook."""
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum
    except ImportError:  # pragma: no cover - a dependency; openpyxl still reads the file
        return None
    try:
        book = CalamineWorkbook.from_path(str(path))
        metadata = book.sheets_metadata
    except Exception:  # noqa: BLE001 - calamine's many errors: openpyxl then says what is wrong
        return None
    names = [m.name for m in metadata if m.typ == SheetTypeEnum.WorkSheet]
    if wanted is not None and wanted not in [m.name for m in metadata]:
        raise InputError(f'no sheet "{wanted}"; the sheets are {", ".join(names)}', str(path))
    identity = _identity(path)
    if identity is not None:
        _keep(_BOOKS, identity, tuple(names))
    return [
        Sheet(name, _CalamineRows(book, name, path, identity))
        for name in names
        if wanted is None or name == wanted
    ]


def _scanned_sheets(path: Path, wanted: str | None) -> list[Sheet] | None:
    """The sheets read in one pass by readers/sheetxml, or None when the workbook is not plain
    enough for it (calamine or openpyxl then reads it)."""
    read = read_book(path, wanted)
    if read is None:
        return None
    names, found = read
    identity = _identity(path)
    if identity is not None:
        _keep(_BOOKS, identity, tuple(names))
    return [Sheet(name, _ScannedRows(rows, name, identity)) for name, rows in found]


class _KeptRows:
    """A sheet's rows, the top ones kept for :func:`top_rows` the first time they are read."""

    name: str
    identity: tuple[object, ...] | None

    def _rows(self) -> Iterator[Sequence[Any]]:
        raise NotImplementedError

    def __call__(self) -> Iterator[Sequence[Any]]:
        rows = self._rows()
        key = (self.identity, self.name)
        if self.identity is not None and key not in _TOPS:  # kept for top_rows (a title)
            top = list(itertools.islice(rows, TOP_KEPT))
            _keep(_TOPS, key, _above_header([_openpyxl_cells(row) for row in top]))
            yield from top
        yield from rows


class _ScannedRows(_KeptRows):
    """A sheet's rows as readers/sheetxml laid them out: calamine's, padded from column A."""

    def __init__(self, rows: list[list[Any]], name: str,
                 identity: tuple[object, ...] | None) -> None:  # fmt: skip
        self.rows, self.name, self.identity = rows, name, identity

    def _rows(self) -> Iterator[Sequence[Any]]:
        return iter(self.rows)


class _CalamineRows(_KeptRows):
    """A sheet's rows as calamine gives them: numbered from row 1 (python-calamine gives the
    blank rows above the used range), padded from column A with None, a blank cell "" and a
    date a ``date`` (openpyxl gives None and the datetime at its midnight: the mapping takes
    both alike, ``mapping/rows.py``; :func:`rows_of` gives openpyxl's). The sheet is parsed
    once however often its rows are read (the header search reads the top, the ids pass all)."""

    def __init__(self, book: Any, name: str, path: Path,
                 identity: tuple[object, ...] | None = None) -> None:  # fmt: skip
        self.book, self.name, self.path, self.sheet = book, name, path, None
        self.identity = identity  #: the file's, to keep the sheet's top rows by (top_rows)

    def _parsed(self) -> Any:
        if self.sheet is None:
            try:
                self.sheet = self.book.get_sheet_by_name(self.name)
            except Exception as exc:  # noqa: BLE001 - a damaged sheet part
                raise InputError(f'sheet "{self.name}" is damaged ({type(exc).__name__}: '
                                 f"{exc})", str(self.path)) from exc  # fmt: skip
        return self.sheet

    def _rows(self) -> Iterator[Sequence[Any]]:
        # python-calamine's rows begin at row 1 (the blank rows above the used range are
        # given, empty), its cells at the used range's first column (padded here from A)
        sheet = self._parsed()
        first_col = (sheet.start or (0, 0))[1]
        if not first_col:
            return sheet.iter_rows()
        pad = [None] * first_col
        return (pad + row for row in sheet.iter_rows())


def _openpyxl_cells(row: Sequence[Any]) -> list[Any]:
    """A calamine row's cells as openpyxl gives them: blank None, a date the datetime at its
    midnight."""
    date, combine, midnight = dt.date, dt.datetime.combine, dt.time()
    return [None if v == "" else v if type(v) is not date else combine(v, midnight)
            for v in row]  # fmt: skip


def _identity(path: Path) -> tuple[object, ...] | None:
    """What names a file's content for :func:`top_rows`: its real path, device, inode, size
    and modification time (a file saved again is another file); None when it cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (os.path.realpath(path), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _above_header(top: list[Sequence[Any]]) -> list[Sequence[Any]]:
    """The rows above the first of several filled cells (a header or a record), as tuples:
    all a title is looked for in, and no client's record kept."""
    above = []
    for row in top:
        if sum(1 for c in row if c is not None and str(c).strip()) > 1:
            break
        above.append(tuple(row))
    return above


def _keep(table: dict[Any, Any], key: Any, value: Any) -> None:
    if len(table) >= KEPT_FILES:
        table.clear()
    table[key] = value


def top_rows(path: Path, count: int) -> Iterator[list[Sequence[Any]]]:
    """Each worksheet's first ``count`` rows (at most :data:`TOP_KEPT`) down to its first row
    of several filled cells (a header or a record: a title is looked for above it, and a
    sheet's rows may end there), in the workbook's order. A sheet calamine parsed for a read of
    this very file (same identity) is not parsed again: a message about the file's title
    (IN045) then costs nothing; any other sheet is read as :func:`sheets` reads it, only when
    asked for."""
    count = min(count, TOP_KEPT)
    identity = _identity(path)
    names = _BOOKS.get(identity, ()) if identity is not None else ()
    given = set()
    for name in names:
        top = _TOPS.get((identity, name))
        if top is None:
            break
        given.add(name)
        yield top[:count]
    else:
        if names:
            return
    book, found = sheets(path, None)
    try:
        for sheet in found:
            if sheet.name not in given:
                yield list(itertools.islice(sheet.rows(), count))
    finally:
        if book is not None:
            book.close()


def _openpyxl_sheets(path: Path, wanted: str | None) -> tuple[Any, list[Sheet]]:
    from openpyxl import load_workbook  # parses XML through defusedxml: no entities

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise InputError(
            f"the workbook cannot be opened ({type(exc).__name__}: {exc}); it may be corrupt, "
            "open and save it again in Excel",
            str(path),
        ) from exc
    names = book.sheetnames
    if wanted is not None and wanted not in names:
        book.close()
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
    return book, sheets


def sheets(path: Path, wanted: str | None, *,
           engine: str | None = None) -> tuple[Any, list[Sheet]]:  # fmt: skip
    """(what to close, the sheets): read in one pass by readers/sheetxml when the workbook is
    plain enough, else by calamine unless ``engine`` (default: $TXPLAN_XLSX_ENGINE) is
    "openpyxl", the grid would be too large, or calamine cannot open the file ("calamine"
    skips the one-pass reading)."""
    engine = engine or os.environ.get(ENGINE_VARIABLE, "auto")
    _check(path)
    if engine == "auto" and (found := _scanned_sheets(path, wanted)) is not None:
        return None, found
    if engine != "openpyxl" and grid_fits(path):
        found = _calamine_sheets(path, wanted)
        if found is not None:
            return None, found
    return _openpyxl_sheets(path, wanted)


def read(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """Every client record in the workbook (or in ``options.sheet``)."""
    wanted = options.sheet or getattr(options.profile, "sheet", None)
    book, found = sheets(path, wanted)
    try:
        try:
            yield from read_tables(str(path), found, options)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise InputError(f"the workbook is damaged ({exc})", str(path)) from exc
    finally:
        if book is not None:
            book.close()


def rows_of(found: Iterable[Sheet]) -> dict[str | None, list[tuple[Any, ...]]]:
    """Every sheet's rows as tuples of openpyxl's cells (for tests comparing the two engines):
    blank None, a date the datetime at its midnight."""
    return {sheet.name: [tuple(_openpyxl_cells(row)) for row in sheet.rows()] for sheet in found}
