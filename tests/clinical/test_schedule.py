"""Session schedules read from free text, shared by the payer rules and the documents."""

import pytest

from pipeline.clinical.schedule import duration_days, requested_sessions, sessions_per_week
from pipeline.model import Service
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
