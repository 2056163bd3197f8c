"""Applies a progress review to a client's latest plan, giving the next version with rationale.

Statuses and scores are recorded; met and discontinued objectives close (they keep their
target date), the others get a new target date one review interval after the review; new
concerns add goals from the goal bank through merge; every change is listed in the new plan's
``revision`` with the rationale from its row. A row naming an unknown objective or goal is a
located error, so is an open objective left to lapse before the next review or a "met" the
plan contradicts (:mod:`pipeline.versions.revise_checks`); a review with any error changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError

from pipeline.clinical import icd10 as codes
from pipeline.clinical import measures
from pipeline.clinical.risk import is_safety_goal
from pipeline.clinical.schedule import due_by, redate
from pipeline.errors import ValueProblem
from pipeline.findings import Finding, error, has_errors, warning
from pipeline.merge.safety import SAFETY_GOAL_ADDED
from pipeline.model import (
    Assessment,
    Diagnosis,
    Goal,
    Objective,
    ObjectiveProgress,
    Plan,
    PresentingProblem,
    Review,
    Revision,
    RevisionChange,
    SafetyPlan,
)
from pipeline.readers.mapping.values import split_list
from pipeline.versions import certification, continuity, numbering, services, signing
from pipeline.versions import revise_checks as checks
from pipeline.versions.naming import with_own_name
from pipeline.versions.reviews import ReviewRow

CLOSED = checks.CLOSED

#: ``(plan, interval_days) -> (plan with bank goals added, findings)``; see :func:`bank_merger`.
Merger = Callable[[Plan, int], tuple[Plan, list[Finding]]]


def bank_merger(bank: Any, *, goals_per_concern: int = 1) -> Merger:
    """A merger adding the bank's best goal(s) for a concern (:func:`pipeline.merge.core.merge`)."""
    from pipeline.merge.core import MergeOptions, merge

    def run(plan: Plan, interval_days: int) -> tuple[Plan, list[Finding]]:
        options = MergeOptions(max_goals=goals_per_concern, review_interval_days=interval_days)
        merged, findings = merge(plan, bank, options=options)
        return merged, list(findings)

    return run


