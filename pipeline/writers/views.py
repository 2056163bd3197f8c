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
from pipeline.writers.cut import cut_item
from pipeline.writers.sections import mid_sentence
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


_WORDED = re.compile(r"[a-z]{2,}", re.I)  #: a baseline in words ("0 per week", "the average")
_LAST_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)$")


def baseline_note(text: str, baseline: str | None) -> str:
    """The baseline an objective's text does not state, as a note after it ("baseline: 0 per
    week"); "" when the text states it or there is none. A document that prints the objective
    as a sentence then still shows where it starts from."""
    if not baseline:
        return ""
    head = baseline.split(" (", 1)[0]
    if not _WORDED.search(head):  # a bare score: stated when the text has its numbers
        stated = _said(baseline, text)
    elif (count := re.match(r"\d+(?:\.\d+)?", head)) is not None:  # "1 night": "from 1 to 5"
        number = re.escape(count.group())
        stated = bool(re.search(rf"\bfrom\s+(?:[^\s.;]+\s+){{0,4}}?{number}(?![\d.])", text))
    else:  # in words ("the average of ..."): stated only in those words
        stated = head.lower() in text.lower()
    if stated:
        return ""
    return "baseline: " + _LAST_PARENTHESIS.sub(r", \1", baseline)


def with_date(text: str, when: str, baseline: str = "") -> str:
    """The objective with the baseline its text does not state (:func:`baseline_note`) and its
    target date, unless its text already names that date."""
    notes = [baseline] if baseline else []
    if when and when not in text:
        notes.append(f"target date {when}")
    if not notes:
        return text
    return f"{text[:-1] if text.endswith('.') else text} ({'; '.join(notes)})"


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
        "frequency": mid_sentence(frequency),
        "responsible": responsible,
        "rationale": rationale,
        "text": f"{tidy(modality)}: {tidy(description)}" if description else tidy(modality),
    }


@functools.lru_cache(maxsize=8192)  # bank objectives recur from plan to plan
def _objective(number: str, o_id: str, raw: str, measure: str | None, baseline: str | None,
               baseline_date: dt.date | None, target: str | None, target_date: dt.date | None,
               frequency: str | None, status: str, refs: str,
               date: DateFormat) -> dict[str, Any]:  # fmt: skip
    """An objective as templates see it: a pure function of its arguments, kept by them
    (the caller copies the dict it is given; this one is never handed out)."""
    text = tidy(raw, date)
    note = baseline_note(text, tidy(baseline, date))
    return {
        "number": number,
        "id": o_id,
        "text": text,
        "text_dated": with_date(text, date(target_date), note),
        "text_with_baseline": f"{text} ({note})" if note else text,
        "measure": measure,
        "baseline": baseline,
        "target": target,
        "measured_by": measured_by(text, measure, frequency),
        "baseline_text": baseline_cell(tidy(baseline, date), date(baseline_date)),
        "text_with_target": text + target_note(text, target),
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
        (f"{number}.{i}", o.id, o.text, o.measure, o.baseline, o.baseline_date, o.target,
         o.target_date, o.frequency, o.status.value, refs, date)
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


def certification(plan: Plan, anchor: dt.date | None, date: DateFormat) -> dict[str, Any]:
    """The plan-of-care certification period (:func:`pipeline.versions.certification.period`):
    from the plan date, or a reviewed plan's recertification, for the review interval (both
    days counted, at most 90). ``next`` is the day after it ends: the review due then
    recertifies the plan; the goals due at it are dated ``end``, the period's last day."""
    found = certification_period(plan) if anchor is not None else None
    if found is None:
        return {"start": "", "end": "", "next": "", "start_iso": "", "end_iso": "",
                "next_iso": "", "days": None}  # fmt: skip
    after = found.end + dt.timedelta(days=1)
    return {
        "start": date(found.start),
        "end": date(found.end),
        "next": date(after),
        "start_iso": found.start.isoformat(),
        "end_iso": found.end.isoformat(),
        "next_iso": after.isoformat(),
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
