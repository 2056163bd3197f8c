"""Session schedules read from free text, shared by the payer rules and the documents."""

import datetime as dt

import pytest

from pipeline.clinical.schedule import (
    Period,
    duration_days,
    requested_sessions,
    review_period,
    sessions_per_week,
)
from pipeline.model import Plan, Service
from pipeline.writers.context import service_context


@pytest.mark.parametrize(
    ("text", "per_week"),
    [
        ("Weekly", 1.0),
        ("every other week", 0.5),
        ("Biweekly", 0.5),
        ("Twice weekly", 2.0),
        ("2x per month", 24 / 52),
        ("3 times a week", 3.0),
        ("when needed", None),
        (None, None),
    ],
)
def test_sessions_per_week(text: str | None, per_week: float | None) -> None:
    found = sessions_per_week(text)
    if per_week is None:
        assert found is None
    else:
        assert found == pytest.approx(per_week)


@pytest.mark.parametrize(
    ("text", "days"),
    [("16 weeks", 112.0), ("6 months", 182.5), ("1 year", 365.0), ("8 weeks, then weekly", None)],
)
def test_duration_days(text: str, days: float | None) -> None:
    assert duration_days(text) == days


def test_document_and_rule_count_the_same_sessions() -> None:
    service = Service(frequency="Every other week", expected_duration="6 months")
    assert requested_sessions(service) == 13
    assert service_context(service)["sessions"] == requested_sessions(service)


# --- the period a plan requests until its next review (the OTR's authorization) -------------


def _dated(**review: object) -> Plan:
    from pipeline.model import Client, Review

    return Plan(
        client=Client(id="P"),
        plan_date=dt.date(2026, 1, 20),
        review=Review(**review),  # type: ignore[arg-type]
    )


def test_the_period_runs_to_the_next_review_the_merge_dates_objectives_by() -> None:
    """The review day starts the next period (session 8): the period ends the day before,
    the day the merge dates every objective due at the review."""
    period = review_period(_dated(next_review_date=dt.date(2026, 4, 20)))
    assert period == Period(dt.date(2026, 1, 20), dt.date(2026, 4, 19))
    assert period.days == 90 and dt.date(2026, 4, 19) in period
    assert dt.date(2026, 4, 20) not in period and dt.date(2026, 1, 19) not in period


def test_the_period_is_never_longer_than_the_interval_and_a_reviewed_plan_restarts() -> None:
    late = review_period(_dated(next_review_date=dt.date(2026, 7, 1)))  # TXR008 blocks it
    assert late is not None and late.end == dt.date(2026, 4, 19)
    none = review_period(_dated())
    assert none is not None and none.end == dt.date(2026, 4, 19)
    shorter = review_period(_dated(interval_days=60, next_review_date=dt.date(2026, 3, 1)))
    assert shorter is not None and shorter.end == dt.date(2026, 2, 28)
    reviewed = review_period(
        _dated(last_review_date=dt.date(2026, 4, 18), next_review_date=dt.date(2026, 7, 17))
    )
    assert reviewed == Period(dt.date(2026, 4, 18), dt.date(2026, 7, 16))


def test_the_report_prints_the_period_the_rule_checks() -> None:
    """The OTR's "To" is the day before the next review: the review starts the next period
    (session 8; it was the review day, which the next period also counted), and every
    objective due at the review is dated that day."""
    from pipeline.profiles import load_agency, load_payer
    from pipeline.writers.context import build_context

    plan = _dated(next_review_date=dt.date(2026, 4, 20))
    context = build_context(plan, load_payer("managed-care-otr"), load_agency("riverside"))
    assert (context["authorization"]["start"], context["authorization"]["end"]) == (
        "January 20, 2026",
        "April 19, 2026",
    )
