"""The one place that names template variables: plan + payer + agency -> plain values.

Every template (DOCX, the PDF form's field map, the client copy) sees exactly the dict
:func:`build_context` returns: strings, numbers, booleans, None, lists and dicts, never a
model object, so a template cannot reach into Python. Dates are formatted for people
("March 4, 2025"); the ISO form is beside each as ``*_iso`` where a form needs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from typing import Any

from pipeline import __version__
from pipeline.clinical.schedule import requested_sessions
from pipeline.model import Diagnosis, Goal, Measure, Plan, Service, Signer
from pipeline.writers.wording import client_copy_words, human_date, short_date

#: Highest possible total of each instrument (for "14 / 27").
MAX_TOTAL = {"PHQ-9": 27, "GAD-7": 21, "PCL-5": 80, "AUDIT-C": 12}

#: Review points of the state-Medicaid grid, in days after the plan date.
REVIEW_POINTS = (90, 180, 270)

STATUS_WORDS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "met": "Met",
    "partially_met": "Partially met",
    "not_met": "Not met",
    "discontinued": "Discontinued",
}


def _age(born: dt.date | None, on: dt.date | None) -> int | None:
    if born is None or on is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _join(items: tuple[str, ...] | list[str], sep: str = "; ") -> str:
    return sep.join(i for i in items if i)


def _client(plan: Plan, anchor: dt.date | None) -> dict[str, Any]:
    c = plan.client
    return {
        "id": c.id,
        "name": " ".join(p for p in (c.first_name, c.middle_name, c.last_name) if p) or c.id,
        "display_name": c.display_name,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "preferred_name": c.preferred_name,
        "call_name": c.preferred_name or c.first_name or c.id,
        "date_of_birth": human_date(c.date_of_birth),
        "date_of_birth_short": short_date(c.date_of_birth),
        "age": _age(c.date_of_birth, anchor),
        "pronouns": c.pronouns,
        "gender_identity": c.gender_identity,
        "phone": c.contact.phone,
        "email": c.contact.email,
        "address": c.contact.address,
        "emergency_contact": c.contact.emergency_contact,
        "payer_name": c.payer_name,
        "member_id": c.member_id,
        "group_number": c.group_number,
    }


def _diagnosis(dx: Diagnosis) -> dict[str, Any]:
    notes = [w for w, on in (("primary", dx.primary), ("provisional", dx.provisional)) if on]
    status = notes + (["not billable"] if dx.billable is False else [])
    status += [dx.notes] if dx.notes else []
    label = f"{dx.code} {dx.description or ''}".strip()
    return {
        "code": dx.code,
        "description": dx.description,
        "primary": dx.primary,
        "provisional": dx.provisional,
        "billable": dx.billable,
        "label": f"{label} ({', '.join(notes)})" if notes else label,
        "status": "; ".join(status),
    }


def _measure(m: Measure) -> dict[str, Any]:
    top = MAX_TOTAL.get(m.instrument)
    score = "" if m.total is None else (f"{m.total} / {top}" if top else str(m.total))
    return {
        "instrument": m.instrument,
        "date": human_date(m.date),
        "total": m.total,
        "max": top,
        "score": score,
        "severity": m.severity,
        "items": list(m.items),
    }


def _goal(number: int, goal: Goal) -> dict[str, Any]:
    objectives = [
        {
            "number": f"{number}.{i}",
            "id": o.id,
            "text": o.text,
            "measure": o.measure,
            "baseline": o.baseline,
            "target": o.target,
            "target_date": human_date(o.target_date),
            "target_date_short": short_date(o.target_date),
            "frequency": o.frequency,
            "status": STATUS_WORDS[o.status.value],
        }
        for i, o in enumerate(goal.objectives, start=1)
    ]
    interventions = [
        {
            "number": f"{number}.{chr(ord('a') + i % 26)}",
            "id": iv.id,
            "modality": iv.modality,
            "description": iv.description,
            "frequency": iv.frequency,
            "responsible": iv.responsible,
            "rationale": iv.rationale,
        }
        for i, iv in enumerate(goal.interventions)
    ]
    return {
        "number": number,
        "id": goal.id,
        "client_words": goal.client_words,
        "description": goal.description,
        "problem": goal.problem,
        "problem_definition": goal.problem_definition,
        "diagnosis_codes": ", ".join(goal.diagnosis_codes),
        "clinical_goal": _clinical_goal(goal),
        "objectives": objectives,
        "interventions": interventions,
    }


def _clinical_goal(goal: Goal) -> str:
    """The clinical goal with the diagnoses it serves, e.g. 'Remission of ... (F33.1)'."""
    text = goal.description or goal.problem or "Not written yet"
    return f"{text} ({', '.join(goal.diagnosis_codes)})" if goal.diagnosis_codes else text


def _grid(goals: list[dict[str, Any]], reviews: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per objective: the state-Medicaid problem/goal/objective/intervention grid."""
    rows = []
    for goal in goals:
        ivs = goal["interventions"]
        interventions = _join([f"{iv['modality']}: {iv['description'] or ''}" for iv in ivs])
        responsible = _join(sorted({iv["responsible"] for iv in ivs if iv["responsible"]}))
        frequency = _join(sorted({iv["frequency"] for iv in ivs if iv["frequency"]}))
        for obj in goal["objectives"] or [None]:
            rows.append(
                {
                    "number": obj["number"] if obj else str(goal["number"]),
                    "problem": goal["problem"] or goal["problem_definition"],
                    "goal": goal["client_words"],
                    "objective": obj["text"] if obj else "",
                    "interventions": interventions,
                    "responsible": responsible,
                    "frequency": (obj and obj["frequency"]) or frequency,
                    "target_date": obj["target_date_short"] if obj else "",
                    "reviews": [r["date_short"] for r in reviews],
                }
            )
    return rows


