"""Changes between versions: by stable id, word-level text, status, measure trends."""

from __future__ import annotations

import datetime as dt
import json

from pipeline.model import Intervention, Measure, ObjectiveStatus, Plan
from pipeline.versions.diff import ADDED, CHANGED, MEASURE, REMOVED, STATUS, diff_plans, word_ops
from tests.versions.versions_helpers import sample_plan


def reordered(plan: Plan) -> Plan:
    goals = tuple(
        g.model_copy(
            update={"objectives": g.objectives[::-1], "interventions": g.interventions[::-1]}
        )
        for g in plan.goals[::-1]
    )
    return plan.model_copy(update={"goals": goals})


def test_identical_plans_have_no_changes() -> None:
    assert diff_plans(sample_plan(), sample_plan()).changes == ()


def test_reordered_goals_and_objectives_are_not_changes() -> None:
    plan = sample_plan()
    assert reordered(plan).goals[0].id == "G2"
    assert diff_plans(plan, reordered(plan)).changes == ()


def test_text_change_is_word_level() -> None:
    old = sample_plan()
    goal = old.goals[0].model_copy(update={"client_words": "I want to stop feeling down"})
    new = reordered(old.model_copy(update={"goals": (goal, old.goals[1])}))
    [change] = diff_plans(old, new).changes
    assert (change.kind, change.target, change.field) == (CHANGED, "G1", "client_words")
    assert change.words == (
        ("equal", "I want to stop feeling "),
        ("delete", "so "),
        ("equal", "down"),
        ("delete", " all the time"),
    )
    assert (
        change.summary()
        == "~ goal G1 client_words: I want to stop feeling [-so -]down[- all the time-]"
    )


def test_added_removed_status_and_moved() -> None:
    old = sample_plan()
    g1, g2 = old.goals
    o1, o2 = g1.objectives
    new_g1 = g1.model_copy(
        update={
            "objectives": (o1.model_copy(update={"status": ObjectiveStatus.MET}),),
            "interventions": (*g1.interventions, Intervention(id="G1.I2", modality="MBCT")),
        }
    )
    new_g2 = g2.model_copy(update={"objectives": (*g2.objectives, o2)})
    new = old.model_copy(update={"goals": (new_g1, new_g2)})
    got = [(c.kind, c.target, c.field) for c in diff_plans(old, new).changes]
    assert got == [
        (STATUS, "G1.O1", "status"),
        (ADDED, "G1.I2", None),
        (CHANGED, "G1.O2", "goal"),
    ]
    removed = old.model_copy(update={"goals": (g1,)})
    kinds = [(c.kind, c.target) for c in diff_plans(old, removed).changes]
    assert kinds == [(REMOVED, "G2"), (REMOVED, "G2.O1"), (REMOVED, "G2.I1")]


def test_measure_trend_with_reliable_change() -> None:
    old = sample_plan()

    def with_phq(total: int) -> Plan:
        later = Measure(instrument="PHQ-9", date=dt.date(2024, 4, 1), total=total)
        return old.model_copy(update={"measures": (*old.measures, later)})

    [better] = diff_plans(old, with_phq(8)).changes
    assert better.kind == MEASURE and better.summary() == "~ PHQ-9 14 → 8 (reliable improvement)"
    [same] = diff_plans(old, with_phq(12)).changes
    assert same.note.startswith("no reliable change")
    [worse] = diff_plans(old, with_phq(21)).changes
    assert worse.note == "reliable deterioration"


def test_plan_fields_and_diagnoses() -> None:
    old = sample_plan()
    new = old.model_copy(
        update={
            "review": old.review.model_copy(update={"next_review_date": dt.date(2024, 6, 30)}),
            "diagnoses": (),
        }
    )
    changes = diff_plans(old, new).changes
    assert [c.summary() for c in changes] == [
        "~ review next_review_date: 2024-04-01 → 2024-06-30",
        '- diagnosis "F32.1 Major depressive disorder, single episode, moderate"',
    ]


def test_json_form() -> None:
    old = sample_plan()
    new = old.model_copy(update={"plan_date": dt.date(2024, 1, 5)})
    data = diff_plans(old, new, old_label="v1", new_label="v2").to_json()
    assert json.loads(json.dumps(data))["changes"][0]["new"] == "2024-01-05"
    assert data["from"] == "v1" and data["client_id"] == "C-1001"


def test_word_ops_rebuild_both_texts() -> None:
    a, b = "Client will log sleep nightly", "Client will log sleep and mood nightly for 4 weeks"
    ops = word_ops(a, b)
    assert "".join(t for op, t in ops if op != "insert") == a
    assert "".join(t for op, t in ops if op != "delete") == b
