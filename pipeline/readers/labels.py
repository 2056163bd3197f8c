"""Choosing the label of a form value when a form offers several (tooltip, name, nearby text)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def best_label(candidates: Iterable[str | None], profile: Any = None) -> str:
    """The first candidate the profile or the alias table knows; else the first one given."""
    from .fields import resolve_label

    given = [c.strip() for c in candidates if c and c.strip()]
    for label in given:
        if resolve_label(label, profile) is not None:
            return label
    return given[0] if given else ""
