"""Goals due at the review are dated on the period's last day, the day before the review (session
8, the lead's decision): CT-1004's plan of care read "Certification through April 13, 2026"
above goals due April 14; the managed-care report requested January 14 to April 14 and the
report after the review April 14 onwards, so the review day was authorized twice."""

from __future__ import annotations

import datetime as dt

from pipeline.clinical.schedule import review_period
from pipeline.findings import has_errors
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Client, Diagnosis, Goal, Objective, ObjectiveStatus, Plan
from pipeline.profiles import load_payer
from pipeline.rules import check
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review

PLAN_DATE = dt.date(2026, 1, 14)
REVIEW = dt.date(2026, 4, 14)  # 90 days after the plan date
LAST = dt.date(2026, 4, 13)  # "Certification through"
BANK = load_bank()


def _plan(*dates: dt.date | None) -> Plan:
    objectives = tuple(
        Objective(id=f"G1.O{n}", text=f"Walk on 5 of 7 days by {d}, tracked in a log",
                  measure="activity log", baseline="1 of 7 days", target="5 of 7 days",
                  target_date=d)
        for n, d in enumerate(dates, start=1)
    )  # fmt: skip
    goal = Goal(id="G1", client_words="I want to get out of the house", objectives=objectives)
    return Plan(
        client=Client(id="C-1", date_of_birth=dt.date(1960, 5, 1)),
        intake_date=PLAN_DATE,
        plan_date=PLAN_DATE,
        diagnoses=(Diagnosis(code="F43.23", primary=True),),
        goals=(goal,),
    )


def test_a_clinicians_date_on_the_review_day_is_dated_the_day_before_and_said() -> None:
    merged, findings = merge(_plan(REVIEW, dt.date(2026, 4, 15), dt.date(2026, 3, 1)), BANK)
    first, later, earlier = merged.goals[0].objectives
    assert merged.review.next_review_date == REVIEW
    assert (first.target_date, first.text) == (LAST, "Walk on 5 of 7 days by 2026-04-13, "
                                                     "tracked in a log")  # fmt: skip
    [said] = [f for f in findings if f.code == "MERGE041"]
    assert said.severity == "info" and said.where == "client C-1, objective G1.O1"
    assert "2026-04-14" in said.message and "dated 2026-04-13" in said.message
    # any other date is the clinician's and never moved: the plan of care blocks a later one
    assert later.target_date == dt.date(2026, 4, 15) and earlier.target_date == dt.date(2026, 3, 1)
    [blocked] = [f for f in check(merged, load_payer("medicare-poc")) if f.code == "TXR032"]
    assert blocked.where == "goals[1].objectives[2].target_date"
    assert "after the certification period (2026-01-14 to 2026-04-13)" in blocked.message


def test_the_goal_banks_and_a_filled_date_fall_on_the_periods_last_day() -> None:
    merged, findings = merge(_plan(None), BANK)
    dates = {o.target_date for g in merged.goals for o in g.objectives}
    assert dates == {LAST}, dates
    assert any(f.code == "MERGE021" and "2026-04-13" in f.message for f in findings)
    assert not [f for f in check(merged, load_payer("medicare-poc")) if f.code == "TXR032"]


def test_the_report_after_the_review_starts_the_day_after_the_one_before_ends() -> None:
    merged, _ = merge(_plan(REVIEW), BANK)
    first = review_period(merged)
    assert first is not None and (first.start, first.end) == (PLAN_DATE, LAST)
    for day, start in ((REVIEW, REVIEW), (dt.date(2026, 4, 1), REVIEW)):  # on time, early
        rows = [ReviewRow(where="r.csv, row 2", client_id="C-1", date=day, objective_id=o.id,
                          status=ObjectiveStatus.IN_PROGRESS, rationale="go on")
                for g in merged.goals for o in g.objectives]  # fmt: skip
        revised, findings = apply_review(merged, rows, interval_days=90)
        assert revised is not None and not has_errors(findings), findings
        second = review_period(revised)
        assert second is not None and second.start == start  # never the review day twice
        assert second.end == day + dt.timedelta(days=89)  # the day before the next review
        due = {o.target_date for g in revised.goals for o in g.objectives}
        assert due == {second.end}
