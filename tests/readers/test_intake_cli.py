"""End to end: `txplan parse` writes JSON Lines, reports located problems, exits 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.readers import read
from tests.support import ROOT

INPUTS = ROOT / "inputs"
DATA = ROOT / "tests" / "data" / "intake"
SAMPLES = [
    str(INPUTS / "counseltrack_wide.xlsx"),
    str(INPUTS / "mindledger_long.csv"),
    str(INPUTS / "practiceflow_workbook.xlsx"),
]


def run(*args: str):
    return CliRunner().invoke(main, ["parse", *args], catch_exceptions=False)


def test_samples_parse_to_json_lines_exit_0(tmp_path: Path) -> None:
    out = tmp_path / "out" / "plans.jsonl"
    result = run(*SAMPLES, "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 21
    first = json.loads(lines[0])
    assert first["schema_version"] == "1.0" and first["client"]["id"] == "CT-1001"
    assert "21 plan(s) read, 0 record(s) rejected, 0 file(s) unusable" in result.stderr
    assert not list(out.parent.glob("*.part"))


def test_output_reads_back_as_the_same_plans(tmp_path: Path) -> None:
    out = tmp_path / "plans.jsonl"
    assert run(SAMPLES[1], "-o", str(out)).exit_code == 0
    again = [r.plan for r in read(out)]
    direct = [r.plan for r in read(Path(SAMPLES[1])) if r.plan]
    assert again == direct


def test_stdout_when_no_output() -> None:
    result = run(SAMPLES[0])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 8


def test_rejected_rows_exit_1_with_located_messages() -> None:
    result = CliRunner().invoke(main, ["--show-values", "parse", str(DATA / "bad_rows.csv")])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert (
        'bad_rows.csv, row 4, column "DOB": error IN002: "31/02/1990" is not a date; '
        "use YYYY-MM-DD or MM/DD/YYYY" in result.stderr
    )
    hidden = run(str(DATA / "bad_rows.csv"))  # values are client data: hidden by default
    assert 'column "DOB": error IN002: "…" is not a date' in hidden.stderr
    assert "31/02/1990" not in hidden.stderr
    assert '"F41.7" is not an ICD-10-CM code' in result.stderr
    assert "5 record(s) rejected" in result.stderr


def test_unusable_file_exit_2_and_the_rest_still_read(tmp_path: Path) -> None:
    out = tmp_path / "plans.jsonl"
    files = [str(DATA / "corrupt.xlsx"), str(DATA / "empty.csv"), str(tmp_path / "gone.csv")]
    result = run(*files, SAMPLES[1], "-o", str(out))
    assert result.exit_code == 2
    assert "corrupt.xlsx: not an .xlsx workbook" in result.stderr
    assert "empty.csv: the file is empty" in result.stderr
    assert "gone.csv: file not found" in result.stderr
    assert "Traceback" not in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 7


def test_explain_shows_the_column_mapping() -> None:
    result = run(SAMPLES[2], "--explain", "--sheet", "Clients")
    assert result.exit_code == 0
    assert '"Legal First Name" -> client.first_name' in result.stderr
    assert '"Birth Date" -> client.date_of_birth' in result.stderr


def test_profile_option_and_bad_profile(tmp_path: Path) -> None:
    profile = str(INPUTS / "profiles" / "carepoint.yaml")
    result = run(str(DATA / "carepoint_roster.xlsx"), "--profile", profile)
    assert result.exit_code == 0
    assert '"Łukasiewicz"' in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  Acct: client.nope\n", encoding="utf-8")
    result = run(SAMPLES[0], "--profile", str(bad))
    assert result.exit_code == 2
    assert "client.nope" in result.stderr and "Traceback" not in result.output


def test_console_script_runs_without_traceback() -> None:
    txplan = Path(sys.executable).parent / "txplan"
    done = subprocess.run(
        [str(txplan), "parse", str(DATA / "encrypted.xlsx")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "password-protected" in done.stderr
    assert "Traceback" not in done.stderr
