"""No goal-bank intervention is planned more often than the plan's sessions see the client,
whatever their frequency: the goal bank's "weekly" beside sessions every other week (CT-1004)
promised care no session delivers. Every demo plan, its services at a drawn frequency (one
or two services), merged with the shipped goal bank: each intervention whose frequency came
from the bank (a bank intervention, or a clinician's named treatment given the bank's
frequency) and each bank objective's "scheduled sessions (...)" are no more often than the
sessions, and a bank frequency as often or less often than them is kept as the bank writes
it. Referrals (seen by another provider) are not counted."""

from __future__ import annotations

import re
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clinical.pace import TOLERANCE, is_referral, most_often
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Origin, Plan, Service, ServiceType
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import ROOT

#: Service frequencies as intakes write them, and the sessions a week each means.
FREQUENCIES = {
    "Weekly": 1.0,
    "weekly": 1.0,
    "Every other week": 0.5,
    "every 2 weeks": 0.5,
    "Every 3 weeks": 1 / 3,
    "Monthly": 12 / 52,
    "once a month": 12 / 52,
    "2x per month": 24 / 52,
    "Twice weekly": 2.0,
    "3 times a week": 3.0,
    "daily": 7.0,
}
_SESSIONS = re.compile(r"scheduled sessions \(([^)]*)\)")


@cache
def _plans() -> tuple[Plan, ...]:
    inputs = ROOT / "inputs"
    paths = sorted([*inputs.glob("*.xlsx"), *inputs.glob("*.csv")])
    return tuple(r.plan for _, rs in read_paths(paths, ReadOptions()) for r in rs if r.plan)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(min_value=0, max_value=10_000),
    frequencies=st.lists(st.sampled_from(sorted(FREQUENCIES)), min_size=1, max_size=2),
)
def test_no_bank_intervention_more_often_than_the_sessions(
    index: int, frequencies: list[str]
) -> None:
    plans = _plans()
    plan = plans[index % len(plans)]
    kinds = (ServiceType.INDIVIDUAL, ServiceType.GROUP)
    first = plan.services[0] if plan.services else Service(type=ServiceType.INDIVIDUAL)
    services = tuple(
        first.model_copy(update={"frequency": f, "type": kinds[n]})
        for n, f in enumerate(frequencies)
    )
    seen = sum(FREQUENCIES[f] for f in frequencies)  # sessions a week, every service
    plan = plan.model_copy(update={"services": services})
    # a clinician's treatment with no frequency, none written into its cell either ("CPT, 12
    # weekly sessions" is the clinician's own: MERGE037 moves it to the frequency)
    unset = {
        i.id
        for g in plan.goals
        for i in g.interventions
        if not i.frequency and most_often(i.modality) is None
    }
    bank = load_bank()
    merged, _ = merge(plan, bank)
    for goal in merged.goals:
        for tx in goal.interventions:
            from_bank = tx.origin is Origin.BANK or tx.id in unset
            if not from_bank or is_referral(tx.modality):
                continue
            rate = most_often(tx.frequency)
            assert rate is None or rate <= seen * TOLERANCE, (plan.client.id, frequencies, tx)
            row = bank.interventions.get(tx.bank_id or "")
            if tx.origin is Origin.BANK and row is not None:
                typical = most_often(row.frequency)
                if typical is None or typical <= seen:  # never more often: kept as written
                    assert tx.frequency == row.frequency, (frequencies, tx, row.frequency)
        for objective in goal.objectives:
            found = _SESSIONS.search(objective.text) if objective.origin is Origin.BANK else None
            rate = most_often(found.group(1)) if found else None
            assert rate is None or rate <= seen * TOLERANCE, (frequencies, objective.text)
