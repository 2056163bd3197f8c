"""Living plans: every build is a version, reviews are never reverted, new intake goes on top."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.batch.build import BuildOptions, build
from pipeline.errors import InputError
from pipeline.model import Client, Diagnosis, Measure, ObjectiveStatus, Plan, Provenance, Source
from pipeline.profiles import load_agency, load_payer
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review
from pipeline.versions.store import Origin, StaleVersion, Store
from tests.versions.versions_helpers import sample_plan

REVIEW = dt.date(2024, 4, 1)


def intake(client_id: str = "C-1001", file: str = "export-jan.csv", **changes: object) -> Plan:
    plan = sample_plan(client_id, **changes)
    return plan.model_copy(update={"provenance": Provenance(sources=(Source(file=file, row=2),))})


def run(store: Store, out: Path, *plans: Plan, supersede: str | None = None, draft=False):
    options = BuildOptions(out_dir=out, store=store, merge=False, supersede=supersede,
                           draft=draft, resume=False)  # fmt: skip
    return build(list(plans), [load_payer("clinical")], load_agency("riverside"), options)


def reviewed(store: Store) -> Plan:
    """Apply a 90-day review to C-1001's latest version and save it as the next version."""
    latest = store.get("C-1001")
    rows = [
        ReviewRow(where="review.csv, row 2", client_id="C-1001", date=REVIEW,
                  objective_id="G1.O2", status=ObjectiveStatus.MET,
                  instrument="PHQ-9", score=8, rationale="PHQ-9 fell from 14 to 8"),
        *(ReviewRow(where="review.csv, row 3", client_id="C-1001", date=REVIEW,
                    objective_id=objective, status=ObjectiveStatus.IN_PROGRESS,
                    rationale="continued to the next review")
          for objective in ("G1.O1", "G2.O1")),  # every objective due is addressed (REV024)
    ]  # fmt: skip
    plan, findings = apply_review(latest.plan, rows)
    assert plan is not None, findings
    origin = Origin(kind="review", sources=(("review.csv", ""),), expected=latest.number)
    assert store.save(plan, inputs=["review.csv"], reason="progress review", origin=origin)
    return plan


