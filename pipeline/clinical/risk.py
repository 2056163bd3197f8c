"""Suicide risk decided from the plan's structure, and what a complete safety plan holds.

Risk is flagged by recorded facts, never by words in goals: PHQ-9 item 9 above 0 (on or
before the plan date), a positive C-SSRS screen, a clinician-rated moderate or high risk,
recorded suicidal or homicidal ideation or self-harm, means access, or a safety plan marked
required. A flagged plan needs a safety goal linked to the safety problem and a complete
Stanley-Brown safety plan: every section holds the client's own content and no placeholder.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from pipeline.model import Goal, Plan, RiskLevel, SafetyPlan

#: Marks a safety-plan entry from the goal bank skeleton the clinician must complete.
TODO_MARK = "[Complete with the client]"

#: The problem a safety goal is linked to (the goal bank's safety problem has this name).
SAFETY_PROBLEM = "Suicide risk"
_SAFETY_PROBLEMS = frozenset({"suicide risk", "safety", "safety planning", "risk of suicide"})

#: The sections a complete safety plan fills, with the words people use for them.
REQUIRED_SECTIONS = {
    "warning_signs": "warning signs",
    "coping_strategies": "coping strategies",
    "people_and_places": "people and places that distract",
    "people_to_ask": "people to ask for help",
    "professionals": "professionals and crisis lines",
    "means_safety": "making the environment safe",
}

#: Placeholder or skeleton text: never client-specific content.
PLACEHOLDER = re.compile(
    r"\[[^\]]*\]|\{\{|\{%|<[^>]*>|\b(?:tbd|tbc|todo|to do|fixme|xxx+|lorem ipsum|placeholder|"
    r"n/a|none yet|to be (?:completed|determined|added)|complete with the client|"
    r"fill in|fill me)\b",
    re.IGNORECASE,
)
#: Entries every safety plan lists that say nothing about this client (national lines).
_GENERIC = re.compile(r"\b(?:988|911|lifeline|crisis text line|741741)\b", re.IGNORECASE)

_MEANS = re.compile(
    r"\b(?:fire ?arms?|guns?|hand ?guns?|pistols?|revolvers?|rifles?|shot ?guns?|weapons?|"
    r"ammunition|ammo|stockpil\w*|hoard\w*|lethal means|rope|noose|pills? (?:saved|stored)|"
    r"saved (?:up )?pills|medications? (?:saved|stored|stockpiled))\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:no|not|denies|denied|without|none|never|nor|lacks?)\b(?!\s+(?:plan|intent)\b)", re.I
)
_CLAUSE = re.compile(r"[;.,\n]|\bbut\b|\band\b(?=\s+(?:a|has|owns|keeps)\b)", re.IGNORECASE)


def has_placeholder(text: str | None) -> bool:
    """True when a text carries skeleton or placeholder wording."""
    return bool(text) and bool(PLACEHOLDER.search(text or ""))


def means_named(text: str | None) -> bool:
    """True when a risk text names lethal means the client has (a clause without a negation
    before the means: "handgun at home" yes, "no access to firearms" no)."""
    for clause in _CLAUSE.split(text or ""):
        found = _MEANS.search(clause)
        if found and not _NEGATION.search(clause[: found.start()]):
            return True
    return False


def _item9(plan: Plan) -> int | None:
    """PHQ-9 item 9 of the latest administration on or before the plan date."""
    anchor = plan.plan_date or plan.intake_date or dt.date.max
    best: tuple[dt.date, int, int] | None = None
    for index, m in enumerate(plan.measures):
        if m.instrument != "PHQ-9" or len(m.items) < 9:
            continue
        day = m.date or dt.date.min
        if day <= anchor and (best is None or (day, index) > best[:2]):
            best = (day, index, m.items[8])
    return None if best is None else best[2]


def risk_reasons(plan: Plan) -> tuple[str, ...]:
    """Why the plan is at risk, from recorded facts only (empty: not flagged). All it reads
    is the plan's risk, measures and date: a plan merged from another shares them (parts are
    immutable), so the answer for the last ones asked about, kept with them, is reused."""
    risk, measures = plan.risk, plan.measures
    anchor = plan.plan_date or plan.intake_date
    last = _LAST_REASONS[0]
    if last is not None and last[0] is risk and last[1] is measures and last[2] == anchor:
        return last[3]
    reasons = _reasons(plan)
    _LAST_REASONS[0] = (risk, measures, anchor, reasons)
    return reasons


_LAST_REASONS: list[tuple[object, object, dt.date | None, tuple[str, ...]] | None] = [None]


def _reasons(plan: Plan) -> tuple[str, ...]:
    risk = plan.risk
    reasons = []
    item9 = _item9(plan)
    if item9:
        reasons.append(f"PHQ-9 item 9 = {item9}")
    if risk.cssrs_positive:
        reasons.append("C-SSRS screen positive")
    if risk.level in (RiskLevel.MODERATE, RiskLevel.HIGH):
        reasons.append(f"risk rated {risk.level.value}")
    if risk.suicidal_ideation:
        reasons.append("suicidal ideation")
    if risk.homicidal_ideation:
        reasons.append("homicidal ideation")
    if risk.self_harm:
        reasons.append("self-harm")
    if risk.means_access:
        reasons.append("access to lethal means")
    if risk.safety_plan_required:
        reasons.append("safety plan required")
    return tuple(reasons)


def screen_on_file(plan: Plan) -> str | None:
    """The risk screen recorded on or before the plan date, in words (None: none): a PHQ-9
    with its item 9 answered, or a C-SSRS administration."""
    item9 = _item9(plan)
    if item9 is not None:
        return f"PHQ-9 item 9 = {item9}"
    anchor = plan.plan_date or plan.intake_date or dt.date.max
    for m in plan.measures:
        if m.instrument == "C-SSRS" and (m.date or dt.date.min) <= anchor:
            return "a C-SSRS screen"
    return None


def at_risk(plan: Plan) -> bool:
    return bool(risk_reasons(plan))


def has_means(plan: Plan) -> bool:
    """Means access recorded, or named in the risk notes."""
    return plan.risk.means_access or means_named(plan.risk.notes)


def _entries(safety: SafetyPlan, name: str) -> list[str]:
    value = getattr(safety, name)
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [i.strip() for i in items if i and i.strip()]


def safety_plan_gaps(safety: SafetyPlan | None) -> dict[str, str]:
    """Incomplete sections -> why (empty dict: complete). A section is incomplete when it is
    empty, holds placeholder text, or (professionals) lists only the national crisis lines."""
    if safety is None:
        return dict.fromkeys(REQUIRED_SECTIONS, "missing")
    gaps = {}
    for name in REQUIRED_SECTIONS:
        entries = _entries(safety, name)
        if not entries:
            gaps[name] = "empty"
        elif any(map(has_placeholder, entries)):
            gaps[name] = "placeholder text"
        elif name == "professionals" and all(_GENERIC.search(e) for e in entries):
            gaps[name] = "only national crisis lines; add the client's own clinician"
    if has_placeholder(safety.reasons_for_living):
        gaps["reasons_for_living"] = "placeholder text"
    return gaps


def describe_gaps(gaps: dict[str, str]) -> str:
    """``warning signs (placeholder text), coping strategies (empty)``."""
    label = {**REQUIRED_SECTIONS, "reasons_for_living": "reasons for living"}
    return ", ".join(f"{label.get(name, name)} ({why})" for name, why in gaps.items())


def safety_plan_complete(plan: Plan) -> bool:
    """A safety plan is present and every section is the client's own."""
    return plan.safety_plan is not None and not safety_plan_gaps(plan.safety_plan)


def is_safety_goal(goal: Goal) -> bool:
    """A goal linked to the safety problem (by its problem or its goal-bank family)."""
    problem = goal.problem
    if problem and _safety_problem(problem):
        return True
    bank_id = goal.bank_id
    return bank_id is not None and bank_id.startswith("SAFETY.")


@lru_cache(maxsize=1024)  # a pure function of the text; asked of every goal of every plan
def _safety_problem(problem: str) -> bool:
    return problem.strip().casefold() in _SAFETY_PROBLEMS
