"""How values read in a document: dates for people, and the client copy's plain words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.model import Plan

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
        "crisis_contacts": list(plan.safety_plan.professionals) if plan.safety_plan else [],
    }