def apply_review(
    plan: Plan,
    rows: Sequence[ReviewRow],
    *,
    interval_days: int | None = None,
    merger: Merger | None = None,
    reason: str | None = None,
) -> tuple[Plan | None, list[Finding]]:
    """The revised plan and findings; ``None`` (nothing applied) when any finding is an error.

    ``interval_days`` (a payer's review interval) overrides the plan's own.
    """
    interval = interval_days or plan.review.interval_days
    review_date = max(r.date for r in rows)
    reviewer = next((r.reviewer for r in rows if r.reviewer), None)
    findings: list[Finding] = []
    changes: list[RevisionChange] = []
    if len({r.date for r in rows}) > 1:
        where = rows[0].at("date")
        findings.append(warning("REV010", where, f"rows give several dates; using {review_date}"))
    goals = {g.id: g for g in plan.goals}
    owner = {o.id: g.id for g in plan.goals for o in g.objectives}
    next_review = review_date + dt.timedelta(days=interval)
    new_target = due_by(next_review)  # the last day of the period the next review ends
    measures_added = []
    concerns: list[ReviewRow] = []

    def record(target: str, change: str, row: ReviewRow) -> None:
        changes.append(RevisionChange(target=target, change=change, rationale=row.rationale or ""))

    by_number = numbering.objective_numbers(plan)
    goal_by_number = numbering.goal_numbers(plan)
    notes: dict[str, list[str]] = {}
    for row in rows:
        if row.objective_id is not None and (row.status is not None or row.note is not None):
            objective_id = numbering.resolve(row.objective_id, by_number, set(owner))
            goal_id = owner.get(objective_id or "")
            if objective_id is None or goal_id is None:
                known = ", ".join(f"{n} ({i})" for n, i in by_number.items()) or "none"
                msg = (
                    f"client {row.client_id} has no objective {row.objective_id!r}; name it by "
                    f"its number on the plan or its id: {known}"
                )
                findings.append(error("REV020", row.at("objective_id"), msg))
                continue
            if row.note is not None:
                notes.setdefault(objective_id, []).append(row.note)
        if row.objective_id is not None and row.status is not None:
            goal = goals[owner[objective_id]]
            objective = next(o for o in goal.objectives if o.id == objective_id)
            update: dict[str, Any] = {"status": row.status}
            if objective.status != row.status:
                record(objective.id, f"status {row.status.value.replace('_', ' ')}", row)
            if row.status not in CLOSED and objective.target_date != new_target:
                update["target_date"] = new_target
                update["text"] = redate(objective.text, objective.target_date, new_target)
                record(objective.id, f"target date {new_target.isoformat()}", row)
            goals[goal.id] = _replace_objective(goal, objective.model_copy(update=update))
        if row.instrument is not None and row.score is not None:
            try:
                measure, found = measures.score(
                    row.instrument,
                    total=row.score,
                    date=row.date,
                    where=row.at("score"),
                    sex=plan.client.sex_assigned_at_birth,  # AUDIT-C: the intake's cut-off
                )
            except ValueProblem as exc:
                findings.append(error("REV021", exc.where or row.at("score"), exc.message))
                continue
            findings.extend(found)
            if measure not in plan.measures:  # the same review applied again adds nothing
                measures_added.append(measure)
                record(f"measure:{measure.instrument}", f"score {measure.total}", row)
        if row.goal_text is not None and row.goal_id is not None:
            goal_id = numbering.resolve(row.goal_id, goal_by_number, set(goals))
            if goal_id is None:
                known = ", ".join(f"{n} ({i})" for n, i in goal_by_number.items()) or "none"
                msg = f"client {row.client_id} has no goal {row.goal_id!r}; known: {known}"
                findings.append(error("REV022", row.at("goal_id"), msg))
                continue
            if goals[goal_id].client_words != row.goal_text:
                reworded = {"client_words": row.goal_text}
                goals[goal_id] = goals[goal_id].model_copy(update=reworded)
                record(goal_id, "goal reworded", row)
        if row.concern is not None or row.concern_code is not None:
            concerns.append(row)
    safety_plan, found = recorded_safety_plan(plan, rows, record)
    findings.extend(found)
    if has_errors(findings):
        return None, findings

    revised = plan.model_copy(
        update={
            "goals": tuple(goals[g.id] for g in plan.goals),
            "measures": plan.measures + tuple(measures_added),
            "safety_plan": safety_plan,
        }
    )
    if concerns:
        same = plan.reviews and plan.reviews[-1].date == review_date  # a second file: its period
        start = (plan.review.recertified_from if same
                 else certification.recertification_start(plan, review_date))  # fmt: skip
        revised, found = add_concerns(revised, concerns, interval, new_target, merger, record,
                                      start=start or review_date)  # fmt: skip
        findings.extend(found)
        if has_errors(findings):
            return None, findings
    # nothing lost, moved or doubled; nothing left to lapse before the next review; no
    # "met" the plan contradicts
    findings += continuity.dropped(plan, revised, changes, checks.place(rows))
    findings += checks.unaddressed(revised, rows, next_review, plan)
    findings += checks.met_contradicted(revised, rows, plan)
    findings += checks.screening_stops(revised, plan, rows)
    if has_errors(findings):
        return None, findings
    # a second file for the same review date (notes added later) completes that review
    same_day = plan.reviews[-1] if plan.reviews and plan.reviews[-1].date == review_date else None
    # the revision is signed anew: the earlier version's signature dates do not sign it
    signed, signing_changes, found = signing.revised(plan, rows, review_date, same_day is not None)
    findings += found + signing.reviewer_check(plan, rows)
    if has_errors(findings):
        return None, findings
    changes += signing_changes
    revised = revised.model_copy(update={"signatures": signed})
    # the services run from the review, at least to the next one (REV033 when extended)
    kept, service_changes, found = services.restated(
        plan, revised, review_date, next_review, checks.place(rows)
    )
    findings += found
    changes += service_changes
    revised = revised.model_copy(update={"services": kept})
    recorded = {p.objective: p.note for p in (same_day.progress if same_day else ()) if p.note}
    said = {**recorded, **{objective: " ".join(n) for objective, n in notes.items()}}
    if not changes and plan.review.last_review_date == review_date and said == recorded:
        return plan, findings  # this review was applied already
    # the review recertifies the plan (a second file for the same review keeps its period)
    if same_day is None:
        recertified = certification.recertification_start(plan, review_date)
        findings += certification.lapsed(plan, review_date, checks.place(rows))
    else:
        recertified = plan.review.recertified_from
    review = revised.review.model_copy(
        update={
            "interval_days": interval,
            "last_review_date": review_date,
            "next_review_date": next_review,
            "recertified_from": recertified,
        }
    )
    changes.append(
        RevisionChange(
            target="review",
            change=f"reviewed {review_date.isoformat()}; next review {review.next_review_date}",
            rationale=f"progress review every {interval} days",
        )
    )
    progress = tuple(
        ObjectiveProgress(objective=o.id, status=o.status, note=said.get(o.id))
        for g in revised.goals
        for o in g.objectives
    )
    earlier = plan.reviews
    if same_day is not None:  # one review a date: its changes and notes together
        changes = [*(c for c in same_day.changes if c.target != "review"), *changes]
        reviewer = reviewer or same_day.reviewer
        earlier = plan.reviews[:-1]
    revision = Revision(
        date=review_date,
        reviewer=reviewer,
        reason=reason or f"progress review {review_date.isoformat()}",
        changes=tuple(changes),
        progress=progress,
    )
    final = {"review": review, "revision": revision, "reviews": (*earlier, revision)}
    return with_own_name(plan, revised.model_copy(update=final)), findings


