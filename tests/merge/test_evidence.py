"""A rationale matches a diagnosis on the plan or is generic: CT-1004 (adjustment disorder
only) was given mentalization-based treatment "Research support for BPD (Bateman & Fonagy)"."""

from __future__ import annotations

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.merge.evidence import diagnosed_families, fits, generic_rationale, named_families
from pipeline.model import Diagnosis
from pipeline.readers import read
from tests.support import ROOT


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_notes_that_cite_a_disorder_are_told_from_generic_ones() -> None:
    assert named_families("Research support for BPD (Bateman & Fonagy).") == {"BPD"}
    assert named_families("Strong research support for GAD (APA Division 12).") == {"GAD"}
    assert named_families("Strong research support.") is None
    assert named_families("Research support for relationship distress (APA).") is None
    assert named_families("Moderate support for stress reduction.") is None
    assert fits("Research support for adjustment and stress.", frozenset({"ADJUSTMENT"}))
    assert not fits("Strong research support for depression.", frozenset({"ADJUSTMENT"}))


def test_every_bank_rationale_on_the_samples_fits_the_clients_diagnoses(bank) -> None:
    for name in ("counseltrack_wide.xlsx", "mindledger_long.csv", "practiceflow_workbook.xlsx"):
        for result in read(ROOT / "inputs" / name):
            if result.plan is None:
                continue
            merged, _ = merge(result.plan, bank)
            diagnosed = diagnosed_families(bank, (d.code for d in merged.diagnoses))
            for goal in merged.goals:
                for iv in goal.interventions:
                    generic = iv.rationale == generic_rationale(goal.problem)
                    assert generic or fits(iv.rationale, diagnosed), (
                        merged.client.id,
                        iv.modality,
                        iv.rationale,
                        sorted(diagnosed),
                    )


def test_an_adjustment_disorder_gets_no_bpd_evidence(bank) -> None:
    plans = {r.plan.client.id: r.plan for r in read(ROOT / "inputs" / "counseltrack_wide.xlsx")
             if r.plan is not None}  # fmt: skip
    merged, _ = merge(plans["CT-1004"], bank)
    why = {iv.modality: iv.rationale or "" for g in merged.goals for iv in g.interventions}
    assert not [r for r in why.values() if "BPD" in r]
    # mentalization-based treatment is made for BPD (the bank's requires_family): not offered
    assert "Mentalization-based treatment" not in why
    # nor the borderline pattern's DBT: its relationships goal is "Relationship conflict" now
    # (session 8, tests/merge/test_domain_goals.py)
    assert not any(m.startswith("DBT") for m in why), why


def test_a_treatment_made_for_one_disorder_is_offered_with_that_diagnosis(bank) -> None:
    plans = {r.plan.client.id: r.plan for r in read(ROOT / "inputs" / "counseltrack_wide.xlsx")
             if r.plan is not None}  # fmt: skip
    plan = plans["CT-1004"]
    bpd = plan.model_copy(update={"diagnoses": (*plan.diagnoses, Diagnosis(code="F60.3"))})
    merged, _ = merge(bpd, bank)
    modalities = {iv.modality for g in merged.goals for iv in g.interventions}
    assert "Mentalization-based treatment" in modalities
    mbt = next(t for txs in bank.interventions_by_problem.values() for t in txs
               if t.modality == "Mentalization-based treatment")  # fmt: skip
    assert mbt.requires == ("BPD",)
