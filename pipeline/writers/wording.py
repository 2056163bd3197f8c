"""How values read in a document: dates for people, and the client copy's plain words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.clinical.risk import has_placeholder, safety_plan_gaps
from pipeline.model import Plan, SafetyPlan

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def human_date(value: dt.date | None) -> str:
    """``March 4, 2025``; empty for no date. Locale-independent."""
    if value is None:
        return ""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def short_date(value: dt.date | None) -> str:
    """``03/04/2025`` (the US form most payer forms ask for); empty for no date."""
    return "" if value is None else f"{value.month:02d}/{value.day:02d}/{value.year}"


#: Instrument names a client copy replaces with plain words.
PLAIN_WORDS = {
    "PHQ-9": "mood questionnaire",
    "GAD-7": "worry questionnaire",
    "PCL-5": "stress questionnaire",
    "AUDIT-C": "alcohol questionnaire",
}


assert all("-" in name for name in PLAIN_WORDS), "plain_words looks for a hyphen first"
_JARGON = re.compile("|".join(re.escape(j) for j in PLAIN_WORDS), re.IGNORECASE)
_PLAIN_BY_KEY = {j.lower(): plain for j, plain in PLAIN_WORDS.items()}


def plain_words(text: str | None) -> str:
    """Replace instrument names with the plain words a client copy uses."""
    if not text or "-" not in text:  # every instrument name has a hyphen: nothing to replace
        return text or ""
    return _JARGON.sub(lambda m: _PLAIN_BY_KEY[m.group(0).lower()], text)


def client_copy_words(
    plan: Plan, goals: list[dict[str, Any]], services: list[dict[str, Any]]
) -> dict:
    """What the plain-language client copy says: no codes, no jargon."""
    meetings = [
        f"We will meet {s['frequency'] or 'regularly'}"
        + (f" for about {s['session_minutes']} minutes" if s["session_minutes"] else "")
        + (f", for about {s['expected_duration']}" if s["expected_duration"] else "")
        + "."
        for s in services
    ]
    next_review = plan.review.next_review_date
    return {
        "goals": [
            {
                "words": g["client_words"],
                "steps": [plain_words(o["text"]) for o in g["objectives"]],
            }
            for g in goals
        ],
        "meetings": meetings,
        "next_review": human_date(next_review),
        "crisis_contacts": [
            c
            for c in (plan.safety_plan.professionals if plan.safety_plan else ())
            if c and not has_placeholder(c)
        ],
        "safety_plan": client_safety_plan(plan.safety_plan),
    }


#: The client copy's headings for the safety plan's steps, in the client's voice.
SAFETY_STEPS = (
    ("warning_signs", "Signs that a hard time may be coming"),
    ("coping_strategies", "Things I can do on my own"),
    ("people_and_places", "People and places that take my mind off things"),
    ("people_to_ask", "People I can ask for help"),
    ("professionals", "Professionals and crisis lines I can call"),
    ("means_safety", "Making my surroundings safe"),
    ("reasons_for_living", "What matters most to me"),
)


def client_safety_plan(safety: SafetyPlan | None) -> list[dict[str, Any]]:
    """The client's own safety plan, step by step; empty unless it is complete (a client
    copy never shows a placeholder)."""
    if safety is None or safety_plan_gaps(safety):
        return []
    steps = []
    for name, title in SAFETY_STEPS:
        value = getattr(safety, name)
        entries = [value] if isinstance(value, str) else list(value or ())
        entries = [e for e in entries if e and e.strip() and not has_placeholder(e)]
        if entries:
            steps.append({"title": title, "entries": entries})
    return steps
