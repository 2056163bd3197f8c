"""Choosing the label of a form value when a form offers several (tooltip, name, nearby text)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def best_label(candidates: Iterable[str | None], profile: Any = None) -> str:
    """The first candidate the profile or the alias table knows; else the first one given."""
    from pipeline.readers.mapping.routes import resolve_label

    given = [c.strip() for c in candidates if c and c.strip()]
    for label in given:
        if resolve_label(label, profile) is not None:
            return label
    return given[0] if given else ""


def is_header_row(rows: list[list[str]], profile: Any = None) -> bool:
    """True when a two-column table starts with a header row rather than label/value rows.

    It does when every cell of the first row is a known label and no later first cell is one
    (``Diagnosis Code | Primary`` over ``F41.1 | Yes``, not ``Client ID | A-1``).
    """
    from pipeline.readers.mapping.routes import resolve_label

    if len(rows) < 2 or not all(rows[0]):
        return False
    if not all(resolve_label(cell, profile) for cell in rows[0]):
        return False
    return not any(row and resolve_label(row[0], profile) for row in rows[1:])
