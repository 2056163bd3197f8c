"""A review's new concern: its goal's objectives keep the goal bank's sooner dates, in the date
and the text (session 8). "Return-to-work or accommodation steps ... by May 31, 2024" (60 days
after the review) was moved to June 29, the period's last day, with its text still saying May
31: the document's target date and its words disagreed, and a safety plan due "within 7 days"
would have been due in three months."""

from __future__ import annotations

import datetime as dt

from pipeline.findings import has_errors
from pipeline.goalbank.bank import load_bank
from pipeline.model import ObjectiveStatus, Plan
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review, bank_merger
from tests.versions.versions_helpers import sample_plan

MERGER = bank_merger(load_bank())
CONCERN = "on medical leave from work, needs a disability accommodation to return"


def _review(plan: Plan, day: dt.date) -> tuple[Plan, list[str]]:
    rows = [ReviewRow(where="r.csv, row 2", client_id=plan.client.id, date=day, objective_id=o.id,
                      status=ObjectiveStatus.IN_PROGRESS, rationale="go on")
            for g in plan.goals for o in g.objectives]  # fmt: skip
    rows.append(ReviewRow(where="r.csv, row 9", client_id=plan.client.id, date=day,
                          concern_code="Z56.9", concern=CONCERN, rationale="new"))  # fmt: skip
    revised, findings = apply_review(plan, rows, merger=MERGER)
    assert revised is not None and not has_errors(findings), findings
    return revised, [f.code for f in findings]


def _steps(plan: Plan):
    return next(o for g in plan.goals for o in g.objectives if "return-to-work" in o.text)


def test_a_new_objective_keeps_the_banks_sooner_date_in_its_date_and_text() -> None:
    revised, codes = _review(sample_plan(), dt.date(2024, 4, 1))  # on time: due April 1
    steps = _steps(revised)
    assert steps.target_date == dt.date(2024, 5, 31)  # 60 days after the review
    assert "by May 31, 2024" in steps.text
    assert "REV024" not in codes  # this review plans it; the next one reviews it
    others = {o.target_date for g in revised.goals for o in g.objectives if o is not steps}
    assert others == {dt.date(2024, 6, 29)}  # the day before the next review


def test_an_early_reviews_new_objective_starts_no_sooner_than_its_period() -> None:
    revised, _ = _review(sample_plan(), dt.date(2024, 1, 20))  # early: the period runs to March 31
    start = revised.review.recertified_from
    assert start == dt.date(2024, 4, 1)
    steps = _steps(revised)
    assert steps.target_date == start and "by April 1, 2024" in steps.text