def recorded_safety_plan(
    plan: Plan, rows: Sequence[ReviewRow], record: Callable[[str, str, ReviewRow], None]
) -> tuple[SafetyPlan | None, list[Finding]]:
    """The plan's safety plan with the sections the review records (each replaces the
    section; list sections split on ";"); the plan's own when the review records none."""
    sections: dict[str, tuple[str, ReviewRow]] = {}
    for row in rows:
        for name, value in row.safety_plan.items():
            sections[name] = (value, row)
    if not sections:
        return plan.safety_plan, []
    base = (plan.safety_plan or SafetyPlan()).model_dump()
    for name, (value, _row) in sections.items():
        base[name] = value if name in ("means_safety", "reasons_for_living") else split_list(value)
    try:
        updated = SafetyPlan.model_validate(base)
    except ValidationError as exc:
        row = next(iter(sections.values()))[1]
        problem = exc.errors()[0]
        where = row.at(str(problem["loc"][0])) if problem.get("loc") else row.where
        return None, [error("REV001", where, f"safety plan: {problem['msg']}")]
    if updated != plan.safety_plan:
        last = list(sections.values())[-1][1]
        named = ", ".join(name.replace("_", " ") for name in sections)
        record("safety_plan", f"safety plan recorded ({named})", last)
    return updated, []


def _replace_objective(goal: Goal, objective: Objective) -> Goal:
    parts = tuple(objective if o.id == objective.id else o for o in goal.objectives)
    return goal.model_copy(update={"objectives": parts})


