"""Properties of a progress review (review s2-r20 #3, #4): after any review that is applied, no
open objective is due before the next review, and no objective is recorded met against the
plan's own record; a complete, consistent review is never refused.

The oracles are written here, independently of pipeline/versions/revise_checks.py.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.model import (
    Client,
    Goal,
    Measure,
    Objective,
    ObjectiveStatus,
    Plan,
    Review,
    SafetyPlan,
)
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PLAN_DATE = dt.date(2026, 1, 6)
STATUSES = tuple(ObjectiveStatus)
CONTINUING = (ObjectiveStatus.IN_PROGRESS, ObjectiveStatus.PARTIALLY_MET, ObjectiveStatus.NOT_MET)
TODO = "[Complete with the client]"


def _safety_plan(complete: bool, hole: str | None) -> SafetyPlan:
    """A filled Stanley-Brown plan, the template (every entry to complete), or a filled one
    with one section still to complete."""
    filled = {
        "warning_signs": ("Pacing at night",),
        "coping_strategies": ("Walk the dog",),
        "people_and_places": ("The library",),
        "people_to_ask": ("Sister Ana, 555-0101",),
        "professionals": ("Dana Whitfield, LCSW, 555-0100", "988 Lifeline"),
        "means_safety": "Medications kept by her sister",
        "reasons_for_living": "My children",
    }
    if not complete:
        return SafetyPlan(
            **{k: (TODO,) if isinstance(v, tuple) else TODO for k, v in filled.items()}
        )
    if hole is not None:
        filled[hole] = (TODO,) if isinstance(filled[hole], tuple) else TODO
    return SafetyPlan(**filled)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A plan with a safety goal (written plan, screening) and 1-2 scored or counted goals,
    objectives due before, on or after the 90-day review, in any status."""
    review_day = PLAN_DATE + dt.timedelta(days=90)

    def due() -> dt.date | None:
        offset = draw(st.one_of(st.none(), st.integers(-80, 200)))
        return None if offset is None else review_day + dt.timedelta(days=offset)

    def objective(oid: str, text: str, **fields) -> Objective:
        status = draw(st.sampled_from(STATUSES))
        return Objective(id=oid, text=text, target_date=due(), status=status, **fields)

    safety = Goal(id="SAFETY.G1", client_words="I want to stay safe", problem="Suicide risk",
                  bank_id="SAFETY.G1", objectives=(
                      objective("SAFETY.G1.O1", "Complete a written safety plan with the therapist",
                                measure="written safety plan"),
                      objective("SAFETY.G1.O4", "Complete a C-SSRS screen at every session",
                                measure="sessions with risk screened (C-SSRS)"),
                  ))  # fmt: skip
    goals = [safety]
    for n in range(draw(st.integers(1, 2))):
        top = draw(st.integers(5, 15))
        goals.append(Goal(id=f"G{n + 1}", client_words="I want to feel better", objectives=(
            objective(f"G{n + 1}.O1", f"Reduce PHQ-9 from 18 to below {top}", measure="PHQ-9",
                      baseline="18", target=f"below {top}"),
            objective(f"G{n + 1}.O2", "Walk on 5 of 7 days", measure="activity log",
                      target="5 of 7 days"),
        )))  # fmt: skip
    scores = tuple(
        Measure(instrument="PHQ-9", date=PLAN_DATE + dt.timedelta(days=d), total=t)
        for d, t in draw(st.lists(st.tuples(st.integers(-10, 85), st.integers(0, 27)), max_size=3))
    )
    complete = draw(st.booleans())
    hole = draw(st.sampled_from([None, "warning_signs", "means_safety", "people_to_ask"]))
    return Plan(
        client=Client(id="P-1", first_name="Rae", last_name="Lind"),
        plan_date=PLAN_DATE,
        intake_date=PLAN_DATE,
        goals=tuple(goals),
        measures=scores,
        safety_plan=_safety_plan(complete, hole),
        review=Review(interval_days=90, next_review_date=review_day),
    )


