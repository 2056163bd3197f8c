"""Alternative treatments are not planned together: client 2046 (PTSD) was given cognitive
processing therapy, prolonged exposure and EMDR, each with a frequency, in one goal and again
in a second; a plan carries one trauma-focused therapy (the goal bank's alternative_group)."""

from __future__ import annotations

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.alternatives import names
from pipeline.merge.core import MergeOptions, merge
from pipeline.model import Goal, Intervention, Plan, Service
from pipeline.readers import read
from tests.support import ROOT

TRAUMA = "trauma-focused therapy"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def ptsd_client() -> Plan:
    """2046 (F43.10, F51.01): the intake names no trauma-focused therapy."""
    plans = {r.plan.client.id: r.plan for r in read(ROOT / "inputs" / "mindledger_long.csv")
             if r.plan is not None}  # fmt: skip
    return plans["2046"]


def _planned(bank, plan: Plan) -> list[tuple[str, Intervention]]:
    return [(g.id, i) for g in plan.goals for i in g.interventions
            if i.bank_id and bank.interventions[i.bank_id].group == TRAUMA]  # fmt: skip


def test_the_bank_groups_the_trauma_focused_therapies(bank) -> None:
    modalities = {tx.modality for tx in bank.alternatives[TRAUMA]}
    assert modalities == {"Cognitive processing therapy", "Prolonged exposure", "EMDR"}
    assert bank.interventions["PTSD-INTRUSION.I4"].group == ""  # imagery rehearsal: an adjunct


def test_one_trauma_focused_therapy_chosen_for_the_clinician_and_said(bank, ptsd_client) -> None:
    merged, findings = merge(ptsd_client, bank, options=MergeOptions(max_goals=4))
    planned = _planned(bank, merged)
    assert planned, "the PTSD goal lost its trauma-focused therapy"
    assert {i.modality for _, i in planned} == {"Cognitive processing therapy"}  # first-line
    for _, item in planned:
        assert "Alternatives considered: Prolonged exposure, EMDR." in (item.rationale or "")
    said = [f for f in findings if f.code == "MERGE034"]
    assert len(said) == 1 and said[0].severity == "warning"
    assert "Cognitive processing therapy" in said[0].message
    assert "Prolonged exposure, EMDR" in said[0].message
    assert said[0].where.endswith(f"goal {planned[0][0]}, intervention {planned[0][1].id}")


@pytest.mark.parametrize(
    ("modality", "expected"),
    [
        ("Prolonged Exposure (PE) therapy", "Prolonged exposure"),
        ("EMDR, weekly", "EMDR"),
        ("CPT", "Cognitive processing therapy"),
    ],
)
def test_the_therapy_the_intake_names_is_the_one_planned(
    bank, ptsd_client, modality, expected
) -> None:
    goal = ptsd_client.goals[0]
    named = Intervention(id="I-named", modality=modality)
    plan = ptsd_client.model_copy(
        update={"goals": (goal.model_copy(update={"interventions": (named,)}),)}
    )
    merged, findings = merge(plan, bank, options=MergeOptions(max_goals=4))
    planned = _planned(bank, merged)
    assert planned and {i.modality for _, i in planned} == {expected}
    assert not [f for f in findings if f.code == "MERGE034"]  # the clinician chose
    assert all("Alternatives considered" not in (i.rationale or "") for _, i in planned)


def test_a_service_modality_names_the_therapy(bank, ptsd_client) -> None:
    plan = ptsd_client.model_copy(update={"services": (Service(modality="EMDR"),)})
    merged, _ = merge(plan, bank, options=MergeOptions(max_goals=4))
    assert {i.modality for _, i in _planned(bank, merged)} == {"EMDR"}


def test_names_reads_words_and_initials(bank) -> None:
    cpt = bank.interventions["PTSD-INTRUSION.I1"]
    pe = bank.interventions["PTSD-INTRUSION.I2"]
    assert names(cpt, frozenset({"cpt"})) and names(pe, frozenset({"prolonged", "exposure"}))
    assert not names(pe, frozenset({"exposure", "in", "vivo"}))  # exposure for panic is not PE
    assert not names(cpt, frozenset({"cbt"}))


def test_a_clinician_goal_left_without_interventions_gets_one_of_the_group(
    bank, ptsd_client
) -> None:
    goal = Goal(id="G9", client_words="I want the flashbacks to stop.",
                problem="Trauma memories and reactions")  # fmt: skip
    plan = ptsd_client.model_copy(update={"goals": (goal,)})
    merged, findings = merge(plan, bank)
    assert len({i.modality for _, i in _planned(bank, merged)}) == 1
    assert [f.where for f in findings if f.code == "MERGE034"] == [
        f"client 2046, goal G9, intervention {_planned(bank, merged)[0][1].id}"
    ]


def test_choosing_is_dataclasses_replace() -> None:
    """ClientFacts.choosing gives what dataclasses.replace gives, the original untouched."""
    import dataclasses
    import datetime as dt

    from pipeline.merge.client import ClientFacts

    day = dt.date(2026, 3, 2)
    facts = ClientFacts({"PHQ9": 16}, "worry", day, day, "Dr A", families=frozenset({"GAD"}))
    chosen = {"trauma": frozenset({"cpt"})}
    made = facts.choosing(chosen, frozenset({"trauma"}))
    assert made == dataclasses.replace(
        facts, alternatives=chosen, named_alternatives=frozenset({"trauma"})
    )
    assert facts.alternatives == {} and made.scores is facts.scores
    assert list(vars(made)) == list(vars(facts))


def test_a_bank_goal_noting_its_alternatives_is_one_goal_in_every_plan(bank, ptsd_client) -> None:
    """The bank's goal with "Alternatives considered" added is the same copy in every plan
    that makes it of the same parts (so what is remembered of a bank goal is reused), and
    every plan's goals equal those of a merge with nothing remembered."""
    from pipeline.merge import alternatives, memo

    def noted(plan: Plan) -> list[Goal]:
        merged, _ = merge(plan, bank, options=MergeOptions(max_goals=4))
        return [g for g in merged.goals if any(i.rationale and "Alternatives" in i.rationale
                                               for i in g.interventions)]  # fmt: skip

    first = noted(ptsd_client)
    assert first
    other = ptsd_client.model_copy(
        update={"client": ptsd_client.client.model_copy(update={"id": "other"})}
    )
    again = noted(other)
    assert [g.id for g in again] == [g.id for g in first]
    assert all(a is b for a, b in zip(again, first, strict=True))  # one copy, shared
    memo.clear()
    alternatives._NOTED.clear()
    alternatives._NOTED_GOALS.clear()
    fresh = noted(other)
    assert fresh == again and all(a is not b for a, b in zip(fresh, again, strict=True))
    # a goal whose interventions differ is its own copy
    goal = fresh[0]
    fewer = goal.model_copy(update={"interventions": goal.interventions[:1]})
    item = goal.interventions[0]
    assert alternatives._with_interventions(fewer, (item,)) is not alternatives._with_interventions(
        goal, goal.interventions
    )
