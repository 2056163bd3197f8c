"""Hypothesis strategies for the safety properties: plans with generated risk facts, safety
plans (complete, missing, or with skeleton and placeholder sections) and safety goals.

Every plan starts from tests/data/render/full.json, a plan ok for every payer, so that what
decides its status is what is generated here: the risk facts and the safety plan.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from hypothesis import strategies as st

from pipeline.clinical.measures import score
from pipeline.model import Plan, RiskLevel
from tests.support import TEST_DATA

BASE = Plan.model_validate(
    json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
)
SECTIONS = ("warning_signs", "coping_strategies", "people_and_places", "people_to_ask",
            "professionals", "means_safety")  # fmt: skip

#: What a skeleton or an unfinished safety-plan section holds instead of the client's words.
PLACEHOLDERS = (
    "[Complete with the client] Thoughts, moods, situations that come before a crisis.",
    "[Complete with the client]",
    "TBD",
    "To be completed at next session",
    "todo: ask the client",
    "{{ warning_signs }}",
    "",
)
#: The professionals section listing only national lines is unfinished too.
NATIONAL_ONLY = ("988 Suicide & Crisis Lifeline", "911")

#: Text no ok document may show (what an unfinished plan or a skeleton leaves behind).
MARKERS = re.compile(
    r"complete with the client|\bTBD\b|\btodo\b|to be completed|\{\{|\{%|\{[a-z_]+\}",
    re.IGNORECASE,
)


def at_risk(plan: Plan) -> bool:
    """The issue's risk facts, read from the plan independently of pipeline.clinical.risk:
    PHQ-9 item 9 above 0 (on or before the plan date), a positive C-SSRS screen, a
    clinician-rated moderate or high risk, means access recorded."""
    anchor = plan.plan_date or plan.intake_date
    item9 = any(
        m.instrument == "PHQ-9" and len(m.items) == 9 and m.items[8] > 0
        and (m.date is None or anchor is None or m.date <= anchor)
        for m in plan.measures
    )  # fmt: skip
    risk = plan.risk
    return item9 or risk.cssrs_positive or risk.means_access or risk.level in (
        RiskLevel.MODERATE, RiskLevel.HIGH)  # fmt: skip


def safety_plan_complete(plan: Plan) -> bool:
    """Every section holds the client's own words: none empty, none a placeholder, and the
    professionals more than the national lines (independent of pipeline.clinical.risk)."""
    safety = plan.safety_plan
    if safety is None:
        return False
    for name in SECTIONS:
        value = getattr(safety, name)
        entries = [value] if isinstance(value, str) else list(value or ())
        entries = [e for e in entries if e and e.strip()]
        if not entries or any(MARKERS.search(e) or "[" in e for e in entries):
            return False
        if name == "professionals" and all(e in NATIONAL_ONLY for e in entries):
            return False
    return True


def has_safety_goal(plan: Plan) -> bool:
    """A goal linked to the safety problem, with objectives."""
    return any(
        ((g.problem or "").casefold() == "suicide risk" or (g.bank_id or "").startswith("SAFETY."))
        and g.objectives
        for g in plan.goals
    )


@st.composite
def safety_plans(draw: Any):
    """The base plan's complete safety plan, none, or one with some sections unfinished."""
    kind = draw(st.sampled_from(("complete", "complete", "none", "unfinished")))
    if kind == "none":
        return None
    safety = BASE.safety_plan
    if kind == "complete":
        return safety
    broken = draw(st.lists(st.sampled_from(SECTIONS), min_size=1, max_size=3, unique=True))
    update: dict[str, Any] = {}
    for name in broken:
        text = draw(st.sampled_from(PLACEHOLDERS))
        if name == "professionals" and draw(st.booleans()):
            update[name] = NATIONAL_ONLY
        elif name == "means_safety":
            update[name] = text or None
        else:
            keep = draw(st.booleans())  # a placeholder beside real entries is still unfinished
            update[name] = ((*getattr(safety, name), text) if keep else (text,)) if text else ()
    return safety.model_copy(update=update)


