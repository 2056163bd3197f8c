"""How often a frequency promises something, and a bank frequency made no more often than the
plan's sessions (clinical/pace.py): the goal bank's "weekly" beside CT-1004's sessions every
other week."""

from __future__ import annotations

import pytest

from pipeline.clinical.pace import Pace, is_referral, most_often, no_more_often, plan_pace
from pipeline.model import Service, ServiceType

EVERY_OTHER_WEEK = Pace(0.5, "every other week")


@pytest.mark.parametrize(
    ("text", "per_week"),
    [
        ("weekly", 1.0),
        ("Weekly", 1.0),
        ("weekly, 6-8 sessions", 1.0),
        ("weekly until resolved", 1.0),
        ("weekly for 6 weeks", 1.0),  # "6 weeks" is a duration, not a pace
        ("weekly, 12 weeks", 1.0),
        ("weekly or twice weekly, 12-20 sessions", 2.0),  # alternatives: the most often
        ("once, reviewed weekly", 1.0),
        ("once, then monthly coordination", 12 / 52),
        ("every 2 weeks", 0.5),
        ("every other week", 0.5),
        ("biweekly", 0.5),
        ("2x per month", 24 / 52),
        ("3 times a week", 3.0),
        ("twice a week", 2.0),
        ("daily", 7.0),
        ("12 weekly sessions", 1.0),
        ("every session", None),  # tied to the sessions: never more often
        ("first session, reviewed every session", None),
        ("once, then as needed", None),
        ("12 sessions", None),
        ("", None),
        (None, None),
    ],
)
def test_most_often(text: str | None, per_week: float | None) -> None:
    assert most_often(text) == (pytest.approx(per_week) if per_week is not None else None)


@pytest.mark.parametrize(
    ("text", "paced"),
    [
        ("weekly", "every other week"),
        ("weekly, 6-8 sessions", "every other week, 6-8 sessions"),
        ("weekly until resolved", "every other week until resolved"),
        ("weekly or twice weekly, 12-20 sessions", "every other week, 12-20 sessions"),
        ("once, reviewed weekly", "once, reviewed every other week"),
        ("every 2 weeks", "every 2 weeks"),  # as often as the sessions: kept as written
        ("monthly", "monthly"),
        ("every session", "every session"),
        ("once, then as needed", "once, then as needed"),
    ],
)
def test_no_more_often_than_every_other_week(text: str, paced: str) -> None:
    assert no_more_often(text, EVERY_OTHER_WEEK) == paced
    assert no_more_often(text, None) == text  # sessions' pace unknown: nothing changed


def test_every_four_weeks_is_monthly() -> None:
    """13 sessions a year against 12: the same pace written another way, not more often."""
    assert no_more_often("every 4 weeks", Pace(12 / 52, "monthly")) == "every 4 weeks"


def _service(frequency: str | None, kind: ServiceType = ServiceType.INDIVIDUAL) -> Service:
    return Service(type=kind, frequency=frequency)


def test_plan_pace_adds_the_services_up() -> None:
    assert plan_pace([_service("Every other week")]) == Pace(0.5, "every other week")
    both = plan_pace([_service("weekly"), _service("Twice weekly", ServiceType.GROUP)])
    assert both == Pace(3.0, "twice weekly")  # the most frequent service's words
    assert plan_pace([]) is None
    assert plan_pace([_service("weekly"), _service("as needed")]) is None  # cannot be told
    assert plan_pace([_service(None)]) is None


def test_referrals_are_seen_elsewhere() -> None:
    assert is_referral("Medication referral")
    assert is_referral("Referral to IOP")
    assert not is_referral("Communication skills training")
