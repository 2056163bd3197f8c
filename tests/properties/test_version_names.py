"""Every version of a plan has its own file names (session 6, fix-revise #4): over any chain
of reviews (each on a later date, some completed by a second file that records the signature
dates, some by later files that add progress notes alone: session 7), the names a build gives
the versions' documents all differ, and version 1 keeps the payer's name."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.batch.names import output_stem
from pipeline.findings import has_errors
from pipeline.model import ObjectiveStatus, Plan
from pipeline.versions.naming import version_tag
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review
from tests.versions.versions_helpers import sample_plan

PATTERN = "{client_id}_{payer}_{plan_date}"


def _stem(plan: Plan) -> str:
    stem, _ = output_stem(PATTERN, plan.client.id, "medicaid-isp", plan.plan_date,
                          version_tag(plan))  # fmt: skip
    return stem


def _rows(plan: Plan, day: dt.date, signed: dt.date | None) -> list[ReviewRow]:
    rows = [ReviewRow(where="r.csv, row 2", client_id="C-1001", date=day, objective_id=o.id,
                      status=ObjectiveStatus.IN_PROGRESS, rationale="continue")
            for g in plan.goals for o in g.objectives]  # fmt: skip
    if signed is not None:
        rows.append(ReviewRow(where="s.csv, row 2", client_id="C-1001", date=day,
                              clinician_signed=signed, client_signed=signed))  # fmt: skip
    return rows


def _notes(plan: Plan, day: dt.date, n: int) -> list[ReviewRow]:
    """A later file of the review on ``day`` that only adds a progress note (its ``n``th)."""
    o = plan.goals[0].objectives[0]
    return [ReviewRow(where="n.csv, row 2", client_id="C-1001", date=day, objective_id=o.id,
                      status=o.status, note=f"note {n} on {day}")]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(20, 120),
            st.one_of(st.none(), st.integers(0, 10)),
            st.booleans(),
            st.integers(0, 2),
        ),  # fmt: skip
        min_size=1,
        max_size=4,
    )
)
def test_every_version_in_a_chain_of_reviews_has_its_own_name(
    steps: list[tuple[int, int | None, bool, int]],
) -> None:
    plan = sample_plan()
    stems = [_stem(plan)]
    assert stems[0] == "C-1001_medicaid-isp_2024-01-02"
    day = plan.plan_date
    assert day is not None
    for gap, signed_after, later_file, notes in steps:
        day += dt.timedelta(days=gap)
        signed = None if signed_after is None else day + dt.timedelta(days=signed_after)
        if later_file and signed is not None:  # unsigned review, then the signatures' file
            revised, found = apply_review(plan, _rows(plan, day, None))
            assert revised is not None and not has_errors(found), found
            plan = revised
            stems.append(_stem(plan))
            signature = [r for r in _rows(plan, day, signed) if r.objective_id is None]
            revised, found = apply_review(plan, signature)
        else:
            revised, found = apply_review(plan, _rows(plan, day, signed))
        assert revised is not None and not has_errors(found), found
        plan = revised
        stems.append(_stem(plan))
        for n in range(notes):  # later files of the same review: progress notes alone
            revised, found = apply_review(plan, _notes(plan, day, n))
            assert revised is not None and not has_errors(found), found
            assert revised != plan  # a new version (a new note)
            plan = revised
            stems.append(_stem(plan))
    assert len(set(stems)) == len(stems), stems
