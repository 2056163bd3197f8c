"""The plan of care's certification period: the first from the plan date, each review's
recertification after the period before it.

Medicare Part B pays for services furnished under a plan of care certified for an interval
of treatment (at most 90 calendar days); treatment beyond the certified duration needs the
plan recertified for the extended duration, "at least every 90 days after initiation of
treatment under that plan", and a significantly modified plan is certified again (CMS,
Medicare Benefit Policy Manual, Pub. 100-02, ch. 15, §220.1.2 and §220.1.3, which also allows
a delayed certification with its reason). So a period counts both its days and is never longer
than 90 of them (nor than the plan's review interval): a plan dated January 14 is certified
through April 13, and its review, due 90 days after the plan date (April 14, as the merge and
``txplan due`` count it), recertifies it from that day. Target dates do not stretch a period:
an objective due later is reviewed at the recertification. A review recertifies the plan for
the period that follows the one certified before: from the day after that period ends when the
review comes by then (no day twice, none without a plan), from the review date when that
period had already run out (the days between had no certified plan: REV028 says so).
``txplan revise`` records the start on the new version (``review.recertified_from``); an
earlier version keeps its own period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.findings import Finding, warning
from pipeline.model import Plan

LAPSED = "REV028"
MAX_DAYS = 90  #: the longest period Medicare certifies (MBPM ch. 15 §220.1.2-220.1.3)
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
    """The period this version of the plan is certified for: the review interval's days, both
    ends counted, at most :data:`MAX_DAYS`, from the start a review recorded, else the plan
    date (the intake date without one), or the last review's date when later (a plan reviewed
    before the start was recorded, or read with its last review from another system); None
    when undated. The review due ``interval`` days after the start falls on the day after the
    period ends, the first day of the next one."""
    review = plan.review
    start = review.recertified_from
    if start is None:
        dated = [d for d in (plan.plan_date or plan.intake_date, review.last_review_date) if d]
        start = max(dated) if dated else None
    if start is None:
        return None
    end = start + dt.timedelta(days=min(review.interval_days, MAX_DAYS)) - _DAY
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
