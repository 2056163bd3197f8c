"""A referral is made once: 2044's plan listed "Medication referral" under its ADHD goal and
again under its anxiety goal, to the same prescriber (two rows of one action)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.merge.referrals import fold_referrals
from pipeline.model import Goal, Intervention, Origin, Plan
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import ROOT


@pytest.fixture(scope="module")
def mindledger() -> dict[str, Plan]:
    path = ROOT / "inputs" / "mindledger_long.csv"
    plans = [r.plan for _, rs in read_paths([path], ReadOptions()) for r in rs if r.plan]
    return {p.client.id: p for p in plans}


def test_2044_lists_its_medication_referral_once(mindledger) -> None:
    merged, findings = merge(mindledger["2044"], load_bank())
    referrals = [
        (g.id, i)
        for g in merged.goals
        for i in g.interventions
        if i.modality == "Medication referral"
    ]
    assert len(referrals) == 1
    goal_id, referral = referrals[0]
    assert goal_id == merged.goals[0].id  # under the first goal that plans it
    assert "ADHD medication" in (referral.description or "")
    assert "For anxiety symptoms: refer to a prescriber" in (referral.description or "")
    assert "NICE NG87" in (referral.rationale or "") and "NICE CG113" in (referral.rationale or "")
    [said] = [f for f in findings if f.code == "MERGE038"]
    assert "listed once" in said.message
    anxiety = next(g for g in merged.goals if g.problem == "Anxiety symptoms")
    assert anxiety.interventions  # it keeps its own treatments


def _iv(i: str, modality: str = "Medication referral", origin: Origin = Origin.BANK,
        frequency: str = "once, then as needed") -> Intervention:  # fmt: skip
    return Intervention(id=i, modality=modality, description=f"Refer for {i}.",
                        frequency=frequency, responsible="A. Clinician",
                        rationale=f"Evidence {i}.", origin=origin)  # fmt: skip


def _goal(g: str, *ivs: Intervention) -> Goal:
    return Goal(id=g, client_words="words", problem=f"Problem {g}", interventions=ivs)


def test_what_is_not_folded() -> None:
    cases = [
        # a clinician's referral stays as written
        [_goal("A", _iv("a1", origin=Origin.CLINICIAN), _iv("a2", "CBT")),
         _goal("B", _iv("b1"), _iv("b2", "CBT"))],
        # different frequencies: not the same referral
        [_goal("A", _iv("a1"), _iv("a2", "CBT")),
         _goal("B", _iv("b1", frequency="monthly"), _iv("b2", "CBT"))],
        # the later goal's only intervention stays
        [_goal("A", _iv("a1"), _iv("a2", "CBT")), _goal("B", _iv("b1"))],
        # not a referral: a therapy under two goals is two foci
        [_goal("A", _iv("a1", "CBT")), _goal("B", _iv("b1", "CBT"), _iv("b2", "DBT"))],
    ]  # fmt: skip
    for goals in cases:
        findings: list = []
        assert fold_referrals(goals, "client X", findings) == goals
        assert findings == []


@given(st.lists(st.lists(st.sampled_from(["Medication referral", "CBT", "Support group referral"]),
                         min_size=1, max_size=4), min_size=1, max_size=5))  # fmt: skip
def test_each_referral_once_and_no_goal_emptied(shape: list[list[str]]) -> None:
    goals = [
        _goal(f"G{g}", *(_iv(f"G{g}.I{i}", m) for i, m in enumerate(ms)))
        for g, ms in enumerate(shape)
    ]
    findings: list = []
    folded = fold_referrals(goals, "client X", findings)
    assert [g.id for g in folded] == [g.id for g in goals]
    for before, after in zip(goals, folded, strict=True):
        assert after.interventions  # no goal left without an intervention
        kept = [i.modality for i in after.interventions]
        dropped = len(before.interventions) - len(after.interventions)
        assert [m for m in kept if "referral" not in m] == [
            i.modality for i in before.interventions if "referral" not in i.modality
        ]
        assert dropped >= 0
    seen: dict[str, int] = {}
    for goal in folded:
        for iv in goal.interventions:
            if "referral" in iv.modality and len(goal.interventions) > 1:
                seen[iv.modality] = seen.get(iv.modality, 0) + 1
    # a referral is repeated only under a goal it is the only intervention of
    assert all(n == 1 for n in seen.values())
    removed = sum(
        len(a.interventions) - len(b.interventions) for a, b in zip(goals, folded, strict=True)
    )
    assert removed == len(findings)
    # every dropped referral's purpose and evidence are kept in the one that stays
    text = " ".join(f"{i.description} {i.rationale}" for g in folded for i in g.interventions)
    for goal in goals:
        for iv in goal.interventions:
            assert iv.description.lower() in text.lower() and iv.rationale in text
