"""`--payer all` chooses each client's own payers (by payer name, else member id) + clinical."""

from __future__ import annotations

import pytest

from pipeline.batch.decision import PayerChoice, choose_payers, decide_all
from pipeline.findings import Severity
from pipeline.model import Plan
from pipeline.profiles import list_payers
from pipeline.rules.coverage import NO_COVERAGE, UNKNOWN_PAYER, covering

PAYERS = choose_payers(["all"]).payers


def _plan(payer_name: str | None, member_id: str | None) -> Plan:
    return Plan.model_validate(
        {
            "client": {
                "id": "C-1",
                "first_name": "Ada",
                "last_name": "Byrne",
                "payer_name": payer_name,
                "member_id": member_id,
            }
        }
    )


def _chosen(payer_name: str | None, member_id: str | None) -> tuple[list[str], list]:
    coverage = covering(_plan(payer_name, member_id), PAYERS)
    return [PAYERS[i].id for i in coverage.payers], list(coverage.findings)


@pytest.mark.parametrize(
    ("payer_name", "member_id", "expected"),
    [
        ("Oregon Health Plan", "OHP4471920", "medicaid-isp"),
        ("Medicaid (Northstar County)", "MCD220014587", "medicaid-isp"),
        ("Medicare", "1EG4-TE5-MK72", "medicare-poc"),
        ("BluePeak Health", "BPH-5521-0098", "bluepeak-pdf"),
        ("Aetna Student Health", "W229104877", "managed-care-otr"),
        ("tricare  west", "TW0091827734", "managed-care-otr"),  # names compared loosely
        # the name decides: a Medicare member with a mistyped id still gets the plan of
        # care, where payer identity (TXR017) names the bad id
        ("Medicare", "MCD220014587", "medicare-poc"),
        # no name: the member id's format decides
        (None, "1EG4-TE5-MK72", "medicare-poc"),
        (None, "BPH-5521-0098", "bluepeak-pdf"),
    ],
)
def test_a_member_gets_their_payer_and_the_clinical_plan(payer_name, member_id, expected):
    chosen, findings = _chosen(payer_name, member_id)
    assert chosen == sorted(["clinical", expected], key=[p.id for p in PAYERS].index)
    assert findings == []


@pytest.mark.parametrize(
    ("payer_name", "member_id", "code", "names"),
    [
        (None, None, NO_COVERAGE, "client.payer_name and client.member_id are empty"),
        ("", "  ", NO_COVERAGE, "client.payer_name and client.member_id are empty"),
        (None, "ZZ-12", NO_COVERAGE, '"ZZ-12" has no payer profile\'s format'),
        ("Humana Gold", "H12345678", UNKNOWN_PAYER, 'payer "Humana Gold"'),
    ],
)
def test_no_coverage_gets_the_clinical_plan_and_a_finding_naming_the_field(
    payer_name, member_id, code, names
):
    chosen, findings = _chosen(payer_name, member_id)
    assert chosen == ["clinical"]
    assert [f.code for f in findings] == [code]
    assert findings[0].severity is Severity.WARNING
    assert names in findings[0].message
    assert "Clinical Treatment Plan is built" in findings[0].message


def test_every_payer_is_listed_and_an_explicit_choice_is_for_everyone():
    assert [p.id for p in PAYERS] == list_payers()
    assert choose_payers(["all"]).by_coverage
    explicit = choose_payers(["medicare-poc", "medicaid-isp", "medicare-poc"])
    assert [p.id for p in explicit.payers] == ["medicare-poc", "medicaid-isp"]
    plan = _plan("Oregon Health Plan", "OHP4471920")
    assert explicit.for_plan(plan) == ((0, 1), ())
    # the explicit payer is decided for a non-member too, and payer identity blocks it
    _, decisions = decide_all(plan, explicit)
    medicare = decisions[0]
    assert medicare.payer == "medicare-poc" and medicare.blocked
    assert "TXR017" in {f.code for f in medicare.findings}


def test_decide_all_with_the_choice_decides_only_the_chosen_payers_with_its_finding():
    _, decisions = decide_all(_plan(None, None), choose_payers(["all"]))
    assert [d.payer for d in decisions] == ["clinical"]
    assert decisions[0].findings[0].code == NO_COVERAGE
    _, decisions = decide_all(_plan("Medicare", "1EG4-TE5-MK72"), choose_payers(["all"]))
    assert [d.payer for d in decisions] == ["clinical", "medicare-poc"]
    # a plain list of payers is still every payer for the plan
    _, decisions = decide_all(_plan(None, None), list(PAYERS))
    assert len(decisions) == len(PAYERS)
    assert PayerChoice(PAYERS).for_plan(_plan(None, None))[0] == tuple(range(len(PAYERS)))
