"""Goal rules: enough goals, SMART objectives, complete interventions, the client's words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

from pydantic import Field

from pipeline.model import Goal, Plan
from pipeline.rules.per_goal import per_goal
from pipeline.rules.registry import Context, Params, rule


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class MinGoals(Params):
    count: int = Field(1, ge=1)


@rule("min_goals", "TXR002", MinGoals)
def min_goals(plan: Plan, p: MinGoals, ctx: Context) -> Iterator[tuple[str, str]]:
    """At least N goals."""
    if len(plan.goals) < p.count:
        need = "a goal" if p.count == 1 else f"at least {p.count} goals"
        yield "goals", f"{len(plan.goals)} given; the plan needs {need}"


#: SMART finding code -> the objective field it is about (see pipeline/smart.py).
_SMART_FIELDS = {
    "SMART001": "text",
    "SMART002": "measure",
    "SMART003": "baseline",
    "SMART004": "target",
    "SMART005": "target_date",
    "SMART006": "text",
}


class MeasurableObjectives(Params):
    min_per_goal: int = Field(1, ge=0)  #: objectives every goal needs


@rule("measurable_objectives", "TXR003", MeasurableObjectives)
def measurable_objectives(
    plan: Plan, p: MeasurableObjectives, ctx: Context
) -> Iterator[tuple[str, str]]:
    """Every goal has objectives; every objective is SMART and has a target date."""
    for g, goal in enumerate(plan.goals, start=1):
        for where, message in per_goal(_objective_gaps, goal, p):
            yield f"goals[{g}]{where}", message


def _objective_gaps(goal: Goal, p: MeasurableObjectives) -> Iterator[tuple[str, str]]:
    """:func:`measurable_objectives` of one goal, its paths after ``goals[n]``."""
    from pipeline.clinical.smart import problems_of

    if len(goal.objectives) < p.min_per_goal:
        yield (
            ".objectives",
            (
                f"{len(goal.objectives)} given; every goal needs at least "
                f"{_count(p.min_per_goal, 'measurable objective')}"
            ),
        )
    for o, objective in enumerate(goal.objectives, start=1):
        problems = problems_of(objective)
        if not problems and objective.target_date is not None:
            continue
        where = f".objectives[{o}]"
        if objective.target_date is None:
            yield f"{where}.target_date", "missing; every objective needs a target date"
        for code, message in problems:
            part = _SMART_FIELDS.get(code, "")
            if part == "target_date":
                continue  # reported above with the payer's wording
            yield f"{where}.{part}" if part else where, message


_INTERVENTION_FIELDS = Literal["modality", "description", "frequency", "responsible", "rationale"]

_WHY = {
    "modality": "name the treatment approach (e.g. CBT)",
    "description": "say what the clinician will do",
    "frequency": "say how often (e.g. weekly)",
    "responsible": "name the person responsible",
    "rationale": "say why this intervention fits this client",
}


class InterventionDetails(Params):
    require: tuple[_INTERVENTION_FIELDS, ...] = ("modality", "frequency")
    min_per_goal: int = Field(1, ge=0)


@rule("intervention_details", "TXR004", InterventionDetails)
def intervention_details(
    plan: Plan, p: InterventionDetails, ctx: Context
) -> Iterator[tuple[str, str]]:
    """Every goal has interventions, each with the fields the payer requires."""
    for g, goal in enumerate(plan.goals, start=1):
        for where, message in per_goal(_intervention_gaps, goal, p):
            yield f"goals[{g}]{where}", message


def _intervention_gaps(goal: Goal, p: InterventionDetails) -> Iterator[tuple[str, str]]:
    """:func:`intervention_details` of one goal, its paths after ``goals[n]``."""
    if len(goal.interventions) < p.min_per_goal:
        yield (
            ".interventions",
            (
                f"{len(goal.interventions)} given; every goal needs at least "
                f"{_count(p.min_per_goal, 'intervention')}"
            ),
        )
    for i, intervention in enumerate(goal.interventions, start=1):
        for name in p.require:
            value = getattr(intervention, name)
            if value is None or not str(value).strip():
                where = f".interventions[{i}].{name}"
                yield where, f"missing; every intervention needs it: {_WHY[name]}"


class GoalsInClientWords(Params):
    pass


@rule("goals_in_client_words", "TXR013", GoalsInClientWords)
def goals_in_client_words(
    plan: Plan, p: GoalsInClientWords, ctx: Context
) -> Iterator[tuple[str, str]]:
    """Every goal is stated in the client's own words, not copied from the clinical goal."""
    for g, goal in enumerate(plan.goals, start=1):
        for where, message in per_goal(_words_gaps, goal, p):
            yield f"goals[{g}]{where}", message


