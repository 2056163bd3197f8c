"""What recorded reviews put in a document: each review column's cell, each review's changes.

A payer grid (the Medicaid ISP) has a column per review point (90/180/270 days after the plan
date). Each recorded review (``Plan.reviews``, oldest first) goes to the column whose point is
nearest its date, and a column shows every review placed in it, oldest first, each from its
date (two reviews nearest the same point showed only one: session 6): per objective its status
then, the progress note, the score of its measure with the change from baseline, and what the
review changed with why. The review nearest the point is named after the column ("90-day
review"), another one placed there a "Review". Everything is words and the plan's numbers
(objective 2.1), never ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.clinical.measures import reliable_change
from pipeline.model import Objective, Plan, Revision
from pipeline.versions.numbering import labels
from pipeline.writers.views import STATUS_WORDS
from pipeline.writers.wording import joined

DateFormat = Callable[[dt.date | None], str]


def recorded(plan: Plan) -> tuple[Revision, ...]:
    """The plan's progress reviews, oldest first; a plan revised before reviews were kept on
    the plan has its one review as its ``revision`` (its last review date)."""
    if plan.reviews:
        return tuple(r for r in plan.reviews if r.date is not None)
    revision = plan.revision
    if revision is not None and revision.date and revision.date == plan.review.last_review_date:
        return (revision,)
    return ()


def placed(reviews: Sequence[Revision], anchor: dt.date | None,
           days: Sequence[int]) -> list[list[Revision]]:  # fmt: skip
    """Per review column, every review recorded in it, oldest first.

    Each review belongs to the column whose point is nearest its date (the earlier column on
    a tie). Without a plan date, reviews fill the columns in order, the last column taking
    the rest.
    """
    columns: list[list[Revision]] = [[] for _ in days]
    if not columns:
        return columns
    if anchor is None:
        for i, review in enumerate(reviews):
            columns[min(i, len(columns) - 1)].append(review)
        return columns
    points = [anchor + dt.timedelta(days=d) for d in days]
    for review in reviews:
        assert review.date is not None
        distances = [abs((review.date - p).days) for p in points]
        columns[distances.index(min(distances))].append(review)
    return columns


def place(reviews: Sequence[Revision], anchor: dt.date | None,
          days: Sequence[int]) -> list[Revision | None]:  # fmt: skip
    """Per review column, the review recorded nearest its point (None: no review yet; the
    later on a tie; without a plan date, the first placed), the one named after it."""
    points = [None if anchor is None else anchor + dt.timedelta(days=d) for d in days]
    chosen: list[Revision | None] = []
    for point, held in zip(points, placed(reviews, anchor, days), strict=True):
        best = None
        for review in held:
            if best is None or (point is not None and
                                _distance(review, point) <= _distance(best, point)):  # fmt: skip
                best = review
        chosen.append(best)
    return chosen


def _distance(review: Revision, point: dt.date) -> int:
    return abs(((review.date or point) - point).days)


@dataclass(frozen=True)
class ReviewHistory:
    """Per objective id its review cells (one per column), and every review in words."""

    cells: dict[str, list[str]]
    columns: int
    reviews: list[dict[str, Any]]

    def for_objective(self, objective_id: str) -> list[str]:
        return self.cells.get(objective_id, [""] * self.columns)


def review_history(plan: Plan, anchor: dt.date | None, days: Sequence[int],
                   date: DateFormat) -> ReviewHistory:  # fmt: skip
    """The review cells of every objective and the recorded reviews (see the module doc)."""
    reviews = recorded(plan)
    columns = place(reviews, anchor, days)
    every = placed(reviews, anchor, days)
    numbers = labels(plan)
    cells: dict[str, list[str]] = {}
    for goal in plan.goals:
        for objective in goal.objectives:
            row = []
            for held in every:  # each review in the column, oldest first, from its date
                said = (_cell(plan, goal.id, objective, review, _previous(reviews, review),
                              date) for review in held)  # fmt: skip
                row.append(" ".join(c for c in said if c))
            cells[objective.id] = row
    listed = []
    for review in reviews:
        column = next((i for i, r in enumerate(columns) if r is review), None)
        label = f"{days[column]}-day review" if column is not None else "Review"
        listed.append(
            {
                "date": date(review.date),
                "label": label,
                "reviewer": review.reviewer or "",
                "title": joined([f"{label}, {date(review.date)}", review.reviewer], ", by "),
                "changes": _change_lines(review, numbers),
            }
        )
    return ReviewHistory(cells, len(days), listed)


def _previous(reviews: Sequence[Revision], review: Revision | None) -> dt.date | None:
    if review is None:
        return None
    earlier = [r.date for r in reviews if r.date and review.date and r.date < review.date]
    return max(earlier) if earlier else None


def _cell(plan: Plan, goal_id: str, objective: Objective, review: Revision,
          before: dt.date | None, date: DateFormat) -> str:  # fmt: skip
    """One objective at one review: status, note, score and change from baseline, changes."""
    progress = {p.objective: p for p in review.progress}
    own = [c for c in review.changes if c.target == objective.id]
    added = [c for c in review.changes if c.target == goal_id and "added" in c.change]
    entry = progress.get(objective.id)
    if entry is None and review.progress and not added and not own:
        return ""  # the objective was not in the plan at this review
    status = ""
    if added and not (entry and entry.note):
        status = "Objective added at this review"
    elif entry is not None:
        status = STATUS_WORDS[entry.status.value]
        status = status if own or entry.note else f"{status} (no change recorded)"
    parts = [f"{date(review.date)}: {status}" if status else date(review.date)]
    if entry is not None and entry.note:
        parts.append(entry.note)
    parts.extend(_scores(plan, objective, review, before))
    for change in own:
        if change.change.startswith("target date "):
            parts.append(f"new target date {change.change.removeprefix('target date ')}")
        elif not change.change.startswith("status ") or entry is None:
            parts.append(change.change)
    why = list(dict.fromkeys(c.rationale for c in (*own, *added) if c.rationale))
    if why:
        parts.append("Why: " + "; ".join(why))
    return ". ".join(_sentence(p) for p in parts if p) + "."


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def _scores(plan: Plan, objective: Objective, review: Revision,
            before: dt.date | None) -> list[str]:  # fmt: skip
    """The objective's measure at this review, with the change from baseline in words."""
    if not objective.measure or review.date is None:
        return []
    wanted = objective.measure.lower()
    found = []
    for name in dict.fromkeys(m.instrument for m in plan.measures):
        if name.lower() not in wanted:
            continue
        taken = [
            m
            for m in plan.measures
            if m.instrument == name and m.date and m.total is not None
            and m.date <= review.date and (before is None or m.date > before)
        ]  # fmt: skip
        if not taken:
            continue
        now = max(taken, key=lambda m: m.date or dt.date.min)
        base = plan.baseline_measure(name)
        text = f"{name} {now.total}"
        if base is not None and base != now and base.total is not None and now.total is not None:
            delta = now.total - base.total
            threshold = reliable_change(name)
            trend = ""
            if threshold and abs(delta) >= threshold:
                trend = "; reliable improvement" if delta < 0 else "; reliable deterioration"
            text += f" (baseline {base.total}{trend})"
        found.append(text)
    return found


