"""The goal bank covers the anxiety codes a real plan carries: MindLedger's 2044 (ADHD with
F41.9 unspecified anxiety, GAD-7 10) got no goal for its anxiety (MERGE010). Other specified
and unspecified anxiety (F41.3, F41.8, F41.9, F40.8, F40.9) now has a family; codes the bank
does not hold (separation anxiety F93.0, acute stress reaction F43.0) still warn MERGE010."""

from __future__ import annotations

import re

import pytest

from pipeline.clinical.icd10 import lookup
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Diagnosis, Plan
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import ROOT

COVERED = ("F41.0", "F41.1", "F41.3", "F41.8", "F41.9", "F40.00", "F40.10", "F40.8", "F40.9",
           "F43.20", "F43.21", "F43.22", "F43.23", "F43.24", "F43.25", "F43.29")  # fmt: skip
ABSENT = ("F93.0", "F43.0")
#: A practice of measuring outcomes is no treatment modality (it goes with the measures).
MEASURING = re.compile(r"measurement-based|outcome monitoring|progress monitoring", re.I)


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def plan_2044() -> Plan:
    path = ROOT / "inputs" / "mindledger_long.csv"
    plans = [r.plan for _, rs in read_paths([path], ReadOptions()) for r in rs if r.plan]
    return next(p for p in plans if p.client.id == "2044")


@pytest.mark.parametrize("code", COVERED)
def test_each_anxiety_code_has_a_family_with_a_gad7_goal(bank, code) -> None:
    assert lookup(code) is not None, code  # a real ICD-10-CM code
    families = [f for f in bank.families_for_code(code) if f.kind == "diagnosis"]
    assert families, code
    problems = {p.id for f in families for p in bank.problems_by_family[f.id]}
    measures = {o.measure for p in problems for g in bank.goals_by_problem.get(p, ())
                for o in bank.objectives_by_goal.get(g.id, ())}  # fmt: skip
    assert measures & {"GAD-7", "PDSS", "SPIN"}, (code, measures)


def test_2044s_unspecified_anxiety_gets_a_measured_goal(plan_2044, bank) -> None:
    assert {d.code for d in plan_2044.diagnoses} == {"F90.2", "F41.9"}
    merged, findings = merge(plan_2044, bank)
    assert not [f for f in findings if f.code == "MERGE010"]
    [anxiety] = [g for g in merged.goals if "F41.9" in g.diagnosis_codes]
    assert anxiety.problem == "Anxiety symptoms"
    texts = [o.text for o in anxiety.objectives]
    assert any(t.startswith("Reduce anxiety symptoms from a GAD-7 score of 10") for t in texts)
    assert merged.goals[0].diagnosis_codes == ("F90.2",)  # the primary diagnosis's goal first


@pytest.mark.parametrize("code", ABSENT)
def test_a_code_the_bank_lacks_still_warns(plan_2044, bank, code) -> None:
    plan = plan_2044.model_copy(
        update={"diagnoses": (Diagnosis(code="F90.2", primary=True), Diagnosis(code=code))}
    )
    _, findings = merge(plan, bank)
    assert [f.where for f in findings if f.code == "MERGE010"] == [f"client 2044, diagnosis {code}"]


def test_no_bank_intervention_is_a_practice_of_measuring(bank) -> None:
    found = [i.modality for i in bank.interventions.values() if MEASURING.search(i.modality)]
    assert not found, found
