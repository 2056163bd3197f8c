"""Model paths: where a labelled value goes in the plan, and how its value is read.

A *model path* names a plain field (``client.date_of_birth``), a numbered item
(``diagnoses[2].code``, ``goals[1].objectives[2].text``), an instrument
(``measures[PHQ-9].items[9]``) or an item per row of a long export (``diagnoses[].code``,
``measures[].total``). The alias table (``aliases.py``) and profiles (``profile.py``) both map
labels to these paths; ``ignore`` drops a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

IGNORE = "ignore"

#: path -> how its value is read (see fields.py). Group paths are checked by :func:`parse_path`.
KINDS: dict[str, str] = {
    "client.id": "id",
    "client.first_name": "text",
    "client.last_name": "text",
    "client.middle_name": "text",
    "client.preferred_name": "text",
    "client.name": "name",
    "client.name_last_first": "name_last_first",
    "client.date_of_birth": "birth_date",
    "client.pronouns": "text",
    "client.gender_identity": "text",
    "client.sex_assigned_at_birth": "text",
    "client.marital_status": "text",
    "client.occupation": "text",
    "client.employment_status": "employment",
    "client.student": "student",
    "client.dependents": "dependents",
    "client.contact.phone": "text",
    "client.contact.email": "text",
    "client.contact.address": "text",
    "client.contact.emergency_contact": "text",
    "client.payer_name": "text",
    "client.member_id": "text",
    "client.group_number": "text",
    "intake_date": "date",
    "plan_date": "date",
    "presenting_problem.client_words": "text",
    "presenting_problem.description": "text",
    "presenting_problem.onset": "text",
    "presenting_problem.functional_impact": "text",
    "presenting_problem.what_would_be_different": "text",
    "assessment.symptoms": "list",
    "assessment.strengths": "list",
    "assessment.challenges": "list",
    "assessment.mental_status": "text",
    "assessment.substance_use": "text",
    "assessment.prognosis": "text",
    "risk.suicidal_ideation": "risk_flag",
    "risk.homicidal_ideation": "risk_flag",
    "risk.self_harm": "risk_flag",
    "risk.cssrs_positive": "risk_flag",
    "risk.means_access": "risk_flag",
    "risk.level": "risk_level",
    "risk.notes": "text",
    "risk.safety_plan_required": "bool",
    "formulation.presenting": "text",
    "formulation.predisposing": "text",
    "formulation.precipitating": "text",
    "formulation.perpetuating": "text",
    "formulation.protective": "text",
    "safety_plan.warning_signs": "list",
    "safety_plan.coping_strategies": "list",
    "safety_plan.people_and_places": "list",
    "safety_plan.people_to_ask": "list",
    "safety_plan.professionals": "list",
    "safety_plan.means_safety": "text",
    "safety_plan.reasons_for_living": "text",
    "review.interval_days": "int",
    "review.next_review_date": "date",
    "review.last_review_date": "date",
    "signatures.clinician.name": "signer_name",
    "signatures.clinician.credentials": "text",
    "signatures.clinician.role": "text",
    "signatures.clinician.npi": "text",
    "signatures.clinician.signed_date": "date",
    "signatures.client.name": "text",
    "signatures.client.signed_date": "date",
    "signatures.client_unsigned_reason": "text",
    "signatures.supervisor.name": "signer_name",
    "signatures.supervisor.credentials": "text",
    "signatures.supervisor.role": "text",
    "signatures.supervisor.npi": "text",
    "signatures.supervisor.signed_date": "date",
    "signatures.guardian.name": "text",
    "signatures.guardian.relationship": "text",
    "signatures.guardian.signed_date": "date",
}

#: Sub-fields of repeated items and how each is read.
GROUP_KINDS: dict[str, dict[str, str]] = {
    "diagnoses": {
        "code": "dx",
        "description": "text",
        "primary": "bool",
        "provisional": "bool",
        "notes": "text",
    },
    #: a total is read when its instrument is known (a lab value beside it is no error)
    "measures": {"instrument": "text", "date": "date", "total": "score", "items": "ints"},
    "services": {
        "type": "service_type",
        "modality": "text",
        "session_minutes": "int",
        "frequency": "text",
        "expected_duration": "text",
        "cpt_code": "text",
    },
    "goals": {
        "client_words": "text",
        "description": "text",
        "problem": "text",
        "problem_definition": "text",
        "diagnosis_codes": "list",
    },
    "objectives": {
        "text": "text",
        "measure": "text",
        "baseline": "text",
        "target": "text",
        "target_date": "date",
        "frequency": "text",
        "status": "status",
    },
    "interventions": {
        "modality": "intervention",
        "description": "text",
        "frequency": "text",
        "responsible": "text",
        "rationale": "text",
    },
}


@dataclass(frozen=True)
class Path:
    """A parsed model path. ``key`` is "" for one item per row, else an index or instrument."""

    text: str
    group: str | None = None  #: diagnoses, measures, services, goals
    key: str = ""
    sub: str = ""  #: sub-field (code, total, items, text, ...)
    item: int | None = None  #: measures[...].items[n], or the objective/intervention number
    part: str | None = None  #: objectives / interventions (goals only)

    @cached_property
    def kind(self) -> str:
        """How a value for this path is read (see fields.py); "" for ``ignore``."""
        if self.group is None:
            return KINDS.get(self.text, "")
        return GROUP_KINDS[self.part or self.group][self.sub]

    @cached_property
    def slot(self) -> str:
        """What the value fills in its item: ``items[9]`` for an item response, else ``sub``."""
        return f"items[{self.item}]" if self.item is not None else self.sub


_GROUP = re.compile(r"(diagnoses|measures|services)\[([^\]]*)\]\.(\w+)(?:\[(\d+)\])?")
_GOAL = re.compile(r"goals\[(\d+)\]\.(\w+)")
_GOAL_PART = re.compile(r"goals\[(\d+)\]\.(objectives|interventions)\[(\d+)\]\.(\w+)")


@lru_cache(maxsize=1024)
def parse_path(text: str) -> Path | None:
    """A model path, or None when ``text`` is not one."""
    text = text.strip()
    if text in KINDS or text == IGNORE:
        return Path(text)
    if m := _GROUP.fullmatch(text):
        group, key, sub, item = m[1], m[2].strip(), m[3], m[4]
        if sub not in GROUP_KINDS[group] or (item and (group, sub) != ("measures", "items")):
            return None
        if group != "measures" and key and not key.isdigit():
            return None
        return Path(text, group, key, sub, int(item) if item else None)
    if m := _GOAL.fullmatch(text):
        if m[2] in GROUP_KINDS["goals"]:
            return Path(text, "goals", m[1], m[2])
        return None
    if (m := _GOAL_PART.fullmatch(text)) and m[4] in GROUP_KINDS[m[2]]:
        return Path(text, "goals", m[1], m[4], int(m[3]), m[2])
    return None
