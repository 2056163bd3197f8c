"""The plan of care's certification period: the first from the plan date, each review's
recertification after the period before it.

Medicare Part B pays for services furnished under a plan of care certified for an interval
of treatment (at most 90 calendar days); treatment beyond the certified duration needs the
plan recertified for the extended duration, and a significantly modified plan is certified
again (CMS, Medicare Benefit Policy Manual, Pub. 100-02, ch. 15, §220.1.2 and §220.1.3, which
also allows a delayed certification with its reason). So the first period starts on the plan
date; a review recertifies the plan for the period that follows the one certified before: from
the day after that period ends when the review comes by then (no day twice, none without a
plan), from the review date when that period had already run out (the days between had no
certified plan: REV028 says so). ``txplan revise`` records the start on the new version
(``review.recertified_from``); an earlier version keeps its own period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.findings import Finding, warning
from pipeline.model import Plan

LAPSED = "REV028"
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Certification:
    """A certification period, both days included."""

    start: dt.date
    end: dt.date
    recertified: bool  #: a review's recertification, not the plan's first certification

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period(plan: Plan) -> Certification | None:
    """The period this version of the plan is certified for, for the review interval and
    extended to the last target date so that it covers every objective: from the start a
    review recorded, else the plan date (the intake date without one), or the last review's
    date when later (a plan reviewed before the start was recorded, or read with its last
    review from another system); None when undated."""
    review = plan.review
    start = review.recertified_from
    if start is None:
        dated = [d for d in (plan.plan_date or plan.intake_date, review.last_review_date) if d]
        start = max(dated) if dated else None
    if start is None:
        return None
    end = start + dt.timedelta(days=review.interval_days) - _DAY
    targets = [o.target_date for g in plan.goals for o in g.objectives if o.target_date]
    end = max([end, *targets])
    first = plan.plan_date or plan.intake_date
    return Certification(start, end, first is not None and start > first)


def recertification_start(previous: Plan, review_date: dt.date) -> dt.date | None:
    """Where a review on ``review_date`` of ``previous`` recertifies the plan from: the day
    after ``previous``'s period ends, or the review date when that day has passed."""
    before = period(previous)
    if before is None:
        return None
    return max(before.end + _DAY, review_date)


def lapsed(previous: Plan, review_date: dt.date, where: str) -> list[Finding]:
    """REV028 when ``previous``'s certified period ended before the day before the review."""
    before = period(previous)
    if before is None or review_date <= before.end + _DAY:
        return []
    gap = (review_date - before.end).days - 1
    msg = (
        f"the plan's certified period ended on {before.end}: the recertified period starts on "
        f"the review date, {review_date}, and the {gap} day{'s' * (gap != 1)} between "
        f"({before.end + _DAY} to {review_date - _DAY}) had no certified plan of care "
        "(Medicare takes a delayed certification only with its reason: record why the review "
        "came late)"
    )
    return [warning(LAPSED, where, msg)]
