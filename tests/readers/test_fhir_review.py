"""The FHIR CarePlan's period ends on the period's last day, as every document dates it, and
the next review is its own activity: a plan written and read back keeps both."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.clinical.certification import period as certification_period
from pipeline.clinical.schedule import review_period
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import ReadOptions, read
from pipeline.writers.fhir.bundle import render_fhir, to_bundle
from tests.fhir_samples import sample_plans
from tests.support import DATA

PAYER, AGENCY = load_payer("medicaid-isp"), load_agency("riverside")
DAY = dt.timedelta(days=1)


def _careplan(bundle: dict) -> dict:
    return next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "CarePlan" and e["resource"]["title"] != "Safety plan"
    )


def _round_trip(plan: Plan, tmp_path: Path, **how) -> tuple[Plan, list[str]]:
    path = tmp_path / "bundle.json"
    path.write_bytes(render_fhir(plan, PAYER, AGENCY, **how))
    (result,) = list(read(path, ReadOptions()))
    assert result.plan is not None, [str(f) for f in result.findings]
    return result.plan, [f.code for f in result.findings]


def _reviewed(plan: Plan) -> Plan:
    """The plan as a 90-day review leaves it: reviewed the day after its period ended,
    recertified from that day, next review 90 days on."""
    first = review_period(plan)
    assert first is not None
    reviewed = first.end + DAY
    review = plan.review.model_copy(
        update={
            "last_review_date": reviewed,
            "recertified_from": reviewed,
            "next_review_date": reviewed + dt.timedelta(days=90),
        }
    )
    return plan.model_copy(update={"review": review})


@pytest.mark.parametrize("plan", sample_plans(), ids=lambda p: p.client.id)
def test_period_ends_the_day_before_the_review_and_round_trips(plan, tmp_path: Path) -> None:
    assert plan.review.next_review_date is not None
    expected = review_period(plan)
    careplan = _careplan(to_bundle(plan, PAYER, AGENCY))
    assert careplan["period"] == {
        "start": expected.start.isoformat(),
        "end": expected.end.isoformat(),
    }
    # the documents' convention: the period's last day is the day before the next review
    assert expected.end == plan.review.next_review_date - DAY
    back, codes = _round_trip(plan, tmp_path)
    assert back.review.next_review_date == plan.review.next_review_date
    assert back.review.interval_days == plan.review.interval_days
    assert review_period(back) == expected
    assert certification_period(back) == certification_period(plan)
    assert "FHIR022" not in codes
    # the review is not read as an intervention or a service
    assert [g.interventions for g in back.goals] == [g.interventions for g in plan.goals]
    assert back.services == plan.services


@pytest.mark.parametrize("how", [{"version": 2, "replaces": 1}, {}], ids=["v2", "from-store"])
def test_a_reviewed_plan_keeps_its_plan_date_and_recertified_period(how, tmp_path: Path) -> None:
    """With or without the previous version named (``txplan build --from-store`` writes
    the current version alone), the plan date stays the plan's, not the period's start."""
    plan = _reviewed(sample_plans()[0])
    expected = review_period(plan)
    careplan = _careplan(to_bundle(plan, PAYER, AGENCY, **how))
    assert careplan["period"]["start"] == plan.review.recertified_from.isoformat()
    assert careplan["period"]["end"] == expected.end.isoformat()
    back, _ = _round_trip(plan, tmp_path, **how)
    assert back.plan_date == plan.plan_date
    assert back.review.last_review_date == plan.review.last_review_date
    assert back.review.next_review_date == plan.review.next_review_date
    assert review_period(back) == expected
    assert certification_period(back) == certification_period(plan)
    assert certification_period(back).recertified


def test_another_systems_careplan_is_reviewed_the_day_after_its_period(tmp_path: Path) -> None:
    """An EHR's CarePlan ends May 20 (inclusive) with its goal due that day: the review is
    May 21, and the goal lies in the period the plan covers."""
    results = list(read(DATA / "fhir" / "ehr_searchset.json", ReadOptions()))
    (plan,) = [r.plan for r in results if r.plan]
    assert plan.review.next_review_date == dt.date(2026, 5, 21)
    period = review_period(plan)
    assert (period.start, period.end) == (dt.date(2026, 2, 20), dt.date(2026, 5, 20))
    (objective,) = plan.goals[0].objectives
    assert period.start <= objective.target_date <= period.end
    codes = [f.code for r in results for f in r.findings]
    assert "FHIR022" in codes


def test_a_review_activity_of_another_system_gives_the_next_review(tmp_path: Path) -> None:
    """A single-goal plan: every activity serves the goal, but its review is not an
    intervention; a cancelled review is not the next one."""
    snomed = "http://snomed.info/sct"

    def review(day: str, status: str) -> dict:
        code = {"coding": [{"system": snomed, "code": "425268008"}]}
        return {"detail": {"code": code, "status": status, "scheduledPeriod": {"start": day}}}

    resources = [
        {"resourceType": "Patient", "id": "p1", "identifier": [{"value": "C-9"}]},
        {"resourceType": "Goal", "id": "g1", "subject": {"reference": "Patient/p1"},
         "lifecycleStatus": "active", "description": {"text": "sleep better"}},
        {"resourceType": "CarePlan", "id": "cp", "status": "active", "intent": "plan",
         "subject": {"reference": "Patient/p1"},
         "period": {"start": "2026-01-05", "end": "2026-06-30"},
         "activity": [
             {"detail": {"status": "scheduled", "code": {"text": "CBT-I"}}},
             review("2026-03-01", "cancelled"),
             review("2026-04-05", "scheduled"),
         ]},
    ]  # fmt: skip
    path = tmp_path / "b.json"
    entries = [{"resource": r} for r in resources]
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    (result,) = list(read(path, ReadOptions()))
    assert result.plan is not None
    assert result.plan.review.next_review_date == dt.date(2026, 4, 5)
    assert [i.modality for i in result.plan.goals[0].interventions] == ["CBT-I"]
    assert "FHIR022" not in [f.code for f in result.findings]


_REVIEW = {"coding": [{"system": "http://snomed.info/sct", "code": "425268008"}]}


@pytest.mark.parametrize(
    "extra",
    [
        {"period": "2026-01-01"},
        {"period": {"start": "20xx", "end": 7}},
        {"activity": ["x"]},
        {"activity": [{"detail": [1]}]},
        {"activity": [{"detail": {"code": {"coding": ["x"]}}}]},
        {"activity": [{"detail": {"code": _REVIEW, "scheduledTiming": []}}]},
        {"activity": [{"detail": {"code": _REVIEW, "scheduledTiming": {"event": 5}}}]},
        {"activity": [{"detail": {"code": _REVIEW,
                                  "scheduledTiming": {"event": ["2026-02-01"], "repeat": [1]}}}]},
        {"created": [1], "replaces": [{}], "period": {"start": "2026-01-01"}},
        {"period": {"start": "2026-01-01", "end": "9999-12-31"}},
        {"activity": [{"detail": {"code": _REVIEW, "status": ["scheduled"],
                                  "scheduledTiming": {"event": ["2026-02-01"]}}}]},
    ],
)  # fmt: skip
def test_a_careplan_of_the_wrong_shape_is_read_without_a_crash(extra, tmp_path: Path) -> None:
    """An export's CarePlan whose period or activities are not the shapes FHIR gives them:
    read (the wrong element ignored), never an "unexpected error in the reader"."""
    careplan = {"resourceType": "CarePlan", "id": "cp", "status": "active", "intent": "plan",
                "subject": {"reference": "Patient/p1"}, **extra}  # fmt: skip
    patient = {"resourceType": "Patient", "id": "p1", "identifier": [{"value": "C-9"}]}
    path = tmp_path / "b.json"
    entries = [{"resource": patient}, {"resource": careplan}]
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    (result,) = list(read(path, ReadOptions()))
    assert result.plan is not None


@pytest.mark.parametrize("period", [True, 0, -5, 1e300, "90"])
def test_a_review_interval_that_is_not_a_number_of_days_is_ignored(period, tmp_path) -> None:
    timing = {"event": ["2026-02-01"], "repeat": {"period": period, "periodUnit": "d"}}
    detail = {"code": _REVIEW, "status": "scheduled", "scheduledTiming": timing}
    careplan = {"resourceType": "CarePlan", "id": "cp", "status": "active", "intent": "plan",
                "subject": {"reference": "Patient/p1"},
                "activity": [{"detail": detail}]}  # fmt: skip
    patient = {"resourceType": "Patient", "id": "p1", "identifier": [{"value": "C-9"}]}
    path = tmp_path / "b.json"
    entries = [{"resource": patient}, {"resource": careplan}]
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    (result,) = list(read(path, ReadOptions()))
    assert result.plan.review.next_review_date == dt.date(2026, 2, 1)
    assert result.plan.review.interval_days == 90  # the default, not 1 (True) or 0


def test_a_plan_reviewed_every_0_days_still_makes_a_valid_bundle() -> None:
    """A review interval of 0 days gives no period (its end would come before its start,
    which FHIR's Period forbids): the bundle names the start only."""
    plan = sample_plans()[0]
    plan = plan.model_copy(
        update={"review": plan.review.model_copy(update={"interval_days": 0,
                                                         "next_review_date": None})}
    )  # fmt: skip
    careplan = _careplan(to_bundle(plan, PAYER, AGENCY))  # validated as R4B before returned
    assert "end" not in careplan["period"]
