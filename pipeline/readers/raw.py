"""The faithful shape every reader produces first: labelled values with their source.

Readers read in two steps (as pandoc does for messy formats): first the file becomes
:class:`RawRecord` items, one per client, each a list of labelled values exactly as the file
holds them (a column header and a cell, a form field name and its value, a label and the text
beside it); then :func:`pipeline.readers.mapping.collect.map_record` maps every record into the plan
model with one alias table and one profile mechanism for all formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pipeline.model import Source
from pipeline.model.build import assemble, assembler


def cell_source(file: str, sheet: str | None, row: int, column: str) -> Source:
    """A table cell's source, as ``Source(file=..., sheet=..., row=..., column=...)`` makes it
    (equal, same fields set, same JSON) but without validating: a reader calls it with its
    own values (file and column text, sheet text or None, row a number), which validation
    keeps as they are. A table makes one per cell, so this is about 2.5 times cheaper."""
    return assemble(Source, {"file": file, "sheet": sheet, "row": row, "column": column})


def cell_sources(file: str, sheet: str | None, column: str) -> Callable[[int], Source]:
    """A maker of the column's cell sources by row: ``cell_sources(f, s, c)(row)`` is
    ``cell_source(f, s, row, c)``, about twice as cheap (made once a column of a table)."""
    return assembler(Source, {"file": file, "sheet": sheet, "column": column}, "row")


def cell_template(file: str, sheet: str | None, column: str) -> tuple[dict[str, Any], set[str]]:
    """The ``__dict__`` and fields set of the column's cell sources but for the row (None):
    a reader that makes every cell's source itself (``mapping/rows.py``) copies both and sets
    the row, as :func:`cell_sources` does."""
    template = assemble(Source, {"file": file, "sheet": sheet, "column": column, "row": None})
    return template.__dict__, template.__pydantic_fields_set__


def row_template(file: str, sheet: str | None) -> tuple[dict[str, Any], set[str]]:
    """The ``__dict__`` and fields set of a table's row sources but for the row (None), as
    :func:`cell_template` gives a column's: a copy of both with the row is
    :func:`row_source`'s source (``mapping/rows.py`` makes one a row)."""
    template = assemble(Source, {"file": file, "sheet": sheet, "page": None, "row": None})
    return template.__dict__, template.__pydantic_fields_set__


def row_source(file: str, sheet: str | None, row: int) -> Source:
    """A table row's source, as ``Source(file=..., sheet=..., page=None, row=...)`` makes it
    (see :func:`cell_source`)."""
    return assemble(Source, {"file": file, "sheet": sheet, "page": None, "row": row})


#: a table row as read: (file, sheet, the table's labelled columns as (index, label), row
#: number, the row's cells); its labelled non-blank cells are the record's fields
TableRow = tuple[str, str | None, tuple[tuple[int, str], ...], int, Sequence[Any]]


class RawField(NamedTuple):
    """One labelled value as found in the file (a named tuple: a table makes one per cell)."""

    label: str  #: column header, form field name / tooltip, or label text
    value: Any  #: str, int, float, bool, date, datetime or None, as the file holds it
    source: Source  #: where it was found (file, sheet, row, column, page, field)


@dataclass(frozen=True)
class RawRecord:
    """One client's labelled values, before mapping. Labels may repeat (long exports)."""

    where: str  #: human-readable place of the record, e.g. 'intake.csv, rows 4-6'
    fields: tuple[RawField, ...]
    #: the rows (or forms) the fields came from, in order; () = found from the fields' sources
    places: tuple[Source, ...] = ()
    #: every label of the tables or forms the record came from, blank cells included (item
    #: columns are told apart by their neighbours); () = the labels of ``fields``
    columns: tuple[str, ...] = ()
    #: (file, sheet) -> {label -> path} decided by each table's whole header (item columns,
    #: the id column, column roles); None = decided from the labels of ``fields``
    context: dict[tuple[str | None, str | None], dict[str, str | None]] | None = field(
        default=None, hash=False, compare=False
    )
    #: (file, sheet) -> how that table's labels route, shared by every record of the table
    #: (:class:`pipeline.readers.mapping.routes.Routes`); None = routed record by record
    routes: dict[tuple[str | None, str | None], Any] | None = field(
        default=None, hash=False, compare=False, repr=False
    )
    #: a table record's rows, mapped cell by cell (``mapping/rows.py``) after ``fields``:
    #: each row's labelled non-blank cells are fields of the record, with their sources
    rows: tuple[TableRow, ...] = field(default=(), hash=False, compare=False, repr=False)

    def labels(self) -> tuple[str, ...]:
        """The labels around the record: ``columns``, else the labels of its fields."""
        return self.columns or tuple(f.label for f in self.fields)

    def sources(self) -> tuple[Source, ...]:
        """The places the record's fields came from (file, sheet, page, row), in order."""
        if self.places or not self.fields:  # (a table's record: its rows are its places)
            return self.places
        found = dict.fromkeys(
            (s.file, s.sheet, s.page, s.row) for s in (f.source for f in self.fields)
        )
        return tuple(Source(file=f, sheet=sh, page=pg, row=r) for f, sh, pg, r in found)
