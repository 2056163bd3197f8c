"""The safety goal comes from the plan's structure: risk flagged always brings it, words in
a clinician's objective never switch it off, and a plan without risk never gets it."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import (
    Client,
    Diagnosis,
    Goal,
    Measure,
    Objective,
    Plan,
    Risk,
    RiskLevel,
)
from pipeline.profiles import list_payers, load_payer
from pipeline.rules import check

DAY = dt.date(2026, 1, 22)


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _plan(risk: Risk, goals: tuple[Goal, ...] = (), items: tuple[int, ...] = ()) -> Plan:
    phq = Measure(instrument="PHQ-9", date=DAY, items=items, total=sum(items) if items else 22)
    return Plan(
        client=Client(id="S1"),
        intake_date=DAY,
        diagnoses=(Diagnosis(code="F32.2", primary=True),),
        measures=(phq,),
        risk=risk,
        goals=goals,
    )


def test_safety_plan_words_in_a_clinician_objective_do_not_switch_the_safety_goal_off(
    bank,
) -> None:
    words = Goal(
        id="G1",
        client_words="I want to stop feeling like there's no way out.",
        objectives=(
            Objective(
                id="G1.O1",
                text="Reduce PHQ-9 from 22 to below 15 by 2026-03-22 and keep the safety plan "
                "current.",
            ),
        ),
    )
    risk = Risk(
        suicidal_ideation=True,
        level=RiskLevel.HIGH,
        notes="Active SI without intent; firearm moved to brother's home",
    )
    merged, findings = merge(_plan(risk, (words,)), bank)
    safety = merged.goals[0]
    assert safety.problem == "Suicide risk" and safety.bank_id == "SAFETY.G1"
    parts = [o.bank_id for o in safety.objectives]
    # written plan, lethal means (a firearm is named), a safety-plan step, C-SSRS every session
    assert parts == ["SAFETY.G1.O1", "SAFETY.G1.O2", "SAFETY.G1.O3", "SAFETY.G1.O4"]
    assert "MERGE032" in [f.code for f in findings]
    assert merged.goals[1].id == "G1"


def test_item_9_alone_brings_the_safety_goal_without_lethal_means(bank) -> None:
    merged, _ = merge(_plan(Risk(), items=(2, 2, 2, 2, 2, 2, 2, 2, 1)), bank)
    safety = merged.goals[0]
    assert safety.bank_id == "SAFETY.G1"
    assert "SAFETY.G1.O2" not in [o.bank_id for o in safety.objectives]


def test_no_risk_no_safety_goal(bank) -> None:
    merged, findings = merge(_plan(Risk(level=RiskLevel.LOW), items=(2,) * 8 + (0,)), bank)
    assert all(g.problem != "Suicide risk" for g in merged.goals)
    assert merged.safety_plan is None


def test_a_clinician_safety_goal_is_completed_not_duplicated(bank) -> None:
    own = Goal(
        id="G1",
        client_words="Stay safe",
        problem="Suicide risk",
        objectives=(
            Objective(id="G1.O1", text="Complete a written safety plan with the therapist"),
        ),
    )
    merged, _ = merge(_plan(Risk(suicidal_ideation=True), (own,)), bank)
    safety = [g for g in merged.goals if g.problem == "Suicide risk"]
    assert len(safety) == 1 and safety[0].id == "G1"
    assert safety[0].objectives[0].id == "G1.O1"
    added = [o.bank_id for o in safety[0].objectives[1:]]
    assert added == ["SAFETY.G1.O3", "SAFETY.G1.O4"]


def test_skeleton_safety_plan_blocks_every_payer(bank) -> None:
    merged, _ = merge(_plan(Risk(suicidal_ideation=True)), bank)
    for payer in list_payers():
        found = [f for f in check(merged, load_payer(payer)) if f.code == "TXR011"]
        assert found, payer
        assert "warning signs (placeholder text)" in found[0].message
