"""What documents show beyond single values: goals numbered, the ISP grid, periods, columns."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import Any

from pipeline.clinical.schedule import review_period, sessions_per_week
from pipeline.model import Goal, Plan
from pipeline.writers.cut import cut_item
from pipeline.writers.usage import NOT_READ, Fields, shape
from pipeline.writers.wording import clause, joined, tidied, tidy

DateFormat = Callable[[dt.date | None], str]
STATUS_WORDS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "met": "Met",
    "partially_met": "Partially met",
    "not_met": "Not met",
    "discontinued": "Discontinued",
}

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _said(value: str | None, text: str) -> bool:
    """Whether ``text`` already says ``value``: the words, or else all of its numbers."""
    if not value:
        return True
    low = text.lower()
    if value.lower() in low:
        return True
    numbers = _NUMBER.findall(value)
    return bool(numbers) and all(re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", text)
                                 for n in numbers)  # fmt: skip


@functools.lru_cache(maxsize=8192)  # a pure function of strings that recur across plans
def measured_by(text: str, measure: str | None, baseline: str | None, target: str | None,
                how_often: str | None = None) -> str:  # fmt: skip
    """How an objective is measured: the measure, baseline and target only where its text
    does not already say them (an objective table never repeats its text in another
    column), and how often it is measured."""
    parts = [measure or ""] if measure and not _said(measure, text) else []
    if not _said(baseline, text):
        parts.append(f"baseline {baseline}")
    if not _said(target, text):
        parts.append(f"target {target}")
    if how_often:
        parts.append(f"measured {how_often}")
    return "; ".join(parts) or "as the objective states"


def with_date(text: str, when: str) -> str:
    """The objective with its target date, unless its text already names that date."""
    if not when or when in text:
        return text
    return f"{text[:-1] if text.endswith('.') else text} (target date {when})"


def _letter(i: int) -> str:
    return chr(ord("a") + i % 26) * (1 + i // 26)


#: The letters of a goal's first interventions ("a", "b", ...), made once.
_LETTERS = tuple(_letter(i) for i in range(52))


@functools.lru_cache(maxsize=8192)  # bank interventions recur from plan to plan
def _intervention(number: str, iv_id: str, modality: str, description: str | None,
                  frequency: str | None, responsible: str | None,
                  rationale: str | None) -> dict[str, Any]:  # fmt: skip
    """An intervention as templates see it: a pure function of its arguments, kept by them
    (the caller copies the dict it is given; this one is never handed out)."""
    return {
        "number": number,
        "id": iv_id,
        "modality": modality,
        "description": description,
        "frequency": frequency,
        "responsible": responsible,
        "rationale": rationale,
        "text": f"{tidy(modality)}: {tidy(description)}" if description else tidy(modality),
    }


@functools.lru_cache(maxsize=8192)  # bank objectives recur from plan to plan
def _objective(number: str, o_id: str, raw: str, measure: str | None, baseline: str | None,
               target: str | None, target_date: dt.date | None, frequency: str | None,
               status: str, refs: str, date: DateFormat) -> dict[str, Any]:  # fmt: skip
    """An objective as templates see it: a pure function of its arguments, kept by them
    (the caller copies the dict it is given; this one is never handed out)."""
    text = tidy(raw, date)
    return {
        "number": number,
        "id": o_id,
        "text": text,
        "text_dated": with_date(text, date(target_date)),
        "measure": measure,
        "baseline": baseline,
        "target": target,
        "measured_by": measured_by(text, measure, baseline, target, frequency),
        "target_date": date(target_date),
        "target_date_iso": target_date.isoformat() if target_date else "",
        "frequency": frequency,
        "status": STATUS_WORDS[status],
        "interventions": refs,
    }


class ItemCut:
    """A goal's objectives and interventions made only as a template reads them (tidied, the
    keys read): ``objective`` / ``intervention`` are the fields read of each (None: not read
    at all). Each is kept by content (its view's arguments, the date format and the shape of
    the fields: :func:`~pipeline.writers.usage.shape`) and handed out as a copy."""

    def __init__(self, objective: Fields | None, intervention: Fields | None,
                 date: DateFormat) -> None:  # fmt: skip
        self.objective, self.intervention, self.date = objective, intervention, date
        self.done = tidied(date)
        self.shapes = (shape(objective), shape(intervention))

    def make(self, which: int, args: tuple[Any, ...]) -> dict[str, Any]:
        """Item ``which`` (0: objective, 1: intervention) with these view arguments, cut."""
        if which == 0:
            return cut_item(("objective", args), lambda: _objective(*args), self.objective,
                            self.shapes[0], self.date, self.done)  # fmt: skip
        return cut_item(("intervention", args), lambda: _intervention(*args), self.intervention,
                        self.shapes[1], self.date, self.done)  # fmt: skip


#: A goal's keys that the context's goals are made with already cut (:class:`ItemCut`).
GOAL_ITEMS = ("objectives", "interventions")


def goal_fields(fields: Fields) -> tuple[Fields, Fields | None, Fields | None] | None:
    """What a template reads of each goal, of its objectives and of its interventions
    (None: not read), when every one is read by key (not looped over as a dict, no outline,
    no objective reviews); else None. Kept on the fields."""
    known = fields.__dict__.get("known")
    if known is None:
        known = fields.known = {}
    if _GOAL_FIELDS not in known:
        known[_GOAL_FIELDS] = _goal_fields(fields)
    return known[_GOAL_FIELDS]


def _goal_fields(fields: Fields) -> tuple[Fields, Fields | None, Fields | None] | None:
    goals = fields.get("goals", NOT_READ)
    each = goals.each if isinstance(goals, Fields) else None
    if not isinstance(each, Fields) or each.iterated or "outline" in each or "outline_rest" in each:
        return None
    items: list[Fields | None] = []
    for key in GOAL_ITEMS:
        if key not in each:
            items.append(None)
            continue
        item = each[key].each if isinstance(each[key], Fields) else None
        if not isinstance(item, Fields) or item.iterated or "reviews" in item:
            return None
        items.append(item)
    return each, items[0], items[1]


_GOAL_FIELDS = object()


def goal_view(number: int, goal: Goal, date: DateFormat, *, outline: bool = True,
              cut: ItemCut | None = None) -> dict[str, Any]:  # fmt: skip
    """A goal as templates see it; ``outline``: with its outline (goal, objectives and
    interventions as lines), which a template that reads none of it need not have made.
    Every dict in it is new (its objectives' and interventions' are copies of views kept by
    content: :func:`_objective`, :func:`_intervention`). With ``cut`` (never with an
    outline), the objectives and interventions are made as ``cut`` says, or not at all."""
    iv_args = [
        (f"{number}.{_LETTERS[i] if i < 52 else _letter(i)}", iv.id, iv.modality,
         iv.description, iv.frequency, iv.responsible, iv.rationale)
        for i, iv in enumerate(goal.interventions)
    ]  # fmt: skip
    refs = ", ".join(a[0] for a in iv_args)
    objective_args = [
        (f"{number}.{i}", o.id, o.text, o.measure, o.baseline, o.target, o.target_date,
         o.frequency, o.status.value, refs, date)
        for i, o in enumerate(goal.objectives, start=1)
    ]  # fmt: skip
    if cut is None:
        interventions = [_intervention(*a).copy() for a in iv_args]
        objectives = [_objective(*a).copy() for a in objective_args]
    else:
        outline = False
        interventions = [cut.make(1, a) for a in iv_args] if cut.intervention is not None else []
        objectives = [cut.make(0, a) for a in objective_args] if cut.objective is not None else []
    view: dict[str, Any] = {"number": number, "id": goal.id}
    if outline:
        objective_lines = [f"Objective {o['number']}: {o['text_dated']}" for o in objectives]
        intervention_lines = [
            f"Intervention {iv['number']}: "
            + joined([iv["text"], joined([iv["frequency"], iv["responsible"]], ", ")], "; ")
            for iv in interventions
        ]
        view["outline"] = [
            f"Goal {number}: “{tidy(goal.client_words)}”",
            *objective_lines,
            *intervention_lines,
        ]
        view["outline_rest"] = objective_lines[1:] + intervention_lines
    return view | {
        "client_words": goal.client_words,
        "origin": goal.origin.value,  #: "bank": its words are the goal bank's, not a quote
        "description": goal.description,
        "problem": goal.problem or goal.problem_definition,
        "problem_definition": goal.problem_definition,
        "diagnosis_codes": ", ".join(goal.diagnosis_codes),
        "clinical_goal": _clinical_goal(goal),
        "objectives": objectives,
        "interventions": interventions,
        "intervention_refs": refs,
    }


def _clinical_goal(goal: Goal) -> str:
    """The clinical goal with the diagnoses it serves, e.g. 'Remission of ... (F33.1)'; never
    the problem's name standing in for it (a problem is not a goal)."""
    text = clause(tidy(goal.description)) or "Not written yet"
    return f"{text} ({', '.join(goal.diagnosis_codes)})" if goal.diagnosis_codes else text


