"""revise saves only on top of the version it read: a version committed by another process in
between is never dropped; the review is refused with a retry message, and a retry applies it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model import ObjectiveStatus
from pipeline.versions import review_file as revise_module
from pipeline.versions.store import Store
from tests.support import ROOT, TEST_DATA
from tests.versions.versions_helpers import sample_plan

REVIEW = TEST_DATA / "reviews" / "review_90day.csv"
RETRY = (
    "version 2 was saved after this change read version 1; nothing was saved, run the command again"
)
#: Another process saves the client's next version (a rebuild from a new intake export).
OTHER = """
import datetime as dt, sys
from pipeline.versions.store import Store
from tests.versions.versions_helpers import sample_plan
plan = sample_plan(plan_date=dt.date(2024, 2, 1))
Store(sys.argv[1]).save(plan, inputs=["may.csv"], reason="intake update", payers=["medicaid-isp"])
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _store(tmp_path: Path) -> Path:
    db = tmp_path / "plans.sqlite3"
    with Store(db) as store:
        store.save(sample_plan(), inputs=["intake.csv"], reason="build", payers=["medicaid-isp"])
    return db


def test_a_version_committed_by_another_process_between_read_and_save(tmp_path, monkeypatch):
    db = _store(tmp_path)
    read = revise_module.preview_review_file

    def read_then_other_process_saves(*args, **kwargs):
        result = read(*args, **kwargs)  # the review is applied to version 1, in memory
        subprocess.run([sys.executable, "-c", OTHER, str(db)], env=_env(), check=True,
                       timeout=120)  # fmt: skip
        return result

    monkeypatch.setattr(revise_module, "preview_review_file", read_then_other_process_saves)
    runner = CliRunner()
    refused = runner.invoke(main, ["revise", str(REVIEW), "--store", str(db), "--no-bank"])
    assert refused.exit_code == 2, refused.output
    assert f"client C-1001: {RETRY}" in refused.stderr
    with Store(db) as store:
        history = store.history("C-1001")
        assert [v.number for v in history] == [1, 2]  # nothing saved over version 2
        assert history[-1].reason == "intake update"

    monkeypatch.setattr(revise_module, "preview_review_file", read)
    retried = runner.invoke(main, ["revise", str(REVIEW), "--store", str(db), "--no-bank"])
    assert retried.exit_code == 0, retried.output
    assert "C-1001: version 3" in retried.stdout
    with Store(db) as store:
        plan = store.get("C-1001").plan
    assert plan.plan_date == dt.date(2024, 2, 1)  # the other process's version is kept ...
    status = {o.id: o.status for g in plan.goals for o in g.objectives}
    assert status["G1.O2"] == ObjectiveStatus.MET  # ... and the review applied on top of it


def test_two_revise_processes_racing_lose_no_review(tmp_path) -> None:
    db = _store(tmp_path)
    second = tmp_path / "second.csv"
    # the same review's statuses (each file addresses every objective due, REV024) and a
    # change of its own: the two files race to revise the same version
    second.write_text(
        "Client ID,Review Date,Objective ID,Status,Measure,Score,Goal ID,Changed Goal,Rationale\n"
        "C-1001,2024-04-01,G1.O2,Met,PHQ-9,8,,,PHQ-9 fell from 14 to 8 over 12 sessions\n"
        "C-1001,2024-04-01,G1.O1,Partially met,,,,,Activity log kept on 3 of 7 days\n"
        "C-1001,2024-04-01,G2.O1,In progress,,,,,Regular wake time on 4 of 7 days\n"
        "C-1001,2024-04-01,,,,,G1,I want to feel like myself again,In the client's words\n",
        encoding="utf-8",
    )
    code = "from pipeline.cli import main; main()"

    def start(review: Path) -> subprocess.Popen[str]:
        args = [sys.executable, "-c", code, "revise", str(review), "--store", str(db), "--no-bank"]
        return subprocess.Popen(args, env=_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip

    runs = {review: start(review) for review in (REVIEW, second)}
    outcomes = {review: (*proc.communicate(timeout=180), proc.returncode)
                for review, proc in runs.items()}  # fmt: skip
    for review, (_, err, code_) in outcomes.items():
        assert code_ in (0, 2), err
        if code_ == 2:  # lost the race: told to retry, nothing saved; the retry applies it
            assert "nothing was saved, run the command again" in err
            again = subprocess.run(runs[review].args, env=_env(), capture_output=True,
                                   text=True, timeout=180)  # fmt: skip
            assert again.returncode == 0, again.stderr
    with Store(db) as store:
        history = store.history("C-1001")
        plan = history[-1].plan
    assert [v.number for v in history] == [1, 2, 3]
    status = {o.id: o.status for g in plan.goals for o in g.objectives}
    assert status["G1.O2"] == ObjectiveStatus.MET  # both reviews are in the last version
    assert plan.goals[0].client_words == "I want to feel like myself again"
    assert plan.goals[1].client_words == "I want to wake up rested and on time for work"
