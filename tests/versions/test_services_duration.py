"""A reviewed version's services run from the review, at least to the next one (session 6,
fix-revise #2): the demo's reviewed plan kept "Duration 16 weeks" from January 6 (that course
ended April 28) under a recertification through July, and its authorization request asked for
13 of the 16 sessions "planned for the whole course" when three were left."""

from __future__ import annotations

import datetime as dt

from pipeline.findings import has_errors
from pipeline.model import ObjectiveStatus, Plan, Service
from pipeline.versions.diff import diff_plans
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review
from pipeline.versions.wording import numbers_for, plain
from tests.versions.versions_helpers import sample_plan

REVIEW = dt.date(2024, 4, 1)  # the sample plan's review, 90 days after January 2


def _plan(*durations: str | None) -> Plan:
    services = tuple(
        Service(session_minutes=53, frequency="weekly", expected_duration=d, cpt_code="90837")
        for d in durations
    )
    return sample_plan(services=services)


def _review(plan: Plan, status: ObjectiveStatus = ObjectiveStatus.IN_PROGRESS,
            day: dt.date = REVIEW, where: str = "r.csv") -> tuple[Plan, list]:  # fmt: skip
    rows = [ReviewRow(where=f"{where}, row 2", client_id="C-1001", date=day, objective_id=o.id,
                      status=status, rationale="reviewed with the client")
            for g in plan.goals for o in g.objectives]  # fmt: skip
    revised, findings = apply_review(plan, rows)
    assert revised is not None and not has_errors(findings), findings
    return revised, findings


def test_a_course_that_ends_before_the_next_review_runs_to_it_from_the_review() -> None:
    plan = _plan("16 weeks")
    revised, findings = _review(plan)
    assert revised.services[0].expected_duration == "13 weeks"  # April 1 to June 30
    [extended] = [f for f in findings if f.code == "REV033"]
    assert extended.where == "r.csv, client C-1001, services[1].expected_duration"
    assert "16 weeks from 2024-01-02" in extended.message and "ends 2024-04-23" in extended.message
    [change] = [c for c in revised.revision.changes if c.target == "services"]
    assert change.change == "service 1 duration 16 weeks → 13 weeks" and change.rationale
    shown = [c for c in diff_plans(plan, revised).changes if c.item == "services"]
    numbers = numbers_for(plan, revised)
    said = [plain(c, numbers) for c in shown]
    assert said == ["Service 1 expected duration: 16 weeks → 13 weeks"]
    assert shown[0].rationale == change.rationale
    assert plan.services[0].expected_duration == "16 weeks"  # version 1 keeps its own


def test_a_longer_course_keeps_what_is_left_of_it_without_a_warning() -> None:
    revised, findings = _review(_plan("1 year", None, "as needed"))
    # January 2, 2024 + 365 days = January 1, 2025: 275 days after April 1 = 40 weeks
    assert [s.expected_duration for s in revised.services] == ["40 weeks", None, "as needed"]
    assert "REV033" not in {f.code for f in findings}
    [change] = [c for c in revised.revision.changes if c.target == "services"]
    assert "what is left of the course planned (1 year from 2024-01-02)" in change.rationale


def test_a_plan_whose_objectives_all_close_keeps_its_services() -> None:
    revised, findings = _review(_plan("16 weeks"), ObjectiveStatus.DISCONTINUED)
    assert revised.services[0].expected_duration == "16 weeks"
    assert "REV033" not in {f.code for f in findings}


def test_a_second_file_for_the_same_review_and_the_next_review_restate_nothing_twice() -> None:
    second, _ = _review(_plan("16 weeks"))
    note = ReviewRow(where="notes.csv, row 2", client_id="C-1001", date=REVIEW,
                     objective_id="G1.O1", note="Log kept on 4 of 7 days")  # fmt: skip
    completed, findings = apply_review(second, [note])
    assert completed is not None and completed.services == second.services
    assert "REV033" not in {f.code for f in findings}
    third, findings = _review(second, day=dt.date(2024, 6, 30))
    assert third.services[0].expected_duration == "13 weeks"  # June 30 to September 28
    assert not [c for c in third.revision.changes if c.target == "services"]
