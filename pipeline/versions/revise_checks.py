"""What a revised plan must hold before it is saved: no objective left to lapse, no "met"
that the plan's own record contradicts.

A progress review sets the next review date; every open objective whose target date falls
before the last day of the period that review ends must be addressed by the review (a
status: continued to the next review, or closed as met or discontinued), otherwise the
revised plan would carry a target already past, e.g. suicide screening "through" the review
day (REV024). An objective recorded met must not
contradict the plan: an objective about the safety plan is not met while the safety plan is
incomplete, and an objective with a scored target is not met while its latest score misses
the target (REV025). Both are errors: the review changes nothing and the finding says what
to add to it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence

from pipeline.clinical import measures as scoring
from pipeline.clinical.risk import describe_gaps, is_safety_goal, risk_reasons, safety_plan_gaps
from pipeline.clinical.schedule import due_by
from pipeline.findings import Finding, error, warning
from pipeline.model import Objective, ObjectiveStatus, Plan
from pipeline.versions import numbering
from pipeline.versions.reviews import ReviewRow

UNADDRESSED = "REV024"
MET_CONTRADICTED = "REV025"
SCREENING_STOPS = "REV026"

CLOSED = (ObjectiveStatus.MET, ObjectiveStatus.DISCONTINUED)

#: An objective that screens or monitors suicide risk.
_SCREENING = re.compile(r"\bc-?ssrs\b|\bscreen|\bmonitor|risk (?:is )?(?:screened|assessed)", re.I)
#: An objective about the safety plan itself (written, kept, its steps used).
_SAFETY_PLAN = re.compile(r"\bsafety[- ]plan\b", re.IGNORECASE)
#: A scored target the latest score can be compared with: "below 10", "10 or fewer", "< 10".
_BELOW = re.compile(r"^\s*(?:below|under|less than|<)\s*(\d+)\s*$", re.IGNORECASE)
_AT_MOST = re.compile(r"^\s*(?:(\d+)\s*or (?:fewer|less|lower|below)|(?:<=|≤|at most)\s*(\d+))\s*$",
                      re.IGNORECASE)  # fmt: skip


def _objectives(plan: Plan) -> Iterator[tuple[str, Objective]]:
    """(number as printed, objective) for every objective of the plan."""
    number = {v: k for k, v in numbering.objective_numbers(plan).items()}
    for goal in plan.goals:
        for objective in goal.objectives:
            yield number[objective.id], objective


def lapsing(plan: Plan, next_review: dt.date) -> list[tuple[str, Objective]]:
    """Open objectives whose target date falls before the last day of the period that
    ``next_review`` ends (:func:`~pipeline.clinical.schedule.due_by`): they would lapse."""
    due = due_by(next_review)
    return [
        (n, o)
        for n, o in _objectives(plan)
        if o.status not in CLOSED and o.target_date is not None and o.target_date < due
    ]


def place(rows: Sequence[ReviewRow]) -> str:
    """The review file and client: 'review.csv, client CT-1001'."""
    first = rows[0]
    return f"{first.where.split(', row ')[0]}, client {first.client_id}"


def unaddressed(
    plan: Plan, rows: Sequence[ReviewRow], next_review: dt.date, before: Plan | None = None
) -> list[Finding]:
    """REV024 for each open objective of the revised plan that would lapse before the next
    review: the review must say what happens to it. An objective this review adds (not in
    ``before``, the plan reviewed) is planned by it: due sooner, it is the next review's."""
    known = None if before is None else {o.id for g in before.goals for o in g.objectives}
    findings = []
    for number, objective in lapsing(plan, next_review):
        if known is not None and objective.id not in known:
            continue
        msg = (
            f"objective {number} is due {objective.target_date}, before the period that ends "
            f"at the next review on {next_review}, and this review does not say what happens "
            f"to it: add a row for objective {number} with its status (in progress, partially "
            f"met or not met carries it to {due_by(next_review)}, the day before; met or "
            "discontinued closes it) and the rationale"
        )
        findings.append(error(UNADDRESSED, place(rows), msg))
    return findings


