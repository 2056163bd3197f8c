"""CT-1004 is seen every other week, and its plan listed the goal bank's "Communication skills
training: weekly" (and a bank frequency, "weekly, 6-8 sessions", filled into the clinician's
problem-solving therapy): a plan must not promise an intervention more often than the client
is seen. A bank frequency is now planned no more often than the sessions (MERGE043 says so);
a clinician's own frequency is kept as written (the rules judge it: TXR024)."""

from __future__ import annotations

import pytest

from pipeline.findings import Severity
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Origin, Plan
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import ROOT


@pytest.fixture(scope="module")
def ct1004() -> Plan:
    path = ROOT / "inputs" / "counseltrack_wide.xlsx"
    plans = [r.plan for _, rs in read_paths([path], ReadOptions()) for r in rs if r.plan]
    return next(p for p in plans if p.client.id == "CT-1004")


def _frequencies(plan: Plan) -> dict[str, str | None]:
    return {i.modality: i.frequency for g in plan.goals for i in g.interventions}


def test_ct1004_bank_interventions_follow_its_sessions(ct1004: Plan) -> None:
    assert [s.frequency for s in ct1004.services] == ["Every other week"]
    merged, findings = merge(ct1004, load_bank())
    frequencies = _frequencies(merged)
    assert frequencies["Communication skills training"] == "every other week"
    # the clinician named the treatment and no frequency: the bank's is filled in, paced
    assert frequencies["Problem-solving therapy and values clarification"] == (
        "every other week, 6-8 sessions"
    )
    [said] = [f for f in findings if f.code == "MERGE043"]
    assert said.severity is Severity.INFO
    assert "'weekly'" in said.message and "every other week" in said.message


def test_weekly_sessions_keep_the_banks_frequency(ct1004: Plan) -> None:
    weekly = ct1004.services[0].model_copy(update={"frequency": "Weekly"})
    merged, findings = merge(ct1004.model_copy(update={"services": (weekly,)}), load_bank())
    assert _frequencies(merged)["Communication skills training"] == "weekly"
    assert not [f for f in findings if f.code == "MERGE043"]


def test_a_clinicians_own_frequency_is_kept(ct1004: Plan) -> None:
    goal = ct1004.goals[0]
    own = goal.interventions[0].model_copy(update={"frequency": "weekly"})
    plan = ct1004.model_copy(
        update={"goals": (goal.model_copy(update={"interventions": (own,)}), *ct1004.goals[1:])}
    )
    merged, _ = merge(plan, load_bank())
    [kept] = [i for g in merged.goals for i in g.interventions if i.id == own.id]
    assert kept.origin is Origin.CLINICIAN and kept.frequency == "weekly"
