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

from pipeline.model import Part
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


#: How many cut trees are kept (a bound on their memory; then the table starts anew).
TREE_CACHE_SIZE = 4096
_TREES: dict[tuple[Any, ...], dict[str, Any]] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})


def cut_tree(key: tuple[Any, ...], make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``make()``, kept by ``key`` (everything ``make`` reads, the date format and the shape
    of the fields it cuts to, with a name for ``make`` itself), handed out as a new tree:
    every dict and list in it is a copy, its leaves (strings, numbers, None) are shared. A
    tree with any other value in it is made for this plan alone, never kept."""
    kept = _TREES.get(key)
    if kept is not None:
        return _copy(kept)
    out = make()
    if _flat_tree(out):
        if len(_TREES) >= TREE_CACHE_SIZE:
            _TREES.clear()
        _TREES[key] = _copy(out)  # the caller may change ``out``: keep a copy of its own
    return out


def _flat_tree(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(_flat_tree(v) for v in value.values())
    if kind is list:
        return all(_flat_tree(v) for v in value)
    return kind in _LEAVES


def _copy(tree: dict[str, Any]) -> dict[str, Any]:
    """A tree of dicts and lists with scalar leaves, every container new."""
    out = {}
    for k, v in tree.items():
        kind = type(v)
        out[k] = _copy(v) if kind is dict else _copy_list(v) if kind is list else v
    return out


def _copy_list(items: list[Any]) -> list[Any]:
    return [_copy(x) if type(x) is dict else _copy_list(x) if type(x) is list else x
            for x in items]  # fmt: skip


def part_key(part: Any) -> tuple[Any, ...]:
    """A model part's content as a hashable key: its type and every field's value, a tuple
    of parts as each part's type and fields (a field added to the model later is in it)."""
    out = [type(part)]
    for value in part.__dict__.values():
        if type(value) is tuple and value and isinstance(value[0], Part):
            value = tuple([(type(x), tuple(x.__dict__.values())) for x in value])
        out.append(value)
    return tuple(out)