def _latest_score(plan: Plan, instrument: str) -> tuple[dt.date, int] | None:
    best: tuple[dt.date, int, int] | None = None
    for index, m in enumerate(plan.measures):
        if m.instrument == instrument and m.total is not None:
            key = (m.date or dt.date.min, index, m.total)
            best = key if best is None or key[:2] > best[:2] else best
    return None if best is None else (best[0], best[2])


def _score_target(target: str | None) -> int | None:
    """The highest total that meets a scored target (None: not a target we can compare)."""
    if not target:
        return None
    if found := _BELOW.match(target):
        return int(found.group(1)) - 1
    if found := _AT_MOST.match(target):
        return int(found.group(1) or found.group(2))
    return None


def contradiction(plan: Plan, objective: Objective) -> str | None:
    """Why the plan's own record contradicts ``objective`` being met (None: it does not)."""
    about = f"{objective.text} {objective.measure or ''}"
    if _SAFETY_PLAN.search(about):
        gaps = safety_plan_gaps(plan.safety_plan)
        if gaps:
            return (
                f"the plan's safety plan is incomplete ({describe_gaps(gaps)}); record the "
                "safety plan made with the client in this review (a column per section: "
                "Warning Signs, Coping Strategies, People and Places, People to Ask for Help, "
                "Professionals and Crisis Lines, Means Safety, Reasons for Living)"
            )
    instrument = scoring.canonical_instrument(objective.measure or "")
    highest = _score_target(objective.target)
    if instrument and highest is not None:
        latest = _latest_score(plan, instrument)
        if latest is not None and latest[1] > highest:
            day, total = latest
            return (
                f"the latest {instrument} ({total}, {day}) does not meet its target "
                f"({objective.target}); record the score that meets it, or a status other than met"
            )
    return None


def met_contradicted(plan: Plan, rows: Sequence[ReviewRow], base: Plan) -> list[Finding]:
    """REV025 for each objective the revised plan records met against its own evidence: the
    ones this review marks met (located at their row), and earlier ones still contradicted."""
    status_row = {}
    by_number = numbering.objective_numbers(base)
    ids = {o.id for g in base.goals for o in g.objectives}
    for row in rows:
        if row.objective_id is not None and row.status is ObjectiveStatus.MET:
            objective_id = numbering.resolve(row.objective_id, by_number, ids)
            if objective_id is not None:
                status_row[objective_id] = row
    findings = []
    for number, objective in _objectives(plan):
        if objective.status is not ObjectiveStatus.MET:
            continue
        why = contradiction(plan, objective)
        if why is None:
            continue
        row = status_row.get(objective.id)
        where = row.at("status") if row is not None else place(rows)
        msg = (
            f"objective {number} cannot be recorded met: {why}; "
            f"until then give objective {number} the status in progress with the rationale"
        )
        findings.append(error(MET_CONTRADICTED, where, msg))
    return findings


def _screening(plan: Plan) -> list[tuple[str, Objective]]:
    """Open risk-screening objectives of the plan's safety goals."""
    number = {v: k for k, v in numbering.objective_numbers(plan).items()}
    return [
        (number[o.id], o)
        for g in plan.goals
        if is_safety_goal(g)
        for o in g.objectives
        if o.status not in CLOSED and _SCREENING.search(f"{o.text} {o.measure or ''}")
    ]


def screening_stops(plan: Plan, base: Plan, rows: Sequence[ReviewRow]) -> list[Finding]:
    """REV026 (a warning) when risk is still flagged and the review closes the plan's last
    open risk-screening objective: screening would stop with the client still at risk."""
    reasons = risk_reasons(plan)
    before = _screening(base)
    if not reasons or not before or _screening(plan):
        return []
    numbers = ", ".join(n for n, _ in before)
    msg = (
        f"risk is still flagged ({', '.join(reasons)}) and this review closes objective "
        f"{numbers}, the plan's last risk screening: screening stops; keep it in progress to "
        "the next review, or record the risk assessment that no longer flags risk"
    )
    return [warning(SCREENING_STOPS, place(rows), msg)]
