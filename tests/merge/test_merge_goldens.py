"""Merge goldens: the sample intakes in inputs/ -> the goals, safety plan and review merge writes.

Only what merge adds is compared (the readers have their own goldens). Regenerate on purpose
with TXPLAN_ACCEPT=1 and read the diff before committing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.readers import read
from tests.support import DATA, ROOT, assert_golden

GOLDEN = DATA / "merge"
SAMPLES = ("counseltrack_wide.xlsx", "mindledger_long.csv", "practiceflow_workbook.xlsx")


def _merged_part(plan) -> dict:
    data = plan.model_dump(mode="json")
    keep = ("plan_date", "goals", "safety_plan", "review")
    return {"client": data["client"]["id"], **{k: data[k] for k in keep}}


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_merges_as_golden(sample: str) -> None:
    path = ROOT / "inputs" / sample
    if not path.exists():
        pytest.skip(f"{sample} not in inputs/")
    bank = load_bank()
    lines = []
    for result in read(path):
        if result.plan is None:
            continue
        merged, findings = merge(result.plan, bank)
        assert not [f for f in findings if f.severity == "error"], findings
        lines.append(json.dumps(_merged_part(merged), ensure_ascii=False, sort_keys=True))
    assert lines, f"no plans read from {sample}"
    assert_golden(GOLDEN / f"{Path(sample).stem}.golden.jsonl", "\n".join(lines) + "\n")
