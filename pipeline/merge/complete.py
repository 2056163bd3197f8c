"""Completes what a clinician's own items leave implicit, without rewriting their words.

A clinician writes "Reduce PHQ-9 from 16 to below 10 by 2026-04-06" in one sentence; payers
want the measure, baseline and target as fields. This module reads them out of the
clinician's text (the text itself is never changed), takes a missing baseline from the
intake score, and names the problem a clinician goal addresses when it names none
(interventions and services: :mod:`pipeline.merge.treatments`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import is_

from pipeline.clinical.schedule import due_by, redate
from pipeline.clinical.smart import (
    FROM_NUMBER,
    TO_NUMBER,
    check_objective,
    column_number,
    disagreements,
)
from pipeline.findings import Finding, error, info, warning
from pipeline.goalbank.bank import GoalBank, Problem, instrument_key
from pipeline.merge.baseline import LOG_BASELINE, count_baseline
from pipeline.merge.client import ClientFacts
from pipeline.merge.fit import best_covered
from pipeline.merge.memo import table
from pipeline.merge.select import instruments_named
from pipeline.model import Goal, Objective, Origin

#: Read as a global (an enum member is an attribute of its class: several times slower).
BANK = Origin.BANK

PROBLEM_NAMED = "MERGE022"
GOAL_FROM_BANK = "MERGE033"
COLUMNS_FROM_TEXT = "MERGE023"
CLINICIAN_SMART = "MERGE020"
DATE_FILLED = "MERGE021"
TARGET_BEFORE_PLAN = "MERGE028"
ON_REVIEW_DAY = "MERGE041"

_FROM = FROM_NUMBER
_TO = TO_NUMBER
_OF = re.compile(
    r"\b(\d+\s+(?:of|out of)\s+\d+(?:\s+(?:school\s+)?(?:days|nights|weeks|times|sessions))?)",
    re.IGNORECASE,
)
_OR_MORE = re.compile(r"\b(\d+(?:/\d+)?\s+or\s+(?:lower|fewer|less|more|higher))", re.IGNORECASE)
_LOG = re.compile(
    r"\b((?:(?!(?:an?|the|in|with|per|by|on)\b)[a-z]+\s+)?"
    r"(?:log|diary|planner|tracker|journal|calendar))\b",
    re.IGNORECASE,
)


#: "Reduce night-time checking from 5 to 1 or fewer per night": what is counted, and per what
_COUNTED = re.compile(
    r"^\s*(?:the\s+client\s+will\s+|i\s+will\s+)?(?:reduce|decrease|cut|lower|increase|raise)"
    r"\s+(?:the\s+number\s+of\s+)?(?P<what>.+?)\s+from\s+\d",
    re.IGNORECASE,
)
_PER = re.compile(r"\b(per|a|each)\s+(day|night|week|month)\b", re.IGNORECASE)


def complete_objective(objective: Objective, bank: GoalBank, client: ClientFacts) -> Objective:
    """Measure, baseline and target read from the objective's own words where missing; a
    baseline from the intake carries its date."""
    text = objective.text
    updates: dict[str, object] = {}
    measure = objective.measure
    if not measure:
        named = sorted(instruments_named(bank, text))
        measure = _instrument_name(bank, named[0]) if named else _log_named(text)
        if measure:
            updates["measure"] = measure
    if not objective.baseline:
        key = instrument_key(measure) if measure else ""
        score = client.scores.get(key) if measure else None
        if (stated := _stated_from(text)) is not None:
            updates["baseline"] = stated
            if score is not None and str(score) == stated:
                updates["baseline_date"] = client.baseline_dates.get(key)
        elif score is not None:
            updates["baseline"] = str(score)
            updates["baseline_date"] = client.baseline_dates.get(key)
        elif measure and _LOG.search(measure):
            updates["baseline"], updates["baseline_date"] = _count(client, measure, text)
    elif objective.baseline == LOG_BASELINE:
        counted = _count(client, objective.measure or "", text)
        updates["baseline"], updates["baseline_date"] = counted
    elif objective.baseline_date is None and measure:
        # a baseline column that is the intake's score ("55" for PCL-5 55 on February 6)
        # carries that administration's date, as one read from the text does
        key = instrument_key(measure)
        score = client.scores.get(key)
        given = column_number(objective.baseline)
        if score is not None and given is not None and float(given) == float(score):
            updates["baseline_date"] = client.baseline_dates.get(key)
    if not objective.target and (target := _stated_target(text)) is not None:
        updates["target"] = target
    return objective.model_copy(update=updates) if updates else objective


# What an objective's own words state, read once a text (pure functions of it: clinicians'
# objectives repeat the same wording in many plans).


@lru_cache(maxsize=4096)
def _log_named(text: str) -> str | None:
    """The log, diary or tracker the text names ("sleep diary"), lower-case."""
    match = _LOG.search(text)
    return match.group(1).strip().lower() if match else None


@lru_cache(maxsize=4096)
def _stated_from(text: str) -> str | None:
    """The baseline the text states ("from 16")."""
    match = _FROM.search(text)
    return match.group(1) if match else None


@lru_cache(maxsize=4096)
def _stated_target(text: str) -> str | None:
    """The target the text states ("to below 10", "3 of 4 nights", "2 or fewer")."""
    for pattern in (_TO, _OF, _OR_MORE):
        if match := pattern.search(text):
            return match.group(1)
    return None


def _count(client: ClientFacts, measure: str, text: str) -> tuple[str, object]:
    """A clinician count objective's baseline column and date: the number the intake states
    for what its words count, with its source and date ('7 (intake, January 8, 2026:
    "drinking 4-5 beers nightly")': the text is the clinician's and never quotes it), else
    the dated log step."""
    value, quoted, day = count_baseline(client, measure, text)
    return (quoted if day is not None else value), day


def columns_from_text(objective: Objective, bank: GoalBank) -> tuple[Objective, str | None]:
    """When the measure, baseline or target columns contradict the objective's own text
    (Measure GAD-7, Baseline "GAD-7 = 16" for "Reduce night-time checking from 5 to 1 or
    fewer per night"), the columns the text states, and what was replaced; else unchanged."""
    found = disagreements(objective)
    if not found:
        return objective, None
    text = objective.text
    stated_from, stated_to = _FROM.search(text), _TO.search(text)
    named = sorted(instruments_named(bank, text))
    measure = objective.measure
    if named:
        measure = _instrument_name(bank, named[0])
    elif (counted := _COUNTED.search(text)) is not None:
        per = _PER.search(text[counted.end() :])
        measure = counted.group("what").strip()
        if per:
            measure = f"{measure} per {per.group(2).lower()}"
    updates: dict[str, object] = {"measure": measure}
    if stated_from:
        updates["baseline"] = stated_from.group(1)
        updates["baseline_date"] = None
    if stated_to:
        updates["target"] = stated_to.group(1)
    fixed = objective.model_copy(update=updates)
    if disagreements(fixed):
        return objective, None
    was = f"{objective.measure} / {objective.baseline} / {objective.target}"
    now = f"{fixed.measure} / {fixed.baseline} / {fixed.target}"
    return fixed, (
        f"{'; '.join(found)}: measure / baseline / target set from the text: {was} -> {now}; "
        "check them"
    )


def _instrument_name(bank: GoalBank, lower_name: str) -> str:
    for name, _, _ in bank.instruments.values():
        if name.lower() == lower_name:
            return name
    return lower_name.upper()


def name_problems(
    bank: GoalBank,
    before: list[Goal],
    goals: list[Goal],
    candidates: Sequence[tuple[Problem, tuple[str, ...]]],
    where: str,
    findings: list[Finding],
    unrecorded: frozenset[str] = frozenset(),
) -> list[Goal]:
    """A clinician goal that names no problem gets the bank problem its words and measures
    address (payer grids have a Problem column), and one with no clinical goal gets the bank's
    for its problem (a document never shows the problem's name as the goal); each one filled
    is said, to be checked: a warning where the intake could have said it and left it blank,
    an info where its system has no such field (``unrecorded``, from the plan's provenance:
    the reader warned once for the whole file, IN045)."""
    said = {
        f: info if f"goals[].{f}" in unrecorded else warning for f in ("problem", "description")
    }
    was_named = {g.id for g in before if g.problem}
    named = []
    for goal in goals:
        if goal.origin is not BANK and not goal.problem:
            problem = best_covered(bank, goal, candidates)
            if problem is not None:
                goal = goal.model_copy(
                    update={
                        "problem": problem.name,
                        "problem_definition": goal.problem_definition or problem.definition,
                    }
                )
        if goal.origin is not BANK and goal.problem and goal.id not in was_named:
            findings.append(
                said["problem"](
                    PROBLEM_NAMED,
                    f"{where}, goal {goal.id}",
                    f'no problem named: set to the goal bank\'s "{goal.problem}"; check that '
                    "it is the problem this goal addresses",
                )
            )
        if goal.origin is not BANK and goal.problem and not (goal.description or "").strip():
            goal = _bank_clinical_goal(bank, goal, candidates, where, findings, said["description"])
        named.append(goal)
    return named


def _bank_clinical_goal(
    bank: GoalBank,
    goal: Goal,
    candidates: Sequence[tuple[Problem, tuple[str, ...]]],
    where: str,
    findings: list[Finding],
    say: Callable[[str, str, str], Finding] = warning,
) -> Goal:
    """The goal with the bank's clinical goal for its problem (said: MERGE033), or as it is
    when the bank has no problem of that name."""
    name = (goal.problem or "").strip().casefold()
    problem = None  # the first candidate of that name
    for candidate, _ in candidates:
        if candidate.name.casefold() == name:
            problem = candidate
            break
    if problem is None:
        problem = by_folded_name(bank).get(name)
    options = bank.goals_by_problem.get(problem.id, ()) if problem else ()
    if not options:
        return goal
    text = options[0].clinical_goal
    findings.append(
        say(
            GOAL_FROM_BANK,
            f"{where}, goal {goal.id}",
            f'no clinical goal written: set to the goal bank\'s for "{goal.problem}" ("{text}"); '
            "check that it is what treatment aims to change",
        )
    )
    codes = goal.diagnosis_codes
    if not codes:  # the codes that brought the problem
        for candidate, brought in candidates:
            if candidate is problem:
                codes = brought
                break
    return goal.model_copy(update={"description": text, "diagnosis_codes": codes})


def by_folded_name(bank: GoalBank) -> dict[str, Problem]:
    """The bank's first problem of each name (casefolded), as a scan in its order finds it."""
    names = table(bank, "problems by folded name")
    if not names:
        for problem in bank.problems.values():
            names.setdefault(problem.name.casefold(), problem)
    return names


def clinician_checks(
    goals: list[Goal],
    bank: GoalBank,
    client: ClientFacts,
    where: str,
    findings: list[Finding],
) -> list[Goal]:
    """Keep existing goals; read measure, baseline and target out of the clinician's words;
    fill a missing target date, and date one on the next review's day on the period's last day
    (MERGE041: the review starts the next period); a target date before the plan date is an
    error (MERGE028); report remaining SMART gaps as warnings."""
    due = due_by(client.review_date)  # the last day of the period the next review ends
    kept = []
    for goal in goals:
        objectives = []
        for objective in goal.objectives:
            objective, realigned = columns_from_text(objective, bank)
            if realigned:
                findings.append(
                    warning(COLUMNS_FROM_TEXT, f"{where}, objective {objective.id}", realigned)
                )
            objective = complete_objective(objective, bank, client)
            if objective.target_date is None:
                objective = objective.model_copy(update={"target_date": due})
                findings.append(
                    info(
                        DATE_FILLED,
                        f"{where}, objective {objective.id}",
                        f"no target date: set to {due}, the last day before the next review "
                        f"({client.review_date})",
                    )
                )
            elif objective.target_date == client.review_date:
                objective = objective.model_copy(
                    update={
                        "target_date": due,
                        "text": redate(objective.text, client.review_date, due),
                    }
                )
                findings.append(
                    info(
                        ON_REVIEW_DAY,
                        f"{where}, objective {objective.id}",
                        f"due on the day of the next review ({client.review_date}), which starts "
                        f"the next period: dated {due}, the period's last day, so that it lies in "
                        "the period certified or authorized; give another date in the intake if "
                        "that is not what was meant",
                    )
                )
            if objective.target_date < client.plan_date:
                findings.append(
                    error(
                        TARGET_BEFORE_PLAN,
                        f"{where}, objective {objective.id}",
                        f"the target date {objective.target_date} is before the plan date "
                        f"{client.plan_date}: set the date by which the target will be reached",
                    )
                )
            gaps = check_objective(objective, f"{where}, goal {goal.id}")
            if gaps:
                detail = "; ".join(f"{f.message} ({f.code})" for f in gaps)
                message = f"the clinician's objective is not SMART yet: {detail}"
                findings.append(warning(CLINICIAN_SMART, gaps[0].where, message))
            objectives.append(objective)
        if not all(map(is_, objectives, goal.objectives)):  # one for one: any changed
            goal = goal.model_copy(update={"objectives": tuple(objectives)})
        kept.append(goal)
    return kept
