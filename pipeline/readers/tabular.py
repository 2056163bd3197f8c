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
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipeline.errors import InputError
from pipeline.findings import Finding, error, info
from pipeline.model import Source
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.mapping.aliases import normalize
from pipeline.readers.mapping.client import NO_ID
from pipeline.readers.mapping.collect import map_record
from pipeline.readers.mapping.identity import AMBIGUOUS, choose_id
from pipeline.readers.mapping.items import contextual_paths
from pipeline.readers.mapping.paths import IGNORE
from pipeline.readers.mapping.routes import Routes, explain_label, resolve_label
from pipeline.readers.mapping.tables import table_roles
from pipeline.readers.mapping.values import is_blank, parse_id, text
from pipeline.readers.raw import RawRecord

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
    """One table of a file: its name (None for CSV) and a way to read its rows again: its
    cells as the file holds them (a blank cell None or blank text; a workbook's date a
    ``datetime`` or a ``date``: the mapping reads a date as the datetime at its midnight)."""

    name: str | None
    rows: Callable[[], Iterable[Sequence[Any]]]
    file: str | None = None  #: the file it is in, when an export's tables are several files


@dataclass(frozen=True)
class Table:
    """A sheet whose header row was found."""

    file: str
    sheet: Sheet
    header_row: int
    labels: tuple[str, ...]
    id_col: int | None  #: None: no id column (a client-completed form); rows keyed by name+DOB
    item_cols: frozenset[int] = frozenset()  #: columns of repeated items (diagnoses, measures)
    #: labels whose path the whole header decides (item columns, the chosen id; see mapping)
    context: dict[str, str | None] = field(default_factory=dict, hash=False, compare=False)
    who_cols: frozenset[int] = frozenset()  #: name and birth-date columns (id-less tables)

    @cached_property
    def columns(self) -> tuple[tuple[int, str], ...]:
        """(index, label) of every labelled column, found once per table."""
        return tuple((i, label) for i, label in enumerate(self.labels) if label)

    @cached_property
    def column_labels(self) -> tuple[str, ...]:
        """The label of every labelled column, in order."""
        return tuple(label for _index, label in self.columns)

    def place(self, row: int | None = None, column: str | None = None) -> str:
        return str(Source(file=self.file, sheet=self.sheet.name, row=row, column=column))


_NAME_PATHS = frozenset(
    {"client.name", "client.last_name", "client.name_last_first", "client.first_name"}
)
SAMPLE_ROWS = 20  #: data rows looked at to tell an id column from a name column


def _top_rows(sheet: Sheet, count: int) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for row in sheet.rows():
        rows.append(tuple(row))
        if len(rows) >= count:
            break
    return rows


def _unnamed(profile: Any, label: str) -> bool:
    """True when the profile (if any) does not name this label itself."""
    return profile is None or profile.lookup(label) is None


