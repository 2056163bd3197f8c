"""Date rules: the plan written soon enough after intake, the next review within the interval,
objective target dates within the period a report requests (and a plan of care's certification
period), score baselines dated.

The rules use the plan's own dates (``intake_date``, ``plan_date``, ``review``), never the
clock; ``today`` stands in for a missing ``plan_date`` only when the caller gives it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import Field

from pipeline.clinical.certification import period as certification_period
from pipeline.clinical.measures import canonical_instrument
from pipeline.clinical.schedule import review_period
from pipeline.clinical.smart import column_number, is_instrument
from pipeline.model import ObjectiveStatus, Plan
from pipeline.rules.registry import Context, Params, rule

#: objectives already closed: their dates are history, not part of the period requested
_CLOSED = (ObjectiveStatus.MET, ObjectiveStatus.DISCONTINUED)


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


@rule("targets_in_period", "TXR019")
def targets_in_period(plan: Plan, p: Params, ctx: Context) -> Iterator[tuple[str, str]]:
    """Every open objective's target date falls within the period the report requests."""
    period = review_period(plan)
    if period is None:
        return  # no date at all: MERGE001 and the date rules say so
    span = f"{period.start} to {period.end}"
    for g, goal in enumerate(plan.goals, start=1):
        for o, objective in enumerate(goal.objectives, start=1):
            day = objective.target_date
            if day is None or objective.status in _CLOSED or day in period:
                continue  # no date: TXR003 says so
            when = "after" if day > period.end else "before"
            yield (
                f"goals[{g}].objectives[{o}].target_date",
                (
                    f"objective {g}.{o}'s target date {day} is {when} the period this report "
                    f"requests ({span}, until the next review): a payer authorizes only that "
                    "period; set a target date in it for what the client will reach by the "
                    "review (the longer aim stays in the goal, and the next report carries it on)"
                ),
            )


@rule("targets_in_certification", "TXR032")
def targets_in_certification(plan: Plan, p: Params, ctx: Context) -> Iterator[tuple[str, str]]:
    """Every open objective's target date falls within the plan of care's certification period
    (:func:`pipeline.clinical.certification.period`): Medicare certifies the plan for that
    period only, and the review that recertifies it comes the day after the period ends."""
    certified = certification_period(plan)
    if certified is None:
        return  # no date at all: MERGE001 and the date rules say so
    for g, goal in enumerate(plan.goals, start=1):
        for o, objective in enumerate(goal.objectives, start=1):
            day = objective.target_date
            if day is None or objective.status in _CLOSED:
                continue  # no date: TXR003 says so
            if certified.start <= day <= certified.end:
                continue
            when = "after" if day > certified.end else "before"
            yield (
                f"goals[{g}].objectives[{o}].target_date",
                (
                    f"objective {g}.{o}'s target date {day} is {when} the certification period "
                    f"({certified.start} to {certified.end}): the plan of care is certified for "
                    f"that period only; date what the client will reach by the recertification "
                    f"on or before {certified.end} (the review recertifying the plan carries the "
                    "goal on)"
                ),
            )


def _dated_score(plan: Plan, measure: str, score: str) -> bool:
    """Whether the plan holds a dated administration of ``measure`` scoring ``score`` on or
    before its date (the baseline's date is on file even where the objective does not say)."""
    name = canonical_instrument(measure) or measure
    return any(
        m.date is not None
        and m.total is not None
        and float(m.total) == float(score)
        and (canonical_instrument(m.instrument) or m.instrument) == name
        for m in plan.measures_known()
    )


@rule("baselines_dated", "TXR022")
def baselines_dated(plan: Plan, p: Params, ctx: Context) -> Iterator[tuple[str, str]]:
    """Every objective that starts from a questionnaire score has that score's date on file."""
    for g, goal in enumerate(plan.goals, start=1):
        for o, objective in enumerate(goal.objectives, start=1):
            measure = objective.measure
            if not measure or not is_instrument(measure) or objective.status in _CLOSED:
                continue
            score = column_number(objective.baseline)
            if score is None or objective.baseline_date is not None:
                continue
            if _dated_score(plan, measure, score):
                continue
            yield (
                f"goals[{g}].objectives[{o}].baseline_date",
                (
                    f"missing; objective {g}.{o} starts from a {measure} score of {score} with "
                    "no date, so the document cannot say when it was measured: record the date "
                    f"the {measure} was given, on or before the plan date (a {measure} date "
                    "field on the intake), and build again"
                ),
            )
