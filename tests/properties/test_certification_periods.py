"""Medicare certification periods over a chain of reviews (session 6, fix-revise #1; CMS
Medicare Benefit Policy Manual ch. 15 §220.1.2-220.1.3): no period counts more than 90 days
(both ends included), whatever the plan's interval or its target dates; each review's period
starts the day after the one before ends when the review came by then, else on the review
date with REV028 naming the days between; periods never overlap. And (#2) a reviewed
version's services, counted from its review, run at least to its next review.

The oracle counts days itself (inclusive), independently of ``Certification.days``.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clinical.schedule import duration_days
from pipeline.findings import has_errors
from pipeline.model import ObjectiveStatus, Plan, Service
from pipeline.versions.certification import period
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review
from tests.versions.versions_helpers import sample_plan

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _with(plan: Plan, plan_date: dt.date, interval: int, target_days: int, weeks: int = 16) -> Plan:
    """The sample plan dated ``plan_date``, reviewed every ``interval`` days, each objective
    due ``target_days`` after the plan date (clinicians date some beyond the review)."""
    due = plan_date + dt.timedelta(days=target_days)
    goals = tuple(
        g.model_copy(
            update={
                "objectives": tuple(o.model_copy(update={"target_date": due}) for o in g.objectives)
            }  # fmt: skip
        )
        for g in plan.goals
    )
    review = plan.review.model_copy(update={"interval_days": interval, "next_review_date": None})
    service = Service(frequency="weekly", expected_duration=f"{weeks} weeks")
    update = {"plan_date": plan_date, "goals": goals, "review": review, "services": (service,)}
    return plan.model_copy(update=update)


def _review(plan: Plan, day: dt.date) -> tuple[Plan, list[str]]:
    rows = [ReviewRow(where="r.csv, row 2", client_id=plan.client.id, date=day,
                      objective_id=o.id, status=ObjectiveStatus.IN_PROGRESS, rationale="go on")
            for g in plan.goals for o in g.objectives]  # fmt: skip
    revised, findings = apply_review(plan, rows)
    assert revised is not None and not has_errors(findings), findings
    return revised, [f.code for f in findings]


@PROPERTY
@given(
    plan_date=st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31)),
    interval=st.sampled_from([30, 60, 89, 90, 91, 120, 180]),
    target_days=st.integers(1, 400),
    offsets=st.lists(st.integers(-40, 40), min_size=1, max_size=4),
    weeks=st.integers(1, 60),
)
def test_no_period_exceeds_90_days_and_the_next_starts_the_day_after(
    plan_date: dt.date, interval: int, target_days: int, offsets: list[int], weeks: int
) -> None:
    plan = _with(sample_plan(), plan_date, interval, target_days, weeks)
    before = period(plan)
    assert before is not None and before.start == plan_date and not before.recertified
    for offset in offsets:
        days = (before.end - before.start).days + 1
        assert 1 <= days <= min(interval, 90), (before, interval)
        day = max(plan.review.next_review_date or before.start, before.start)
        day += dt.timedelta(days=offset)
        if day <= (plan.review.last_review_date or plan_date):
            continue  # a review is after the plan's last one
        plan, codes = _review(plan, day)
        after = period(plan)
        assert after is not None and after.recertified
        assert after.start > before.end  # no day certified twice
        if day <= before.end + dt.timedelta(days=1):
            assert after.start == before.end + dt.timedelta(days=1)
            assert "REV028" not in codes
        else:  # the days between had no certified plan, and a finding says so
            assert after.start == day and "REV028" in codes
        runs = duration_days(plan.services[0].expected_duration)
        assert runs is not None and day + dt.timedelta(days=runs) >= plan.review.next_review_date
        before = after
    days = (before.end - before.start).days + 1
    assert 1 <= days <= 90


def test_a_plan_dated_january_14_is_certified_through_april_13() -> None:
    """The lead's case: 90 days, January 14 to April 13 both included; the review due 90 days
    after the plan date (April 14) recertifies it from that day."""
    plan = _with(sample_plan(), dt.date(2026, 1, 14), 90, 90)
    first = period(plan)
    assert (first.start, first.end, first.days) == (dt.date(2026, 1, 14), dt.date(2026, 4, 13), 90)
    revised, codes = _review(plan, dt.date(2026, 4, 14))
    second = period(revised)
    assert (second.start, second.end) == (dt.date(2026, 4, 14), dt.date(2026, 7, 12))
    assert "REV028" not in codes
