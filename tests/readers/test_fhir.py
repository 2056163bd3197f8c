"""FHIR intake: bundles and Bulk Data exports shaped like what EHRs emit, and the round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import ReadOptions, read
from pipeline.writers.fhir.bundle import render_fhir
from tests.fhir_samples import clinical_content, sample_plans
from tests.support import DATA

FHIR = DATA / "fhir"


def _results(path: Path, explain: bool = False) -> list:
    return list(read(path, ReadOptions(explain=explain)))


def _codes(results: list) -> list[str]:
    return [f.code for r in results for f in r.findings]


@pytest.mark.parametrize("plan", sample_plans(), ids=lambda p: p.client.id)
def test_plan_to_fhir_and_back_keeps_the_clinical_content(plan, tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_bytes(render_fhir(plan, load_payer("medicaid-isp"), load_agency("riverside")))
    (result,) = _results(path)
    assert result.plan is not None, [str(f) for f in result.findings]
    assert clinical_content(result.plan) == clinical_content(plan)


def test_synthea_style_bundle() -> None:
    results = _results(FHIR / "synthea_bundle.json", explain=True)
    plans = [r.plan for r in results if r.plan]
    (plan,) = plans
    assert plan.client.last_name == "Marsh214" and plan.client.sex_assigned_at_birth == "female"
    assert [d.code for d in plan.diagnoses] == ["F32.1"]  # resolved sinusitis left out
    assert [(m.instrument, str(m.date), m.total) for m in plan.measures] == [
        ("PHQ-9", "2026-01-20", 14),
        ("PHQ-9", "2026-03-02", 9),
    ]
    explain = next(str(f) for r in results for f in r.findings if f.code == "FHIR020")
    assert "Claim ×1" in explain and "Encounter ×1" in explain and "us-core-race ×1" in explain
    assert "FHIR010" in _codes(results)  # "Stress (finding)" is SNOMED CT only


def test_bulk_data_folder_joins_its_ndjson_files() -> None:
    results = _results(FHIR / "bulk")
    plans = {r.plan.client.id: r.plan for r in results if r.plan}
    assert set(plans) == {"MRN-55102", "MRN-55131"}
    first = plans["MRN-55102"]
    phq = next(m for m in first.measures if m.instrument == "PHQ-9")
    assert phq.items == (1, 2, 1, 2, 1, 1, 2, 0, 1) and phq.total == 11
    assert first.risk.suicidal_ideation and first.risk.safety_plan_required  # item 9 kept
    assert first.client.member_id == "OHP4471920"
    second = plans["MRN-55131"]
    gad = next(m for m in second.measures if m.instrument == "GAD-7")
    assert gad.items == (3, 2, 3, 2, 1, 2, 2) and str(gad.date) == "2026-02-12"
    assert second.diagnoses[0].provisional and second.client.gender_identity == "Woman"
    assert _codes(results).count("FHIR010") == 2  # SNOMED CT insomnia, ICD-9 300.02


def test_one_ndjson_file_and_bad_lines(tmp_path: Path) -> None:
    (plan,) = [r.plan for r in _results(FHIR / "bulk" / "Patient.ndjson") if r.plan][:1]
    assert plan.client.id == "MRN-55102"
    broken = tmp_path / "Patient.ndjson"
    broken.write_text((FHIR / "bulk" / "Patient.ndjson").read_text() + "{not json\n")
    with pytest.raises(InputError, match="line 3"):
        _results(broken)


def test_ehr_goal_and_careplan_become_goal_objective_and_intervention() -> None:
    (plan,) = [r.plan for r in _results(FHIR / "ehr_searchset.json") if r.plan]
    assert plan.client.id == "00311" and plan.client.preferred_name == "Marc"
    (goal,) = plan.goals
    assert goal.client_words.startswith("I want to cut back")
    assert goal.diagnosis_codes == ("F10.10",)
    (objective,) = goal.objectives
    assert (objective.measure, objective.target, str(objective.target_date)) == (
        "AUDIT-C",
        "<4",
        "2026-05-20",
    )
    assert [i.modality for i in goal.interventions] == [
        "Motivational interviewing",
        "Peer support group",
    ]
    assert plan.plan_date.isoformat() == "2026-02-20"


def _bundle(tmp_path: Path, *resources: dict) -> Path:
    path = tmp_path / "b.json"
    entries = [{"resource": r} for r in resources]
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    return path


PATIENT = {"resourceType": "Patient", "id": "p1", "identifier": [{"value": "C-9"}]}


def test_a_bad_icd10_code_rejects_the_plan_with_its_place(tmp_path: Path) -> None:
    condition = {
        "resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F99.99"}]},
    }  # fmt: skip
    (result,) = _results(_bundle(tmp_path, PATIENT, condition))
    assert result.plan is None
    (finding,) = result.findings
    assert finding.code == "FHIR011" and "Condition/c1" in finding.where


def test_no_patient_and_unlinked_activities(tmp_path: Path) -> None:
    assert _codes(_results(_bundle(tmp_path, {"resourceType": "Encounter"}))) == ["FHIR001"]
    goals = [
        {"resourceType": "Goal", "id": f"g{n}", "subject": {"reference": "Patient/p1"},
         "lifecycleStatus": "active", "description": {"text": f"goal {n}"}}
        for n in (1, 2)
    ]  # fmt: skip
    plan = {
        "resourceType": "CarePlan", "id": "cp", "status": "active", "intent": "plan",
        "subject": {"reference": "Patient/p1"},
        "activity": [{"detail": {"status": "scheduled", "code": {"text": "Yoga"}}}],
    }  # fmt: skip
    (result,) = _results(_bundle(tmp_path, PATIENT, *goals, plan))
    assert result.plan is not None and "FHIR021" in _codes([result])


def test_txplan_parse_reads_a_bundle(tmp_path: Path) -> None:
    out = tmp_path / "plans.jsonl"
    result = CliRunner().invoke(main, ["parse", str(FHIR / "ehr_searchset.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["client"]["id"] == "00311"
