"""The SMART check of one objective: specific action, measure, baseline, target, target date.

One check for every stage: merge runs it on the objectives it writes, the payer rules run it
on every objective of a plan. Finding codes are stable.
"""

from __future__ import annotations

import re

from pipeline.findings import Finding, error
from pipeline.model import Objective

NO_TEXT = "SMART001"
NO_MEASURE = "SMART002"
NO_BASELINE = "SMART003"
NO_TARGET = "SMART004"
NO_DATE = "SMART005"
VAGUE = "SMART006"

#: Verbs and phrases that name no observable action; fine only next to a number.
VAGUE_PHRASES = (
    "improve",
    "understand",
    "feel better",
    "be aware",
    "become aware",
    "increase awareness",
    "gain insight",
    "learn about",
    "explore",
    "work on",
    "deal with",
    "cope better",
    "be happier",
)
#: "The client will", "I will", "To": whole words only (the "I" of "Improve" is not "I").
_LEAD = re.compile(
    r"^\s*(?:the\s+)?(?:(?:client|patient|i|he|she|they)\b)?\s*(?:(?:will|to)\b)?\s*", re.I
)
VAGUE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in VAGUE_PHRASES) + r")", re.I)


def vague_lead(text: str) -> str | None:
    """The vague verb an objective's text starts with ('Client will improve...'), if any."""
    rest = _LEAD.sub("", text, count=1)
    match = VAGUE_RE.match(rest)
    return match.group(1).lower() if match else None


def check_objective(objective: Objective, where: str) -> list[Finding]:
    """Errors for each SMART part the objective lacks; ``where`` names the objective."""
    found: list[Finding] = []
    place = f"{where}, objective {objective.id}" if where else f"objective {objective.id}"
    text = (objective.text or "").strip()
    if not text:
        found.append(
            error(
                NO_TEXT, place, "the objective has no text; write the action the client will take"
            )
        )
    verb = vague_lead(text)
    if verb and not re.search(r"\d", text):
        found.append(
            error(
                VAGUE,
                place,
                f'"{verb}" is not an observable action; say what the '
                "client will do, how often, and to what level",
            )
        )
    for value, code, part, hint in (
        (objective.measure, NO_MEASURE, "measure", "an instrument (PHQ-9) or what is counted"),
        (objective.baseline, NO_BASELINE, "baseline", "the intake score or current count"),
        (objective.target, NO_TARGET, "target", "the score or count to reach"),
    ):
        if value is None or not str(value).strip():
            found.append(error(code, place, f"no {part}; add {hint}"))
    if objective.target_date is None:
        found.append(
            error(
                NO_DATE,
                place,
                "no target date; add the date by which the target "
                "is reached (usually the next review)",
            )
        )
    return found
