"""The Interventions sheet's ``ages`` column (session 8): a child's or adolescent's treatment is
never offered to an adult, nor taken as the rationale of an adult's clinician treatment.

CT-1007 (16, social anxiety) wrote "Graded exposure with a fear ladder; parent coaching" and
both parts had no rationale ("Not recorded", TXR004 blocked the clinical plan); CT-1003 wrote
"Skills training" (time-blocking and external reminders) for ADHD, likewise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.goalbank.ages import in_range, parse_ages
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import MergeOptions, merge
from pipeline.readers import read
from tests.support import ROOT

BANK = load_bank()


def _sample(client: str):
    for result in read(ROOT / "inputs" / "counseltrack_wide.xlsx"):
        if result.plan is not None and result.plan.client.id == client:
            return result.plan
    raise AssertionError(client)


@pytest.mark.parametrize(
    ("text", "ages"),
    [("", None), ("0-17", (0, 17)), ("18-", (18, 120)), (" 7 - 17 ", (7, 17)), ("-12", (0, 12))],
)
def test_an_age_range_reads_as_youngest_and_oldest(text: str, ages) -> None:
    assert parse_ages(text) == ages


@pytest.mark.parametrize("text", ["children", "17-7", "18-200", "-", "12"])
def test_what_is_not_an_age_range_says_so(text: str) -> None:
    with pytest.raises(ValueError, match="age range"):
        parse_ages(text)


def test_an_age_bound_treatment_needs_a_known_age_in_range() -> None:
    assert in_range(None, None) and in_range(None, 40)
    assert in_range((0, 17), 16) and in_range((0, 17), 0) and in_range((0, 17), 17)
    assert not in_range((0, 17), 18) and not in_range((0, 17), None)


def _rationales(plan) -> dict[str, str | None]:
    merged, _ = merge(plan, BANK)
    return {i.modality: i.rationale for g in merged.goals for i in g.interventions}


def test_a_young_persons_parent_coaching_and_exposure_take_the_banks_rationale() -> None:
    plan = _sample("CT-1007")
    assert plan.client.date_of_birth == dt.date(2009, 12, 1)  # 16 on the plan date
    why = _rationales(plan)
    assert "NICE CG159" in (why["Graded exposure with a fear ladder"] or "")
    assert "parents or carers" in (why["Parent coaching"] or "")


@pytest.mark.parametrize("born", [dt.date(1990, 5, 1), None])
def test_an_adult_or_a_client_of_unknown_age_gets_no_childs_rationale(born) -> None:
    plan = _sample("CT-1007")
    plan = plan.model_copy(
        update={"client": plan.client.model_copy(update={"date_of_birth": born})}
    )
    why = _rationales(plan)
    assert why["Parent coaching"] is None  # stays "Not recorded": TXR004 blocks it
    assert "NICE CG159" in (why["Graded exposure with a fear ladder"] or "")  # any age


def test_the_bank_never_plans_a_childs_treatment_for_an_adult() -> None:
    child = next(t for t in BANK.interventions.values() if t.modality == "Parent coaching")
    assert child.ages == (0, 17)
    plan = _sample("CT-1007")
    plan = plan.model_copy(update={"goals": ()})  # the bank plans the social anxiety goal
    room = MergeOptions(max_interventions_per_goal=6)
    for born, offered in ((dt.date(2012, 3, 1), True), (dt.date(1980, 3, 1), False), (None, False)):
        client = plan.client.model_copy(update={"date_of_birth": born})
        merged, _ = merge(plan.model_copy(update={"client": client}), BANK, options=room)
        modalities = {i.modality for g in merged.goals for i in g.interventions}
        assert ("Parent coaching" in modalities) is offered, (born, modalities)


def test_an_adults_adhd_skills_training_takes_the_organizational_skills_rationale() -> None:
    why = _rationales(_sample("CT-1003"))
    assert "Solanto" in (why["Skills training"] or "")
