"""The ISP's review columns: each filled with the review recorded nearest its point."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from pipeline.model import ObjectiveProgress, ObjectiveStatus, Plan, Revision, RevisionChange
from pipeline.profiles import load_agency, load_payer
from pipeline.versions.reviews import read_review
from pipeline.versions.revise import apply_review
from pipeline.writers import WriterOptions, render
from pipeline.writers.review_columns import place, review_history
from pipeline.writers.wording import iso_date
from tests.support import TEST_DATA
from tests.versions.versions_helpers import only_due, sample_plan

START = dt.date(2024, 1, 2)


def _review(day: int, **changes) -> Revision:
    return Revision(date=START + dt.timedelta(days=day), **changes)


def test_each_column_holds_the_review_nearest_its_point() -> None:
    early, late, half = _review(85), _review(95), _review(200)
    assert place([early, late, half], START, (90, 180, 270)) == [late, half, None]
    # a tie keeps the later review; without a plan date, reviews fill the columns in order
    assert place([early, _review(95)], START, (90,))[0].date == START + dt.timedelta(days=95)
    assert place([early, half], None, (90, 180, 270)) == [early, half, None]
    assert place([], START, (90, 180, 270)) == [None, None, None]


def _revised() -> Plan:
    rows, _ = read_review(TEST_DATA / "reviews" / "review_notes.csv")
    revised, found = apply_review(only_due("G1.O2"), rows)
    assert revised is not None, found
    return revised


def test_a_cell_says_status_note_score_changes_and_why() -> None:
    history = review_history(_revised(), START, (90, 180, 270), iso_date)
    phq = history.for_objective("G1.O2")
    assert phq[1:] == ["", ""]
    assert phq[0] == (
        "2024-04-01: In progress. Mornings are easier; back at the gym twice a week. "
        "PHQ-9 8 (baseline 14; reliable improvement). New target date 2024-06-29. "
        "Why: PHQ-9 fell from 14 to 8 over 12 sessions."
    )
    assert history.for_objective("G1.O1")[0] == "2024-04-01: In progress. Log kept on 3 of 7 days."
    assert history.for_objective("G2.O1")[0] == "2024-04-01: In progress (no change recorded)."
    (listed,) = history.reviews
    assert listed["title"] == "90-day review, 2024-04-01, by Dana Whitfield, LCSW"
    assert listed["changes"] == [
        "Objective 1.2 target date 2024-06-29; PHQ-9 score 8. "
        "Why: PHQ-9 fell from 14 to 8 over 12 sessions"
    ]
    assert "G1.O2" not in " ".join(listed["changes"])  # the plan's numbers, never ids


def test_an_objective_added_at_a_review_says_so_and_later_ones_stay_empty() -> None:
    plan = sample_plan()
    added = Revision(
        date=dt.date(2024, 4, 1),
        changes=(
            RevisionChange(
                target="G2", change="goal added from the goal bank", rationale="New sleep problem"
            ),
        ),  # fmt: skip
        progress=(ObjectiveProgress(objective="G1.O1", status=ObjectiveStatus.MET),),
    )
    history = review_history(plan.model_copy(update={"reviews": (added,)}), START, (90,), iso_date)
    assert history.for_objective("G2.O1") == [
        "2024-04-01: Objective added at this review. Why: New sleep problem."
    ]
    assert history.for_objective("G1.O2") == [""]  # not in the plan at that review


def _isp(plan: Plan) -> bytes:
    payer, agency = load_payer("medicaid-isp"), load_agency("riverside")
    (document,) = render(plan, payer, agency, WriterOptions(draft=True))
    return document.data


def _review_cells(data: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(data))
    rows = []
    for table in document.tables:
        headers = [c.text for c in table.rows[0].cells]
        if any(h.startswith("90-day review") for h in headers):
            rows += [[c.text for c in row.cells[4:]] for row in table.rows[1:]]
    return rows


def test_the_isp_prints_the_reviews_and_renders_the_same_bytes_again() -> None:
    plan = _revised()
    data = _isp(plan)
    assert data == _isp(Plan.model_validate_json(plan.model_dump_json()))  # stored and read back
    cells = _review_cells(data)
    assert cells[1][0].startswith("04/01/2024: In progress. Mornings are easier")
    assert all(c[1:] == ["", ""] for c in cells)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Reviews recorded" in text and "90-day review, 04/01/2024, by Dana Whitfield" in text
    unreviewed = _isp(sample_plan())
    assert all(c == ["", "", ""] for c in _review_cells(unreviewed))
    assert "Reviews recorded" not in "\n".join(
        p.text for p in Document(io.BytesIO(unreviewed)).paragraphs
    )
