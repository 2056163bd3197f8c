"""Service rules: type, session length, frequency and duration; billable session lengths."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator

from ..model import Plan, Service
from .registry import Context, Params, rule

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


_SERVICE_FIELDS = Literal[
    "type", "modality", "session_minutes", "frequency", "expected_duration", "cpt_code"
]


class ServiceDetails(Params):
    require: tuple[_SERVICE_FIELDS, ...] = (
        "type",
        "session_minutes",
        "frequency",
        "expected_duration",
    )
    max_duration_days: int | None = Field(None, gt=0)  #: the duration must be shorter


@rule("service_details", "TXR005", ServiceDetails)
def service_details(plan: Plan, p: ServiceDetails, ctx: Context) -> Iterator[tuple[str, str]]:
    """At least one service, each with type, session length, frequency and duration."""
    if not plan.services:
        yield "services", "missing; give the service type, session length, frequency and duration"
        return
    for s, service in enumerate(plan.services, start=1):
        for name in p.require:
            value = getattr(service, name)
            if value is None or not str(value).strip():
                yield f"services[{s}].{name}", "missing; this payer requires it for every service"
        where = f"services[{s}].expected_duration"
        if service.expected_duration and ("expected_duration" in p.require or p.max_duration_days):
            days = duration_days(service.expected_duration)
            if days is None:
                yield (
                    where,
                    (
                        f"{service.expected_duration!r} is not a duration; write e.g. "
                        '"16 weeks" or "6 months"'
                    ),
                )
            elif p.max_duration_days and days >= p.max_duration_days:
                yield (
                    where,
                    (
                        f"{service.expected_duration!r} is too long; this payer needs a duration "
                        f"under {p.max_duration_days} days"
                    ),
                )
        if (
            service.frequency
            and "frequency" in p.require
            and sessions_per_week(service.frequency) is None
        ):
            yield (
                f"services[{s}].frequency",
                (
                    f"{service.frequency!r} is not a frequency; write e.g. "
                    '"weekly", "2x per month" or "every other week"'
                ),
            )


_RANGE = re.compile(r"^\s*(\d+)\s*(?:(-)\s*(\d+)|(\+))?\s*$")


class SessionMinutesIn(Params):
    values: tuple[str, ...] = Field(min_length=1)  #: "16-37", "53+" or "60"

    @field_validator("values", mode="before")
    @classmethod
    def _ranges(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            value = tuple(str(v) for v in value)
            for item in value:
                if not _RANGE.match(item):
                    raise ValueError(f'{item!r} is not a range; write "16-37", "53+" or "60"')
        return value


def _in_range(minutes: int, text: str) -> bool:
    match = _RANGE.match(text)
    assert match is not None  # checked when the profile loaded
    low = int(match.group(1))
    if match.group(4):
        return minutes >= low
    high = int(match.group(3)) if match.group(2) else low
    return low <= minutes <= high


@rule("session_minutes_in", "TXR006", SessionMinutesIn)
def session_minutes_in(plan: Plan, p: SessionMinutesIn, ctx: Context) -> Iterator[tuple[str, str]]:
    """Every session length falls in one of the payer's billable ranges."""
    for s, service in enumerate(plan.services, start=1):
        minutes = service.session_minutes
        if minutes is None:
            continue  # service_details reports a missing length
        if not any(_in_range(minutes, text) for text in p.values):
            yield (
                f"services[{s}].session_minutes",
                (
                    f"{minutes} minutes is not billable here; use a length in "
                    f"{', '.join(p.values)} minutes"
                ),
            )


class RequestedSessions(Params):
    max: int | None = Field(None, gt=0)  #: most sessions one request may ask for


@rule("requested_sessions", "TXR016", RequestedSessions)
def requested_sessions_rule(
    plan: Plan, p: RequestedSessions, ctx: Context
) -> Iterator[tuple[str, str]]:
    """Each service's frequency and duration give a number of sessions within the maximum."""
    if not plan.services:
        yield "services", "missing; the request needs a frequency and duration of sessions"
    for s, service in enumerate(plan.services, start=1):
        count = requested_sessions(service)
        if count is None:
            yield (
                f"services[{s}]",
                (
                    "cannot count the sessions requested; give a frequency (e.g. weekly) and a "
                    "duration (e.g. 12 weeks)"
                ),
            )
        elif p.max is not None and count > p.max:
            yield (
                f"services[{s}]",
                (
                    f"{service.frequency} for {service.expected_duration} asks for {count} "
                    f"sessions; one request may ask for at most {p.max}"
                ),
            )
