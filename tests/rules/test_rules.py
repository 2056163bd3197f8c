"""Every payer rule fires on a plan built to break it and stays silent on a good plan."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.findings import Severity
from pipeline.model import Formulation, Plan, Signer
from pipeline.profiles import PayerProfile, list_payers, load_agency, load_payer
from pipeline.rules import check, kinds
from pipeline.rules.fields import path_exists
from tests.support import TEST_DATA

DATA = TEST_DATA / "rules"


def plan(name: str) -> Plan:
    return Plan.model_validate_json((DATA / f"{name}.json").read_text(encoding="utf-8"))


def member_of(plan_: Plan, payer: PayerProfile) -> Plan:
    """The plan as a member of the payer (its first declared payer name and example id), so
    that a case breaks only the rule it is built for; a missing member id stays missing."""
    if not payer.identity:
        return plan_
    first = payer.identity[0]
    member_id = first.member_id.example if plan_.client.member_id else None
    client = plan_.client.model_copy(
        update={"payer_name": first.payer_names[0], "member_id": member_id}
    )
    return plan_.model_copy(update={"client": client})


def check_case(name: str, payer_id: str, **kwargs: object) -> list:
    payer = load_payer(payer_id)
    case = plan(name)
    if not name.startswith("TXR017"):
        case = member_of(case, payer)
    return check(case, payer, **kwargs)  # type: ignore[arg-type]


# file stem, payer, the finding expected (code, where), every error code allowed
CASES = [
    ("TXR001-not-a-code", "medicaid-isp", "diagnoses[1].code", ()),
    ("TXR001-category-not-billable", "managed-care-otr", "diagnoses[2].code", ()),
    ("TXR001-no-diagnoses", "medicare-poc", "diagnoses", ()),
    ("TXR001-provisional-primary", "medicaid-isp", "diagnoses[1].provisional", ()),
    ("TXR002-no-goals", "clinical", "goals", ("TXR011",)),
    ("TXR003-objective-no-target-date", "clinical", "goals[1].objectives[2].target_date", ()),
    ("TXR003-goal-without-objectives", "medicare-poc", "goals[1].objectives", ()),
    ("TXR003-objective-no-baseline", "medicaid-isp", "goals[1].objectives[1].baseline", ()),
    ("TXR003-objective-vague", "managed-care-otr", "goals[1].objectives[2].text", ()),
    ("TXR004-intervention-no-frequency", "medicare-poc", "goals[1].interventions[1].frequency", ()),
    (
        "TXR004-intervention-no-responsible",
        "medicaid-isp",
        "goals[1].interventions[1].responsible",
        (),
    ),
    ("TXR004-intervention-no-rationale", "clinical", "goals[1].interventions[1].rationale", ()),
    ("TXR005-no-services", "medicaid-isp", "services", ()),
    ("TXR005-service-no-session-length", "medicare-poc", "services[1].session_minutes", ()),
    ("TXR005-duration-one-year", "medicare-poc", "services[1].expected_duration", ()),
    ("TXR005-duration-unreadable", "medicaid-isp", "services[1].expected_duration", ()),
    ("TXR006-session-too-short", "medicaid-isp", "services[1].session_minutes", ()),
    ("TXR007-plan-late", "medicaid-isp", "plan_date", ()),
    ("TXR007-no-intake-date", "medicaid-isp", "intake_date", ()),
    ("TXR008-review-too-late", "clinical", "review.next_review_date", ()),
    ("TXR008-no-review-date", "bluepeak-pdf", "review.next_review_date", ()),
    ("TXR009-client-unsigned-with-reason", "medicaid-isp", "signatures.client.signed_date", ()),
    ("TXR009-client-unsigned", "bluepeak-pdf", "signatures.client.signed_date", ()),
    ("TXR009-minor-without-guardian", "medicaid-isp", "signatures.guardian", ()),
    ("TXR009-guardian-not-signed", "bluepeak-pdf", "signatures.guardian.signed_date", ()),
    ("TXR010-no-credentials", "clinical", "signatures.clinician.credentials", ()),
    ("TXR010-associate-without-supervisor", "medicaid-isp", "signatures.supervisor", ()),
    ("TXR010-not-recognized-by-medicare", "medicare-poc", "signatures.clinician.credentials", ()),
    ("TXR010-no-npi", "medicaid-isp", "signatures.clinician.npi", ()),
    ("TXR011-no-safety-plan", "clinical", "safety_plan", ()),
    ("TXR011-safety-plan-incomplete", "medicaid-isp", "safety_plan", ()),
    ("TXR011-safety-plan-skeleton", "bluepeak-pdf", "safety_plan", ()),
    ("TXR011-no-safety-goal", "medicare-poc", "goals", ()),
    ("TXR011-phq9-item9-no-safety-plan", "managed-care-otr", "safety_plan", ("TXR021",)),
    # no risk flagged, yet the safety plan kept holds skeleton text the document would print
    ("TXR011-no-risk-safety-plan-placeholder", "clinical", "safety_plan", ()),
    ("TXR012-formulation-missing-perpetuating", "clinical", "formulation.perpetuating", ()),
    ("TXR013-goal-words-copied", "clinical", "goals[1].client_words", ()),
    ("TXR014-no-scored-measures", "managed-care-otr", "measures", ()),
    ("TXR014-measure-without-total", "managed-care-otr", "measures[1].total", ()),
    ("TXR015-no-member-id", "medicare-poc", "client.member_id", ()),
    ("TXR015-no-functional-impact", "managed-care-otr", "presenting_problem.functional_impact", ()),
    # a payer that needs the prognosis blocks without it (never prints "not stated")
    ("TXR015-no-prognosis", "managed-care-otr", "assessment.prognosis", ()),
    ("TXR016-too-many-sessions", "managed-care-otr", "services[1]", ()),
    ("TXR016-frequency-unreadable", "managed-care-otr", "services[1]", ("TXR005",)),
    ("TXR020-goal-names-no-problem", "medicaid-isp", "goals[1].problem", ()),
    ("TXR021-risk-never-assessed", "bluepeak-pdf", "risk.level", ()),
    ("TXR018-clinician-not-signed", "medicare-poc", "signatures.clinician.signed_date", ()),
    ("TXR019-target-after-period", "managed-care-otr", "goals[2].objectives[1].target_date", ()),
    # a goal due after the plan of care's certification period (the lead's decision, session 8)
    ("TXR032-target-after-certification", "medicare-poc", "goals[2].objectives[1].target_date", ()),
    ("TXR022-baseline-undated", "medicaid-isp", "goals[1].objectives[1].baseline_date", ()),
    # couples therapy listed with an individual service (CPT 90837): no service bills it
    ("TXR023-couples-under-individual", "medicare-poc", "goals[1].interventions[2].modality", ()),
    ("TXR023-couples-billed-individual", "medicaid-isp", "services[1].cpt_code", ()),
    # weekly CBT, sessions every other week: the plan promises care no session delivers
    (
        "TXR024-intervention-more-often-than-sessions",
        "medicare-poc",
        "goals[1].interventions[1].frequency",
        (),
    ),
    ("TXR018-cosigner-not-signed", "medicaid-isp", "signatures.supervisor.signed_date", ()),
    ("TXR017-medicare-with-ohp-id", "medicare-poc", "client.payer_name", ()),
    ("TXR017-mbi-malformed", "medicare-poc", "client.member_id", ()),
    ("TXR017-medicaid-with-bluepeak-id", "medicaid-isp", "client.member_id", ()),
    ("TXR017-bluepeak-with-ohp-id", "bluepeak-pdf", "client.member_id", ()),
]

#: Cases that a payer's profile does not make an error (the rule is off or relaxed there).
SILENT = [
    ("TXR001-provisional-primary", "clinical"),
    ("TXR004-intervention-no-responsible", "medicare-poc"),
    ("TXR004-intervention-no-rationale", "medicaid-isp"),
    ("TXR005-duration-one-year", "medicaid-isp"),
    ("TXR007-plan-late", "clinical"),
    ("TXR008-review-too-late", "bluepeak-pdf"),
    ("TXR009-client-unsigned-with-reason", "clinical"),
    ("TXR009-client-unsigned-with-reason", "bluepeak-pdf"),
    ("TXR010-not-recognized-by-medicare", "medicaid-isp"),
    ("TXR010-no-npi", "clinical"),
    ("TXR012-formulation-missing-perpetuating", "medicaid-isp"),
    ("TXR013-goal-words-copied", "managed-care-otr"),
    ("TXR015-no-functional-impact", "medicare-poc"),
    ("TXR015-no-prognosis", "clinical"),
    ("TXR019-target-after-period", "medicaid-isp"),  # an ISP is no authorization request
    ("TXR032-target-after-certification", "clinical"),  # a clinical plan is certified by none
    ("TXR032-target-after-certification", "medicaid-isp"),  # an ISP certifies no period
    ("TXR022-baseline-undated", "clinical"),
]


@pytest.mark.parametrize("payer_id", list_payers())
def test_good_plan_passes_every_payer(payer_id: str) -> None:
    assert check_case("good", payer_id) == []


@pytest.mark.parametrize(("name", "payer_id", "where", "also"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_on_plan_built_to_break_it(
    name: str, payer_id: str, where: str, also: tuple[str, ...]
) -> None:
    code = name.split("-")[0]
    findings = check_case(name, payer_id)
    hits = [f for f in findings if f.code == code and f.where == where]
    assert hits, f"{code} did not fire at {where}: {[str(f) for f in findings]}"
    assert all(h.severity is Severity.ERROR for h in hits)
    assert str(hits[0]).startswith(f"{where}: error {code}: ")
    stray = {f.code for f in findings if f.severity is Severity.ERROR} - {code, *also}
    assert not stray, f"other rules fired too: {[str(f) for f in findings]}"


@pytest.mark.parametrize(("name", "payer_id"), SILENT, ids=[f"{n}@{p}" for n, p in SILENT])
def test_profiles_differ_where_a_rule_is_off_or_relaxed(name: str, payer_id: str) -> None:
    findings = check_case(name, payer_id)
    assert not [f for f in findings if f.severity is Severity.ERROR], [str(f) for f in findings]


def test_every_rule_kind_has_a_breaking_case() -> None:
    covered = {name.split("-")[0] for name, *_ in CASES}
    assert covered == {k.code for k in kinds().values()}


def test_codes_are_stable_and_unique() -> None:
    codes = [k.code for k in kinds().values()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"TXR\d{3}", c) for c in codes)


def test_every_finding_names_a_field_of_the_plan() -> None:
    for name, payer_id, *_ in CASES:
        for finding in check_case(name, payer_id):
            assert path_exists(re.sub(r"\[\d+\]", "", finding.where)), str(finding)
            assert finding.message.strip()


def test_severity_is_overridable_per_payer() -> None:
    broken = plan("TXR001-not-a-code")
    (clinical,) = check(broken, load_payer("clinical"))
    assert clinical.severity is Severity.WARNING
    assert {f.severity for f in check(broken, load_payer("medicaid-isp"))} == {Severity.ERROR}


def test_today_stands_in_only_for_a_missing_plan_date() -> None:
    medicaid = load_payer("medicaid-isp")
    undated = member_of(plan("good"), medicaid).model_copy(update={"plan_date": None})
    assert {f.where for f in check(undated, medicaid)} == {"plan_date"}
    assert check(undated, medicaid, today=dt.date(2026, 1, 20)) == []
    late = check(undated, medicaid, today=dt.date(2026, 3, 1))
    assert [f.code for f in late] == ["TXR007"]


def _signed_by(clinician: Signer, supervisor: Signer | None = None) -> Plan:
    """The good plan signed (and dated) by these signers."""
    day = dt.date(2026, 1, 20)
    clinician = clinician.model_copy(update={"signed_date": clinician.signed_date or day})
    if supervisor is not None:
        supervisor = supervisor.model_copy(update={"signed_date": supervisor.signed_date or day})
    good = plan("good")
    signatures = good.signatures.model_copy(
        update={"clinician": clinician, "supervisor": supervisor}
    )
    return good.model_copy(update={"signatures": signatures})


def test_agency_clinician_list_supplies_credentials() -> None:
    riverside = load_agency("riverside")
    clinical = load_payer("clinical")
    unnamed = _signed_by(Signer(name="Jordan  Ellis"))
    without = check(unnamed, clinical)
    assert [f.where for f in without] == ["signatures.clinician.credentials"]
    with_agency = check(unnamed, clinical, agency=riverside)
    assert [f.where for f in with_agency] == ["signatures.supervisor"]
    assert "LPC-Associate" in with_agency[0].message
    cosigned = _signed_by(Signer(name="Jordan Ellis"), Signer(name="Samuel Reyes"))
    assert check(cosigned, clinical, agency=riverside) == []


def test_associate_cosigner_must_be_fully_licensed() -> None:
    plan_ = _signed_by(
        Signer(name="Tessa Lindqvist", credentials="LMSW"),
        Signer(name="Jordan Ellis", credentials="LPC-Associate"),
    )
    (finding,) = check(plan_, load_payer("clinical"))
    assert finding.where == "signatures.supervisor.credentials"


def test_medicare_checks_the_cosigner_of_an_associate() -> None:
    medicare = load_payer("medicare-poc")
    northstar = load_agency("northstar")
    cosigned = _signed_by(Signer(name="Tessa Lindqvist"), Signer(name="Rosa Delgado"))
    cosigned = member_of(cosigned, medicare)
    assert check(cosigned, medicare, agency=northstar) == []
    by_counselor = _signed_by(
        Signer(name="A. Counselor", credentials="CADC-Associate", npi="1143044323"),
        Signer(name="B. Counselor", credentials="CADC", npi="1374184046"),
    )
    by_counselor = member_of(by_counselor, medicare)
    (finding,) = check(by_counselor, medicare)
    assert finding.where == "signatures.supervisor.credentials"
    assert "not a credential this payer recognizes" in finding.message


def test_a_missing_formulation_is_one_finding_not_five() -> None:
    bare = plan("good").model_copy(update={"formulation": Formulation()})
    (finding,) = check(bare, load_payer("clinical"))
    assert (finding.code, finding.where) == ("TXR012", "formulation")
    assert "perpetuating" in finding.message


def _guardian_signed(born: str, **guardian: object) -> Plan:
    """The good plan for a client born then, unsigned by the client, signed by a guardian."""
    good = plan("good")
    client = good.client.model_copy(update={"date_of_birth": dt.date.fromisoformat(born)})
    signatures = good.signatures.model_copy(
        update={
            "client": Signer(name="Alex Rivera"),
            "client_unsigned_reason": "Minor; guardian (mother) signed; client assent documented",
            "guardian": Signer.model_validate(guardian) if guardian else None,
        }
    )
    return good.model_copy(update={"client": client, "signatures": signatures})


def test_a_minor_signed_by_her_mother_is_accepted_for_medicaid() -> None:
    medicaid = load_payer("medicaid-isp")
    signed = _guardian_signed(
        "2008-09-01", name="Rosa Rivera", relationship="mother", signed_date="2026-01-20"
    )
    assert check(member_of(signed, medicaid), medicaid) == []
    (finding,) = check(member_of(_guardian_signed("2008-09-01"), medicaid), medicaid)
    assert finding.where == "signatures.guardian"
    assert "a minor (17 at the plan date)" in finding.message


def test_an_adult_with_a_guardian_needs_the_guardians_signature() -> None:
    medicaid = load_payer("medicaid-isp")  # a documented reason does not stand in here
    unsigned = _guardian_signed("1990-04-12", name="Tom Rivera", relationship="legal guardian")
    (finding,) = check(member_of(unsigned, medicaid), medicaid)
    assert finding.where == "signatures.guardian.signed_date"
    assert "Tom Rivera (legal guardian) must sign" in finding.message


def test_a_payer_that_refuses_guardians_needs_the_clients_own_signature() -> None:
    medicaid = load_payer("medicaid-isp").model_copy(update={"guardian_signs": False})
    signed = _guardian_signed(
        "2008-09-01", name="Rosa Rivera", relationship="mother", signed_date="2026-01-20"
    )
    (finding,) = check(member_of(signed, medicaid), medicaid)
    assert finding.where == "signatures.client.signed_date"
    assert "which this payer does not accept" in finding.message


@pytest.mark.parametrize(
    "credentials", ["LPC-Associate", "LMSW", "LMFT-Associate", "LPCC-Intern", "LPC (Provisional)"]
)
def test_supervised_credentials_need_a_cosigner(credentials: str) -> None:
    alone = _signed_by(Signer(name="Jo Park", credentials=credentials, npi="1344010743"))
    findings = check(alone, load_payer("clinical"))
    assert [f.where for f in findings] == ["signatures.supervisor"]
    relaxed = load_payer("clinical").model_copy(update={"cosign_supervised": False})
    assert check(alone, relaxed) == []


def test_a_payers_rules_are_compiled_once_and_never_shared() -> None:
    """check() looks a profile's rules up once (kept with the profile itself); another
    profile, even one made from it with other rules, runs its own."""
    payer = load_payer("clinical")
    case = plan("TXR003-objective-vague")
    first = check(case, payer)
    assert check(case, payer) == first and first
    quiet = payer.model_copy(update={"rules": ()})
    assert {f.code for f in check(case, quiet)} < {f.code for f in first}
    assert check(case, payer) == first
