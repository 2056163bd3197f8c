"""The plan's JSON beyond pydantic's: members omitted when empty, and the canonical JSON.

The canonical JSON is what ``json.dumps(plan.model_dump(mode="json"), sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`` writes (a version's content hash is taken of it,
so it must never change for the same plan). It is encoded straight from the parts, by an
encoder generated once per part class from its field types, without the intermediate dicts;
any value the field's type does not allow (a list set by ``model_copy``, a subclass) makes
the plan go the reference way, :func:`reference_members`, which gives the same text.
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

#: A plan's member that the content hash leaves out (it says where values were read).
HASH_BLIND = "provenance"
#: The member of the :data:`HASH_BLIND` part a build sends its workers aside, as canonical
#: JSON (:func:`aside_text`): where each value was read, which no worker reads, only the
#: version record keeps (see :func:`pipeline.batch.job.transport`).
ASIDE = "fields"


def empty(value: Any) -> bool:
    """A member's ``exclude_if``: lists added after 1.0 are written only when they hold
    something (so a plan without them has the JSON, and the hash, it had before)."""
    return not value


def encode_value(value: object) -> str:
    """One JSON value as the canonical JSON writes it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def reference_members(plan: BaseModel) -> dict[str, str]:
    """The plan's canonical members (``"name":value``, sorted by name) the reference way:
    pydantic's JSON-mode dump, each member encoded by :func:`encode_value`."""
    data = plan.model_dump(mode="json")
    return {k: f"{encode_value(k)}:{encode_value(v)}" for k, v in sorted(data.items())}


def canonical_and_hashed(plan: BaseModel, aside: str | None = None) -> tuple[str, str]:
    """The plan's canonical JSON, and the same JSON with the :data:`HASH_BLIND` member
    emptied (the form its content hash is taken of). ``aside``: the :data:`ASIDE` member's
    canonical JSON (:func:`aside_text`) for a plan whose own is empty: the canonical JSON
    is the one of the plan holding it."""
    canonical, hashed = _forms(plan, full=True, aside=aside)
    return canonical or "", hashed


def aside_text(plan: BaseModel) -> str | None:
    """The canonical JSON of the plan's :data:`HASH_BLIND` part's :data:`ASIDE` member
    (a ``dict``; its keys sorted), or None when a value in it is not exactly of its declared
    type (or the model has no such member first in its part)."""
    part = getattr(plan, HASH_BLIND)
    try:
        return _aside_encoder(type(part))(getattr(part, ASIDE))
    except _Unexpected:
        return None


def _aside_encoder(cls: type[BaseModel]) -> Callable[[Any], str]:
    if cls not in _ASIDE:
        _ASIDE[cls] = _unusable
        annotation = cls.model_fields[ASIDE].annotation if ASIDE in cls.model_fields else None
        if sorted(cls.model_fields)[0] == ASIDE and typing.get_origin(annotation) is dict:
            writer = _Writer()
            source = f"def encode(v):\n    return {writer.expression(annotation, 'v')}\n"
            _ASIDE[cls] = _compile(cls, writer, source)
    return _ASIDE[cls]


_ASIDE: dict[type, Callable[[Any], str]] = {}
#: How the :data:`HASH_BLIND` member of a plan whose :data:`ASIDE` member is empty begins.
_ASIDE_EMPTY = f"{encode_value(HASH_BLIND)}:{{{encode_value(ASIDE)}:{{}}"


def _put_aside(member: str, aside: str) -> str:
    """The :data:`HASH_BLIND` member's text with the :data:`ASIDE` member's put in."""
    if not member.startswith(_ASIDE_EMPTY):
        raise ValueError(f"{HASH_BLIND}.{ASIDE} was sent aside, but the plan holds its own")
    return _ASIDE_EMPTY[:-2] + aside + member[len(_ASIDE_EMPTY) :]


def hashed_form(plan: BaseModel, *, remember: bool = True) -> str:
    """The form a plan's content hash is taken of (its :data:`HASH_BLIND` member is not
    encoded at all). ``remember=False``: the plan encoded last stays the one whose members'
    texts the next plan reuses (a worker hashes the intake after its merged plan's record,
    which the next merged plan shares parts with)."""
    return _forms(plan, full=False, remember=remember)[1]


