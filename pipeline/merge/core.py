"""Plan + goal bank -> plan with concrete SMART objectives; what the clinician wrote wins.

For each diagnosis the bank's matching problems are ranked by relevance to the client (the
severity of their intake scores, presenting-problem keywords), shared problems counted once,
and the best goals, objectives and interventions fill the slots the clinician left empty,
up to the bounds. Placeholders are filled from the client: baseline from the intake score,
target from the bank's MeasureRules, target date from the plan date and review interval.
A required safety plan always brings a safety goal, outside the bounds. Never uses the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from operator import is_

from pipeline.clinical.risk import at_risk, is_safety_goal
from pipeline.clinical.smart import check_objective, problems_of
from pipeline.findings import Finding, Severity, error, warning
from pipeline.goalbank.ages import in_range
from pipeline.goalbank.bank import (
    BankIntervention,
    BankObjective,
    GoalBank,
    Problem,
    instrument_key,
)
from pipeline.merge.alternatives import choose, note_choices
from pipeline.merge.client import ClientFacts, client_facts, format_date
from pipeline.merge.complete import clinician_checks, name_problems
from pipeline.merge.evidence import diagnosed_families
from pipeline.merge.fill import bank_goal, fill
from pipeline.merge.fit import (
    addressed,
    clinician_coverage,
    domains_named,
    fitting,
    planned_keys,
    said_domain,
    unaddressed_diagnoses,
)
from pipeline.merge.memo import table
from pipeline.merge.modalities import split_modalities, unexplained_parts
from pipeline.merge.order import order_goals
from pipeline.merge.paced import note_paced
from pipeline.merge.referrals import fold_referrals
from pipeline.merge.safety import ensure_safety_goal, ensure_safety_plan
from pipeline.merge.select import instruments_named, problem_keys, rank_problems
from pipeline.merge.situation import situation
from pipeline.merge.treatments import complete_intervention, complete_service
from pipeline.model import Goal, Objective, Origin, Plan

#: Read as a global (an enum member is an attribute of its class: several times slower).
BANK = Origin.BANK

NO_DATE = "MERGE001"
NO_OBJECTIVES = "MERGE011"
BANK_SMART = "MERGE040"
UNDATED_BASELINE = "MERGE024"
REVIEW_BEFORE_PLAN = "MERGE029"
LATER_ONLY = "MERGE025"


@dataclass(frozen=True)
class MergeOptions:
    """Bounds and review interval. ``review_interval_days=None``: the plan's own (90 default)."""

    max_goals: int = 3
    max_objectives_per_goal: int = 3
    max_interventions_per_goal: int = 3
    review_interval_days: int | None = None


_DEFAULTS = MergeOptions()


def _limits(options: MergeOptions) -> tuple[int, int]:
    return options.max_objectives_per_goal, options.max_interventions_per_goal


def _fill_empty_goals(
    bank: GoalBank,
    client: ClientFacts,
    goals: list[Goal],
    candidates: Sequence[tuple[Problem, tuple[str, ...]]],
    options: MergeOptions,
    used: set[str],
    measures: set[str],
    covered: set[str],
) -> list[Goal]:
    """A clinician goal without objectives (or interventions) gets the bank's for the problem
    it addresses, else for the best problem not yet planned; the clinician's words stay.
    ``covered`` gains each problem so used."""
    filled = []
    for goal in goals:
        if goal.origin is BANK or (goal.objectives and goal.interventions):
            filled.append(goal)
            continue
        problem = addressed(bank, goal, candidates)
        if problem is None:
            problem = next((p for p, _ in candidates if p.id not in covered), None)
        if problem is not None:
            covered.add(problem.id)
        source = (
            bank_goal(bank, client, problem, (), _limits(options), used, measures)
            if problem
            else None
        )
        if source is None:
            filled.append(goal)
            continue
        filled.append(
            goal.model_copy(
                update={
                    "objectives": goal.objectives or source.objectives,
                    "interventions": goal.interventions or source.interventions,
                    "problem": goal.problem or source.problem,
                    "problem_definition": goal.problem_definition or source.problem_definition,
                }
            )
        )
    return filled


def _goal_ids(bank: GoalBank, problem: Problem) -> frozenset[str]:
    """The ids of the bank's goals for the problem (worked out once a bank and problem)."""
    memo = table(bank, "goal ids")
    found = memo.get(problem.id)
    if found is None:
        goals = bank.goals_by_problem.get(problem.id, ())
        found = memo[problem.id] = frozenset(g.id for g in goals)
    return found


def _complete_interventions(
    goal: Goal,
    pool: Sequence[BankIntervention],
    responsible: str,
    frequency: str | None,
    families: frozenset[str],
    own: frozenset[str] = frozenset(),
) -> Goal:
    """The goal with each intervention completed (the goal itself when none changed);
    ``own``: the ids of the bank problems the goal addresses (:func:`_own_problems`)."""
    if _complete(goal):
        return goal  # complete_intervention fills only these three
    done = tuple(
        [complete_intervention(i, pool, responsible, frequency, families, goal.problem, own)
         for i in goal.interventions]
    )  # fmt: skip
    if all(map(is_, done, goal.interventions)):  # one for one
        return goal  # none completed (a completed one differs: it gains a missing value)
    return goal.model_copy(update={"interventions": done})


