"""The one CSV writer: cells a spreadsheet shows as text (never runs), CR/LF quoted, numbers kept.

Client-supplied values (ids, names, findings quoting a cell) end up in ``manifest.csv``,
``due --csv``, the web app's due list and review sheet, which staff open in Excel. Every CSV
txplan writes goes through :class:`CsvWriter` (a test forbids ``csv.writer`` elsewhere):

* a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed
  would be run as a formula (CSV injection, OWASP), so it is written with a leading
  apostrophe, which Excel and LibreOffice hide and keep as text;
* a cell holding a comma, a double quote, a CR or a LF is quoted (RFC 4180; the standard
  library's writer leaves a lone CR unquoted when rows end in ``\\n``, so a CR in a value could
  start a new row in some readers);
* a number (int, float, Decimal; not bool) stays a number: never prefixed, even negative.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_QUOTED = (",", '"', "\r", "\n")
LINE_END = "\n"


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should show it: text that starts like a formula is quoted
    with an apostrophe; numbers and everything else are returned as they are."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of a CSV row made safe with :func:`safe_cell`."""
    return {key: safe_cell(value) for key, value in row.items()}


def is_number(value: Any) -> bool:
    """An int, float or Decimal (a bool is not a number here)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value: Any) -> str:
    """One cell as CSV text: numbers as they are, text made safe and quoted when needed."""
    if type(value) is str:  # the common cell, in as few steps (the same text as below)
        text = "'" + value if value.startswith(_TRIGGERS) else value
        if "," in text or '"' in text or "\r" in text or "\n" in text:
            return '"' + text.replace('"', '""') + '"'
        return text
    if value is None:
        return ""
    if is_number(value):
        return repr(value) if isinstance(value, float) else str(value)
    text = safe_cell(value if isinstance(value, str) else str(value))
    if any(c in text for c in _QUOTED):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells: Iterable[Any]) -> str:
    """One CSV row (with its line end) from its cells."""
    return ",".join([csv_cell(c) for c in cells]) + LINE_END


class CsvWriter:
    """``csv.DictWriter``'s shape over :func:`csv_line`: rows are mappings (by ``fieldnames``;
    missing keys are empty) or sequences of cells."""

    def __init__(self, handle: IO[str], fieldnames: Sequence[str] | None = None) -> None:
        self.handle = handle
        self.fieldnames = tuple(fieldnames) if fieldnames is not None else None

    def writeheader(self) -> None:
        if self.fieldnames is None:
            raise ValueError("a header needs fieldnames")
        self.handle.write(csv_line(self.fieldnames))

    def writerow(self, row: Mapping[str, Any] | Sequence[Any]) -> None:
        if isinstance(row, Mapping):
            if self.fieldnames is None:
                raise ValueError("a mapping row needs fieldnames")
            extra = set(row) - set(self.fieldnames)
            if extra:
                raise ValueError(f"row has keys not in fieldnames: {sorted(extra)}")
            row = [row.get(name) for name in self.fieldnames]
        self.handle.write(csv_line(row))

    def writerows(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(
    fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any] | Sequence[Any]]
) -> bytes:
    """A whole CSV (header, then rows) as UTF-8 bytes."""
    out = io.StringIO()
    writer = CsvWriter(out, fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


__all__ = ["CsvWriter", "csv_bytes", "csv_cell", "csv_line", "is_number", "safe_cell", "safe_row"]
