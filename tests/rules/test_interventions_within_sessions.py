"""TXR024: a clinician's intervention more often than the plan's sessions see the client is an
error for every payer (the plan promises care no session delivers); a referral, a pace tied
to the sessions ("every session") and a plan whose services add up to enough are not."""

from __future__ import annotations

from pipeline.findings import Severity
from pipeline.model import Plan, ServiceType
from pipeline.profiles import list_payers, load_payer
from pipeline.rules import check
from tests.rules.test_rules import member_of, plan


def _with(services: tuple[str, ...], frequency: str, modality: str = "CBT") -> Plan:
    good = plan("good")
    kinds = (ServiceType.INDIVIDUAL, ServiceType.GROUP)
    made = tuple(
        good.services[0].model_copy(
            update={"frequency": f, "type": kinds[n], "cpt_code": ("90837", "90853")[n]}
        )
        for n, f in enumerate(services)
    )
    goal = good.goals[0]
    tx = goal.interventions[0].model_copy(update={"frequency": frequency, "modality": modality})
    goals = (goal.model_copy(update={"interventions": (tx, *goal.interventions[1:])}),)
    return good.model_copy(update={"services": made, "goals": goals + good.goals[1:]})


def _txr024(case: Plan, payer: str = "medicaid-isp") -> list[str]:
    profile = load_payer(payer)
    return [f.message for f in check(member_of(case, profile), profile) if f.code == "TXR024"]


def test_every_payer_blocks_weekly_cbt_beside_sessions_every_other_week() -> None:
    case = _with(("Every other week",), "weekly, 12 sessions")
    for payer in list_payers():
        profile = load_payer(payer)
        found = [f for f in check(member_of(case, profile), profile) if f.code == "TXR024"]
        assert [f.where for f in found] == ["goals[1].interventions[1].frequency"], payer
        assert found[0].severity is Severity.ERROR
        assert "'weekly, 12 sessions'" in found[0].message
        assert "(every other week)" in found[0].message


def test_as_often_or_less_often_passes() -> None:
    assert _txr024(_with(("Every other week",), "every 2 weeks")) == []
    assert _txr024(_with(("Weekly",), "weekly, 12 sessions")) == []
    assert _txr024(_with(("Monthly",), "every 4 weeks")) == []  # the same pace
    assert _txr024(_with(("Every other week",), "every session")) == []
    assert _txr024(_with(("Every other week",), "once, then as needed")) == []


def test_the_services_add_up() -> None:
    assert _txr024(_with(("weekly", "weekly"), "twice weekly")) == []
    [message] = _txr024(_with(("weekly", "every other week"), "3 times a week"))
    assert "1.5 sessions a week in all" in message


def test_a_referral_is_seen_elsewhere() -> None:
    assert _txr024(_with(("Every other week",), "twice weekly", "Referral to IOP")) == []


def test_no_pace_no_judgement() -> None:
    assert _txr024(_with(("as needed",), "weekly")) == []
