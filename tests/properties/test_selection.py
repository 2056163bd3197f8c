"""Goal selection invariants as properties (hypothesis), over generated intakes.

- Alternative treatments (the goal bank's alternative_group: CPT, prolonged exposure, EMDR)
  are never planned together: of each group the bank plans one treatment, the one the intake
  names when it names one; a choice made for the clinician is said (MERGE034).
- One problem, one goal: the bank proposes a goal only for a diagnosis or domain that no
  other goal plans yet; two goals for one problem only when the intake wrote them, and the
  intake's own goals are all kept in the client's words.

Which treatments the intake names and which families a goal plans are read here from the
bank's rows, not from pipeline.merge, so that a broken selection is caught.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from pipeline.clinical.risk import is_safety_goal
from pipeline.goalbank.bank import words
from pipeline.merge.core import merge
from pipeline.model import Goal, Origin, Plan
from tests.properties.strategies_selection import BANK, intakes

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DOMAINS = {f.id for f in BANK.domains()}


def _named(plan: Plan, group: str) -> set[str]:
    """Modalities of the group the intake names, by the whole modality or its initials."""
    said = [words(i.modality) for g in plan.goals for i in g.interventions]
    said += [words(s.modality) for s in plan.services if s.modality]
    found = set()
    for tx in BANK.alternatives[group]:
        initials = "".join(w[0] for w in tx.modality.lower().split()) if " " in tx.modality else ""
        if any(tx.modality_words <= s or (initials and initials in s) for s in said):
            found.add(tx.modality)
    return found


@SETTINGS
@given(intakes())
def test_alternatives_are_never_planned_together(case) -> None:
    plan, options = case
    merged, findings = merge(plan, BANK, options=options)
    chosen_for_clinician = {f.message.split(" chosen as")[0] for f in findings
                            if f.code == "MERGE034"}  # fmt: skip
    for group in BANK.alternatives:
        planned = {
            i.modality
            for g in merged.goals
            for i in g.interventions
            if i.origin is Origin.BANK and BANK.interventions[i.bank_id].group == group
        }
        assert len(planned) <= 1, (group, planned)
        named = _named(plan, group)
        if named:
            assert planned <= named, (group, planned, named)
            assert not planned & chosen_for_clinician
        else:
            assert planned <= chosen_for_clinician, (planned, chosen_for_clinician)


def _families(goal: Goal, diagnosed: set[str]) -> set[str]:
    """The client's diagnosis families and the domains of the bank problem the goal names."""
    problem = next((p for p in BANK.problems.values() if p.name == goal.problem), None)
    if problem is None:
        return set()
    return {f for f in problem.family_ids if f in diagnosed or f in DOMAINS}


@SETTINGS
@given(intakes())
def test_the_bank_proposes_one_goal_per_problem(case) -> None:
    plan, options = case
    merged, _ = merge(plan, BANK, options=options)
    diagnosed = {f.id for d in plan.diagnoses for f in BANK.families_for_code(d.code)
                 if f.kind == "diagnosis"}  # fmt: skip
    intake_ids = {g.id for g in plan.goals}
    # the intake's own goals are all kept, in the client's words
    kept = {g.id: g.client_words for g in merged.goals if g.id in intake_ids}
    assert kept == {g.id: g.client_words for g in plan.goals}
    goals = [g for g in merged.goals if not is_safety_goal(g)]
    planned: set[str] = set()
    for goal in goals:
        if goal.id in intake_ids:
            planned |= _families(goal, diagnosed)
    for goal in goals:
        if goal.id in intake_ids:
            continue
        assert goal.origin is Origin.BANK
        new = _families(goal, diagnosed) - planned
        assert new, f"{goal.id} ({goal.problem}) plans nothing new: {sorted(planned)}"
        planned |= new
