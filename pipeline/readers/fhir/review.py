"""A FHIR CarePlan's period and review activities -> the plan date and the plan's review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pipeline.clinical import fhir as f
from pipeline.model import Review

_DAY = dt.timedelta(days=1)
_DONE = frozenset({"completed"})
_NOT_DUE = frozenset({"cancelled", "stopped", "entered-in-error"})
_UNIT_DAYS = {"d": 1, "wk": 7}  #: Timing.repeat.periodUnit -> days (months are not whole days)


def _dict(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for any other shape (an export's element may be
    anything: a wrong shape is ignored, never a crash)."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def is_review(activity: dict[str, Any]) -> bool:
    """An activity coded SNOMED CT 425268008 "Review of care plan": the plan's own review,
    not an intervention or a service."""
    code = _dict(_dict(_dict(activity).get("detail")).get("code"))
    return any(
        _dict(c).get("system") == f.SNOMED and _dict(c).get("code") == f.REVIEW_CODE
        for c in _list(code.get("coding"))
    )


def _day(detail: dict[str, Any]) -> dt.date | None:
    timing = _dict(detail.get("scheduledTiming"))
    events = [d for d in (_date(e) for e in _list(timing.get("event"))) if d]
    if events:
        return min(events)
    return _date(_dict(detail.get("scheduledPeriod")).get("start")) or _date(
        detail.get("scheduledString")
    )


def _interval(detail: dict[str, Any]) -> int | None:
    repeat = _dict(_dict(detail.get("scheduledTiming")).get("repeat"))
    period, unit = repeat.get("period"), _UNIT_DAYS.get(str(repeat.get("periodUnit")))
    if unit is None or isinstance(period, bool) or not isinstance(period, int | float):
        return None
    if repeat.get("frequency", 1) != 1 or not 1 <= period <= 366:
        return None
    days = period * unit
    return int(days) if float(days).is_integer() and 1 <= days <= 366 else None


@dataclass(frozen=True)
class Dated:
    """The plan date and review read from a CarePlan; ``inferred`` is the next review date
    when no review activity gave it and it was taken from the period's end."""

    plan_date: dt.date | None
    review: Review
    inferred: dt.date | None = None


def plan_dates(careplan: dict[str, Any] | None) -> Dated:
    """The plan date, the last and next review, the review interval, and the first day a
    review recertified the plan for, as txplan writes them (writers/fhir/careplan.py).

    ``period`` is the period the plan covers, both days included (FHIR R4 ``Period.end`` is
    inclusive); the next review is the ``scheduled`` review activity's day. A CarePlan with
    no such activity (another system's) is reviewed the day after its period ends, the
    first day of the next period, so the period reads back the same. A reviewed plan (a
    completed review, or ``replaces`` a previous version) created before its period starts
    was recertified: its plan date is ``created`` and its period starts at ``period.start``."""
    resource = careplan or {}
    period = _dict(resource.get("period"))
    start, end = _date(period.get("start")), _date(period.get("end"))
    done: list[dt.date] = []
    due: list[tuple[dt.date, int | None]] = []
    for activity in _list(resource.get("activity")):
        detail = _dict(_dict(activity).get("detail"))
        day = _day(detail)
        status = detail.get("status") if isinstance(detail.get("status"), str) else None
        if not is_review(activity) or day is None or status in _NOT_DUE:
            continue
        if status in _DONE:
            done.append(day)
        else:
            due.append((day, _interval(detail)))
    last = max(done) if done else None
    nxt, interval = min(due, key=lambda d: d[0]) if due else (None, None)
    inferred = None
    if nxt is None and end is not None and end < dt.date.max:
        nxt = inferred = end + _DAY
    plan_date, recertified = start, None
    created = _date(resource.get("created"))
    revised = bool(resource.get("replaces")) or last is not None
    if revised and created and start and created < start:
        plan_date = created
        if start != (last if last and last > created else created):
            recertified = start
    values: dict[str, Any] = {"next_review_date": nxt, "last_review_date": last}
    if interval:
        values["interval_days"] = interval
    if recertified:
        values["recertified_from"] = recertified
    return Dated(plan_date, Review(**values), inferred)
