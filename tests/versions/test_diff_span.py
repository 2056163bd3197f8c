"""A diff and a redline over several versions keep every review (session 5, fix-revise #3):
the changes an earlier review made carry its rationale, the redline names every review in
between, and a redated text says which words changed instead of printing both texts."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from pipeline.findings import has_errors
from pipeline.model import ObjectiveStatus, Plan
from pipeline.versions.diff import diff_plans, revisions_between
from pipeline.versions.reviews import ReviewRow, read_review
from pipeline.versions.revise import apply_review
from pipeline.versions.wording import numbers_for, plain
from pipeline.writers.docx.redline import render_redline
from tests.versions.test_revise import DATA, bank_like_merger
from tests.versions.versions_helpers import sample_plan


def _versions() -> tuple[Plan, Plan, Plan]:
    """The sample plan, its 90-day review (a new concern among the changes) and a second
    review at 180 days that only continues the open objectives."""
    first = sample_plan()
    rows, _ = read_review(DATA / "review_90day.csv")
    second, findings = apply_review(first, rows, merger=bank_like_merger)
    assert second is not None and not has_errors(findings), findings
    day = dt.date(2024, 6, 30)
    again = [ReviewRow(where="r180.csv, row 2", client_id="C-1001", date=day, objective_id=o.id,
                       status=ObjectiveStatus.IN_PROGRESS, rationale="continue at 180 days",
                       reviewer="Sam Ortiz, LPC")
             for g in second.goals for o in g.objectives
             if o.status not in (ObjectiveStatus.MET, ObjectiveStatus.DISCONTINUED)]  # fmt: skip
    third, findings = apply_review(second, again)
    assert third is not None and not has_errors(findings), findings
    return first, second, third


def test_every_change_over_two_reviews_has_the_rationale_of_the_review_that_made_it() -> None:
    first, second, third = _versions()
    assert [r.date for r in revisions_between(first, third)] == [
        dt.date(2024, 4, 1), dt.date(2024, 6, 30)]  # fmt: skip
    changes = diff_plans(first, third).changes
    assert [c.summary() for c in changes if not c.rationale] == []
    by_target = {c.target: c.rationale for c in changes}
    assert by_target["diagnosis:F41.1"].startswith("New generalized worry")  # the 90-day review
    assert by_target["G1.O2"] == "PHQ-9 fell from 14 to 8 over 12 sessions"
    assert (
        by_target["G2.O1"]
        == "Regular wake time on 4 of 7 days; continue CBT-I; continue at 180 days"
    )


def test_the_redline_names_every_review_in_between() -> None:
    first, _, third = _versions()
    data = render_redline(first, third, diff_plans(first, third, old_label="version 1",
                                                   new_label="version 3"))  # fmt: skip
    meta = Document(io.BytesIO(data)).paragraphs[1].text
    assert meta == ("version 1 → version 3 · review 2024-04-01 by Dana Whitfield, LCSW"
                    " · review 2024-06-30 by Sam Ortiz, LPC")  # fmt: skip


def test_a_redated_text_shows_the_words_that_changed() -> None:
    first = sample_plan()
    goal = first.goals[0]
    objective = goal.objectives[0].model_copy(
        update={"text": "Client will complete a daily activity log on 5 of 7 days by April 1, 2024"}
    )
    old = first.model_copy(
        update={"goals": (goal.model_copy(update={"objectives": (objective,)}),)}
    )
    redated = objective.model_copy(
        update={"text": "Client will complete a daily activity log on 5 of 7 days by June 30, 2024"}
    )
    new = old.model_copy(update={"goals": (goal.model_copy(update={"objectives": (redated,)}),)})
    [change] = diff_plans(old, new).changes
    assert plain(change, numbers_for(old, new)) == "Objective 1.1 text: “April 1” → “June 30”"