@st.composite
def plans(draw: Any) -> Plan:
    """A plan with generated risk facts, safety plan and goals."""
    item9 = draw(st.integers(0, 3))
    measures = []
    for m in BASE.measures:
        if m.instrument == "PHQ-9":
            items = (*m.items[:8], item9)
            m, _ = score("PHQ-9", items=items, date=m.date)
        measures.append(m)
    later = draw(st.booleans())  # an administration after the plan date never counts
    if later:
        after, _ = score("PHQ-9", items=(0,) * 8 + (3,), date=BASE.plan_date + dt.timedelta(30))
        measures.append(after)
    risk = BASE.risk.model_copy(update={
        "suicidal_ideation": False, "safety_plan_required": False, "notes": None,
        "cssrs_positive": draw(st.booleans()),
        "means_access": draw(st.booleans()),
        "level": draw(st.sampled_from(list(RiskLevel))),
    })  # fmt: skip
    goals = list(BASE.goals)
    if draw(st.booleans()):  # the clinician wrote no safety goal
        goals = [g for g in goals if g.problem != "Suicide risk"]
    if draw(st.booleans()):  # a non-safety goal that names the safety plan (the old trap)
        first = goals[0]
        objective = first.objectives[0].model_copy(
            update={"text": first.objectives[0].text + " and keep the safety plan current"}
        )
        goals[0] = first.model_copy(update={"objectives": (objective, *first.objectives[1:])})
    return BASE.model_copy(update={
        "measures": tuple(measures), "risk": risk, "goals": tuple(goals),
        "safety_plan": draw(safety_plans()),
    })  # fmt: skip


# --- intakes --------------------------------------------------------------------------------

#: An intake row its payer's document (Oregon Health Plan: the Medicaid ISP) accepts once its
#: safety plan is complete; the other payers refuse a plan for another payer's member
#: (TXR017). The risk cells and the safety-plan cells are generated.
INTAKE = {
    "Client ID": "P-1", "First Name": "Ana", "Last Name": "Ortiz", "DOB": "1990-02-03",
    "Diagnosis": "F32.1", "Intake Date": "2026-01-05", "Clinician": "Maya Okafor, LCSW",
    # the PHQ-9's date: a Medicaid ISP never starts an objective from an undated score (TXR022)
    "Screening Date": "2026-01-05",
    "Presenting problem": "I feel down and can't get to work",
    "Predisposing": "Father died by suicide", "Precipitating": "Laid off in November",
    "Perpetuating": "Withdrawing from friends", "Protective": "Close to her brother",
    "Payer": "Oregon Health Plan", "Member ID": "OHP4471920",
    "Client signed date": "2026-01-05", "Clinician signature date": "2026-01-05",
    "Service type": "Individual psychotherapy", "Modality": "CBT", "Session minutes": "53",
    "Frequency": "Weekly", "Expected duration": "6 months", "CPT code": "90837",
}  # fmt: skip
SAFETY_CELLS = {
    "Warning Signs": "Lying awake past 2am",
    "Coping Strategies": "Walk the dog",
    "People and places": "The climbing gym",
    "People to ask for help": "Tom (brother)",
    "Professionals and crisis lines": "Dr. Lee, Riverside clinic 555-0100",
    "Means safety": "Handgun locked at Tom's house",
}
MEANS_CELLS = {
    "No": False,
    "No access to firearms": False,
    "Yes": True,
    "Yes - handgun at home": True,
    "Yes - passive, no plan; rifle in the garage": True,
}


@st.composite
def intake_rows(draw: Any) -> tuple[dict[str, str], bool]:
    """An intake row (column -> cell) and whether its recorded facts put the client at risk."""
    item9 = draw(st.integers(0, 3))
    cssrs = draw(st.booleans())
    level = draw(st.sampled_from(("none", "low", "moderate", "high")))
    means = draw(st.sampled_from(sorted(MEANS_CELLS)))
    row = dict(INTAKE)
    row.update({f"PHQ-9 Item {n}": "1" for n in range(1, 9)})
    row.update({"PHQ-9 Item 9": str(item9), "C-SSRS": "Yes" if cssrs else "No",
                "Risk Level": level, "Access to firearms": means})  # fmt: skip
    if draw(st.booleans()):  # the safety plan recorded on the intake, some cells unfinished
        for column, text in SAFETY_CELLS.items():
            row[column] = draw(st.sampled_from((text, text, *PLACEHOLDERS[1:5])))
    risky = item9 > 0 or cssrs or level in ("moderate", "high") or MEANS_CELLS[means]
    return row, risky
