"""The merge plans a couples, family or group treatment from the bank only for a plan with a
service of that format: PracticeFlow's 30020 (an individual 90837 service, conflict with a
partner) was given "Couples therapy" beside communication skills training, which its plan
of care then listed under individual psychotherapy."""

from __future__ import annotations

import pytest

from pipeline.clinical.formats import modality_format
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Plan, ServiceType
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import ROOT


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def plan_30020() -> Plan:
    path = ROOT / "inputs" / "practiceflow_workbook.xlsx"
    plans = [r.plan for _, rs in read_paths([path], ReadOptions()) for r in rs if r.plan]
    return next(p for p in plans if p.client.id == "30020")


def _bank_modalities(plan: Plan) -> list[str]:
    return [iv.modality for g in plan.goals for iv in g.interventions if iv.bank_id]


def test_an_individual_service_gets_no_conjoint_bank_treatment(plan_30020, bank) -> None:
    assert [s.type for s in plan_30020.services] == [ServiceType.INDIVIDUAL]
    merged, _ = merge(plan_30020, bank)
    modalities = _bank_modalities(merged)
    assert "Communication skills training" in modalities  # the problem is still treated
    assert not [m for m in modalities if modality_format(m)], modalities


def test_a_couples_service_gets_couples_therapy(plan_30020, bank) -> None:
    service = plan_30020.services[0].model_copy(
        update={"type": ServiceType.COUPLES, "cpt_code": "90847"}
    )
    merged, _ = merge(plan_30020.model_copy(update={"services": (service,)}), bank)
    assert "Couples therapy" in _bank_modalities(merged)


def test_a_plan_without_services_is_not_restricted(plan_30020, bank) -> None:
    merged, _ = merge(plan_30020.model_copy(update={"services": ()}), bank)
    assert "Couples therapy" in _bank_modalities(merged)
