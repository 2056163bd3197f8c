"""Applies a progress review to a client's latest plan, giving the next version with rationale.

Statuses and scores are recorded; met and discontinued objectives close (they keep their
target date), the others get a new target date one review interval after the review; new
concerns add goals from the goal bank through merge; every change is listed in the new plan's
``revision`` with the rationale from its row. A row naming an unknown objective or goal is a
located error, and a review with any error changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.clinical import icd10 as codes
from pipeline.clinical import measures
from pipeline.errors import InputError, ValueProblem
from pipeline.findings import Finding, error, has_errors, warning
from pipeline.model import (
    Assessment,
    Diagnosis,
    Goal,
    Objective,
    ObjectiveStatus,
    Plan,
    PresentingProblem,
    Review,
    Revision,
    RevisionChange,
)
from pipeline.versions import numbering
from pipeline.versions.record import Origin, Version
from pipeline.versions.reviews import ReviewRow, read_review
from pipeline.versions.store import Store

CLOSED = (ObjectiveStatus.MET, ObjectiveStatus.DISCONTINUED)

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
    new_target = review_date + dt.timedelta(days=interval)
    measures_added = []
    concerns: list[ReviewRow] = []

    def record(target: str, change: str, row: ReviewRow) -> None:
        changes.append(RevisionChange(target=target, change=change, rationale=row.rationale or ""))

    by_number = numbering.objective_numbers(plan)
    goal_by_number = numbering.goal_numbers(plan)
    for row in rows:
        if row.objective_id is not None and row.status is not None:
            objective_id = numbering.resolve(row.objective_id, by_number, set(owner))
            goal_id = owner.get(objective_id or "")
            if goal_id is None:
                known = ", ".join(f"{n} ({i})" for n, i in by_number.items()) or "none"
                msg = (
                    f"client {row.client_id} has no objective {row.objective_id!r}; name it by "
                    f"its number on the plan or its id: {known}"
                )
                findings.append(error("REV020", row.at("objective_id"), msg))
                continue
            goal = goals[goal_id]
            objective = next(o for o in goal.objectives if o.id == objective_id)
            update: dict[str, Any] = {"status": row.status}
            if objective.status != row.status:
                record(objective.id, f"status {row.status.value.replace('_', ' ')}", row)
            if row.status not in CLOSED and objective.target_date != new_target:
                update["target_date"] = new_target
                record(objective.id, f"target date {new_target.isoformat()}", row)
            goals[goal_id] = _replace_objective(goal, objective.model_copy(update=update))
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
    if has_errors(findings):
        return None, findings

    revised = plan.model_copy(
        update={
            "goals": tuple(goals[g.id] for g in plan.goals),
            "measures": plan.measures + tuple(measures_added),
        }
    )
    if concerns:
        revised, found = add_concerns(revised, concerns, interval, new_target, merger, record)
        findings.extend(found)
        if has_errors(findings):
            return None, findings
    if not changes and plan.review.last_review_date == review_date:
        return plan, findings  # this review was applied already
    review = revised.review.model_copy(
        update={
            "interval_days": interval,
            "last_review_date": review_date,
            "next_review_date": review_date + dt.timedelta(days=interval),
        }
    )
    changes.append(
        RevisionChange(
            target="review",
            change=f"reviewed {review_date.isoformat()}; next review {review.next_review_date}",
            rationale=f"progress review every {interval} days",
        )
    )
    revision = Revision(
        date=review_date,
        reviewer=reviewer,
        reason=reason or f"progress review {review_date.isoformat()}",
        changes=tuple(changes),
    )
    return revised.model_copy(update={"review": review, "revision": revision}), findings


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
) -> tuple[Plan, list[Finding]]:
    """Each new concern adds its diagnosis (code) or symptom (text), then its bank goals."""
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
        added, found = _bank_goals(plan, row, interval, merger)
        findings.extend(found)
        if not added:
            msg = "the goal bank has no new goal for this concern; add one by hand"
            findings.append(warning("REV031", row.at("concern"), msg))
        added = [_retarget(g, new_target) for g in added]
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
    problems = [f.model_copy(update={"where": row.where}) for f in found if f.severity != "info"]
    return added, problems


def _retarget(goal: Goal, target: dt.date) -> Goal:
    """A new goal's objectives are due one review interval after the review."""
    objectives = tuple(
        o
        if o.target_date and o.target_date >= target
        else o.model_copy(update={"target_date": target})
        for o in goal.objectives
    )
    return goal.model_copy(update={"objectives": objectives})


# --- a whole review file against the store ----------------------------------------------


