"""The client's insurance in the FHIR bundle: an R4 Coverage with member id, payer and group.

The bundle carried the member id on the Patient only; the group number (CT-1002's
"CM-40021") was lost, so a FHIR export could not be billed from and did not round-trip.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.clinical import fhir as f
from pipeline.model import Client
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.writers.fhir.bundle import render_fhir, to_bundle
from tests.fhir_samples import sample_plans

AGENCY = load_agency("riverside")
PAYER = load_payer("managed-care-otr")


def _plan(client_id: str):
    return next(p for p in sample_plans() if p.client.id == client_id)


def _coverages(bundle: dict) -> list[dict]:
    resources = [e["resource"] for e in bundle["entry"]]
    return [r for r in resources if r["resourceType"] == "Coverage"]


def test_group_number_is_a_coverage_class_of_type_group() -> None:
    plan = _plan("CT-1002")
    bundle = to_bundle(plan, PAYER, AGENCY)
    (cov,) = _coverages(bundle)
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert cov["status"] == "active"
    assert cov["beneficiary"] == {"reference": patient["fullUrl"]}
    assert cov["subscriberId"] == "CMP-88213-01"
    assert cov["payor"] == [{"display": "Cascade Mutual PPO"}]
    (group,) = cov["class"]
    assert group["type"]["coding"] == [{"system": f.COVERAGE_CLASS, "code": "group"}]
    assert group["value"] == "CM-40021"


def test_no_group_number_no_class_and_no_insurance_no_coverage() -> None:
    plan = _plan("CT-1001")  # Oregon Health Plan: a member id, no group
    (cov,) = _coverages(to_bundle(plan, PAYER, AGENCY))
    assert "class" not in cov and cov["subscriberId"] == "OHP4471920"
    bare = plan.model_copy(
        update={"client": Client(id=plan.client.id, first_name=plan.client.first_name)}
    )
    assert _coverages(to_bundle(bare, PAYER, AGENCY)) == []


def test_a_group_without_a_payer_name_is_still_valid_r4() -> None:
    plan = _plan("CT-1002")
    client = plan.client.model_copy(update={"payer_name": None, "member_id": None})
    (cov,) = _coverages(to_bundle(plan.model_copy(update={"client": client}), PAYER, AGENCY))
    assert cov["payor"][0]["extension"][0]["url"] == f.DATA_ABSENT
    assert cov["class"][0]["value"] == "CM-40021"


def test_group_number_round_trips(tmp_path: Path) -> None:
    for plan in sample_plans():
        path = tmp_path / f"{plan.client.id}.json"
        path.write_bytes(render_fhir(plan, PAYER, AGENCY))
        (result,) = list(read(path))
        assert result.plan is not None
        got = result.plan.client
        assert (got.payer_name, got.member_id, got.group_number) == (
            plan.client.payer_name,
            plan.client.member_id,
            plan.client.group_number,
        ), plan.client.id
        assert json.loads(path.read_bytes())["type"] == "collection"
