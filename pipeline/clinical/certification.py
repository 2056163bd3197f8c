"""The plan of care's certification period (Medicare): from the plan date, or from the start a
review recorded, for the review interval, both days counted, at most 90 days.

Medicare Part B pays for services furnished under a plan of care certified for an interval
of treatment (at most 90 calendar days); treatment beyond the certified duration needs the
plan recertified (CMS, Medicare Benefit Policy Manual, Pub. 100-02, ch. 15, §220.1.2 and
§220.1.3). A plan dated January 14 is certified through April 13; its review, due April 14,
recertifies it from that day, and every goal due at that review is dated April 13, the
period's last day (:func:`pipeline.clinical.schedule.due_by`), so it lies in the period.
The payer rules check target dates against it (``targets_in_certification``); the review loop
(:mod:`pipeline.versions.certification`) records each recertification.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.model import Plan

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
    when undated. It ends the day before the plan's next review when that comes sooner (the
    review recertifies the plan: the period the managed-care report requests,
    :func:`pipeline.clinical.schedule.review_period`, ends the same day), so the review falls
    on the day after the period ends, the first day of the next one."""
    review = plan.review
    start = review.recertified_from
    if start is None:
        dated = [d for d in (plan.plan_date or plan.intake_date, review.last_review_date) if d]
        start = max(dated) if dated else None
    if start is None:
        return None
    after = start + dt.timedelta(days=min(review.interval_days, MAX_DAYS))
    nxt = review.next_review_date
    if nxt is not None and start < nxt < after:
        after = nxt  # a review planned sooner recertifies the plan sooner
    first = plan.plan_date or plan.intake_date
    return Certification(start, after - _DAY, first is not None and start > first)