def _complete(goal: Goal) -> bool:
    """Whether every intervention of the goal has the values completion fills (a loop, not
    all() of a generator: it is asked of every goal of every plan)."""
    for i in goal.interventions:
        if not (i.responsible and i.frequency and i.rationale):
            break
    else:
        return True
    return False


def _own_problems(bank: GoalBank, goal: Goal) -> frozenset[str]:
    """The bank problems a goal addresses: its bank goal's, and those of its problem's name
    (worked out once a bank, problem name and bank id: all it reads of the goal)."""
    key = (goal.problem, goal.bank_id)
    memo = table(bank, "own problems")
    found = memo.get(key)
    if found is None:
        own = {p.id for p in bank.problems.values() if goal.problem and p.name == goal.problem}
        if goal.bank_id in bank.goals:
            own.add(bank.goals[goal.bank_id].problem_id)
        found = memo[key] = frozenset(own)
    return found


def _pool(
    bank: GoalBank, candidates: Sequence[tuple[Problem, tuple[str, ...]]], goals: list[Goal]
) -> tuple[BankIntervention, ...]:
    """The bank interventions a clinician's may take its frequency and rationale from: those
    of the client's ranked problems, then those of the problems the plan's bank goals address
    that are not ranked (the safety goal's: 30021's "Safety planning" is the safety goal's
    "Safety planning intervention")."""
    ranked = tuple([problem.id for problem, _ in candidates])
    planned = (bank.goals[g.bank_id].problem_id for g in goals if g.bank_id in bank.goals)
    unranked = tuple(dict.fromkeys(p for p in planned if p not in ranked))
    memo = table(bank, "pools")
    pool = memo.get((ranked, unranked))
    if pool is None:  # the same problems' pool is one tuple (its matches are remembered)
        by_problem = bank.interventions_by_problem
        pool = memo[(ranked, unranked)] = tuple(
            tx for problem_id in (*ranked, *unranked) for tx in by_problem.get(problem_id, ())
        )
    return pool


def _offered(
    bank: GoalBank, pool: tuple[BankIntervention, ...], age: int | None
) -> tuple[BankIntervention, ...]:
    """The pool's interventions offered at the client's age (:func:`in_range`): one tuple a
    pool and age (the pool itself when its every treatment is), so that a clinician's
    treatment is matched once a pool, modality and problems (``treatments._bank_match``
    remembers its answers for a tuple only). The pool is kept with its answer: its id() is
    not reused while the entry lives."""
    memo = table(bank, "offered pools")
    key = (id(pool), age)
    found = memo.get(key)
    if found is None or found[0] is not pool:
        offered = tuple([t for t in pool if in_range(t.ages, age)])
        found = memo[key] = (pool, pool if len(offered) == len(pool) else offered)
    return found[1]


