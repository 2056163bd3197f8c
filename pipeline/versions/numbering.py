"""The numbers a plan's documents print: goal 1, 2...; objective 1.1, 1.2...; intervention 1.a
(by position)."""

from __future__ import annotations

from pipeline.model import Plan


def objective_numbers(plan: Plan) -> dict[str, str]:
    """Document number -> objective id: ``"2.1" -> "G1.O1"`` (goals and objectives from 1)."""
    return {
        f"{g}.{o}": objective.id
        for g, goal in enumerate(plan.goals, start=1)
        for o, objective in enumerate(goal.objectives, start=1)
    }


def goal_numbers(plan: Plan) -> dict[str, str]:
    """Document number -> goal id: ``"2" -> "G1"``."""
    return {str(n): goal.id for n, goal in enumerate(plan.goals, start=1)}


def letter(index: int) -> str:
    """a, b, ... z, aa, bb...: an intervention's letter from its 0-based position."""
    return chr(ord("a") + index % 26) * (1 + index // 26)


def labels(plan: Plan) -> dict[str, str]:
    """Goal, objective or intervention id -> how the documents name it: ``"Goal 2"``,
    ``"Objective 2.1"``, ``"Intervention 2.a"``."""
    found: dict[str, str] = {}
    for g, goal in enumerate(plan.goals, start=1):
        found[goal.id] = f"Goal {g}"
        for o, objective in enumerate(goal.objectives, start=1):
            found[objective.id] = f"Objective {g}.{o}"
        for i, intervention in enumerate(goal.interventions):
            found.setdefault(intervention.id, f"Intervention {g}.{letter(i)}")
    return found


def number_of(plan: Plan) -> dict[str, str]:
    """Objective or goal id -> its document number (the reverse of both maps)."""
    found = {v: k for k, v in goal_numbers(plan).items()}
    found.update({v: k for k, v in objective_numbers(plan).items()})
    return found


def resolve(typed: str, numbers: dict[str, str], ids: set[str]) -> str | None:
    """The id a review names: an id as is (any case), or a document number ("2.1", "Obj 2.1",
    "Goal 2"); None when it names nothing in the plan."""
    text = typed.strip()
    if text in ids:
        return text
    lower = {i.lower(): i for i in ids}
    if text.lower() in lower:
        return lower[text.lower()]
    number = text.lower().removeprefix("objective").removeprefix("obj").removeprefix("goal")
    number = number.strip(" .#:")
    return numbers.get(number)
