"""A plan's trip to the worker and what the worker makes of it for the version store."""

from __future__ import annotations

import pytest

from pipeline.batch.build import BuildOptions
from pipeline.batch.decision import prepare as prepare_plan
from pipeline.batch.job import PlanJob, PlanTask, transport
from pipeline.model import Plan, Source
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


FIELDS = {
    "client.first_name": Source(file="intake.xlsx", sheet="Export", row=4, column="First name"),
    "client.date_of_birth": Source(file="intake.xlsx", sheet="Export", row=4, column="DOB"),
    "measures[0].total": Source(file="intake.xlsx", sheet="Export", row=4, column="PHQ-9"),
    "goals[0].client_words": Source(file="intake.xlsx", sheet="Export", row=4, column="Goal"),
}


def test_a_worker_makes_the_same_of_a_plan_whose_field_sources_went_aside(tmp_path) -> None:
    """Nothing a worker makes (rows, documents, the version) depends on how the field
    sources travelled: no worker reads them, the version record puts them back."""
    provenance = PLAN.provenance.model_copy(update={"fields": FIELDS})
    plan = PLAN.model_copy(update={"provenance": provenance})
    payers = [load_payer(p) for p in ("clinical", "medicaid-isp", "bluepeak-pdf")]
    made = {}
    for how in ("whole", "aside"):
        out = tmp_path / how
        out.mkdir()
        store = Store(tmp_path / f"{how}.sqlite3")
        options = BuildOptions(out_dir=out, formats=("docx", "fhir"), draft=True, resume=False,
                               client_copy=True, store=store)  # fmt: skip
        job = PlanJob(payers, load_agency("riverside"), options)
        _, plan_json, aside, _ = transport(plan)
        if how == "whole":
            plan_json, aside = plan.model_dump_json(), None
        else:
            assert aside is not None and "First name" not in plan_json
        todo = tuple((slot, f"doc{slot}") for slot in range(len(payers) + 1))
        done = job.run(PlanTask(plan_json, todo, "intake.xlsx", aside=aside))
        files = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}
        made[how] = ([m.row for m in done.made], files, done.version, done.intake_hash)
    assert made["aside"] == made["whole"]
    rows, files, version, intake_hash = made["whole"]
    assert len(files) >= len(payers) + 1, sorted(files)
    assert version == record.prepare(prepare_plan(plan, job.bank)[0])
    assert intake_hash == record.content_hash(plan)
