"""What documents show beyond single values: goals numbered, the ISP grid, periods, columns."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import Any

from pipeline.clinical.measures import canonical_instrument
from pipeline.clinical.schedule import review_period, sessions_per_week
from pipeline.model import Goal, Plan
from pipeline.versions.certification import period as certification_period
from pipeline.writers.wording import clause, joined, tidy

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


#: The record an objective's text says it is kept in: "as recorded in a weekly log", "tracked
#: with a drink log", "recorded in the school's attendance record", "per sleep diary".
_RECORD = re.compile(
    r"\b(?:recorded|tracked|kept|logged|counted)\s+(?:in|with|on)\s+(?:an?\s+|the\s+)?"
    r"(?P<kept>[^.,;:()]+?)(?:\s+itself)?(?=\s+(?:through|by|at|until|every)\b|[.,;:()]|$)"
    r"|\bper\s+(?:the\s+)?(?P<per>[\w'-]+(?:\s+[\w'-]+)?\s+(?:diary|log|card|record|chart))\b",
    re.I,
)
#: a record's name ends with one of these: "a daily coping log and reviewed at each session"
#: is the coping log, "a daily mood and activity log" one log
_RECORD_NOUN = re.compile(
    r"^(.*?\b(?:log|diary|card|record|chart|list|planner|schedule|sheet|worksheet|portal|"
    r"report|review|map|calendar|tracker|journal))\s+and\s+(?!\w+\s+(?:log|diary|card)\b)",
    re.I,
)


def _record(text: str) -> str | None:
    """The record an objective's text says it is kept in, or None."""
    found = _RECORD.search(text)
    if found is None:
        return None
    record = (found.group("kept") or found.group("per")).strip()
    first = _RECORD_NOUN.match(record)
    return first.group(1) if first else record


_DATED = re.compile(r"\(|\d{4}|\d/\d")  #: a baseline that says when it was measured


def _capital(text: str) -> str:
    """A cell's text with a capital first letter ("weekly log" -> "Weekly log")."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


@functools.lru_cache(maxsize=8192)  # a pure function of strings that recur across plans
def measured_by(text: str, measure: str | None, how_often: str | None = None) -> str:
    """What an objective is measured by, for its own column: the instrument it scores, else
    the record its text says it is kept in, else what it counts; and how often. Never its
    baseline or target (they have their own places: :func:`baseline_cell`, the text)."""
    record = None if measure and canonical_instrument(measure) else _record(text)
    method = record or measure or ""
    return _capital(joined([method, how_often], ", "))


def baseline_cell(baseline: str | None, when: str = "") -> str:
    """An objective's baseline for its own column, with the date it was measured (``when``)
    unless it says one already."""
    if not baseline:
        return ""
    dated = when and not _DATED.search(baseline)
    return _capital(f"{baseline} ({when})" if dated else baseline)


def target_note(text: str, target: str | None) -> str:
    """`` (target: ...)`` after an objective whose text does not give its target's number
    (a clinician's "No suspensions ..." with target "0 suspensions"), else ""."""
    if not target or _said(target, text) or not _NUMBER.search(target):
        return ""  # said, or said in words ("completed, with a copy kept by the client")
    return f" (target: {target})"


def with_date(text: str, when: str) -> str:
    """The objective with its target date, unless its text already names that date."""
    if not when or when in text:
        return text
    return f"{text[:-1] if text.endswith('.') else text} (target date {when})"


def _letter(i: int) -> str:
    return chr(ord("a") + i % 26) * (1 + i // 26)


def goal_view(number: int, goal: Goal, date: DateFormat, *, outline: bool = True) -> dict[str, Any]:
    """A goal as templates see it; ``outline``: with its outline (goal, objectives and
    interventions as lines), which a template that reads none of it need not have made."""
    interventions = [
        {
            "number": f"{number}.{_letter(i)}",
            "id": iv.id,
            "modality": iv.modality,
            "description": iv.description,
            "frequency": iv.frequency,
            "responsible": iv.responsible,
            "rationale": iv.rationale,
            "text": f"{tidy(iv.modality)}: {tidy(iv.description)}" if iv.description
            else tidy(iv.modality),
        }
        for i, iv in enumerate(goal.interventions)
    ]  # fmt: skip
    refs = ", ".join(iv["number"] for iv in interventions)
    objectives = []
    for i, o in enumerate(goal.objectives, start=1):
        text = tidy(o.text, date)
        objectives.append(
            {
                "number": f"{number}.{i}",
                "id": o.id,
                "text": text,
                "text_dated": with_date(text, date(o.target_date)),
                "measure": o.measure,
                "baseline": o.baseline,
                "target": o.target,
                "measured_by": measured_by(text, o.measure, o.frequency),
                "baseline_text": baseline_cell(tidy(o.baseline, date), date(o.baseline_date)),
                "target_note": target_note(text, o.target),
                "target_date": date(o.target_date),
                "target_date_iso": o.target_date.isoformat() if o.target_date else "",
                "frequency": o.frequency,
                "status": STATUS_WORDS[o.status.value],
                "interventions": refs,
            }
        )
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


def certification(plan: Plan, anchor: dt.date | None, date: DateFormat) -> dict[str, Any]:
    """The plan-of-care certification period (:func:`pipeline.versions.certification.period`):
    from the plan date, or a reviewed plan's recertification, for the review interval,
    extended to the last target date so that it covers every objective."""
    found = certification_period(plan) if anchor is not None else None
    if found is None:
        return {"start": "", "end": "", "start_iso": "", "end_iso": "", "days": None}
    return {
        "start": date(found.start),
        "end": date(found.end),
        "start_iso": found.start.isoformat(),
        "end_iso": found.end.isoformat(),
        "days": found.days,
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
