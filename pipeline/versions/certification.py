"""The review loop's recertification: each review recertifies the plan of care for the period
that follows the one certified before (the period itself: :mod:`pipeline.clinical.certification`).

A review recertifies the plan from the day after the period before ends when the review comes
by then (no day twice, none without a plan), from the review date when that period had already
run out (the days between had no certified plan: REV028 says so; CMS, Medicare Benefit Policy
Manual, Pub. 100-02, ch. 15, §220.1.2-220.1.3, takes a delayed certification only with its
reason). A plan dated January 14 is certified through April 13; its review, due 90 days after
the plan date (April 14, as the merge and ``txplan due`` count it), recertifies it from that
day, and the goals due at that review are dated April 13, the period's last day. ``txplan
revise`` records the start on the new version (``review.recertified_from``); an earlier version
keeps its own period.
"""

from __future__ import annotations

import datetime as dt

from pipeline.clinical.certification import MAX_DAYS, Certification, period
from pipeline.findings import Finding, warning
from pipeline.model import Plan

__all__ = ["MAX_DAYS", "Certification", "period", "recertification_start", "lapsed"]

LAPSED = "REV028"
_DAY = dt.timedelta(days=1)


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
