"""Template values frozen: two values with equal frozen forms print alike in any template."""

from __future__ import annotations

import datetime as dt
from typing import Any

_SCALARS = (str, int, bool, type(None), dt.date)


class Unfrozen(Exception):
    """A value of a type whose equality does not promise the same printing."""


def frozen(value: Any) -> tuple:
    """A hashable copy of ``value`` that keeps every type and order: plain text, numbers,
    booleans, None, dates, and dicts, lists and tuples of them (a float by its repr, since
    0.0 == -0.0; a dict by its items in order). Raises :class:`Unfrozen` for anything else
    (a datetime, Markup, any object: equal ones may print differently)."""
    kind = type(value)
    if kind in _SCALARS:
        return (kind, value)
    if kind is float:
        return (kind, repr(value))
    if kind is dict:
        return (kind, tuple((frozen(k), frozen(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return (kind, tuple(frozen(v) for v in value))
    raise Unfrozen(kind.__name__)


__all__ = ["Unfrozen", "frozen"]
