"""The context's variables made of named keys, each key made by its own function of the
context's shared parts (``m``: context.py's ``_Made``), so a template gets only the keys it
reads (:func:`section`); each function gives what the key held when the whole dict was made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from operator import attrgetter as _at
from typing import Any

from pipeline import __version__
from pipeline.model import Client, Risk
from pipeline.writers.sections import signer_values
from pipeline.writers.signing import PLAIN_KEYS, signature_lines
from pipeline.writers.wording import joined, tidy, tidy_made

#: A key's maker: the context's shared parts -> the key's value.
Maker = Callable[[Any], Any]

#: Risk levels as a document prints them ("None" alone would read as a missing value).
RISK_WORDS = {"none": "No risk identified"}


def section(m: Any, name: str, makers: dict[str, Maker]) -> dict[str, Any]:
    """Variable ``name``: the keys the template may read (``m.picks``), in ``makers``' order;
    when the template reads it by key, those keys already tidied as the template reads them,
    in that order (``name`` is added to ``m.ready``)."""
    pairs, by_key = m.picks(name, makers)
    if by_key is None:
        return {key: make(m) for key, make in pairs}
    m.ready.add(name)
    return tidy_made(m, by_key, m.date)


def _age(born: dt.date | None, on: dt.date | None) -> int | None:
    if born is None or on is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _born(m: Any) -> Any:
    born = m.date(m.plan.client.date_of_birth)
    age = _age(m.plan.client.date_of_birth, m.anchor)
    return f"{born} (age {age})" if born and age is not None else born


def _name(c: Client) -> str:
    return " ".join(p for p in (c.first_name, c.middle_name, c.last_name) if p) or c.id


CLIENT: dict[str, Maker] = {
    "id": _at("plan.client.id"),
    "name": lambda m: _name(m.plan.client),
    "display_name": _at("plan.client.display_name"),
    "first_name": _at("plan.client.first_name"),
    "last_name": _at("plan.client.last_name"),
    "preferred_name": _at("plan.client.preferred_name"),
    "call_name": lambda m: (m.plan.client.preferred_name or m.plan.client.first_name
                            or m.plan.client.id),
    "date_of_birth": lambda m: m.date(m.plan.client.date_of_birth),
    "date_of_birth_iso": lambda m: (m.plan.client.date_of_birth.isoformat()
                                    if m.plan.client.date_of_birth else ""),
    "born": _born,
    "age": lambda m: _age(m.plan.client.date_of_birth, m.anchor),
    "pronouns": _at("plan.client.pronouns"),
    "gender_identity": _at("plan.client.gender_identity"),
    "sex": _at("plan.client.sex_assigned_at_birth"),
    "phone": _at("plan.client.contact.phone"),
    "email": _at("plan.client.contact.email"),
    "address": _at("plan.client.contact.address"),
    "emergency_contact": _at("plan.client.contact.emergency_contact"),
    "payer_name": _at("plan.client.payer_name"),
    "member_id": _at("plan.client.member_id"),
    "group_number": _at("plan.client.group_number"),
}  # fmt: skip

PRESENTING: dict[str, Maker] = {
    "client_words": _at("plan.presenting_problem.client_words"),
    "description": _at("plan.presenting_problem.description"),
    "onset": _at("plan.presenting_problem.onset"),
    "functional_impact": _at("plan.presenting_problem.functional_impact"),
    "what_would_be_different": _at("plan.presenting_problem.what_would_be_different"),
}

ASSESSMENT: dict[str, Maker] = {
    "symptoms": lambda m: list(m.plan.assessment.symptoms),
    "strengths": lambda m: list(m.plan.assessment.strengths),
    "challenges": lambda m: list(m.plan.assessment.challenges),
    "symptoms_text": lambda m: joined(m.plan.assessment.symptoms),
    "strengths_text": lambda m: joined(m.plan.assessment.strengths),
    "challenges_text": lambda m: joined(m.plan.assessment.challenges),
    "mental_status": _at("plan.assessment.mental_status"),
    "substance_use": _at("plan.assessment.substance_use"),
    "prognosis": _at("plan.assessment.prognosis"),
}


def _level(risk: Risk) -> str | None:
    return RISK_WORDS.get(risk.level.value, risk.level.value.capitalize()) if risk.level else None


RISK: dict[str, Maker] = {
    "level": lambda m: _level(m.plan.risk),
    "suicidal_ideation": _at("plan.risk.suicidal_ideation"),
    "homicidal_ideation": _at("plan.risk.homicidal_ideation"),
    "self_harm": _at("plan.risk.self_harm"),
    "flagged": lambda m: (m.plan.risk.suicidal_ideation or m.plan.risk.homicidal_ideation
                          or m.plan.risk.self_harm),
    "notes": _at("plan.risk.notes"),
    "summary": lambda m: joined([_level(m.plan.risk) or "Not assessed", tidy(m.plan.risk.notes)],
                                ". "),
    "safety_plan_required": _at("plan.risk.safety_plan_required"),
}  # fmt: skip

FORMULATION: dict[str, Maker] = {
    "presenting": _at("plan.formulation.presenting"),
    "predisposing": _at("plan.formulation.predisposing"),
    "precipitating": _at("plan.formulation.precipitating"),
    "perpetuating": _at("plan.formulation.perpetuating"),
    "protective": _at("plan.formulation.protective"),
}

#: The safety plan's keys (the variable is None when the plan has no safety plan).
SAFETY_PLAN: dict[str, Maker] = {
    "warning_signs": lambda m: list(m.plan.safety_plan.warning_signs),
    "coping_strategies": lambda m: list(m.plan.safety_plan.coping_strategies),
    "people_and_places": lambda m: list(m.plan.safety_plan.people_and_places),
    "people_to_ask": lambda m: list(m.plan.safety_plan.people_to_ask),
    "professionals": lambda m: list(m.plan.safety_plan.professionals),
    "means_safety": _at("plan.safety_plan.means_safety"),
    "reasons_for_living": _at("plan.safety_plan.reasons_for_living"),
    "warning_signs_text": lambda m: joined(m.plan.safety_plan.warning_signs),
    "coping_strategies_text": lambda m: joined(m.plan.safety_plan.coping_strategies),
    "people_to_ask_text": lambda m: joined(m.plan.safety_plan.people_to_ask),
    "professionals_text": lambda m: joined(m.plan.safety_plan.professionals),
}

REVIEW: dict[str, Maker] = {
    "interval_days": _at("plan.review.interval_days"),
    "next_date": lambda m: m.date(m.plan.review.next_review_date),
    "last_date": lambda m: m.date(m.plan.review.last_review_date),
    "points": lambda m: m.reviews,
    "points_text": lambda m: " · ".join(f"{r['days']} days: {r['date']}" for r in m.reviews
                                        if r["date"]),
    "recorded": lambda m: m.history.reviews,
}  # fmt: skip


def _lines(m: Any) -> list[dict[str, Any]]:
    """The signature lines, in the client copy's words too when the template reads them."""
    plain = any(m.reads("signatures", "lines", "[]", k) for k in PLAIN_KEYS)
    return signature_lines(m.plan, m.payer, m.agency, m.date, plain=plain)


SIGNATURES: dict[str, Maker] = {
    "clinician": lambda m: signer_values(m.plan.signatures.clinician, m.agency, m.date),
    "client": lambda m: signer_values(m.plan.signatures.client, None, m.date),
    "client_unsigned_reason": _at("plan.signatures.client_unsigned_reason"),
    "supervisor": lambda m: signer_values(m.plan.signatures.supervisor, m.agency, m.date),
    "guardian": lambda m: signer_values(m.plan.signatures.guardian, None, m.date),
    "lines": _lines,
}

GENERATED_FROM: dict[str, Maker] = {
    "sources": lambda m: m.sources,
    "sources_text": lambda m: joined(m.sources),
    "txplan_version": lambda m: __version__,
    "schema_version": _at("plan.schema_version"),
}