def _forms(plan: BaseModel, *, full: bool, aside: str | None = None,
           remember: bool = True) -> tuple[str | None, str]:  # fmt: skip
    cls = type(plan)
    empty = _empty_member(type(getattr(plan, HASH_BLIND)))
    last = _LAST
    if type(last[0]) is cls:
        before, texts = last[0].__dict__, last[1]
    else:  # no member is the same object: each is encoded
        before, texts = _NONE.get(cls) or _NONE.setdefault(cls, _nothing(cls)), ()
    try:
        head, member, tail, members = _plan_encoder(cls)(plan, full, before, texts)
    except _Unexpected:
        reference = reference_members(plan)
        if aside is not None:
            reference[HASH_BLIND] = _put_aside(reference[HASH_BLIND], aside)
        canonical = "{" + ",".join(reference.values()) + "}" if full else None
        reference[HASH_BLIND] = empty
        return canonical, "{" + ",".join(reference.values()) + "}"
    if remember:
        _remember(plan, members)
    if aside is not None and full:
        member = _put_aside(member, aside)
    return (head + member + tail if full else None), head + empty + tail


def _nothing(cls: type[BaseModel]) -> dict[str, object]:
    """Members of no plan: none is the same object as a member of the plan encoded."""
    return dict.fromkeys(cls.model_fields, object())


_NONE: dict[type, dict[str, object]] = {}
#: The last plan encoded the generated way and its members' texts (one slot, replaced as a
#: whole): a plan made from it by ``model_copy`` (the merge keeps the parts it does not
#: change) reuses the text of every member that is the very same object. Parts are frozen
#: and the slot holds the plan, so a member's identity stands for its value; a member that
#: holds a dict (mutable) or the :data:`HASH_BLIND` member is encoded again every time.
_LAST: tuple[Any, tuple[str, ...]] = (None, ())


def _remember(plan: BaseModel, members: tuple[str, ...]) -> None:
    global _LAST
    _LAST = (plan, members)


# --- the generated encoders --------------------------------------------------------------


class _Unexpected(Exception):
    """A value the field's declared type does not allow: encode the reference way."""


def _bad(*_: object) -> str:
    raise _Unexpected


#: Part classes whose encoders remember the text of each part they encoded, by identity
#: (:func:`remember_texts`).
_REMEMBERED: set[type] = set()
#: Parts whose texts an encoder of :data:`_REMEMBERED` keeps before it forgets them all.
TEXTS = 4096


def remember_texts(*classes: type[BaseModel]) -> None:
    """Have the encoders of these part classes remember each part's text (keeping the part,
    so its ``id()`` is not reused): parts shared by many plans (the goal bank's filled
    objectives, interventions and goals, see :mod:`pipeline.merge.fill`) and by a plan and
    the plan merged from it are encoded once. Parts are frozen, so a part's identity stands
    for its value; a class whose parts may hold a dict is never remembered. Call it before
    the first plan is encoded (the encoders are generated then)."""
    _REMEMBERED.update(classes)


_EMPTY: dict[type, str] = {}
_ENCODERS: dict[type, Callable[[Any], str]] = {}
_PLAN_ENCODERS: dict[type, Callable[..., tuple[str, str, str, tuple[str, ...]]]] = {}


def _empty_member(cls: type) -> str:
    """``"provenance":{...}`` for an empty part of ``cls`` (computed once)."""
    if cls not in _EMPTY:
        _EMPTY[cls] = f"{encode_value(HASH_BLIND)}:{encode_value(cls().model_dump(mode='json'))}"
    return _EMPTY[cls]


def _date(value: object) -> str:
    """A date the generated expression did not encode: not a date, or of a year before 1000
    (pydantic's own rendering of early years is not assumed)."""
    raise _Unexpected


