"""The safety goal and the safety-plan skeleton a plan with risk flagged always carries.

Whether risk is flagged comes from the plan's structure (:mod:`pipeline.clinical.risk`), and
so does whether the plan already has its safety goal: a goal linked to the safety problem,
never an objective that happens to say "safety plan". The safety goal holds a written safety
plan made with the client, lethal-means counselling when means are recorded, and risk
screened every session with a named measure; a clinician's own safety goal keeps its words
and gets the parts it lacks.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.clinical.risk import SAFETY_PROBLEM, TODO_MARK, has_means, is_safety_goal
from pipeline.findings import Finding, warning
from pipeline.goalbank.bank import BankObjective, GoalBank, Problem
from pipeline.merge.memo import table
from pipeline.model import Goal, Objective, Plan, SafetyPlan

SAFETY_SKELETON = "MERGE030"
NO_SAFETY_FAMILY = "MERGE031"
SAFETY_GOAL_ADDED = "MERGE032"

#: The parts of a safety goal: words of the bank objective's measure, and words by which a
#: clinician's own objective shows it already covers that part.
_PARTS = {
    "plan": (("written safety plan",), ("safety plan",)),
    "means": (("lethal means",), ("means", "firearm", "gun", "medication", "lock")),
    "monitoring": (("screened", "c-ssrs"), ("c-ssrs", "screen", "monitor", "every session")),
    "step": (("safety-plan step",), ("step of the safety plan", "safety-plan step")),
}


def skeleton(bank: GoalBank) -> SafetyPlan:
    """The goal bank's safety-plan skeleton (entries marked for completion with the client):
    made once a bank (a part is immutable, so every plan may hold the same one)."""
    memo = table(bank, "safety skeleton")
    made = memo.get(0)
    if made is None:
        made = memo[0] = _skeleton(bank)
    return made


def _skeleton(bank: GoalBank) -> SafetyPlan:
    sections = bank.safety_plan
    lists = {
        name: tuple(sections.get(name, ()))
        for name in (
            "warning_signs",
            "coping_strategies",
            "people_and_places",
            "people_to_ask",
            "professionals",
        )
    }
    return SafetyPlan(
        **lists,
        means_safety=" ".join(sections.get("means_safety", ())) or None,
        reasons_for_living=" ".join(sections.get("reasons_for_living", ())) or None,
    )


def _part(row: BankObjective) -> str | None:
    measure = row.measure.lower()
    return next((p for p, (words, _) in _PARTS.items() if any(w in measure for w in words)), None)


def safety_rows(bank: GoalBank, means: bool) -> tuple[Problem | None, str, list[BankObjective]]:
    """The bank safety goal's id and the objectives this client's safety goal needs: the
    written plan, risk screened every session, a safety-plan step on hard days, and
    lethal-means counselling when means are recorded (worked out once a bank and ``means``;
    the rows in a new list each time)."""
    memo = table(bank, "safety rows")
    found = memo.get(means)
    if found is None:
        found = memo[means] = _safety_rows(bank, means)
    problem, goal_id, rows = found
    return problem, goal_id, list(rows)


def _safety_rows(
    bank: GoalBank, means: bool
) -> tuple[Problem | None, str, tuple[BankObjective, ...]]:
    family = bank.safety_family()
    for problem in bank.problems_by_family.get(family.id, ()) if family else ():
        for goal in bank.goals_by_problem.get(problem.id, ()):
            rows = [
                row
                for row in bank.objectives_by_goal.get(goal.id, ())
                if (part := _part(row)) is not None and (means or part != "means")
            ]
            if rows:
                return problem, goal.id, tuple(rows)
    return None, "", ()


def ensure_safety_goal(
    plan: Plan,
    goals: list[Goal],
    bank: GoalBank,
    make_goal: Callable[[Problem, str, list[BankObjective]], Goal | None],
    make_objective: Callable[[BankObjective], Objective],
    where: str,
    findings: list[Finding],
) -> list[Goal]:
    """The goals with the safety goal first: the clinician's (completed) or the bank's."""
    means = has_means(plan)
    problem, bank_goal_id, rows = safety_rows(bank, means)
    if problem is None:
        findings.append(
            warning(
                NO_SAFETY_FAMILY,
                where,
                "the goal bank has no safety goal: write the safety goal (safety plan, "
                "lethal-means counselling, risk screened every session) by hand",
            )
        )
        return goals
    found = next((i for i, g in enumerate(goals) if is_safety_goal(g)), None)
    if found is None:
        goal = make_goal(problem, bank_goal_id, rows)
        if goal is None:
            return goals
        goal = goal.model_copy(update={"problem": goal.problem or SAFETY_PROBLEM})
        findings.append(
            warning(
                SAFETY_GOAL_ADDED,
                f"{where}, goal {goal.id}",
                "risk is flagged and no goal addresses the safety problem: the safety goal "
                "(safety plan, "
                + ("lethal-means counselling, " if means else "")
                + "risk screened every session) was added from the goal bank",
            )
        )
        return [goal, *goals]
    goal = goals[found]
    have = {o.bank_id for o in goal.objectives if o.bank_id}
    text = " ".join(f"{o.measure or ''} {o.text}".lower() for o in goal.objectives)
    missing = [
        row
        for row in rows
        if row.id not in have and not any(w in text for w in _PARTS[_part(row) or "plan"][1])
    ]
    updates: dict[str, object] = {"problem": goal.problem or SAFETY_PROBLEM}
    if missing:
        added = tuple(make_objective(row) for row in missing)
        updates["objectives"] = (*goal.objectives, *added)
    goal = goal.model_copy(update=updates)
    return [goal, *goals[:found], *goals[found + 1 :]]


def ensure_safety_plan(
    plan: Plan, bank: GoalBank, where: str, findings: list[Finding]
) -> SafetyPlan | None:
    """The plan's safety plan, or the bank skeleton marked for completion (a warning)."""
    if plan.safety_plan is not None:
        return plan.safety_plan
    findings.append(
        warning(
            SAFETY_SKELETON,
            f"{where}, safety_plan",
            "no safety plan in the intake: the goal bank skeleton is in its place; the plan "
            f'is blocked until every entry marked "{TODO_MARK}" is completed with the client',
        )
    )
    return skeleton(bank)
