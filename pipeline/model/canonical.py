"""The plan's JSON beyond pydantic's: members omitted when empty, and the canonical JSON.

The canonical JSON is what ``json.dumps(plan.model_dump(mode="json"), sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`` writes (a version's content hash is taken of it,
so it must never change for the same plan). It is encoded straight from the parts, by an
encoder generated once per part class from its field types, without the intermediate dicts;
any value the field's type does not allow (a list set by ``model_copy``, a subclass) makes
the plan go the reference way, :func:`reference_members`, which gives the same text. The part
encoders are :mod:`pipeline.model.encoders`'s; this module puts a plan's members together.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from pipeline.model.encoders import (
    Unexpected,
    Writer,
    compile_encoder,
    encode_value,
    prologue,
    unusable,
)

#: A plan's member that the content hash leaves out (it says where values were read).
HASH_BLIND = "provenance"
#: The member of the :data:`HASH_BLIND` part a build sends its workers aside, as canonical
#: JSON (:func:`aside_text`): where each value was read, which no worker reads, only the
#: version record keeps (see :func:`pipeline.batch.job.transport`).
ASIDE = "fields"


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
    except Unexpected:
        return None


def _aside_encoder(cls: type[BaseModel]) -> Callable[[Any], str]:
    if cls not in _ASIDE:
        _ASIDE[cls] = unusable
        annotation = cls.model_fields[ASIDE].annotation if ASIDE in cls.model_fields else None
        if sorted(cls.model_fields)[0] == ASIDE and typing.get_origin(annotation) is dict:
            writer = Writer()
            source = f"def encode(v):\n    return {writer.expression(annotation, 'v')}\n"
            _ASIDE[cls] = compile_encoder(cls, writer, source)
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
    except Unexpected:
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


_EMPTY: dict[type, str] = {}
_PLAN_ENCODERS: dict[type, Callable[..., tuple[str, str, str, tuple[str, ...]]]] = {}


def _empty_member(cls: type) -> str:
    """``"provenance":{...}`` for an empty part of ``cls`` (computed once)."""
    if cls not in _EMPTY:
        _EMPTY[cls] = f"{encode_value(HASH_BLIND)}:{encode_value(cls().model_dump(mode='json'))}"
    return _EMPTY[cls]


def _plan_encoder(cls: type[BaseModel]) -> Callable[..., tuple[str, str, str, tuple[str, ...]]]:
    """The plan's encoder: ``(head, "provenance":value, tail, members)``; the value is
    encoded only when ``full`` (the content hash needs the rest only); ``members`` are the
    texts of its members, for the plan encoded next (see :meth:`Writer.members`)."""
    if cls not in _PLAN_ENCODERS:
        _PLAN_ENCODERS[cls] = unusable
        try:
            writer = Writer()
            body, template = writer.members(cls, blind=HASH_BLIND, reuse=True)
            names = sorted(cls.model_fields)
            if HASH_BLIND not in names or names[0] == HASH_BLIND or names[-1] == HASH_BLIND:
                raise TypeError(f"{cls.__name__}: the canonical form needs members around it")
            at = names.index(HASH_BLIND)
            head, member, tail = "".join(template[:at]), template[at], "".join(template[at + 1 :])
            members = ", ".join(f"a{n}" for n in range(len(names)))
            texts = f"f'{{{{{head},', f'{member}', f'{tail}}}}}'"
            source = f"{prologue(cls, 'o, full, q, p')}{body}    return {texts}, ({members})\n"
            _PLAN_ENCODERS[cls] = compile_encoder(cls, writer, source)
        except TypeError:
            pass
    return _PLAN_ENCODERS[cls]
