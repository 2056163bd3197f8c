"""Goals follow the diagnoses' priority: MindLedger's 2046 (PTSD primary, insomnia secondary)
printed the insomnia goal, written first in the intake, before the PTSD goal on its Medicare
plan of care. The client's own words can rank a goal first; a moved goal is said."""

from __future__ import annotations

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.merge.order import ranked_first
from pipeline.model import Diagnosis, Goal, Origin, Plan
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import ROOT


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def plan_2046() -> Plan:
    path = ROOT / "inputs" / "mindledger_long.csv"
    plans = [r.plan for _, rs in read_paths([path], ReadOptions()) for r in rs if r.plan]
    return next(p for p in plans if p.client.id == "2046")


def test_the_primary_diagnosis_goal_comes_first(plan_2046, bank) -> None:
    assert [(d.code, d.primary) for d in plan_2046.diagnoses] == [
        ("F43.10", True),
        ("F51.01", False),
    ]
    assert [g.id for g in plan_2046.goals] == ["G1"]  # the intake's one goal: sleep
    merged, findings = merge(plan_2046, bank)
    assert [(g.id, g.diagnosis_codes) for g in merged.goals] == [
        ("PTSD-INTRUSION.G1", ("F43.10",)),
        ("G1", ("F51.01",)),
    ]
    moved = [f for f in findings if f.code == "MERGE035"]
    assert [f.where for f in moved] == ["client 2046, goal G1"]
    assert "PTSD-INTRUSION.G1 (Trauma memories and reactions)" in moved[0].message
    assert "it treats F51.01" in moved[0].message


def test_the_clients_words_can_rank_a_goal_first(plan_2046, bank) -> None:
    words = "Most of all I want to sleep through the night and stop checking everything."
    goal = plan_2046.goals[0].model_copy(update={"client_words": words})
    merged, findings = merge(plan_2046.model_copy(update={"goals": (goal,)}), bank)
    assert [g.id for g in merged.goals] == ["G1", "PTSD-INTRUSION.G1"]
    said = [f for f in findings if f.code == "MERGE036"]
    assert [f.where for f in said] == ["client 2046, goal G1"]
    assert '"Most of all"' in said[0].message and not any(f.code == "MERGE035" for f in findings)


def test_a_goal_of_no_diagnosis_follows_the_diagnoses_goals(plan_2046, bank) -> None:
    work = Goal(id="G1", client_words="I want to keep my job.", problem="Reduced work functioning")
    sleep = plan_2046.goals[0].model_copy(update={"id": "G2"})
    plan = plan_2046.model_copy(update={"goals": (work, sleep)})
    merged, findings = merge(plan, bank)
    assert [g.id for g in merged.goals] == ["PTSD-INTRUSION.G1", "G2", "G1"]
    moved = {f.where: f.message for f in findings if f.code == "MERGE035"}
    assert "it treats no diagnosis of the plan" in moved["client 2046, goal G1"]


def test_a_provisional_diagnosis_comes_after_an_established_one(plan_2046, bank) -> None:
    diagnoses = (
        Diagnosis(code="F43.10", primary=True),
        Diagnosis(code="F41.1", provisional=True),
        Diagnosis(code="F51.01"),
    )
    merged, _ = merge(plan_2046.model_copy(update={"diagnoses": diagnoses}), bank)
    codes = [g.diagnosis_codes for g in merged.goals]
    assert codes.index(("F51.01",)) < codes.index(("F41.1",)), codes


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("Above all, I want my son back home.", "Above all"),
        ("Sleep is my top priority right now.", "my top priority"),
        ("More than anything I want to stop drinking.", "More than anything"),
        ("I want to finish my first year.", None),  # "first" alone ranks nothing
        ("I want to be first in line for the job.", None),
    ],
)
def test_ranked_first(words: str, said: str | None) -> None:
    assert ranked_first(Goal(id="G1", client_words=words)) == said
    assert ranked_first(Goal(id="G1", client_words=words, origin=Origin.BANK)) is None


def test_a_bank_goals_place_is_worked_out_for_each_plans_diagnoses(plan_2046, bank) -> None:
    """A bank goal is one object in many plans: its tier is remembered with the plan's codes
    in priority order, so the same goal orders as if worked out afresh in every plan."""
    from pipeline.merge import memo
    from pipeline.merge.order import order_goals

    merged, _ = merge(plan_2046, bank)
    goals = list(merged.goals)
    assert any(g.origin is Origin.BANK for g in goals)
    dxs = plan_2046.diagnoses
    swapped = tuple(d.model_copy(update={"primary": not d.primary}) for d in dxs)
    plans = [
        plan_2046,
        plan_2046.model_copy(update={"diagnoses": swapped}),
        plan_2046.model_copy(update={"diagnoses": swapped[::-1]}),
        plan_2046.model_copy(update={"diagnoses": dxs[:1]}),
        plan_2046.model_copy(update={"diagnoses": ()}),
    ]
    orders = set()
    for plan in plans * 2:
        found: list = []
        remembered = order_goals(plan, bank, goals, "client 2046", found)
        memo.clear("goal order keys")
        afresh: list = []
        assert remembered == order_goals(plan, bank, goals, "client 2046", afresh)
        assert found == afresh
        orders.add(tuple(g.id for g in remembered))
    assert len(orders) > 1  # the plans' diagnoses do move the goals