def grid(goals: list[dict[str, Any]], reviews: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per objective of the state-Medicaid grid; interventions referred to by number
    (each goal's interventions are listed once, in its own table)."""
    rows = []
    for goal in goals:
        for obj in goal["objectives"] or [None]:
            rows.append(
                {
                    "number": obj["number"] if obj else str(goal["number"]),
                    "goal_number": goal["number"],
                    "problem": goal["problem"],
                    "goal": goal["client_words"],
                    "objective": obj["text"] if obj else "",
                    "interventions": goal["intervention_refs"],
                    "frequency": (obj and obj["frequency"]) or "",
                    "target_date": obj["target_date"] if obj else "",
                    # What each review recorded (writers/review_columns.py), per column.
                    "reviews": obj["reviews"]
                    if obj and "reviews" in obj
                    else ["" for _ in reviews],
                }
            )
    return rows


def _targets(plan: Plan) -> list[dt.date]:
    return [o.target_date for g in plan.goals for o in g.objectives if o.target_date]


def certification(plan: Plan, anchor: dt.date | None, date: DateFormat) -> dict[str, Any]:
    """The plan-of-care certification period: from the plan date for the review interval,
    extended to the last target date so that it covers every objective."""
    if anchor is None:
        return {"start": "", "end": "", "start_iso": "", "end_iso": "", "days": None}
    end = anchor + dt.timedelta(days=plan.review.interval_days - 1)
    end = max([end, *_targets(plan)])
    return {
        "start": date(anchor),
        "end": date(end),
        "start_iso": anchor.isoformat(),
        "end_iso": end.isoformat(),
        "days": (end - anchor).days + 1,
    }


def authorization(plan: Plan, services: list[dict[str, Any]], date: DateFormat) -> dict[str, Any]:
    """The authorization period a treatment report requests: the plan's period until its
    next review (:func:`~pipeline.clinical.schedule.review_period`, the one the
    ``targets_in_period`` rule checks objective dates against), and the sessions the services
    ask for in it (their whole course when it is shorter). ``course_sessions`` is the whole
    course's count; ``sessions_text`` says both where they differ ("13 of the 16 planned for
    the whole course"), so a report never prints two session counts without saying which is
    which."""
    period = review_period(plan)
    days = period.days if period else plan.review.interval_days
    sessions, course = [], []
    for service, shown in zip(plan.services, services, strict=True):
        per_week = sessions_per_week(service.frequency)
        if shown["sessions"] and per_week:
            sessions.append(min(shown["sessions"], math.ceil(round(per_week * days / 7, 6))))
            course.append(shown["sessions"])
    total = sum(sessions) if sessions else None
    whole = sum(course) if course else None
    sessions_text = ""
    if total:
        sessions_text = (
            f"{total} (the whole course)"
            if total == whole
            else f"{total} of the {whole} planned for the whole course"
        )
    if period is None:
        return {"start": "", "end": "", "sessions": total, "course_sessions": whole,
                "sessions_text": sessions_text, "text": ""}  # fmt: skip
    text = f"{date(period.start)} to {date(period.end)}"
    if total:
        text += f", {total} sessions"
    return {"start": date(period.start), "end": date(period.end), "sessions": total,
            "course_sessions": whole, "sessions_text": sessions_text, "text": text}  # fmt: skip
