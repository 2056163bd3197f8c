"""Attribute reads on immutable pydantic models at a plain object's speed (CPython's own lookup).

pydantic's ``BaseModel`` defines ``__getattr__`` (for private attributes and extra members).
A class with ``__getattr__`` anywhere in its MRO gets CPython's ``slot_tp_getattr_hook`` as
its attribute lookup: every read (``goal.origin``) looks up both hooks, then does the generic
lookup, and the interpreter cannot specialise the read (3.11: about 4x the time of a plain
object's read; a plan's merge, rules and record read ~1,500 attributes). For a model with no
private attributes and no extra members that hook can only ever raise ``AttributeError``
(its last branch), which the generic lookup raises too, with the same message. So for such a
class :func:`plain_reads` sets the type's lookup to ``PyObject_GenericGetAttr``, the one
``object`` uses; only after checking that the slot it writes is the lookup slot (``object``
holds the generic lookup there, a pydantic model the hook) and that the class qualifies.
Anything else (another interpreter, another layout, a class with private attributes, extra
members or its own ``__getattr__``/``__getattribute__``) leaves the class as pydantic made it:
reads are then slower, never different.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from pydantic import BaseModel

#: The slot's index among the words of a ``PyTypeObject`` (after ``PyObject_VAR_HEAD``'s three:
#: ``tp_name``, ``tp_basicsize``, ``tp_itemsize``, ``tp_dealloc``, ``tp_vectorcall_offset``,
#: ``tp_getattr``, ``tp_setattr``, ``tp_as_async``, ``tp_repr``, ``tp_as_number``,
#: ``tp_as_sequence``, ``tp_as_mapping``, ``tp_hash``, ``tp_call``, ``tp_str``,
#: ``tp_getattro``), the same since Python 3.0.
_GETATTRO = 18


def _slot(cls: type) -> ctypes.c_void_p:
    return ctypes.c_void_p.from_address(id(cls) + _GETATTRO * ctypes.sizeof(ctypes.c_void_p))


def _generic() -> int | None:
    """The address of ``PyObject_GenericGetAttr`` when the slot checked is the lookup slot
    (``object`` and a class without hooks hold it there, pydantic's models something else),
    else None."""
    if sys.implementation.name != "cpython" or not (3, 8) <= sys.version_info[:2] < (3, 14):
        return None
    try:
        generic = ctypes.cast(ctypes.pythonapi.PyObject_GenericGetAttr, ctypes.c_void_p).value
    except (AttributeError, ValueError):
        return None

    class Hookless:
        pass

    class Hooked:
        def __getattr__(self, name: str) -> Any:
            raise AttributeError(name)

    found = {_slot(cls).value for cls in (object, Hookless)}
    hooked = {_slot(cls).value for cls in (Hooked, BaseModel)}
    if found != {generic} or generic in hooked or len(hooked) != 1:
        return None
    return generic


_GENERIC = _generic()
#: The lookup pydantic's models have (CPython's hook), compared before a slot is written.
_HOOK = _slot(BaseModel).value if _GENERIC is not None else None


def qualifies(cls: type) -> bool:
    """Whether pydantic's ``__getattr__`` can only raise ``AttributeError`` for instances of
    ``cls``: no private attributes, no extra members, no hook of its own."""
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        return False
    hooks = [c for c in cls.__mro__ if "__getattr__" in c.__dict__]
    own = [c for c in cls.__mro__ if "__getattribute__" in c.__dict__]
    return (
        hooks == [BaseModel]
        and own == [object]
        and not cls.__private_attributes__
        and cls.model_config.get("extra") != "allow"
    )


def reads_plainly(cls: type) -> bool:
    """Whether instances of ``cls`` read attributes with CPython's generic lookup now (as
    ``object``'s do; False wherever that lookup could not be found)."""
    return _GENERIC is not None and _slot(cls).value == _GENERIC


def plain_reads(cls: type) -> bool:
    """Have instances of ``cls`` read attributes with CPython's generic lookup (see the
    module's docstring); whether they now do. Call it once the class is complete (pydantic's
    ``__pydantic_init_subclass__``): a class made later from it gets the hook back, as
    CPython works its slots out again for every new class."""
    if _GENERIC is None or not qualifies(cls):
        return False
    slot = _slot(cls)
    if slot.value == _GENERIC:
        return True
    if slot.value != _HOOK:
        return False
    slot.value = _GENERIC
    return True
