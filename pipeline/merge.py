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
import re
from dataclasses import dataclass
from functools import lru_cache

from .findings import Finding, Severity, error, info, warning
from .goalbank import BankGoal, BankObjective, GoalBank, Problem, Target, instrument_key
from .model import Goal, Intervention, Objective, Origin, Plan, SafetyPlan
from .smart import check_objective

NO_DATE = "MERGE001"
UNCOVERED = "MERGE010"
NO_OBJECTIVES = "MERGE011"
CLINICIAN_SMART = "MERGE020"
DATE_FILLED = "MERGE021"
SAFETY_SKELETON = "MERGE030"
NO_SAFETY_FAMILY = "MERGE031"
BANK_SMART = "MERGE040"

#: Marks a safety-plan entry from the bank skeleton the clinician must complete.
TODO_MARK = "[Complete with the client]"


@dataclass(frozen=True)
class MergeOptions:
    """Bounds and review interval. ``review_interval_days=None``: the plan's own (90 default)."""

    max_goals: int = 3
    max_objectives_per_goal: int = 3
    max_interventions_per_goal: int = 3
    review_interval_days: int | None = None


@dataclass(frozen=True)
class _Client:
    """What ranking and filling need from a plan, computed once."""

    scores: dict[str, int]  #: instrument key -> latest total
    text: str  #: presenting problem and assessment, lower-case
    plan_date: dt.date
    review_date: dt.date


@lru_cache(maxsize=4096)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(k.lower()) for k in keywords) + ")")


def _hits(keywords: tuple[str, ...], text: str) -> int:
    pattern = _pattern(keywords)
    return len(set(pattern.findall(text))) if pattern and text else 0


def _client(plan: Plan, plan_date: dt.date, review_date: dt.date) -> _Client:
    latest: dict[str, tuple[dt.date, int, int]] = {}
    for index, measure in enumerate(plan.measures):
        if measure.total is None:
            continue
        key = instrument_key(measure.instrument)
        stamp = (measure.date or dt.date.min, index, measure.total)
        if key not in latest or stamp[:2] > latest[key][:2]:
            latest[key] = stamp
    pp, assessment = plan.presenting_problem, plan.assessment
    parts = [
        pp.client_words,
        pp.description,
        pp.functional_impact,
        pp.what_would_be_different,
        *assessment.symptoms,
        *assessment.challenges,
    ]
    text = " ".join(p for p in parts if p).lower()
    return _Client({k: v[2] for k, v in latest.items()}, text, plan_date, review_date)


def _format_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _target(bank: GoalBank, client: _Client, objective: BankObjective) -> Target | None:
    score = client.scores.get(instrument_key(objective.measure))
    if objective.kind != "instrument" or score is None:
        return None
    target = bank.target_for(objective.measure, score)
    return target if target and target.score is not None else None


def _objective_score(bank: GoalBank, client: _Client, objective: BankObjective) -> int | None:
    """Relevance of one bank objective to this client; None when it cannot be used."""
    if objective.kind == "instrument":
        target = _target(bank, client, objective)
        return None if target is None else 100 + 10 * target.band.index
    return 50 + 5 * _hits(objective.keywords, client.text)


def _pick_objectives(
    bank: GoalBank, client: _Client, goal: BankGoal, limit: int, ranked: bool, taken: set[str]
) -> list[BankObjective]:
    """The goal's best objectives: one per measure, no instrument already used in the plan."""
    scored = []
    for objective in bank.objectives_by_goal.get(goal.id, ()):
        score = _objective_score(bank, client, objective)
        if score is not None:
            scored.append((-score if ranked else 0, objective.order, objective))
    chosen: list[BankObjective] = []
    measures = set(taken)
    for _, _, objective in sorted(scored, key=lambda s: s[:2]):
        key = objective.measure.lower()
        if key in measures:
            continue
        measures.add(key)
        chosen.append(objective)
        if len(chosen) >= limit:
            break
    return chosen