def _name(target: str, numbers: dict[str, str]) -> str:
    if target.startswith("measure:"):
        return target.removeprefix("measure:")
    if target.startswith("diagnosis:"):
        return f"Diagnosis {target.removeprefix('diagnosis:')}"
    if target in numbers:
        return numbers[target]
    return {
        "assessment": "",
        "client": "Client details",
        "risk": "Risk",
        "safety_plan": "",
        "services": "",
        "signatures": "",
    }.get(  # their changes say what they are about
        target, "An item no longer in the plan"
    )


def _change_lines(review: Revision, numbers: dict[str, str]) -> list[str]:
    """The review's changes in words, those with one rationale on one line with it."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for change in review.changes:
        if change.target == "review":
            continue
        name = _name(change.target, numbers)
        what = change.change
        if name.startswith("Goal ") and what.startswith("goal "):
            what = what.removeprefix("goal ")
        elif name.startswith("Diagnosis ") and what.startswith("diagnosis "):
            what = what.removeprefix("diagnosis ")
        grouped.setdefault(change.rationale, {}).setdefault(name, []).append(what)
    lines = []
    for why, items in grouped.items():
        said = "; ".join(
            _sentence(f"{name} {', '.join(whats)}" if name else ", ".join(whats))
            for name, whats in items.items()
        )
        lines.append(f"{said}. Why: {why}" if why else said)
    return lines
