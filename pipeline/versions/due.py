"""Which plans are due (or overdue) for review, under each payer's review interval.

A plan's review clock starts at its last review, else its plan date, else its intake date.
For every payer the latest version was built for, the review is due one payer interval
(``review_interval_days`` in the payer profile) after that; a plan built for no payer uses
its own ``review.next_review_date``, else its own interval. A version blocked (or only a
draft) for every payer it was built for is not in effect, so nothing is due for it yet.
``today`` is always passed in, so a list is reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipeline.findings import Finding, warning
from pipeline.model import Client, Review
from pipeline.versions.store import Version

OVERDUE, DUE = "overdue", "due"


@dataclass(frozen=True)
class DueReview:
    """One plan's review for one payer that is due within the window."""

    client_id: str
    client_name: str
    payer: str  #: payer profile id; "" when the plan was built for no payer
    version: int
    since: dt.date  #: last review, plan or intake date
    interval_days: int
    due_date: dt.date
    days_left: int  #: negative when overdue
    status: str  #: overdue or due

    def row(self) -> dict[str, str]:
        """The CSV row (strings, ISO dates)."""
        return {
            "client_id": self.client_id,
            "client_name": self.client_name,
            "payer": self.payer,
            "version": str(self.version),
            "since": self.since.isoformat(),
            "interval_days": str(self.interval_days),
            "due_date": self.due_date.isoformat(),
            "days_left": str(self.days_left),
            "status": self.status,
        }


CSV_COLUMNS = tuple(DueReview.__dataclass_fields__)


@dataclass(frozen=True)
class _Facts:
    """What the review schedule needs of a stored plan: read without validating the whole
    plan (a store holds thousands; each is read, used and dropped)."""

    client: Client
    review: Review
    plan_date: dt.date | None
    intake_date: dt.date | None

    @classmethod
    def of(cls, version: Version) -> _Facts:
        data = json.loads(version.plan_json)

        def day(key: str) -> dt.date | None:
            value = data.get(key)
            return dt.date.fromisoformat(value) if value else None

        return cls(
            Client.model_validate(data["client"]),
            Review.model_validate(data.get("review") or {}),
            day("plan_date"),
            day("intake_date"),
        )


def due_reviews(
    versions: Iterable[Version],
    *,
    today: dt.date,
    within_days: int,
    payer_interval: Callable[[str], int],
) -> tuple[list[DueReview], list[Finding]]:
    """Reviews due on or before ``today + within_days``, most overdue first."""
    horizon = today + dt.timedelta(days=within_days)
    found: list[DueReview] = []
    findings: list[Finding] = []
    for version in versions:
        if version.statuses and not version.payers:
            continue  # built for payers, issued to none: a draft, not a plan in effect
        plan = _Facts.of(version)
        where = f"client {version.client_id}, version {version.number}"
        since = plan.review.last_review_date or plan.plan_date or plan.intake_date
        schedule: list[tuple[str, int, dt.date]] = []
        for payer in version.payers:
            interval = payer_interval(payer)
            if since is not None:
                schedule.append((payer, interval, since + dt.timedelta(days=interval)))
        if not version.payers:
            interval = plan.review.interval_days
            due = plan.review.next_review_date
            if due is None and since is not None:
                due = since + dt.timedelta(days=interval)
            if due is not None:
                schedule.append(("", interval, due))
        if not schedule:
            msg = "no review, plan or intake date: cannot tell when its review is due"
            findings.append(warning("DUE001", where, msg))
            continue
        for payer, interval, due in schedule:
            if due > horizon:
                continue
            days_left = (due - today).days
            found.append(
                DueReview(
                    client_id=version.client_id,
                    client_name=plan.client.display_name,
                    payer=payer,
                    version=version.number,
                    since=since or due - dt.timedelta(days=interval),
                    interval_days=interval,
                    due_date=due,
                    days_left=days_left,
                    status=OVERDUE if days_left < 0 else DUE,
                )
            )
    found.sort(key=lambda d: (d.due_date, d.client_id, d.payer))
    return found, findings
