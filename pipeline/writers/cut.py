"""List items made already cut to what a template reads of them, kept by content.

An item (an objective, a diagnosis, a service...) is made by a pure function of its
arguments; :func:`cut_item` keeps, by those arguments, the date format and the shape of the
fields the template reads of each item (:func:`~pipeline.writers.usage.shape`), the item as
:func:`~pipeline.writers.wording.used_dict` cuts and tidies it, and hands out a copy: the
same arguments give the same item whichever plan they come from, and no caller can change
what is kept. Only flat items (strings, numbers, None) are kept; others are made each time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.writers.usage import Fields, Shape
from pipeline.writers.wording import DateFormat, used_dict

#: How many cut items are kept (a bound on their memory; then the table starts anew).
CUT_CACHE_SIZE = 16384
_CUT: dict[tuple[Any, ...], dict[str, Any]] = {}
_NESTED = (list, dict)


def cut_item(key: tuple[Any, ...], make: Callable[[], dict[str, Any]], fields: Fields,
             shape: Shape, date: DateFormat, done: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    """``used_dict(make(), date, done, fields)``, kept by ``key`` (everything ``make`` reads,
    with a name for ``make`` itself), ``shape`` (of ``fields``) and ``date``."""
    whole = (key, shape, date)
    out = _CUT.get(whole)
    if out is None:
        out = used_dict(make(), date, done, fields)
        if any(type(v) in _NESTED for v in out.values()):
            return out  # made for this plan alone: never kept, so never shared
        if len(_CUT) >= CUT_CACHE_SIZE:
            _CUT.clear()
        _CUT[whole] = out
    return out.copy()  # its values are strings, numbers or None: a flat copy is a new one


def model_key(name: str, part: Any, *more: Any) -> tuple[Any, ...]:
    """A key for :func:`cut_item` of an item made from one model part (every field of it,
    so a field added to the model later is part of the key) and ``more`` arguments."""
    return (name, type(part), tuple(part.__dict__.values()), *more)
