"""A reviewed version's services: their expected duration counted from the review.

A service's expected duration ("16 weeks") is read from the start of the version that states
it: the plan date for the first version, the review date for a reviewed one (the day its
period in force starts, :func:`pipeline.clinical.schedule.review_period`). A review that
continues the plan (an objective still open, due at the next review) restates each duration
from the review day: what was left of the course planned before, and at least to the next
review, so that the services cover the period the plan is recertified for. Before, the
reviewed plan of CT-1001 kept "Duration 16 weeks" from January 6 (the course ended April 28)
under a recertification through July 2026, and its authorization asked for 13 of the 16
sessions "planned for the whole course" when three were left. A course the review extends
past its planned end is a clinical change: REV033 says so and the redline shows it with its
rationale; the clinician confirms it when signing the revision.
"""

from __future__ import annotations

import datetime as dt
import math

from pipeline.clinical.schedule import duration_days
from pipeline.findings import Finding, warning
from pipeline.model import Plan, RevisionChange, Service
from pipeline.versions.revise_checks import CLOSED

EXTENDED = "REV033"


def _start(plan: Plan) -> dt.date | None:
    """The day ``plan``'s services' durations count from."""
    dated = [d for d in (plan.plan_date or plan.intake_date, plan.review.last_review_date) if d]
    return max(dated) if dated else None


def _weeks(days: int) -> str:
    weeks = max(1, math.ceil(days / 7))
    return f"{weeks} week{'s' * (weeks != 1)}"


def restated(
    previous: Plan, revised: Plan, review_date: dt.date, next_review: dt.date, where: str
) -> tuple[tuple[Service, ...], list[RevisionChange], list[Finding]]:
    """``revised``'s services with each duration counted from ``review_date``, the changes
    (target ``services``) with their rationale, and REV033 for a course extended to
    ``next_review``. Unchanged when no objective stays open (the plan closes) or a duration
    is not one :func:`duration_days` reads (the rules say so)."""
    start = _start(previous)
    still_open = any(o.status not in CLOSED for g in revised.goals for o in g.objectives)
    if start is None or not still_open:
        return revised.services, [], []
    services: list[Service] = []
    changes: list[RevisionChange] = []
    findings: list[Finding] = []
    for number, service in enumerate(revised.services, start=1):
        days = duration_days(service.expected_duration)
        if days is None:
            services.append(service)
            continue
        planned_end = start + dt.timedelta(days=math.ceil(days))
        end = max(planned_end, next_review)
        text = _weeks((end - review_date).days)
        if text == service.expected_duration:
            services.append(service)
            continue
        services.append(service.model_copy(update={"expected_duration": text}))
        planned = f"{service.expected_duration} from {start.isoformat()}"
        if planned_end < next_review:
            why = (
                f"the course planned ({planned}) ends {planned_end.isoformat()}, before the next "
                f"review on {next_review.isoformat()}; the review continues the plan, so the "
                "services run to it, counted from the review"
            )
            findings.append(
                warning(
                    EXTENDED,
                    f"{where}, services[{number}].expected_duration",
                    f"service {number}'s expected duration is restated as {text} from the "
                    f"review: {why} (check the duration and frequency with the client when the "
                    "revision is signed)",
                )
            )
        else:
            why = f"what is left of the course planned ({planned}), counted from the review"
        changes.append(
            RevisionChange(
                target="services",
                change=f"service {number} duration {service.expected_duration} → {text}",
                rationale=why,
            )
        )
    return tuple(services), changes, findings
