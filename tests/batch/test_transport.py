"""A plan's trip to the worker and what the worker makes of it for the version store."""

from __future__ import annotations

import pytest

from pipeline.batch.build import BuildOptions
from pipeline.batch.decision import prepare as prepare_plan
from pipeline.batch.job import PlanJob, PlanTask
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.versions import record
from pipeline.versions.store import Store
from pipeline.writers import clean
from tests.support import DATA

PLAN = Plan.model_validate_json((DATA / "render" / "full.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def job(tmp_path_factory) -> PlanJob:
    folder = tmp_path_factory.mktemp("transport")
    options = BuildOptions(out_dir=folder / "out", formats=("docx",), draft=True, resume=False,
                           store=Store(folder / "s.sqlite3"))  # fmt: skip
    (folder / "out").mkdir()
    return PlanJob([load_payer("clinical")], load_agency("riverside"), options)


@pytest.mark.parametrize("hash_intake", [True, False])
def test_the_version_is_the_merged_plans_record(job: PlanJob, hash_intake: bool) -> None:
    task = PlanTask(PLAN.model_dump_json(), ((0, "a"),), "full.json", hash_intake=hash_intake)
    done = job.run(task)
    merged = prepare_plan(PLAN, job.bank)[0]
    assert done.version == record.prepare(merged)
    # the parent hashed the intake already when it says so (its origin holds that hash)
    assert done.intake_hash == (record.content_hash(PLAN) if hash_intake else None)
    assert done.made[0].row["outputs"], done.made[0].row


def test_the_writers_do_not_encode_a_plan_the_worker_found_clean(job: PlanJob, monkeypatch) -> None:
    task = PlanTask(PLAN.model_dump_json(), ((0, "b"),), "full.json")
    dumped: list[object] = []
    original = Plan.model_dump_json

    def counted(self, *args, **kwargs):
        dumped.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Plan, "model_dump_json", counted)
    assert job.run(task).made[0].row["outputs"]
    assert dumped == []  # the version's canonical JSON served the clean check


def test_a_merged_plan_with_a_control_character_is_cleaned_for_the_document(
    job: PlanJob, monkeypatch
) -> None:
    """The intake is cleaned as it arrives; a character the goal bank brought in is caught
    by the check on the version's canonical JSON and cleaned by the writers."""
    merged = prepare_plan(PLAN, job.bank)[0]
    goal = merged.goals[0].model_copy(update={"client_words": "calmer\x0bmornings\u202e"})
    dirty = merged.model_copy(update={"goals": (goal, *merged.goals[1:])})
    assert not clean.known_clean(dirty, record.prepare(dirty).canonical)
    monkeypatch.setattr("pipeline.batch.job.prepare_plan", lambda plan, bank: (dirty, ()))
    done = job.run(PlanTask(PLAN.model_dump_json(), ((0, "c"),), "full.json"))
    assert done.version == record.prepare(dirty)  # the version keeps the plan as merged
    row = done.made[0].row
    assert row["status"] != "failed" and row["outputs"], row  # a \x0b would break the XML
