"""A goal rule's answer on a goal-bank goal (one object in many plans) is remembered by that
goal and the rule's parameters only: every gap is still found, at the goal's own position."""

from __future__ import annotations

import itertools

from pipeline.model import Goal, Origin, Plan
from pipeline.profiles import load_payer
from pipeline.rules import kinds, per_goal
from pipeline.rules.registry import Context
from tests.rules.test_rules import plan

RULES = ("measurable_objectives", "intervention_details", "goals_in_client_words",
         "problem_statements")  # fmt: skip
PARAMS = {
    "measurable_objectives": ({}, {"min_per_goal": 2}),
    "intervention_details": ({}, {"require": ["responsible", "rationale"], "min_per_goal": 2}),
    "goals_in_client_words": ({},),
    "problem_statements": ({}, {"require": ["problem", "description"]}),
}


def _variants(goal: Goal) -> list[Goal]:
    """The goal as the bank made it, and copies each with one gap a goal rule reports."""
    objective, intervention = goal.objectives[0], goal.interventions[0]
    gaps = [
        {},
        {"objectives": ()},
        {"objectives": (objective.model_copy(update={"target_date": None}),)},
        {"objectives": (objective.model_copy(update={"text": "Feel better.", "measure": None}),)},
        {"interventions": ()},
        {"interventions": (intervention.model_copy(update={"frequency": " "}),)},
        {"interventions": (intervention.model_copy(update={"responsible": None}),)},
        {"client_words": ""},
        {"client_words": goal.description or "x", "description": goal.description or "x"},
        {"problem": None, "problem_definition": None},
        {"description": goal.problem},
    ]
    return [goal.model_copy(update={**gap, "origin": Origin.BANK}) for gap in gaps]


def _run(name: str, case: Plan, params: object) -> list[tuple[str, str]]:
    context = Context(payer=load_payer("clinical"))
    return list(kinds()[name].func(case, params, context))


def test_goal_rules_on_shared_bank_goals_answer_as_on_goals_checked_afresh() -> None:
    good = plan("good")
    variants = _variants(good.goals[0])
    # the same goal objects in plans of their own, in every position, asked again and again
    cases = [
        good.model_copy(update={"goals": goals})
        for goals in [*itertools.permutations(variants[:4], 2), tuple(variants), (variants[0],)]
    ]
    for name in RULES:
        for values in PARAMS[name]:
            params = kinds()[name].params.model_validate(values)
            for case in cases * 2:
                remembered = _run(name, case, params)
                # the reference: the same goals as the clinician's (never remembered)
                fresh = case.model_copy(
                    update={"goals": tuple(
                        g.model_copy(update={"origin": Origin.CLINICIAN}) for g in case.goals
                    )}
                )  # fmt: skip
                assert remembered == _run(name, fresh, params), (name, values)
    assert per_goal._FOUND  # the bank goals' answers were remembered


def test_every_gap_of_a_bank_goal_is_found_after_the_goal_without_it() -> None:
    good = plan("good")
    variants = _variants(good.goals[0])
    params = {n: kinds()[n].params.model_validate(PARAMS[n][-1]) for n in RULES}
    clean = good.model_copy(update={"goals": (variants[0],)})
    before = {n: _run(n, clean, params[n]) for n in RULES}
    for variant in variants[1:]:
        case = good.model_copy(update={"goals": (variants[0], variant)})
        found = [f for n in RULES for f in _run(n, case, params[n]) if f not in before[n]]
        assert found and all(where.startswith("goals[2]") for where, _ in found), variant