def merge(
    plan: Plan, bank: GoalBank, *, options: MergeOptions | None = None
) -> tuple[Plan, list[Finding]]:
    """The plan with bank goals filling what the clinician left empty, and the findings."""
    options = options or _DEFAULTS
    where = f"client {plan.client.id}"
    plan_date = plan.plan_date or plan.intake_date
    if plan_date is None:
        return plan, [
            error(
                NO_DATE,
                where,
                "no plan date and no intake date: target dates cannot be set; add the intake date",
            )
        ]
    interval = options.review_interval_days or plan.review.interval_days
    review_date = plan.review.next_review_date or plan_date + dt.timedelta(days=interval)
    findings: list[Finding] = []
    if review_date <= plan_date:
        findings.append(
            warning(
                REVIEW_BEFORE_PLAN,
                f"{where}, review.next_review_date",
                f"the next review ({review_date}) is not after the plan date ({plan_date}): "
                f"target dates follow the review interval instead; correct the review date",
            )
        )
        review_date = plan_date + dt.timedelta(days=interval)
    families = diagnosed_families(bank, (d.code for d in plan.diagnoses))
    client = client_facts(plan, plan_date, review_date, families)
    for name, first in client.only_later.values():
        findings.append(
            warning(
                LATER_ONLY,
                f"{where}, measures {name}",
                f"{name} was given only after the plan date ({format_date(first)}, plan "
                f"{format_date(plan_date)}): a later score is progress, not a baseline, so no "
                f"objective starts from it; give the {name} at intake for a baseline",
            )
        )
    goals = split_modalities(list(plan.goals), where, findings)
    goals = clinician_checks(goals, bank, client, where, findings)
    used = {g.id for g in goals} | {o.id for g in goals for o in g.objectives}
    used |= {i.id for g in goals for i in g.interventions}
    #: instruments already targeted in the plan: one score objective per instrument per plan
    measures: set[str] = set()
    for goal in goals:
        for objective in goal.objectives:
            measures |= instruments_named(bank, f"{objective.measure} {objective.text}")

    safety_plan = plan.safety_plan
    if at_risk(plan):
        safety_plan = ensure_safety_plan(plan, bank, where, findings)

        def make_goal(problem: Problem, goal_id: str, rows: list[BankObjective]) -> Goal | None:
            return bank_goal(bank, client, problem, (), _limits(options), used, measures,
                             ranked=False, rows={goal_id: rows})  # fmt: skip

        def make_objective(row: BankObjective) -> Objective:
            return fill(bank, client, row, "", used)

        goals = ensure_safety_goal(plan, goals, bank, make_goal, make_objective, where, findings)

    candidates = rank_problems(plan, bank, client, where, findings)
    candidates = fitting(
        candidates, lambda: situation(plan, client.text, plan_date), client, where, findings
    )
    candidates = tuple(candidates)  # immutable from here on (fit.best_covered relies on it)
    client = choose(bank, plan, client, (p for p, _ in candidates))
    covered, claimed = clinician_coverage(plan, bank, goals, candidates)
    clinician_goals = list(goals)
    goals = _fill_empty_goals(bank, client, goals, candidates, options, used, measures, covered)
    covered |= {g.bank_id for g in goals if g.bank_id}
    covered |= {g.problem.lower() for g in goals if g.problem}
    room = options.max_goals - sum(1 for g in goals if not is_safety_goal(g))
    planned = planned_keys(bank, client, goals, candidates)
    named = domains_named(bank, client, clinician_goals, candidates)
    for problem, codes in candidates:
        if room <= 0:
            break
        if (
            problem.id in covered
            or problem.name.lower() in covered
            or not _goal_ids(bank, problem).isdisjoint(covered)
        ):
            continue
        if codes and set(codes) <= claimed:  # a diagnosis the clinician's own goal plans
            continue
        keys = problem_keys(bank, client, problem)
        if keys <= planned:  # one goal per diagnosis and per domain: a goal plans it already
            continue
        if not codes and keys <= planned | named.keys():  # the client's goal states it (MERGE042)
            findings.append(said_domain(named[next(iter(keys - planned))], problem, where))
            continue
        goal = bank_goal(bank, client, problem, codes, _limits(options), used, measures)
        if goal is None:
            continue
        goals.append(goal)
        planned |= keys
        room -= 1

    unrecorded = frozenset(plan.provenance.unrecorded)  # said once for the file (IN045)
    goals = name_problems(bank, clinician_goals, goals, candidates, where, findings, unrecorded)
    goals = note_choices(bank, goals, client, where, findings)
    unaddressed_diagnoses(plan, bank, goals, candidates, where, findings)
    goals = order_goals(plan, bank, goals, where, findings)
    for goal in goals:
        if not goal.objectives:
            findings.append(
                warning(
                    NO_OBJECTIVES,
                    f"{where}, goal {goal.id}",
                    "the goal has no objectives; add at least one measurable objective",
                )
            )
    frequency = None  # the first service's that has one
    for service in plan.services:
        if service.frequency:
            frequency = service.frequency
            break
    pool: tuple[BankIntervention, ...] | None = None  # made when a goal's interventions need it
    completed = []
    for goal in goals:
        if not _complete(goal):
            if pool is None:
                pool = _offered(bank, _pool(bank, candidates, goals), client.age)
            goal = _complete_interventions(
                goal, pool, client.responsible, frequency, client.families,
                _own_problems(bank, goal),
            )  # fmt: skip
        completed.append(goal)
    goals = fold_referrals(completed, where, findings)
    note_paced(goals, bank, client.pace, where, findings)
    unexplained_parts(goals, where, findings)
    for goal in goals:
        for objective in goal.objectives:
            if objective.origin is not BANK:
                continue
            if (
                objective.baseline_date is None
                and instrument_key(objective.measure or "") in client.scores
            ):
                findings.append(
                    warning(
                        UNDATED_BASELINE,
                        f"{where}, objective {objective.id}",
                        f"the {objective.measure} baseline has no administration date: check "
                        "that it was measured on or before the plan date and record its date",
                    )
                )
            if not problems_of(objective):
                continue
            for f in check_objective(objective, f"{where}, goal {goal.id}"):
                if f.severity is Severity.ERROR:
                    findings.append(
                        error(
                            BANK_SMART,
                            f.where,
                            f"bank objective {f.code}: {f.message}; fix its row in the goal bank",
                        )
                    )
    review = plan.review
    if review.interval_days != interval or review.next_review_date != review_date:
        review = review.model_copy(
            update={"interval_days": interval, "next_review_date": review_date}
        )
    services = tuple(complete_service(s) for s in plan.services)
    if all(a is b for a, b in zip(services, plan.services, strict=True)):
        services = plan.services  # the same parts: the plan's own (its JSON text is reused)
    merged = plan.model_copy(
        update={
            "plan_date": plan_date,
            "goals": tuple(goals),
            "services": services,
            "safety_plan": safety_plan,
            "review": review,
        }
    )
    return merged, findings
