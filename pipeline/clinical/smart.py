"""The SMART check of one objective: specific action, measure, baseline, target, target date.

One check for every stage: merge runs it on the objectives it writes, the payer rules run it
on every objective of a plan. It also checks that the measure, baseline and target columns
agree with what the objective's own text says (SMART007). Finding codes are stable.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.clinical.measures import canonical_instrument
from pipeline.findings import Finding, error
from pipeline.model import Objective

NO_TEXT = "SMART001"
NO_MEASURE = "SMART002"
NO_BASELINE = "SMART003"
NO_TARGET = "SMART004"
NO_DATE = "SMART005"
VAGUE = "SMART006"
DISAGREES = "SMART007"

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
    problems = problems_of(objective)
    if not problems:
        return []
    place = f"{where}, objective {objective.id}" if where else f"objective {objective.id}"
    return [error(code, place, message) for code, message in problems]


def problems_of(objective: Objective) -> tuple[tuple[str, str], ...]:
    """What :func:`check_objective` finds, as (code, message) pairs (an objective checked by
    the merge and again by each payer's rules is looked up by identity: parts are immutable,
    and the objective is kept with its answer, so its id() is not reused while it lives)."""
    entry = _CHECKED.get(id(objective))
    if entry is not None and entry[0] is objective:
        return entry[1]
    found = _problems(objective.text, objective.measure, objective.baseline,
                      objective.target, objective.target_date is None)  # fmt: skip
    if len(_CHECKED) >= 1024:
        _CHECKED.clear()
    _CHECKED[id(objective)] = (objective, found)
    return found


_CHECKED: dict[int, tuple[Objective, tuple[tuple[str, str], ...]]] = {}


@lru_cache(maxsize=4096)
def _problems(text: str | None, measure: str | None, baseline: str | None,
              target: str | None, undated: bool) -> tuple[tuple[str, str], ...]:  # fmt: skip
    """The SMART problems of an objective with these columns, as (code, message): a pure
    function of them, so an objective checked by the merge and again by the payer's rules (or
    the same bank objective in many plans) is worked out once."""
    found: list[tuple[str, str]] = []
    problems = _disagreements(text or "", measure, baseline, target)
    text = (text or "").strip()
    if not text:
        found.append((NO_TEXT, "the objective has no text; write the action the client will take"))
    verb = vague_lead(text)
    if verb and not re.search(r"\d", text):
        found.append((VAGUE, f'"{verb}" is not an observable action; say what the '
                             "client will do, how often, and to what level"))  # fmt: skip
    for value, code, part, hint in (
        (measure, NO_MEASURE, "measure", "an instrument (PHQ-9) or what is counted"),
        (baseline, NO_BASELINE, "baseline", "the intake score or current count"),
        (target, NO_TARGET, "target", "the score or count to reach"),
    ):
        if value is None or not str(value).strip():
            found.append((code, f"no {part}; add {hint}"))
    if undated:
        found.append((NO_DATE, "no target date; add the date by which the target "
                               "is reached (usually the next review)"))  # fmt: skip
    if problems:
        found.append((DISAGREES, _agreement_message(problems)))
    return tuple(found)


# --- the columns agree with the text -----------------------------------------------------------

#: "from 16", "from a PHQ-9 score of 16", "from PHQ-9 16": the baseline the text states
FROM_NUMBER = re.compile(
    r"\bfrom\s+(?:an?\s+)?(?:[A-Za-z0-9-]+\s+)?(?:score\s+of\s+)?(\d+(?:\.\d+)?)\b"
)
COMPARATIVE = r"(?:below|under|less than|fewer than|at or below|at most|no more than|at least)"
#: "to below 10", "to 1 or fewer": the target the text states
TO_NUMBER = re.compile(
    rf"\bto\s+((?:{COMPARATIVE}\s+)?\d+(?:/\d+)?(?:\s+or\s+(?:lower|fewer|less|more|higher))?)",
    re.IGNORECASE,
)
#: an instrument's name as payers write it: PHQ-9, GAD-7, AUDIT-C, C-SSRS, WSAS
_INSTRUMENT = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b|\b[A-Z]{3,}[0-9]*\b")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SQUEEZE = re.compile(r"[^a-z0-9]")


def _squeezed(text: str) -> str:
    return _SQUEEZE.sub("", text.lower())


def is_instrument(measure: str | None) -> bool:
    """Whether a measure names a questionnaire (PHQ-9, WSAS) rather than a count."""
    return (
        bool(measure) and _INSTRUMENT.fullmatch((measure or "").split("(")[0].strip()) is not None
    )


def column_number(value: str | None) -> str | None:
    """The number a baseline or target column states, instrument names aside ('GAD-7 = 16'
    gives '16')."""
    if not value:
        return None
    match = _NUMBER.search(_INSTRUMENT.sub(" ", value))
    return match.group(0) if match else None


def disagreements(objective: Objective) -> list[str]:
    """Where the measure, baseline or target columns contradict the objective's text."""
    return list(_disagreements(objective.text or "", objective.measure, objective.baseline,
                               objective.target))  # fmt: skip


@lru_cache(maxsize=4096)
def _disagreements(text: str, measure: str | None, baseline: str | None,
                   target: str | None) -> tuple[str, ...]:  # fmt: skip
    """:func:`disagreements` of an objective with these columns (a pure function of them)."""
    found: list[str] = []
    measure = measure or ""
    named = {c for m in _INSTRUMENT.finditer(text) if (c := canonical_instrument(m.group(0)))}
    missing = is_instrument(measure) and _squeezed(measure.split("(")[0]) not in _squeezed(text)
    if missing and named:
        found.append(f"the measure is {measure} but the text names {', '.join(sorted(named))}")
    stated = FROM_NUMBER.search(text)
    given = column_number(baseline)
    if stated and given is not None and float(stated.group(1)) != float(given):
        found.append(f'the baseline is "{baseline}" but the text says from {stated.group(1)}')
    stated = TO_NUMBER.search(text)
    given = column_number(target)
    wanted = column_number(stated.group(1)) if stated else None
    if wanted is not None and given is not None and float(wanted) != float(given):
        found.append(f'the target is "{target}" but the text says to {stated.group(1)}')
    return tuple(found)


def _agreement_message(found: tuple[str, ...] | list[str]) -> str:
    return f"{'; '.join(found)}: make the measure, baseline and target say what the text says"


def check_agreement(objective: Objective, where: str) -> list[Finding]:
    """An error when the objective's columns contradict its text."""
    found = disagreements(objective)
    if not found:
        return []
    place = f"{where}, objective {objective.id}" if where else f"objective {objective.id}"
    return [error(DISAGREES, place, _agreement_message(found))]
