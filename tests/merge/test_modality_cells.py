"""A clinician's intervention cell naming several treatments is one intervention a treatment:
CounselTrack's CT-1007 wrote "Graded exposure with a fear ladder; parent coaching", which the
managed-care report's Modality cell printed as "Graded exposure with a fear ladder; parent
coaching, Academic skills coaching"; CT-1002's "Cognitive Processing Therapy (CPT), 12 weekly
sessions" printed the dose as part of the modality."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.merge.modalities import split_intervention
from pipeline.model import Intervention, Origin, Plan
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from pipeline.writers.sections import service_modalities
from tests.support import ROOT


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def counseltrack() -> dict[str, Plan]:
    path = ROOT / "inputs" / "counseltrack_wide.xlsx"
    plans = [r.plan for _, rs in read_paths([path], ReadOptions()) for r in rs if r.plan]
    return {p.client.id: p for p in plans}


def test_ct_1007s_cell_is_two_interventions(counseltrack, bank) -> None:
    merged, findings = merge(counseltrack["CT-1007"], bank)
    g1 = next(g for g in merged.goals if g.id == "G1")
    assert [(i.id, i.modality, i.frequency) for i in g1.interventions] == [
        # the goal bank's frequencies since session 8 (its "Graded exposure" and, for a young
        # person, "Parent coaching" match them); before, the service's "Weekly"
        ("G1.I1", "Graded exposure with a fear ladder", "weekly"),
        ("G1.I1.2", "Parent coaching", "every other week"),
    ]
    [said] = [f for f in findings if f.code == "MERGE037"]
    assert said.where == "client CT-1007, intervention G1.I1"
    [line] = service_modalities(merged)
    assert line == ["Graded exposure with a fear ladder", "Parent coaching",
                    "Academic skills coaching"]  # fmt: skip
    assert not [m for m in line if ";" in m]


def test_a_referral_in_the_cell_is_no_service_modality(counseltrack, bank) -> None:
    merged, _ = merge(counseltrack["CT-1006"], bank)
    modalities = [i.modality for g in merged.goals for i in g.interventions]
    assert "Referral to IOP" in modalities and "Motivational interviewing" in modalities
    assert not [m for line in service_modalities(merged) for m in line if "IOP" in m]


def test_the_dose_is_no_part_of_the_modality(counseltrack, bank) -> None:
    merged, _ = merge(counseltrack["CT-1002"], bank)
    iv = merged.goals[0].interventions[0]
    # the intake's dose becomes the frequency (the bank's "weekly, 12 sessions" is not needed)
    assert (iv.modality, iv.frequency) == (
        "Cognitive Processing Therapy (CPT)",
        "12 weekly sessions",
    )
    alone = split_intervention(Intervention(id="G1.I1", modality="CBT for panic, 8-12 sessions"))
    assert [(i.modality, i.frequency) for i in alone] == [("CBT for panic", "8-12 sessions")]


def test_a_bank_intervention_and_a_comma_that_is_no_dose_stay() -> None:
    bank_row = Intervention(id="X.I1", modality="A; B", origin=Origin.BANK)
    assert split_intervention(bank_row) == [bank_row]
    kept = Intervention(id="G1.I1", modality="Dialectical behavior therapy, skills group")
    assert split_intervention(kept) == [kept]


_PART = st.text(st.sampled_from("abcdefghij ()-"), min_size=1, max_size=20).filter(str.strip)


@given(st.lists(_PART, min_size=1, max_size=4), st.none() | st.just("weekly"))
def test_every_part_is_one_intervention_with_the_cells_details(parts, frequency) -> None:
    cell = Intervention(id="G1.I1", modality="; ".join(parts), frequency=frequency,
                        description="as agreed", rationale="why")  # fmt: skip
    made = split_intervention(cell)
    assert len({i.id for i in made}) == len(made) and made[0].id == "G1.I1"
    assert all(";" not in i.modality for i in made)
    assert all((i.description, i.rationale) == ("as agreed", "why") for i in made)
    assert [i.modality.lower() for i in made] == [p.strip().lower() for p in parts]