def _problem_relevance(bank: GoalBank, client: _Client, problem: Problem) -> int:
    bands = [
        target.band.index
        for goal in bank.goals_by_problem.get(problem.id, ())
        for objective in bank.objectives_by_goal.get(goal.id, ())
        if (target := _target(bank, client, objective)) is not None
    ]
    return 20 * (max(bands) + 1 if bands else 0) + 10 * _hits(problem.keywords, client.text)


def _rank_problems(
    plan: Plan, bank: GoalBank, client: _Client, where: str, findings: list[Finding]
) -> list[tuple[Problem, tuple[str, ...]]]:
    """Candidate problems, best first, each with the diagnosis codes that brought it.

    Each diagnosis (primary first) and then the keyword-matched domains form a queue of
    problems by relevance; the queues are taken in turns, so every diagnosis gets its best
    problem before any gets a second one. A problem shared by several diagnoses comes once.
    """
    codes: dict[str, list[str]] = {}
    queues: list[list[Problem]] = []
    ordered = sorted(enumerate(plan.diagnoses), key=lambda d: (not d[1].primary, d[0]))
    for _, dx in ordered:
        families = [f for f in bank.families_for_code(dx.code) if f.kind != "safety"]
        if not families:
            findings.append(
                warning(
                    UNCOVERED,
                    f"{where}, diagnosis {dx.code}",
                    f"the goal bank has no family for {dx.code}; write its "
                    "goals in the intake or add a family to the goal bank",
                )
            )
        problems = {p.id: p for f in families for p in bank.problems_by_family.get(f.id, ())}
        for problem_id in problems:
            found = codes.setdefault(problem_id, [])
            if dx.code not in found:
                found.append(dx.code)
        queues.append(
            sorted(problems.values(), key=lambda p: (-_problem_relevance(bank, client, p), p.order))
        )
    domain: dict[str, tuple[int, Problem]] = {}
    for family in bank.domains():
        hits = _hits(family.keywords, client.text)
        for problem in bank.problems_by_family.get(family.id, ()) if hits else ():
            score = 10 * hits + _problem_relevance(bank, client, problem)
            domain[problem.id] = max(
                domain.get(problem.id, (score, problem)), (score, problem), key=lambda s: s[0]
            )
    queues.append([p for _, p in sorted(domain.values(), key=lambda s: (-s[0], s[1].order))])
    ranked: dict[str, Problem] = {}
    for turn in range(max((len(q) for q in queues), default=0)):
        for queue in queues:
            if turn < len(queue):
                ranked.setdefault(queue[turn].id, queue[turn])
    return [(problem, tuple(codes.get(pid, ()))) for pid, problem in ranked.items()]


