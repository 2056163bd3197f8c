"""CSV cells that a spreadsheet program shows as text, never runs as a formula.

Client-supplied values (ids, names, findings quoting a cell) end up in ``manifest.csv`` and
``due.csv``, which staff open in Excel. A cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return would be run as a formula there (CSV injection, OWASP), so such a
cell is written with a leading apostrophe, which Excel and LibreOffice hide and keep as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should show it: text that starts like a formula is quoted."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of a CSV row made safe with :func:`safe_cell`."""
    return {key: safe_cell(value) for key, value in row.items()}
