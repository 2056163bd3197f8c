"""Property of a review that only adds (session 5, fix-revise #1): the previous plan's goals,
objectives and interventions are all in the new version, each under its own goal and as it
was but for what a row of the review changed, and every change the diff finds has a rationale.

Plans are made the way a build makes them (clinician goals in the client's words, the goal
bank filling them and planning the diagnoses); the review continues every open objective and
names one or two new concerns. The oracle is written here, independently of
pipeline/versions/continuity.py.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.model import (
    Client,
    Diagnosis,
    Goal,
    Measure,
    ObjectiveStatus,
    Plan,
    Review,
)
from pipeline.versions.diff import diff_plans
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review, bank_merger

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PLAN_DATE = dt.date(2026, 1, 6)
CODES = ("F32.1", "F33.1", "F41.1", "F43.10", "F43.21", "F90.0", "F10.20", "G47.00", "F40.10",
         "F42.2", "F50.81", "F12.20")  # fmt: skip
WORDS = ("I want to sleep through the night", "I want to stop worrying all the time",
         "Go back to work full time", "I want to stop drinking so much",
         "I want to feel like myself again", "Get along with my partner")  # fmt: skip
CONCERNS = (("Trouble falling asleep most nights", "G47.00"), ("Worry about money", "F41.1"),
            ("Drinking most evenings", "F10.20"), ("Panic in shops", None),
            ("Low mood since the move", "F32.1"), ("Binge eating at night", "F50.81"),
            ("Can't focus at work", "F90.0"))  # fmt: skip
CLOSED = (ObjectiveStatus.MET, ObjectiveStatus.DISCONTINUED)


@cache
def merger():
    bank = pytest.importorskip("pipeline.goalbank.bank")
    if not bank.DEFAULT_GOALBANK.exists():
        pytest.skip("the goal bank workbook is not built")
    return bank_merger(bank.load_bank())


@st.composite
def built_plans(draw: st.DrawFn) -> Plan:
    """A plan as a build makes it: diagnoses, intake scores, clinician goals in the client's
    words (the bank fills their objectives and interventions), bank goals for the rest."""
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))
    words = draw(st.lists(st.sampled_from(WORDS), max_size=2, unique=True))
    plan = Plan(
        client=Client(id="P-7", first_name="Rae", last_name="Lind"),
        plan_date=PLAN_DATE,
        intake_date=PLAN_DATE,
        diagnoses=tuple(
            Diagnosis(code=c, primary=i == 0, billable=True) for i, c in enumerate(codes)
        ),
        measures=(
            Measure(instrument="PHQ-9", date=PLAN_DATE, total=draw(st.integers(5, 24))),
            Measure(instrument="GAD-7", date=PLAN_DATE, total=draw(st.integers(5, 20))),
        ),
        goals=tuple(Goal(id=f"G{n}", client_words=w) for n, w in enumerate(words, start=1)),
        review=Review(interval_days=90),
    )
    merged, _ = merger()(plan, 90)
    return merged


def _items(plan: Plan) -> dict[str, tuple[str, object]]:
    """id -> (the goal it is under, the item without its parts)."""
    found: dict[str, tuple[str, object]] = {}
    for goal in plan.goals:
        found[goal.id] = (goal.id, goal.model_copy(update={"objectives": (), "interventions": ()}))
        for part in (*goal.objectives, *goal.interventions):
            assert part.id not in found, f"{part.id} twice"
            found[part.id] = (goal.id, part)
    return found


@PROPERTY
@given(st.data())
def test_a_review_that_only_adds_keeps_every_item_and_every_change_has_a_rationale(data) -> None:
    plan = data.draw(built_plans())
    day = PLAN_DATE + dt.timedelta(days=data.draw(st.integers(80, 95)))
    open_ = [o for g in plan.goals for o in g.objectives if o.status not in CLOSED]
    rows = [
        ReviewRow(where="r.csv, row 2", client_id="P-7", date=day, objective_id=o.id,
                  status=ObjectiveStatus.IN_PROGRESS, rationale=f"continue {o.id}")
        for o in open_
    ]  # fmt: skip
    for words, code in data.draw(st.lists(st.sampled_from(CONCERNS), min_size=1, max_size=2,
                                          unique=True)):  # fmt: skip
        rows.append(ReviewRow(where="r.csv, row 9", client_id="P-7", date=day, concern=words,
                              concern_code=code, rationale=f"new concern: {words}"))  # fmt: skip
    revised, findings = apply_review(plan, rows, merger=merger())
    assert revised is not None, [f.code + " " + f.message for f in findings]
    before, after = _items(plan), _items(revised)
    continued = {o.id for o in open_}
    for item_id, (goal_id, item) in before.items():
        assert item_id in after, f"{item_id} lost"
        now_goal, now = after[item_id]
        assert now_goal == goal_id, f"{item_id} moved from {goal_id} to {now_goal}"
        if item_id in continued:  # the review's own row changed these, with its rationale
            keep = {"status", "target_date", "text"}
            assert now.model_dump(exclude=keep) == item.model_dump(exclude=keep), item_id
        else:
            assert now == item, item_id
    missing = [c.summary() for c in diff_plans(plan, revised).changes if not c.rationale]
    assert missing == []
