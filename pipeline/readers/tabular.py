"""The faithful table shape shared by XLSX and CSV: header row, data rows, records by client.

The header row is the first of the top rows whose cells name at least two known fields,
one of them the client id (a profile may fix it with ``header_row``). Blank rows are skipped;
totals and report footers ("Total clients: 12", "Generated ...") are skipped with an info
finding. Rows are grouped into one :class:`RawRecord` per client id: rows of the first sheet
are streamed (a client's record goes out at its last row, found in a first quick pass), rows
of other sheets (Diagnoses, Measures...) are held by client id and joined in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import TypeAdapter

from pipeline.errors import InputError
from pipeline.findings import error, info
from pipeline.model import Source
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.mapping.assemble import NO_ID
from pipeline.readers.mapping.collect import explain_label, map_record, resolve_label
from pipeline.readers.mapping.paths import IGNORE
from pipeline.readers.mapping.values import is_blank, text
from pipeline.readers.raw import RawField, RawRecord

_ITEM_PATHS = ("diagnoses[", "measures[")
HEADER_SCAN = 30  #: how many top rows may hold titles before the header

SKIPPED = "IN020"  #: a footer/total row or a sheet without a header, skipped
ORPHAN = "IN021"  #: rows of a joined sheet whose client is not in the first sheet

_FOOTER = re.compile(
    r"^(?:grand\s+)?totals?\b|^count\b|^records?\b|^\d+\s+(?:records|clients|rows)\b"
    r"|^(?:report\s+)?(?:generated|printed|exported)\b|^end\s+of\b|^page\s+\d|^confidential"
    r"|^number\s+of\b|^source:",
    re.I,
)


@dataclass(frozen=True)
class Sheet:
    """One table of a file: its name (None for CSV) and a way to read its rows again."""

    name: str | None
    rows: Callable[[], Iterable[Sequence[Any]]]


@dataclass(frozen=True)
class Table:
    """A sheet whose header row was found."""

    file: str
    sheet: Sheet
    header_row: int
    labels: tuple[str, ...]
    id_col: int
    item_cols: frozenset[int] = frozenset()  #: columns of repeated items (diagnoses, measures)

    @cached_property
    def columns(self) -> tuple[tuple[int, str], ...]:
        """(index, label) of every labelled column, found once per table."""
        return tuple((i, label) for i, label in enumerate(self.labels) if label)

    def place(self, row: int | None = None, column: str | None = None) -> str:
        return str(Source(file=self.file, sheet=self.sheet.name, row=row, column=column))


def find_header(file: str, sheet: Sheet, options: ReadOptions) -> Table | None:
    """The sheet's header row, or None when no top row names the client id and a field."""
    profile = options.profile
    fixed = getattr(profile, "header_row", None)
    for number, row in enumerate(sheet.rows(), start=1):
        if number > max(HEADER_SCAN, fixed or 0):
            break
        if fixed and number != fixed:
            continue
        labels = tuple("" if is_blank(v) else text(v) for v in row)
        paths = [resolve_label(label, profile) if label else None for label in labels]
        known = [p for p in paths if p not in (None, IGNORE)]
        if "client.id" in paths and len(known) >= 2:
            items = frozenset(i for i, p in enumerate(paths) if p and p.startswith(_ITEM_PATHS))
            return Table(file, sheet, number, labels, paths.index("client.id"), items)
        if fixed:
            break
    return None


def _rows(table: Table) -> Iterator[tuple[int, Sequence[Any], str | None]]:
    """Data rows as (row number, values, client id); id None marks a footer row.

    A row without a client id right below a client's row continues that client when it holds
    only repeated items (another diagnosis or measure), as report-style exports write them.
    """
    previous = ""
    for number, row in enumerate(table.sheet.rows(), start=1):
        if number <= table.header_row:
            continue
        first = next((v for v in row if not is_blank(v)), None)
        if first is None:
            previous = ""
            continue
        cid = text(row[table.id_col]) if table.id_col < len(row) else ""
        if _FOOTER.match(text(first)) and (not cid or cid == text(first)):
            previous = ""
            yield number, row, None
            continue
        if not cid and previous and table.item_cols:
            filled = {i for i, v in enumerate(row) if not is_blank(v) and i < len(table.labels)}
            if filled <= table.item_cols:
                cid = previous
        previous = cid
        yield number, row, cid