def test_a_blocked_plan_is_a_version_with_its_status_and_source(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    blocked = intake(goals=())  # the clinical format blocks a plan without goals
    result = run(store, tmp_path / "out", blocked, draft=True)
    assert result.versions_saved == 1
    version = store.get("C-1001")
    assert version.kind == "intake" and version.intake_hash
    assert version.sources[0][0] == "export-jan.csv"
    assert version.statuses["clinical"]["status"] == "draft"
    assert version.statuses["clinical"]["findings"], "the blocking findings are recorded"
    assert "clinical draft (" in version.status_line()
    assert run(store, tmp_path / "out2", blocked, draft=True).versions_saved == 0  # unchanged


def test_a_rebuild_never_reverts_a_review(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    run(store, tmp_path / "out", intake())
    review = reviewed(store)
    result = run(store, tmp_path / "again", intake())
    assert result.versions_saved == 0
    assert [f.code for f in result.notices] == ["VER001"]
    assert "version 2" in result.notices[0].message and "--supersede" in result.notices[0].message
    assert store.get("C-1001").number == 2
    # what was rendered is the reviewed plan, not the intake
    assert store.get("C-1001").plan == review


def test_older_intake_from_another_file_is_skipped_too(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    run(store, tmp_path / "out", intake())
    reviewed(store)
    older = intake(file="moved.csv", plan_date=dt.date(2024, 3, 1))
    result = run(store, tmp_path / "again", older)
    assert result.versions_saved == 0 and "not after the review" in result.notices[0].message


def test_new_intake_goes_on_top_of_the_review(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    run(store, tmp_path / "out", intake())
    review = reviewed(store)
    newer = intake(file="export-may.csv", plan_date=dt.date(2024, 5, 2))
    newer = newer.model_copy(update={
        "client": Client(id="C-1001", first_name="Alex", last_name="Rivera-Lopez"),
        "measures": (*newer.measures, Measure(instrument="PHQ-9", date=dt.date(2024, 5, 2),
                                              total=6)),
        "diagnoses": (*newer.diagnoses, Diagnosis(code="G47.00")),
    })  # fmt: skip
    result = run(store, tmp_path / "again", newer)
    assert result.versions_saved == 1 and result.notices[0].code == "VER002"
    latest = store.get("C-1001")
    assert latest.kind == "update" and latest.rationale == "intake update from export-may.csv"
    plan = latest.plan
    assert plan.goals[: len(review.goals)] == review.goals  # reviewed goals and statuses kept
    assert plan.client.last_name == "Rivera-Lopez"
    assert [m.total for m in plan.measures] == [14, 8, 6]
    assert "G47.00" in [d.code for d in plan.diagnoses]
    assert plan.revision.reason == "intake update from export-may.csv"
    # the same new export again adds nothing
    assert run(store, tmp_path / "third", newer).versions_saved == 0


def test_supersede_replaces_a_review_on_purpose(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    run(store, tmp_path / "out", intake())
    reviewed(store)
    result = run(store, tmp_path / "again", intake(), supersede="review entered for wrong client")
    assert result.versions_saved == 1
    latest = store.get("C-1001")
    assert latest.kind == "supersede" and latest.rationale == "review entered for wrong client"
    assert latest.reason == "supersede: review entered for wrong client"


def test_a_save_from_a_stale_version_is_refused(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    store.save(intake(), inputs=["a"], reason="build")
    store.save(intake(plan_date=dt.date(2024, 2, 1)), inputs=["b"], reason="build")
    with pytest.raises(StaleVersion, match="version 2 was saved after this change read version 1"):
        store.save(intake(plan_date=dt.date(2024, 3, 1)), inputs=["c"], reason="review",
                   origin=Origin(kind="review", expected=1))  # fmt: skip
    assert store.get("C-1001").number == 2


def test_client_ids_match_without_case_and_a_miss_lists_the_closest(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    store.save(intake("CT-1001"), inputs=["a"], reason="build")
    store.save(intake("CT-1002"), inputs=["a"], reason="build")
    assert store.get("ct-1001").client_id == "CT-1001"
    with pytest.raises(InputError, match="closest: CT-100"):
        store.get("CT-100")


def test_a_run_that_adds_to_a_folder_keeps_the_other_rows(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    out = tmp_path / "out"
    run(store, out, intake("C-1"))
    run(store, out, intake("C-2"))
    text = (out / "manifest.csv").read_text(encoding="utf-8")
    assert "C-1," in text and "C-2," in text


dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2025, 12, 31))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(plan_dates=st.lists(dates, min_size=1, max_size=4), review_first=st.booleans(),
       order=st.permutations(range(4)))  # fmt: skip
def test_no_rebuild_of_seen_intake_changes_the_latest_version(
    tmp_path_factory, plan_dates, review_first, order
) -> None:
    """Build some exports, maybe review, then rebuild any already-built export again: the
    latest version never changes."""
    folder = tmp_path_factory.mktemp("prop")
    store = Store(folder / "s.sqlite3")
    exports = [intake(file=f"e{i}.csv", plan_date=d) for i, d in enumerate(plan_dates)]
    for plan in exports:
        run(store, folder / "out", plan)
    if review_first:
        reviewed(store)
    latest = store.get("C-1001")
    for index in order:
        if index < len(exports):
            run(store, folder / f"re{index}", exports[index])
            assert store.get("C-1001").number == latest.number
            assert store.get("C-1001").content_hash == latest.content_hash


def test_a_review_names_objectives_by_document_number_in_any_intake_encoding(tmp_path) -> None:
    from pipeline.versions.reviews import read_review

    review = tmp_path / "review.csv"  # Windows-1252, semicolons, as an Excel export in Europe
    review.write_bytes(
        "Client ID;Review Date;Objective;Status;Measure;Score;Rationale\n"
        "c-1001;2024-04-01;Obj 1.2;met;PHQ-9;8;PHQ-9 fell to 8 – below 10\n"
        "c-1001;2024-04-01;Obj 1.1;in progress;;;log kept on 4 of 7 days\n"
        "c-1001;2024-04-01;2.1;deferred;;;sleep work paused\n".encode("cp1252")
    )
    rows, findings = read_review(review)
    assert not findings
    plan, found = apply_review(sample_plan(), rows)
    assert plan is not None, found
    status = {o.id: o.status for g in plan.goals for o in g.objectives}
    assert status["G1.O2"] is ObjectiveStatus.MET
    assert status["G2.O1"] is ObjectiveStatus.DISCONTINUED  # deferred, as intake reads it


def test_an_unknown_objective_lists_the_document_numbers(tmp_path) -> None:
    from pipeline.versions.reviews import read_review

    review = tmp_path / "review.csv"
    review.write_text("Client ID,Review Date,Objective,Status,Rationale\n"
                      "C-1001,2024-04-01,3.1,met,done\n", encoding="utf-8")  # fmt: skip
    rows, _ = read_review(review)
    plan, found = apply_review(sample_plan(), rows)
    assert plan is None and "1.1 (G1.O1), 1.2 (G1.O2), 2.1 (G2.O1)" in found[0].message