class _Writer:
    """Python source for the encoders of one part class and, recursively, its parts."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {
            "_s": encode_basestring,
            "_int": int.__repr__,
            "_bad": _bad,
            "_date": _date,
            "_dt_date": dt.date,
            "_Unexpected": _Unexpected,
            "_E": _ENCODERS,
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
            return f"""('"' + {var}.isoformat() + '"' if type({var}) is _dt_date
                        and {var}.year > 999 else _date({var}))"""
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            if not issubclass(annotation, str):
                raise TypeError(f"unsupported enum {annotation}")
            cls = self.constant(annotation)
            return f"(_s({var}._value_) if type({var}) is {cls} else _bad())"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            encode = self.constant(_encoder(annotation))
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
            if reuse and name != blind and not _holds_dict(info.annotation):
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


def _holds_dict(annotation: Any, seen: frozenset[type] = frozenset()) -> bool:
    """Whether a value of this type may hold a dict (mutable: its identity is no promise)."""
    if typing.get_origin(annotation) is dict:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        inner = seen | {annotation}
        return any(_holds_dict(f.annotation, inner) for f in annotation.model_fields.values())
    return any(_holds_dict(a, seen) for a in typing.get_args(annotation))


def _compile(cls: type[BaseModel], writer: _Writer, source: str) -> Any:
    namespace = dict(writer.names)
    namespace["_cls"] = cls
    exec(compile(source, f"<canonical encoder of {cls.__name__}>", "exec"), namespace)  # noqa: S102
    return namespace["encode"]


def _prologue(cls: type[BaseModel], arguments: str = "o") -> str:
    """The encoder's first lines (its ``def`` line unless ``arguments`` is empty)."""
    count = len(cls.model_fields)
    return (f"def encode({arguments}):\n" if arguments else "") + (
            "    if type(o) is not _cls:\n        raise _Unexpected\n"
            f"    d = o.__dict__\n    if len(d) != {count}:\n"
            "        raise _Unexpected\n")  # fmt: skip


def _unusable(*_: object) -> Any:
    raise _Unexpected


def _encoder(cls: type[BaseModel]) -> Callable[[Any], str]:
    """The encoder of one part class (generated on first use; one that always answers
    :class:`_Unexpected` when the class has a field type it does not know)."""
    if cls not in _ENCODERS:
        _ENCODERS[cls] = _unusable  # a part that contains itself is not encoded here
        try:
            if cls.model_computed_fields or cls.model_config.get("extra") != "forbid":
                raise TypeError(f"{cls.__name__}: computed fields or extra members")
            writer = _Writer()
            body, template = writer.members(cls)
            text = f"f'{{{{{''.join(template)}}}}}'"
            if cls in _TAILS:
                with contextlib.suppress(TypeError):  # else encoded whole each time
                    body, text = _with_tail(cls, writer, template, _TAILS[cls])
            if cls in _REMEMBERED and not _holds_dict(cls):
                texts = writer.constant({})
                source = (f"def encode(o):\n    e = {texts}.get(id(o))\n"
                          "    if e is not None and e[0] is o:\n        return e[1]\n"
                          f"{_prologue(cls, '')}{body}    t = {text}\n"
                          f"    if len({texts}) >= {TEXTS}:\n        {texts}.clear()\n"
                          f"    {texts}[id(o)] = (o, t)\n    return t\n")  # fmt: skip
            else:
                source = f"{_prologue(cls)}{body}    return {text}\n"
            _ENCODERS[cls] = _compile(cls, writer, source)
        except TypeError:
            pass
    return _ENCODERS[cls]


def _with_tail(
    cls: type[BaseModel], writer: _Writer, template: list[str], first: str
) -> tuple[str, str]:
    """The body and template of an encoder that keeps the text of the members from ``first``
    on (in name order) of the part it encoded last, with their values: a part whose values
    there are the very same objects takes that text (a value is immutable: a text, a number,
    a date, None, a part; a class whose members may hold a dict is not done so)."""
    names = sorted(cls.model_fields)
    at = names.index(first)
    if at == 0 or _holds_dict(cls):
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


def _plan_encoder(cls: type[BaseModel]) -> Callable[..., tuple[str, str, str, tuple[str, ...]]]:
    """The plan's encoder: ``(head, "provenance":value, tail, members)``; the value is
    encoded only when ``full`` (the content hash needs the rest only); ``members`` are the
    texts of its members, for the plan encoded next (see :meth:`_Writer.members`)."""
    if cls not in _PLAN_ENCODERS:
        _PLAN_ENCODERS[cls] = _unusable
        try:
            writer = _Writer()
            body, template = writer.members(cls, blind=HASH_BLIND, reuse=True)
            names = sorted(cls.model_fields)
            if HASH_BLIND not in names or names[0] == HASH_BLIND or names[-1] == HASH_BLIND:
                raise TypeError(f"{cls.__name__}: the canonical form needs members around it")
            at = names.index(HASH_BLIND)
            head, member, tail = "".join(template[:at]), template[at], "".join(template[at + 1 :])
            members = ", ".join(f"a{n}" for n in range(len(names)))
            texts = f"f'{{{{{head},', f'{member}', f'{tail}}}}}'"
            source = f"{_prologue(cls, 'o, full, q, p')}{body}    return {texts}, ({members})\n"
            _PLAN_ENCODERS[cls] = _compile(cls, writer, source)
        except TypeError:
            pass
    return _PLAN_ENCODERS[cls]
