"""A service lists each treatment once by one name: CT-1001's ISP listed "CBT" (the clinician's)
and "Cognitive behavioral therapy" (the goal bank's work goal) as two modalities of one
service."""

from __future__ import annotations

from pipeline.clinical.abbreviations import treatment_key
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.readers import read
from pipeline.writers.sections import service_modalities
from tests.support import ROOT


def test_ct_1001s_service_lists_cbt_once() -> None:
    plan = next(r.plan for r in read(ROOT / "inputs" / "counseltrack_wide.xlsx")
                if r.plan is not None and r.plan.client.id == "CT-1001")  # fmt: skip
    merged, _ = merge(plan, load_bank())
    names = {i.modality for g in merged.goals for i in g.interventions}
    assert {"CBT", "Cognitive behavioral therapy"} <= names
    [line] = service_modalities(merged)
    assert "CBT" in line and "Cognitive behavioral therapy" not in line
    assert "CBT for insomnia" not in names or "CBT for insomnia" in line


def test_one_key_a_treatment() -> None:
    assert treatment_key("CBT") == treatment_key("Cognitive behavioral therapy")
    assert treatment_key("cognitive-behavioral therapy") == treatment_key("CBT")
    assert treatment_key("DBT") == treatment_key("Dialectical behavior therapy")
    assert treatment_key("CBT for insomnia") != treatment_key("CBT")
    assert treatment_key("CBT-I") != treatment_key("CBT")
    assert treatment_key("Exposure therapy") != treatment_key("Prolonged exposure")
