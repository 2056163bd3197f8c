"""Target dates and periods over generated intakes and chains of reviews (session 8, the lead's
decisions 1 and 2).

1. A Medicare plan of care: every open objective's target date lies within the certification
   period of its version (on or before "Certification through"), after the merge and after any
   review, or TXR032 blocks the plan naming that objective; a date txplan sets (the goal
   bank's, a filled one, one moved off the review day) is never outside.
2. Consecutive periods (the certification, and the authorization a managed-care report
   requests) never overlap, and leave no day out when the review comes by the day after the
   period before ends (a late review leaves the days between, and REV028 names them).

The oracle counts days itself from the plan's dates, independently of the periods' code.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clinical.certification import period as certification
from pipeline.clinical.schedule import review_period
from pipeline.findings import has_errors
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import ObjectiveStatus, Origin, Plan
from pipeline.profiles import load_payer
from pipeline.rules import check
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review, bank_merger
from tests.properties.strategies_objectives import CODES, plans

BANK = load_bank()
MERGER = bank_merger(BANK)
POC = load_payer("medicare-poc")
INTERVAL = POC.review_interval_days  # 90: revise takes the payer's interval
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLOSED = (ObjectiveStatus.MET, ObjectiveStatus.DISCONTINUED)
DAY = dt.timedelta(days=1)


def _open(plan: Plan):
    for g, goal in enumerate(plan.goals, start=1):
        for o, objective in enumerate(goal.objectives, start=1):
            if objective.status not in CLOSED and objective.target_date is not None:
                yield f"goals[{g}].objectives[{o}].target_date", objective


def _start(plan: Plan) -> dt.date:
    """The first day of this version's period, read from the plan's own dates."""
    dated = [plan.plan_date, plan.review.last_review_date, plan.review.recertified_from]
    return max(d for d in dated if d is not None)


def _assert_in_certification(plan: Plan, ours: set[str]) -> None:
    """Every open target inside the period (start .. the day before the review, at most 90
    days), or TXR032 names it; ``ours`` (objective ids txplan dated) are always inside."""
    start = _start(plan)
    review = plan.review.next_review_date
    assert review is not None
    last = min(review, start + dt.timedelta(days=min(plan.review.interval_days, 90))) - DAY
    certified = certification(plan)
    assert certified is not None and (certified.start, certified.end) == (start, last)
    blocked = {f.where for f in check(plan, POC) if f.code == "TXR032"}
    for where, objective in _open(plan):
        inside = start <= objective.target_date <= last
        assert inside != (where in blocked), (where, objective.target_date, start, last)
        if objective.id in ours:
            assert inside, (objective.id, objective.target_date, start, last)


def _review_rows(plan: Plan, day: dt.date, code: str | None) -> list[ReviewRow]:
    rows = [
        ReviewRow(where="r.csv, row 2", client_id=plan.client.id, date=day, objective_id=o.id,
                  status=ObjectiveStatus.IN_PROGRESS, rationale="go on")
        for g in plan.goals for o in g.objectives if o.status not in CLOSED
    ]  # fmt: skip
    if code is not None:
        concern = {"concern_code": code, "concern": "a new concern", "rationale": "new"}
        rows.append(ReviewRow(where="r.csv, row 9", client_id=plan.client.id, date=day, **concern))
    return rows


@PROPERTY
@given(plan=plans(), offsets=st.lists(st.integers(-30, 30), max_size=3), data=st.data())
def test_every_goal_of_a_medicare_plan_lies_in_its_certification_period(
    plan: Plan, offsets: list[int], data: st.DataObject
) -> None:
    given_dates = {o.id: o.target_date for g in plan.goals for o in g.objectives}
    merged, _ = merge(plan, BANK)
    review = merged.review.next_review_date
    on_time = review is not None and 0 < (review - merged.plan_date).days <= INTERVAL
    # txplan's own dates: the bank's, a filled one, one moved off the review day
    ours = {
        o.id
        for g in merged.goals
        for o in g.objectives
        if on_time and (o.origin is Origin.BANK or given_dates.get(o.id) in (None, review))
    }
    _assert_in_certification(merged, ours)
    current = merged
    for offset in offsets:
        day = current.review.next_review_date + dt.timedelta(days=offset)
        if day <= _start(current):
            continue  # a review comes after the period it reviews began
        code = data.draw(st.one_of(st.none(), st.sampled_from(CODES)))
        rows = _review_rows(current, day, code)
        if not rows:
            break  # no objective to review and no concern
        revised, findings = apply_review(current, rows, interval_days=INTERVAL, merger=MERGER)
        if revised is None or has_errors(findings):
            continue
        # every open objective was carried on by the review or added by it: txplan dated it
        _assert_in_certification(revised, {o.id for _, o in _open(revised)})
        current = revised


@PROPERTY
@given(plan=plans(), offsets=st.lists(st.integers(-30, 30), min_size=1, max_size=3))
def test_consecutive_periods_never_overlap_nor_leave_a_day_out(
    plan: Plan, offsets: list[int]
) -> None:
    current, _ = merge(plan, BANK)
    for offset in offsets:
        before, certified = review_period(current), certification(current)
        assert before is not None and certified is not None
        day = current.review.next_review_date + dt.timedelta(days=offset)
        if day <= _start(current):
            continue
        rows = _review_rows(current, day, None)
        if not rows:
            break  # no objective to review
        revised, findings = apply_review(current, rows, interval_days=INTERVAL)
        if revised is None or has_errors(findings):
            continue
        after, recertified = review_period(revised), certification(revised)
        assert after is not None and recertified is not None
        for was, now in ((before, after), (certified, recertified)):
            assert now.start > was.end, (was, now, day)  # no day twice
            if day <= was.end + DAY:  # by the day after the period ended: no day left out
                assert now.start == was.end + DAY, (was, now, day)
            else:  # late: from the review date; the days between had no plan, REV028 says so
                assert now.start == day
                assert "REV028" in {f.code for f in findings}
        current = revised