def find_header(file: str, sheet: Sheet, options: ReadOptions) -> Table | None:
    """The sheet's header row, or None when no top row names the client (id, or name and
    another field: a client-completed form has no practice id; see ``identity.py``)."""
    profile = options.profile.scoped(file, sheet.name) if options.profile else None
    fixed = getattr(profile, "header_row", None)
    top = _top_rows(sheet, max(HEADER_SCAN, fixed or 0) + SAMPLE_ROWS)
    for number, row in enumerate(top, start=1):
        if number > max(HEADER_SCAN, fixed or 0):
            break
        if fixed and number != fixed:
            continue
        labels = tuple("" if is_blank(v) else text(v) for v in row)
        paths = [resolve_label(label, profile) if label else None for label in labels]
        items_in = contextual_paths(labels)
        paths = [
            items_in[label] if label in items_in and _unnamed(profile, label) else path
            for label, path in zip(labels, paths, strict=True)
        ]
        known = [p for p in paths if p not in (None, IGNORE)]
        named = any(p in _NAME_PATHS for p in paths) or any(
            normalize(label) in AMBIGUOUS for label in labels if label
        )
        if ("client.id" in paths and len(known) >= 2) or (named and len(known) >= 3):
            below = top[number : number + SAMPLE_ROWS]

            def samples(index: int, below: list[tuple[Any, ...]] = below) -> list[str]:
                return [text(r[index]) for r in below if index < len(r) and not is_blank(r[index])]

            id_col, changed = choose_id(labels, paths, samples)
            if profile is not None:  # the profile's own columns are never second-guessed
                changed = {k: v for k, v in changed.items() if profile.lookup(k) is None}
            context = {k: v for k, v in items_in.items() if _unnamed(profile, k)} | changed
            context |= {
                label: path
                for label, path in table_roles(labels, paths).items()
                if _unnamed(profile, label) and label not in changed
            }
            paths = [
                context.get(label, path) if label in context else path
                for label, path in zip(labels, paths, strict=True)
            ]
            if id_col is None and not any(p in _NAME_PATHS for p in paths):
                continue
            items = frozenset(i for i, p in enumerate(paths) if p and p.startswith(_ITEM_PATHS))
            who = frozenset(
                i for i, p in enumerate(paths) if p in _NAME_PATHS or p == "client.date_of_birth"
            )
            return Table(file, sheet, number, labels, id_col, items, context, who)
        if fixed:
            break
    return None


def best_header(sheet: Sheet, options: ReadOptions) -> tuple[int, tuple[str, ...]] | None:
    """The top row with the most known labels (what ``--explain`` shows of a rejected file)."""
    best: tuple[int, int, tuple[str, ...]] | None = None
    for number, row in enumerate(_top_rows(sheet, HEADER_SCAN), start=1):
        labels = tuple("" if is_blank(v) else text(v) for v in row)
        known = sum(
            1
            for label in labels
            if label and resolve_label(label, options.profile) not in (None, IGNORE)
        )
        if known and (best is None or known > best[0]):
            best = (known, number, labels)
    return (best[1], best[2]) if best else None


def _explain_row(
    file: str, sheet: Sheet, number: int, labels: tuple[str, ...], options: ReadOptions
) -> tuple[Finding, ...]:
    context = contextual_paths(labels)
    return tuple(
        explain_label(
            label,
            options.profile,
            str(Source(file=file, sheet=sheet.name, row=number, column=label)),
            context,
        )
        for label in labels
        if label
    )


def _cell(row: Sequence[Any], index: int) -> str:
    """A cell as text; "" when it is blank or the row is shorter."""
    value = row[index] if index < len(row) else None
    return "" if is_blank(value) else text(value)


def data_rows(table: Table) -> Iterator[tuple[int, Sequence[Any], str | None]]:
    """Data rows as (row number, values, client id); id None marks a footer row.

    A row without a client id right below a client's row continues that client when it holds
    only repeated items (another diagnosis or measure), as report-style exports write them.
    """
    previous = ""
    people: dict[tuple[str, ...], str] = {}  # id-less tables: name+DOB -> "row N" of its first
    for number, row in enumerate(table.sheet.rows(), start=1):
        if number <= table.header_row:
            continue
        for first in row:  # the first non-blank cell (is_blank, inlined: every row)
            if first is not None and (not isinstance(first, str) or first.strip()):
                break
        else:
            first = None
        if first is None:
            previous = ""
            continue
        if table.id_col is None:
            who = tuple(_cell(row, i).lower() for i in sorted(table.who_cols) if i < len(row))
            cid = people.setdefault(who, f"row {number}") if any(who) else ""
        else:  # a blank id cell (None in a workbook) is no id, never the text "None"
            cid = parse_id(_cell(row, table.id_col))
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
    if table.id_col is None:
        where = table.place(number)
        msg = "the row has values but no client id, name or birth date; fill them in"
        return ReadResult(where, None, (error(NO_ID, where, msg),))
    where = table.place(number, table.labels[table.id_col])
    msg = "the row has values but no client id; fill in the client id or delete the row"
    return ReadResult(where, None, (error(NO_ID, where, msg),))


