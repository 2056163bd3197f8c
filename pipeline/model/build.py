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
_set = object.__setattr__


def assemble(cls: type[BaseModel], values: dict[str, Any]) -> Any:
    """``cls(**values)`` for values already of exactly their fields' types (unchecked)."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = _defaults(cls)
    part = cls.__new__(cls)
    data = defaults.copy()
    data.update(values)
    _set(part, "__dict__", data)
    _set(part, "__pydantic_fields_set__", set(values))
    _set(part, "__pydantic_extra__", None)
    _set(part, "__pydantic_private__", None)
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
        part = cls.__new__(cls)
        _set(part, "__dict__", found)
        _set(part, "__pydantic_fields_set__", fields_set.copy())
        _set(part, "__pydantic_extra__", None)
        _set(part, "__pydantic_private__", None)
        return part

    return make


_VALIDATORS = ("validators", "field_validators", "root_validators", "model_validators")


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """Every field's default in declaration order (the order validation fills ``__dict__``);
    a class with factories, validators, private or extra members is not assembled."""
    config = cls.model_config
    if (
        config.get("extra") == "allow"
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
