"""``txplan plan``: JSON Lines out, exit codes 0/1/2."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model import Client, Diagnosis, Measure, Plan
from pipeline.writers.jsonl import plan_to_json


def _write(tmp_path, *plans: Plan):
    path = tmp_path / "plans.jsonl"
    path.write_text("".join(plan_to_json(p) + "\n" for p in plans), encoding="utf-8")
    return path


GOOD = Plan(
    client=Client(id="A"),
    intake_date=dt.date(2025, 1, 6),
    diagnoses=(Diagnosis(code="F41.1"),),
    measures=(Measure(instrument="GAD-7", total=15),),
)
UNDATED = Plan(client=Client(id="B"), diagnoses=(Diagnosis(code="F41.1"),))


def test_plans_written_with_options(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    args = [
        "plan",
        str(_write(tmp_path, GOOD)),
        "--max-goals",
        "1",
        "--max-objectives",
        "2",
        "--review-days",
        "30",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    (line,) = out.read_text(encoding="utf-8").splitlines()
    plan = json.loads(line)
    assert [g["bank_id"] for g in plan["goals"]] == ["ANX-WORRY.G1"]
    assert len(plan["goals"][0]["objectives"]) == 2
    assert plan["review"]["next_review_date"] == "2025-02-05"
    text = plan["goals"][0]["objectives"][0]["text"]
    assert "GAD-7 score of 15 (date not recorded) to 7 or lower" in text


def test_rejected_plan_exits_1_and_the_rest_is_written(tmp_path) -> None:
    result = CliRunner().invoke(main, ["plan", str(_write(tmp_path, GOOD, UNDATED))])
    assert result.exit_code == 1
    assert "MERGE001" in result.output
    assert '"id":"A"' in result.output.replace(" ", "")


def test_unusable_goal_bank_exits_2(tmp_path) -> None:
    missing = tmp_path / "nope.xlsx"
    result = CliRunner().invoke(
        main, ["plan", str(_write(tmp_path, GOOD)), "--goalbank", str(missing)]
    )
    assert result.exit_code == 2
    assert "nope.xlsx" in result.output