def _spans(numbers: list[int]) -> str:
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text_spans = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)
    return f"row{'s' if len(numbers) > 1 else ''} {text_spans}"


Routed = dict[tuple[str | None, str | None], Routes]


def _record(cid: str, rows: list[tuple[Table, int, Sequence[Any]]], routes: Routed) -> RawRecord:
    if len(rows) == 1:  # one row: a wide export's client (the parts below, made directly)
        name, number = rows[0][0].sheet.name, rows[0][1]
        sheet = f'sheet "{name}" ' if name is not None else ""
        where = f"{rows[0][0].file}, {sheet}row {number} (client {cid})"
    else:
        by_sheet: dict[str | None, list[int]] = {}
        for table, number, _row in rows:
            by_sheet.setdefault(table.sheet.name, []).append(number)
        parts = [
            (f'sheet "{name}" ' if name is not None else "") + _spans(numbers)
            for name, numbers in by_sheet.items()
        ]
        where = f"{rows[0][0].file}, {', '.join(parts)} (client {cid})"
    cells = tuple(
        (table.file, table.sheet.name, table.columns, number, row) for table, number, row in rows
    )
    if len(rows) == 1:  # one row: its table
        tables = [rows[0][0]]
    else:
        tables = list({id(table): table for table, _number, _row in rows}.values())
    if len(tables) == 1:  # one table: its labels as they are
        columns = tables[0].column_labels
    else:
        columns = tuple(label for table in tables for label in table.column_labels)
    context = {(table.file, table.sheet.name): table.context for table in tables}
    return RawRecord(where, (), (), columns, context, routes, cells)


def read_tables(file: str, sheets: Sequence[Sheet], options: ReadOptions) -> Iterator[ReadResult]:
    """Every client record of a file's sheets, joined by client id, mapped into plans."""
    tables: list[Table] = []
    for sheet in sheets:
        table = find_header(sheet.file or file, sheet, options)
        where = str(Source(file=sheet.file or file, sheet=sheet.name))
        if table is None:
            if options.explain and (best := best_header(sheet, options)):
                number, labels = best  # the mapping of the likeliest header, to write a profile
                yield ReadResult(
                    where, None, _explain_row(sheet.file or file, sheet, number, labels, options)
                )
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
                explain_label(
                    label,
                    options.profile.scoped(table.file, sheet.name) if options.profile else None,
                    table.place(table.header_row, label),
                    table.context,
                )
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
    routes = {  # every label of a table routed once, for all its rows
        (t.file, t.sheet.name): Routes(options.profile, t.file, t.sheet.name, t.context)
        for t in tables
    }
    joined: dict[str, list[tuple[Table, int, Sequence[Any]]]] = {}
    for table in others:
        for number, row, cid in data_rows(table):
            if not cid:
                yield _problem(table, number, row, cid)
                continue
            joined.setdefault(cid, []).append((table, number, tuple(row)))
    last: dict[str, int] = {cid: number for number, _row, cid in data_rows(first) if cid}
    pending: dict[str, list[tuple[Table, int, Sequence[Any]]]] = {}
    profile = options.profile
    for number, row, cid in data_rows(first):
        if not cid:
            yield _problem(first, number, row, cid)
            continue
        pending.setdefault(cid, []).append((first, number, tuple(row)))
        if last.get(cid, number) <= number:
            yield map_record(_record(cid, pending.pop(cid) + joined.pop(cid, []), routes), profile)
    for cid, rows in pending.items():  # the file changed between the two passes
        yield map_record(_record(cid, rows + joined.pop(cid, []), routes), profile)
    for cid, rows in joined.items():
        record = _record(cid, rows, routes)
        table_name = f'sheet "{first.sheet.name}"' if first.sheet.name else first.file
        msg = f"client {cid} is not in {table_name}; add the client there or correct the id"
        yield ReadResult(record.where, None, (error(ORPHAN, record.where, msg),))
