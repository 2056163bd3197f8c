"""Applying a progress review: meets, changes and adds, each with its rationale; all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.findings import has_errors
from pipeline.model import Goal, Objective, ObjectiveStatus, Plan
from pipeline.versions.diff import diff_plans
from pipeline.versions.reviews import read_review
from pipeline.versions.revise import apply_review
from tests.support import TEST_DATA
from tests.versions.versions_helpers import sample_plan

DATA = TEST_DATA / "reviews"
REVIEW_DATE = dt.date(2024, 4, 1)


def bank_like_merger(plan: Plan, interval_days: int) -> tuple[Plan, list]:
    """Adds one goal for an anxiety diagnosis that has none, as the goal bank merge would."""
    covered = {code for g in plan.goals for code in g.diagnosis_codes}
    added = tuple(
        Goal(
            id=f"B-{dx.code}",
            client_words="I want to worry less",
            diagnosis_codes=(dx.code,),
            objectives=(Objective(id=f"B-{dx.code}.O1", text="Reduce GAD-7 below 10"),),
        )
        for dx in plan.diagnoses
        if dx.code.startswith("F41") and dx.code not in covered
    )
    return plan.model_copy(update={"goals": plan.goals + added}), []


def revise(name: str, plan: Plan | None = None):
    rows, findings = read_review(DATA / name)
    assert not has_errors(findings), findings
    return apply_review(plan or sample_plan(), rows, merger=bank_like_merger)


def test_review_meets_changes_and_adds() -> None:
    revised, findings = revise("review_90day.csv")
    assert revised is not None and not has_errors(findings)
    objectives = {o.id: o for g in revised.goals for o in g.objectives}
    met, partial = objectives["G1.O2"], objectives["G1.O1"]
    assert met.status is ObjectiveStatus.MET
    assert met.target_date == dt.date(2024, 4, 1)  # closed: keeps its date
    assert partial.status is ObjectiveStatus.PARTIALLY_MET
    # due on the last day of the period the next review ends (the review starts the next)
    assert partial.target_date == REVIEW_DATE + dt.timedelta(days=89)
    assert revised.review.next_review_date == REVIEW_DATE + dt.timedelta(days=90)
    assert revised.latest_measure("PHQ-9").total == 8
    assert revised.latest_measure("PHQ-9").date == REVIEW_DATE
    assert revised.goals[1].client_words == "I want to wake up rested and on time for work"
    assert [d.code for d in revised.diagnoses] == ["F32.1", "F41.1"]
    added = revised.goals[-1]
    assert added.id == "B-F41.1" and added.objectives[0].target_date == dt.date(2024, 6, 29)
    assert "Worry about job loss most days" in revised.assessment.symptoms
    assert revised.review.last_review_date == REVIEW_DATE
    assert revised.review.next_review_date == dt.date(2024, 6, 30)
    revision = revised.revision
    assert revision.date == REVIEW_DATE and revision.reviewer == "Dana Whitfield, LCSW"
    by_target = {c.target: c.rationale for c in revision.changes}
    assert by_target["G1.O2"] == "PHQ-9 fell from 14 to 8 over 12 sessions"
    assert by_target["B-F41.1"].startswith("New generalized worry")
    assert all(c.rationale for c in revision.changes)


def test_every_diffed_change_carries_its_rationale() -> None:
    old = sample_plan()
    revised, _ = revise("review_90day.csv", old)
    changes = diff_plans(old, revised).changes
    assert changes
    missing = [c.summary() for c in changes if not c.rationale]
    assert missing == []
    trend = next(c for c in changes if c.target == "measure:PHQ-9")
    assert trend.summary() == "~ PHQ-9 14 → 8 (reliable improvement)"


def test_payer_interval_overrides_the_plan_interval() -> None:
    rows, _ = read_review(DATA / "review_90day.csv")
    revised, _ = apply_review(sample_plan(), rows, interval_days=30, merger=bank_like_merger)
    assert revised.review.next_review_date == dt.date(2024, 5, 1)
    assert revised.review.interval_days == 30


def test_unknown_objective_is_located_and_nothing_applied() -> None:
    rows, findings = read_review(DATA / "review_unknown_objective.csv")
    assert not findings
    revised, findings = apply_review(sample_plan(), rows)
    assert revised is None
    [problem] = [f for f in findings if f.severity == "error"]
    assert problem.where == 'review_unknown_objective.csv, row 3, column "Objective ID"'
    assert "no objective 'G9.O9'" in problem.message


def test_bad_cells_are_located_errors() -> None:
    rows, findings = read_review(DATA / "review_bad_cells.csv")
    assert rows == []
    places = [f.where for f in findings]
    assert places == [
        'review_bad_cells.csv, row 2, column "Review Date"',
        'review_bad_cells.csv, row 3, column "Status"',
        'review_bad_cells.csv, row 4, column "Rationale"',
        "review_bad_cells.csv, row 4",
    ]


def test_unknown_concern_code_is_an_error() -> None:
    rows, _ = read_review(DATA / "review_90day.csv")
    bad = [
        r if r.concern is None else r.__class__(**{**r.__dict__, "concern_code": "Q99.99X"})
        for r in rows
    ]
    revised, findings = apply_review(sample_plan(), bad, merger=bank_like_merger)
    assert revised is None
    assert any(f.code == "REV023" and 'column "Concern Code"' in f.where for f in findings)


def test_cli_revise_history_and_diff(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.versions.store import Store

    db = tmp_path / "plans.sqlite3"
    Store(db).save(sample_plan(), inputs=["intake.csv"], reason="build", payers=["medicaid-isp"])
    runner = CliRunner()
    review = str(DATA / "review_90day.csv")
    result = runner.invoke(main, ["revise", review, "--store", str(db), "--no-bank"])
    assert result.exit_code == 0, result.output
    assert "C-1001: version 2 (" in result.stdout
    again = runner.invoke(main, ["revise", review, "--store", str(db), "--no-bank"])
    assert "C-1001: unchanged" in again.stdout  # the same review twice adds nothing

    bad = runner.invoke(
        main, ["revise", str(DATA / "review_unknown_objective.csv"), "--store", str(db)]
    )
    assert bad.exit_code == 1
    assert 'row 3, column "Objective ID"' in bad.stderr
    assert [v.number for v in Store(db).history("C-1001")] == [1, 2]

    history = runner.invoke(main, ["history", "C-1001", "--store", str(db)])
    assert history.exit_code == 0
    assert (
        "version 2" in history.stdout and "~ PHQ-9 14 → 8 (reliable improvement)" in history.stdout
    )

    redline = tmp_path / "redline.docx"
    shown = runner.invoke(
        main, ["diff", "C-1001", "--store", str(db), "--json", "--docx", str(redline)]
    )
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert (data["from"], data["to"]) == ("version 1", "version 2")
    status = next(c for c in data["changes"] if c["kind"] == "status" and c["target"] == "G1.O2")
    assert status["rationale"] == "PHQ-9 fell from 14 to 8 over 12 sessions"
    assert redline.read_bytes()[:2] == b"PK"

    missing = runner.invoke(main, ["diff", "C-1001", "--from", "7", "--store", str(db)])
    assert missing.exit_code == 2 and "no version 7" in missing.stderr


def test_cli_diff_of_two_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    old = sample_plan()
    new = old.model_copy(update={"goals": old.goals[::-1]})
    (tmp_path / "old.json").write_text(old.model_dump_json(), encoding="utf-8")
    (tmp_path / "new.json").write_text(new.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]
    )
    assert result.exit_code == 0, result.output
    assert "no changes" in result.stdout


def test_new_concern_takes_the_goal_banks_goal() -> None:
    goalbank = pytest.importorskip("pipeline.goalbank.bank")
    if not goalbank.DEFAULT_GOALBANK.exists():
        pytest.skip("the goal bank workbook is not built")
    from pipeline.versions.revise import bank_merger

    rows, _ = read_review(DATA / "review_90day.csv")
    revised, findings = apply_review(sample_plan(), rows, merger=bank_merger(goalbank.load_bank()))
    assert revised is not None and not has_errors(findings)
    [added] = revised.goals[2:]  # one bank goal for the one new concern
    assert (added.origin, added.diagnosis_codes) == ("bank", ("F41.1",))
    assert {o.target_date for o in added.objectives} == {dt.date(2024, 6, 29)}
    assert all("June 29, 2024" in o.text for o in added.objectives if "by " in o.text)
    rationale = {c.target: c.rationale for c in revised.revision.changes}
    assert rationale[added.id].startswith("New generalized worry")