def _unique(wanted: str, used: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in used:
        candidate, n = f"{wanted}-{n}", n + 1
    used.add(candidate)
    return candidate


def _bank_goal(
    bank: GoalBank,
    client: _Client,
    problem: Problem,
    codes: tuple[str, ...],
    options: MergeOptions,
    used: set[str],
    used_measures: set[str],
    ranked: bool = True,
) -> Goal | None:
    """The problem's best goal with its objectives and interventions, filled for the client."""
    limit = max(1, options.max_objectives_per_goal)
    choices = []
    for goal in bank.goals_by_problem.get(problem.id, ()):
        picked = _pick_objectives(bank, client, goal, limit, ranked, used_measures)
        if picked:
            total = sum(_objective_score(bank, client, o) or 0 for o in picked)
            choices.append((-total if ranked else 0, goal.order, goal, picked))
    if not choices:
        return None
    _, _, goal, picked = min(choices, key=lambda c: c[:2])
    used_measures.update(o.measure.lower() for o in picked if o.kind == "instrument")
    txs = bank.interventions_by_problem.get(problem.id, ())[: options.max_interventions_per_goal]
    frequency = txs[0].frequency if txs else ""
    objectives = tuple(_fill(bank, client, o, frequency, used) for o in picked)
    interventions = tuple(
        Intervention(
            id=_unique(tx.id, used),
            modality=tx.modality,
            description=tx.description,
            frequency=tx.frequency,
            rationale=tx.evidence,
            origin=Origin.BANK,
            bank_id=tx.id,
        )
        for tx in txs
    )
    return Goal(
        id=_unique(goal.id, used),
        client_words=goal.client_words,
        description=goal.clinical_goal,
        problem=problem.name,
        problem_definition=problem.definition,
        diagnosis_codes=codes,
        objectives=objectives,
        interventions=interventions,
        origin=Origin.BANK,
        bank_id=goal.id,
    )


def _fill(
    bank: GoalBank, client: _Client, row: BankObjective, frequency: str, used: set[str]
) -> Objective:
    """One bank objective with its placeholders filled from the client."""
    due = client.review_date
    if row.due_days:
        due = min(due, client.plan_date + dt.timedelta(days=row.due_days))
    if row.kind == "instrument":
        target = _target(bank, client, row)
        baseline = str(client.scores[instrument_key(row.measure)])
        goal_text = target.text if target else ""
    else:
        baseline, goal_text = row.baseline or "", row.target or ""
    values = {
        "measure": row.measure,
        "baseline": baseline,
        "target": goal_text,
        "target_date": _format_date(due),
        "weeks": str(max(1, round((due - client.plan_date).days / 7))),
        "frequency": frequency,
    }
    return Objective(
        id=_unique(row.id, used),
        text=row.text.format_map(values),
        measure=row.measure,
        baseline=baseline,
        target=goal_text,
        target_date=due,
        frequency=frequency or None,
        origin=Origin.BANK,
        bank_id=row.id,
    )


def _safety_plan(bank: GoalBank) -> SafetyPlan:
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


def _has_safety_goal(goals: list[Goal], safety_goal_ids: set[str]) -> bool:
    for goal in goals:
        if goal.bank_id in safety_goal_ids:
            return True
        if any("safety plan" in o.text.lower() for o in goal.objectives):
            return True
    return False


def _clinician_checks(
    goals: list[Goal], review_date: dt.date, where: str, findings: list[Finding]
) -> list[Goal]:
    """Keep existing goals; fill a missing target date; report SMART gaps as warnings."""
    kept = []
    for goal in goals:
        objectives = []
        for objective in goal.objectives:
            if objective.target_date is None:
                objective = objective.model_copy(update={"target_date": review_date})
                findings.append(
                    info(
                        DATE_FILLED,
                        f"{where}, objective {objective.id}",
                        f"no target date: set to the next review, {review_date}",
                    )
                )
            gaps = check_objective(objective, f"{where}, goal {goal.id}")
            if gaps:
                detail = "; ".join(f"{f.message} ({f.code})" for f in gaps)
                message = f"the clinician's objective is not SMART yet: {detail}"
                findings.append(warning(CLINICIAN_SMART, gaps[0].where, message))
            objectives.append(objective)
        if not goal.objectives:
            findings.append(
                warning(
                    NO_OBJECTIVES,
                    f"{where}, goal {goal.id}",
                    "the goal has no objectives; add at least one measurable objective",
                )
            )
        kept.append(goal.model_copy(update={"objectives": tuple(objectives)}))
    return kept


def _goal_text(goal: Goal) -> str:
    parts = [goal.client_words, goal.description, goal.problem]
    parts += [o.text for o in goal.objectives] + [o.measure for o in goal.objectives]
    parts += [i.modality for i in goal.interventions]
    parts += [i.description for i in goal.interventions]
    return " ".join(p for p in parts if p).lower()


def _instruments_named(bank: GoalBank, text: str) -> set[str]:
    """Instruments a free text names ('PHQ-9', 'phq9'), as lower-case bank names."""
    squeezed = re.sub(r"[^a-z0-9]", "", text.lower())
    return {
        name.lower() for key, (name, _, _) in bank.instruments.items() if key.lower() in squeezed
    }


def _covered_by_clinician(
    bank: GoalBank, goals: list[Goal], candidates: list[tuple[Problem, tuple[str, ...]]]
) -> set[str]:
    """Bank problems the clinician's own goals already address (keywords, instruments named)."""
    covered: set[str] = set()
    for goal in goals:
        if goal.origin is Origin.BANK:
            continue
        text = _goal_text(goal)
        named = _instruments_named(bank, text)
        best: tuple[int, int, str] | None = None
        for problem, _ in candidates:
            if problem.id in covered:
                continue
            measures = {
                o.measure.lower()
                for g in bank.goals_by_problem.get(problem.id, ())
                for o in bank.objectives_by_goal.get(g.id, ())
                if o.kind == "instrument"
            }
            score = _hits(problem.keywords, text) + 2 * len(named & measures)
            if score and (best is None or (score, -problem.order) > best[:2]):
                best = (score, -problem.order, problem.id)
        if best:
            covered.add(best[2])
    return covered


def merge(
    plan: Plan, bank: GoalBank, *, options: MergeOptions | None = None
) -> tuple[Plan, list[Finding]]:
    """The plan with bank goals filling what the clinician left empty, and the findings."""
    options = options or MergeOptions()
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
    client = _client(plan, plan_date, review_date)
    findings: list[Finding] = []
    goals = _clinician_checks(list(plan.goals), review_date, where, findings)
    used = {g.id for g in goals} | {o.id for g in goals for o in g.objectives}
    used |= {i.id for g in goals for i in g.interventions}
    #: instruments already targeted in the plan: one score objective per instrument per plan
    measures: set[str] = set()
    for goal in goals:
        for objective in goal.objectives:
            measures |= _instruments_named(bank, f"{objective.measure} {objective.text}")

    safety_plan = plan.safety_plan
    safety = bank.safety_family()
    safety_goal_ids: set[str] = set()
    for problem in bank.problems_by_family.get(safety.id, ()) if safety else ():
        safety_goal_ids |= {g.id for g in bank.goals_by_problem.get(problem.id, ())}
    if plan.risk.safety_plan_required:
        if safety_plan is None:
            safety_plan = _safety_plan(bank)
            findings.append(
                warning(
                    SAFETY_SKELETON,
                    f"{where}, safety_plan",
                    "safety plan taken from the goal bank skeleton: complete "
                    f'the entries marked "{TODO_MARK}" with the client',
                )
            )
        if safety is None:
            findings.append(
                warning(
                    NO_SAFETY_FAMILY,
                    where,
                    "the goal bank has no safety family: add the safety goal by hand",
                )
            )
        elif not _has_safety_goal(goals, safety_goal_ids):
            for problem in bank.problems_by_family.get(safety.id, ()):
                goal = _bank_goal(bank, client, problem, (), options, used, measures, ranked=False)
                if goal is not None:
                    goals.insert(0, goal)
                    break

    candidates = _rank_problems(plan, bank, client, where, findings)
    covered = {g.bank_id for g in goals if g.bank_id}
    covered |= {g.problem.lower() for g in goals if g.problem}
    covered |= _covered_by_clinician(bank, goals, candidates)
    room = options.max_goals - sum(1 for g in goals if g.bank_id not in safety_goal_ids)
    for problem, codes in candidates:
        if room <= 0:
            break
        bank_goal_ids = {g.id for g in bank.goals_by_problem.get(problem.id, ())}
        if {problem.id, problem.name.lower()} & covered or bank_goal_ids & covered:
            continue
        goal = _bank_goal(bank, client, problem, codes, options, used, measures)
        if goal is None:
            continue
        goals.append(goal)
        room -= 1

    for goal in goals:
        if goal.origin is not Origin.BANK:
            continue
        for objective in goal.objectives:
            for f in check_objective(objective, f"{where}, goal {goal.id}"):
                if f.severity is Severity.ERROR:
                    findings.append(
                        error(
                            BANK_SMART,
                            f.where,
                            f"bank objective {f.code}: {f.message}; fix its row in the goal bank",
                        )
                    )
    review = plan.review.model_copy(
        update={"interval_days": interval, "next_review_date": review_date}
    )
    merged = plan.model_copy(
        update={
            "plan_date": plan_date,
            "goals": tuple(goals),
            "safety_plan": safety_plan,
            "review": review,
        }
    )
    return merged, findings
