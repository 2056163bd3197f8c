"""Service rules: type, session length, frequency and duration; billable session lengths."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator

from pipeline.clinical.schedule import duration_days, requested_sessions, sessions_per_week
from pipeline.model import Plan
from pipeline.rules.registry import Context, Params, rule

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