def service_context(s: Service) -> dict[str, Any]:
    minutes = f"{s.session_minutes}-minute " if s.session_minutes else ""
    kind = s.type.value
    label = f"{minutes}{kind} {s.modality or 'psychotherapy'}, {s.frequency or ''}".strip(", ")
    return {
        "type": kind.capitalize(),
        "modality": s.modality,
        "session_minutes": s.session_minutes,
        "frequency": s.frequency,
        "expected_duration": s.expected_duration,
        "cpt_code": s.cpt_code,
        "label": label,
        "sessions": requested_sessions(s),
    }


def _signer(s: Signer | None, agency: Any) -> dict[str, Any] | None:
    """A signer; credentials, NPI and role the plan leaves out come from the agency's list."""
    if s is None:
        return None
    credentials, npi, role = s.credentials, s.npi, s.role
    known = agency.clinician(s.name) if s.name and hasattr(agency, "clinician") else None
    if known is not None:
        credentials = credentials or known.credentials
        npi = npi or known.npi
        role = role or known.role
    return {
        "name": s.name,
        "credentials": credentials,
        "role": role,
        "npi": npi,
        "signed_date": human_date(s.signed_date),
        "signed": s.signed_date is not None,
        "line": ", ".join(p for p in (s.name, credentials) if p),
    }


def _agency(agency: Any) -> dict[str, Any]:
    return {
        "id": agency.id,
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "fax": getattr(agency, "fax", None),
        "npi": agency.npi,
        "has_logo": bool(getattr(agency, "logo", None)),
    }


def anchor_date(plan: Plan) -> dt.date | None:
    """The date a document is "as of": the plan date, else the intake date."""
    return plan.plan_date or plan.intake_date


