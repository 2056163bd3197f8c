"""A treatment split from a clinician's cell gets its rationale from the cell or the goal bank,
or is said to have none (MERGE039): CT-1007's "Parent coaching", 30018's "Grief work" had an
empty rationale nobody named; 30021's "Safety planning" had none though the plan's own safety
goal carries the bank's "Safety planning intervention"; and a match on a word like "referral"
alone gave CT-1006's "Referral to IOP" the medication referral's note."""

from __future__ import annotations

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Plan
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import ROOT


@pytest.fixture(scope="module")
def merged() -> dict[str, tuple[Plan, list]]:
    bank = load_bank()
    paths = [
        ROOT / "inputs" / "counseltrack_wide.xlsx",
        ROOT / "inputs" / "practiceflow_workbook.xlsx",
    ]
    plans = [r.plan for _, rs in read_paths(paths, ReadOptions()) for r in rs if r.plan]
    return {p.client.id: merge(p, bank) for p in plans}


def _iv(plan: Plan, iv_id: str):
    return next(i for g in plan.goals for i in g.interventions if i.id == iv_id)


def test_a_part_without_rationale_is_said(merged) -> None:
    for client, missing, explained in [
        # CT-1007's parts take the bank's social-anxiety notes since session 8 (graded exposure;
        # parent coaching for a young person: tests/goalbank/test_ages.py)
        ("CT-1007", set(), {"G1.I1", "G1.I1.2"}),
        ("30018", {"G1.I1.2"}, {"G1.I1"}),
        ("CT-1006", {"G2.I1.2"}, {"G2.I1"}),
    ]:
        plan, findings = merged[client]
        said = {f.where.rsplit(" ", 1)[-1] for f in findings if f.code == "MERGE039"}
        assert said == missing, client
        assert all(_iv(plan, i).rationale is None for i in missing)
        assert all(_iv(plan, i).rationale for i in explained)
        if not missing:
            continue
        [f] = [
            f for f in findings if f.code == "MERGE039" and f.where.endswith(sorted(missing)[-1])
        ]
        assert f.severity.value == "warning" and "write why it fits this client" in f.message


def test_no_finding_for_a_part_with_a_rationale_or_a_plan_without_split_cells(merged) -> None:
    for client in ("30021", "CT-1002", "CT-1001", "30022"):
        _, findings = merged[client]
        assert not [f for f in findings if f.code == "MERGE039"], client


def test_the_safety_goals_treatment_explains_a_split_safety_planning(merged) -> None:
    plan, _ = merged["30021"]
    part = _iv(plan, "G1.I1.2")
    assert part.modality == "Safety planning"
    assert part.rationale == _iv(plan, "SAFETY.I1").rationale  # Stanley et al.


def test_a_generic_word_alone_is_no_match(merged) -> None:
    plan, _ = merged["CT-1006"]
    referral = _iv(plan, "G2.I1.2")
    assert referral.modality == "Referral to IOP"
    assert "medication" not in (referral.rationale or "").lower()
    cbt_sp = _iv(plan, "G1.I1")  # "Safety planning and CBT for suicide prevention (CBT-SP)"
    assert cbt_sp.rationale and cbt_sp.rationale != "Strong research support (APA Division 12)."
    assert "alcohol" not in cbt_sp.rationale  # not the alcohol CBT's note (shared "CBT", "for")
    plan, _ = merged["30022"]
    family = next(i for g in plan.goals for i in g.interventions if i.modality == "Family therapy")
    assert "relationship distress" not in (family.rationale or "")  # couples therapy's note


def test_an_abbreviation_takes_the_evidence_of_its_own_goals_problem(merged) -> None:
    """CT-1001 wrote "CBT" for its depression goal and for its worry goal: neither matched the
    bank's "Cognitive behavioral therapy" (no rationale, TXR004); spelled out, each must take
    the evidence for its own goal's problem, not the first goal's."""
    plan, _ = merged["CT-1001"]
    by_problem = {g.problem: g.interventions[0] for g in plan.goals if g.id in ("G1", "G2")}
    depression = by_problem["Depressed mood and loss of interest"]
    worry = by_problem["Excessive worry"]
    assert depression.modality == worry.modality == "CBT"
    assert "for depression" in (depression.rationale or "")
    assert "for GAD" in (worry.rationale or "")
    plan, _ = merged["CT-1003"]
    insomnia = next(i for g in plan.goals for i in g.interventions if i.modality == "CBT-I")
    assert "insomnia" in (insomnia.rationale or "")
