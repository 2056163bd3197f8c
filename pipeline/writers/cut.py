"""List items made already cut to what a template reads of them, kept by content.

An item (an objective, a diagnosis, a service...) is made by a pure function of its
arguments; :func:`cut_item` keeps, by those arguments, the date format and the shape of the
fields the template reads of each item (:func:`~pipeline.writers.usage.shape`), the item as
:func:`~pipeline.writers.wording.used_dict` cuts and tidies it, and hands out a copy: the
same arguments give the same item whichever plan they come from, and no caller can change
what is kept. Only flat items (strings, numbers, None) are kept; others are made each time.
"""

from __future__ import annotations

import itertools
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
             shape: Shape, date: DateFormat, done: dict[str, str], *,
             shared: bool = False) -> dict[str, Any]:  # fmt: skip
    """``used_dict(make(), date, done, fields)``, kept by ``key`` (everything ``make`` reads,
    with a name for ``make`` itself), ``shape`` (of ``fields``) and ``date``; ``shared``: the
    caller only reads it (see :func:`cut_tree`), so the kept item itself is handed out."""
    whole = (key, shape, date)
    out = _CUT.get(whole)
    if out is None:
        out = used_dict(make(), date, done, fields)
        if any(type(v) in _NESTED for v in out.values()):
            return out  # made for this plan alone: never kept, so never shared
        if len(_CUT) >= CUT_CACHE_SIZE:
            _CUT.clear()
        _CUT[whole] = out
    # its values are strings, numbers or None: a flat copy is a new one
    return out if shared else out.copy()


def model_key(name: str, part: Any, *more: Any) -> tuple[Any, ...]:
    """A key for :func:`cut_item` of an item made from one model part (every field of it,
    so a field added to the model later is part of the key) and ``more`` arguments."""
    return (name, type(part), tuple(part.__dict__.values()), *more)


#: How many cut trees are kept (a bound on their memory; then the table starts anew).
TREE_CACHE_SIZE = 4096
#: key -> (the tree kept, how to copy it: :func:`_plan`, or :data:`_UNPLANNED`)
_TREES: dict[tuple[Any, ...], tuple[dict[str, Any], Any]] = {}
#: How to copy a kept tree is not worked out yet (it was kept for a shared caller).
_UNPLANNED: Any = type("Unplanned", (), {})()
_LEAVES = frozenset({str, int, float, bool, type(None)})


def cut_tree(key: tuple[Any, ...], make: Callable[[], dict[str, Any]], *,
             shared: bool = False) -> dict[str, Any]:  # fmt: skip
    """``make()``, kept by ``key`` (everything ``make`` reads, the date format and the shape
    of the fields it cuts to, with a name for ``make`` itself), handed out as a new tree:
    every dict and list in it is a copy, its leaves (strings, numbers, None) are shared. A
    tree with any other value in it is made for this plan alone, never kept.

    ``shared``: the caller only reads the tree (a template rendered in the immutable
    sandbox), so the kept tree itself is handed out, never copied, and a tree made here is
    kept as it is (it is then handed out to callers that copy it, never changed)."""
    kept = _TREES.get(key)
    if kept is not None:
        if shared:
            return kept[0]
        plan = kept[1]
        if plan is _UNPLANNED:  # kept by a shared caller: how to copy it is worked out now
            plan = _plan(kept[0])
            _TREES[key] = (kept[0], plan)
        return _copy(kept[0], plan)
    out = make()
    if _flat_tree(out):
        if len(_TREES) >= TREE_CACHE_SIZE:
            _TREES.clear()
        if shared:  # kept as it is (never changed), how to copy it worked out on first need
            _TREES[key] = (out, _UNPLANNED)
        else:  # the caller may change ``out``: a copy of its own
            plan = _plan(out)
            _TREES[key] = (_copy(out, plan), plan)
    return out


def _flat_tree(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(_flat_tree(v) for v in value.values())
    if kind is list:
        return all(_flat_tree(v) for v in value)
    return kind in _LEAVES


#: How to copy a list of scalars, or a dict of scalars: a flat copy (:func:`_plan`).
_FLAT = None


def _plan(tree: Any) -> Any:
    """How to copy this tree of dicts and lists (scalar leaves) with every container new,
    worked out once for a kept tree: :data:`_FLAT` for a container of scalars only; for a
    dict, ``(key, plan)`` of each key holding a container; for a list, its items' plans."""
    if type(tree) is dict:
        nested = tuple((k, _plan(v)) for k, v in tree.items() if type(v) in _NESTED)
        return nested or _FLAT
    nested = [_plan(v) if type(v) in _NESTED else _SCALAR for v in tree]
    if all(p is _SCALAR for p in nested):
        return _FLAT
    if all(p is _FLAT and type(v) is dict for p, v in zip(nested, tree, strict=True)):
        return _FLAT_DICTS
    return tuple(nested)


#: The plan of a list's scalar item (:func:`_plan`): the item itself.
_SCALAR: Any = type("Scalar", (), {})()
#: The plan of a list of dicts of scalars (a goal's objectives): each dict copied flat.
_FLAT_DICTS: Any = type("FlatDicts", (), {})()


def _copy(tree: Any, plan: Any) -> Any:
    """A tree of dicts and lists with scalar leaves, every container new (``plan``: how,
    from :func:`_plan` of this tree or of one of the same shape)."""
    if plan is _FLAT:
        return tree.copy()
    if plan is _FLAT_DICTS:
        return [item.copy() for item in tree]
    if type(tree) is dict:
        out = tree.copy()
        for k, sub in plan:
            v = tree[k]
            out[k] = (v.copy() if sub is _FLAT else [item.copy() for item in v]
                      if sub is _FLAT_DICTS else _copy(v, sub))  # fmt: skip
        return out
    return [v if p is _SCALAR else v.copy() if p is _FLAT else _copy(v, p)
            for v, p in zip(tree, plan, strict=True)]  # fmt: skip


#: Parts whose content number is kept (a bound on their memory; then the tables start anew).
PART_IDS = 8192
#: id(part) -> (the part, kept so its id() is not reused; its content number)
_BY_ID: dict[int, tuple[Any, int]] = {}
#: part_key -> its content number
_NUMBERS: dict[tuple[Any, ...], int] = {}
_COUNT = itertools.count()


def content_number(part: Any) -> int:
    """A number that stands for a frozen model part's content (:func:`part_key`): two parts
    with the same number have the same content. Worked out once per part while it is kept
    (by identity, the part kept with it: parts are frozen, and the merge hands the same
    goal object to many plans); a number is never given to two contents, even after the
    tables start anew (they are bounded: :data:`PART_IDS`)."""
    entry = _BY_ID.get(id(part))
    if entry is not None and entry[0] is part:
        return entry[1]
    key = part_key(part)
    number = _NUMBERS.get(key)
    if number is None:
        if len(_NUMBERS) >= PART_IDS:
            _NUMBERS.clear()
        number = _NUMBERS[key] = next(_COUNT)
    if len(_BY_ID) >= PART_IDS:
        _BY_ID.clear()
    _BY_ID[id(part)] = (part, number)
    return number


def part_key(part: Any) -> tuple[Any, ...]:
    """A model part's content as a hashable key: its type and every field's value, a tuple
    of parts as each part's type and fields (a field added to the model later is in it)."""
    out = [type(part)]
    for value in part.__dict__.values():
        if type(value) is tuple and value and isinstance(value[0], Part):
            value = tuple([(type(x), tuple(x.__dict__.values())) for x in value])
        out.append(value)
    return tuple(out)
