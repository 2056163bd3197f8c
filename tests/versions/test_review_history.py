"""Reviews kept on the plan: each review's objective statuses and progress notes, in order."""

from __future__ import annotations

import datetime as dt

from pipeline.findings import has_errors
from pipeline.model import ObjectiveStatus, Plan, Revision
from pipeline.versions.record import Origin, content_hash
from pipeline.versions.review_file import apply_review_file
from pipeline.versions.reviews import read_review
from pipeline.versions.revise import apply_review
from pipeline.versions.store import Store
from tests.support import TEST_DATA
from tests.versions.versions_helpers import only_due

NOTES = TEST_DATA / "reviews" / "review_notes.csv"


def sample_plan() -> Plan:
    """The sample plan with objective 1.2 alone due at the review these tests apply."""
    return only_due("G1.O2")


def _revise(plan: Plan, path=NOTES) -> Plan:
    rows, findings = read_review(path)
    assert not has_errors(findings), findings
    revised, found = apply_review(plan, rows)
    assert revised is not None and not has_errors(found), found
    return revised


def test_progress_notes_are_kept_per_objective() -> None:
    revised = _revise(sample_plan())
    review = revised.revision
    assert review is not None and revised.reviews == (review,)
    progress = {p.objective: p for p in review.progress}
    # every objective's status after the review, notes where the sheet has one
    assert set(progress) == {"G1.O1", "G1.O2", "G2.O1"}
    assert progress["G1.O2"].note == "Mornings are easier; back at the gym twice a week"
    assert progress["G1.O2"].status is ObjectiveStatus.IN_PROGRESS
    # a note alone (no status, no rationale) is kept and changes nothing
    assert progress["G1.O1"].note == "Log kept on 3 of 7 days"
    assert progress["G1.O1"].status is ObjectiveStatus.IN_PROGRESS
    assert progress["G2.O1"].note is None
    assert all(c.target != "G1.O1" for c in review.changes)


def test_reviews_accumulate_oldest_first(tmp_path) -> None:
    first = _revise(sample_plan())
    later = tmp_path / "later.csv"
    later.write_text(
        "Client ID,Review Date,Objective,Status,Progress note,Rationale\n"
        "C-1001,2024-06-30,1.2,met,PHQ-9 below 10 twice,Target reached\n",
        encoding="utf-8",
    )
    second = _revise(first, later)
    assert [r.date for r in second.reviews] == [dt.date(2024, 4, 1), dt.date(2024, 6, 30)]
    assert second.reviews[0] == first.revision  # the earlier review is kept as it was
    assert _revise(second, later) == second  # the same review again adds nothing


def test_a_note_without_its_objective_is_a_located_error(tmp_path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Client ID,Review Date,Progress note\nC-1001,2024-04-01,Better\n")
    _rows, findings = read_review(path)
    assert [f.code for f in findings] == ["REV007"]
    assert 'column "Progress note"' in findings[0].where


def test_plan_json_without_reviews_is_unchanged() -> None:
    """Plans with no reviews serialize (and hash) as before the field existed."""
    plan = sample_plan()
    data = plan.model_dump(mode="json")
    assert "reviews" not in data
    assert "progress" not in Revision(reason="intake update").model_dump(mode="json")
    revised = _revise(plan)
    dumped = revised.model_dump(mode="json")
    assert dumped["reviews"][0]["progress"] and dumped["revision"]["progress"]
    assert Plan.model_validate_json(revised.model_dump_json()) == revised
    assert content_hash(plan) == content_hash(Plan.model_validate_json(plan.model_dump_json()))


def test_earlier_reviews_come_from_the_history_for_plans_stored_before(tmp_path) -> None:
    """A plan revised before reviews were kept on the plan: its review is read back from the
    history when the next review is applied."""
    with Store(tmp_path / "s.sqlite3") as store:
        store.save(sample_plan(), inputs=["a.xlsx"], reason="build")
        old = _revise(sample_plan()).model_copy(update={"reviews": ()})  # as stored before
        store.save(old, inputs=["r.csv"], reason="progress review", origin=Origin(kind="review"))
        later = tmp_path / "later.csv"
        later.write_text(
            "Client ID,Review Date,Objective,Status,Rationale\n"
            "C-1001,2024-06-30,1.2,met,Target reached\n",
            encoding="utf-8",
        )
        result = apply_review_file(later, store)
        assert result.ok, result.findings
        latest = store.latest("C-1001")
        assert [r.date for r in latest.plan.reviews] == [dt.date(2024, 4, 1), dt.date(2024, 6, 30)]


def test_a_new_target_date_is_written_into_the_objective_text() -> None:
    from pipeline.versions.revise import redate

    old, new = dt.date(2026, 4, 6), dt.date(2026, 7, 5)
    assert redate("below 10 by 2026-04-06.", old, new) == "below 10 by 2026-07-05."
    assert redate("every session through April 6, 2026", old, new).endswith("July 5, 2026")
    assert redate("by 04/06/2026", old, new) == "by 07/05/2026"
    assert redate("no date here", old, new) == "no date here"
    plan = sample_plan()
    goal = plan.goals[0]
    dated = goal.objectives[1].model_copy(update={"text": "PHQ-9 below 10 by April 1, 2024"})
    goals = (goal.model_copy(update={"objectives": (goal.objectives[0], dated)}), *plan.goals[1:])
    revised = _revise(plan.model_copy(update={"goals": goals}))
    assert revised.goals[0].objectives[1].text == "PHQ-9 below 10 by June 29, 2024"


def test_notes_sent_later_for_the_same_review_complete_it(tmp_path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(
        "Client ID,Review Date,Objective,Status,Measure,Score,Rationale\n"
        "C-1001,2024-04-01,1.2,met,PHQ-9,8,PHQ-9 below 10\n",
        encoding="utf-8",
    )
    later = tmp_path / "notes.csv"
    later.write_text(
        "Client ID,Review Date,Objective,Progress note\nC-1001,2024-04-01,1.2,Back at work\n",
        encoding="utf-8",
    )
    reviewed = _revise(sample_plan(), first)
    completed = _revise(reviewed, later)
    assert completed != reviewed and len(completed.reviews) == 1  # still one review that day
    (review,) = completed.reviews
    assert {p.objective: p.note for p in review.progress}["G1.O2"] == "Back at work"
    assert any(c.target == "G1.O2" and c.change == "status met" for c in review.changes)
    assert _revise(completed, later) == completed  # the same notes again change nothing
