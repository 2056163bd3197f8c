"""Goal order as a property (hypothesis), over generated intakes merged with the real bank.

The primary diagnosis's goal is never after a goal of a secondary diagnosis, nor after a goal
treating no diagnosis, without a stated reason: the safety goal (always first), or the
client's own words ranking their goal first, said by MERGE036. Which diagnoses a goal treats
is read here from the goal's links and the bank's rows, not from pipeline.merge.order.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clinical.risk import is_safety_goal
from pipeline.merge.core import merge
from pipeline.model import Goal, Plan
from tests.properties.strategies_selection import BANK, intakes

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RANKING = ("Most of all I want to sleep.", "Above all, I want to stop drinking.",
           "My top priority is to feel safe.")  # fmt: skip


def _treats(goal: Goal, plan: Plan) -> set[str]:
    codes = {d.code for d in plan.diagnoses}
    if set(goal.diagnosis_codes) & codes:
        return set(goal.diagnosis_codes) & codes
    problem = None
    if goal.bank_id in BANK.goals:
        problem = BANK.problems[BANK.goals[goal.bank_id].problem_id]
    elif goal.problem:
        problem = next(
            (p for p in BANK.problems.values() if p.name.lower() == goal.problem.lower()), None
        )
    if problem is None:
        return set()
    return {c for c in codes if set(problem.family_ids) & {f.id for f in BANK.families_for_code(c)}}


@st.composite
def ranked_intakes(draw):
    plan, options = draw(intakes())
    if plan.goals and draw(st.booleans()):
        at = draw(st.integers(0, len(plan.goals) - 1))
        goals = list(plan.goals)
        goals[at] = goals[at].model_copy(update={"client_words": draw(st.sampled_from(RANKING))})
        plan = plan.model_copy(update={"goals": tuple(goals)})
    return plan, options


@SETTINGS
@given(ranked_intakes())
def test_the_primary_diagnosis_goal_is_never_after_another_without_a_reason(case) -> None:
    plan, options = case
    merged, findings = merge(plan, BANK, options=options)
    primary = next(d.code for d in plan.diagnoses if d.primary)
    client_first = {f.where.rsplit("goal ", 1)[1] for f in findings if f.code == "MERGE036"}
    goals = list(merged.goals)
    safety = [i for i, g in enumerate(goals) if is_safety_goal(g)]
    assert safety == list(range(len(safety))), [g.id for g in goals]  # safety first
    firsts = [i for i, g in enumerate(goals) if primary in _treats(g, plan)]
    if not firsts:
        return
    for goal in goals[: firsts[0]]:
        if is_safety_goal(goal):
            continue
        assert goal.id in client_first, ([g.id for g in goals], goal.id, _treats(goal, plan))
        assert re.search(r"most of all|above all|top priority", goal.client_words, re.I)
