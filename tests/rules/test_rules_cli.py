"""``txplan check`` end to end: findings per plan and payer, JSON output, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from tests.support import TEST_DATA

DATA = TEST_DATA / "rules"


def run(*args: str):
    """The rule cases are plans as given: checked without the goal-bank merge (which would
    fill a missing target date, for one)."""
    return CliRunner().invoke(main, ["check", "--no-merge", *args])


def test_check_merges_as_build_does_unless_no_merge() -> None:
    """The merge fills the missing target date the plan as given is blocked for."""
    case = str(DATA / "TXR003-objective-no-target-date.json")
    merged = CliRunner().invoke(main, ["check", case, "--payer", "clinical"])
    assert "TXR003" not in merged.output and "MERGE021" in merged.output, merged.output
    assert "TXR003" in run(case, "--payer", "clinical").output


def as_member(name: str, payer_name: str = "Oregon Health Plan",
              member_id: str = "OHP4471920") -> dict:  # fmt: skip
    """A rules case as a member of a payer (good.json names none)."""
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    data["client"].update(payer_name=payer_name, member_id=member_id)
    return data


def test_good_plan_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "medicare.json"
    path.write_text(json.dumps(as_member("good", "Medicare", "1EG4-TE5-MK73")), encoding="utf-8")
    result = run(str(path), "--payer", "clinical,medicare-poc")
    assert result.exit_code == 0, result.output
    assert "R-100 / clinical: ok (0 errors, 0 warnings)" in result.output
    assert "R-100 / medicare-poc: ok" in result.output


def test_a_medicaid_member_is_blocked_for_medicare(tmp_path: Path) -> None:
    path = tmp_path / "ohp.json"
    path.write_text(json.dumps(as_member("good")), encoding="utf-8")
    result = run(str(path), "--payer", "medicaid-isp,medicare-poc")
    assert result.exit_code == 1, result.output
    assert "R-100 / medicaid-isp: ok (0 errors, 0 warnings)" in result.output
    assert "R-100 / medicare-poc: blocked (1 error, 0 warnings)" in result.output
    assert 'client.payer_name: error TXR017: payer "Oregon Health Plan" with member id ' in (
        result.output
    )
    assert '"OHP4471920"' in result.output


def test_a_blocked_plan_exits_1_and_names_the_field() -> None:
    result = run(
        str(DATA / "good.json"),
        str(DATA / "TXR003-objective-no-target-date.json"),
        "--payer",
        "clinical",
    )
    assert result.exit_code == 1, result.output
    assert "R-100 / clinical: blocked (1 error, 0 warnings)" in result.output
    assert (
        "goals[1].objectives[2].target_date: error TXR003: missing; "
        "every objective needs a target date"
    ) in result.output


def test_json_output_is_one_object_per_plan_and_payer(tmp_path: Path) -> None:
    jsonl = tmp_path / "plans.jsonl"
    lines = [json.dumps(as_member(name)) for name in ("good", "TXR007-plan-late")]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(str(jsonl), "--payer", "clinical,medicaid-isp", "--json")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["payer"], r["status"]) for r in records] == [
        ("clinical", "ok"),
        ("medicaid-isp", "ok"),
        ("clinical", "ok"),
        ("medicaid-isp", "blocked"),
    ]
    (finding,) = records[3]["findings"]
    assert finding["code"] == "TXR007" and finding["where"] == "plan_date"


def test_today_and_agency_options(tmp_path: Path) -> None:
    data = as_member("good")
    data["plan_date"] = None
    data["signatures"]["clinician"] = {"name": "Maya Okafor", "signed_date": "2026-01-20"}
    path = tmp_path / "undated.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    blocked = run(str(path), "--payer", "medicaid-isp")
    assert blocked.exit_code == 1
    assert "plan_date: error TXR007" in blocked.output
    ok = run(str(path), "--payer", "medicaid-isp", "--today", "2026-01-20", "--agency", "riverside")
    assert ok.exit_code == 0, ok.output


def test_unknown_payer_or_missing_file_exits_2(tmp_path: Path) -> None:
    unknown = run(str(DATA / "good.json"), "--payer", "acme")
    assert unknown.exit_code == 2
    assert "unknown payer 'acme'" in unknown.output
    missing = run(str(tmp_path / "nope.json"), "--payer", "clinical")
    assert missing.exit_code == 2
    assert "file not found" in missing.output


def test_unreadable_plan_is_rejected_and_the_rest_checked(tmp_path: Path) -> None:
    shutil.copy(DATA / "good.json", tmp_path / "a.json")
    (tmp_path / "b.json").write_text('{"client": {}}', encoding="utf-8")
    result = run(str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--payer", "clinical")
    assert result.exit_code == 1
    assert "R-100 / clinical: ok" in result.output
