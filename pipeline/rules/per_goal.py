"""A goal rule's findings on one goal, worked out once for a goal many plans share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pipeline.model import Goal, Origin

#: Read as a global (an enum member is an attribute of its class: several times slower).
BANK = Origin.BANK
#: Entries :data:`_FOUND` holds before it is emptied.
LIMIT = 4096

GoalCheck = Callable[[Goal, Any], Iterable[tuple[str, str]]]


def per_goal(check: GoalCheck, goal: Goal, params: Any) -> tuple[tuple[str, str], ...]:
    """``check(goal, params)`` as a tuple of (path after ``goals[n]``, message): a pure
    function of the goal and the rule's parameters (both immutable). A goal from the goal
    bank is the same object in many plans (:mod:`pipeline.merge.fill`), so its answer is
    remembered by identity, the goal and parameters kept with it (their id() is not reused
    while the entry lives); any other goal is checked every time."""
    if goal.origin is not BANK:
        return tuple(check(goal, params))
    key = (check, id(goal), id(params))
    found = _FOUND.get(key)
    if found is None or found[0] is not goal or found[1] is not params:
        if len(_FOUND) >= LIMIT:
            _FOUND.clear()
        found = _FOUND[key] = (goal, params, tuple(check(goal, params)))
    return found[2]


_FOUND: dict[tuple[GoalCheck, int, int], tuple[Goal, Any, tuple[tuple[str, str], ...]]] = {}
