"""Session schedules read from free text: sessions a week, duration, sessions requested.

One reading for every stage: the payer rules check these values and the writers print them
(the managed-care report's requested sessions and the period it requests), so a rule and a
document never disagree.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from pipeline.model import Plan, Service

_DAYS = {"day": 1.0, "week": 7.0, "month": 365 / 12, "year": 365.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(day|week|wk|month|mo|year|yr)s?\.?\s*$", re.I)
_UNIT = {"wk": "week", "mo": "month", "yr": "year"}


def duration_days(text: str | None) -> float | None:
    """Days in a duration such as "16 weeks", "6 months", "1 year" (None if not one)."""
    if not text:
        return None
    match = _DURATION.match(text)
    if not match:
        return None
    unit = match.group(2).lower()
    return float(match.group(1)) * _DAYS[_UNIT.get(unit, unit)]


_WORDS = {"once": 1, "twice": 2, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_PER = {"day": 7.0, "daily": 7.0, "week": 1.0, "weekly": 1.0, "month": 12 / 52, "monthly": 12 / 52}
_TIMES = re.compile(
    r"^\s*(\d+|once|twice|one|two|three|four|five)\s*(?:x|times?)?\s*"
    r"(?:a|per|/|every|each)?\s*(day|week|month)\s*$",
    re.I,
)
_EVERY = re.compile(r"^\s*every\s+(\d+|other|two|three|four)\s+(day|week|month)s?\s*$", re.I)


def sessions_per_week(text: str | None) -> float | None:
    """Sessions a week in a frequency such as "weekly", "2x per month", "every other week"."""
    if not text:
        return None
    t = " ".join(text.lower().replace("-", " ").split())
    if t in _PER:
        return _PER[t]
    if t in ("biweekly", "fortnightly", "every other week"):
        return 0.5
    if t in ("twice weekly", "twice a week"):
        return 2.0
    match = _TIMES.match(t)
    if match:
        count = match.group(1)
        n = float(_WORDS.get(count, count))  # type: ignore[arg-type]
        return n * _PER[match.group(2)]
    match = _EVERY.match(t)
    if match:
        every = {"other": 2, "two": 2, "three": 3, "four": 4}.get(match.group(1), match.group(1))
        return _PER[match.group(2)] / float(every)
    return None


#: Weeks in a unit when counting sessions: a year is 52 weeks and 12 months, so "2x per
#: month for 6 months" is 12 sessions and "weekly for 12 months" is 52.
_WEEKS = {"day": 1 / 7, "week": 1.0, "month": 52 / 12, "year": 52.0}


def requested_sessions(service: Service) -> int | None:
    """Sessions a service asks for: frequency x duration, rounded up (None if unknown)."""
    per_week = sessions_per_week(service.frequency)
    match = _DURATION.match(service.expected_duration or "")
    if per_week is None or match is None:
        return None
    unit = match.group(2).lower()
    weeks = float(match.group(1)) * _WEEKS[_UNIT.get(unit, unit)]
    return math.ceil(round(per_week * weeks, 6))


_DAY = dt.timedelta(days=1)


def due_by(next_review: dt.date) -> dt.date:
    """The day an objective due "at the next review" is dated: the last day of the period that
    review ends. The review day itself starts the next period (a Medicare recertification, a
    managed-care re-authorization), so a target dated on it would fall one day outside the
    period the plan is certified or authorized for: a plan of January 14 reviewed every 90
    days is certified through April 13, its review is due April 14, and its goals are due
    April 13."""
    return next_review - _DAY


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def _forms(day: dt.date) -> tuple[str, ...]:
    """How objective text writes a date: ISO, US short, long ("April 6, 2026")."""
    long = f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return (day.isoformat(), f"{day.month:02d}/{day.day:02d}/{day.year}", long)


def redate(text: str, old: dt.date | None, new: dt.date) -> str:
    """Objective text with its old target date, in whichever form it is written, made the new
    one ("... below 10 by 2026-04-06" -> "... by 2026-07-05"), so text and date agree."""
    if old is None:
        return text
    for was, now in zip(_forms(old), _forms(new), strict=True):
        text = text.replace(was, now)
    return text


@dataclass(frozen=True)
class Period:
    """The period a plan is in force until its next review: ``start`` to ``end``, both days
    included; ``end`` is the day before the next review (:func:`due_by`), by which every
    objective due "at the next review" is due, and the review starts the next period."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Days in the period, both ends counted (90 for a 90-day interval)."""
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def review_period(plan: Plan) -> Period | None:
    """The period a plan requests until its next review (a treatment report's authorization):
    from the plan date (the intake date without one; for a reviewed plan the start its review
    recorded, the day after the period before ended, else the last review's date) to the day
    before the plan's next review, never longer than the review interval. Consecutive periods
    neither overlap (the review day belongs to the next one only) nor leave a day out when the
    review comes by the day after the period ends. The merge dates every objective due at the
    next review on the period's last day, so it lies in the period. None when the plan has no
    date at all."""
    start = plan.plan_date or plan.intake_date
    if start is None:
        return None
    last = plan.review.last_review_date
    if last is not None and last > start:
        start = last
    recertified = plan.review.recertified_from
    if recertified is not None and recertified > start:
        start = recertified  # an early review: the period before runs to its end
    longest = start + dt.timedelta(days=plan.review.interval_days)
    nxt = plan.review.next_review_date
    end = nxt if nxt is not None and start < nxt <= longest else longest
    return Period(start, due_by(end))
