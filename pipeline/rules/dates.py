"""Date rules: the plan written soon enough after intake, the next review within the interval.

Both rules use the plan's own dates (``intake_date``, ``plan_date``, ``review``), never the
clock; ``today`` stands in for a missing ``plan_date`` only when the caller gives it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import Field

from pipeline.model import Plan
from pipeline.rules.registry import Context, Params, rule


def _plan_date(plan: Plan, ctx: Context) -> dt.date | None:
    return plan.plan_date or ctx.today


class PlanWithinDays(Params):
    days: int | None = Field(None, gt=0)  #: None = the payer's plan_due_days


@rule("plan_within_days_of_intake", "TXR007", PlanWithinDays)
def plan_within_days_of_intake(
    plan: Plan, p: PlanWithinDays, ctx: Context
) -> Iterator[tuple[str, str]]:
    """The plan is dated within N days of intake (and not before it)."""
    days = p.days or ctx.payer.plan_due_days
    if days is None:
        return
    if plan.intake_date is None:
        yield "intake_date", f"missing; this payer needs the plan within {days} days of intake"
        return
    planned = _plan_date(plan, ctx)
    if planned is None:
        yield "plan_date", "missing; date the plan (txplan plan sets it) or pass --today"
        return
    late = (planned - plan.intake_date).days
    if late < 0:
        yield "plan_date", f"{planned} is before the intake date {plan.intake_date}"
    elif late > days:
        due = plan.intake_date + dt.timedelta(days=days)
        yield (
            "plan_date",
            (
                f"{planned} is {late} days after intake ({plan.intake_date}); this payer needs the "
                f"plan within {days} days, by {due}"
            ),
        )


class ReviewInterval(Params):
    days: int | None = Field(None, gt=0)  #: None = the payer's review_interval_days


@rule("review_interval", "TXR008", ReviewInterval)
def review_interval(plan: Plan, p: ReviewInterval, ctx: Context) -> Iterator[tuple[str, str]]:
    """The next review is dated after the plan and within the payer's review interval."""
    days = p.days or ctx.payer.review_interval_days
    nxt = plan.review.next_review_date
    if nxt is None:
        yield (
            "review.next_review_date",
            (f"missing; set the next review within {days} days of the plan date"),
        )
        return
    planned = _plan_date(plan, ctx)
    if planned is None:
        yield "plan_date", "missing; the review date is counted from it"
        return
    since, what = planned, "the plan date"
    last = plan.review.last_review_date  # a reviewed plan's clock restarts at its review
    if last is not None and last > planned:
        since, what = last, "the last review"
    gap = (nxt - since).days
    if gap <= 0:
        yield "review.next_review_date", f"{nxt} is not after {what} {since}"
    elif gap > days:
        latest = since + dt.timedelta(days=days)
        yield (
            "review.next_review_date",
            (
                f"{nxt} is {gap} days after {what}; this payer reviews every {days} days, "
                f"so review by {latest}"
            ),
        )
