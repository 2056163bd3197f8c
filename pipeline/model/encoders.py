"""Encoders generated once per part class: a part's canonical JSON without intermediate dicts.

:mod:`pipeline.model.canonical` puts a plan's members together; each part class's encoder is
generated here from its field types (:func:`encoder`). A value the field's type does not allow
raises :class:`Unexpected` (the plan then goes the reference way, which gives the same text).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import types
import typing
from collections.abc import Callable
from enum import Enum
from json.encoder import encode_basestring
from typing import Any

from pydantic import BaseModel


def empty(value: Any) -> bool:
    """A member's ``exclude_if``: lists added after 1.0 are written only when they hold
    something (so a plan without them has the JSON, and the hash, it had before)."""
    return not value


def encode_value(value: object) -> str:
    """One JSON value as the canonical JSON writes it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Unexpected(Exception):
    """A value the field's declared type does not allow: encode the reference way."""


def _bad(*_: object) -> str:
    raise Unexpected


#: Part classes whose encoders remember the text of each part they encoded, by identity
#: (:func:`remember_texts`), with the member and value of the parts they remember (None: all).
_REMEMBERED: dict[type, tuple[str, object] | None] = {}
#: Parts whose texts an encoder of :data:`_REMEMBERED` keeps before it forgets them all.
TEXTS = 4096


def remember_texts(*classes: type[BaseModel], shared: tuple[str, object] | None = None) -> None:
    """Have the encoders of these part classes remember each part's text (keeping the part,
    so its ``id()`` is not reused): parts shared by many plans (the goal bank's filled
    objectives, interventions and goals, see :mod:`pipeline.merge.fill`) are encoded once.
    ``shared``: the member and the value (compared by identity) that mark such a part; only
    those are remembered, so a plan's own parts are freed with the plan, not kept (and
    walked by the garbage collector) until thousands more were encoded. Parts are frozen, so
    a part's identity stands for its value; a class whose parts may hold a dict is never
    remembered. Call it before the first plan is encoded (the encoders are generated then)."""
    for cls in classes:
        _REMEMBERED[cls] = shared


ENCODERS: dict[type, Callable[[Any], str]] = {}


def _date(value: object) -> str:
    """A date the generated expression did not encode: not a date, or of a year before 1000
    (pydantic's own rendering of early years is not assumed)."""
    raise Unexpected


#: A date's JSON text by the date (``date.isoformat`` formats with C's printf: a dict read
#: costs a tenth of it; a batch's plans share their plan, review and target dates). At most
#: :data:`DATES` entries, emptied when full.
_DATES: dict[dt.date, str] = {}
DATES = 4096


def _dated(value: dt.date) -> str:
    """A ``datetime.date``'s JSON text (found in :data:`_DATES` or put there)."""
    if value.year <= 999:
        raise Unexpected
    text = '"' + value.isoformat() + '"'
    if len(_DATES) >= DATES:
        _DATES.clear()
    _DATES[value] = text
    return text


