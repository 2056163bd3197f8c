"""A review recertifies the plan of care for the period after the one certified before
(session 5, fix-revise #2; CMS Medicare Benefit Policy Manual ch. 15 §220.1.2-220.1.3): the
Medicare plan of care of a reviewed version no longer starts its certification at the
original plan date, and the earlier version keeps its own period. A period counts 90 days,
both ends included (session 6, fix-revise #1: the first one printed 91, January 2 through
April 1); the review due 90 days after the plan date recertifies from that day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from pipeline.findings import has_errors
from pipeline.model import ObjectiveStatus, Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.versions.certification import lapsed, period, recertification_start
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review
from pipeline.writers.docx.render import render_docx
from tests.versions.versions_helpers import sample_plan

PLAN_DATE = dt.date(2024, 1, 2)  # the sample plan's; every objective due 2024-04-01, the review


def _review(plan: Plan, day: dt.date) -> Plan:
    rows = [ReviewRow(where="r.csv, row 2", client_id="C-1001", date=day, objective_id=o.id,
                      status=ObjectiveStatus.IN_PROGRESS, rationale="continue")
            for g in plan.goals for o in g.objectives]  # fmt: skip
    revised, findings = apply_review(plan, rows)
    assert revised is not None and not has_errors(findings), findings
    return revised


def _certified(plan: Plan) -> tuple[str, str]:
    """(Certification from, Certification through) as the Medicare plan of care prints them."""
    data = render_docx(plan, load_payer("medicare-poc"), load_agency("riverside"), draft=True)
    cells = [c.text for row in Document(io.BytesIO(data)).tables[0].rows for c in row.cells]
    return (cells[cells.index("Certification from") + 1],
            cells[cells.index("Certification through") + 1])  # fmt: skip


def test_the_first_period_is_the_90_days_from_the_plan_date() -> None:
    first = period(sample_plan())
    assert (first.start, first.end, first.recertified) == (PLAN_DATE, dt.date(2024, 3, 31), False)
    assert first.days == 90  # not 91: the review day it is due starts the next period


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2024, 3, 31), dt.date(2024, 4, 1)),  # on the last certified day: the day after
        (dt.date(2024, 4, 1), dt.date(2024, 4, 1)),  # on the day due: no gap, no overlap
        (dt.date(2024, 3, 15), dt.date(2024, 4, 1)),  # early: follows the certified period
        (dt.date(2024, 4, 20), dt.date(2024, 4, 20)),  # late: the review date, REV028
    ],
)
def test_a_review_recertifies_after_the_period_before(day: dt.date, start: dt.date) -> None:
    plan = sample_plan()
    assert recertification_start(plan, day) == start
    revised = _review(plan, day)
    assert revised.review.recertified_from == start
    again = period(revised)
    assert again.start == start and again.recertified
    # 90 days, or fewer when the review is early: the next review (90 days after this one)
    # recertifies the plan again, so the period ends the day before it (session 8)
    nxt = revised.review.next_review_date
    assert again.end == min(start + dt.timedelta(days=89), nxt - dt.timedelta(days=1))
    assert nxt == day + dt.timedelta(days=90)
    warned = lapsed(plan, day, "r.csv, client C-1001")
    assert [f.code for f in warned] == (["REV028"] if day > dt.date(2024, 4, 1) else [])


def test_a_late_review_says_which_days_had_no_certified_plan() -> None:
    plan = sample_plan()
    rows = [ReviewRow(where="r.csv, row 2", client_id="C-1001", date=dt.date(2024, 4, 20),
                      objective_id=o.id, status=ObjectiveStatus.IN_PROGRESS, rationale="x")
            for g in plan.goals for o in g.objectives]  # fmt: skip
    _, findings = apply_review(plan, rows)
    [late] = [f for f in findings if f.code == "REV028"]
    assert "ended on 2024-03-31" in late.message
    assert "19 days between (2024-04-01 to 2024-04-19)" in late.message


def test_second_review_follows_the_first_and_each_version_keeps_its_period() -> None:
    first = sample_plan()
    second = _review(first, dt.date(2024, 4, 1))
    third = _review(second, dt.date(2024, 6, 30))
    assert _certified(first) == ("January 2, 2024", "March 31, 2024")
    assert _certified(second) == ("April 1, 2024", "June 29, 2024")
    assert _certified(third) == ("June 30, 2024", "September 27, 2024")
    assert period(first).days == period(second).days == period(third).days == 90


def test_a_second_file_for_the_same_review_keeps_its_period() -> None:
    second = _review(sample_plan(), dt.date(2024, 4, 1))
    note = ReviewRow(where="notes.csv, row 2", client_id="C-1001", date=dt.date(2024, 4, 1),
                     objective_id="G1.O1", note="Log kept on 4 of 7 days")  # fmt: skip
    completed, _ = apply_review(second, [note])
    assert (
        completed.review.recertified_from == second.review.recertified_from == dt.date(2024, 4, 1)
    )


def test_a_plan_reviewed_before_the_start_was_recorded_is_certified_from_its_review() -> None:
    """A version saved by an earlier txplan (or read with a last review date) has no recorded
    start: its period starts at the last review, never back at the plan date."""
    plan = sample_plan()
    review = plan.review.model_copy(
        update={"last_review_date": dt.date(2024, 4, 1), "next_review_date": dt.date(2024, 6, 30)}
    )
    older = plan.model_copy(update={"review": review})
    found = period(older)
    assert (found.start, found.end, found.recertified) == (
        dt.date(2024, 4, 1), dt.date(2024, 6, 29), True)  # fmt: skip
