"""Every intake sample gives the plans and findings of its golden (TXPLAN_ACCEPT=1 rewrites)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.readers import ReadOptions, read
from pipeline.readers.mapping.profile import load_profile
from tests.support import ROOT, assert_golden

DATA = Path("tests/data/intake")
PROFILE = Path("inputs/profiles/carepoint.yaml")

SAMPLES = [
    (Path("inputs/counseltrack_wide.xlsx"), None),
    (Path("inputs/mindledger_long.csv"), None),
    (Path("inputs/practiceflow_workbook.xlsx"), None),
    (DATA / "carepoint_roster.xlsx", PROFILE),
    (DATA / "bad_rows.csv", None),
    (DATA / "win1252_semicolon.csv", None),
    (DATA / "formula_cells.xlsx", None),
]


def snapshot(path: Path, profile: Path | None) -> dict:
    options = ReadOptions(profile=load_profile(profile) if profile else None)
    plans, findings = [], []
    for result in read(path, options):
        findings.extend(str(f) for f in result.findings)
        if result.plan is not None:
            plans.append(result.plan.model_dump(mode="json"))
    return {"findings": findings, "plans": plans}


@pytest.mark.parametrize(("sample", "profile"), SAMPLES, ids=[s.name for s, _ in SAMPLES])
def test_sample_matches_golden(sample: Path, profile: Path | None, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    got = snapshot(sample, profile)
    text = json.dumps(got, ensure_ascii=False, indent=1) + "\n"
    assert_golden(DATA / f"{sample.name}.golden.json", text)


def test_samples_are_generated_deterministically(tmp_path: Path) -> None:
    import importlib.util

    script = ROOT / "scripts" / "make_intake_samples.py"
    spec = importlib.util.spec_from_file_location("make_intake_samples", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_counseltrack(tmp_path / "a.xlsx")
    module.make_mindledger(tmp_path / "b.csv")
    module.make_practiceflow(tmp_path / "c.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (
        ROOT / "inputs/counseltrack_wide.xlsx"
    ).read_bytes()
    assert (tmp_path / "b.csv").read_bytes() == (ROOT / "inputs/mindledger_long.csv").read_bytes()
    assert (tmp_path / "c.xlsx").read_bytes() == (
        ROOT / "inputs/practiceflow_workbook.xlsx"
    ).read_bytes()