def build_context(plan: Plan, payer: Any, agency: Any, *, draft: bool = False,
                  names: Container[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Every template variable, as plain values (see README, 'Templates and rendering').

    ``names`` are the variables a template uses (None: all). The costly ones it does not use
    (``grid``, ``plain``) are left None: a template cannot see a variable it does not use.
    """

    def wanted(name: str) -> bool:
        return names is None or name in names

    anchor = anchor_date(plan)
    goals = [_goal(n, g) for n, g in enumerate(plan.goals, start=1)]
    reviews = [
        {
            "days": days,
            "date": human_date(anchor + dt.timedelta(days=days)) if anchor else "",
            "date_short": short_date(anchor + dt.timedelta(days=days)) if anchor else "",
        }
        for days in REVIEW_POINTS
    ]
    risk = plan.risk
    services = [service_context(s) for s in plan.services]
    measures = [_measure(m) for m in plan.measures]
    safety = plan.safety_plan
    sources = [str(s) for s in plan.provenance.sources]
    a = plan.assessment
    p = plan.presenting_problem
    f = plan.formulation
    return {
        "client": _client(plan, anchor),
        "intake_date": human_date(plan.intake_date),
        "plan_date": human_date(plan.plan_date),
        "days_intake_to_plan": (
            (plan.plan_date - plan.intake_date).days
            if plan.plan_date and plan.intake_date
            else None
        ),
        "presenting": {
            "client_words": p.client_words,
            "description": p.description,
            "onset": p.onset,
            "functional_impact": p.functional_impact,
            "what_would_be_different": p.what_would_be_different,
        },
        "assessment": {
            "symptoms": list(a.symptoms),
            "strengths": list(a.strengths),
            "challenges": list(a.challenges),
            "symptoms_text": _join(a.symptoms),
            "strengths_text": _join(a.strengths),
            "challenges_text": _join(a.challenges),
            "mental_status": a.mental_status,
            "substance_use": a.substance_use,
            "prognosis": a.prognosis,
        },
        "risk": {
            "level": risk.level.value.capitalize() if risk.level else None,
            "suicidal_ideation": risk.suicidal_ideation,
            "homicidal_ideation": risk.homicidal_ideation,
            "self_harm": risk.self_harm,
            "flagged": risk.suicidal_ideation or risk.homicidal_ideation or risk.self_harm,
            "notes": risk.notes,
            "safety_plan_required": risk.safety_plan_required,
        },
        "diagnoses": [_diagnosis(d) for d in plan.diagnoses],
        "primary_diagnosis": _diagnosis(plan.primary_diagnosis) if plan.diagnoses else None,
        "formulation": {
            "presenting": f.presenting,
            "predisposing": f.predisposing,
            "precipitating": f.precipitating,
            "perpetuating": f.perpetuating,
            "protective": f.protective,
        },
        "measures": measures,
        "measures_text": _join(
            [f"{m['instrument']} {m['score']} ({m['severity'] or 'no severity'})" for m in measures]
        ),
        "goals": goals,
        "grid": _grid(goals, reviews) if wanted("grid") else None,
        "services": services,
        "service": services[0] if services else None,
        "has_safety_plan": safety is not None,
        "safety_plan": None
        if safety is None
        else {
            "warning_signs": list(safety.warning_signs),
            "coping_strategies": list(safety.coping_strategies),
            "people_and_places": list(safety.people_and_places),
            "people_to_ask": list(safety.people_to_ask),
            "professionals": list(safety.professionals),
            "means_safety": safety.means_safety,
            "reasons_for_living": safety.reasons_for_living,
        },
        "review": {
            "interval_days": plan.review.interval_days,
            "next_date": human_date(plan.review.next_review_date),
            "last_date": human_date(plan.review.last_review_date),
            "points": reviews,
        },
        "signatures": {
            "clinician": _signer(plan.signatures.clinician, agency),
            "client": _signer(plan.signatures.client, None),
            "client_unsigned_reason": plan.signatures.client_unsigned_reason,
            "supervisor": _signer(plan.signatures.supervisor, agency),
        },
        "certification": {
            "start": human_date(anchor),
            "end": human_date(anchor + dt.timedelta(days=plan.review.interval_days - 1))
            if anchor
            else "",
        },
        "plain": client_copy_words(plan, goals, services) if wanted("plain") else None,
        "agency": _agency(agency),
        "payer": {"id": payer.id, "name": payer.name},
        "draft": draft,
        "generated_from": {
            "sources": sources,
            "sources_text": _join(sources),
            "txplan_version": __version__,
            "schema_version": plan.schema_version,
        },
    }
