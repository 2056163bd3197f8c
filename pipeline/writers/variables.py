"""The context's variables made of named keys, each key made by an expression of the context's
shared parts (``m``: context.py's ``_Made``) and of the section's part of the plan (``x``), so
a template gets only the keys it reads (:func:`section`, :mod:`pipeline.writers.context_code`);
each expression gives what the key held when the whole dict was made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pipeline import __version__
from pipeline.model import Client, Measure, Risk
from pipeline.writers.progress import Progress, alt_text, clinician_text
from pipeline.writers.sections import MAX_TOTAL, signer_values
from pipeline.writers.signing import PLAIN_KEYS, signature_lines
from pipeline.writers.wording import joined, tidy

#: A key's maker: the context's shared parts -> the key's value.
Maker = Callable[[Any], Any]

#: Risk levels as a document prints them ("None" alone would read as a missing value).
RISK_WORDS = {"none": "No risk identified"}


def _age(born: dt.date | None, on: dt.date | None) -> int | None:
    if born is None or on is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _born(m: Any, c: Client) -> Any:
    born = m.date(c.date_of_birth)
    age = _age(c.date_of_birth, m.anchor)
    return f"{born} (age {age})" if born and age is not None else born


def _name(c: Client) -> str:
    return " ".join([p for p in (c.first_name, c.middle_name, c.last_name) if p]) or c.id


def _level(risk: Risk) -> str | None:
    return RISK_WORDS.get(risk.level.value, risk.level.value.capitalize()) if risk.level else None


def _lines(m: Any) -> list[dict[str, Any]]:
    """The signature lines, in the client copy's words too when the template reads them
    (found once per template, kept on its fields)."""
    fields = m.fields
    if m.names is None or fields is None:
        plain = True
    else:
        known = fields.__dict__.get("known")
        if known is None:
            known = fields.known = {}
        plain = known.get(_PLAIN)
        if plain is None:
            plain = known[_PLAIN] = any(m.reads("signatures", "lines", "[]", k)
                                        for k in PLAIN_KEYS)  # fmt: skip
    return signature_lines(m.plan, m.payer, m.agency, m.date, plain=plain)


#: The key of whether a template reads a line's ``plain_*`` keys among its fields' answers.
_PLAIN = object()


# Each table below: key -> the Python expression that makes it (of ``m`` and ``x``, the
# section's part named in :data:`SECTIONS`, and the names in :data:`NAMESPACE`).

CLIENT: dict[str, str] = {
    "id": "x.id",
    "name": "_name(x)",
    "display_name": "x.display_name",
    "first_name": "x.first_name",
    "last_name": "x.last_name",
    "preferred_name": "x.preferred_name",
    "call_name": "x.preferred_name or x.first_name or x.id",
    "date_of_birth": "m.date(x.date_of_birth)",
    "date_of_birth_iso": "x.date_of_birth.isoformat() if x.date_of_birth else ''",
    "born": "_born(m, x)",
    "age": "_age(x.date_of_birth, m.anchor)",
    "pronouns": "x.pronouns",
    "gender_identity": "x.gender_identity",
    "sex": "x.sex_assigned_at_birth",
    "phone": "x.contact.phone",
    "email": "x.contact.email",
    "address": "x.contact.address",
    "emergency_contact": "x.contact.emergency_contact",
    "payer_name": "x.payer_name",
    "member_id": "x.member_id",
    "group_number": "x.group_number",
}

PRESENTING: dict[str, str] = {
    "client_words": "x.client_words",
    "description": "x.description",
    "onset": "x.onset",
    "functional_impact": "x.functional_impact",
    "what_would_be_different": "x.what_would_be_different",
}

ASSESSMENT: dict[str, str] = {
    "symptoms": "list(x.symptoms)",
    "strengths": "list(x.strengths)",
    "challenges": "list(x.challenges)",
    "symptoms_text": "joined(x.symptoms)",
    "strengths_text": "joined(x.strengths)",
    "challenges_text": "joined(x.challenges)",
    "mental_status": "x.mental_status",
    "substance_use": "x.substance_use",
    "prognosis": "x.prognosis",
}

RISK: dict[str, str] = {
    "level": "_level(x)",
    "suicidal_ideation": "x.suicidal_ideation",
    "homicidal_ideation": "x.homicidal_ideation",
    "self_harm": "x.self_harm",
    "flagged": "x.suicidal_ideation or x.homicidal_ideation or x.self_harm",
    "notes": "x.notes",
    "summary": "joined([_level(x) or 'Not assessed', tidy(x.notes)], '. ')",
    "safety_plan_required": "x.safety_plan_required",
}

FORMULATION: dict[str, str] = {
    "presenting": "x.presenting",
    "predisposing": "x.predisposing",
    "precipitating": "x.precipitating",
    "perpetuating": "x.perpetuating",
    "protective": "x.protective",
}

#: The safety plan's keys (the variable is None when the plan has no safety plan).
SAFETY_PLAN: dict[str, str] = {
    "warning_signs": "list(x.warning_signs)",
    "coping_strategies": "list(x.coping_strategies)",
    "people_and_places": "list(x.people_and_places)",
    "people_to_ask": "list(x.people_to_ask)",
    "professionals": "list(x.professionals)",
    "means_safety": "x.means_safety",
    "reasons_for_living": "x.reasons_for_living",
    "warning_signs_text": "joined(x.warning_signs)",
    "coping_strategies_text": "joined(x.coping_strategies)",
    "people_and_places_text": "joined(x.people_and_places)",
    "people_to_ask_text": "joined(x.people_to_ask)",
    "professionals_text": "joined(x.professionals)",
}

REVIEW: dict[str, str] = {
    "interval_days": "x.interval_days",
    "next_date": "m.date(x.next_review_date)",
    "last_date": "m.date(x.last_review_date)",
    "points": "m.reviews",
    "points_text": "' · '.join(f\"{r['days']} days: {r['date']}\" for r in m.reviews if r['date'])",
    "recorded": "m.history.reviews",
}

SIGNATURES: dict[str, str] = {
    "clinician": "signer_values(x.clinician, m.agency, m.date)",
    "client": "signer_values(x.client, None, m.date)",
    "client_unsigned_reason": "x.client_unsigned_reason",
    "supervisor": "signer_values(x.supervisor, m.agency, m.date)",
    "guardian": "signer_values(x.guardian, None, m.date)",
    "lines": "_lines(m)",
}

GENERATED_FROM: dict[str, str] = {
    "sources": "m.sources",
    "sources_text": "joined(m.sources)",
    "txplan_version": "__version__",
    "schema_version": "x.schema_version",
}

#: The variables made of named keys: name -> (the section's part of the plan, ``x``: an
#: expression of ``m``; its keys' expressions; whether the variable is None when ``x`` is).
SECTIONS: dict[str, tuple[str, dict[str, str], bool]] = {
    "client": ("m.plan.client", CLIENT, False),
    "presenting": ("m.plan.presenting_problem", PRESENTING, False),
    "assessment": ("m.plan.assessment", ASSESSMENT, False),
    "risk": ("m.plan.risk", RISK, False),
    "formulation": ("m.plan.formulation", FORMULATION, False),
    "safety_plan": ("m.plan.safety_plan", SAFETY_PLAN, True),
    "review": ("m.plan.review", REVIEW, False),
    "signatures": ("m.plan.signatures", SIGNATURES, False),
    "generated_from": ("m.plan", GENERATED_FROM, False),
}


def _score(x: Measure) -> str:
    top = MAX_TOTAL.get(x.instrument)
    return "" if x.total is None else (f"{x.total} / {top}" if top else str(x.total))


#: A measure's keys (``x``: the measure), as ``sections.measure_values`` makes them.
MEASURE: dict[str, str] = {
    "instrument": "x.instrument",
    "date": "m.date(x.date)",
    "total": "x.total",
    "max": "MAX_TOTAL.get(x.instrument)",
    "score": "_score(x)",
    "severity": "x.severity",
    "items": "list(x.items)",
}


def _change(x: Progress) -> str:
    change = x.change()
    return change[1] if change else ""


#: An instrument's progress (``x``: its :class:`~pipeline.writers.progress.Progress`), as
#: ``sections.progress_context`` makes it.
PROGRESS: dict[str, str] = {
    "instrument": "x.instrument",
    "title": "x.title",
    "chart": "x.marker if x.charted else ''",
    "text": "clinician_text(x, m.date)",
    "alt": "alt_text(x, m.date) if x.charted else ''",
    "count": "len(x.points)",
    "points": "[{'date': m.date(d), 'date_iso': d.isoformat(), 'score': s} for d, s in x.points]",
    "target": "str(x.target) if x.target else ''",
    "change": "_change(x)",
}

#: The list variables whose items are made of named keys, one item a part: name -> (the
#: parts, an expression of ``m``; the keys' expressions; the variables made of the same list
#: as this one, which need it whole: when the template uses one, the items are made whole).
LISTS: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    "measures": ("m.plan.measures_known()", MEASURE, ("measures_text",)),
    "progress": ("m.progress", PROGRESS, ()),
}

#: The names the keys' expressions may use besides ``m`` and ``x``.
NAMESPACE: dict[str, Any] = {
    "__version__": __version__,
    "_age": _age,
    "_born": _born,
    "_level": _level,
    "_lines": _lines,
    "_name": _name,
    "_score": _score,
    "_change": _change,
    "alt_text": alt_text,
    "clinician_text": clinician_text,
    "MAX_TOTAL": MAX_TOTAL,
    "joined": joined,
    "signer_values": signer_values,
    "tidy": tidy,
}


def _maker(root: str, expression: str, name: str) -> Maker:
    """One key's expression compiled into a function of ``m`` (the sources are the constant
    tables above, never a template's text)."""
    source = f"def make(m):\n    x = {root}\n    return {expression}\n"
    namespace = dict(NAMESPACE)
    exec(compile(source, f"<context key {name}>", "exec"), namespace)  # noqa: S102
    return namespace["make"]


#: Each section's keys' makers: name -> key -> maker (for a template read whole or iterated).
MAKERS: dict[str, dict[str, Maker]] = {
    name: {key: _maker(root, source, f"{name}.{key}") for key, source in keys.items()}
    for name, (root, keys, _) in SECTIONS.items()
}


def section(m: Any, name: str) -> dict[str, Any]:
    """Variable ``name`` made whole, not tidied: the keys the template may read (``m.picks``),
    in their table's order (a template reading it by key has it made by the function
    :mod:`pipeline.writers.context_code` generates for it)."""
    return {key: make(m) for key, make in m.picks(name, MAKERS[name])}
