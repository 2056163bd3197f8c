"""Every review recorded appears on the ISP grid (session 6, fix-revise #5): two reviews nearest
the same review column showed only the nearer one (the other only under "Reviews recorded").
Whatever the review dates, each review's entry for each objective it recorded is in that
objective's row, in the column nearest its date, and the reviews of a column read oldest first.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import ObjectiveProgress, ObjectiveStatus, Revision
from pipeline.writers.review_columns import review_history
from pipeline.writers.wording import iso_date
from tests.versions.versions_helpers import sample_plan

START = dt.date(2024, 1, 2)
DAYS = (90, 180, 270)


@settings(max_examples=150, deadline=None)
@given(
    offsets=st.lists(st.integers(1, 400), min_size=1, max_size=5, unique=True),
    anchored=st.booleans(),
)
def test_each_review_is_in_its_column_of_every_objective_it_recorded(
    offsets: list[int], anchored: bool
) -> None:
    plan = sample_plan()
    ids = [o.id for g in plan.goals for o in g.objectives]
    reviews = tuple(
        Revision(date=START + dt.timedelta(days=d), reviewer="Dana Whitfield, LCSW",
                 progress=tuple(ObjectiveProgress(objective=i, status=ObjectiveStatus.IN_PROGRESS,
                                                  note=f"note {d} {i}") for i in ids))
        for d in sorted(offsets)
    )  # fmt: skip
    plan = plan.model_copy(update={"reviews": reviews})
    history = review_history(plan, START if anchored else None, DAYS, iso_date)
    assert len(history.reviews) == len(reviews)
    for i in ids:
        row = history.for_objective(i)
        for n, review in enumerate(reviews):
            assert review.date is not None
            if anchored:
                gaps = [abs((review.date - START - dt.timedelta(days=d)).days) for d in DAYS]
                column = gaps.index(min(gaps))
            else:
                column = min(n, len(DAYS) - 1)
            assert f"Note {(review.date - START).days} {i}" in row[column], (review.date, row)
        for cell in row:  # oldest first within a column
            found = [cell.find(f"{r.date.isoformat()}:") for r in reviews if r.date]
            shown = [f for f in found if f >= 0]
            assert shown == sorted(shown)