class Writer:
    """Python source for the encoders of one part class and, recursively, its parts."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {
            "_s": encode_basestring,
            "_int": int.__repr__,
            "_bad": _bad,
            "_date": _date,
            "_dated": _dated,
            "_D": _DATES,
            "_dt_date": dt.date,
            "_Unexpected": Unexpected,
            "_E": ENCODERS,
        }
        self.counter = 0

    def constant(self, value: Any) -> str:
        self.counter += 1
        name = f"_c{self.counter}"
        self.names[name] = value
        return name

    def expression(self, annotation: Any, var: str) -> str:
        """An expression encoding ``var`` of the given type, or calling ``_bad`` when the
        value is not of that type (exactly)."""
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin in (typing.Union, types.UnionType):
            choices = [a for a in args if a is not type(None)]
            if len(choices) != 1 or len(args) != 2:
                raise TypeError(f"unsupported union {annotation}")
            inner = self.expression(choices[0], var)
            return f'("null" if {var} is None else {inner})'
        if annotation is str:
            return f"(_s({var}) if type({var}) is str else _bad())"
        if annotation is bool:
            return f'("true" if {var} is True else "false" if {var} is False else _bad())'
        if annotation is int:
            return f"(_int({var}) if type({var}) is int else _bad())"
        if annotation is dt.date:
            return f"""((_D.get({var}) or _dated({var})) if type({var}) is _dt_date
                        else _date({var}))"""
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            if not issubclass(annotation, str):
                raise TypeError(f"unsupported enum {annotation}")
            cls = self.constant(annotation)
            return f"(_s({var}._value_) if type({var}) is {cls} else _bad())"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            encode = self.constant(encoder(annotation))
            return f"{encode}({var})"
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            item = self.expression(args[0], "i")
            return f"""('[' + ','.join([{item} for i in {var}]) + ']' if type({var}) is tuple
                        else _bad())"""
        if origin is dict and len(args) == 2 and args[0] is str:
            item = self.expression(args[1], "i")
            return f"""('{{' + ','.join([(_s(k) if type(k) is str else _bad()) + ':' + {item}
                                         for k, i in sorted({var}.items())]) + '}}'
                        if type({var}) is dict else _bad())"""
        raise TypeError(f"unsupported field type {annotation}")

    def members(
        self, cls: type[BaseModel], blind: str = "", reuse: bool = False
    ) -> tuple[str, list[str]]:
        """Statements setting ``a<n>`` to each member's text (``"name":value``), and the
        parts of the object's template, sorted by name. A member omitted when empty is
        ``,"name":value`` or nothing; the ``blind`` member is encoded only when ``full``.
        With ``reuse``, a member is the text ``p[n]`` of the plan encoded before (its
        members ``q``) when it is the same object there, unless it holds a dict (mutable:
        its identity is no promise of its value) or is the ``blind`` member."""
        body, template = "", []
        self.statements: list[str] = []  #: each member's statements (``body``, one by one)
        for n, name in enumerate(sorted(cls.model_fields)):
            info = cls.model_fields[name]
            if (
                info.alias
                or info.serialization_alias
                or info.exclude
                or (info.exclude_if is not None and info.exclude_if is not empty)
            ):
                raise TypeError(f"{cls.__name__}.{name}: aliases and exclusions are not encoded")
            value = self.expression(info.annotation, "v")
            self.statements.append(body)
            body += f"    v = d[{name!r}]\n"
            if reuse and name != blind and not holds_dict(info.annotation):
                body += f"    a{n} = p[{n}] if q[{name!r}] is v else "
            else:
                body += f"    a{n} = "
            key = encode_value(name) + ":"
            if info.exclude_if is empty:
                if n == 0:
                    raise TypeError(f"{cls.__name__}.{name}: the first member is never omitted")
                body += f"(({self.constant(',' + key)} + {value}) if v else '')\n"
                template.append(f"{{a{n}}}")
            elif name == blind:
                body += f"({self.constant(key)} + {value}) if full else ''\n"
                template.append(f"{{a{n}}}")
            else:
                body += f"{value}\n"
                template.append(("," if n else "") + key.replace("{", "{{") + f"{{a{n}}}")
        # what each member added to the body
        ends = [*self.statements[1:], body]
        self.statements = [e[len(s) :] for s, e in zip(self.statements, ends, strict=True)]
        return body, template


def holds_dict(annotation: Any, seen: frozenset[type] = frozenset()) -> bool:
    """Whether a value of this type may hold a dict (mutable: its identity is no promise)."""
    if typing.get_origin(annotation) is dict:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        inner = seen | {annotation}
        return any(holds_dict(f.annotation, inner) for f in annotation.model_fields.values())
    return any(holds_dict(a, seen) for a in typing.get_args(annotation))


def compile_encoder(cls: type[BaseModel], writer: Writer, source: str) -> Any:
    namespace = dict(writer.names)
    namespace["_cls"] = cls
    exec(compile(source, f"<canonical encoder of {cls.__name__}>", "exec"), namespace)  # noqa: S102
    return namespace["encode"]


def prologue(cls: type[BaseModel], arguments: str = "o") -> str:
    """The encoder's first lines (its ``def`` line unless ``arguments`` is empty)."""
    count = len(cls.model_fields)
    return (f"def encode({arguments}):\n" if arguments else "") + (
            "    if type(o) is not _cls:\n        raise _Unexpected\n"
            f"    d = o.__dict__\n    if len(d) != {count}:\n"
            "        raise _Unexpected\n")  # fmt: skip


