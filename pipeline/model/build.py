"""Parts assembled without pydantic's validator from values that already are what it gives.

:func:`assemble` is for a caller that made every value itself from validated parts and from
values it checked (the merge fills bank objectives this way, see
:mod:`pipeline.merge.fill`): a ``str`` for a ``str`` field, a ``datetime.date`` for a date,
an enum member, a tuple of such items within the field's ``max_length``. Validation would
return those values unchanged, so the part is what ``cls(**values)`` gives, field for field,
with the same fields set; it is built in half the time. :func:`validated` is the way to
check, in tests, that a caller keeps that promise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

_DEFAULTS: dict[type, dict[str, Any]] = {}
#: The instance slots every pydantic model has (BaseModel's ``__slots__``), set through their
#: descriptors (what ``object.__setattr__`` finds and calls, without looking them up).
SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
put_dict, put_fields, put_extra, put_private = (BaseModel.__dict__[n].__set__ for n in SLOTS)
new = object.__new__


def assemble(cls: type[BaseModel], values: dict[str, Any]) -> Any:
    """``cls(**values)`` for values already of exactly their fields' types (unchecked)."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = _defaults(cls)
    part = new(cls)
    put_dict(part, {**defaults, **values})
    put_fields(part, set(values))
    put_extra(part, None)
    put_private(part, None)
    return part


def assembler(cls: type[BaseModel], values: dict[str, Any], varying: str) -> Callable[[Any], Any]:
    """A maker of ``assemble(cls, values | {varying: value})`` for parts that differ in one
    field only (a table's cell sources: the same file, sheet and column, row after row):
    what does not vary is assembled once, so a part costs a copy and one value."""
    template = assemble(cls, {**values, varying: None})
    data, fields_set = template.__dict__, template.__pydantic_fields_set__

    def make(value: Any) -> Any:
        found = data.copy()
        found[varying] = value
        part = new(cls)
        put_dict(part, found)
        put_fields(part, fields_set.copy())
        put_extra(part, None)
        put_private(part, None)
        return part

    return make


def plain(cls: type) -> bool:
    """Whether instances of ``cls`` are made by ``object.__new__`` and keep their members
    in BaseModel's own slots (what :func:`assemble` and ``Part.model_copy`` assume)."""
    slots_owner = {n: next(c for c in cls.__mro__ if n in c.__dict__) for n in SLOTS}
    return cls.__new__ is object.__new__ and all(o is BaseModel for o in slots_owner.values())


_VALIDATORS = ("validators", "field_validators", "root_validators", "model_validators")


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """Every field's default in declaration order (the order validation fills ``__dict__``);
    a class with factories, validators, private or extra members is not assembled."""
    config = cls.model_config
    if (
        not plain(cls)
        or config.get("extra") == "allow"
        or cls.__private_attributes__
        or cls.__pydantic_post_init__
        or cls.model_computed_fields
        or any(getattr(cls.__pydantic_decorators__, kind) for kind in _VALIDATORS)
        or any(info.default_factory is not None for info in cls.model_fields.values())
    ):
        raise TypeError(f"{cls.__name__} cannot be assembled without validation")
    return {name: info.default for name, info in cls.model_fields.items()}


def validated(part: BaseModel) -> bool:
    """Whether validating the part's values again gives the same part, with values of the
    same types, and so for the parts it holds (True for every part :func:`assemble` may
    build). Raises ValidationError when a value is not valid at all."""
    again = type(part)(**{name: getattr(part, name) for name in part.model_fields_set})
    if again != part or again.model_fields_set != part.model_fields_set:
        return False
    for name in type(part).model_fields:
        ours, theirs = getattr(part, name), getattr(again, name)
        items = zip(ours, theirs, strict=True) if type(ours) is tuple else [(ours, theirs)]
        for mine, checked in items:
            if type(mine) is not type(checked):
                return False
            if isinstance(mine, BaseModel) and not validated(mine):
                return False
    return True