def _problem(table: Table, number: int, row: Sequence[Any], cid: str | None) -> ReadResult:
    if cid is None:
        where = table.place(number)
        shown = " | ".join(text(v) for v in row if not is_blank(v))
        return ReadResult(where, None, (info(SKIPPED, where, f'footer row skipped: "{shown}"'),))
    where = table.place(number, table.labels[table.id_col])
    msg = "the row has values but no client id; fill in the client id or delete the row"
    return ReadResult(where, None, (error(NO_ID, where, msg),))


#: validates the sources of a row's cells in one call, far cheaper than a Source(...) per cell
_SOURCES = TypeAdapter(list[Source])


def _fields(table: Table, number: int, row: Sequence[Any]) -> list[RawField]:
    width = len(row)
    cells = [
        (label, value)
        for index, label in table.columns
        if index < width and not is_blank(value := row[index])
    ]
    file, sheet = table.file, table.sheet.name
    sources = _SOURCES.validate_python(
        [{"file": file, "sheet": sheet, "row": number, "column": label} for label, _ in cells]
    )
    return [
        RawField(label, value, source)
        for (label, value), source in zip(cells, sources, strict=True)
    ]


def _spans(numbers: list[int]) -> str:
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text_spans = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)
    return f"row{'s' if len(numbers) > 1 else ''} {text_spans}"


def _record(cid: str, rows: list[tuple[Table, int, Sequence[Any]]]) -> RawRecord:
    by_sheet: dict[str | None, list[int]] = {}
    for table, number, _row in rows:
        by_sheet.setdefault(table.sheet.name, []).append(number)
    parts = [
        (f'sheet "{name}" ' if name is not None else "") + _spans(numbers)
        for name, numbers in by_sheet.items()
    ]
    where = f"{rows[0][0].file}, {', '.join(parts)} (client {cid})"
    fields: list[RawField] = []
    places: list[Source] = []
    for table, number, row in rows:
        if found := _fields(table, number, row):
            fields.extend(found)
            places.append(Source(file=table.file, sheet=table.sheet.name, page=None, row=number))
    return RawRecord(where, tuple(fields), tuple(places))


def read_tables(file: str, sheets: Sequence[Sheet], options: ReadOptions) -> Iterator[ReadResult]:
    """Every client record of a file's sheets, joined by client id, mapped into plans."""
    tables: list[Table] = []
    for sheet in sheets:
        table = find_header(file, sheet, options)
        where = str(Source(file=file, sheet=sheet.name))
        if table is None:
            if len(sheets) == 1:
                raise InputError(
                    f"no header row with a client id column in the first {HEADER_SCAN} rows; "
                    "name the id column (Client ID, MRN...) or map it in a profile",
                    where,
                )
            msg = "skipped: no header row with a client id column"
            yield ReadResult(where, None, (info(SKIPPED, where, msg),))
            continue
        tables.append(table)
        if options.explain:
            found = tuple(
                explain_label(label, options.profile, table.place(table.header_row, label))
                for label in table.labels
                if label
            )
            yield ReadResult(where, None, found)
    if not tables:
        raise InputError(
            "no sheet has a header row with a client id column; name the id column "
            "(Client ID, MRN...) or map it in a profile",
            file,
        )
    first, others = tables[0], tables[1:]
    joined: dict[str, list[tuple[Table, int, Sequence[Any]]]] = {}
    for table in others:
        for number, row, cid in _rows(table):
            if not cid:
                yield _problem(table, number, row, cid)
                continue
            joined.setdefault(cid, []).append((table, number, tuple(row)))
    last: dict[str, int] = {cid: number for number, _row, cid in _rows(first) if cid}
    pending: dict[str, list[tuple[Table, int, Sequence[Any]]]] = {}
    profile = options.profile
    for number, row, cid in _rows(first):
        if not cid:
            yield _problem(first, number, row, cid)
            continue
        pending.setdefault(cid, []).append((first, number, tuple(row)))
        if last.get(cid, number) <= number:
            yield map_record(_record(cid, pending.pop(cid) + joined.pop(cid, [])), profile)
    for cid, rows in pending.items():  # the file changed between the two passes
        yield map_record(_record(cid, rows + joined.pop(cid, [])), profile)
    for cid, rows in joined.items():
        record = _record(cid, rows)
        sheet_name = first.sheet.name
        msg = f'client {cid} is not in sheet "{sheet_name}"; add the client there or correct the id'
        yield ReadResult(record.where, None, (error(ORPHAN, record.where, msg),))