def add_concerns(
    plan: Plan,
    rows: list[ReviewRow],
    interval: int,
    new_target: dt.date,
    merger: Merger | None,
    record: Callable[[str, str, ReviewRow], None],
    *,
    start: dt.date | None = None,
) -> tuple[Plan, list[Finding]]:
    """Each new concern adds its diagnosis (code) or symptom (text), then its bank goals, their
    objectives dated within the period from ``start`` (the concern's date without one) to
    ``new_target``."""
    findings: list[Finding] = []
    for row in rows:
        update: dict[str, Any] = {}
        if row.concern_code is not None:
            info = codes.lookup(codes.normalize_code(row.concern_code))
            if info is None:
                msg = f"{row.concern_code!r} is not an ICD-10-CM code; check the code"
                findings.append(error("REV023", row.at("concern_code"), msg))
                continue
            if all(d.code != info.code for d in plan.diagnoses):
                dx = Diagnosis(code=info.code, description=info.description, billable=info.billable)
                update["diagnoses"] = (*plan.diagnoses, dx)
                record(f"diagnosis:{info.code}", "diagnosis added", row)
        if row.concern is not None and row.concern not in plan.assessment.symptoms:
            symptoms = (*plan.assessment.symptoms, row.concern)
            update["assessment"] = plan.assessment.model_copy(update={"symptoms": symptoms})
            record("assessment", f"new concern: {row.concern}", row)
        plan = plan.model_copy(update=update)
        if merger is None:
            msg = "no goal bank given: no goals added for the new concern"
            findings.append(warning("REV030", row.at("concern"), msg))
            continue
        proposed, found = _bank_goals(plan, row, interval, merger)
        findings.extend(found)
        added, planned = continuity.fresh(plan, proposed)
        names = numbering.labels(plan)
        for goal, own in planned:
            msg = (f"{names[own.id]} already plans what the goal bank gives for this concern "
                   f"({goal.bank_id or goal.id}): no goal added; to plan it apart, add the goal "
                   "by hand")  # fmt: skip
            findings.append(warning(continuity.ALREADY_PLANNED, row.at("concern"), msg))
        if not proposed:
            msg = "the goal bank has no new goal for this concern; add one by hand"
            findings.append(warning("REV031", row.at("concern"), msg))
        added = [_retarget(g, start or row.date, new_target) for g in added]
        for goal in added:
            record(goal.id, "goal added from the goal bank", row)
        plan = plan.model_copy(update={"goals": plan.goals + tuple(added)})
    return plan, findings


def _bank_goals(
    plan: Plan, row: ReviewRow, interval: int, merger: Merger
) -> tuple[list[Goal], list[Finding]]:
    """Goals the bank gives for this concern alone, planned from the review date.

    Merging only the concern (its diagnosis and words, no goals yet) keeps the bank from
    re-planning problems the plan already covers its own way; goals the plan already holds
    (same id or bank goal) are not added twice.
    """
    codes_ = {codes.normalize_code(row.concern_code)} if row.concern_code else set()
    probe = plan.model_copy(
        update={
            "plan_date": row.date,
            "goals": (),
            "diagnoses": tuple(d for d in plan.diagnoses if d.code in codes_),
            "assessment": Assessment(symptoms=(row.concern,) if row.concern else ()),
            "presenting_problem": PresentingProblem(description=row.concern),
            "review": Review(interval_days=interval),
        }
    )
    merged, found = merger(probe, interval)
    ids = {g.id for g in plan.goals}
    bank_ids = {g.bank_id for g in plan.goals if g.bank_id}
    added = [g for g in merged.goals if g.id not in ids and g.bank_id not in bank_ids]
    # the probe has no goals, so merge proposes the safety goal for an at-risk client again
    # (MERGE032); a plan that has its safety goal keeps it and is not told it was added
    has_safety = any(is_safety_goal(g) for g in plan.goals)
    problems = [
        f.model_copy(update={"where": row.where})
        for f in found
        if f.severity != "info" and not (has_safety and f.code == SAFETY_GOAL_ADDED)
    ]
    return added, problems


def _retarget(goal: Goal, start: dt.date, last: dt.date) -> Goal:
    """A new goal's objectives dated within the period the review starts, ``start`` to
    ``last`` (the day before the next review, :func:`~pipeline.clinical.schedule.due_by`), in
    the date and the text: one the bank dates sooner ("a written safety plan within 7 days",
    "return-to-work steps within 60 days") keeps its date in the period (it was moved to the
    review's end with its text still saying the sooner date); one without a date, or outside
    the period, takes the nearer end."""
    objectives = []
    for o in goal.objectives:
        day = min(max(o.target_date or last, start), last)
        if day != o.target_date:
            o = o.model_copy(
                update={"target_date": day, "text": redate(o.text, o.target_date, day)}
            )
        objectives.append(o)
    return goal.model_copy(update={"objectives": tuple(objectives)})
