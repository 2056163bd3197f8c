"""A review adding a new concern keeps every goal, objective and intervention of the plan
(session 5, fix-revise #1): a bank goal the plan already plans is not added twice (REV032),
a new item never takes an id the plan uses, and a revised plan that would lose, move or double
an item is refused (REV027)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.findings import has_errors
from pipeline.model import Goal, Intervention, Objective, ObjectiveStatus, Origin, Plan
from pipeline.versions.continuity import dropped, fresh
from pipeline.versions.diff import diff_plans
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review, bank_merger
from tests.versions.versions_helpers import sample_plan

DAY = dt.date(2024, 4, 1)


@pytest.fixture(scope="module")
def merger():
    goalbank = pytest.importorskip("pipeline.goalbank.bank")
    if not goalbank.DEFAULT_GOALBANK.exists():
        pytest.skip("the goal bank workbook is not built")
    return bank_merger(goalbank.load_bank())


def _row(**fields) -> ReviewRow:
    return ReviewRow(where="r.csv, row 2", client_id="C-1001", date=DAY, **fields)


def _continue_all(plan: Plan) -> list[ReviewRow]:
    return [_row(objective_id=o.id, status=ObjectiveStatus.IN_PROGRESS, rationale="continue")
            for g in plan.goals for o in g.objectives]  # fmt: skip


def _sleep_goal(objective_id: str, bank_id: str | None, intervention_id: str) -> Goal:
    """The sample plan's sleep goal as a build leaves it: the clinician's words, filled from
    the goal bank's insomnia problem under the clinician's goal id (RC-1042 in the demo)."""
    return Goal(
        id="G2",
        client_words="I want to sleep through the night",
        objectives=(
            Objective(
                id=objective_id,
                text="Sleep 6 hours on 5 nights a week by 2024-04-01",
                measure="sleep diary",
                target="5 nights",
                target_date=DAY,
                origin=Origin.BANK if bank_id else Origin.CLINICIAN,
                bank_id=bank_id,
            ),
        ),  # fmt: skip
        interventions=(
            Intervention(
                id=intervention_id,
                modality="CBT for insomnia",
                origin=Origin.BANK,
                bank_id=intervention_id,
            ),
        ),  # fmt: skip
    )


def test_a_concern_the_plan_already_plans_adds_nothing_and_keeps_the_goal(merger) -> None:
    plan = sample_plan()
    plan = plan.model_copy(
        update={
            "goals": (plan.goals[0], _sleep_goal("INSOMNIA.G1.O3", "INSOMNIA.G1.O3", "INSOMNIA.I1"))
        }  # fmt: skip
    )
    rows = [*_continue_all(plan), _row(concern="Trouble falling asleep", concern_code="G47.00",
                                       rationale="insomnia since March")]  # fmt: skip
    revised, findings = apply_review(plan, rows, merger=merger)
    assert revised is not None, findings
    assert [g.id for g in revised.goals] == ["G1", "G2"]  # no second insomnia goal
    assert revised.goals[1].interventions == plan.goals[1].interventions
    [said] = [f for f in findings if f.code == "REV032"]
    assert "Goal 2 already plans" in said.message and said.where.endswith("r.csv, row 2")
    assert [c.summary() for c in diff_plans(plan, revised).changes if not c.rationale] == []


def test_a_new_goal_never_takes_an_id_the_plan_uses(merger) -> None:
    """The plan's own sleep goal has a clinician objective but an intervention whose id is
    the bank's: the bank's insomnia goal is added, its intervention under a new id."""
    plan = sample_plan()
    plan = plan.model_copy(
        update={"goals": (plan.goals[0], _sleep_goal("G2.O1", None, "INSOMNIA.I1"))}
    )
    rows = [*_continue_all(plan), _row(concern="Trouble falling asleep", concern_code="G47.00",
                                       rationale="insomnia since March")]  # fmt: skip
    revised, findings = apply_review(plan, rows, merger=merger)
    assert revised is not None and not has_errors(findings), findings
    assert revised.goals[1].interventions == plan.goals[1].interventions  # still under goal 2
    added = revised.goals[2]
    assert added.bank_id == "INSOMNIA.G1"
    assert "INSOMNIA.I1" not in {i.id for i in added.interventions}
    assert "INSOMNIA.I1-2" in {i.id for i in added.interventions}
    changes = diff_plans(plan, revised).changes
    assert not [c for c in changes if c.kind == "removed" or c.field == "goal"]
    assert [c.summary() for c in changes if not c.rationale] == []


def test_fresh_keeps_free_ids_and_leaves_out_what_is_planned() -> None:
    plan = sample_plan()
    new = Goal(id="G2", client_words="sleep", bank_id="INSOMNIA.G1",
               objectives=(Objective(id="G1.O1", text="x", bank_id="INSOMNIA.G1.O9"),),
               interventions=(Intervention(id="NEW.I1", modality="CBT-I"),))  # fmt: skip
    [taken], left = fresh(plan, [new])
    assert left == []
    assert (taken.id, taken.objectives[0].id, taken.interventions[0].id) == (
        "G2-2", "G1.O1-2", "NEW.I1")  # fmt: skip
    again = plan.model_copy(update={"goals": (*plan.goals, taken)})
    taken2, left2 = fresh(again, [new])
    assert taken2 == [] and left2 == [(new, taken)]


def test_a_revised_plan_that_loses_moves_or_doubles_an_item_is_refused() -> None:
    plan = sample_plan()
    g1, g2 = plan.goals
    lost = plan.model_copy(update={"goals": (g1.model_copy(update={"interventions": ()}), g2)})
    [finding] = dropped(plan, lost, [], "r.csv, client C-1001")
    assert finding.code == "REV027" and "lose Intervention 1.a (G1.I1)" in finding.message
    moved = plan.model_copy(update={"goals": (
        g1.model_copy(update={"interventions": ()}),
        g2.model_copy(update={"interventions": (*g2.interventions, *g1.interventions)}),
    )})  # fmt: skip
    [finding] = dropped(plan, moved, [], "r.csv, client C-1001")
    assert "move Intervention 1.a (G1.I1) from goal G1 to goal G2" in finding.message
    doubled = plan.model_copy(update={"goals": (g1, g2, g2.model_copy(update={"id": "G3"}))})
    assert any("2 items with the id 'G2.O1'" in f.message for f in dropped(plan, doubled, [], "r"))
    assert dropped(plan, plan, [], "r") == []
