"""The sample plans the FHIR tests write and read: every intake sample, merged with the bank."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Plan
from pipeline.readers import read
from tests.support import ROOT

SAMPLES = (
    "counseltrack_wide.xlsx",
    "mindledger_long.csv",
    "practiceflow_workbook.xlsx",
    "intake-form-fillable.pdf",
    "intake-questionnaire.docx",
)


@cache
def sample_plans() -> tuple[Plan, ...]:
    bank = load_bank()
    plans = []
    for name in SAMPLES:
        for result in read(Path(ROOT / "inputs" / name)):
            if result.plan is not None:
                plans.append(merge(result.plan, bank)[0])
    return tuple(plans)


def clinical_content(plan: Plan) -> dict:
    """What a FHIR round trip must keep: client (with the member id, payer and group number
    of its Coverage), risk, diagnoses, measures, goals with their objectives and
    interventions, services, safety plan, signatures, plan date."""
    data = plan.model_dump(mode="json")
    keep = ("client", "risk", "diagnoses", "measures", "goals", "services", "safety_plan",
            "signatures", "plan_date")  # fmt: skip
    out = {k: data[k] for k in keep}
    sex = out["client"]["sex_assigned_at_birth"]
    out["client"]["sex_assigned_at_birth"] = sex.casefold() if sex else None
    return out