def _objectives(plan: Plan) -> list[Objective]:
    return [o for g in plan.goals for o in g.objectives]


@st.composite
def reviews(draw: st.DrawFn, plan: Plan) -> list[ReviewRow]:
    """Rows for any subset of the objectives, any status, sometimes a new PHQ-9."""
    day = PLAN_DATE + dt.timedelta(days=draw(st.integers(80, 100)))
    rows = []
    for o in _objectives(plan):
        if draw(st.booleans()):
            rows.append(ReviewRow(where="r.csv, row 2", client_id="P-1", date=day,
                                  objective_id=o.id, status=draw(st.sampled_from(STATUSES)),
                                  rationale="why"))  # fmt: skip
    if draw(st.booleans()) or not rows:
        rows.append(ReviewRow(where="r.csv, row 9", client_id="P-1", date=day, instrument="PHQ-9",
                              score=draw(st.integers(0, 27)), rationale="rescored"))  # fmt: skip
    return rows


# --- oracles ----------------------------------------------------------------------------------

_BELOW = re.compile(r"^below (\d+)$")


def _safety_plan_whole(plan: Plan) -> bool:
    """Every section filled, nothing left to complete with the client."""
    sp = plan.safety_plan
    if sp is None:
        return False
    for value in sp.model_dump().values():
        entries = [value] if isinstance(value, str) else list(value or ())
        if any("complete with the client" in (e or "").lower() for e in entries):
            return False
    return True


def _latest_phq(plan: Plan) -> int | None:
    dated = [(m.date, i, m.total) for i, m in enumerate(plan.measures) if m.instrument == "PHQ-9"]
    return max(dated)[2] if dated else None


def _met_is_consistent(plan: Plan, o: Objective) -> bool:
    if "safety plan" in f"{o.text} {o.measure}".lower() and not _safety_plan_whole(plan):
        return False
    found = _BELOW.match(o.target or "")
    if o.measure == "PHQ-9" and found:
        latest = _latest_phq(plan)
        return latest is None or latest < int(found.group(1))
    return True


@PROPERTY
@given(st.data())
def test_after_a_review_nothing_lapses_and_every_met_agrees_with_the_plan(data) -> None:
    plan = data.draw(plans())
    rows = data.draw(reviews(plan))
    revised, _ = apply_review(plan, rows)
    if revised is None:
        return
    next_review = revised.review.next_review_date
    assert next_review is not None
    for o in _objectives(revised):
        if o.status is ObjectiveStatus.MET:
            assert _met_is_consistent(revised, o), (o.id, o.target, revised.safety_plan)
        elif o.status is not ObjectiveStatus.DISCONTINUED and o.target_date is not None:
            # due no earlier than the last day of the period the next review ends
            due = next_review - dt.timedelta(days=1)
            assert o.target_date >= due, (o.id, o.status, o.target_date, next_review)


@PROPERTY
@given(st.data())
def test_a_complete_consistent_review_is_applied(data) -> None:
    """Every objective gets a status that continues it, or met where the plan agrees, or
    discontinued: the review is applied (the checks refuse only what they must)."""
    plan = data.draw(plans())
    day = PLAN_DATE + dt.timedelta(days=data.draw(st.integers(80, 100)))
    rows = []
    for o in _objectives(plan):
        met = o.model_copy(update={"status": ObjectiveStatus.MET})
        choices = [*CONTINUING, ObjectiveStatus.DISCONTINUED]
        if _met_is_consistent(plan, met):
            choices.append(ObjectiveStatus.MET)
        status = data.draw(st.sampled_from(choices))
        rows.append(ReviewRow(where="r.csv, row 2", client_id="P-1", date=day, objective_id=o.id,
                              status=status, rationale="why"))  # fmt: skip
    revised, findings = apply_review(plan, rows)
    assert revised is not None, findings