def unusable(*_: object) -> Any:
    raise Unexpected


def encoder(cls: type[BaseModel]) -> Callable[[Any], str]:
    """The encoder of one part class (generated on first use; one that always answers
    :class:`Unexpected` when the class has a field type it does not know)."""
    if cls not in ENCODERS:
        ENCODERS[cls] = unusable  # a part that contains itself is not encoded here
        try:
            if cls.model_computed_fields or cls.model_config.get("extra") != "forbid":
                raise TypeError(f"{cls.__name__}: computed fields or extra members")
            writer = Writer()
            body, template = writer.members(cls)
            text = f"f'{{{{{''.join(template)}}}}}'"
            if cls in _TAILS:
                with contextlib.suppress(TypeError):  # else encoded whole each time
                    body, text = _with_tail(cls, writer, template, _TAILS[cls])
            if cls in _REMEMBERED and not holds_dict(cls):
                texts = writer.constant({})
                shared = _REMEMBERED[cls]
                own = ""  # a part not shared by plans: its text is not kept
                if shared is not None and shared[0] in cls.model_fields:
                    mark = writer.constant(shared[1])
                    own = f"    if d[{shared[0]!r}] is not {mark}:\n        return t\n"
                source = (f"def encode(o):\n    e = {texts}.get(id(o))\n"
                          "    if e is not None and e[0] is o:\n        return e[1]\n"
                          f"{prologue(cls, '')}{body}    t = {text}\n{own}"
                          f"    if len({texts}) >= {TEXTS}:\n        {texts}.clear()\n"
                          f"    {texts}[id(o)] = (o, t)\n    return t\n")  # fmt: skip
            else:
                source = f"{prologue(cls)}{body}    return {text}\n"
            ENCODERS[cls] = compile_encoder(cls, writer, source)
        except TypeError:
            pass
    return ENCODERS[cls]


def _with_tail(
    cls: type[BaseModel], writer: Writer, template: list[str], first: str
) -> tuple[str, str]:
    """The body and template of an encoder that keeps the text of the members from ``first``
    on (in name order) of the part it encoded last, with their values: a part whose values
    there are the very same objects takes that text (a value is immutable: a text, a number,
    a date, None, a part; a class whose members may hold a dict is not done so)."""
    names = sorted(cls.model_fields)
    at = names.index(first)
    if at == 0 or holds_dict(cls):
        raise TypeError(f"{cls.__name__}: no members before {first}, or a dict in it")
    slot = writer.constant([None])
    values = [f"d[{name!r}]" for name in names[at:]]
    same = " and ".join(f"{v} is t[{i}]" for i, v in enumerate(values))
    inner = "".join(writer.statements[at:]).replace("\n    ", "\n        ")
    tail = "".join(template[at:])
    body = (f"{''.join(writer.statements[:at])}    t = {slot}[0]\n"
            f"    if t is not None and {same}:\n        tail = t[{len(values)}]\n"
            f"    else:\n    {inner}        tail = f'{tail}'\n"
            f"        {slot}[0] = ({', '.join(values)}, tail)\n")  # fmt: skip
    return body, f"f'{{{{{''.join(template[:at])}{{tail}}}}}}'"


#: Part classes whose encoders keep the text of their last members (:func:`remember_tails`).
_TAILS: dict[type, str] = {}


def remember_tails(cls: type[BaseModel], first: str) -> None:
    """Have the encoder of ``cls`` keep the text of its members from ``first`` on (in name
    order) for the next part: parts encoded one after another that share those values (the
    file, sheet and row of a plan's 50 field sources) encode them once. Call it before the
    first plan is encoded."""
    _TAILS[cls] = first
