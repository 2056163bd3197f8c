"""Parts read attributes with CPython's generic lookup, and read exactly what pydantic reads."""

from __future__ import annotations

import datetime as dt
import platform

import pytest
from pydantic import BaseModel, ConfigDict, PrivateAttr

from pipeline import model
from pipeline.model import Goal, Objective, Origin, Part, Plan
from pipeline.model.reads import plain_reads, qualifies, reads_plainly

CPYTHON = platform.python_implementation() == "CPython"


def _parts() -> list[type]:
    found, todo = [], [Part]
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("pipeline."):  # not the classes tests make
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.skipif(not CPYTHON, reason="the generic lookup is CPython's")
def test_every_part_class_reads_plainly() -> None:
    assert reads_plainly(object)  # the generic lookup was found
    names = {cls.__name__ for cls in _parts()}
    assert {"Plan", "Goal", "Objective", "Intervention", "Source", "Provenance"} <= names
    for cls in _parts():
        assert qualifies(cls), cls
        assert reads_plainly(cls), cls
    assert not reads_plainly(BaseModel)  # pydantic's own classes are left as they were


class _Twin(BaseModel):
    """The same members as a part, read through pydantic's hook."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    text: str | None = None
    due: dt.date | None = None

    @property
    def broken(self) -> str:
        raise AttributeError("inner")


class _Plain(Part):
    id: str
    text: str | None = None
    due: dt.date | None = None

    @property
    def broken(self) -> str:
        raise AttributeError("inner")


def _read(obj: object, name: str) -> tuple[str, object]:
    try:
        return "value", getattr(obj, name)
    except AttributeError as exc:
        return "error", str(exc).replace(type(obj).__name__, "X")


def test_reads_are_what_pydantic_reads() -> None:
    values = {"id": "o1", "due": dt.date(2026, 1, 2)}
    twin, part = _Twin(**values), _Plain(**values)
    assert not reads_plainly(_Twin)
    names = ["id", "text", "due", "missing", "broken", "model_config", "__pydantic_extra__",
             "__pydantic_private__", "__pydantic_fields_set__", "__dict__"]  # fmt: skip
    for name in names:
        kind, value = _read(twin, name)
        got_kind, got = _read(part, name)
        assert got_kind == kind, name
        if kind == "error" or name in ("id", "text", "due"):
            assert got == value, name
    assert hasattr(part, "id") and not hasattr(part, "missing")
    assert getattr(part, "missing", 7) == 7
    with pytest.raises(AttributeError, match="'_Plain' object has no attribute 'missing'"):
        part.missing  # noqa: B018


def test_real_parts_read_their_members() -> None:
    objective = Objective(id="o1", text="Sleep 7 hours", origin=Origin.BANK)
    goal = Goal(id="g1", client_words="sleep", objectives=(objective,), origin=Origin.BANK)
    assert goal.objectives[0].text == "Sleep 7 hours" and goal.origin is Origin.BANK
    plan = Plan.model_validate({"client": {"id": "C-1"}, "goals": [goal.model_dump()]})
    assert plan.client.id == "C-1" and plan.goals[0].id == "g1"
    copy = plan.model_copy(update={"plan_date": dt.date(2026, 3, 1)})
    assert copy.plan_date == dt.date(2026, 3, 1) and copy.goals == plan.goals


def test_a_class_that_needs_the_hook_keeps_it() -> None:
    class Private(BaseModel):
        model_config = ConfigDict(frozen=True)
        _secret: int = PrivateAttr(default=3)
        id: str = "x"

    class Extra(BaseModel):
        model_config = ConfigDict(frozen=True, extra="allow")
        id: str = "x"

    class Own(BaseModel):
        id: str = "x"

        def __getattr__(self, name: str) -> str:
            return "own " + name

    for cls in (Private, Extra, Own):
        assert not qualifies(cls)
        assert plain_reads(cls) is False
        assert not reads_plainly(cls)
    assert Private()._secret == 3
    assert Extra(more=5).more == 5  # type: ignore[attr-defined]
    assert Own().anything == "own anything"
    assert not qualifies(dict) and plain_reads(int) is False


@pytest.mark.skipif(not CPYTHON, reason="the generic lookup is CPython's")
def test_a_class_made_later_is_checked_again() -> None:
    class Later(_Plain):
        more: int = 1

    assert reads_plainly(Later) and Later(id="a").more == 1

    class Mixed(Part):
        def __getattr__(self, name: str) -> str:
            return "own " + name

    assert not reads_plainly(Mixed) and Mixed().anything == "own anything"
    assert model.Plan is Plan
