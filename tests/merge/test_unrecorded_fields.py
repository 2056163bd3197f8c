"""A goal field the source system cannot record is said once for the file (IN045), not as a
warning on every plan; where the system has the field and it is blank, each plan still warns
(MERGE022 / MERGE033), and the filled values are the same either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.findings import Severity
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths, said_once
from tests.support import ROOT, write_csv

HEADER = ["Client ID", "Intake Date", "Dx Code", "Goal 1", "Goal 1 Objective 1"]
ROWS = [
    ["C-1", "2026-01-05", "F32.1", "I want to enjoy things again", "Go for a walk 3 days a week"],
    ["C-2", "2026-01-06", "F41.1", "I want to stop worrying", "Worry log on 5 of 7 days"],
    ["C-3", "2026-01-07", "F32.1", "Get out of bed on time", "Up by 8 on 5 of 7 days"],
]


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _read(path: Path):
    """Read as the verbs that merge read (plan, build, watch, check)."""
    options = ReadOptions()
    results = [r for name, rs in read_paths([path], options) for r in said_once(name, rs, options)]
    return [r for r in results if r.plan is None], [r.plan for r in results if r.plan]


def _merge_findings(plans, bank) -> dict[str, list]:
    return {p.client.id: merge(p, bank)[1] for p in plans}


def test_a_system_without_the_fields_is_told_once_per_file(tmp_path, bank) -> None:
    path = write_csv(tmp_path / "export.csv", HEADER, *ROWS)
    file_level, plans = _read(path)
    [said] = [f for r in file_level for f in r.findings if f.code == "IN045"]
    assert said.severity is Severity.WARNING and said.where == str(path)
    assert "no field for a goal's problem or clinical goal" in said.message
    assert all(p.provenance.unrecorded == ("goals[].problem", "goals[].description") for p in plans)
    for client, found in _merge_findings(plans, bank).items():
        filled = [f for f in found if f.code in ("MERGE022", "MERGE033")]
        assert filled, client  # each plan still says what was filled ...
        assert {f.severity for f in filled} == {Severity.INFO}, client  # ... as an info


def test_a_blank_field_the_system_has_still_warns_on_its_plan(tmp_path, bank) -> None:
    header = [*HEADER, "Goal 1 Problem", "Goal 1 Clinical Goal"]
    rows = [
        [*ROWS[0], "Depressed mood and loss of interest", "Remission of depression"],
        [*ROWS[1], "", ""],  # left blank: this plan warns
        [*ROWS[2], "Depressed mood and loss of interest", "Back to usual routines"],
    ]
    path = write_csv(tmp_path / "export.csv", header, *rows)
    file_level, plans = _read(path)
    assert not [f for r in file_level for f in r.findings if f.code == "IN045"]
    assert all(p.provenance.unrecorded == () for p in plans)
    found = _merge_findings(plans, bank)
    blank = {f.code: f.severity for f in found["C-2"] if f.code in ("MERGE022", "MERGE033")}
    assert blank == {"MERGE022": Severity.WARNING, "MERGE033": Severity.WARNING}
    for client in ("C-1", "C-3"):
        assert not [f for f in found[client] if f.code in ("MERGE022", "MERGE033")]


def test_parse_fills_nothing_and_says_nothing(tmp_path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    path = write_csv(tmp_path / "export.csv", HEADER, *ROWS)
    parsed = CliRunner().invoke(main, ["parse", str(path), "-o", str(tmp_path / "p.jsonl")])
    assert parsed.exit_code == 0 and "IN045" not in parsed.output
    planned = CliRunner().invoke(main, ["plan", str(tmp_path / "p.jsonl"), "-o",
                                        str(tmp_path / "m.jsonl")])  # fmt: skip
    assert planned.exit_code == 0, planned.output
    assert planned.output.count("IN045") == 1 and "warning MERGE022" not in planned.output


def test_the_demo_exports_say_it_once_and_the_plans_are_the_same(bank) -> None:
    """CounselTrack has no clinical-goal column, PracticeFlow neither a problem nor one: one
    IN045 each, and the goals get the same problem and clinical goal as before."""
    for name, fields in (
        ("counseltrack_wide.xlsx", ("goals[].description",)),
        ("practiceflow_workbook.xlsx", ("goals[].problem", "goals[].description")),
    ):
        file_level, plans = _read(ROOT / "inputs" / name)
        said = [f for r in file_level for f in r.findings if f.code == "IN045"]
        assert len(said) == 1 and ", ".join(fields) in said[0].message, name
        for plan in plans:
            merged, found = merge(plan, bank)
            assert not [
                f
                for f in found
                if f.code in ("MERGE022", "MERGE033") and f.severity is not Severity.INFO
            ], plan.client.id
            stripped = plan.model_copy(
                update={"provenance": plan.provenance.model_copy(update={"unrecorded": ()})}
            )
            assert merge(stripped, bank)[0].goals == merged.goals  # only the wording differs
