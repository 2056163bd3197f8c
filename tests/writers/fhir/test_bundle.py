"""Plan -> FHIR R4 Bundle: valid (fhir.resources R4B), US Core elements present, deterministic."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from pipeline.profiles import load_agency, load_payer
from pipeline.writers.fhir.bundle import render_fhir, to_bundle
from tests.fhir_samples import sample_plans

AGENCY = load_agency("riverside")
PAYER = load_payer("medicaid-isp")

#: US Core must-support elements txplan fills for each resource it writes (README table).
MUST_SUPPORT = {
    "Patient": ("identifier", "name", "gender"),
    "Condition": ("clinicalStatus", "verificationStatus", "category", "code", "subject"),
    "Observation": ("status", "category", "code", "subject"),
    "Goal": ("lifecycleStatus", "description", "subject"),
    "CarePlan": ("text", "status", "intent", "category", "subject"),
    "Provenance": ("target", "recorded", "agent"),
    "Organization": ("identifier", "active", "name", "telecom", "address"),
}


def _resources(bundle: dict) -> list[dict]:
    return [entry["resource"] for entry in bundle["entry"]]


@pytest.mark.parametrize("plan", sample_plans(), ids=lambda p: p.client.id)
def test_every_sample_plan_is_a_valid_r4_bundle_with_us_core_elements(plan) -> None:
    bundle = to_bundle(plan, PAYER, AGENCY)
    Bundle.model_validate(bundle)
    kinds = [r["resourceType"] for r in _resources(bundle)]
    assert kinds.count("Patient") == 1
    assert kinds.count("Condition") == len(plan.diagnoses)
    assert kinds.count("Observation") == len(plan.measures)
    objectives = sum(len(g.objectives) for g in plan.goals)
    assert kinds.count("Goal") == len(plan.goals) + objectives
    for resource in _resources(bundle):
        for element in MUST_SUPPORT.get(resource["resourceType"], ()):
            assert element in resource, f"{resource['resourceType']} lacks {element}"
    ids = [r["id"] for r in _resources(bundle)]
    assert len(ids) == len(set(ids)), "two resources share an id"


def test_the_same_plan_gives_the_same_bytes() -> None:
    plan = sample_plans()[0]
    assert render_fhir(plan, PAYER, AGENCY) == render_fhir(plan, PAYER, AGENCY)


def test_codes_systems_and_links() -> None:
    plan = next(p for p in sample_plans() if any(m.instrument == "PHQ-9" for m in p.measures))
    resources = _resources(to_bundle(plan, PAYER, AGENCY))
    phq = next(r for r in resources if r["resourceType"] == "Observation"
               and r["code"].get("coding", [{}])[0].get("code") == "44261-6")  # fmt: skip
    assert phq["category"][0]["coding"][0]["code"] == "survey"
    assert (
        len(phq["component"]) == 9 and phq["component"][8]["code"]["coding"][0]["code"] == "44260-8"
    )
    condition = next(r for r in resources if r["resourceType"] == "Condition")
    assert condition["code"]["coding"][0]["system"] == "http://hl7.org/fhir/sid/icd-10-cm"
    goal = next(r for r in resources if r["resourceType"] == "Goal" and "expressedBy" in r)
    assert goal["expressedBy"]["reference"].startswith("urn:uuid:")
    careplan = next(r for r in resources if r["resourceType"] == "CarePlan")
    assert careplan["intent"] == "plan" and careplan["status"] == "active"
    assert {g["reference"] for g in careplan["goal"]} <= {f"urn:uuid:{r['id']}" for r in resources}


def test_a_draft_plan_is_a_draft_careplan_and_versions_chain() -> None:
    plan = sample_plans()[0]
    bundle = to_bundle(plan, PAYER, AGENCY, status="draft", version=2, replaces=1)
    careplan = next(r for r in _resources(bundle) if r["resourceType"] == "CarePlan")
    assert careplan["status"] == "draft"
    first = to_bundle(plan, PAYER, AGENCY, version=1)
    old = next(r for r in _resources(first) if r["resourceType"] == "CarePlan")
    assert careplan["replaces"] == [{"reference": f"CarePlan/{old['id']}"}]
    assert careplan["id"] != old["id"]


def test_bytes_are_canonical_json() -> None:
    data = render_fhir(sample_plans()[0], PAYER, AGENCY)
    assert data.endswith(b"\n")
    assert json.loads(data)["resourceType"] == "Bundle"


def test_a_goal_the_bank_added_is_not_expressed_by_the_client() -> None:
    """CT-1004's "I want us to be able to talk without it turning into a fight." is the goal
    bank's wording: the bundle said the client expressed it. The clinician chose it; the
    client's own goal stays expressed by the client."""
    plan = next(p for p in sample_plans() if p.client.id == "CT-1004")
    resources = _resources(to_bundle(plan, PAYER, AGENCY))
    patient = next(f"urn:uuid:{r['id']}" for r in resources if r["resourceType"] == "Patient")
    author = next(r for r in resources if r["resourceType"] == "CarePlan")["author"]
    by_words = {
        r["description"]["text"]: r.get("expressedBy")
        for r in resources
        if r["resourceType"] == "Goal" and "lifecycleStatus" in r and "target" not in r
    }
    origins = {g.client_words: g.origin.value for g in plan.goals}
    assert set(origins.values()) == {"clinician", "bank"}
    for words, origin in origins.items():
        expected = {"reference": patient} if origin == "clinician" else author
        assert by_words[words] == expected, (words, origin)
