"""What a revision keeps of the plan it revises: every goal, objective and intervention.

A review or an intake update only adds to a plan or changes what it names (a status, a
goal's words), each with its rationale; it never drops an item, moves it to another goal or
lets a new item take an id the plan already uses (the diff, the redline and the review
columns match items by id: a second item with the same id hides the first). :func:`fresh`
makes the goal bank's goals for a new concern fit the plan (a goal planning what the plan
already plans is not added twice; ids the plan uses are not taken), and :func:`dropped`
refuses a revised plan that lost, moved or doubled an item (REV027).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.findings import Finding, error
from pipeline.merge.fill import unique
from pipeline.model import Goal, Intervention, Objective, Plan, RevisionChange
from pipeline.versions import numbering

DROPPED = "REV027"
ALREADY_PLANNED = "REV032"


def items(plan: Plan) -> Iterator[tuple[str, str, str]]:
    """(kind, id, goal id) of every goal, objective and intervention of the plan."""
    for goal in plan.goals:
        yield "goal", goal.id, goal.id
        for objective in goal.objectives:
            yield "objective", objective.id, goal.id
        for intervention in goal.interventions:
            yield "intervention", intervention.id, goal.id


def _ids(plan: Plan) -> set[str]:
    return {item_id for _, item_id, _ in items(plan)}


def already_planning(plan: Plan, goal: Goal) -> Goal | None:
    """The plan's goal that already plans what the bank's ``goal`` plans: the same bank goal,
    or one of its bank objectives (a clinician's goal the merge filled from the same problem
    has them under its own id)."""
    wanted = {o.bank_id for o in goal.objectives if o.bank_id}
    for own in plan.goals:
        if goal.bank_id is not None and own.bank_id == goal.bank_id:
            return own
        if wanted & {o.bank_id for o in own.objectives if o.bank_id}:
            return own
    return None


def fresh(plan: Plan, added: Iterable[Goal]) -> tuple[list[Goal], list[tuple[Goal, Goal]]]:
    """The goals of ``added`` the plan can take, each with ids the plan does not use yet (an
    item keeps its id unless it is taken: ``INSOMNIA.I1-2``), and (goal, the plan's goal that
    already plans it) for each one left out."""
    used = _ids(plan)
    taken: list[Goal] = []
    left: list[tuple[Goal, Goal]] = []
    for goal in added:
        own = already_planning(plan, goal)
        if own is not None:
            left.append((goal, own))
            continue
        taken.append(
            goal.model_copy(
                update={
                    "id": unique(goal.id, used),
                    "objectives": tuple(_renamed(o, used) for o in goal.objectives),
                    "interventions": tuple(_renamed(i, used) for i in goal.interventions),
                }
            )
        )
    return taken, left


def _renamed(part: Objective | Intervention, used: set[str]) -> Any:
    """The part with an id the plan does not use (its own when free)."""
    fresh_id = unique(part.id, used)
    return part if fresh_id == part.id else part.model_copy(update={"id": fresh_id})


def dropped(
    before: Plan, after: Plan, changes: Iterable[RevisionChange], where: str
) -> list[Finding]:
    """REV027 errors for what the revised plan ``after`` lost of ``before`` without a change
    that says so, moved to another goal, or holds twice (one id on two items)."""
    said = {c.target for c in changes if c.rationale}
    now = {item_id: goal_id for _, item_id, goal_id in items(after)}
    names = numbering.labels(before)
    found: list[Finding] = []
    for kind, item_id, goal_id in items(before):
        if item_id in said:
            continue
        name = f"{names.get(item_id, kind)} ({item_id})"
        if item_id not in now:
            msg = f"the revised plan would lose {name}; nothing applied"
            found.append(error(DROPPED, where, msg))
        elif now[item_id] != goal_id:
            msg = f"the revised plan would move {name} from goal {goal_id} to goal {now[item_id]}"
            found.append(error(DROPPED, where, f"{msg}; nothing applied"))
    was = Counter(item_id for _, item_id, _ in items(before))
    for item_id, count in Counter(item_id for _, item_id, _ in items(after)).items():
        if count > max(was[item_id], 1):
            msg = f"the revised plan would hold {count} items with the id {item_id!r}"
            found.append(error(DROPPED, where, f"{msg} (one hides another); nothing applied"))
    return found