def _words_gaps(goal: Goal, p: GoalsInClientWords) -> Iterator[tuple[str, str]]:
    """:func:`goals_in_client_words` of one goal, its paths after ``goals[n]``."""
    words = " ".join(goal.client_words.split())
    if not words:
        yield ".client_words", "missing; write the goal as the client says it"
    elif goal.description and words.casefold() == " ".join(goal.description.split()).casefold():
        yield (
            ".client_words",
            (
                "same as the clinical goal; write the goal as the client says it "
                '(e.g. "I want to sleep through the night")'
            ),
        )


_STATED = Literal["problem", "description"]


class ProblemStatements(Params):
    require: tuple[_STATED, ...] = ("problem",)  #: "description" too where the payer wants it


_STATED_WHY = {
    "problem": 'name the problem this goal addresses (e.g. "Depressed mood: stopped seeing '
    'friends, missing work"); a reviewer reads the plan problem by problem',
    "description": "write the clinical goal (what treatment aims to change), beside the "
    "client's own words",
}


@rule("problem_statements", "TXR020", ProblemStatements)
def problem_statements(plan: Plan, p: ProblemStatements, ctx: Context) -> Iterator[tuple[str, str]]:
    """Every goal names the problem it addresses (and, where required, states its clinical
    goal), so no document prints "Problem: not recorded" on a plan that passes."""
    for g, goal in enumerate(plan.goals, start=1):
        for where, message in per_goal(_statement_gaps, goal, p):
            yield f"goals[{g}]{where}", message


def _statement_gaps(goal: Goal, p: ProblemStatements) -> Iterator[tuple[str, str]]:
    """:func:`problem_statements` of one goal, its paths after ``goals[n]``."""
    for name in p.require:
        value = (goal.problem or goal.problem_definition) if name == "problem" else goal.description
        if value is None or not str(value).strip():
            yield f".{name}", f"missing; {_STATED_WHY[name]}"
        elif name == "description" and _same(value, goal.problem):
            yield (
                ".description",
                "the clinical goal only repeats the problem's name; " + _STATED_WHY["description"],
            )


@lru_cache(maxsize=4096)  # a pure function of two texts (bank goals repeat in many plans)
def _same(a: str | None, b: str | None) -> bool:
    """Whether two texts are the same words (case, punctuation and spacing aside)."""
    if not a or not b:
        return False
    return " ".join(re.findall(r"\w+", a.casefold())) == " ".join(re.findall(r"\w+", b.casefold()))


_P = Literal["presenting", "predisposing", "precipitating", "perpetuating", "protective"]


class FormulationParams(Params):
    require: tuple[_P, ...] = (
        "presenting",
        "predisposing",
        "precipitating",
        "perpetuating",
        "protective",
    )


@rule("formulation", "TXR012", FormulationParams)
def formulation(plan: Plan, p: FormulationParams, ctx: Context) -> Iterator[tuple[str, str]]:
    """The 5 P's case formulation is written out."""
    missing = [n for n in p.require if not (getattr(plan.formulation, n) or "").strip()]
    if len(missing) > 1 and len(missing) == len(p.require):
        yield "formulation", f"missing; write the case formulation ({', '.join(missing)})"
        return
    for name in missing:
        yield f"formulation.{name}", f"missing; the case formulation needs the {name} factors"