@dataclass
class ClientRevision:
    """One client's part of a review file: the version it started from and the revised plan."""

    client_id: str
    base: Version  #: the latest stored version the review was applied to
    plan: Plan  #: the revised plan (``base.plan`` itself when the review changed nothing)
    reason: str
    origin: Origin  #: what the new version comes from (the review file, its rationale)
    saved: Version | None = None  #: the new version, once saved (None: unchanged)

    @property
    def changes(self) -> int:
        return len(self.plan.revision.changes) if self.plan.revision else 0


@dataclass
class ReviewFileResult:
    """What a review file does: per client the revision; the findings; whether it was saved."""

    source: str
    clients: list[ClientRevision] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def payer_interval(payer_id: str | None = None) -> Callable[[Sequence[str]], int | None]:
    """The review interval for a plan built for ``payers``: ``payer_id``'s when given, else the
    shortest of those payers' intervals, else None (the plan's own)."""
    from pipeline.rules import load_payer

    fixed = load_payer(payer_id).review_interval_days if payer_id else None

    def interval(payers: Sequence[str]) -> int | None:
        if fixed is not None:
            return fixed
        return min((load_payer(p).review_interval_days for p in payers), default=None)

    return interval


def lazy_bank_merger(goalbank: Path | None = None) -> Merger:
    """A merger with the goal bank (``goalbank``, else the default one), loaded only when a
    review names a new concern."""
    loaded: list[Merger] = []

    def run(plan: Plan, interval_days: int) -> tuple[Plan, list[Finding]]:
        if not loaded:
            from pipeline.goalbank.bank import DEFAULT_GOALBANK, load_bank

            loaded.append(bank_merger(load_bank(Path(goalbank) if goalbank else DEFAULT_GOALBANK)))
        return loaded[0](plan, interval_days)

    return run


def preview_review_file(
    path: Path,
    store: Store,
    *,
    interval: Callable[[Sequence[str]], int | None] | None = None,
    merger: Merger | None = None,
    source: str | None = None,
) -> ReviewFileResult:
    """Apply a review file (CSV/XLSX) to each client's latest stored version, in memory.

    ``source`` names the file in each new version's reason and inputs (default: ``path``);
    ``interval`` gives the review interval from a plan's payers (default :func:`payer_interval`).
    A client without a stored plan is an error (REV040).
    """
    interval = interval or payer_interval()
    source = source or str(path)
    rows, findings = read_review(Path(path))
    result = ReviewFileResult(source=source, findings=list(findings))
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    by_client: dict[str, list[ReviewRow]] = {}
    for row in rows:
        by_client.setdefault(_stored_id(store, row.client_id), []).append(row)
    for client_id, client_rows in by_client.items():
        latest = store.latest(client_id)
        if latest is None:
            msg = f"client {client_id!r} has no plan in the store; build the plan first"
            result.findings.append(error("REV040", client_rows[0].at("client_id"), msg))
            continue
        revised, found = apply_review(
            latest.plan, client_rows, interval_days=interval(latest.payers), merger=merger
        )
        result.findings.extend(found)
        if revised is not None:
            base = revised.revision.reason if revised.revision else "progress review"
            reason = f"{base} ({Path(source).name})"
            rationales = dict.fromkeys(r.rationale for r in client_rows if r.rationale)
            origin = Origin(
                kind="review",
                sources=((source, digest),),
                statuses=latest.statuses,
                rationale="; ".join(rationales),
                expected=latest.number,  # saved only if no other version came in between
            )
            result.clients.append(ClientRevision(client_id, latest, revised, reason, origin))
    return result


def _stored_id(store: Store, typed: str) -> str:
    """The stored id a review names (case aside); the id as typed when there is none."""
    try:
        return store.resolve(typed)
    except InputError:
        return typed


def apply_review_file(
    path: Path,
    store: Store,
    *,
    interval: Callable[[Sequence[str]], int | None] | None = None,
    merger: Merger | None = None,
    source: str | None = None,
    expected: dict[str, int] | None = None,
) -> ReviewFileResult:
    """Apply a review file and save every client's new version together, or none of them.

    Nothing is saved when the file has an error (the result says why). ``expected`` (client
    id -> version number, from a :func:`preview_review_file` shown to someone) refuses to
    save over a plan that got a newer version since the preview.
    """
    result = preview_review_file(path, store, interval=interval, merger=merger, source=source)
    if not result.ok:
        return result
    if expected is not None and {c.client_id: c.base.number for c in result.clients} != expected:
        raise InputError("a plan in this review changed since the preview; preview it again",
                         result.source)  # fmt: skip
    entries = [(c.plan, [result.source], c.reason, c.base.payers, c.origin) for c in result.clients]
    for client, version in zip(result.clients, store.save_many(entries), strict=True):
        client.saved = version
    result.saved = True
    return result
